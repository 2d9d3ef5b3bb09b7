package mtvp

import (
	"strings"
	"testing"
	"time"

	"meertijd/internal/i18n"
)

// A practice of PrimaCura's region in 2025 as the compliance tests'
// baseline: 3 assistants, 2 GPs, a final plan with the mandatory
// intervention, a recorded visit. Each case changes one thing.
func complianceBase() ComplianceFacts {
	rp := &Regioplan{Year: 2025, Interventions: []Intervention{
		{ID: 11, Code: "A.1", Title: "Triage aan de balie", Mandatory: true},
		{ID: 12, Code: "B.1", Title: "Sociaal domein", Mandatory: false},
		{ID: 13, Code: "D.1", Title: "Het goede gesprek", Mandatory: true},
	}}
	staff := []StaffMember{
		member(1, "Anna", RoleDoktersassistent, "2020-01-01", ""),
		member(2, "Bep", RoleDoktersassistent, "2020-01-01", ""),
		member(3, "Cor", RoleDoktersassistent, "2020-01-01", ""),
		member(4, "Dirk", RolePraktijkhouder, "2010-01-01", ""),
		member(5, "Els", RoleVasteWaarnemer, "2021-01-01", ""),
		member(6, "Fien", RolePOHGGZ, "2020-01-01", ""),
	}
	for i := range staff {
		staff[i].PracticeID = 1
	}
	return ComplianceFacts{
		Practice: Practice{ID: 1, Name: "Praktijk De Linde"},
		Staff:    staff,
		Completions: []Completion{
			{PersonID: 1, CompletedOn: MustDate("2024-03-01"), Target: TargetAssistants, TrainingTitle: "Triage"},
			{PersonID: 2, CompletedOn: MustDate("2024-03-01"), Target: TargetAssistants, TrainingTitle: "Triage"},
			{PersonID: 4, CompletedOn: MustDate("2024-10-01"), Target: TargetGPs, TrainingTitle: "Het goede gesprek"},
		},
		Intervision: []IntervisionFact{
			{PersonID: 4, GroupID: 1, Year: 2025, Joined: MustDate("2025-01-10"), Attended: []Date{MustDate("2025-02-01")},
				Meetings: []Date{MustDate("2025-02-01"), MustDate("2025-09-01"), MustDate("2025-11-20")}},
		},
		Plan:      &PlanFinalFact{PracticeID: 1, Year: 2025, Number: 2, FinalisedAt: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), Interventions: []int64{11, 13}},
		Regioplan: rp,
		Visits:    []VisitFact{{PracticeID: 1, Year: 2025, VisitedOn: MustDate("2025-04-15")}},
	}
}

func TestEvaluateCompliance(t *testing.T) {
	ref := MustDate("2025-06-30")
	type want struct {
		status                    ComplianceStatus
		required, actual, pending int
		explanation               string
		next                      string // joined with " | "; "-" = not checked
		people                    string // "Name:met" joined with ","; "" = not checked
	}
	cases := []struct {
		name      string
		change    func(f *ComplianceFacts, s *NormSettings)
		ref       Date
		req       Requirement
		want      want
		compliant bool
	}{
		{"baseline: assistants 2 of 3, rounding up 3 → 2", nil, ref, ReqAssistantTraining,
			want{StatusMet, 2, 2, 0, "Voldaan: 2 van 3 assistenten geschoold, 2 nodig", "", "Anna:ja,Bep:ja,Cor:nee"}, true},
		{"rounding up: 1 of 3 trained, 2 needed", func(f *ComplianceFacts, s *NormSettings) { f.Completions = f.Completions[1:] }, ref, ReqAssistantTraining,
			want{StatusNotMet, 2, 1, 0, "Nog 1 assistent scholen: 1 van 3 geschoold, 2 nodig", "Laat nog 1 assistent een scholing van het menu volgen", "Anna:nee,Bep:ja,Cor:nee"}, false},
		{"plural: 0 of 3 trained", func(f *ComplianceFacts, s *NormSettings) { f.Completions = f.Completions[2:] }, ref, ReqAssistantTraining,
			want{StatusNotMet, 2, 0, 0, "Nog 2 assistenten scholen: 0 van 3 geschoold, 2 nodig", "-", ""}, false},
		{"denominator 0: not applicable and not blocking", func(f *ComplianceFacts, s *NormSettings) { f.Staff = f.Staff[3:] }, ref, ReqAssistantTraining,
			want{StatusNotApplicable, 0, 0, 0, "Niet van toepassing: geen assistenten in de praktijk op de peildatum", "", ""}, true},
		{"membership ended before the reference date", func(f *ComplianceFacts, s *NormSettings) {
			f.Staff[0].To = MustDate("2025-05-31") // Anna left; her training no longer counts here
		}, ref, ReqAssistantTraining,
			want{StatusMet, 1, 1, 0, "Voldaan: 1 van 2 assistenten geschoold, 1 nodig", "", "Bep:ja,Cor:nee"}, true},
		{"membership ended after the reference date still counts", func(f *ComplianceFacts, s *NormSettings) {
			f.Staff[0].To = MustDate("2025-06-30")
		}, ref, ReqAssistantTraining,
			want{StatusMet, 2, 2, 0, "Voldaan: 2 van 3 assistenten geschoold, 2 nodig", "", ""}, true},
		{"reference date before a completion", func(f *ComplianceFacts, s *NormSettings) {
			f.Completions[1].CompletedOn = MustDate("2025-07-01")
		}, ref, ReqAssistantTraining,
			want{StatusNotMet, 2, 1, 0, "Nog 1 assistent scholen: 1 van 3 geschoold, 2 nodig", "-", ""}, false},
		{"the same completion counts at a later reference date", func(f *ComplianceFacts, s *NormSettings) {
			f.Completions[1].CompletedOn = MustDate("2025-07-01")
		}, MustDate("2025-07-01"), ReqAssistantTraining,
			want{StatusMet, 2, 2, 0, "Voldaan: 2 van 3 assistenten geschoold, 2 nodig", "", ""}, true},
		{"approved claim before the cut-off does not count", func(f *ComplianceFacts, s *NormSettings) {
			f.Completions = f.Completions[1:]
			f.Claims = []Claim{{PersonID: 3, CompletedOn: MustDate("2022-08-31"), Theme: ThemeSOH, Status: ClaimApproved, Title: "SOH elders"}}
		}, ref, ReqAssistantTraining,
			want{StatusNotMet, 2, 1, 0, "Nog 1 assistent scholen: 1 van 3 geschoold, 2 nodig", "-", ""}, false},
		{"approved claim on the cut-off counts", func(f *ComplianceFacts, s *NormSettings) {
			f.Completions = f.Completions[1:]
			f.Claims = []Claim{{PersonID: 3, CompletedOn: MustDate("2022-09-01"), Theme: ThemeSOH, Status: ClaimApproved, Title: "SOH elders"}}
		}, ref, ReqAssistantTraining,
			want{StatusMet, 2, 2, 0, "Voldaan: 2 van 3 assistenten geschoold, 2 nodig", "", "Anna:nee,Bep:ja,Cor:ja"}, true},
		{"pending claim is pending and would meet it", func(f *ComplianceFacts, s *NormSettings) {
			f.Completions = f.Completions[1:]
			f.Claims = []Claim{{PersonID: 3, CompletedOn: MustDate("2023-01-10"), Theme: ThemeTriage, Status: ClaimPending, Title: "Triage elders"}}
		}, ref, ReqAssistantTraining,
			want{StatusNotMet, 2, 1, 1, "Nog 1 assistent scholen: 1 van 3 geschoold, 2 nodig",
				"Als 1 assistent de aangemelde scholing afrondt of de aanvraag voor eerder gevolgde scholing goedgekeurd krijgt, is de norm voldaan", ""}, false},
		{"rejected claim never counts, nor is pending", func(f *ComplianceFacts, s *NormSettings) {
			f.Completions = f.Completions[1:]
			f.Claims = []Claim{{PersonID: 3, CompletedOn: MustDate("2023-01-10"), Theme: ThemeTriage, Status: ClaimRejected, Title: "Triage elders", Reason: "geen bewijs"}}
		}, ref, ReqAssistantTraining,
			want{StatusNotMet, 2, 1, 0, "Nog 1 assistent scholen: 1 van 3 geschoold, 2 nodig", "Laat nog 1 assistent een scholing van het menu volgen", ""}, false},
		{"region with a 60 % threshold and other counted roles", func(f *ComplianceFacts, s *NormSettings) {
			s.AssistantTrainingThreshold = 0.6
			s.AssistantTrainingRoles = []StaffRole{RoleDoktersassistent, RolePOHGGZ}
		}, ref, ReqAssistantTraining, // 4 counted (3 assistants + POH), ceil(2.4) = 3
			want{StatusNotMet, 3, 2, 0, "Nog 1 assistent scholen: 2 van 4 geschoold, 3 nodig", "-", "Anna:ja,Bep:ja,Cor:nee,Fien:nee"}, false},
		{"GPs: 1 of 2 trained, 1 needed", nil, ref, ReqGPTraining,
			want{StatusMet, 1, 1, 0, "Voldaan: 1 van 2 huisartsen geschoold in het goede gesprek, 1 nodig", "", "Dirk:ja,Els:nee"}, true},
		{"GPs: none trained", func(f *ComplianceFacts, s *NormSettings) { f.Completions = f.Completions[:2] }, ref, ReqGPTraining,
			want{StatusNotMet, 1, 0, 0, "Nog 1 huisarts scholen in het goede gesprek: 0 van 2 geschoold, 1 nodig", "-", ""}, false},
		{"intervision met", nil, ref, ReqIntervision,
			want{StatusMet, 1, 1, 0, "Voldaan: 1 van 2 huisartsen namen deel aan intervisie, 1 nodig", "", "Dirk:ja,Els:nee"}, true},
		{"intervision member with no attended meeting is pending", func(f *ComplianceFacts, s *NormSettings) {
			f.Intervision[0].Attended = nil
		}, ref, ReqIntervision,
			want{StatusNotMet, 1, 0, 1, "Nog 1 huisarts naar intervisie: 0 van 2 namen deel, 1 nodig",
				"Zodra 1 aangemelde huisarts een bijeenkomst bijwoont, is de norm voldaan", ""}, false},
		{"intervision place in a group that does not meet again this year is not pending", func(f *ComplianceFacts, s *NormSettings) {
			f.Intervision[0].Attended = nil
			f.Intervision[0].Meetings = []Date{MustDate("2025-02-01")}
		}, ref, ReqIntervision,
			want{StatusNotMet, 1, 0, 0, "Nog 1 huisarts naar intervisie: 0 van 2 namen deel, 1 nodig",
				"Meld nog 1 huisarts aan voor een intervisiegroep | 1 huisarts heeft een plaats in een groep die in 2025 niet meer bijeenkomt: meld die aan bij een andere groep of laat de begeleider een bijeenkomst plannen", "Dirk:nee,Els:nee"}, false},
		{"intervision place whose meetings left fall after leaving the group is not pending", func(f *ComplianceFacts, s *NormSettings) {
			f.Intervision[0].Attended = nil
			f.Intervision[0].Left = MustDate("2025-08-31")
		}, ref, ReqIntervision,
			want{StatusNotMet, 1, 0, 0, "Nog 1 huisarts naar intervisie: 0 van 2 namen deel, 1 nodig", "-", ""}, false},
		{"intervision group meeting on the reference date still counts as left", func(f *ComplianceFacts, s *NormSettings) {
			f.Intervision[0].Attended = nil
			f.Intervision[0].Meetings = []Date{MustDate("2025-02-01"), ref}
		}, ref, ReqIntervision,
			want{StatusNotMet, 1, 0, 1, "Nog 1 huisarts naar intervisie: 0 van 2 namen deel, 1 nodig", "-", ""}, false},
		{"intervision meeting after the reference date does not count yet", func(f *ComplianceFacts, s *NormSettings) {
			f.Intervision[0].Attended = []Date{MustDate("2025-09-01")}
		}, ref, ReqIntervision,
			want{StatusNotMet, 1, 0, 1, "Nog 1 huisarts naar intervisie: 0 van 2 namen deel, 1 nodig", "-", ""}, false},
		{"intervision of last year does not count", func(f *ComplianceFacts, s *NormSettings) {
			f.Intervision[0].Year = 2024
			f.Intervision[0].Joined = MustDate("2024-01-10")
			f.Intervision[0].Attended = []Date{MustDate("2024-02-01")}
		}, ref, ReqIntervision,
			want{StatusNotMet, 1, 0, 0, "Nog 1 huisarts naar intervisie: 0 van 2 namen deel, 1 nodig", "Meld nog 1 huisarts aan voor een intervisiegroep", ""}, false},
		{"intervision waiting list is pending", func(f *ComplianceFacts, s *NormSettings) {
			f.Intervision = nil
			f.IntervisionWaiting = []int64{5}
		}, ref, ReqIntervision,
			want{StatusNotMet, 1, 0, 1, "Nog 1 huisarts naar intervisie: 0 van 2 namen deel, 1 nodig", "-", "Dirk:nee,Els:nee"}, false},
		{"intervision: other people's places are ignored", func(f *ComplianceFacts, s *NormSettings) {
			f.Intervision[0].PersonID = 99
		}, ref, ReqIntervision,
			want{StatusNotMet, 1, 0, 0, "Nog 1 huisarts naar intervisie: 0 van 2 namen deel, 1 nodig", "-", ""}, false},
		{"intervision with a 60 % threshold and POH counted", func(f *ComplianceFacts, s *NormSettings) {
			s.IntervisionThreshold = 0.6
			s.IntervisionRoles = []StaffRole{RolePraktijkhouder, RoleVasteWaarnemer, RolePOHGGZ}
		}, ref, ReqIntervision, // 3 counted, ceil(1.8) = 2
			want{StatusNotMet, 2, 1, 0, "Nog 1 huisarts naar intervisie: 1 van 3 namen deel, 2 nodig", "-", "Dirk:ja,Els:nee,Fien:nee"}, false},
		{"plan final with every mandatory intervention", nil, ref, ReqFinalPlan,
			want{StatusMet, 1, 1, 0, "Voldaan: het plan van aanpak 2025 is definitief (versie 2) met alle verplichte interventies", "", ""}, true},
		{"plan missing a mandatory intervention", func(f *ComplianceFacts, s *NormSettings) {
			f.Plan.Interventions = []int64{11, 12}
		}, ref, ReqFinalPlan,
			want{StatusNotMet, 1, 0, 0, "Het definitieve plan van aanpak 2025 mist de verplichte interventie D.1 Het goede gesprek",
				"Neem D.1 Het goede gesprek op in een herziene versie en maak die definitief", ""}, false},
		{"plan not final", func(f *ComplianceFacts, s *NormSettings) {
			f.Plan = &PlanFinalFact{PracticeID: 1, Year: 2025}
		}, ref, ReqFinalPlan,
			want{StatusNotMet, 1, 0, 0, "Het plan van aanpak 2025 is nog niet definitief", "Bespreek het plan van aanpak 2025 met het team en maak het definitief", ""}, false},
		{"no plan", func(f *ComplianceFacts, s *NormSettings) { f.Plan = nil }, ref, ReqFinalPlan,
			want{StatusNotMet, 1, 0, 0, "Er is nog geen plan van aanpak 2025", "Stel het plan van aanpak 2025 op en maak het definitief", ""}, false},
		{"visit recorded", nil, ref, ReqAnnualVisit,
			want{StatusMet, 1, 1, 0, "Voldaan: jaarbezoek op 15-04-2025", "", ""}, true},
		{"visit recorded after the reference date", func(f *ComplianceFacts, s *NormSettings) {
			f.Visits[0].VisitedOn = MustDate("2025-07-01")
		}, ref, ReqAnnualVisit,
			want{StatusNotMet, 1, 0, 0, "Nog geen jaarbezoek vastgelegd in 2025 (tot en met 30-06-2025)", "Het jaarbezoek van 2025 moet nog worden gepland door de consulent", ""}, false},
		{"visit of last year does not count", func(f *ComplianceFacts, s *NormSettings) {
			f.Visits[0].VisitedOn = MustDate("2024-11-01")
		}, ref, ReqAnnualVisit,
			want{StatusNotMet, 1, 0, 0, "Nog geen jaarbezoek vastgelegd in 2025 (tot en met 30-06-2025)", "-", ""}, false},
		{"visits not recorded by the region: not recorded, not blocking", func(f *ComplianceFacts, s *NormSettings) {
			f.Visits, s.VisitsRecordedFrom = nil, Date{}
		}, ref, ReqAnnualVisit,
			want{StatusNotRecorded, 1, 0, 0, "Het jaarbezoek wordt nog niet geregistreerd in meertijd", "", ""}, true},
		{"visits recorded from a later date: not recorded before it", func(f *ComplianceFacts, s *NormSettings) {
			f.Visits, s.VisitsRecordedFrom = nil, MustDate("2025-07-01")
		}, ref, ReqAnnualVisit,
			want{StatusNotRecorded, 1, 0, 0, "Jaarbezoeken worden in meertijd vastgelegd vanaf 01-07-2025; daarvóór telt het jaarbezoek niet mee", "", ""}, true},
		{"visits recorded from the reference date: a missing visit is not met", func(f *ComplianceFacts, s *NormSettings) {
			f.Visits, s.VisitsRecordedFrom = nil, ref
		}, ref, ReqAnnualVisit,
			want{StatusNotMet, 1, 0, 0, "Nog geen jaarbezoek vastgelegd in 2025 (tot en met 30-06-2025)", "-", ""}, false},
		{"a place in a session of the year is pending", func(f *ComplianceFacts, s *NormSettings) {
			f.Places = []TrainingPlace{{PersonID: 3, TrainingTitle: "SOH", Target: TargetAssistants, FirstDate: MustDate("2025-09-01"), SignedUpOn: MustDate("2025-05-01")}}
			f.Completions = f.Completions[:1]
		}, ref, ReqAssistantTraining,
			want{StatusNotMet, 2, 1, 1, "Nog 1 assistent scholen: 1 van 3 geschoold, 2 nodig", "Als 1 assistent de aangemelde scholing afrondt of de aanvraag voor eerder gevolgde scholing goedgekeurd krijgt, is de norm voldaan", "Anna:ja,Bep:nee,Cor:nee"}, false},
		{"a place signed up after the reference date, in another year, for the other menu or none: not pending", func(f *ComplianceFacts, s *NormSettings) {
			f.Places = []TrainingPlace{
				{PersonID: 3, Target: TargetAssistants, FirstDate: MustDate("2025-09-01"), SignedUpOn: MustDate("2025-07-01")},
				{PersonID: 3, Target: TargetAssistants, FirstDate: MustDate("2026-01-10"), SignedUpOn: MustDate("2025-05-01")},
				{PersonID: 2, Target: TargetGPs, FirstDate: MustDate("2025-09-01"), SignedUpOn: MustDate("2025-05-01")},
			}
			f.Completions = f.Completions[:1]
		}, ref, ReqAssistantTraining,
			want{StatusNotMet, 2, 1, 0, "Nog 1 assistent scholen: 1 van 3 geschoold, 2 nodig", "-", "Anna:ja,Bep:nee,Cor:nee"}, false},
		{"requirement not in the region's settings", func(f *ComplianceFacts, s *NormSettings) {
			f.Plan = nil
			s.Requirements = []Requirement{ReqIntervision, ReqAssistantTraining, ReqGPTraining, ReqAnnualVisit}
		}, ref, ReqFinalPlan,
			want{StatusNotApplicable, 0, 0, 0, "Niet van toepassing: deze eis geldt niet in de regio", "", ""}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, s := complianceBase(), DefaultNormSettings()
			s.VisitsRecordedFrom = MustDate("2025-01-01")
			if c.change != nil {
				c.change(&f, &s)
			}
			st := EvaluateCompliance(f, s, 2025, c.ref)
			if len(st.Requirements) != len(AllRequirements) {
				t.Fatalf("%d requirements", len(st.Requirements))
			}
			r := st.Requirement(c.req)
			got := want{r.Status, r.Required, r.Actual, r.Pending, r.Explanation, strings.Join(r.Next, " | "), ""}
			if c.want.next == "-" {
				got.next = "-"
			}
			if c.want.people != "" {
				var who []string
				for _, p := range r.People {
					who = append(who, p.Name+":"+map[bool]string{true: "ja", false: "nee"}[p.Met])
				}
				got.people = strings.Join(who, ",")
			}
			if got != c.want {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
			if st.Compliant != c.compliant {
				t.Errorf("compliant = %v, want %v (%+v)", st.Compliant, c.compliant, st.Requirements)
			}
			// Every text is the i18n message, in both languages.
			for _, x := range st.Requirements {
				if x.Explanation == "" || x.Explanation != i18n.T("nl", x.MessageKey, x.Args...) || !i18n.Has("en", x.MessageKey) {
					t.Errorf("%s: explanation %q, key %q", x.Code, x.Explanation, x.MessageKey)
				}
				for i, m := range x.NextMsgs {
					if !i18n.Has("nl", m.Key) || !i18n.Has("en", m.Key) || x.Next[i] != m.Text("nl") {
						t.Errorf("%s: next step %q", x.Code, m.Key)
					}
				}
				if strings.Contains(x.Explanation, "%!") || strings.Contains(i18n.T("en", x.MessageKey, x.Args...), "%!") {
					t.Errorf("%s: bad format: %q", x.Code, x.Explanation)
				}
			}
		})
	}
}

// A locum working at two practices counts, with their training and
// intervision, at each.
func TestComplianceLocumAtTwoPractices(t *testing.T) {
	ref := MustDate("2025-06-30")
	s := DefaultNormSettings()
	locum := member(9, "Lot", RoleVasteWaarnemer, "2024-01-01", "")
	completions := []Completion{{PersonID: 9, CompletedOn: MustDate("2024-05-01"), Target: TargetGPs, TrainingTitle: "Het goede gesprek"}}
	iv := []IntervisionFact{{PersonID: 9, GroupID: 3, Year: 2025, Joined: MustDate("2025-01-01"), Attended: []Date{MustDate("2025-03-01")}}}
	a := ComplianceFacts{Practice: Practice{ID: 1}, Staff: []StaffMember{locum, member(1, "Dirk", RolePraktijkhouder, "2010-01-01", "")}, Completions: completions, Intervision: iv}
	b := ComplianceFacts{Practice: Practice{ID: 2}, Staff: []StaffMember{locum}, Completions: completions, Intervision: iv}
	for _, c := range []struct {
		f        ComplianceFacts
		den, act int
	}{{a, 2, 1}, {b, 1, 1}} {
		st := EvaluateCompliance(c.f, s, 2025, ref)
		for _, q := range []Requirement{ReqGPTraining, ReqIntervision} {
			r := st.Requirement(q)
			if r.Denominator != c.den || r.Actual != c.act || r.Status != StatusMet {
				t.Errorf("practice %d %s: %+v", c.f.Practice.ID, q, r)
			}
		}
		if r := st.Requirement(ReqAssistantTraining); r.Status != StatusNotApplicable {
			t.Errorf("practice %d assistants: %+v", c.f.Practice.ID, r)
		}
	}
}

func TestReferenceDateAndAtRisk(t *testing.T) {
	if got := ReferenceDate(2025, MustDate("2026-02-01")); got != MustDate("2025-12-31") {
		t.Errorf("past year: %v", got)
	}
	if got := ReferenceDate(2025, MustDate("2025-05-04")); got != MustDate("2025-05-04") {
		t.Errorf("this year: %v", got)
	}
	if got := ReferenceDate(2027, MustDate("2026-11-30")); got != MustDate("2027-01-01") {
		t.Errorf("next year: %v", got)
	}
	// EvaluateCompliance clamps too.
	if st := EvaluateCompliance(complianceBase(), DefaultNormSettings(), 2024, MustDate("2025-06-30")); st.Ref != MustDate("2024-12-31") {
		t.Errorf("clamped ref %v", st.Ref)
	}
	s := DefaultNormSettings() // 60 days
	f := complianceBase()
	f.Plan = nil
	notMet := EvaluateCompliance(f, s, 2025, MustDate("2025-11-15"))
	met := EvaluateCompliance(complianceBase(), s, 2025, MustDate("2025-11-15"))
	if !met.Compliant || notMet.Compliant {
		t.Fatalf("setup: %v %v", met.Compliant, notMet.Compliant)
	}
	for _, c := range []struct {
		st    Standing
		today string
		want  bool
	}{
		{notMet, "2025-11-15", true},  // 46 days left
		{notMet, "2025-11-02", true},  // 59 days left
		{notMet, "2025-11-01", false}, // exactly 60 days left: not fewer
		{notMet, "2025-10-31", false}, // 61 days left
		{met, "2025-12-01", false},
		{notMet, "2026-01-05", false}, // year over: final, not at risk
	} {
		if got := AtRisk(c.st, s, MustDate(c.today)); got != c.want {
			t.Errorf("AtRisk(compliant=%v, %s) = %v, want %v (days left %d)", c.st.Compliant, c.today, got, c.want, DaysLeft(2025, MustDate(c.today)))
		}
	}
	if DaysLeft(2025, MustDate("2025-12-31")) != 0 || DaysLeft(2025, MustDate("2025-12-01")) != 30 {
		t.Error("DaysLeft")
	}
	if w := notMet.WithoutPeople(); w.Requirements[0].People != nil || notMet.Requirements[0].People == nil {
		t.Error("WithoutPeople")
	}
}

// BenchmarkEvaluateCompliance: one practice of the tests' size; the
// standing of 5,000 practices costs 5,000 times this on top of loading.
func BenchmarkEvaluateCompliance(b *testing.B) {
	f, s, ref := complianceBase(), DefaultNormSettings(), MustDate("2025-06-30")
	for i := 0; i < b.N; i++ {
		EvaluateCompliance(f, s, 2025, ref)
	}
}

// WouldMeet: pending people plus those with training under way; never for
// a place in a group that does not meet again.
func TestWouldMeet(t *testing.T) {
	ref := MustDate("2025-06-30")
	s := DefaultNormSettings()
	f := complianceBase()
	f.Intervision[0].Attended = nil
	st := EvaluateCompliance(f, s, 2025, ref)
	if r := st.Requirement(ReqIntervision); !r.WouldMeet(nil) {
		t.Errorf("a place in a group that still meets would meet the norm: %+v", r)
	}
	f.Intervision[0].Meetings = []Date{MustDate("2025-02-01")}
	st = EvaluateCompliance(f, s, 2025, ref)
	r := st.Requirement(ReqIntervision)
	if r.WouldMeet(nil) {
		t.Errorf("no meeting left, nothing under way: must not promise the norm")
	}
	if r.People[0].Name != "Dirk" || !r.People[0].NoMeetingLeft || r.People[0].Pending {
		t.Errorf("Dirk: %+v", r.People[0])
	}
	// Training: one GP placed in a session that ends this year would meet it.
	f = complianceBase()
	f.Completions = f.Completions[:2]
	st = EvaluateCompliance(f, s, 2025, ref)
	gp := st.Requirement(ReqGPTraining)
	if gp.WouldMeet(nil) || gp.WouldMeet(map[int64]bool{6: true}) {
		t.Errorf("nothing under way for a counted GP")
	}
	if !gp.WouldMeet(map[int64]bool{5: true}) {
		t.Errorf("Els placed in a session: would meet")
	}
	// A met norm never "would meet".
	if st.Requirement(ReqAssistantTraining).WouldMeet(map[int64]bool{3: true}) {
		t.Errorf("met norm")
	}
}

// A training norm the region switched off is evaluated, marked as not
// applying, counts as met and is left out by ApplyingTrainingNorms.
func TestApplyingTrainingNorms(t *testing.T) {
	s := DefaultNormSettings()
	s.Requirements = []Requirement{ReqIntervision, ReqGPTraining}
	f := complianceBase()
	f.Completions = nil
	res := EvaluateTrainingNorms(f.TrainingFacts(), s, MustDate("2025-06-30"))
	as := TrainingNorm(res, ReqAssistantTraining)
	if as.Applies || !as.Met() || as.Denominator != 3 {
		t.Errorf("assistants switched off: %+v", as)
	}
	got := ApplyingTrainingNorms(res)
	if len(got) != 1 || got[0].Norm != ReqGPTraining || got[0].Met() {
		t.Errorf("applying: %+v", got)
	}
}
