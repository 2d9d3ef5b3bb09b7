package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// authEvents counts the fixture's authentication events by action.
func (f *fixture) authEvents(regionID int64) map[string]int {
	f.t.Helper()
	es, err := f.db.AuthEvents(context.Background(), regionID, 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range es {
		out[e.Action]++
	}
	return out
}

// Thirty wrong passwords at once for one account from one address: the
// attempt is reserved before the check, so five are checked (401) and the
// rest refused unchecked (429). Colleagues behind the same address still
// sign in (issue 11, item 2); the events are in the audit log (item 4).
func TestLoginThrottleParallel(t *testing.T) {
	f := newFixture(t)
	setPassword(t, f, practiceP1)
	setPassword(t, f, practiceP2)
	b := newBrowser(t, f)
	email := f.users[practiceP1].Email
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, b.base+"/inloggen", strings.NewReader(url.Values{"email": {email}, "password": {"fout wachtwoord"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	free := auth.DefaultThrottle.FreeAccountIP
	if codes[http.StatusUnauthorized] != free || codes[http.StatusTooManyRequests] != 30-free {
		t.Fatalf("30 parallel wrong passwords: %v, want %d checked (401) and the rest 429", codes, free)
	}
	// Now even the right password waits, with a Retry-After.
	resp, body := b.post("/inloggen", url.Values{"email": {email}, "password": {testPassword}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Te veel mislukte pogingen") || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("throttled login: %d %q %.300s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	// A colleague behind the same address is not locked out.
	if resp, _ := newBrowser(t, f).post("/inloggen", url.Values{"email": {f.users[practiceP2].Email}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("colleague behind the same address: %d", resp.StatusCode)
	}
	ev := f.authEvents(f.regionA.ID)
	if ev[store.AuthLoginFailed] != free || ev[store.AuthLockout] != 1 || ev[store.AuthLoginThrottle] != 31-free || ev[store.AuthLogin] != 1 {
		t.Fatalf("auth events %v", ev)
	}
}

// Authentication events: failed and good logins, unknown addresses,
// recovery codes; who, address and outcome, never the password. A region
// admin sees its region's logins only; the platform admin all.
func TestAuthEventsLogged(t *testing.T) {
	f := newFixture(t)
	setPassword(t, f, practiceP1)
	setPassword(t, f, adminB)
	b := newBrowser(t, f)
	b.post("/inloggen", url.Values{"email": {f.users[practiceP1].Email}, "password": {"geheim-fout-123"}})
	b.post("/inloggen", url.Values{"email": {f.users[practiceP1].Email}, "password": {testPassword}})
	b.post("/uitloggen", nil)
	b.post("/inloggen", url.Values{"email": {"niemand@elders.nl"}, "password": {"geheim-fout-456"}})
	newBrowser(t, f).post("/inloggen", url.Values{"email": {f.users[adminB].Email}, "password": {"geheim-fout-789"}})

	rec := f.do(adminA, http.MethodGet, "/regio/{region}/inlogactiviteit", nil)
	page := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(page, f.users[practiceP1].Email) || !strings.Contains(page, "Inloggen mislukt") ||
		!strings.Contains(page, "Wachtwoord juist") || !strings.Contains(page, "Uitgelogd") || !strings.Contains(page, "127.0.0.1") {
		t.Fatalf("region A's sign-in log: %d %.2000s", rec.Code, page)
	}
	if strings.Contains(page, f.users[adminB].Email) || strings.Contains(page, "niemand@elders.nl") {
		t.Fatal("region A's log shows another region's login or an unknown address")
	}
	rec = f.do(platform, http.MethodGet, "/beheer/inlogactiviteit", nil)
	if !strings.Contains(rec.Body.String(), "niemand@elders.nl") || !strings.Contains(rec.Body.String(), f.users[adminB].Email) {
		t.Fatalf("platform log: %.2000s", rec.Body.String())
	}
	for _, secret := range []string{"geheim-fout-123", "geheim-fout-456", "geheim-fout-789", testPassword} {
		for _, p := range []string{page, rec.Body.String()} {
			if strings.Contains(p, secret) {
				t.Fatalf("a password is in the log: %q", secret)
			}
		}
	}
}

var issuedPassword = regexp.MustCompile(`<code[^>]*>([a-z2-9]{4}(?:-[a-z2-9]{4}){4})</code>`)

// An admin's password reset ends every session and API token of the
// login; the issued password serves one login, after which the user must
// choose a new one, and common passwords are refused (items 3 and 6).
func TestPasswordResetEndsSessionsAndTokens(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	setPassword(t, f, practiceP1)
	b := newBrowser(t, f)
	if resp, _ := b.post("/inloggen", url.Values{"email": {f.users[practiceP1].Email}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("login")
	}
	token, hash := auth.NewAPIToken()
	if _, err := f.db.CreateAPIToken(ctx, mtvp.SystemActor, f.users[practiceP1].ID, "koppeling", hash); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.UserByTokenHash(ctx, auth.HashToken(token)); err != nil {
		t.Fatalf("token before reset: %v", err)
	}
	rec := f.do(adminA, http.MethodPost, "/regio/{region}/accounts/{user}/wachtwoord", nil)
	m := issuedPassword.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("reset: %d %.1500s", rec.Code, rec.Body.String())
	}
	if resp, _ := b.get("/account"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/inloggen") {
		t.Fatalf("session from before the reset: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, err := f.db.UserByTokenHash(ctx, auth.HashToken(token)); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Fatalf("token from before the reset: %v", err)
	}
	// The issued password works once, and only for choosing a new one.
	b2 := newBrowser(t, f)
	if resp, _ := b2.post("/inloggen", url.Values{"email": {f.users[practiceP1].Email}, "password": {m[1]}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the issued password: %d", resp.StatusCode)
	}
	if resp, _ := b2.get("/regio/regio-a"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
		t.Fatalf("page before changing the one-time password: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, body := b2.get("/account"); !strings.Contains(body, "eenmalig") && !strings.Contains(body, "maar één keer") {
		t.Fatalf("account page does not say the password is one-time: %.1500s", body)
	}
	resp, body := b2.post("/account/wachtwoord", url.Values{"current": {m[1]}, "new": {"Welkom2026!!"}, "confirm": {"Welkom2026!!"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "veelgebruikte of gelekte") {
		t.Fatalf("common password: %d %.1500s", resp.StatusCode, body)
	}
	if resp, _ := b2.post("/account/wachtwoord", url.Values{"current": {m[1]}, "new": {"mijn eigen nieuwe zin"}, "confirm": {"mijn eigen nieuwe zin"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new password: %d", resp.StatusCode)
	}
	if resp, _ := b2.get("/regio/regio-a"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after choosing a password: %d", resp.StatusCode)
	}
}

// A user's own password change ends the user's other sessions and keeps
// the one that changed it; a second-factor reset by an admin ends them all.
func TestPasswordChangeAndTOTPResetEndOtherSessions(t *testing.T) {
	f := newFixture(t)
	setPassword(t, f, practiceP1)
	login := func() *browserClient {
		b := newBrowser(t, f)
		if resp, _ := b.post("/inloggen", url.Values{"email": {f.users[practiceP1].Email}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatal("login")
		}
		return b
	}
	this, other := login(), login()
	if resp, _ := this.post("/account/wachtwoord", url.Values{"current": {testPassword}, "new": {"een heel andere zin"}, "confirm": {"een heel andere zin"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d", resp.StatusCode)
	}
	if resp, _ := this.get("/account"); resp.StatusCode != http.StatusOK {
		t.Fatalf("the session that changed the password: %d", resp.StatusCode)
	}
	if resp, _ := other.get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the other session: %d", resp.StatusCode)
	}
	if rec := f.do(adminA, http.MethodPost, "/regio/{region}/accounts/{user}/tweestaps-reset", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("TOTP reset: %d", rec.Code)
	}
	if resp, _ := this.get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("session after the second factor was reset: %d", resp.StatusCode)
	}
}

// Demo mode waives the second factor for the demo loader's accounts (by
// id), never for a new account on the demo domain (item 6).
func TestDemoWaiverByID(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	hash, _ := auth.HashPassword(testPassword)
	var ids []int64
	for _, e := range []string{"consulent9.zio@demo.meertijd.nl", "nieuw.zio@demo.meertijd.nl"} {
		u := &mtvp.User{Email: e, Name: e, Grants: []mtvp.Grant{{Role: mtvp.AccountConsultant, RegionID: f.regionA.ID}}}
		if err := f.db.CreateUser(ctx, mtvp.SystemActor, u, hash); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	srv, err := New(f.db, Config{SecretKey: f.srv.cfg.SecretKey, Demo: true, DemoAccounts: map[int64]bool{ids[0]: true}})
	if err != nil {
		t.Fatal(err)
	}
	f.handler = srv.Handler()
	for i, want := range []string{"/", "/inloggen/tweestaps"} {
		b := newBrowser(t, f)
		resp, _ := b.post("/inloggen", url.Values{"email": {[]string{"consulent9.zio@demo.meertijd.nl", "nieuw.zio@demo.meertijd.nl"}[i]}, "password": {testPassword}})
		if resp.Header.Get("Location") != want {
			t.Errorf("account %d: login goes to %q, want %q", i, resp.Header.Get("Location"), want)
		}
	}
}
