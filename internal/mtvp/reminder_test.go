package mtvp

import (
	"reflect"
	"strconv"
	"testing"
)

func TestDueReminders(t *testing.T) {
	d := MustDate
	base := ReminderFacts{
		RegionID: 7,
		Settings: DefaultReminderSettings(),
		Meetings: []ReminderEvent{{ID: 1, On: d("2026-03-11"), Recipients: []int64{20, 10}}, {ID: 2, On: d("2026-03-12"), Recipients: []int64{30}}},
		Sessions: []ReminderEvent{{ID: 5, On: d("2026-03-11"), Recipients: []int64{40}}},
		Plans:    []ReminderPlan{{PracticeID: 100, Final: false}, {PracticeID: 101, Final: true}},
		Claims:   []ReminderClaim{{ID: 9, PracticeID: 100, ConsultantID: 3, SubmittedOn: d("2026-02-24")}, {ID: 8, PracticeID: 101, ConsultantID: 0, SubmittedOn: d("2026-02-24")}},
		Visits:   []ReminderVisit{{ID: 4, PracticeID: 100, ConsultantID: 3, PlannedOn: d("2026-03-03")}},
	}
	r := func(kind string, subject, recipient int64, on, due string) Reminder {
		return Reminder{Kind: kind, RegionID: 7, Subject: subject, Recipient: recipient, On: d(on), Due: d(due)}
	}
	off := func(f func(*ReminderSettings)) ReminderFacts {
		x := base
		f(&x.Settings)
		return x
	}
	for _, tc := range []struct {
		name  string
		facts ReminderFacts
		day   string
		want  []Reminder
	}{
		{"the day before: meeting, session; claim 14 days, visit 7 days, plan 14 days before 31 March", base, "2026-03-10", []Reminder{
			r(RemindClaimWaiting, 9, 3, "2026-03-10", "2026-02-24"),
			r(RemindMeeting, 1, 10, "2026-03-10", "2026-03-11"),
			r(RemindMeeting, 1, 20, "2026-03-10", "2026-03-11"),
			r(RemindSession, 5, 40, "2026-03-10", "2026-03-11"),
			r(RemindVisitOverdue, 4, 3, "2026-03-10", "2026-03-03"),
		}},
		{"next day: only the next meeting", base, "2026-03-11", []Reminder{r(RemindMeeting, 2, 30, "2026-03-11", "2026-03-12")}},
		{"plan deadline minus 14 days: only practices without a final plan", base, "2026-03-17", []Reminder{
			r(RemindClaimWaiting, 9, 3, "2026-03-17", "2026-02-24"),
			r(RemindPlanNotFinal, 100, 100, "2026-03-17", "2026-03-31"),
			r(RemindVisitOverdue, 4, 3, "2026-03-17", "2026-03-03"),
		}},
		{"between the weekly repeats: nothing", base, "2026-03-13", nil},
		{"claims and visits off", off(func(s *ReminderSettings) { s.ClaimWaiting.On, s.VisitOverdue.On = false, false }), "2026-03-10", []Reminder{
			r(RemindMeeting, 1, 10, "2026-03-10", "2026-03-11"),
			r(RemindMeeting, 1, 20, "2026-03-10", "2026-03-11"),
			r(RemindSession, 5, 40, "2026-03-10", "2026-03-11"),
		}},
		{"meetings two days before", off(func(s *ReminderSettings) {
			s.Meeting.Days = 2
			s.Session.On, s.ClaimWaiting.On, s.VisitOverdue.On = false, false, false
		}), "2026-03-10", []Reminder{r(RemindMeeting, 2, 30, "2026-03-10", "2026-03-12")}},
		{"another plan deadline", off(func(s *ReminderSettings) {
			s.PlanDeadline, s.PlanNotFinal.Days = "06-30", 0
			s.ClaimWaiting.On, s.VisitOverdue.On = false, false
		}), "2026-06-30", []Reminder{
			r(RemindPlanNotFinal, 100, 100, "2026-06-30", "2026-06-30"),
		}},
		{"claim before its limit: nothing", base, "2026-03-09", nil},
		{"year end: 31 December reminds for a meeting on 1 January", ReminderFacts{RegionID: 7, Settings: DefaultReminderSettings(),
			Meetings: []ReminderEvent{{ID: 3, On: d("2027-01-01"), Recipients: []int64{5}}}}, "2026-12-31", []Reminder{r(RemindMeeting, 3, 5, "2026-12-31", "2027-01-01")}},
	} {
		got := DueReminders(tc.facts, d(tc.day))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %v\nwant %v", tc.name, got, tc.want)
		}
	}
}

func TestReminderKeyOncePerSubjectRecipientDay(t *testing.T) {
	a := Reminder{Kind: RemindMeeting, Subject: 1, Recipient: 2, On: MustDate("2026-03-10")}
	b := a
	b.Recipient = 3
	if a.Key() == b.Key() || a.Key() != "reminder.meeting:1:2:2026-03-10" {
		t.Errorf("keys %q %q", a.Key(), b.Key())
	}
}

// standing builds a practice's standing for year with the given
// requirements not met (the others met).
func standing(practice int64, year int, notMet ...Requirement) Standing {
	st := Standing{PracticeID: practice, Year: year, Compliant: len(notMet) == 0}
	for _, code := range AllRequirements {
		r := RequirementResult{Code: code, Status: StatusMet}
		for _, n := range notMet {
			if n == code {
				r.Status = StatusNotMet
			}
		}
		st.Requirements = append(st.Requirements, r)
	}
	return st
}

func TestDueRemindersNormAtRisk(t *testing.T) {
	d := MustDate
	norms := DefaultNormSettings() // at risk with fewer than 60 days left: from 2 November
	facts := func(sent ...string) ReminderFacts {
		f := ReminderFacts{RegionID: 7, Settings: DefaultReminderSettings(), Norms: norms,
			Standings: []ReminderStanding{
				{ConsultantID: 3, Standing: standing(100, 2026, ReqIntervision, ReqGPTraining)},
				{ConsultantID: 0, Standing: standing(101, 2026)},
				{ConsultantID: 3, Standing: standing(102, 2026, ReqAnnualVisit)},
			}, Sent: map[string]bool{}}
		for _, k := range sent {
			f.Sent[k] = true
		}
		return f
	}
	risk := func(practice int64, on string, norms []Requirement, remember ...string) Reminder {
		return Reminder{Kind: RemindNormAtRisk, RegionID: 7, Subject: practice, Recipient: practice, On: d(on), Due: d("2026-12-31"),
			PracticeID: practice, ConsultantID: 3, Norms: norms, Remember: remember}
	}
	k := func(p int64, c Requirement, period int) string { return NormRiskKey(p, c, 2026, period) }
	for _, tc := range []struct {
		name  string
		facts ReminderFacts
		day   string
		want  []Reminder
	}{
		{"before the window (61 days left): nothing", facts(), "2026-10-31", nil},
		{"first day of the window: every practice at risk, each requirement once", facts(), "2026-11-02", []Reminder{
			risk(100, "2026-11-02", []Requirement{ReqIntervision, ReqGPTraining}, k(100, ReqIntervision, 0), k(100, ReqGPTraining, 0)),
			risk(102, "2026-11-02", []Requirement{ReqAnnualVisit}, k(102, ReqAnnualVisit, 0)),
		}},
		{"next day, already sent this period: nothing", facts(k(100, ReqIntervision, 0), k(100, ReqGPTraining, 0), k(102, ReqAnnualVisit, 0)), "2026-11-03", nil},
		{"a requirement newly at risk in the period: the mail names all, remembers the new one", facts(k(100, ReqIntervision, 0), k(102, ReqAnnualVisit, 0)), "2026-11-20", []Reminder{
			risk(100, "2026-11-20", []Requirement{ReqIntervision, ReqGPTraining}, k(100, ReqGPTraining, 0)),
		}},
		{"the next 30-day period: again", facts(k(100, ReqIntervision, 0), k(100, ReqGPTraining, 0), k(102, ReqAnnualVisit, 0)), "2026-12-02", []Reminder{
			risk(100, "2026-12-02", []Requirement{ReqIntervision, ReqGPTraining}, k(100, ReqIntervision, 1), k(100, ReqGPTraining, 1)),
			risk(102, "2026-12-02", []Requirement{ReqAnnualVisit}, k(102, ReqAnnualVisit, 1)),
		}},
		{"after the year: the outcome is final, nothing", facts(), "2027-01-01", nil},
	} {
		got := DueReminders(tc.facts, d(tc.day))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
	f := facts()
	f.Settings.NormAtRisk.On = false
	if got := DueReminders(f, d("2026-11-02")); got != nil {
		t.Errorf("switched off: %+v", got)
	}
	if !AtRiskWindowOpen(norms, d("2026-11-02")) || AtRiskWindowOpen(norms, d("2026-11-01")) {
		t.Error("window opens on 2 November with 60 days")
	}
	if NormRiskPeriod(norms, 0, d("2026-12-31")) != 0 || NormRiskPeriod(norms, 30, d("2026-12-01")) != 0 || NormRiskPeriod(norms, 30, d("2026-12-02")) != 1 {
		t.Error("periods")
	}
}

func TestDueRemindersPlaceFree(t *testing.T) {
	d := MustDate
	f := ReminderFacts{RegionID: 7, Settings: DefaultReminderSettings(), Sent: map[string]bool{RemindSessionPlace + ":9": true},
		Promotions: []ReminderPromotion{
			{ID: 5, Group: true, PersonID: 50, PracticeID: 100, On: d("2026-12-30")},
			{ID: 5, Group: false, PersonID: 51, PracticeID: 101, On: d("2026-12-31")}, // enrolment 5: another kind, another key
			{ID: 9, Group: false, PersonID: 52, PracticeID: 101, On: d("2026-12-31")}, // already sent
		}}
	place := func(kind string, id, person, practice int64, on, due string) Reminder {
		return Reminder{Kind: kind, RegionID: 7, Subject: id, Recipient: person, On: d(on), Due: d(due), PracticeID: practice,
			Remember: []string{kind + ":" + strconv.FormatInt(id, 10)}}
	}
	for _, tc := range []struct {
		name string
		day  string
		days int
		want []Reminder
	}{
		{"the day after: both, with a week to decline (over the year end)", "2026-12-31", 7, []Reminder{
			place(RemindGroupPlace, 5, 50, 100, "2026-12-31", "2027-01-06"),
			place(RemindSessionPlace, 5, 51, 101, "2026-12-31", "2027-01-07"),
		}},
		{"on the last day to decline: still written (the server was down)", "2027-01-06", 7, []Reminder{
			place(RemindGroupPlace, 5, 50, 100, "2027-01-06", "2027-01-06"),
			place(RemindSessionPlace, 5, 51, 101, "2027-01-06", "2027-01-07"),
		}},
		{"after the date to decline: too late, nothing", "2027-01-08", 7, nil},
		{"no time to decline set: only on the day", "2026-12-31", 0, []Reminder{
			place(RemindSessionPlace, 5, 51, 101, "2026-12-31", "2026-12-31"),
		}},
	} {
		x := f
		x.Settings.PlaceFree.Days = tc.days
		got := DueReminders(x, d(tc.day))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}
