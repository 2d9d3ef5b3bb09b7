package mtvp

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func planRegioplan() *Regioplan {
	return &Regioplan{ID: 1, RegionID: 1, Year: 2026, Interventions: []Intervention{
		{ID: 10, Code: "A.1", Title: "Triage", Element: ElementA, Mandatory: true},
		{ID: 11, Code: "A.2", Title: "Flexibele consultduur", Element: ElementA},
		{ID: 20, Code: "B.1", Title: "Wijkteam", Element: ElementB},
		{ID: 40, Code: "D.1", Title: "Positieve gezondheid", Element: ElementD, Mandatory: true},
	}}
}

func TestMTVPYear(t *testing.T) {
	for _, c := range []struct {
		joined string
		year   int
		want   int
	}{
		{"", 2026, 0},
		{"2027-01-01", 2026, 0},
		{"2026-01-01", 2026, 1},
		{"2026-11-30", 2026, 1},
		{"2025-01-15", 2026, 2},
		{"2024-10-01", 2025, 2}, // Q4 2024 + 4 quarters = Q4 2025 starts year 2
		{"2024-07-01", 2025, 2},
		{"2024-03-31", 2026, 3},
	} {
		var d Date
		if c.joined != "" {
			d = MustDate(c.joined)
		}
		if got := MTVPYear(d, c.year); got != c.want {
			t.Errorf("MTVPYear(%s, %d) = %d, want %d", c.joined, c.year, got, c.want)
		}
	}
}

func TestNormalizePlanKeepsMandatoryAndRegioplanOrder(t *testing.T) {
	rp := planRegioplan()
	c := PlanContent{Ambition: "  Meer tijd  ", Items: []PlanItem{
		{InterventionID: 20, Goal: " samen ", Actions: []PlanAction{{Description: "Overleg", Owner: "Anouk"}, {}}},
		{InterventionID: 99, Goal: "not offered"},
		{InterventionID: 20, Goal: "duplicate"},
	}}
	NormalizePlan(&c, rp)
	var codes []string
	for _, it := range c.Items {
		codes = append(codes, it.Code)
	}
	if want := []string{"A.1", "B.1", "D.1"}; !reflect.DeepEqual(codes, want) {
		t.Fatalf("items %v, want %v", codes, want)
	}
	if c.Ambition != "Meer tijd" || c.Items[1].Goal != "samen" || !c.Items[0].Mandatory || c.Items[1].Title != "Wijkteam" {
		t.Fatalf("not normalised: %+v", c)
	}
	if len(c.Items[1].Actions) != 1 || c.Items[1].Actions[0].Status != ActionPlanned {
		t.Fatalf("actions: %+v", c.Items[1].Actions)
	}
}

func TestValidatePlan(t *testing.T) {
	c := PlanContent{Items: []PlanItem{{Code: "A.1", Actions: []PlanAction{
		{Description: "", Status: ActionPlanned},
		{Description: "x", Status: "raar", Start: MustDate("2026-03-01"), End: MustDate("2026-02-01")},
	}}}}
	fe := FieldErrorsOf(ValidatePlan(&c))
	want := FieldErrors{
		"items.A.1.actions.0.description": "err.required",
		"items.A.1.actions.1.status":      "plan.err.action_status",
		"items.A.1.actions.1.end":         "plan.err.end_before_start",
	}
	if !reflect.DeepEqual(fe, want) {
		t.Fatalf("got %v want %v", fe, want)
	}
	c.Items[0].Actions = c.Items[0].Actions[:0]
	if err := ValidatePlan(&c); err != nil {
		t.Fatal(err)
	}
}

func TestCheckStep(t *testing.T) {
	rp := planRegioplan()
	full := PlanContent{Items: []PlanItem{
		{InterventionID: 10, Code: "A.1", Element: ElementA},
		{InterventionID: 40, Code: "D.1", Element: ElementD},
	}}
	agreed := []Agreement{{PersonID: 1, Name: "Anouk"}}
	day := MustDate("2026-03-01")
	rules := PlanRules{Regioplan: rp}
	for _, c := range []struct {
		name  string
		v     *PlanVersion
		step  PlanStep
		rules PlanRules
		want  string // "" = allowed
	}{
		{"share concept", &PlanVersion{Status: PlanConcept}, StepShare, rules, ""},
		{"share twice", &PlanVersion{Status: PlanDiscussion}, StepShare, rules, "plan.err.step_from.concept"},
		{"share final", &PlanVersion{Status: PlanFinal}, StepShare, rules, "plan.err.step_from.concept"},
		{"back", &PlanVersion{Status: PlanDiscussion}, StepBack, rules, ""},
		{"back from concept", &PlanVersion{Status: PlanConcept}, StepBack, rules, "plan.err.step_from.in_bespreking"},
		{"edit concept", &PlanVersion{Status: PlanConcept}, StepEdit, rules, ""},
		{"edit in discussion", &PlanVersion{Status: PlanDiscussion}, StepEdit, rules, "plan.err.step_from.concept"},
		{"edit final", &PlanVersion{Status: PlanFinal}, StepEdit, rules, "plan.err.step_from.concept"},
		{"agree in discussion", &PlanVersion{Status: PlanDiscussion}, StepAgree, rules, ""},
		{"agree concept", &PlanVersion{Status: PlanConcept}, StepAgree, rules, "plan.err.step_from.in_bespreking"},
		{"finalise concept", &PlanVersion{Status: PlanConcept, Content: full, DiscussedOn: day, Agreed: agreed}, StepFinalise, rules, "plan.err.step_from.in_bespreking"},
		{"finalise ok", &PlanVersion{Status: PlanDiscussion, Content: full, DiscussedOn: day, Agreed: agreed}, StepFinalise, rules, ""},
		{"finalise missing mandatory", &PlanVersion{Status: PlanDiscussion, Content: PlanContent{Items: full.Items[:1]}, DiscussedOn: day, Agreed: agreed}, StepFinalise, rules, "plan.err.mandatory_missing"},
		{"finalise below minimum", &PlanVersion{Status: PlanDiscussion, Content: full, DiscussedOn: day, Agreed: agreed}, StepFinalise,
			PlanRules{Regioplan: rp, MinPerElement: map[Element]int{ElementB: 1}}, "plan.err.min_per_element"},
		{"finalise minimum met", &PlanVersion{Status: PlanDiscussion, Content: full, DiscussedOn: day, Agreed: agreed}, StepFinalise,
			PlanRules{Regioplan: rp, MinPerElement: map[Element]int{ElementA: 1, ElementD: 1}}, ""},
		{"finalise undiscussed", &PlanVersion{Status: PlanDiscussion, Content: full, Agreed: agreed}, StepFinalise, rules, "plan.err.not_discussed"},
		{"finalise nobody agreed", &PlanVersion{Status: PlanDiscussion, Content: full, DiscussedOn: day}, StepFinalise, rules, "plan.err.no_agreement"},
		{"finalise twice", &PlanVersion{Status: PlanFinal, Content: full, DiscussedOn: day, Agreed: agreed}, StepFinalise, rules, "plan.err.step_from.in_bespreking"},
		{"revise final", &PlanVersion{Status: PlanFinal}, StepRevise, rules, ""},
		{"revise concept", &PlanVersion{Status: PlanConcept}, StepRevise, rules, "plan.err.step_from.definitief"},
		{"unknown step", &PlanVersion{Status: PlanConcept}, "vliegen", rules, "plan.err.step_unknown"},
		{"no version", nil, StepShare, rules, "plan.err.no_version"},
	} {
		got := CheckStep(c.v, c.step, c.rules)
		key := ""
		if got != nil {
			key = got.Key
		}
		if key != c.want {
			t.Errorf("%s: got %q want %q", c.name, key, c.want)
		}
	}
	// The reasons name what is missing.
	r := CheckStep(&PlanVersion{Status: PlanDiscussion, Content: PlanContent{Items: full.Items[:1]}}, StepFinalise, rules)
	if !strings.Contains(strings.Join(r.Args, ""), "D.1 Positieve gezondheid") {
		t.Errorf("reason lacks the intervention: %v", r.Args)
	}
	r = CheckStep(&PlanVersion{Status: PlanDiscussion, Content: full}, StepFinalise, PlanRules{Regioplan: rp, MinPerElement: map[Element]int{ElementB: 2}})
	if !strings.Contains(strings.Join(r.Args, ""), "B Samenwerken met het netwerk: 0/2") {
		t.Errorf("reason lacks the element: %v", r.Args)
	}
	if e := r.Err(); ErrorCode(e) != EINVALID || ErrorMessage(e) != "plan.err.min_per_element" || len(StepArgs(e)) != 1 {
		t.Errorf("error: %+v", e)
	}
}

func TestValidateAgreement(t *testing.T) {
	today := MustDate("2026-03-10")
	staff := map[int64]string{1: "Anouk", 2: "Bram"}
	if err := ValidateAgreement(MustDate("2026-03-09"), []int64{1, 2}, staff, today); err != nil {
		t.Fatal(err)
	}
	fe := FieldErrorsOf(ValidateAgreement(MustDate("2026-03-11"), []int64{3}, staff, today))
	if fe["discussed_on"] != "plan.err.date_future" || fe["agreed"] != "plan.err.agreed_not_staff" {
		t.Fatal(fe)
	}
	fe = FieldErrorsOf(ValidateAgreement(Date{}, nil, staff, today))
	if fe["discussed_on"] != "err.required" || fe["agreed"] != "plan.err.no_agreement" {
		t.Fatal(fe)
	}
}

func TestDiffPlan(t *testing.T) {
	a := PlanContent{Ambition: "Rust", Items: []PlanItem{
		{Code: "A.1", Title: "Triage", Goal: "g1", Actions: []PlanAction{{Description: "Cursus", Owner: "Anouk", Status: ActionPlanned}}},
		{Code: "B.1", Title: "Wijkteam", Notes: "n"},
	}}
	b := PlanContent{Ambition: "Rust en ruimte", Items: []PlanItem{
		{Code: "A.1", Title: "Triage", Goal: "g1", Actions: []PlanAction{
			{Description: "Cursus", Owner: "Bram", Status: ActionDone},
			{Description: "Evaluatie", Start: MustDate("2026-05-01"), Status: ActionPlanned}}},
		{Code: "D.1", Title: "PG", Goal: "gezond"},
	}}
	got := DiffPlan(a, b)
	want := []PlanChange{
		{Field: "ambition", Old: "Rust", New: "Rust en ruimte"},
		{Section: "A.1", Title: "Triage", Field: "owner", Action: 1, Old: "Anouk", New: "Bram"},
		{Section: "A.1", Title: "Triage", Field: "status", Action: 1, Old: "gepland", New: "afgerond"},
		{Section: "A.1", Title: "Triage", Field: "description", Action: 2, New: "Evaluatie"},
		{Section: "A.1", Title: "Triage", Field: "start", Action: 2, New: "1 mei 2026"},
		{Section: "A.1", Title: "Triage", Field: "status", Action: 2, New: "gepland"},
		{Section: "D.1", Title: "PG", Field: "item", New: "D.1 PG"},
		{Section: "D.1", Title: "PG", Field: "goal", New: "gezond"},
		{Section: "B.1", Title: "Wijkteam", Field: "item", Old: "B.1 Wijkteam"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("diff\n got %+v\nwant %+v", got, want)
	}
	if d := DiffPlan(a, a); len(d) != 0 {
		t.Fatalf("same content differs: %v", d)
	}
}

func TestNextYearContent(t *testing.T) {
	prev := PlanContent{Ambition: "Rust", Items: []PlanItem{
		{InterventionID: 10, Code: "A.1", Goal: "g", Actions: []PlanAction{
			{Description: "klaar", Status: ActionDone}, {Description: "loopt", Status: ActionBusy},
			{Description: "later", Status: ActionPlanned}, {Description: "weg", Status: ActionCanceled}}},
		{InterventionID: 30, Code: "C.1", Goal: "no longer offered"},
	}}
	next := &Regioplan{Year: 2027, Interventions: []Intervention{
		{ID: 110, Code: "A.1", Title: "Triage", Element: ElementA},
		{ID: 140, Code: "D.1", Title: "PG", Element: ElementD, Mandatory: true},
	}}
	c := NextYearContent(prev, next)
	if c.Ambition != "Rust" || len(c.Items) != 2 || c.Items[0].InterventionID != 110 || c.Items[1].Code != "D.1" {
		t.Fatalf("%+v", c)
	}
	var open []string
	for _, a := range c.Items[0].Actions {
		open = append(open, a.Description)
	}
	if !reflect.DeepEqual(open, []string{"loopt", "later"}) {
		t.Fatalf("carried %v", open)
	}
}

func TestFinalFactAt(t *testing.T) {
	rp := planRegioplan()
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	p := &Plan{PracticeID: 7, Year: 2026, Versions: []PlanVersion{
		{Number: 1, Status: PlanFinal, FinalisedAt: at("2026-02-10T10:00:00Z"), Content: PlanContent{Items: []PlanItem{{InterventionID: 10}}}},
		{Number: 2, Status: PlanFinal, FinalisedAt: at("2026-04-01T10:00:00Z"), Content: PlanContent{Items: []PlanItem{{InterventionID: 10}, {InterventionID: 40}}}},
		{Number: 3, Status: PlanConcept},
	}}
	for _, c := range []struct {
		day     string
		number  int
		ok      bool
		missing int
	}{
		{"2026-02-09", 0, false, 0},
		{"2026-02-10", 1, false, 1}, // final that day, but D.1 missing
		{"2026-03-31", 1, false, 1},
		{"2026-04-01", 2, true, 0},
		{"2026-12-31", 2, true, 0},
	} {
		f := p.FinalFactAt(MustDate(c.day), time.UTC)
		ok, miss := f.FinalWithMandatory(rp)
		if f.Number != c.number || ok != c.ok || len(miss) != c.missing {
			t.Errorf("%s: number %d ok %v missing %v", c.day, f.Number, ok, miss)
		}
	}
	if p.Current().Number != 2 || p.Latest().Number != 3 || p.Status() != PlanConcept {
		t.Fatal("current/latest")
	}
}

func TestPlanAccess(t *testing.T) {
	pr := &Practice{ID: 11, RegionID: 1, ConsultantID: 100}
	other := &Practice{ID: 12, RegionID: 1}
	consultant := &User{ID: 100, Grants: []Grant{{Role: AccountConsultant, RegionID: 1}}}
	otherConsultant := &User{ID: 99, Grants: []Grant{{Role: AccountConsultant, RegionID: 1}}}
	practice := &User{ID: 101, Grants: []Grant{{Role: AccountPractice, RegionID: 1, PracticeID: 11}}}
	funder := &User{ID: 103, Grants: []Grant{{Role: AccountFunder, RegionID: 1}}}
	admin := &User{ID: 104, Grants: []Grant{{Role: AccountRegionAdmin, RegionID: 1}}}
	adminB := &User{ID: 105, Grants: []Grant{{Role: AccountRegionAdmin, RegionID: 2}}}
	for _, c := range []struct {
		name             string
		u                *User
		p                *Practice
		see, edit, reply bool
	}{
		{"practice own", practice, pr, true, true, true},
		{"practice other", practice, other, false, false, false},
		{"consultant own", consultant, pr, true, false, true},
		{"consultant not own", otherConsultant, pr, false, false, false},
		{"funder", funder, pr, false, false, false},
		{"admin", admin, pr, true, true, true},
		{"admin other region", adminB, pr, false, false, false},
		{"nobody", nil, pr, false, false, false},
	} {
		if got := [3]bool{c.u.CanSeePlan(c.p), c.u.CanEditPlan(c.p), c.u.CanCommentPlan(c.p)}; got != [3]bool{c.see, c.edit, c.reply} {
			t.Errorf("%s: see/edit/comment = %v", c.name, got)
		}
	}
	if funder.CanListPlans(1) || !consultant.CanListPlans(1) || !admin.CanListPlans(1) || practice.CanListPlans(1) {
		t.Error("CanListPlans")
	}
}
