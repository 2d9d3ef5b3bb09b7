package mtvp

import (
	"reflect"
	"testing"
)

func TestBuildDigest(t *testing.T) {
	d := MustDate
	f := DigestFacts{RegionID: 7,
		Practices: []DigestPractice{{ID: 1, Name: "Praktijk Aa", ConsultantID: 3}, {ID: 2, Name: "Praktijk Bee", ConsultantID: 3}, {ID: 4, Name: "Praktijk Cee", ConsultantID: 8}},
		Changes: []DigestChange{
			{PracticeID: 1, On: d("2026-11-30")}, {PracticeID: 2, On: d("2026-12-01")}, {PracticeID: 2, On: d("2026-12-06")},
			{PracticeID: 2, On: d("2026-11-29")}, // eight days before: not this week
			{PracticeID: 2, On: d("2026-12-07")}, // the day itself: next week's
			{PracticeID: 4, On: d("2026-12-02")},
			{PracticeID: 9, On: d("2026-12-02")}, // not taking part
		},
		Claims:     []ReminderClaim{{ID: 1, PracticeID: 1}, {ID: 2, PracticeID: 4}},
		Discussion: []int64{2, 4},
		Visits: []ReminderVisit{{ID: 1, PracticeID: 1, PlannedOn: d("2026-12-01")}, {ID: 2, PracticeID: 2, PlannedOn: d("2026-12-13")},
			{ID: 3, PracticeID: 2, PlannedOn: d("2026-12-14")}, {ID: 4, PracticeID: 4, PlannedOn: d("2026-12-07")}},
		AtRisk: []int64{2},
	}
	day := d("2026-12-07") // a Monday
	for _, tc := range []struct {
		name string
		to   DigestRecipient
		want Digest
	}{
		{"consultant: own practices only", DigestRecipient{UserID: 3}, Digest{Week: "2026-W50", From: d("2026-11-30"), To: d("2026-12-06"), Practices: 2,
			Changed: []DigestPracticeChanges{{PracticeID: 2, Name: "Praktijk Bee", Changes: 2}, {PracticeID: 1, Name: "Praktijk Aa", Changes: 1}}, Changes: 3,
			ClaimsToDecide: 1, PlansToComment: 1, VisitsDue: 1, VisitsOverdue: 1, AtRisk: 1}},
		{"programme manager: the whole region", DigestRecipient{UserID: 5, Admin: true}, Digest{Week: "2026-W50", From: d("2026-11-30"), To: d("2026-12-06"), Practices: 3,
			Changed: []DigestPracticeChanges{{PracticeID: 2, Name: "Praktijk Bee", Changes: 2}, {PracticeID: 1, Name: "Praktijk Aa", Changes: 1}, {PracticeID: 4, Name: "Praktijk Cee", Changes: 1}}, Changes: 4,
			ClaimsToDecide: 2, PlansToComment: 2, VisitsDue: 2, VisitsOverdue: 1, AtRisk: 1}},
		{"consultant without practices: empty", DigestRecipient{UserID: 99}, Digest{Week: "2026-W50", From: d("2026-11-30"), To: d("2026-12-06")}},
	} {
		got := BuildDigest(f, tc.to, day)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
		if got.Empty() != (tc.want.Practices == 0) {
			t.Errorf("%s: Empty() = %v", tc.name, got.Empty())
		}
	}
	for day, want := range map[string]string{"2026-12-31": "2026-W53", "2027-01-01": "2026-W53", "2027-01-04": "2027-W01", "2026-01-01": "2026-W01"} {
		if got := ISOWeek(d(day)); got != want {
			t.Errorf("ISOWeek(%s) = %s, want %s", day, got, want)
		}
	}
}
