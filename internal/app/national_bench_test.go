package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"meertijd/internal/auth"
	"meertijd/internal/demo"
	"meertijd/internal/demo/nationalbench"
	"meertijd/internal/mtvp"
)

// The load benchmark of issue 14: the real handler stack (NewOn: web UI,
// API, gzip) serves the national data set (nationalbench: SQLite, or
// PostgreSQL with MEERTIJD_TEST_POSTGRES) over loopback HTTP, beside a
// hello-world handler; both are driven by 64 concurrent clients for the
// same time, one after the other. It reports the requests per second of
// each, their ratio, and p50/p99 of the measured request. The first request
// fills the standings cache (not measured): the targets are for a warm
// region whose data does not change.
//
//	go test -run '^$' -bench NationalLoad ./internal/app/
//	MEERTIJD_TEST_POSTGRES=postgres://… go test -run '^$' -bench NationalLoad ./internal/app/
//
// MEERTIJD_BENCH_SECONDS sets the time per handler (default 3). Targets:
// region compliance API (first page, no people) ratio ≥ 10 % and p99 <
// 50 ms; the norms dashboard page ratio ≥ 5 %.
func BenchmarkNationalLoad(b *testing.B) {
	n := newNationalServer(b)
	srv, reg, token, jar, client := n.srv, n.reg, n.token, n.jar, n.client
	hello := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "Hello, world!\n")
	}))
	defer hello.Close()

	d := 3 * time.Second
	if s := os.Getenv("MEERTIJD_BENCH_SECONDS"); s != "" {
		var n float64
		fmt.Sscan(s, &n)
		d = time.Duration(n * float64(time.Second))
	}
	cases := []struct {
		name, path string
		header     http.Header
		target     float64 // ratio, %
	}{
		{"api-compliance", "/api/v1/regions/" + reg.Code + "/compliance", http.Header{"Authorization": {"Bearer " + token}}, 10},
		{"dashboard", "/regio/" + reg.Code + "/normen", nil, 5},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			// The first request evaluates the region (cold) and checks the
			// answer; it is not measured.
			start := time.Now()
			first := get(b, client, srv.URL+c.path, c.header)
			b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "first-ms")
			if !strings.Contains(first, "Praktijk") && !strings.Contains(first, "practice_name") {
				b.Fatalf("%s: unexpected answer %.200s", c.path, first)
			}
			// What drive's clients get: the compressed answer.
			if enc := encodingOf(b, srv.URL+c.path, c.header, jar); enc != "gzip" {
				b.Fatalf("%s: Content-Encoding %q with gzip accepted", c.path, enc)
			}
			for b.Loop() {
				// The machine is shared: the two alternate in slices of a
				// quarter second, so both see the same load.
				var helloN, n float64
				var helloT, t time.Duration
				var lat []float64
				for range max(1, int(d/sliceDur)) {
					r, _, dt := drive(b, 64, sliceDur, hello.URL, nil, nil)
					helloN, helloT = helloN+r, helloT+dt
					r, l, dt := drive(b, 64, sliceDur, srv.URL+c.path, c.header, jar)
					n, t, lat = n+r, t+dt, append(lat, l...)
				}
				helloRate, rate := helloN/helloT.Seconds(), n/t.Seconds()
				ratio := 100 * rate / helloRate
				b.ReportMetric(helloRate, "hello-req/s")
				b.ReportMetric(rate, "req/s")
				b.ReportMetric(ratio, "ratio-%")
				b.ReportMetric(percentile(lat, 50), "p50-ms")
				b.ReportMetric(percentile(lat, 99), "p99-ms")
				if ratio < c.target {
					b.Logf("%s: ratio %.1f %% is below the target of %.0f %%", c.name, ratio, c.target)
				}
			}
		})
	}
}

// nationalServer is the app on the national data set, served on loopback,
// with a signed-in session and an API token of the largest region's
// programme manager.
type nationalServer struct {
	app    *App
	srv    *httptest.Server
	reg    mtvp.Region
	token  string
	jar    http.CookieJar
	client *http.Client
}

func newNationalServer(b *testing.B) *nationalServer {
	db := nationalbench.DB(b)
	ctx := context.Background()
	reg, err := db.RegionByCode(ctx, demo.NationalRegionCode(0))
	if err != nil {
		b.Fatal(err)
	}
	manager, err := db.UserByEmail(ctx, "manager."+reg.Code+"@"+mtvp.DemoEmailDomain)
	if err != nil {
		b.Fatal(err)
	}
	// Writes before the measurement: they bump the region's counter, so
	// the first request below evaluates the region anew.
	hash, err := auth.HashPassword(demo.Password)
	if err != nil {
		b.Fatal(err)
	}
	if err := db.SetPassword(ctx, mtvp.SystemActor, manager.ID, hash); err != nil {
		b.Fatal(err)
	}
	token, tokenHash := auth.NewAPIToken()
	if _, err := db.CreateAPIToken(ctx, mtvp.SystemActor, manager.ID, "bench", tokenHash); err != nil {
		b.Fatal(err)
	}
	a, err := NewOn(db, Config{DataDir: b.TempDir(), Demo: true, DemoAccounts: map[int64]bool{manager.ID: true}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	b.Cleanup(srv.Close)

	// A signed-in browser session for the dashboard (demo mode: no second
	// factor for demo accounts).
	jar, _ := cookiejar.New(nil)
	client := newBenchClient(jar)
	resp, err := client.PostForm(srv.URL+"/inloggen", url.Values{"email": {manager.Email}, "password": {demo.Password}})
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("login: %d", resp.StatusCode)
	}
	return &nationalServer{app: a, srv: srv, reg: reg, token: token, jar: jar, client: client}
}

// BenchmarkNationalPage: the server time of one warm request, in process
// (no network, no client): the norms dashboard of the 200-practice region
// (target < 10 ms after the first request) and the region compliance API's
// first page. Besides the time it reports the CPU time of this process
// (cpu-ms/op; on PostgreSQL the server's is not in it) and the statements
// sent to the database per request (queries/op), which the machine's other
// work does not change.
//
//	go test -run '^$' -bench NationalPage ./internal/app/
func BenchmarkNationalPage(b *testing.B) {
	n := newNationalServer(b)
	u, _ := url.Parse(n.srv.URL)
	cookies := n.jar.Cookies(u)
	for _, c := range []struct {
		name, path string
		header     http.Header
	}{
		{"dashboard", "/regio/" + n.reg.Code + "/normen", nil},
		{"api-compliance", "/api/v1/regions/" + n.reg.Code + "/compliance", http.Header{"Authorization": {"Bearer " + n.token}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			serve := func() *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodGet, c.path, nil)
				for k, v := range c.header {
					req.Header[k] = v
				}
				req.Header.Set("Accept-Encoding", "gzip")
				for _, ck := range cookies {
					req.AddCookie(ck)
				}
				rec := httptest.NewRecorder()
				n.app.Handler().ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", c.path, rec.Code)
				}
				return rec
			}
			start := time.Now()
			serve() // the first request fills the caches
			b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "first-ms")
			b.ResetTimer()
			cpu := nationalbench.StartCPU()
			queries := n.app.DB.Queries()
			var bytes int
			for b.Loop() {
				bytes = serve().Body.Len()
			}
			cpu.ReportPerOp(b)
			if queries >= 0 {
				b.ReportMetric(float64(n.app.DB.Queries()-queries)/float64(b.N), "queries/op")
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
			b.ReportMetric(float64(bytes), "wire-bytes")
		})
	}
}

func newBenchClient(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConns: 128, MaxIdleConnsPerHost: 128, IdleConnTimeout: time.Minute}}
}

func get(b *testing.B, c *http.Client, u string, h http.Header) string {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d %.300s", u, resp.StatusCode, body)
	}
	return string(body)
}

// encodingOf returns the Content-Encoding of GET u for a client that
// accepts gzip and does not inflate (as drive's).
func encodingOf(b *testing.B, u string, h http.Header, jar http.CookieJar) string {
	c := &http.Client{Jar: jar, Transport: &http.Transport{DisableCompression: true}}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return resp.Header.Get("Content-Encoding")
}

// sliceDur is how long one handler is driven before the other.
const sliceDur = 250 * time.Millisecond

// drive sends GET u from clients concurrent clients (each its own
// connection, keep-alive) for d and returns the number of completed
// requests, their latencies in milliseconds and the time taken. A failed
// request fails the benchmark.
//
// The clients act as wrk does with -H 'Accept-Encoding: gzip' -H 'Cookie:
// …': they accept gzip, so the server compresses (or sends its compressed
// copy), but read the bytes as they come, without inflating them, and send
// the session cookie as a fixed header. The load generator shares the two
// cores with the server; its own work is not what is measured. (Inflating
// 50 practices' JSON in Go's client took more CPU than serving them.)
func drive(b *testing.B, clients int, d time.Duration, u string, h http.Header, jar http.CookieJar) (float64, []float64, time.Duration) {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, IdleConnTimeout: time.Minute,
		DisableCompression: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	h = h.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Accept-Encoding", "gzip")
	if jar != nil {
		target, _ := url.Parse(u)
		var cookies []string
		for _, ck := range jar.Cookies(target) {
			cookies = append(cookies, ck.String())
		}
		if len(cookies) > 0 {
			h.Set("Cookie", strings.Join(cookies, "; "))
		}
	}
	var (
		mu   sync.Mutex
		lat  []float64
		fail error
		wg   sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(d)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []float64
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest(http.MethodGet, u, nil)
				for k, v := range h {
					req.Header[k] = v
				}
				t0 := time.Now()
				resp, err := c.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
					}
				}
				if err != nil {
					mu.Lock()
					fail = err
					mu.Unlock()
					return
				}
				mine = append(mine, float64(time.Since(t0).Microseconds())/1000)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if fail != nil {
		b.Fatal(fail)
	}
	return float64(len(lat)), lat, time.Since(start)
}

// percentile returns the p-th percentile of ms (nearest rank).
func percentile(ms []float64, p float64) float64 {
	if len(ms) == 0 {
		return 0
	}
	s := slices.Clone(ms)
	slices.Sort(s)
	i := int(p/100*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}
