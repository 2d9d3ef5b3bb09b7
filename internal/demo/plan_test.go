package demo_test

import (
	"context"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store/storetest"
)

func TestLoadPlans(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	now := clock.Now()
	if _, err := demo.Load(ctx, db, fakeHash, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadPlans(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadPlans(ctx, db, now); err == nil {
		t.Fatal("a second load was not refused")
	}
	regions, err := db.ListRegions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	year := now.Year()
	for _, reg := range regions {
		over, err := db.PlanOverview(ctx, reg.ID, year, 0)
		if err != nil {
			t.Fatal(err)
		}
		count := map[mtvp.PlanStatus]int{}
		for _, s := range over {
			count[s.Status]++
		}
		for _, st := range mtvp.PlanStatuses {
			if count[st] == 0 {
				t.Errorf("%s: no practice with plan status %q (%v)", reg.Code, st, count)
			}
		}
		rules, err := db.PlanRules(ctx, reg.ID, year)
		if err != nil {
			t.Fatal(err)
		}
		facts, err := db.PlanFinalFacts(ctx, reg.ID, year, mtvp.DateOf(now))
		if err != nil {
			t.Fatal(err)
		}
		final := 0
		for _, f := range facts {
			if ok, missing := f.FinalWithMandatory(rules.Regioplan); ok {
				final++
			} else if f.Number != 0 {
				t.Errorf("%s: practice %d final without %v", reg.Code, f.PracticeID, missing)
			}
		}
		if final == 0 {
			t.Errorf("%s: no final plan with every mandatory intervention", reg.Code)
		}
	}
}
