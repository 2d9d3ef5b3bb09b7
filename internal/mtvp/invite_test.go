package mtvp

import (
	"testing"
	"time"
)

func TestMayInvite(t *testing.T) {
	platform := &User{Grants: []Grant{{Role: AccountPlatformAdmin}}}
	adminA := &User{Grants: []Grant{{Role: AccountRegionAdmin, RegionID: 1}}}
	consultantA := &User{Grants: []Grant{{Role: AccountConsultant, RegionID: 1}}}
	practice10 := &User{Grants: []Grant{{Role: AccountPractice, RegionID: 1, PracticeID: 10}}}
	gpAndEKC := &User{Grants: []Grant{{Role: AccountPractice, RegionID: 1, PracticeID: 10}, {Role: AccountFacilitator, RegionID: 1}}}
	disabled := &User{Disabled: true, Grants: []Grant{{Role: AccountRegionAdmin, RegionID: 1}}}
	for _, tc := range []struct {
		name    string
		inviter *User
		grant   Grant
		want    bool
	}{
		{"platform: first region admin", platform, Grant{Role: AccountRegionAdmin, RegionID: 2}, true},
		{"platform: no other platform admin", platform, Grant{Role: AccountPlatformAdmin}, false},
		{"region admin: consultant in own region", adminA, Grant{Role: AccountConsultant, RegionID: 1}, true},
		{"region admin: another region admin in own region", adminA, Grant{Role: AccountRegionAdmin, RegionID: 1}, true},
		{"region admin: practice in own region", adminA, Grant{Role: AccountPractice, RegionID: 1, PracticeID: 11}, true},
		{"region admin: not in another region", adminA, Grant{Role: AccountConsultant, RegionID: 2}, false},
		{"region admin: not platform admin", adminA, Grant{Role: AccountPlatformAdmin}, false},
		{"consultant: nobody", consultantA, Grant{Role: AccountPractice, RegionID: 1, PracticeID: 10}, false},
		{"practice: own practice", practice10, Grant{Role: AccountPractice, RegionID: 1, PracticeID: 10}, true},
		{"practice: not another practice", practice10, Grant{Role: AccountPractice, RegionID: 1, PracticeID: 11}, false},
		{"practice: not a consultant", practice10, Grant{Role: AccountConsultant, RegionID: 1}, false},
		{"practice: not its practice in another region id", practice10, Grant{Role: AccountPractice, RegionID: 2, PracticeID: 10}, false},
		{"facilitator grant gives no right to invite facilitators", gpAndEKC, Grant{Role: AccountFacilitator, RegionID: 1}, false},
		{"invalid grant", adminA, Grant{Role: AccountPractice, RegionID: 1}, false},
		{"disabled inviter", disabled, Grant{Role: AccountConsultant, RegionID: 1}, false},
		{"nobody", nil, Grant{Role: AccountConsultant, RegionID: 1}, false},
	} {
		if got := MayInvite(tc.inviter, tc.grant); got != tc.want {
			t.Errorf("%s: MayInvite = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestLinkStateAt(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	exp := t0.Add(InvitationValidity)
	for _, tc := range []struct {
		name          string
		used, revoked time.Time
		now           time.Time
		want          LinkState
	}{
		{"fresh", time.Time{}, time.Time{}, t0, LinkOpen},
		{"a second before expiry", time.Time{}, time.Time{}, exp.Add(-time.Second), LinkOpen},
		{"at expiry", time.Time{}, time.Time{}, exp, LinkExpired},
		{"used", t0.Add(time.Hour), time.Time{}, t0.Add(2 * time.Hour), LinkUsed},
		{"used, later expired: still used", t0.Add(time.Hour), time.Time{}, exp.Add(time.Hour), LinkUsed},
		{"revoked", time.Time{}, t0.Add(time.Hour), t0.Add(2 * time.Hour), LinkRevoked},
	} {
		if got := LinkStateAt(exp, tc.used, tc.revoked, tc.now); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}
