package demo_test

import (
	"context"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store/storetest"
)

func TestLoadIntervision(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	now := clock.Now()
	if _, err := demo.Load(ctx, db, fakeHash, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadIntervision(ctx, db, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadIntervision(ctx, db, now); err == nil {
		t.Fatal("a second load was not refused")
	}
	regions, err := db.ListRegions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	year := now.Year()
	withGroups := 0
	for _, reg := range regions {
		groups, err := db.ListGroups(ctx, mtvp.GroupFilter{RegionID: reg.ID, Year: year})
		if err != nil {
			t.Fatal(err)
		}
		if len(groups) == 0 {
			continue
		}
		withGroups++
		members, waiting, meetings := 0, 0, 0
		for _, g := range groups {
			members += g.Members
			waiting += g.Waiting
			meetings += g.Meetings
			if g.Members > g.Capacity {
				t.Errorf("%s: %d members in %d places", g.Name, g.Members, g.Capacity)
			}
		}
		facts, err := db.IntervisionFacts(ctx, reg.ID, year)
		if err != nil {
			t.Fatal(err)
		}
		took := mtvp.IntervisionParticipants(facts, year, mtvp.DateOf(now))
		t.Logf("%s: %d groups, %d members, %d waiting, %d meetings, %d took part", reg.Code, len(groups), members, waiting, meetings, len(took))
		if members == 0 || meetings == 0 {
			t.Errorf("%s: empty intervision", reg.Code)
		}
		if mtvp.DateOf(now).After(mtvp.NewDate(year, time.March, 1)) && len(took) == 0 {
			t.Errorf("%s: nobody attended a meeting", reg.Code)
		}
	}
	if withGroups == 0 {
		t.Fatal("no region got groups")
	}
}
