package app

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLoadMixed (issue 17 §3): 200 concurrent clients for a bounded time
// (MEERTIJD_LOAD_SECONDS, default 4) on the demo, mixing API reads, the
// norms dashboard and the practice list as pages, and writes (practices
// created and edited, each client its own): no answer may be an error,
// and the goroutines and live heap of the second half may not grow past
// the first half's. Latencies are reported (p50/p99), never asserted.
func TestLoadMixed(t *testing.T) {
	if testing.Short() {
		t.Skip("load")
	}
	seconds := 4
	if n, err := strconv.Atoi(os.Getenv("MEERTIJD_LOAD_SECONDS")); err == nil && n > 0 {
		seconds = n
	}
	a := startReady(t, testConfig(t, t.TempDir(), true))
	defer closeApp(t, a)
	manager, token := demoToken(t, a, "manager.zio@demo.meertijd.nl")
	base := a.URL()
	transport := &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}
	defer transport.CloseIdleConnections()
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Transport: transport, Jar: jar, Timeout: time.Minute}
	resp, err := web.PostForm(base+"/inloggen", url.Values{"email": {manager.Email}, "password": {"meertijd-demo-2026"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	api := &http.Client{Transport: transport, Timeout: time.Minute}
	call := func(c *http.Client, method, path, body string) (int, []byte, error) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if c == api {
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}

	const clients = 200
	var (
		stop      atomic.Bool
		pause     atomic.Bool
		paused    sync.WaitGroup
		resume    atomic.Pointer[chan struct{}]
		mu        sync.Mutex
		latencies []time.Duration
		errs      = map[string]int{}
		counts    = map[string]int{}
		wg        sync.WaitGroup
	)
	record := func(kind string, d time.Duration, code int, err error, ok ...int) {
		mu.Lock()
		defer mu.Unlock()
		latencies = append(latencies, d)
		counts[kind]++
		good := err == nil && code >= 200 && code < 400
		if !good {
			errs[fmt.Sprintf("%s %d %v", kind, code, err)]++
		}
	}
	first := make(chan struct{})
	resume.Store(&first)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			agb := fmt.Sprintf("06%06d", c)
			start := time.Now()
			code, body, err := call(api, "POST", "/api/v1/regions/zio/practices", `{"agb":"`+agb+`","name":"Praktijk `+agb+`"}`)
			record("create", time.Since(start), code, err)
			own := ""
			if code == 201 {
				if i := strings.Index(string(body), `"id":`); i >= 0 {
					own = strings.SplitN(strings.SplitN(string(body[i+5:]), ",", 2)[0], "}", 2)[0]
				}
			}
			for n := 0; !stop.Load(); n++ {
				if pause.Load() {
					ch := resume.Load()
					paused.Done()
					<-*ch
				}
				start := time.Now()
				switch (c + n) % 10 {
				case 0, 1, 2, 3:
					code, _, err = call(api, "GET", "/api/v1/regions/zio/practices?limit=20", "")
					record("api list", time.Since(start), code, err)
				case 4, 5:
					code, _, err = call(api, "GET", "/api/v1/regions/zio/compliance?limit=10", "")
					record("api compliance", time.Since(start), code, err)
				case 6:
					code, _, err = call(web, "GET", "/regio/zio/normen", "")
					record("dashboard", time.Since(start), code, err)
				case 7:
					code, _, err = call(web, "GET", "/regio/zio/praktijken", "")
					record("practices page", time.Since(start), code, err)
				default:
					if own == "" {
						continue
					}
					code, body, err = call(api, "GET", "/api/v1/practices/"+own, "")
					if err == nil && code == 200 {
						v := strings.SplitN(strings.SplitN(string(body), `"version":`, 2)[1], ",", 2)[0]
						v = strings.TrimRight(v, "}\n")
						code, _, err = call(api, "PUT", "/api/v1/practices/"+own, `{"version":`+v+`,"name":"Praktijk `+agb+` `+strconv.Itoa(n)+`"}`)
					}
					record("edit", time.Since(start), code, err)
				}
			}
		}(c)
	}
	// Each half ends with every client waiting at a barrier (no request in
	// flight), so the two samples compare like with like.
	sample := func() (int, uint64) {
		paused.Add(clients)
		pause.Store(true)
		paused.Wait()
		time.Sleep(200 * time.Millisecond) // answers' goroutines wind down
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		g := runtime.NumGoroutine()
		next := make(chan struct{})
		old := resume.Swap(&next)
		pause.Store(false)
		close(*old)
		return g, m.HeapInuse
	}
	time.Sleep(time.Duration(seconds) * time.Second / 2)
	g1, h1 := sample()
	time.Sleep(time.Duration(seconds) * time.Second / 2)
	g2, h2 := sample()
	stop.Store(true)
	wg.Wait()

	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	q := func(p float64) time.Duration { return latencies[int(p*float64(len(latencies)-1))] }
	t.Logf("%d clients, %d s on %s: %d answers (%.0f/s) %v; p50 %v, p99 %v; goroutines %d → %d, heap in use %.1f → %.1f MiB",
		clients, seconds, a.DB.Engine(), len(latencies), float64(len(latencies))/float64(seconds), counts, q(0.5), q(0.99),
		g1, g2, float64(h1)/(1<<20), float64(h2)/(1<<20))
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
	if g2 > g1+clients/10 {
		t.Errorf("goroutines grew from %d to %d between the halves", g1, g2)
	}
	if h2 > h1+h1/2+32<<20 {
		t.Errorf("heap in use grew from %.1f to %.1f MiB between the halves", float64(h1)/(1<<20), float64(h2)/(1<<20))
	}
}
