package mtvp

import (
	"slices"
	"testing"
)

func TestParseDomainsAndAllowed(t *testing.T) {
	got := ParseDomains(" @ZIO.nl, zio.nl;huisarts.nl\nrho.example ")
	if want := []string{"zio.nl", "huisarts.nl", "rho.example"}; !slices.Equal(got, want) {
		t.Fatalf("ParseDomains = %v, want %v", got, want)
	}
	for _, tc := range []struct {
		email string
		want  bool
	}{
		{"a@zio.nl", true},
		{"a@ZIO.NL", true},
		{"a@evil.zio.nl", false}, // no subdomains
		{"a@zio.nl.evil", false},
		{"zio.nl", false},
		{"a@", false},
		{"@zio.nl", false},
	} {
		if got := EmailDomainAllowed(tc.email, []string{"zio.nl"}); got != tc.want {
			t.Errorf("EmailDomainAllowed(%q) = %v, want %v", tc.email, got, tc.want)
		}
	}
}

func TestSSOProviderValidate(t *testing.T) {
	ok := SSOProvider{Name: "Microsoft", Issuer: "https://login.microsoftonline.com/abc/v2.0", ClientID: "id", Domains: []string{"zio.nl"}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid provider refused: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*SSOProvider)
		field string
	}{
		{"no name", func(p *SSOProvider) { p.Name = "" }, "name"},
		{"plain http elsewhere", func(p *SSOProvider) { p.Issuer = "http://idp.example.nl" }, "issuer"},
		{"not a url", func(p *SSOProvider) { p.Issuer = "login" }, "issuer"},
		{"query in issuer", func(p *SSOProvider) { p.Issuer = "https://idp.example.nl/?x=1" }, "issuer"},
		{"no client", func(p *SSOProvider) { p.ClientID = "" }, "client_id"},
		{"no domains", func(p *SSOProvider) { p.Domains = nil }, "domains"},
		{"bad domain", func(p *SSOProvider) { p.Domains = []string{"zio nl!"} }, "domains"},
	} {
		p := ok
		tc.edit(&p)
		if f := FieldErrorsOf(p.Validate()); f[tc.field] == "" {
			t.Errorf("%s: no error on %s (%v)", tc.name, tc.field, f)
		}
	}
	local := ok
	local.Issuer = "http://127.0.0.1:5556/dex"
	if err := local.Validate(); err != nil {
		t.Errorf("a provider on this machine over http refused: %v", err)
	}
}

func TestSSOAssertsMFA(t *testing.T) {
	for _, tc := range []struct {
		amr  []string
		want bool
	}{
		{nil, false},
		{[]string{"pwd"}, false},
		{[]string{"pwd", "mfa"}, true},
		{[]string{"pwd", "otp"}, true},
		{[]string{"hwk"}, true},
		{[]string{"ngcmfa"}, true},
		{[]string{"wiaormfa"}, false}, // Entra: either Windows sign-in or MFA — not a promise
		{[]string{"MFA"}, true},
	} {
		if got := SSOAssertsMFA(tc.amr); got != tc.want {
			t.Errorf("SSOAssertsMFA(%v) = %v, want %v", tc.amr, got, tc.want)
		}
		if SSOSecondFactor(tc.amr, false) {
			t.Errorf("SSOSecondFactor(%v, false): asked TOTP of a login that needs none", tc.amr)
		}
		if got := SSOSecondFactor(tc.amr, true); got == tc.want {
			t.Errorf("SSOSecondFactor(%v, true) = %v", tc.amr, got)
		}
	}
}

func TestSSODecide(t *testing.T) {
	host := SSOProvider{Domains: []string{"zio.nl"}}
	regionA := SSOProvider{RegionID: 1, RegionCode: "a", Domains: []string{"zio.nl"}}
	id := SSOIdentity{Email: "Pm@zio.nl", EmailVerified: true}
	inA := &User{Grants: []Grant{{Role: AccountRegionAdmin, RegionID: 1}}}
	inAB := &User{Grants: []Grant{{Role: AccountConsultant, RegionID: 1}, {Role: AccountConsultant, RegionID: 2}}}
	platform := &User{Grants: []Grant{{Role: AccountPlatformAdmin}}}
	disabled := &User{Disabled: true, Grants: inA.Grants}
	invA := []Grant{{Role: AccountPractice, RegionID: 1, PracticeID: 7}}
	invB := []Grant{{Role: AccountFunder, RegionID: 2}}
	unverified, otherDomain, noEmail := id, id, id
	unverified.EmailVerified = false
	otherDomain.Email = "pm@evil.nl"
	noEmail.Email = ""
	for _, tc := range []struct {
		name   string
		p      SSOProvider
		id     SSOIdentity
		login  *User
		inv    []Grant
		action SSOAction
		reason string
	}{
		{"existing login", host, id, inA, nil, SSOUseLogin, ""},
		{"login wins over invitation", host, id, inA, invA, SSOUseLogin, ""},
		{"invitation only", host, id, nil, invA, SSOAcceptInvitation, ""},
		{"neither", host, id, nil, nil, SSORefuse, SSOReasonNoAccount},
		{"unverified", host, unverified, inA, nil, SSORefuse, SSOReasonUnverified},
		{"unverified invitation", host, unverified, nil, invA, SSORefuse, SSOReasonUnverified},
		{"domain", host, otherDomain, inA, nil, SSORefuse, SSOReasonDomain},
		{"no e-mail", host, noEmail, nil, nil, SSORefuse, SSOReasonNoEmail},
		{"disabled", host, id, disabled, nil, SSORefuse, SSOReasonDisabled},
		{"host provider, platform admin", host, id, platform, nil, SSOUseLogin, ""},
		{"region provider, own region", regionA, id, inA, nil, SSOUseLogin, ""},
		{"region provider, login also elsewhere", regionA, id, inAB, nil, SSORefuse, SSOReasonOtherRegion},
		{"region provider, platform admin", regionA, id, platform, nil, SSORefuse, SSOReasonOtherRegion},
		{"region provider, own invitation", regionA, id, nil, invA, SSOAcceptInvitation, ""},
		{"region provider, other region's invitation", regionA, id, nil, invB, SSORefuse, SSOReasonOtherRegion},
	} {
		action, reason := SSODecide(tc.p, tc.id, tc.login, tc.inv)
		if action != tc.action || reason != tc.reason {
			t.Errorf("%s: got %v %q, want %v %q", tc.name, action, reason, tc.action, tc.reason)
		}
	}
}

func TestSSOClaimTrue(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want bool
	}{{true, true}, {false, false}, {"true", true}, {"True", true}, {"1", true}, {"false", false}, {nil, false}, {1.0, false}} {
		if got := SSOClaimTrue(tc.v); got != tc.want {
			t.Errorf("SSOClaimTrue(%#v) = %v", tc.v, got)
		}
	}
}
