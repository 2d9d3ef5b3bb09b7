package mtvp

import "testing"

func TestStandingOfVisits(t *testing.T) {
	d := MustDate
	visits := []Visit{
		{ID: 1, Year: 2025, Status: VisitDone, VisitedOn: d("2025-03-01")},
		{ID: 2, Year: 2026, Status: VisitCancelled, PlannedOn: d("2026-02-01")},
		{ID: 3, Year: 2026, Status: VisitPlanned, PlannedOn: d("2026-05-10")},
	}
	for _, tc := range []struct {
		name    string
		visits  []Visit
		year    int
		today   string
		state   VisitState
		id      int64
		overdue bool
	}{
		{"planned, date ahead", visits, 2026, "2026-05-01", VisitStatePlanned, 3, false},
		{"planned, on the day", visits, 2026, "2026-05-10", VisitStatePlanned, 3, false},
		{"planned, date passed", visits, 2026, "2026-05-11", VisitStatePlanned, 3, true},
		{"recorded counts, other years ignored", visits, 2025, "2026-05-11", VisitStateVisited, 1, false},
		{"nothing, year young", nil, 2026, "2026-06-01", VisitStateNotPlanned, 0, false},
		{"nothing, 61 days left", nil, 2026, "2026-10-31", VisitStateNotPlanned, 0, false},
		{"nothing, 59 days left", nil, 2026, "2026-11-02", VisitStateNotPlanned, 0, true},
		{"nothing, past year", visits[:1], 2024, "2026-01-10", VisitStateNotPlanned, 0, true},
		{"only cancelled", visits[1:2], 2026, "2026-03-01", VisitStateNotPlanned, 0, false},
	} {
		st := StandingOfVisits(tc.visits, tc.year, d(tc.today), 60)
		var id int64
		if st.Visit != nil {
			id = st.Visit.ID
		}
		if st.State != tc.state || id != tc.id || st.Overdue != tc.overdue {
			t.Errorf("%s: %+v (visit %d)", tc.name, st, id)
		}
	}
}

func TestVisitValidation(t *testing.T) {
	today := MustDate("2026-06-15")
	v := Visit{Year: 2026, PlannedOn: MustDate("2027-01-02"), Status: VisitPlanned}
	if f := FieldErrorsOf(v.ValidatePlanning()); f["planned_on"] != "visit.err.date_outside_year" {
		t.Errorf("planning: %v", f)
	}
	v = Visit{Year: 2026, VisitedOn: MustDate("2026-06-01"), Judgement: " ",
		Findings: []VisitFinding{{InterventionID: 1, Obstacles: "  "}, {InterventionID: 2, GoesWell: "Veel"}},
		Actions:  []VisitAction{{}, {Owner: "Piet"}, {Description: "Evalueren", Due: MustDate("2026-05-01")}}}
	v.NormalizeOutcome()
	if len(v.Findings) != 1 || v.Findings[0].InterventionID != 2 || len(v.Actions) != 2 {
		t.Fatalf("normalised: %+v", v)
	}
	f := FieldErrorsOf(v.ValidateOutcome(today))
	want := map[string]string{"judgement": "visit.err.judgement_required", "actions.0.description": "visit.err.action_description", "actions.1.due": "visit.err.due_before_visit"}
	for k, key := range want {
		if f[k] != key {
			t.Errorf("%s = %q, want %q (all %v)", k, f[k], key, f)
		}
	}
	v.VisitedOn = MustDate("2025-12-31")
	if f := FieldErrorsOf(v.ValidateOutcome(today)); f["visited_on"] != "visit.err.date_outside_year" {
		t.Errorf("visited_on: %v", f)
	}
}

func TestVisitAccess(t *testing.T) {
	const region, other = 1, 2
	p := &Practice{ID: 10, RegionID: region, ConsultantID: 3}
	planned := &Visit{PracticeID: 10, RegionID: region, Status: VisitPlanned}
	done := &Visit{PracticeID: 10, RegionID: region, Status: VisitDone}
	users := map[string]*User{
		"platform":         {ID: 1, Grants: []Grant{{Role: AccountPlatformAdmin}}},
		"admin":            {ID: 2, Grants: []Grant{{Role: AccountRegionAdmin, RegionID: region}}},
		"consultant":       {ID: 3, Grants: []Grant{{Role: AccountConsultant, RegionID: region}}},
		"other consultant": {ID: 4, Grants: []Grant{{Role: AccountConsultant, RegionID: region}}},
		"practice":         {ID: 5, Grants: []Grant{{Role: AccountPractice, RegionID: region, PracticeID: 10}}},
		"other practice":   {ID: 6, Grants: []Grant{{Role: AccountPractice, RegionID: region, PracticeID: 11}}},
		"facilitator":      {ID: 7, Grants: []Grant{{Role: AccountFacilitator, RegionID: region}}},
		"funder":           {ID: 8, Grants: []Grant{{Role: AccountFunder, RegionID: region}}},
		"other region":     {ID: 9, Grants: []Grant{{Role: AccountRegionAdmin, RegionID: other}}},
	}
	type want struct{ manage, seePlanned, seeDone, coverage, mine bool }
	for name, w := range map[string]want{
		"platform":         {true, true, true, true, true},
		"admin":            {true, true, true, true, true},
		"consultant":       {true, true, true, false, true},
		"other consultant": {false, false, false, false, true},
		"practice":         {false, false, true, false, false},
		"other practice":   {false, false, false, false, false},
		"facilitator":      {false, false, false, false, false},
		"funder":           {false, false, false, false, false},
		"other region":     {false, false, false, false, false},
	} {
		u := users[name]
		got := want{u.CanManageVisits(p), u.CanSeeVisit(p, planned), u.CanSeeVisit(p, done), u.CanSeeVisitCoverage(region), u.CanSeeMyVisits(region)}
		if got != w {
			t.Errorf("%s: %+v, want %+v", name, got, w)
		}
	}
}
