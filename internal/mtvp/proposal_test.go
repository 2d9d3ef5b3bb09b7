package mtvp

import "testing"

func TestProposalTransition(t *testing.T) {
	cases := []struct {
		from ProposalStatus
		act  ProposalAction
		want ProposalStatus
		code string
	}{
		{ProposalSubmitted, ProposalAdvise, ProposalAdvised, ""},
		{ProposalSubmitted, ProposalAccept, ProposalAccepted, ""}, // no consultant: no advice
		{ProposalSubmitted, ProposalDecline, ProposalDeclined, ""},
		{ProposalAdvised, ProposalAccept, ProposalAccepted, ""},
		{ProposalAdvised, ProposalDecline, ProposalDeclined, ""},
		{ProposalAdvised, ProposalAdvise, ProposalAdvised, ECONFLICT}, // advised once
		{ProposalAccepted, ProposalAdvise, ProposalAccepted, ECONFLICT},
		{ProposalAccepted, ProposalAccept, ProposalAccepted, ECONFLICT},
		{ProposalAccepted, ProposalDecline, ProposalAccepted, ECONFLICT},
		{ProposalDeclined, ProposalAccept, ProposalDeclined, ECONFLICT},
		{ProposalDeclined, ProposalAdvise, ProposalDeclined, ECONFLICT},
		{ProposalSubmitted, "weggooien", ProposalSubmitted, EINVALID},
	}
	for _, c := range cases {
		got, err := ProposalTransition(c.from, c.act)
		if got != c.want || ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
			t.Errorf("%s --%s--> %s, %v; want %s, %q", c.from, c.act, got, err, c.want, c.code)
		}
	}
}

func TestProposalValidate(t *testing.T) {
	themes := DefaultThemes
	ok := Proposal{Title: "Omgaan met agressie", Provider: "NHG", Theme: ThemeDifficultPatients, Target: TargetAssistants, Why: "Veel vraag"}
	cases := []struct {
		name  string
		edit  func(*Proposal)
		field string
	}{
		{"ok", func(*Proposal) {}, ""},
		{"no title", func(p *Proposal) { p.Title = "" }, "title"},
		{"no provider", func(p *Proposal) { p.Provider = "" }, "provider"},
		{"unknown theme", func(p *Proposal) { p.Theme = "breien" }, "theme"},
		{"theme other case", func(p *Proposal) { p.Theme = "TRIAGE" }, ""},
		{"no target", func(p *Proposal) { p.Target = "" }, "target"},
		{"no why", func(p *Proposal) { p.Why = " " }, "why"},
	}
	for _, c := range cases {
		p := ok
		c.edit(&p)
		p.Normalize()
		f := FieldErrorsOf(p.Validate(themes))
		if c.field == "" && len(f) > 0 || c.field != "" && f[c.field] == "" {
			t.Errorf("%s: %v, want error on %q", c.name, f, c.field)
		}
	}
}

func TestProposalDecision(t *testing.T) {
	s := DefaultNormSettings()
	assist := Proposal{Theme: ThemeTriage, Target: TargetAssistants}
	gpSOLK := Proposal{Theme: ThemeSOLK, Target: TargetGPs}
	gpPH := Proposal{Theme: ThemePositiveHealth, Target: TargetGPs}
	bothTriage := Proposal{Theme: ThemeTriage, Target: TargetBoth}
	cases := []struct {
		name   string
		p      Proposal
		act    ProposalAction
		counts bool
		reason string
		field  string
	}{
		{"accept counting, qualifying assistants' theme", assist, ProposalAccept, true, "", ""},
		{"accept counting, GPs' theme", gpPH, ProposalAccept, true, "", ""},
		{"accept counting, theme not for GPs", gpSOLK, ProposalAccept, true, "", "counts"},
		{"accept not counting, any theme", gpSOLK, ProposalAccept, false, "", ""},
		{"both: qualifies for the assistants", bothTriage, ProposalAccept, true, "", ""},
		{"decline needs a reason", assist, ProposalDecline, false, "  ", "reason"},
		{"decline with reason", assist, ProposalDecline, false, "al op de menukaart", ""},
		{"no decision", assist, "", false, "", "decision"},
	}
	for _, c := range cases {
		f := FieldErrorsOf(ValidateProposalDecision(c.p, c.act, c.counts, c.reason, s))
		if c.field == "" && len(f) > 0 || c.field != "" && f[c.field] == "" {
			t.Errorf("%s: %v, want error on %q", c.name, f, c.field)
		}
	}
}

func TestProposalAccess(t *testing.T) {
	const region = 1
	p1 := &Practice{ID: 10, RegionID: region, ConsultantID: 3}
	p2 := &Practice{ID: 20, RegionID: region, ConsultantID: 4}
	admin := &User{ID: 1, Grants: []Grant{{Role: AccountRegionAdmin, RegionID: region}}}
	practice := &User{ID: 2, Grants: []Grant{{Role: AccountPractice, RegionID: region, PracticeID: 10}}}
	consultant := &User{ID: 3, Grants: []Grant{{Role: AccountConsultant, RegionID: region}}}
	funder := &User{ID: 5, Grants: []Grant{{Role: AccountFunder, RegionID: region}}}
	cases := []struct {
		name string
		got  bool
		want bool
	}{
		{"practice proposes for itself", practice.CanProposeTraining(p1), true},
		{"practice not for another", practice.CanProposeTraining(p2), false},
		{"practice sees its own", practice.CanSeeProposal(p1), true},
		{"practice never sees another's", practice.CanSeeProposal(p2), false},
		{"consultant advises own practice", consultant.CanAdviseProposal(p1), true},
		{"consultant not another's", consultant.CanAdviseProposal(p2), false},
		{"consultant does not decide", consultant.CanDecideProposal(region), false},
		{"admin decides", admin.CanDecideProposal(region), true},
		{"admin does not advise", admin.CanAdviseProposal(p1), false},
		{"funder sees no proposal", funder.CanSeeProposal(p1), false},
		{"funder lists none", funder.CanListProposals(region), false},
		{"funder sees counts", funder.CanSeeProposalCounts(region), true},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
	if _, _, ps, ok := practice.ProposalScope(region); !ok || len(ps) != 1 || ps[0] != 10 {
		t.Errorf("practice scope %v %v", ps, ok)
	}
	if _, c, _, ok := consultant.ProposalScope(region); !ok || c != 3 {
		t.Errorf("consultant scope %v %v", c, ok)
	}
}

func TestSuppressedProposalCounts(t *testing.T) {
	per, total := SuppressedProposalCounts(ProposalCounts{ProposalSubmitted: 7, ProposalAdvised: 2, ProposalAccepted: 6, ProposalDeclined: 5})
	if !per[ProposalAdvised].Suppressed || per[ProposalSubmitted].Suppressed && per[ProposalAccepted].Suppressed && per[ProposalDeclined].Suppressed {
		t.Fatalf("per %v", per)
	}
	// 2 must not follow from the total minus the shown counts.
	shown := 0
	for _, s := range ProposalStatuses {
		if !per[s].Suppressed {
			shown++
		}
	}
	if !total.Suppressed && shown == 3 {
		t.Errorf("advised computable: total %v, per %v", total, per)
	}
	per, total = SuppressedProposalCounts(ProposalCounts{ProposalSubmitted: 1})
	if !total.Suppressed || !per[ProposalSubmitted].Suppressed || !per[ProposalAccepted].Suppressed {
		t.Errorf("all small: %v %v", per, total)
	}
	per, total = SuppressedProposalCounts(ProposalCounts{ProposalSubmitted: 5, ProposalAdvised: 6, ProposalAccepted: 7, ProposalDeclined: 8})
	if total.N != 26 || per[ProposalDeclined].N != 8 {
		t.Errorf("all large: %v %v", per, total)
	}
}

// TestNotCountingTrainingCountsForNoNorm: a training accepted from a
// proposal as not counting: its completion meets no norm; the same
// completion of a counting training does.
func TestNotCountingTrainingCountsForNoNorm(t *testing.T) {
	p := Proposal{Title: "Mindfulness", Theme: ThemePositiveHealth, Target: TargetAssistants}
	if tr := p.MenuTraining(false); !tr.NotCounting || tr.Target != TargetAssistants || len(tr.Themes) != 1 {
		t.Fatalf("menu training %+v", tr)
	}
	for _, notCounting := range []bool{true, false} {
		f := TrainingFacts{
			Staff:       []StaffMember{{Membership: Membership{PersonID: 1, Role: RoleDoktersassistent, FTE: 0.8, From: MustDate("2020-01-01")}, Person: Person{Name: "Anna"}}},
			Completions: []Completion{{PersonID: 1, CompletedOn: MustDate("2026-01-10"), Target: TargetAssistants, NotCounting: notCounting, TrainingTitle: "Mindfulness"}},
		}
		r := TrainingNorm(EvaluateTrainingNorms(f, DefaultNormSettings(), MustDate("2026-06-01")), ReqAssistantTraining)
		if want := map[bool]int{true: 0, false: 1}[notCounting]; r.Denominator != 1 || r.Actual != want {
			t.Errorf("not counting %v: %d of %d, want %d", notCounting, r.Actual, r.Denominator, want)
		}
	}
}
