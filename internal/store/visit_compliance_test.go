package store_test

import (
	"testing"

	"meertijd/internal/mtvp"
)

// TestVisitMeetsAnnualVisitRequirement: the compliance function reads the
// visits: not yet registered before the region has any visit for the
// year, not met while only planned, met once recorded.
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
	if len(all[f.p1.ID].Visits) != 1 || len(all[f.p2.ID].Visits) != 0 || !all[f.p2.ID].VisitsTracked {
		t.Fatalf("region facts: %+v / %+v", all[f.p1.ID].Visits, all[f.p2.ID])
	}
}
