package app

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"

	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
)

// syncBuffer is a log destination the server's goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The log of a demo session holds one JSON line per request with its id,
// and no personal data or secrets: no password (right or wrong), no
// e-mail address, no name that was searched for or shown on a page.
func TestLogsCarryRequestIDsAndNoPersonalData(t *testing.T) {
	var logs syncBuffer
	cfg := testConfig(t, t.TempDir(), true)
	cfg.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	a := startReady(t, cfg)
	defer closeApp(t, a)
	ctx := context.Background()
	reg, err := a.DB.RegionByCode(ctx, "zio")
	if err != nil {
		t.Fatal(err)
	}
	staff, err := a.DB.RegionStaff(ctx, reg.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ms := range staff {
		for _, m := range ms {
			names = append(names, m.Person.Name)
		}
	}
	if len(names) < 100 {
		t.Fatalf("%d demo names", len(names))
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	post := func(path string, form url.Values) {
		t.Helper()
		resp, err := client.PostForm(a.URL()+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	get := func(path string) *http.Response {
		t.Helper()
		resp, err := client.Get(a.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	const wrong = "Verkeerd-Wachtwoord-42"
	post("/inloggen", url.Values{"email": {"manager.zio@" + mtvp.DemoEmailDomain}, "password": {wrong}})
	post("/inloggen", url.Values{"email": {"niemand@example.nl"}, "password": {wrong}})
	post("/inloggen", url.Values{"email": {"manager.zio@" + mtvp.DemoEmailDomain}, "password": {demo.Password}})
	resp := get("/regio/zio/praktijken?q=" + url.QueryEscape(names[0]))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Request-Id") == "" {
		t.Fatalf("practices page: %d, id %q", resp.StatusCode, resp.Header.Get("X-Request-Id"))
	}
	get("/regio/zio/normen")
	get("/regio/zio/bestaat-niet")

	out := logs.String()
	if n := strings.Count(out, `"msg":"request"`); n < 6 {
		t.Errorf("%d access lines for 6 requests:\n%s", n, out)
	}
	if !strings.Contains(out, `"request_id":"`+resp.Header.Get("X-Request-Id")+`"`) {
		t.Error("the practices page's request id is not in the log")
	}
	for _, secret := range []string{wrong, demo.Password, "@" + mtvp.DemoEmailDomain, "niemand@example.nl"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
	for _, n := range names {
		if strings.Contains(out, n) {
			t.Errorf("the log holds the name %q", n)
		}
	}
}
