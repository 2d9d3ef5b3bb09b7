package demo_test

import (
	"context"
	"testing"
	"time"

	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

// TestDemoVisits: the demo holds visits: last year's recorded, and this
// year recorded, planned and overdue ones, with reports along the plans.
func TestDemoVisits(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	now := time.Date(2026, time.September, 15, 10, 0, 0, 0, time.UTC)
	if _, err := demo.LoadAll(ctx, db, fakeHash, now); err != nil {
		t.Fatal(err)
	}
	reg, err := db.RegionByCode(ctx, "zio")
	if err != nil {
		t.Fatal(err)
	}
	today := mtvp.DateOf(now)
	cov, err := db.VisitCoverage(ctx, reg.ID, 2026, 0, today, reg.Settings.AtRiskDays)
	if err != nil {
		t.Fatal(err)
	}
	if cov.Visited == 0 || cov.Planned == 0 || cov.NotPlanned == 0 || cov.Overdue == 0 {
		t.Fatalf("coverage 2026: %+v", cov)
	}
	last, err := db.ListVisits(ctx, store.VisitFilter{RegionID: reg.ID, Year: 2025, OnlyRecorded: true})
	if err != nil || len(last) == 0 {
		t.Fatalf("2025 visits: %d, %v", len(last), err)
	}
	withFindings := 0
	for _, r := range cov.Rows {
		if r.State != mtvp.VisitStateVisited {
			continue
		}
		v, err := db.VisitByID(ctx, r.Visit.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Findings) > 0 && v.Findings[0].Code != "" && len(v.Actions) == 2 {
			withFindings++
		}
	}
	if withFindings == 0 {
		t.Fatal("no demo report follows a plan")
	}
}
