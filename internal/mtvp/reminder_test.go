package mtvp

import (
	"reflect"
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
