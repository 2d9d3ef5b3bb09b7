package mtvp

import (
	"net/url"
	"slices"
	"strings"
)

// Single sign-on (issue 17 §1): signing in with an OpenID Connect provider
// (Microsoft Entra ID or any other), configured for the whole host or per
// region. The provider vouches for an e-mail address; meertijd links it to
// an existing login or to an open invitation of that address, never making
// a login with more rights than an invitation gave.

// SSOProvider is an OpenID Connect provider users may sign in with.
type SSOProvider struct {
	// RegionID is the region that configured it; 0 is the host's provider
	// (serve flags).
	RegionID   int64
	RegionCode string
	Name       string // on the button: "Inloggen met <Name>"
	Issuer     string // e.g. https://login.microsoftonline.com/{tenant}/v2.0
	ClientID   string
	Domains    []string // allowed e-mail domains, lower case
	Enabled    bool
	// HasSecret: a client secret is stored (never shown again).
	HasSecret bool
	Version   int
}

// SSOHostKey is the {provider} of the host's provider in the routes.
const SSOHostKey = "host"

// Key is the provider's {provider} in /inloggen/sso/{provider}: "host",
// or "regio-" and the region's code.
func (p SSOProvider) Key() string {
	if p.RegionID == 0 {
		return SSOHostKey
	}
	return "regio-" + p.RegionCode
}

// Normalize trims input and normalises the domain list.
func (p *SSOProvider) Normalize() {
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p.Issuer = strings.TrimRight(strings.TrimSpace(p.Issuer), "/")
	p.ClientID = strings.TrimSpace(p.ClientID)
	p.Domains = ParseDomains(strings.Join(p.Domains, ","))
}

// Validate checks a provider's settings. The issuer is an https URL (plain
// http only for a provider on this machine, as in tests); at least one
// e-mail domain is allowed: a provider that may vouch for any address
// could sign in anyone.
func (p SSOProvider) Validate() error {
	f := FieldErrors{}
	if p.Name == "" {
		f.Add("name", "err.required")
	} else if len(p.Name) > 60 {
		f.Add("name", "err.too_long")
	}
	if p.Issuer == "" {
		f.Add("issuer", "err.required")
	} else if !validIssuer(p.Issuer) {
		f.Add("issuer", "sso.err.issuer")
	}
	if p.ClientID == "" {
		f.Add("client_id", "err.required")
	} else if len(p.ClientID) > 200 {
		f.Add("client_id", "err.too_long")
	}
	if len(p.Domains) == 0 {
		f.Add("domains", "sso.err.domains_required")
	}
	for _, d := range p.Domains {
		if !ValidEmail("x@" + d) {
			f.Add("domains", "sso.err.domain")
		}
	}
	return f.Err()
}

func validIssuer(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		h := u.Hostname()
		return h == "localhost" || h == "127.0.0.1" || h == "::1"
	}
	return false
}

// ParseDomains reads a list of e-mail domains separated by commas, spaces
// or lines ("@" in front allowed): lower case, without doubles, in order.
func ParseDomains(s string) []string {
	var out []string
	for _, d := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
		if d != "" && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// EmailDomainAllowed reports whether email's domain is exactly one of
// domains (no subdomains: "zio.nl" does not allow "x@evil.zio.nl").
func EmailDomainAllowed(email string, domains []string) bool {
	at := strings.LastIndexByte(email, '@')
	if at <= 0 || at == len(email)-1 {
		return false
	}
	return slices.Contains(domains, strings.ToLower(email[at+1:]))
}

// mfaMethods are the authentication methods (amr, RFC 8176, and Entra
// ID's "ngcmfa") that mean the provider checked more than a password:
// an explicit multi-factor claim, a one-time code, a key held in
// hardware or software, or a biometric.
var mfaMethods = []string{"mfa", "mca", "otp", "hwk", "swk", "sc", "sms", "tel", "fpt", "face", "iris", "retina", "vbm", "ngcmfa"}

// SSOAssertsMFA reports whether the provider's amr claim says the user
// passed a second factor there, so meertijd does not ask for TOTP.
func SSOAssertsMFA(amr []string) bool {
	for _, m := range amr {
		if slices.Contains(mfaMethods, strings.ToLower(m)) {
			return true
		}
	}
	return false
}

// SSOSecondFactor reports whether meertijd asks its own TOTP step after a
// sign-in by the provider: when the login needs one (needed, from its
// roles or its own choice) and the provider did not assert MFA.
func SSOSecondFactor(amr []string, needed bool) bool {
	return needed && !SSOAssertsMFA(amr)
}

// SSOClaimTrue reads a boolean claim as providers send it: true, or the
// string "true" (some send strings). Entra ID says a verified address with
// xms_edov (the e-mail domain's owner verified it) rather than
// email_verified; either counts.
func SSOClaimTrue(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return strings.EqualFold(x, "true") || x == "1"
	}
	return false
}

// SSOAction is what a sign-in by a provider does.
type SSOAction int

const (
	SSORefuse           SSOAction = iota // nothing is created or signed in
	SSOUseLogin                          // sign in the existing login
	SSOAcceptInvitation                  // make the login of the open invitation
)

// SSO refusal reasons: i18n keys of the login page, and the detail of the
// failure in the authentication log.
const (
	SSOReasonNoEmail     = "sso.refused.no_email"
	SSOReasonUnverified  = "sso.refused.unverified"
	SSOReasonDomain      = "sso.refused.domain"
	SSOReasonNoAccount   = "sso.refused.no_account"
	SSOReasonDisabled    = "sso.refused.disabled"
	SSOReasonOtherRegion = "sso.refused.other_region"
	SSOReasonProvider    = "sso.refused.provider" // the provider answered an error or an invalid token
	SSOReasonState       = "sso.refused.state"    // unknown, used, expired or another browser's state
	SSOReasonThrottled   = "sso.refused.throttled"
)

// SSOIdentity is what the provider's verified ID token says.
type SSOIdentity struct {
	Email         string
	EmailVerified bool
	Name          string
	AMR           []string
}

// SSODecide decides what a sign-in by provider p for identity id does,
// given the login with that address (nil: none) and the grants of the
// open invitation of that address (nil: none). The address must be
// verified by the provider and in p's domains. A region's provider vouches
// only inside its region: it signs in a login whose every grant is in
// that region (never a platform admin) and accepts an invitation into
// that region only; the host's provider signs in any login.
func SSODecide(p SSOProvider, id SSOIdentity, login *User, invitation []Grant) (SSOAction, string) {
	email := strings.ToLower(strings.TrimSpace(id.Email))
	switch {
	case email == "" || !ValidEmail(email):
		return SSORefuse, SSOReasonNoEmail
	case !id.EmailVerified:
		return SSORefuse, SSOReasonUnverified
	case !EmailDomainAllowed(email, p.Domains):
		return SSORefuse, SSOReasonDomain
	}
	if login != nil {
		if login.Disabled {
			return SSORefuse, SSOReasonDisabled
		}
		if p.RegionID != 0 && !grantsInRegion(login.Grants, p.RegionID) {
			return SSORefuse, SSOReasonOtherRegion
		}
		return SSOUseLogin, ""
	}
	if len(invitation) == 0 {
		return SSORefuse, SSOReasonNoAccount
	}
	if p.RegionID != 0 && !grantsInRegion(invitation, p.RegionID) {
		return SSORefuse, SSOReasonOtherRegion
	}
	return SSOAcceptInvitation, ""
}

func grantsInRegion(gs []Grant, regionID int64) bool {
	if len(gs) == 0 {
		return false
	}
	for _, g := range gs {
		if g.Role == AccountPlatformAdmin || g.RegionID != regionID {
			return false
		}
	}
	return true
}
