package app

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store/storetest"
)

// TestDroppedConnections (issue 17 §2): the database ends every one of the
// app's connections (pg_terminate_backend, as a failover or a restart
// does) while readers and writers are busy, twice. Reads answer 200 (a
// read that meets a dropped connection runs once more on a fresh one);
// a write answers 2xx and is stored, or 503 with Retry-After and is not
// stored; nobody gets a 500. PostgreSQL only.
func TestDroppedConnections(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip("PostgreSQL only: set " + storetest.EnvPostgres)
	}
	ctx := context.Background()
	cfg := testConfig(t, t.TempDir(), true)
	var logs syncBuffer
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	defer func() {
		if t.Failed() {
			t.Logf("warnings and errors logged:\n%s", logs.String())
		}
	}()
	a := startReady(t, cfg)
	defer closeApp(t, a)
	manager, token := demoToken(t, a, "manager.zio@demo.meertijd.nl")
	// The web page as the manager (demo: no second factor).
	jar, _ := cookiejar.New(nil)
	web := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := web.PostForm(a.URL()+"/inloggen", url.Values{"email": {manager.Email}, "password": {"meertijd-demo-2026"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("login: %v %v", err, resp)
	}
	resp.Body.Close()

	api := &http.Client{}
	call := func(c *http.Client, method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, a.URL()+path, strings.NewReader(body))
		if c == api {
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}

	killer, err := sql.Open("pgx", cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer killer.Close()
	terminate := func() int {
		var n int
		err := killer.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n)
		if err != nil {
			t.Error(err)
		}
		return n
	}

	var (
		stop              atomic.Bool
		mu                sync.Mutex
		reads             = map[string]int{}
		acked, refused    []string
		writeStatus       = map[int]int{}
		missingRetryAfter int
		wg                sync.WaitGroup
		seq               atomic.Int64
	)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for !stop.Load() {
				var code int
				var ra string
				switch i % 3 {
				case 0:
					code, ra = call(api, "GET", "/api/v1/regions/zio/practices?limit=20", "")
				case 1:
					code, ra = call(api, "GET", "/api/v1/regions/zio/compliance?limit=5", "")
				default:
					code, ra = call(web, "GET", "/regio/zio/praktijken", "")
				}
				mu.Lock()
				reads[fmt.Sprint(code)]++
				if code == 503 && ra == "" {
					missingRetryAfter++
				}
				mu.Unlock()
			}
		}(i)
	}
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				agb := fmt.Sprintf("09%06d", seq.Add(1))
				code, ra := call(api, "POST", "/api/v1/regions/zio/practices", `{"agb":"`+agb+`","name":"Praktijk `+agb+`"}`)
				mu.Lock()
				writeStatus[code]++
				switch {
				case code == 201:
					acked = append(acked, agb)
				case code == 503:
					refused = append(refused, agb)
					if ra == "" {
						missingRetryAfter++
					}
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	n1 := terminate()
	// The second drop comes well after the first: a read retried after the
	// first (once, as the issue asks) must not meet the second as well on
	// a busy CI machine, where one compliance read took 600 ms.
	time.Sleep(1500 * time.Millisecond)
	n2 := terminate()
	time.Sleep(400 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	t.Logf("terminated %d and %d connections; reads by status %v; writes by status %v", n1, n2, reads, writeStatus)

	if len(reads) != 1 || reads["200"] == 0 {
		t.Errorf("reads: %v, want only 200", reads)
	}
	for code := range writeStatus {
		if code != 201 && code != 503 {
			t.Errorf("writes: %v, want 201 or 503 only", writeStatus)
		}
	}
	if missingRetryAfter > 0 {
		t.Errorf("%d answers of 503 without Retry-After", missingRetryAfter)
	}
	for _, agb := range acked {
		if code, _ := call(api, "GET", "/api/v1/regions/zio/practices?q="+agb, ""); code != 200 {
			t.Errorf("acknowledged practice %s: %d", agb, code)
		}
	}
	ps, err := a.DB.ListPractices(ctx, mtvp.PracticeFilter{RegionID: manager.Grants[0].RegionID})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, p := range ps {
		have[p.AGB] = true
	}
	for _, agb := range acked {
		if !have[agb] {
			t.Errorf("acknowledged practice %s is not stored", agb)
		}
	}
	for _, agb := range refused {
		if have[agb] {
			t.Errorf("refused practice %s was stored", agb)
		}
	}
	// readyz answers again.
	if code, _ := call(web, "GET", "/readyz", ""); code != 200 {
		t.Errorf("readyz after: %d", code)
	}
}
