package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/oidctest"
	"meertijd/internal/store"
)

// ssoWorld is the fixture served over real HTTP beside an OpenID provider
// running in the test process, configured as the host's provider.
type ssoWorld struct {
	*fixture
	app *httptest.Server
	idp *oidctest.Provider
}

func newSSOWorld(t *testing.T) *ssoWorld {
	f := newFixture(t)
	w := &ssoWorld{fixture: f, idp: oidctest.New(t)}
	w.app = httptest.NewServer(f.handler)
	t.Cleanup(w.app.Close)
	f.srv.cfg.BaseURL = w.app.URL
	f.srv.cfg.SSO = &mtvp.SSOProvider{Name: "Test-IdP", Issuer: w.idp.Issuer, ClientID: w.idp.ClientID, Domains: []string{"example.nl"}, Enabled: true}
	f.srv.cfg.SSOClientSecret = w.idp.ClientSecret
	return w
}

// ssoResult is where a browser ended after clicking a provider's button.
type ssoResult struct {
	status   int
	path     string // of the last page
	body     string
	callback string // the callback URL the provider sent the browser to
	client   *http.Client
}

// signIn clicks "Inloggen met …" of provider in a fresh browser and
// follows every redirect, as the provider signs in id.
func (w *ssoWorld) signIn(t *testing.T, provider string, id oidctest.Identity) ssoResult {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	res := ssoResult{}
	res.client = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if strings.HasSuffix(req.URL.Path, "/terug") {
			res.callback = req.URL.String()
		}
		return nil
	}}
	w.idp.SignInAs(id)
	resp, err := res.client.Get(w.app.URL + "/inloggen/sso/" + provider)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	res.status, res.path, res.body = resp.StatusCode, resp.Request.URL.Path, string(b)
	return res
}

// home: signed in and on a page of the app (home leads on to the
// login's region).
func (r ssoResult) home() bool {
	return r.status == 200 && (r.path == "/" || strings.HasPrefix(r.path, "/regio/"))
}

func (w *ssoWorld) lastAuthEvent(t *testing.T) mtvp.AuditEntry {
	t.Helper()
	es, err := w.db.AuthEvents(context.Background(), 0, 1)
	if err != nil || len(es) == 0 {
		t.Fatalf("auth events: %v %v", es, err)
	}
	return es[0]
}

func detailOf(e mtvp.AuditEntry) string {
	for _, c := range e.Changes {
		if c.Field == "Detail" {
			return c.New
		}
	}
	return ""
}

func TestSSOSignIn(t *testing.T) {
	w := newSSOWorld(t)
	ctx := context.Background()
	practice := w.users[practiceP1] // needs no second factor
	admin := w.users[adminA]        // needs TOTP
	users := func() int {
		n := 0
		for _, reg := range []int64{w.regionA.ID, w.regionB.ID} {
			us, err := w.db.ListUsers(ctx, reg)
			if err != nil {
				t.Fatal(err)
			}
			n += len(us)
		}
		return n
	}
	before := users()

	t.Run("success", func(t *testing.T) {
		res := w.signIn(t, "host", oidctest.Identity{Email: practice.Email, EmailVerified: true})
		if !res.home() {
			t.Fatalf("ended at %s with %d: %.300s", res.path, res.status, res.body)
		}
		if e := w.lastAuthEvent(t); e.Action != store.AuthSSOLogin || e.EntityID != practice.ID {
			t.Fatalf("auth log: %+v", e)
		}
		if body := w.do(adminA, "GET", "/regio/{region}/inlogactiviteit", nil).Body.String(); !strings.Contains(body, "Ingelogd via organisatie") {
			t.Fatalf("region's auth log lacks the sign-in: %.3000s", body)
		}
		// The state was used: the same callback again is refused.
		resp, err := res.client.Get(res.callback)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("replayed callback: %d", resp.StatusCode)
		}
		if e := w.lastAuthEvent(t); e.Action != store.AuthSSOFailed || !strings.Contains(detailOf(e), "state") {
			t.Fatalf("replay in the auth log: %+v", e)
		}
	})

	t.Run("state of another browser", func(t *testing.T) {
		res := w.signIn(t, "host", oidctest.Identity{Email: practice.Email, EmailVerified: true})
		if !res.home() {
			t.Fatalf("first browser: %s %d", res.path, res.status)
		}
		// A fresh state, then the callback opened in another browser
		// (without the cookie): refused.
		jar, _ := cookiejar.New(nil)
		var cb string
		c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if strings.HasSuffix(req.URL.Path, "/terug") {
				cb = req.URL.String()
				return http.ErrUseLastResponse
			}
			return nil
		}}
		resp, err := c.Get(w.app.URL + "/inloggen/sso/host")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		resp, err = http.Get(cb)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("callback in another browser: %d", resp.StatusCode)
		}
	})

	for _, tc := range []struct {
		name   string
		id     oidctest.Identity
		status int
		reason string
	}{
		{"wrong audience", oidctest.Identity{Email: practice.Email, EmailVerified: true, Audience: "een-andere-app"}, 401, "provider"},
		{"expired token", oidctest.Identity{Email: practice.Email, EmailVerified: true, Expiry: -time.Minute}, 401, "provider"},
		{"other issuer", oidctest.Identity{Email: practice.Email, EmailVerified: true, Issuer: "https://elders.example"}, 401, "provider"},
		{"unverified e-mail", oidctest.Identity{Email: practice.Email, EmailVerified: false}, 403, "unverified"},
		{"domain not allowed", oidctest.Identity{Email: "iemand@elders.nl", EmailVerified: true}, 403, "domain"},
		{"no account, no invitation", oidctest.Identity{Email: "onbekend@example.nl", EmailVerified: true}, 403, "no_account"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := w.signIn(t, "host", tc.id)
			if res.status != tc.status || !strings.HasSuffix(res.path, "/terug") {
				t.Fatalf("ended at %s with %d, want %d on the callback", res.path, res.status, tc.status)
			}
			if !strings.Contains(res.body, `role="alert"`) {
				t.Fatalf("no refusal on the page: %.300s", res.body)
			}
			if e := w.lastAuthEvent(t); e.Action != store.AuthSSOFailed || !strings.Contains(detailOf(e), tc.reason) {
				t.Fatalf("auth log: %s %q", e.Action, detailOf(e))
			}
			// Not signed in.
			resp, err := res.client.Get(w.app.URL + "/account")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.Request.URL.Path != "/inloggen" {
				t.Fatalf("signed in after a refusal: %s", resp.Request.URL.Path)
			}
		})
	}
	if n := users(); n != before {
		t.Fatalf("%d logins made by refused sign-ins", n-before)
	}

	t.Run("refusal in Dutch", func(t *testing.T) {
		res := w.signIn(t, "host", oidctest.Identity{Email: "onbekend@example.nl", EmailVerified: true})
		if !strings.Contains(res.body, "geen account en geen openstaande uitnodiging") {
			t.Fatalf("no Dutch refusal: %.500s", res.body)
		}
	})

	t.Run("MFA asserted skips TOTP", func(t *testing.T) {
		res := w.signIn(t, "host", oidctest.Identity{Email: admin.Email, EmailVerified: true, AMR: []string{"pwd", "mfa"}})
		if !res.home() {
			t.Fatalf("ended at %s with %d", res.path, res.status)
		}
		if d := detailOf(w.lastAuthEvent(t)); !strings.Contains(d, "mfa") {
			t.Fatalf("auth log detail %q", d)
		}
	})
	t.Run("password only asks TOTP", func(t *testing.T) {
		res := w.signIn(t, "host", oidctest.Identity{Email: admin.Email, EmailVerified: true, AMR: []string{"pwd"}})
		if res.path != "/inloggen/tweestaps" {
			t.Fatalf("ended at %s with %d, want the second step", res.path, res.status)
		}
		// The second step holds: home is not open yet.
		resp, err := res.client.Get(w.app.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Request.URL.Path != "/inloggen/tweestaps" {
			t.Fatalf("home opened before the second factor: %s", resp.Request.URL.Path)
		}
	})
}

// An address with an open invitation and no login gets exactly the
// invitation's grants; a region's provider signs in only inside its region.
func TestSSOInvitationAndRegionProvider(t *testing.T) {
	w := newSSOWorld(t)
	ctx := context.Background()
	now := time.Now().UTC()
	l := store.Link{Purpose: store.LinkInvite, Email: "nieuw@example.nl", Name: "Nieuwe Collega", Locale: "nl",
		Grant: mtvp.Grant{Role: mtvp.AccountPractice, RegionID: w.regionA.ID, PracticeID: w.p1.ID}, CreatedBy: w.users[practiceP1].ID,
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := w.db.CreateLink(ctx, &l, "sso-invite-token", nil); err != nil {
		t.Fatal(err)
	}
	// A region provider of region A, set on its settings page.
	form := url.Values{"version": {"0"}, "name": {"Regio A"}, "issuer": {w.idp.Issuer}, "client_id": {w.idp.ClientID},
		"client_secret": {w.idp.ClientSecret}, "domains": {"example.nl"}, "enabled": {"1"}}
	if rec := w.do(adminA, "POST", "/regio/{region}/instellingen/sso", form); rec.Code != 303 {
		t.Fatalf("settings: %d %.300s", rec.Code, rec.Body.String())
	}
	if rec := w.do(adminA, "POST", "/regio/{region}/instellingen/sso", form); rec.Code != 409 {
		t.Fatalf("stale settings: %d", rec.Code)
	}
	bad := url.Values{"version": {"1"}, "name": {"Regio A"}, "issuer": {"http://idp.elders.nl"}, "client_id": {""}, "domains": {""}}
	if rec := w.do(adminA, "POST", "/regio/{region}/instellingen/sso", bad); rec.Code != 422 ||
		!strings.Contains(rec.Body.String(), "https-adres") || !strings.Contains(rec.Body.String(), "minstens één toegestaan e-maildomein") {
		t.Fatalf("invalid settings: %d %.500s", rec.Code, rec.Body.String())
	}
	// The change is in the region's history, in words, without the secret.
	if body := w.do(adminA, "GET", "/regio/{region}/historie", nil).Body.String(); !strings.Contains(body, "Inloggen via organisatie") ||
		!strings.Contains(body, "Toegestane e-maildomeinen") || strings.Contains(body, w.idp.ClientSecret) || strings.Contains(body, "ClientID") {
		t.Fatalf("history of the settings: %.3000s", body)
	}
	if rec := w.do(anon, "GET", "/inloggen", nil); !strings.Contains(rec.Body.String(), "Inloggen met Regio A") ||
		!strings.Contains(rec.Body.String(), "Inloggen met Test-IdP") {
		t.Fatalf("login page without the buttons: %.2000s", rec.Body.String())
	}
	key := "regio-" + w.regionA.Code

	res := w.signIn(t, key, oidctest.Identity{Email: "Nieuw@example.nl", EmailVerified: true, Name: "N. Collega"})
	if !res.home() {
		t.Fatalf("invitation: ended at %s with %d: %.300s", res.path, res.status, res.body)
	}
	u, err := w.db.UserByEmail(ctx, "nieuw@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Grants) != 1 || u.Grants[0].Role != mtvp.AccountPractice || u.Grants[0].PracticeID != w.p1.ID || u.Name != "N. Collega" {
		t.Fatalf("login from the invitation: %+v", u)
	}
	if got, _ := w.db.LinkByID(ctx, l.ID); got.UsedAt.IsZero() {
		t.Fatal("invitation still open")
	}

	// Region A's provider does not sign in the platform admin, nor a
	// login of region B.
	for _, who := range []who{platform, adminB} {
		res := w.signIn(t, key, oidctest.Identity{Email: w.users[who].Email, EmailVerified: true, AMR: []string{"mfa"}})
		if res.status != 403 || !strings.Contains(detailOf(w.lastAuthEvent(t)), "other_region") {
			t.Fatalf("%s through region A's provider: %s %d", who, res.path, res.status)
		}
	}
	// Switched off: no button, no start.
	p, _, err := w.db.SSOProviderOfRegion(ctx, w.regionA.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.Enabled = false
	if err := w.db.SaveSSOProvider(ctx, mtvp.SystemActor, &p, nil); err != nil {
		t.Fatal(err)
	}
	if rec := w.do(anon, "GET", "/inloggen/sso/"+key, nil); rec.Code != 404 {
		t.Fatalf("switched-off provider started: %d", rec.Code)
	}
}
