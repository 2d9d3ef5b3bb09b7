package app

import (
	"io"
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

// /metrics and /debug/pprof/ answer only the configured networks or the
// metrics token (404 otherwise); the metrics count answers by route
// pattern and status, with latency histograms and the pools, outbox and
// cache read at scrape time.
func TestMetricsGuardedAndCounted(t *testing.T) {
	cfg := testConfig(t, t.TempDir(), false)
	a := startReady(t, cfg)
	defer closeApp(t, a)
	get := func(a *App, path, token string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, a.URL()+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	get(a, "/inloggen", "")
	get(a, "/inloggen", "")
	get(a, "/regio/nergens/praktijken", "")
	code, body := get(a, "/metrics", "")
	if code != 200 {
		t.Fatalf("metrics from loopback: %d", code)
	}
	for _, want := range []string{
		`meertijd_http_requests_total{route="GET /inloggen",method="GET",status="200"} 2`,
		`# TYPE meertijd_http_request_duration_seconds histogram`,
		`meertijd_http_request_duration_seconds_bucket{route="GET /inloggen",le="+Inf"} 2`,
		`meertijd_http_request_duration_seconds_count{route="GET /inloggen"} 2`,
		`meertijd_db_connections{pool=`,
		`meertijd_outbox_messages{state="waiting"} 0`,
		`meertijd_standings_cache_misses_total`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, "nergens") {
		t.Error("a path (not a pattern) became a label")
	}
	if code, _ := get(a, "/debug/pprof/", ""); code != 200 {
		t.Errorf("pprof from loopback: %d", code)
	}

	// Only 10.0.0.0/8 and a token: loopback is turned away unless it
	// brings the token.
	from, err := ParseMetricsFrom("10.0.0.0/8, 192.168.1.5")
	if err != nil || len(from) != 2 || from[1] != netip.MustParsePrefix("192.168.1.5/32") {
		t.Fatalf("parse: %v %v", from, err)
	}
	if _, err := ParseMetricsFrom("10.0.0.0/8, intranet"); err == nil {
		t.Error("a name was accepted as a network")
	}
	cfg2 := testConfig(t, t.TempDir(), false)
	cfg2.MetricsFrom, cfg2.MetricsToken = from, "geheim-token-voor-de-scraper"
	b := startReady(t, cfg2)
	defer closeApp(t, b)
	for _, c := range []struct {
		path, token string
		want        int
	}{
		{"/metrics", "", 404},
		{"/metrics", "verkeerd", 404},
		{"/metrics", "geheim-token-voor-de-scraper", 200},
		{"/debug/pprof/", "", 404},
		{"/debug/pprof/", "geheim-token-voor-de-scraper", 200},
	} {
		if code, _ := get(b, c.path, c.token); code != c.want {
			t.Errorf("%s with token %q: %d, want %d", c.path, c.token, code, c.want)
		}
	}
}
