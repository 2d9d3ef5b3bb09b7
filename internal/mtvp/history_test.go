package mtvp

import (
	"strings"
	"testing"
)

func TestSignUpAndRecordDates(t *testing.T) {
	d := MustDate
	admin, practice := Recorder{RegionAdmin: true}, Recorder{}
	today := d("2026-06-15")
	for _, tc := range []struct {
		name   string
		rec    Recorder
		on     string
		year   int
		want   string // the date decided, or "" when refused
		errKey string
	}{
		{"practice, today by default", practice, "", 2026, "2026-06-15", ""},
		{"practice, earlier this year", practice, "2026-02-01", 2026, "2026-02-01", ""},
		{"practice, next year's group now", practice, "", 2027, "2026-06-15", ""},
		{"practice, in December for next year", practice, "2026-06-01", 2027, "2026-06-01", ""},
		{"practice, a past year is closed", practice, "2025-03-01", 2025, "", "history.err.year_closed"},
		{"practice, a past year is closed without a date too", practice, "", 2025, "", "history.err.year_closed"},
		{"practice, last year's date for this year", practice, "2025-12-20", 2026, "", "history.err.admin_only"},
		{"practice, tomorrow", practice, "2026-06-16", 2026, "", "history.err.date_future"},
		{"admin, a past year with its date", admin, "2024-03-01", 2024, "2024-03-01", ""},
		{"admin, December before the group year", admin, "2023-12-10", 2024, "2023-12-10", ""},
		{"admin, a past year needs a date", admin, "", 2024, "", "history.err.date_required_past"},
		{"admin, after the group's year", admin, "2025-01-05", 2024, "", "history.err.date_outside_year"},
		{"admin, tomorrow", admin, "2026-06-16", 2026, "", "history.err.date_future"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var on Date
			if tc.on != "" {
				on = d(tc.on)
			}
			got, err := SignUpDate(tc.rec, on, today, tc.year, "signed_up_on")
			checkDecided(t, got, err, tc.want, tc.errKey, "signed_up_on")
		})
	}
	for _, tc := range []struct {
		name   string
		rec    Recorder
		on     string
		year   int
		want   string
		errKey string
	}{
		{"today by default", practice, "", 2026, "2026-06-15", ""},
		{"earlier this year", practice, "2026-01-02", 2026, "2026-01-02", ""},
		{"a past year: practice", practice, "2025-05-01", 2025, "", "history.err.admin_only"},
		{"a past year: admin", admin, "2025-05-01", 2025, "2025-05-01", ""},
		{"outside the year", admin, "2024-12-31", 2025, "", "history.err.date_outside_year"},
		{"no date for a past year means today: outside", admin, "", 2025, "", "history.err.date_outside_year"},
		{"future", admin, "2026-07-01", 2026, "", "history.err.date_future"},
	} {
		t.Run("record "+tc.name, func(t *testing.T) {
			var on Date
			if tc.on != "" {
				on = d(tc.on)
			}
			got, err := RecordDate(tc.rec, on, today, tc.year, "finalised_on")
			checkDecided(t, got, err, tc.want, tc.errKey, "finalised_on")
		})
	}
}

func checkDecided(t *testing.T, got Date, err error, want, errKey, field string) {
	t.Helper()
	if errKey != "" {
		if k := FieldErrorsOf(err)[field]; k != errKey {
			t.Fatalf("error %v (%q), want %s", err, k, errKey)
		}
		return
	}
	if err != nil || got.String() != want {
		t.Fatalf("got %s, %v; want %s", got, err, want)
	}
}

func TestRecordedAfterwards(t *testing.T) {
	today := MustDate("2026-06-15")
	if c := RecordedAfterwards(MustDate("2026-06-15"), today); c != nil {
		t.Fatalf("today: %v", c)
	}
	if c := RecordedAfterwards(Date{}, today); c != nil {
		t.Fatalf("no date: %v", c)
	}
	if c := PastYearRecorded(MustDate("2026-01-02"), today); c != nil {
		t.Fatalf("this year's visit: %v", c)
	}
	if c := PastYearRecorded(MustDate("2025-12-31"), today); len(c) != 1 || c[0].New != "2025-12-31" {
		t.Fatalf("last year's visit: %v", c)
	}
	c := RecordedAfterwards(MustDate("2025-03-01"), today)
	if len(c) != 1 || c[0].Field != "RecordedAfterwards" || c[0].New != "2025-03-01" {
		t.Fatalf("past: %v", c)
	}
}

func TestRecorderFor(t *testing.T) {
	admin := &User{Grants: []Grant{{Role: AccountRegionAdmin, RegionID: 1}}}
	if !RecorderFor(admin, 1).RegionAdmin || RecorderFor(admin, 2).RegionAdmin || RecorderFor(nil, 1).RegionAdmin {
		t.Fatal("RecorderFor")
	}
	p := &User{Grants: []Grant{{Role: AccountPractice, RegionID: 1, PracticeID: 3}}}
	if RecorderFor(p, 1).RegionAdmin {
		t.Fatal("practice is no admin")
	}
}

func TestWithdrawAndUndoRules(t *testing.T) {
	p := &Practice{ID: 3, RegionID: 1}
	admin := &User{Grants: []Grant{{Role: AccountRegionAdmin, RegionID: 1}}}
	own := &User{Grants: []Grant{{Role: AccountPractice, RegionID: 1, PracticeID: 3}}}
	other := &User{Grants: []Grant{{Role: AccountPractice, RegionID: 1, PracticeID: 4}}}
	consultant := &User{ID: 9, Grants: []Grant{{Role: AccountConsultant, RegionID: 1}}}
	for _, tc := range []struct {
		name   string
		u      *User
		status ClaimStatus
		want   bool
	}{
		{"own practice, pending", own, ClaimPending, true},
		{"own practice, approved", own, ClaimApproved, false},
		{"own practice, rejected", own, ClaimRejected, false},
		{"other practice", other, ClaimPending, false},
		{"consultant", consultant, ClaimPending, false},
		{"region admin, approved", admin, ClaimApproved, true},
		{"nobody", nil, ClaimPending, false},
	} {
		if got := tc.u.CanWithdrawClaim(p, Claim{Status: tc.status}); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if !admin.CanUndoCompletion(1) || own.CanUndoCompletion(1) || admin.CanUndoCompletion(2) {
		t.Error("CanUndoCompletion")
	}
	for reason, key := range map[string]string{"": "err.required", "  ": "err.required", strings.Repeat("x", ReasonMax+1): "err.too_long", "Dubbel ingevoerd": ""} {
		if got := FieldErrorsOf(CheckReason(reason))["reason"]; got != key {
			t.Errorf("reason %.20q: %q, want %q", reason, got, key)
		}
	}
}

func TestCanGrant(t *testing.T) {
	admin := &User{Grants: []Grant{{Role: AccountRegionAdmin, RegionID: 1}}}
	platform := &User{Grants: []Grant{{Role: AccountPlatformAdmin}}}
	consultant := &User{Grants: []Grant{{Role: AccountConsultant, RegionID: 1}}}
	for _, tc := range []struct {
		name string
		u    *User
		g    Grant
		want bool
	}{
		{"admin, consultant here", admin, Grant{Role: AccountConsultant, RegionID: 1}, true},
		{"admin, admin here", admin, Grant{Role: AccountRegionAdmin, RegionID: 1}, true},
		{"admin, other region", admin, Grant{Role: AccountConsultant, RegionID: 2}, false},
		{"admin, platform", admin, Grant{Role: AccountPlatformAdmin}, false},
		{"platform, any region", platform, Grant{Role: AccountFunder, RegionID: 2}, true},
		{"platform, platform", platform, Grant{Role: AccountPlatformAdmin}, false},
		{"consultant", consultant, Grant{Role: AccountConsultant, RegionID: 1}, false},
	} {
		if got := tc.u.CanGrant(tc.g); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
	u := User{Grants: []Grant{{Role: AccountConsultant, RegionID: 1}, {Role: AccountFacilitator, RegionID: 2}}}
	got := u.WithRegionGrants(1, []Grant{{Role: AccountFunder, RegionID: 1}})
	if len(got) != 2 || got[0].RegionID != 2 || got[1].Role != AccountFunder {
		t.Fatalf("WithRegionGrants: %+v", got)
	}
}
