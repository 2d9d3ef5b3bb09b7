package mtvp

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestSuppressCount(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
		hide bool
	}{
		{0, "< 5", true}, // zero says something about every practice
		{1, "< 5", true},
		{4, "< 5", true},
		{5, "5", false},
		{6, "6", false},
		{58, "58", false},
	} {
		c := SuppressCount(tc.n)
		if c.String() != tc.want || c.Suppressed != tc.hide {
			t.Errorf("SuppressCount(%d) = %q (suppressed %v), want %q (%v)", tc.n, c.String(), c.Suppressed, tc.want, tc.hide)
		}
		if c.Suppressed && c.N != 0 {
			t.Errorf("SuppressCount(%d) keeps the value %d", tc.n, c.N)
		}
	}
}

func TestSuppressShare(t *testing.T) {
	for _, tc := range []struct {
		name       string
		met, of    int
		bound      string
		metShown   int
		percent    int
		ofHidden   bool
		metHidden  bool
		aboveFloor int
	}{
		{"normal", 41, 58, ShareExact, 41, 71, false, false, 0},
		{"exactly five each way", 5, 10, ShareExact, 5, 50, false, false, 0},
		{"few meet", 4, 58, ShareBelow, 0, 0, false, true, 0},
		{"none meet", 0, 58, ShareBelow, 0, 0, false, true, 0},
		{"few do not meet", 55, 58, ShareAbove, 0, 0, false, true, 53},
		{"all meet", 58, 58, ShareAbove, 0, 0, false, true, 53},
		{"tiny region", 3, 4, ShareNone, 0, 0, true, true, 0},
		{"empty", 0, 0, ShareNone, 0, 0, true, true, 0},
		{"small on both sides", 4, 8, ShareBelow, 0, 0, false, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := SuppressShare(tc.met, tc.of)
			if s.Bound != tc.bound || s.Met.N != tc.metShown || s.Percent != tc.percent || s.Of.Suppressed != tc.ofHidden || s.Met.Suppressed != tc.metHidden {
				t.Errorf("SuppressShare(%d, %d) = %+v", tc.met, tc.of, s)
			}
			if tc.bound == ShareAbove && s.AboveFloor() != tc.aboveFloor {
				t.Errorf("AboveFloor = %d, want %d", s.AboveFloor(), tc.aboveFloor)
			}
			if !s.Of.Suppressed && s.Of.N != tc.of {
				t.Errorf("total %d shown as %d", tc.of, s.Of.N)
			}
		})
	}
}

func TestQuarters(t *testing.T) {
	q, ok := ParseQuarter("2026-q3")
	if !ok || q != (Quarter{2026, 3}) || q.String() != "2026-Q3" {
		t.Fatalf("ParseQuarter: %v %v", q, ok)
	}
	if q.Start() != MustDate("2026-07-01") || q.End() != MustDate("2026-09-30") {
		t.Errorf("Q3 runs %s – %s", q.Start(), q.End())
	}
	if e := (Quarter{2026, 4}).End(); e != MustDate("2026-12-31") {
		t.Errorf("Q4 ends %s", e)
	}
	for _, bad := range []string{"", "2026", "2026-Q5", "26-Q1", "2026-Q1x"} {
		if _, ok := ParseQuarter(bad); ok {
			t.Errorf("ParseQuarter(%q) accepted", bad)
		}
	}
}

func TestTakesPartIn(t *testing.T) {
	q := Quarter{2026, 2} // April – June
	for _, tc := range []struct {
		name string
		p    Participant
		want bool
	}{
		{"active, started before", Participant{Practice: Practice{Status: PracticeActive, JoinedOn: MustDate("2025-01-01")}}, true},
		{"active, starts on the last day", Participant{Practice: Practice{Status: PracticeActive, JoinedOn: MustDate("2026-06-30")}}, true},
		{"active, starts next quarter", Participant{Practice: Practice{Status: PracticeActive, JoinedOn: MustDate("2026-07-01")}}, false},
		{"signed up only", Participant{Practice: Practice{Status: PracticeInterested, JoinedOn: MustDate("2025-01-01")}}, false},
		{"no start date", Participant{Practice: Practice{Status: PracticeActive}}, false},
		{"stopped during the quarter", Participant{Practice: Practice{Status: PracticeStopped, JoinedOn: MustDate("2025-01-01")}, StoppedOn: MustDate("2026-05-15")}, true},
		{"stopped before the quarter", Participant{Practice: Practice{Status: PracticeStopped, JoinedOn: MustDate("2025-01-01")}, StoppedOn: MustDate("2026-03-31")}, false},
	} {
		if got := tc.p.TakesPartIn(q); got != tc.want {
			t.Errorf("%s: TakesPartIn = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func participants(n int, joined string, patients int, firstID int64) []Participant {
	var out []Participant
	for i := 0; i < n; i++ {
		out = append(out, Participant{Practice: Practice{ID: firstID + int64(i), Name: "P", Status: PracticeActive, JoinedOn: MustDate(joined), RegisteredPatients: patients}})
	}
	return out
}

func TestBuildFunderFigures(t *testing.T) {
	region := Region{Code: "r", Name: "Regio", Settings: DefaultNormSettings()}
	ps := append(participants(6, "2025-10-01", 2000, 1), participants(2, "2026-02-01", 3000, 100)...)
	ps = append(ps, participants(6, "2026-04-01", 1000, 200)...)
	in := FunderInput{Region: region, Year: 2026, Ref: MustDate("2026-03-31"), Today: MustDate("2026-03-31"), Participants: ps,
		PlanStatus: map[int64]PlanStatus{1: PlanFinal, 2: PlanFinal, 3: PlanFinal, 4: PlanFinal, 5: PlanFinal, 6: PlanConcept}}
	// 8 practices take part on March 31: 6 + 2.
	for id := range map[int64]bool{1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 100: true, 101: true} {
		st := Standing{PracticeID: id, Compliant: id <= 5, Requirements: []RequirementResult{
			{Code: ReqIntervision, Status: StatusMet},
			{Code: ReqAssistantTraining, Status: map[bool]ComplianceStatus{true: StatusMet, false: StatusNotMet}[id <= 5]},
			{Code: ReqGPTraining, Status: StatusNotApplicable},
			{Code: ReqFinalPlan, Status: StatusNotMet},
			{Code: ReqAnnualVisit, Status: StatusNotRecorded},
		}}
		in.Standings = append(in.Standings, st)
	}
	in.StandingsAvailable = true
	in.Visits = &VisitCounts{Visited: 7, Planned: 4, NotPlanned: 3}
	f := BuildFunderFigures(in)

	// Q1's 2 starters would follow from 8 − 6 (the running total of
	// 2025-Q4): the quarters of all years are suppressed together, and the
	// cheapest protection hides 2025-Q4 (in the 2025 figures).
	if f.TakingPart.String() != "8" || f.TakingPartPatients.String() != "18000" || !f.TakingPartPatients.Rounded {
		t.Errorf("taking part %s with %s patients", f.TakingPart, f.TakingPartPatients)
	}
	wantQ := []string{"2026-Q1 started < 5 taking 8", "2026-Q2 started 6 taking 14", "2026-Q3 started 0 taking 14", "2026-Q4 started 0 taking 14"}
	for i, q := range f.Quarters {
		if got := q.Quarter.String() + " started " + q.Started.String() + " taking " + q.TakePart.String(); got != wantQ[i] {
			t.Errorf("quarter %d: %q, want %q", i, got, wantQ[i])
		}
	}
	last := in
	last.Year, last.Ref = 2025, MustDate("2025-12-31")
	if q := BuildFunderFigures(last).Quarters[3]; q.Started.String() != "x" || q.TakePart.String() != "x" {
		t.Errorf("2025-Q4 must be hidden: %+v", q)
	}
	plans := map[PlanStatus]string{}
	for _, p := range f.PlanStatuses {
		plans[p.Status] = p.Count.String()
	}
	if plans[PlanFinal] != "5" || plans[PlanConcept] != "< 5" || plans[PlanNone] != "< 5" || plans[PlanDiscussion] != "< 5" {
		t.Errorf("plan statuses %v", plans)
	}
	norms := map[Requirement]NormFigure{}
	for _, n := range f.Norms {
		norms[n.Code] = n
	}
	if s := norms[ReqIntervision].Share; s.Bound != ShareAbove || s.Of.N != 8 {
		t.Errorf("intervision met by all 8: %+v", s)
	}
	if s := norms[ReqAssistantTraining].Share; s.Bound != ShareAbove {
		t.Errorf("assistant training 6 of 8 (2 do not meet): %+v", s)
	}
	if s := norms[ReqGPTraining].Share; s.Bound != ShareNone {
		t.Errorf("GP training applies nowhere: %+v", s)
	}
	if s := norms[ReqFinalPlan].Share; s.Bound != ShareBelow {
		t.Errorf("final plan met by none: %+v", s)
	}
	if !norms[ReqAnnualVisit].NotRecorded {
		t.Errorf("annual visit should be not recorded")
	}
	// 5 of 8 compliant: 3 are not, so only "more than 3 of 8" may be said.
	if f.Compliant.Bound != ShareAbove || f.Compliant.Met.N != 0 || f.Compliant.AboveFloor() != 3 {
		t.Errorf("compliant %+v", f.Compliant)
	}
	if v := f.Visits; v.Visited.String() != "7" || v.Planned.String() != "< 5" || v.NotPlanned.String() != "< 5" || v.Total.String() != "14" {
		t.Errorf("visits %+v", v)
	}
	// Nothing suppressed leaks in the JSON form either.
	b, _ := json.Marshal(f)
	if regexp.MustCompile(`"N":[1-4][,}]`).Match(b) {
		t.Errorf("a small count leaks: %s", b)
	}
}

func TestTopObstacles(t *testing.T) {
	var facts []ObstacleFact
	for i := int64(1); i <= 6; i++ {
		facts = append(facts, ObstacleFact{PracticeID: i, Code: "A.1", Title: "Triagetraining", Text: "Tijdgebrek\n- roostersysteem van het HIS"})
	}
	// The same practice naming it twice counts once.
	facts = append(facts, ObstacleFact{PracticeID: 1, Code: "A.1", Title: "Triagetraining", Text: "tijdgebrek."})
	facts = append(facts, ObstacleFact{PracticeID: 7, Code: "A.1", Text: "Dokter X is langdurig ziek"})
	facts = append(facts, ObstacleFact{PracticeID: 2, Code: "B.2", Text: "wijkteam onbereikbaar; wachtlijst"})
	if got := ObstacleItems(" - a\n• b ; c.\n\n"); strings.Join(got, "|") != "a|b|c" {
		t.Errorf("ObstacleItems: %q", got)
	}
	all := TopObstacles(facts, 2, 0)
	if len(all) != 2 || all[0].Code != "A.1" || len(all[0].Top) != 2 || all[0].Top[0].Count.N != 6 || all[0].Title != "Triagetraining" {
		t.Fatalf("all: %+v", all)
	}
	// For funders: only items named by at least 5 practices; the single
	// practice's remark and B.2 disappear.
	funder := TopObstacles(facts, 3, SuppressBelow)
	if len(funder) != 1 || len(funder[0].Top) != 2 {
		t.Fatalf("funder: %+v", funder)
	}
	for _, o := range funder[0].Top {
		if strings.Contains(o.Text, "Dokter") {
			t.Errorf("a one-practice remark reaches funders: %q", o.Text)
		}
	}
}
