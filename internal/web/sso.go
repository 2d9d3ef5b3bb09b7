package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Single sign-on with an OpenID Connect provider (issue 17 §1): the host's
// provider (serve flags) and the regions' (their settings page). The rules
// — allowed domains, amr, which login or invitation an address links to —
// are mtvp's (sso.go); this file speaks the protocol: authorisation code
// flow with state, nonce and PKCE, the state bound to the browser by a
// short-lived cookie and used once.

const (
	ssoCookie   = "meertijd_sso"
	ssoValidity = 10 * time.Minute
)

func (s *Server) ssoRoutes() []route {
	return []route{
		{"GET /inloggen/sso/{provider}", public, s.getSSOStart},
		{"GET /inloggen/sso/{provider}/terug", public, s.getSSOCallback},
		{"GET /regio/{region}/instellingen/sso", signedIn, s.getSSOSettings},
		{"POST /regio/{region}/instellingen/sso", signedIn, s.postSSOSettings},
	}
}

// ssoButton is one "Inloggen met …" button of the login page.
type ssoButton struct {
	Key, Name string
}

// ssoButtons lists the enabled providers: the host's, then the regions'.
func (s *Server) ssoButtons(ctx context.Context) ([]ssoButton, error) {
	var out []ssoButton
	if s.cfg.SSO != nil {
		out = append(out, ssoButton{Key: s.cfg.SSO.Key(), Name: s.cfg.SSO.Name})
	}
	ps, err := s.db.SSOProviders(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		out = append(out, ssoButton{Key: p.Key(), Name: p.Name})
	}
	return out, nil
}

// ssoProvider returns the enabled provider of {provider} and its client
// secret in plain text; ENOTFOUND when there is none.
func (s *Server) ssoProvider(ctx context.Context, key string) (mtvp.SSOProvider, string, error) {
	if key == mtvp.SSOHostKey {
		if s.cfg.SSO == nil {
			return mtvp.SSOProvider{}, "", mtvp.Errorf(mtvp.ENOTFOUND, "no host provider")
		}
		return *s.cfg.SSO, s.cfg.SSOClientSecret, nil
	}
	code, ok := strings.CutPrefix(key, "regio-")
	if !ok {
		return mtvp.SSOProvider{}, "", mtvp.Errorf(mtvp.ENOTFOUND, "no provider")
	}
	reg, err := s.db.RegionByCode(ctx, code)
	if err != nil {
		return mtvp.SSOProvider{}, "", err
	}
	p, enc, err := s.db.SSOProviderOfRegion(ctx, reg.ID)
	if err != nil {
		return p, "", err
	}
	if !p.Enabled {
		return p, "", mtvp.Errorf(mtvp.ENOTFOUND, "provider off")
	}
	var secret string
	if len(enc) > 0 {
		plain, err := auth.Decrypt(s.cfg.SecretKey, enc)
		if err != nil {
			return p, "", err
		}
		secret = string(plain)
	}
	return p, secret, nil
}

// oidcProviders caches each issuer's discovery document and key set.
type oidcProviders struct {
	mu sync.Mutex
	m  map[string]*oidc.Provider
}

// ssoHTTP is the client that talks to providers: never a request's
// lifetime (the key set refreshes itself later), always a timeout.
var ssoHTTP = &http.Client{Timeout: 10 * time.Second}

func (s *Server) oidcProvider(issuer string) (*oidc.Provider, error) {
	s.oidc.mu.Lock()
	defer s.oidc.mu.Unlock()
	if p, ok := s.oidc.m[issuer]; ok {
		return p, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(context.Background(), ssoHTTP), issuer)
	if err != nil {
		return nil, err
	}
	if s.oidc.m == nil {
		s.oidc.m = map[string]*oidc.Provider{}
	}
	s.oidc.m[issuer] = p
	return p, nil
}

func (s *Server) oauthConfig(p mtvp.SSOProvider, secret string, op *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: secret, Endpoint: op.Endpoint(),
		RedirectURL: s.cfg.BaseURL + "/inloggen/sso/" + p.Key() + "/terug",
		Scopes:      []string{oidc.ScopeOpenID, "email", "profile"}}
}

func ssoRandom() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// getSSOStart sends the browser to the provider with a fresh state, nonce
// and PKCE challenge; the state is stored (hashed) with the hash of a
// cookie value only this browser gets.
func (s *Server) getSSOStart(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, secret, err := s.ssoProvider(ctx, r.PathValue("provider"))
	if err != nil {
		return err
	}
	op, err := s.oidcProvider(p.Issuer)
	if err != nil {
		s.log.WarnContext(ctx, "sso discovery", "provider", p.Key(), "err", err)
		return s.ssoRefuse(w, r, http.StatusBadGateway, p.Key(), "", mtvp.SSOReasonProvider, "discovery")
	}
	state, nonce, browser, verifier := ssoRandom(), ssoRandom(), ssoRandom(), oauth2.GenerateVerifier()
	now := time.Now()
	err = s.db.CreateSSOState(ctx, store.SSOState{StateHash: auth.HashToken(state), BrowserHash: auth.HashToken(browser), Provider: p.Key(),
		Nonce: nonce, Verifier: verifier, Next: safeNext(r.URL.Query().Get("next")), CreatedAt: now, ExpiresAt: now.Add(ssoValidity)})
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: browser, Path: "/inloggen/sso/", MaxAge: int(ssoValidity / time.Second),
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, s.oauthConfig(p, secret, op).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusSeeOther)
	return nil
}

// ssoClaims are the ID token's claims meertijd reads (email_verified or
// Entra's xms_edov: mtvp.SSOClaimTrue).
type ssoClaims struct {
	Email         string   `json:"email"`
	EmailVerified any      `json:"email_verified"`
	DomainOwner   any      `json:"xms_edov"`
	Name          string   `json:"name"`
	AMR           []string `json:"amr"`
}

// getSSOCallback takes the provider's answer: the state must be open, this
// browser's and this provider's; the code is exchanged with the PKCE
// verifier; the ID token's signature, issuer, audience, expiry and nonce
// are checked; then mtvp.SSODecide links the address — or refuses, and
// nothing is created.
func (s *Server) getSSOCallback(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	key := r.PathValue("provider")
	ip := auth.ClientIP(r)
	// The throttle follows the wall clock; every callback is reserved as a
	// failure and given back when it signs someone in.
	now := time.Now()
	keys := auth.SSOKeys(ip)
	att, err := s.db.ReserveAttempt(ctx, keys, now, auth.DefaultThrottle)
	if err != nil {
		return err
	}
	if att.Wait > 0 {
		w.Header().Set("Retry-After", auth.RetryAfterHeader(att.Wait))
		return s.ssoRefuse(w, r, http.StatusTooManyRequests, key, "", mtvp.SSOReasonThrottled, "")
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: "/inloggen/sso/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
	q := r.URL.Query()
	st, err := s.db.UseSSOState(ctx, auth.HashToken(q.Get("state")), now)
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		return s.ssoRefuse(w, r, http.StatusBadRequest, key, "", mtvp.SSOReasonState, "")
	}
	if err != nil {
		return err
	}
	c, _ := r.Cookie(ssoCookie)
	if c == nil || auth.HashToken(c.Value) != st.BrowserHash || st.Provider != key {
		return s.ssoRefuse(w, r, http.StatusBadRequest, key, "", mtvp.SSOReasonState, "browser")
	}
	if e := q.Get("error"); e != "" {
		return s.ssoRefuse(w, r, http.StatusUnauthorized, key, "", mtvp.SSOReasonProvider, clip(e, 60))
	}
	p, secret, err := s.ssoProvider(ctx, key)
	if err != nil {
		return err
	}
	op, err := s.oidcProvider(p.Issuer)
	if err != nil {
		return s.ssoRefuse(w, r, http.StatusBadGateway, key, "", mtvp.SSOReasonProvider, "discovery")
	}
	tok, err := s.oauthConfig(p, secret, op).Exchange(context.WithValue(ctx, oauth2.HTTPClient, ssoHTTP), q.Get("code"), oauth2.VerifierOption(st.Verifier))
	if err != nil {
		s.log.WarnContext(ctx, "sso exchange", "provider", key, "err", err)
		return s.ssoRefuse(w, r, http.StatusUnauthorized, key, "", mtvp.SSOReasonProvider, "code exchange")
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := op.Verifier(&oidc.Config{ClientID: p.ClientID}).Verify(ctx, raw)
	if err != nil {
		return s.ssoRefuse(w, r, http.StatusUnauthorized, key, "", mtvp.SSOReasonProvider, clip(err.Error(), 120))
	}
	if idt.Nonce != st.Nonce {
		return s.ssoRefuse(w, r, http.StatusUnauthorized, key, "", mtvp.SSOReasonProvider, "nonce")
	}
	var cl ssoClaims
	if err := idt.Claims(&cl); err != nil {
		return s.ssoRefuse(w, r, http.StatusUnauthorized, key, "", mtvp.SSOReasonProvider, "claims")
	}
	id := mtvp.SSOIdentity{Email: strings.ToLower(strings.TrimSpace(cl.Email)), EmailVerified: mtvp.SSOClaimTrue(cl.EmailVerified) || mtvp.SSOClaimTrue(cl.DomainOwner),
		Name: cl.Name, AMR: cl.AMR}
	return s.ssoSignIn(w, r, p, id, st.Next, keys)
}

// ssoSignIn links the provider's identity to a login (or accepts the open
// invitation) and signs it in, with meertijd's second factor unless the
// provider asserted MFA.
func (s *Server) ssoSignIn(w http.ResponseWriter, r *http.Request, p mtvp.SSOProvider, id mtvp.SSOIdentity, next string, keys []string) error {
	ctx := r.Context()
	var login *mtvp.User
	var inv store.Link
	if mtvp.ValidEmail(id.Email) {
		switch u, err := s.db.UserByEmail(ctx, id.Email); {
		case err == nil:
			login = &u
		case mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
			return err
		default:
			switch l, err := s.db.OpenInvitation(ctx, id.Email, p.RegionID, time.Now()); {
			case err == nil:
				inv = l
			case mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
				return err
			}
		}
	}
	action, reason := mtvp.SSODecide(p, id, login, inv.Grants())
	var u mtvp.User
	switch action {
	case mtvp.SSORefuse:
		return s.ssoRefuse(w, r, http.StatusForbidden, p.Key(), id.Email, reason, "")
	case mtvp.SSOUseLogin:
		u = *login
	case mtvp.SSOAcceptInvitation:
		name := strings.Join(strings.Fields(id.Name), " ")
		if name == "" {
			name = inv.Name
		}
		if name == "" {
			name = id.Email
		}
		var err error
		if u, err = s.db.AcceptInvitationBySSO(ctx, inv.ID, time.Now(), name, inv.Locale); err != nil {
			return err
		}
	}
	if err := s.db.ReleaseAttempt(ctx, auth.IPKeys(keys)...); err != nil {
		return err
	}
	detail := p.Key()
	if mtvp.SSOAssertsMFA(id.AMR) {
		detail += " (mfa)"
	}
	if err := s.db.RecordAuthEvent(ctx, store.AuthEvent{UserID: u.ID, Email: u.Email, IP: auth.ClientIP(r), Action: store.AuthSSOLogin, Detail: detail}); err != nil {
		return err
	}
	cred, err := s.db.CredentialsByUserID(ctx, u.ID)
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessEpoch, u.SessionEpoch)
	if action == mtvp.SSOAcceptInvitation {
		s.sessions.Put(ctx, sessLang, u.Locale)
	}
	if mtvp.SSOSecondFactor(id.AMR, s.needsSecondFactor(&u, cred)) {
		s.sessions.Put(ctx, sessMFADone, false)
		s.sessions.Put(ctx, sessNext, next)
		http.Redirect(w, r, "/inloggen/tweestaps", http.StatusSeeOther)
		return nil
	}
	return s.completeLogin(w, r, u.ID, next)
}

// ssoRefuse logs a refused single sign-on with its reason and shows the
// login page with the reason in words; nothing else happened.
func (s *Server) ssoRefuse(w http.ResponseWriter, r *http.Request, status int, key, email, reason, detail string) error {
	d := key + ": " + strings.TrimPrefix(reason, "sso.refused.")
	if detail != "" {
		d += " (" + detail + ")"
	}
	if err := s.authEvent(r.Context(), email, store.AuthEvent{Email: email, IP: auth.ClientIP(r), Detail: d}, store.AuthSSOFailed); err != nil {
		return err
	}
	return s.renderLogin(w, r, status, loginForm{Next: "/"}, reason)
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
