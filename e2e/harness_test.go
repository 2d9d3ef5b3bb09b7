// Package e2e drives a real meertijd (the same app.New as `meertijd serve`)
// in Debian's Chromium with chromedp, and checks pages with axe-core.
package e2e

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"meertijd/internal/app"
	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
	"meertijd/internal/store/storetest"
)

//go:embed testdata/axe.min.js
var axeSource string

// chromiumPath finds Debian's Chromium; without it the browser tests skip,
// except in CI (CI=true or MEERTIJD_REQUIRE_BROWSER=1) where a skip fails.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{os.Getenv("MEERTIJD_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" || os.Getenv("MEERTIJD_REQUIRE_BROWSER") == "1" {
		t.Fatal("Chromium not found: install Debian's chromium package (apt-get install chromium); browser tests must run in CI")
	}
	t.Skip("Chromium not found (apt-get install chromium); browser tests skipped")
	return ""
}

// startApp starts meertijd on a free port with a fresh database (SQLite,
// or PostgreSQL when MEERTIJD_TEST_POSTGRES is set) and returns it.
func startApp(t *testing.T, demo bool) *app.App {
	t.Helper()
	return startAppConfig(t, app.Config{Addr: "127.0.0.1:0", Demo: demo})
}

// freeAddr is a free 127.0.0.1 port, for an app whose base URL (links in
// mails, a single sign-on redirect) must be known before it starts.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startAppConfig starts meertijd with cfg, a fresh data folder and
// database, and a silent logger, and closes it when the test ends.
func startAppConfig(t *testing.T, cfg app.Config) *app.App {
	t.Helper()
	cfg.DataDir = t.TempDir()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if url := storetest.NewDatabaseURL(t); url != "" {
		cfg.DatabaseURL = url
	}
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		a.Close(ctx)
	})
	return a
}

// browser opens a headless Chromium tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	// A ceiling for the whole test's browser (steps have their own, see run).
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	} `json:"violations"`
}

// checkA11y runs axe-core (WCAG 2.1 A and AA rules) on the current page and
// fails on any violation.
func checkA11y(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	script := axeSource + `;
		axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa']}})
		  .then(r => JSON.stringify(r))`
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", page, err)
	}
	var res axeResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatalf("axe result on %s: %v", page, err)
	}
	for _, v := range res.Violations {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		t.Errorf("accessibility on %s: %s (%s): %s — %s", page, v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
	}
}

// testPassword is the password of every user a world creates.
const testPassword = "een lang wachtwoord voor de test"

// world is the data a browser test starts from: one region and the users
// and practices added to it, all made through the store as the system
// actor. Every user has testPassword.
type world struct {
	t      *testing.T
	a      *app.App
	ctx    context.Context
	Region mtvp.Region
	hash   string
}

// newWorld creates the region ZIO Maastricht-Heuvelland (code "zio",
// insurer CZ, programme start 2023-01-01, default norm settings); edit
// changes it before it is stored.
func newWorld(t *testing.T, a *app.App, edit ...func(*mtvp.Region)) *world {
	t.Helper()
	w := &world{t: t, a: a, ctx: context.Background(),
		Region: mtvp.Region{Code: "zio", Name: "ZIO Maastricht-Heuvelland", Insurers: []string{"CZ"},
			ProgrammeStart: mtvp.MustDate("2023-01-01"), Settings: mtvp.DefaultNormSettings()}}
	for _, e := range edit {
		e(&w.Region)
	}
	w.must(a.DB.CreateRegion(w.ctx, mtvp.SystemActor, &w.Region))
	hash, err := auth.HashPassword(testPassword)
	w.must(err)
	w.hash = hash
	return w
}

// must fails the test on an error.
func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

// user creates a user with one grant in the world's region (practiceID 0
// for roles without a practice).
func (w *world) user(email, name string, role mtvp.AccountRole, practiceID int64) mtvp.User {
	w.t.Helper()
	u := mtvp.User{Email: email, Name: name, Grants: []mtvp.Grant{{Role: role, RegionID: w.Region.ID, PracticeID: practiceID}}}
	w.must(w.a.DB.CreateUser(w.ctx, mtvp.SystemActor, &u, w.hash))
	return u
}

// practice creates p in the world's region; an empty status is active and
// a zero joining date is 2024-01-01.
func (w *world) practice(p mtvp.Practice) mtvp.Practice {
	w.t.Helper()
	p.RegionID = w.Region.ID
	if p.Status == "" {
		p.Status = mtvp.PracticeActive
	}
	if p.JoinedOn.IsZero() {
		p.JoinedOn = mtvp.MustDate("2024-01-01")
	}
	w.must(w.a.DB.CreatePractice(w.ctx, mtvp.SystemActor, &p))
	return p
}

// loginPassword signs in with a password only (roles without a second
// factor) and waits for the page after the login: the login page has an h1
// too, so it waits until the form is gone, or the next Navigate aborts the
// login's own navigation.
func loginPassword(t *testing.T, b context.Context, base, email, password string) {
	t.Helper()
	run(t, b, "login "+email, passwordSteps(base, email, password, chromedp.WaitVisible(chromedp.CSS(`h1`)))...)
}

// loginWithTOTP signs in with a password and enrols the second factor
// (roles that need one get the set-up page on their first login), ending
// on the page with the recovery codes.
func loginWithTOTP(t *testing.T, b context.Context, base, email, password string) {
	t.Helper()
	run(t, b, "login "+email, passwordSteps(base, email, password, chromedp.WaitVisible(chromedp.CSS(`code.secret`)))...)
	code, err := totp.GenerateCode(strings.TrimSpace(text(t, b, `code.secret`)), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	run(t, b, "second factor "+email,
		chromedp.SendKeys(`#f-code`, code),
		chromedp.Submit(`#f-code`),
		chromedp.WaitVisible(`.recovery-codes`),
	)
}

func passwordSteps(base, email, password string, then chromedp.Action[chromedp.Void]) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/inloggen"),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, email),
		chromedp.SendKeys(`#f-password`, password),
		chromedp.Submit(`#f-password`),
		chromedp.WaitNotPresent(`#f-password`),
		then,
	}
}
