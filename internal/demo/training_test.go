package demo_test

import (
	"context"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

func TestLoadTraining(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	// Sign-ups need sessions that have not begun by the store's clock, so
	// this test runs at the present moment.
	now := clock.Now()
	if _, err := demo.Load(ctx, db, fakeHash, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadTraining(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadTraining(ctx, db, now); err == nil {
		t.Fatal("a second load was not refused")
	}
	regions, err := db.ListRegions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, reg := range regions {
		trs, _ := db.ListTrainings(ctx, reg.ID, false)
		claims, _ := db.ListClaims(ctx, store.ClaimFilter{RegionID: reg.ID})
		facts, err := db.TrainingFacts(ctx, reg.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		trained, counted := 0, 0
		for _, f := range facts {
			for _, r := range mtvp.EvaluateTrainingNorms(f, reg.Settings, mtvp.DateOf(now)) {
				trained += r.Actual
				counted += r.Denominator
			}
		}
		statuses := map[mtvp.ClaimStatus]int{}
		for _, c := range claims {
			statuses[c.Status]++
		}
		if len(trs) != 5 || len(claims) == 0 || statuses[mtvp.ClaimPending] == 0 || trained == 0 || trained >= counted {
			t.Fatalf("%s: %d trainings, claims %v, %d of %d trained", reg.Code, len(trs), statuses, trained, counted)
		}
		t.Logf("%s: %d trainings, claims %v, %d of %d trained", reg.Code, len(trs), statuses, trained, counted)
	}
}
