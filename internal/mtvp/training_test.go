package mtvp

import (
	"strings"
	"testing"
)

func TestRequiredCount(t *testing.T) {
	for _, c := range []struct {
		th   float64
		n    int
		want int
	}{
		{0.5, 0, 0}, {0.5, 1, 1}, {0.5, 2, 1}, {0.5, 3, 2}, {0.5, 5, 3}, {0.5, 6, 3},
		{0.3, 10, 3}, {0.7, 10, 7}, {1, 4, 4}, {0, 4, 0}, {0.1, 3, 1},
	} {
		if got := RequiredCount(c.th, c.n); got != c.want {
			t.Errorf("RequiredCount(%v, %d) = %d, want %d", c.th, c.n, got, c.want)
		}
	}
}

func member(person int64, name string, role StaffRole, from, to string) StaffMember {
	m := StaffMember{Membership: Membership{PersonID: person, Role: role, From: MustDate(from)}, Person: Person{ID: person, Name: name}}
	if to != "" {
		m.To = MustDate(to)
	}
	return m
}

func TestEvaluateTrainingNorms(t *testing.T) {
	s := DefaultNormSettings()
	ref := MustDate("2025-06-30")
	staff := []StaffMember{
		member(1, "Anna", RoleDoktersassistent, "2020-01-01", ""),
		member(2, "Bep", RoleDoktersassistent, "2020-01-01", ""),
		member(3, "Cor", RoleDoktersassistent, "2020-01-01", ""),
		member(4, "Dirk", RolePraktijkhouder, "2010-01-01", ""),
		member(5, "Eva", RoleDoktersassistent, "2020-01-01", "2025-01-31"), // ended
		member(6, "Fien", RolePOHGGZ, "2020-01-01", ""),                    // not counted
	}
	done := func(person int64, on string, target TargetGroup) Completion {
		return Completion{PersonID: person, CompletedOn: MustDate(on), Target: target, TrainingTitle: "Triage"}
	}
	claim := func(person int64, on, theme string, st ClaimStatus) Claim {
		return Claim{PersonID: person, CompletedOn: MustDate(on), Theme: theme, Status: st, Title: "Elders"}
	}
	cases := []struct {
		name              string
		facts             TrainingFacts
		ref               Date
		norm              Requirement
		den, req, act, pd int
		na                bool
	}{
		{"3 assistants need 2, none trained", TrainingFacts{Staff: staff}, ref, ReqAssistantTraining, 3, 2, 0, 0, false},
		{"completion counts", TrainingFacts{Staff: staff, Completions: []Completion{done(1, "2024-03-01", TargetAssistants), done(2, "2024-03-01", TargetBoth)}}, ref, ReqAssistantTraining, 3, 2, 2, 0, false},
		{"GP-only training does not count for assistants", TrainingFacts{Staff: staff, Completions: []Completion{done(1, "2024-03-01", TargetGPs)}}, ref, ReqAssistantTraining, 3, 2, 0, 0, false},
		{"reference date before completion", TrainingFacts{Staff: staff, Completions: []Completion{done(1, "2025-07-01", TargetAssistants)}}, ref, ReqAssistantTraining, 3, 2, 0, 0, false},
		{"completion on the reference date counts", TrainingFacts{Staff: staff, Completions: []Completion{done(1, "2025-06-30", TargetAssistants)}}, ref, ReqAssistantTraining, 3, 2, 1, 0, false},
		{"ended membership not counted, nor its training", TrainingFacts{Staff: staff, Completions: []Completion{done(5, "2024-03-01", TargetAssistants)}}, ref, ReqAssistantTraining, 3, 2, 0, 0, false},
		{"ended membership counted before its end", TrainingFacts{Staff: staff, Completions: []Completion{done(5, "2024-03-01", TargetAssistants)}}, MustDate("2025-01-15"), ReqAssistantTraining, 4, 2, 1, 0, false},
		{"approved claim counts", TrainingFacts{Staff: staff, Claims: []Claim{claim(1, "2023-01-10", ThemeSOH, ClaimApproved)}}, ref, ReqAssistantTraining, 3, 2, 1, 0, false},
		{"pending claim is pending", TrainingFacts{Staff: staff, Claims: []Claim{claim(1, "2023-01-10", ThemeTriage, ClaimPending)}}, ref, ReqAssistantTraining, 3, 2, 0, 1, false},
		{"rejected claim never counts", TrainingFacts{Staff: staff, Claims: []Claim{claim(1, "2023-01-10", ThemeTriage, ClaimRejected)}}, ref, ReqAssistantTraining, 3, 2, 0, 0, false},
		{"claim before cut-off does not count", TrainingFacts{Staff: staff, Claims: []Claim{claim(1, "2022-08-31", ThemeTriage, ClaimApproved)}}, ref, ReqAssistantTraining, 3, 2, 0, 0, false},
		{"claim on the cut-off counts", TrainingFacts{Staff: staff, Claims: []Claim{claim(1, "2022-09-01", ThemeTriage, ClaimApproved)}}, ref, ReqAssistantTraining, 3, 2, 1, 0, false},
		{"claim theme not qualifying for GPs", TrainingFacts{Staff: staff, Claims: []Claim{claim(4, "2023-01-10", ThemeTriage, ClaimApproved)}}, ref, ReqGPTraining, 1, 1, 0, 0, false},
		{"GP claim on positive health", TrainingFacts{Staff: staff, Claims: []Claim{claim(4, "2023-01-10", ThemePositiveHealth, ClaimApproved)}}, ref, ReqGPTraining, 1, 1, 1, 0, false},
		{"met person with pending claim is not pending", TrainingFacts{Staff: staff, Completions: []Completion{done(1, "2024-03-01", TargetAssistants)}, Claims: []Claim{claim(1, "2023-01-10", ThemeTriage, ClaimPending)}}, ref, ReqAssistantTraining, 3, 2, 1, 0, false},
		{"no GPs: not applicable", TrainingFacts{Staff: staff[:3]}, ref, ReqGPTraining, 0, 0, 0, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := TrainingNorm(EvaluateTrainingNorms(c.facts, s, c.ref), c.norm)
			if r.Denominator != c.den || r.Required != c.req || r.Actual != c.act || r.Pending != c.pd || r.NotApplicable != c.na {
				t.Fatalf("got den %d req %d act %d pending %d na %v; want %d %d %d %d %v",
					r.Denominator, r.Required, r.Actual, r.Pending, r.NotApplicable, c.den, c.req, c.act, c.pd, c.na)
			}
			if len(r.People) != r.Denominator {
				t.Fatalf("people %d, denominator %d", len(r.People), r.Denominator)
			}
		})
	}
}

// A locum at two practices counts, with their training, at each.
func TestTrainingNormLocumAtTwoPractices(t *testing.T) {
	s := DefaultNormSettings()
	ref := MustDate("2025-06-30")
	locum := member(9, "Lot", RoleVasteWaarnemer, "2024-01-01", "")
	c := []Completion{{PersonID: 9, CompletedOn: MustDate("2024-05-01"), Target: TargetGPs, TrainingTitle: "Het goede gesprek"}}
	p1 := TrainingFacts{Staff: []StaffMember{locum, member(1, "Dirk", RolePraktijkhouder, "2010-01-01", "")}, Completions: c}
	p2 := TrainingFacts{Staff: []StaffMember{locum}, Completions: c}
	r1 := TrainingNorm(EvaluateTrainingNorms(p1, s, ref), ReqGPTraining)
	r2 := TrainingNorm(EvaluateTrainingNorms(p2, s, ref), ReqGPTraining)
	if r1.Denominator != 2 || r1.Actual != 1 || !r1.Met() {
		t.Fatalf("practice 1: %+v", r1)
	}
	if r2.Denominator != 1 || r2.Actual != 1 || !r2.Met() {
		t.Fatalf("practice 2: %+v", r2)
	}
	// Two memberships of one person at the same practice count once.
	p1.Staff = append(p1.Staff, member(9, "Lot", RolePraktijkhouder, "2024-06-01", ""))
	if r := TrainingNorm(EvaluateTrainingNorms(p1, s, ref), ReqGPTraining); r.Denominator != 2 {
		t.Fatalf("person counted twice: %+v", r)
	}
	var who []string
	for _, p := range r1.People {
		who = append(who, p.Name+":"+map[bool]string{true: "ja", false: "nee"}[p.Met])
	}
	if strings.Join(who, ",") != "Dirk:nee,Lot:ja" {
		t.Fatalf("who counts: %v", who)
	}
}

func TestValidateClaim(t *testing.T) {
	s := DefaultNormSettings()
	today := MustDate("2025-06-30")
	assistant := []StaffRole{RoleDoktersassistent}
	gp := []StaffRole{RolePraktijkhouder}
	cases := []struct {
		name  string
		c     Claim
		roles []StaffRole
		field string
		key   string
	}{
		{"ok assistant SOH", Claim{PersonID: 1, Title: "SOH-cursus", CompletedOn: MustDate("2023-02-01"), Theme: ThemeSOH}, assistant, "", ""},
		{"ok GP positive health", Claim{PersonID: 1, Title: "PG", CompletedOn: MustDate("2022-09-01"), Theme: ThemePositiveHealth}, gp, "", ""},
		{"before cut-off", Claim{PersonID: 1, Title: "X", CompletedOn: MustDate("2022-08-31"), Theme: ThemeSOH}, assistant, "completed_on", "training.err.claim_before_cutoff"},
		{"future", Claim{PersonID: 1, Title: "X", CompletedOn: MustDate("2025-07-01"), Theme: ThemeSOH}, assistant, "completed_on", "training.err.date_future"},
		{"theme not for GP", Claim{PersonID: 1, Title: "X", CompletedOn: MustDate("2023-02-01"), Theme: ThemeTriage}, gp, "theme", "training.err.claim_theme_role"},
		{"SOLK not for assistants", Claim{PersonID: 1, Title: "X", CompletedOn: MustDate("2023-02-01"), Theme: ThemeSOLK}, assistant, "theme", "training.err.claim_theme_role"},
		{"POH has no norm", Claim{PersonID: 1, Title: "X", CompletedOn: MustDate("2023-02-01"), Theme: ThemeSOH}, []StaffRole{RolePOHGGZ}, "theme", "training.err.claim_theme_role"},
		{"person outside the practice", Claim{PersonID: 1, Title: "X", CompletedOn: MustDate("2023-02-01"), Theme: ThemeSOH}, nil, "person", "training.err.claim_person_outside"},
		{"title missing", Claim{PersonID: 1, CompletedOn: MustDate("2023-02-01"), Theme: ThemeSOH}, assistant, "title", "err.required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.c.Normalize()
			err := ValidateClaim(&c.c, c.roles, s, today)
			if c.field == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			if got := FieldErrorsOf(err)[c.field]; got != c.key {
				t.Fatalf("%s: got %q want %q (%v)", c.field, got, c.key, err)
			}
		})
	}
	// A region's own cut-off and themes apply.
	s.PriorLearningCutoff = MustDate("2024-01-01")
	s.GPThemes = []string{ThemeSOLK}
	c := Claim{PersonID: 1, Title: "X", CompletedOn: MustDate("2023-06-01"), Theme: "solk"}
	if FieldErrorsOf(ValidateClaim(&c, gp, s, today))["completed_on"] != "training.err.claim_before_cutoff" {
		t.Fatal("region cut-off ignored")
	}
	c.CompletedOn = MustDate("2024-06-01")
	if err := ValidateClaim(&c, gp, s, today); err != nil {
		t.Fatalf("region GP theme (case-insensitive): %v", err)
	}
}

func TestValidateDecisionAndEvidence(t *testing.T) {
	if ValidateDecision(ClaimApproved, "") != nil {
		t.Fatal("approve without reason refused")
	}
	if FieldErrorsOf(ValidateDecision(ClaimRejected, " "))["reason"] != "training.err.reason_required" {
		t.Fatal("reject without reason accepted")
	}
	if FieldErrorsOf(ValidateDecision(ClaimPending, ""))["decision"] == "" {
		t.Fatal("pending as a decision accepted")
	}
	for in, want := range map[string]string{
		"%PDF-1.7\n": "application/pdf", "\x89PNG\r\n\x1a\nxxxx": "image/png", "\xff\xd8\xff\xe0": "image/jpeg",
		"<html>": "", "MZ\x90\x00": "", "": "",
	} {
		if got := SniffEvidence([]byte(in)); got != want {
			t.Errorf("SniffEvidence(%q) = %q want %q", in, got, want)
		}
	}
}

func TestTrainingAndSessionValidation(t *testing.T) {
	tr := Training{Title: " Triage ", Target: TargetAssistants, Themes: []string{"triage", " Triage", ""}, Register: RegisterKABIZ, Points: 4}
	tr.Normalize()
	if err := tr.Validate(DefaultThemes); err != nil || len(tr.Themes) != 1 {
		t.Fatalf("valid training: %v %v", err, tr.Themes)
	}
	bad := Training{Target: "iedereen", Themes: []string{"koken"}, Register: RegisterNone, Points: 2}
	bad.Normalize()
	f := FieldErrorsOf(bad.Validate(DefaultThemes))
	for field, key := range map[string]string{"title": "err.required", "target": "err.required", "themes": "training.err.theme_unknown", "points": "training.err.points_without_register"} {
		if f[field] != key {
			t.Errorf("%s: got %q want %q", field, f[field], key)
		}
	}
	s := TrainingSession{Dates: []Date{MustDate("2025-03-10"), MustDate("2025-02-01"), MustDate("2025-03-10")}, StartTime: "13:00", EndTime: "12:00", Capacity: 0}
	s.Normalize()
	if len(s.Dates) != 2 || !s.FirstDate().Equal(MustDate("2025-02-01")) {
		t.Fatalf("dates: %v", s.Dates)
	}
	f = FieldErrorsOf(s.Validate())
	for field, key := range map[string]string{"end_time": "training.err.end_before_start", "place": "training.err.place_required", "capacity": "training.err.capacity_range"} {
		if f[field] != key {
			t.Errorf("%s: got %q want %q", field, f[field], key)
		}
	}
	s.Online, s.Capacity, s.EndTime = true, 12, "16:00"
	if err := s.Validate(); err != nil {
		t.Fatalf("online session: %v", err)
	}
	if FieldErrorsOf(ValidateCompletion(MustDate("2025-01-01"), s, MustDate("2025-06-01")))["completed_on"] != "training.err.completed_before_session" {
		t.Error("completion before session accepted")
	}
}

func TestTrainingAccess(t *testing.T) {
	p := &Practice{ID: 10, RegionID: 1, ConsultantID: 7}
	consultant := &User{ID: 7, Grants: []Grant{{Role: AccountConsultant, RegionID: 1}}}
	other := &User{ID: 8, Grants: []Grant{{Role: AccountConsultant, RegionID: 1}}}
	foreign := &User{ID: 7, Grants: []Grant{{Role: AccountConsultant, RegionID: 2}}}
	admin := &User{ID: 3, Grants: []Grant{{Role: AccountRegionAdmin, RegionID: 1}}}
	practice := &User{ID: 4, Grants: []Grant{{Role: AccountPractice, RegionID: 1, PracticeID: 10}}}
	if !consultant.CanDecideClaim(p) || other.CanDecideClaim(p) || foreign.CanDecideClaim(p) || practice.CanDecideClaim(p) || admin.CanDecideClaim(p) {
		t.Fatal("only the practice's own consultant decides")
	}
	noConsultant := &Practice{ID: 11, RegionID: 1}
	if !admin.CanDecideClaim(noConsultant) || consultant.CanDecideClaim(noConsultant) {
		t.Fatal("region admin decides when the practice has no consultant")
	}
	if !practice.CanSubmitClaim(p) || consultant.CanSubmitClaim(p) || !practice.CanEnrol(p) {
		t.Fatal("practice submits and enrols its own")
	}
	reg := &Region{ID: 1}
	funder := &User{ID: 5, Grants: []Grant{{Role: AccountFunder, RegionID: 1}}}
	if funder.CanSeeParticipation(reg) || !admin.CanSeeParticipation(reg) {
		t.Fatal("participation lists")
	}
	reg.ShareParticipation = true
	if !funder.CanSeeParticipation(reg) {
		t.Fatal("shared participation lists")
	}
}

func TestCountsFor(t *testing.T) {
	s := DefaultNormSettings()
	on := MustDate("2024-01-01")
	for _, c := range []struct {
		role    StaffRole
		byClaim bool
		target  TargetGroup
		theme   string
		on      Date
		want    int
	}{
		{RoleDoktersassistent, false, TargetAssistants, "", on, 1},
		{RoleDoktersassistent, false, TargetGPs, "", on, 0},
		{RolePraktijkhouder, false, TargetBoth, "", on, 1},
		{RolePOHGGZ, false, TargetBoth, "", on, 0},
		{RoleDoktersassistent, true, "", ThemeSOH, on, 1},
		{RoleDoktersassistent, true, "", ThemeSOH, MustDate("2022-08-31"), 0},
		{RoleVasteWaarnemer, true, "", ThemeTriage, on, 0},
		{RoleVasteWaarnemer, true, "", ThemePositiveHealth, on, 1},
	} {
		if got := CountsFor(c.role, c.byClaim, c.target, c.theme, c.on, s); len(got) != c.want {
			t.Errorf("CountsFor(%s, %v, %s, %s) = %v", c.role, c.byClaim, c.target, c.theme, got)
		}
	}
}
