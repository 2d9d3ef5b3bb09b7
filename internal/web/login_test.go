package web

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

const testPassword = "correct paard batterij niet"

// browserClient talks to a real HTTP server with a cookie jar, like a
// browser: it does not follow redirects so each step can be checked.
type browserClient struct {
	t    *testing.T
	c    *http.Client
	base string
}

func newBrowser(t *testing.T, f *fixture) *browserClient {
	srv := httptest.NewServer(f.handler)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &browserClient{t: t, base: srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browserClient) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, readBody(b.t, resp)
}

func (b *browserClient) post(path string, form url.Values, header ...string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, readBody(b.t, resp)
}

func (b *browserClient) sessionToken() string {
	u, _ := url.Parse(b.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "meertijd_session" {
			return c.Value
		}
	}
	return ""
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return sb.String()
}

func setPassword(t *testing.T, f *fixture, w who) {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetPassword(context.Background(), mtvp.SystemActor, f.users[w].ID, hash); err != nil {
		t.Fatal(err)
	}
}

func TestLoginWithoutSecondFactor(t *testing.T) {
	f := newFixture(t)
	setPassword(t, f, practiceP1)
	b := newBrowser(t, f)

	resp, _ := b.get("/regio/regio-a")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/inloggen?next=") {
		t.Fatalf("signed-out page: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Choosing a language starts a session before login; login must renew
	// its token (no session fixation).
	b.post("/taal", url.Values{"lang": {"nl"}, "next": {"/inloggen"}})
	before := b.sessionToken()
	if before == "" {
		t.Fatal("no session before login")
	}

	resp, body := b.post("/inloggen", url.Values{"email": {f.users[practiceP1].Email}, "password": {"verkeerd"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Het e-mailadres of wachtwoord klopt niet") {
		t.Fatalf("wrong password: %d %.300s", resp.StatusCode, body)
	}
	resp, _ = b.post("/inloggen", url.Values{"email": {strings.ToUpper(f.users[practiceP1].Email)}, "password": {testPassword}, "next": {"/account"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
		t.Fatalf("login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	after := b.sessionToken()
	if after == "" || after == before {
		t.Fatalf("session token not renewed at login (%q → %q)", before, after)
	}
	resp, body = b.get("/account")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, f.users[practiceP1].Email) {
		t.Fatalf("account page: %d", resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("signed-in page Cache-Control %q, want no-store", cc)
	}

	// Logout ends the session on the server: the old cookie is worthless.
	old := after
	resp, _ = b.post("/uitloggen", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	req := httptest.NewRequest(http.MethodGet, "/account", nil)
	req.AddCookie(&http.Cookie{Name: "meertijd_session", Value: old})
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("old session after logout: %d, want redirect to login", rec.Code)
	}
}

var secretPattern = regexp.MustCompile(`<code class="secret">([A-Z2-7]+)</code>`)

func TestTOTPEnrolmentAndUse(t *testing.T) {
	f := newFixture(t)
	setPassword(t, f, adminA)
	now := time.Now()
	b := newBrowser(t, f)
	b.get("/inloggen")
	resp, _ := b.post("/inloggen", url.Values{"email": {f.users[adminA].Email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/inloggen/tweestaps" {
		t.Fatalf("admin login must ask for a second factor: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Half signed in: no region pages yet.
	if resp, _ := b.get("/regio/regio-a/praktijken"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/inloggen/tweestaps" {
		t.Fatalf("pages before second factor: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := b.get("/inloggen/tweestaps")
	m := secretPattern.FindStringSubmatch(body)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(body, `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page without QR code and secret: %d %.500s", resp.StatusCode, body)
	}
	secret := m[1]
	// A reload keeps the same secret (the user may have scanned it already).
	_, body2 := b.get("/inloggen/tweestaps")
	if m2 := secretPattern.FindStringSubmatch(body2); m2 == nil || m2[1] != secret {
		t.Fatal("secret changed on reload")
	}
	resp, _ = b.post("/inloggen/tweestaps", url.Values{"code": {"000000"}})
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong code: %d", resp.StatusCode)
	}
	code, _ := totp.GenerateCode(secret, now)
	resp, body = b.post("/inloggen/tweestaps", url.Values{"code": {code}})
	if resp.StatusCode != 200 || strings.Count(body, "<li><code>") != 10 {
		t.Fatalf("enrolment should show 10 recovery codes: %d %.500s", resp.StatusCode, body)
	}
	recovery := regexp.MustCompile(`<li><code>([^<]+)</code>`).FindStringSubmatch(body)[1]
	if resp, _ := b.get("/regio/regio-a/praktijken"); resp.StatusCode != 200 {
		t.Fatalf("after enrolment: %d", resp.StatusCode)
	}

	// Next login: the same code (same time step) is refused — a code works once.
	b2 := newBrowser(t, f)
	b2.get("/inloggen")
	b2.post("/inloggen", url.Values{"email": {f.users[adminA].Email}, "password": {testPassword}})
	resp, body = b2.get("/inloggen/tweestaps")
	if strings.Contains(body, `class="secret"`) {
		t.Fatal("enrolled user must not see a new secret")
	}
	resp, body = b2.post("/inloggen/tweestaps", url.Values{"code": {code}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "al gebruikt") {
		t.Fatalf("reused code: %d %.300s", resp.StatusCode, body)
	}
	// A recovery code works once.
	resp, _ = b2.post("/inloggen/tweestaps", url.Values{"code": {recovery}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("recovery code: %d", resp.StatusCode)
	}
	b3 := newBrowser(t, f)
	b3.get("/inloggen")
	b3.post("/inloggen", url.Values{"email": {f.users[adminA].Email}, "password": {testPassword}})
	if resp, _ := b3.post("/inloggen/tweestaps", url.Values{"code": {recovery}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("reused recovery code: %d", resp.StatusCode)
	}
}

func TestCSRFRefused(t *testing.T) {
	f := newFixture(t)
	setPassword(t, f, practiceP1)
	b := newBrowser(t, f)
	b.get("/inloggen")
	b.post("/inloggen", url.Values{"email": {f.users[practiceP1].Email}, "password": {testPassword}})
	before := f.auditCount()
	// A form posted from another site (the browser says so) is refused.
	resp, body := b.post("/account/wachtwoord", url.Values{"current": {testPassword}, "new": {"een ander lang wachtwoord"}, "confirm": {"een ander lang wachtwoord"}},
		"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "niet van meertijd zelf") {
		t.Fatalf("cross-site post: %d %.300s", resp.StatusCode, body)
	}
	if f.auditCount() != before {
		t.Fatal("cross-site post changed data")
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	rec := f.do(anon, http.MethodGet, "/inloggen", nil)
	h := rec.Header()
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	} {
		if h.Get(name) != want {
			t.Errorf("%s = %q, want %q", name, h.Get(name), want)
		}
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	if h.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS without TLS")
	}
	cookie := rec.Header().Get("Set-Cookie")
	if cookie != "" && (!strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax")) {
		t.Errorf("session cookie flags: %s", cookie)
	}
}

// A practice login may switch on the second factor itself; from then on
// every login asks for a code.
func TestVoluntaryTOTP(t *testing.T) {
	f := newFixture(t)
	setPassword(t, f, practiceP1)
	b := newBrowser(t, f)
	b.post("/inloggen", url.Values{"email": {f.users[practiceP1].Email}, "password": {testPassword}})
	resp, _ := b.post("/account/tweestaps", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/inloggen/tweestaps" {
		t.Fatalf("enable: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := b.get("/inloggen/tweestaps")
	m := secretPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no enrolment")
	}
	code, _ := totp.GenerateCode(m[1], time.Now())
	if resp, _ := b.post("/inloggen/tweestaps", url.Values{"code": {code}}); resp.StatusCode != 200 {
		t.Fatalf("enrol: %d", resp.StatusCode)
	}
	if _, body := b.get("/account"); !strings.Contains(body, "Ingeschakeld") {
		t.Fatal("account page does not show the second factor on")
	}
	b2 := newBrowser(t, f)
	resp, _ = b2.post("/inloggen", url.Values{"email": {f.users[practiceP1].Email}, "password": {testPassword}})
	if resp.Header.Get("Location") != "/inloggen/tweestaps" {
		t.Fatalf("next login without second step: %s", resp.Header.Get("Location"))
	}
}
