package store_test

import (
	"testing"

	"meertijd/internal/mtvp"
)

// TestVisitMeetsAnnualVisitRequirement: the compliance function reads the
// visits: "not recorded" while the region does not record visits (its
// setting visits_recorded_from), from that date not met while only
// planned, met once recorded.
func TestVisitMeetsAnnualVisitRequirement(t *testing.T) {
	f := newVisitFixture(t)
	db := f.db
	day := today()
	visitReq := func() mtvp.RequirementResult {
		t.Helper()
		facts, err := db.PracticeComplianceFacts(ctx, f.p1.ID, f.year, day)
		must(t, err)
		st := mtvp.EvaluateCompliance(facts, f.region.Settings, f.year, day)
		for _, r := range st.Requirements {
			if r.Code == mtvp.ReqAnnualVisit {
				return r
			}
		}
		t.Fatal("no jaarbezoek requirement")
		return mtvp.RequirementResult{}
	}
	if r := visitReq(); r.Status != mtvp.StatusNotRecorded {
		t.Fatalf("before any visit: %+v", r)
	}
	v := mtvp.Visit{PracticeID: f.p1.ID, Year: f.year, PlannedOn: day}
	must(t, db.CreateVisit(ctx, admin, &v))
	if r := visitReq(); r.Status != mtvp.StatusNotRecorded {
		t.Fatalf("a planned visit, the region not recording visits: %+v", r)
	}
	// The region records visits from tomorrow: still not recorded today.
	reg, err := db.RegionByID(ctx, f.region.ID)
	must(t, err)
	reg.Settings.VisitsRecordedFrom = day.AddDays(1)
	must(t, db.UpdateRegion(ctx, admin, &reg))
	f.region = reg
	if r := visitReq(); r.Status != mtvp.StatusNotRecorded {
		t.Fatalf("recorded from tomorrow: %+v", r)
	}
	reg.Settings.VisitsRecordedFrom = day
	must(t, db.UpdateRegion(ctx, admin, &reg))
	f.region, err = db.RegionByID(ctx, f.region.ID)
	must(t, err)
	if !f.region.Settings.VisitsRecordedFrom.Equal(day) {
		t.Fatalf("setting not stored: %+v", f.region.Settings)
	}
	if r := visitReq(); r.Status != mtvp.StatusNotMet {
		t.Fatalf("planned only: %+v", r)
	}
	v.VisitedOn, v.Judgement = day, "Goed op weg"
	must(t, db.RecordVisit(ctx, admin, &v))
	if r := visitReq(); r.Status != mtvp.StatusMet || r.Actual != 1 {
		t.Fatalf("recorded: %+v", r)
	}
	// The region's facts agree, and P2 (no visit) does not meet it.
	all, err := db.ComplianceFacts(ctx, f.region.ID, f.year, day)
	must(t, err)
	if len(all[f.p1.ID].Visits) != 1 || len(all[f.p2.ID].Visits) != 0 {
		t.Fatalf("region facts: %+v / %+v", all[f.p1.ID].Visits, all[f.p2.ID])
	}
}
