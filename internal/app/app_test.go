package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"meertijd/internal/auth"
	"meertijd/internal/store/storetest"
)

func TestMain(m *testing.M) {
	auth.SetTestParams()
	os.Exit(m.Run())
}

func testConfig(t testing.TB, dataDir string, demo bool) Config {
	cfg := Config{Addr: "127.0.0.1:0", DataDir: dataDir, Demo: demo, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	cfg.DatabaseURL = storetest.NewDatabaseURL(t)
	return cfg
}

// startReady starts the app and waits until /readyz answers 200.
func startReady(t testing.TB, cfg Config) *App {
	a, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(a.URL() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz: %d", resp.StatusCode)
	}
	return a
}

func closeApp(t testing.TB, a *App) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestDemoStartTwice: --demo loads once; the second start changes nothing
// and still prints the logins.
func TestDemoStartTwice(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(t, dir, true)
	var out strings.Builder
	cfg.Out = &out
	a := startReady(t, cfg)
	regions, _ := a.DB.ListRegions(context.Background())
	closeApp(t, a)
	if len(regions) != 2 || !strings.Contains(out.String(), "manager.zio@demo.meertijd.nl") {
		t.Fatalf("first start: %d regions, output %q", len(regions), out.String())
	}
	out.Reset()
	a = startReady(t, cfg)
	defer closeApp(t, a)
	again, _ := a.DB.ListRegions(context.Background())
	if len(again) != 2 || !strings.Contains(out.String(), "al geladen") {
		t.Fatalf("second start: %d regions, output %q", len(again), out.String())
	}
	// The API and the UI are both mounted.
	resp, err := http.Get(a.URL() + "/api/v1/openapi.json")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("openapi: %v %v", err, resp)
	}
	resp.Body.Close()
	resp, err = http.Get(a.URL() + "/api/v1/regions")
	if err != nil || resp.StatusCode != 401 {
		t.Fatalf("api without token: %v %v", err, resp)
	}
	resp.Body.Close()
}

// TestReadyzFailsWithoutDatabase: /readyz is 503 once the database is gone,
// /healthz still 200.
func TestReadyzFailsWithoutDatabase(t *testing.T) {
	a := startReady(t, testConfig(t, t.TempDir(), false))
	defer a.server.Close()
	a.DB.Close()
	resp, err := http.Get(a.URL() + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("readyz with closed database: %d", resp.StatusCode)
	}
	resp, _ = http.Get(a.URL() + "/healthz")
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz: %d", resp.StatusCode)
	}
}

// BenchmarkStartDemoFirstRun: a fresh data folder, demo data loaded, until
// /readyz answers (real argon2id parameters, as `serve --demo` uses).
func BenchmarkStartDemoFirstRun(b *testing.B) {
	auth.SetParams(auth.DefaultParams)
	defer auth.SetTestParams()
	for b.Loop() {
		a := startReady(b, testConfig(b, b.TempDir(), true))
		b.StopTimer()
		closeApp(b, a)
		b.StartTimer()
	}
}

// BenchmarkStartDemoLoaded: the everyday start with demo data already there.
func BenchmarkStartDemoLoaded(b *testing.B) {
	auth.SetParams(auth.DefaultParams)
	defer auth.SetTestParams()
	dir := b.TempDir()
	cfg := testConfig(b, dir, true)
	closeApp(b, startReady(b, cfg))
	for b.Loop() {
		a := startReady(b, cfg)
		b.StopTimer()
		closeApp(b, a)
		b.StartTimer()
	}
}

// With --secure-cookies every answer carries HSTS, the API's too, and the
// session cookie has the __Host- prefix (issue 11, item 7).
func TestSecureCookiesHSTSAndHostPrefix(t *testing.T) {
	cfg := testConfig(t, t.TempDir(), false)
	cfg.SecureCookies = true
	a := startReady(t, cfg)
	defer closeApp(t, a)
	for _, path := range []string{"/api/v1/openapi.json", "/api/v1/regions", "/inloggen", "/healthz"} {
		resp, err := http.Get(a.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("Strict-Transport-Security") == "" {
			t.Errorf("%s: no HSTS", path)
		}
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.PostForm(a.URL()+"/taal", url.Values{"lang": {"en"}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := resp.Header.Get("Set-Cookie"); !strings.HasPrefix(c, "__Host-meertijd_session=") || !strings.Contains(c, "Secure") || !strings.Contains(c, "Path=/") {
		t.Errorf("session cookie %q", c)
	}
}
