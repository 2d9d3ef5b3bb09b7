package reqlog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Every answer carries a request id; the access line and any line logged
// with the request's context carry the same id; a plain id from a proxy
// is kept, anything else replaced; the query string never reaches the log.
func TestMiddleware(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(Handler{slog.NewJSONHandler(&buf, nil)})
	var observed []string
	observe := func(route, method string, status int, d time.Duration) {
		observed = append(observed, fmt.Sprintf("%s %s %d", route, method, status))
	}
	h := Middleware(log, observe, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetRoute(r.Context(), "GET /pattern/{id}")
		log.ErrorContext(r.Context(), "inside", "step", 1)
		if r.URL.Path == "/kapot" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Write([]byte("hallo"))
	}))
	for _, c := range []struct {
		path, in string
		keep     bool
		status   int
	}{
		{"/regio/zio/praktijken?q=Anna+de+Vries", "", false, 200},
		{"/a", "proxy-1234abcd", true, 200},
		{"/a", "kwaad\nlevel=ERROR msg=vals", false, 200},
		{"/kapot", "", false, 500},
	} {
		buf.Reset()
		req := httptest.NewRequest(http.MethodGet, c.path, nil)
		if c.in != "" {
			req.Header.Set(Header, c.in)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		id := rec.Header().Get(Header)
		if !validID(id) || (c.keep && id != c.in) || (!c.keep && id == c.in) {
			t.Errorf("%s with %q: id %q", c.path, c.in, id)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if len(lines) != 2 {
			t.Fatalf("%d log lines: %s", len(lines), buf.String())
		}
		for _, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatal(err)
			}
			if m["request_id"] != id {
				t.Errorf("line without the request id %q: %s", id, l)
			}
		}
		var access map[string]any
		json.Unmarshal([]byte(lines[1]), &access)
		if access["msg"] != "request" || access["status"] != float64(c.status) || access["path"] != strings.Split(c.path, "?")[0] || access["route"] != "GET /pattern/{id}" {
			t.Errorf("access line: %s", lines[1])
		}
		if c.status == 500 && access["level"] != "ERROR" {
			t.Errorf("a 500 logged at %v", access["level"])
		}
		if strings.Contains(buf.String(), "Anna") {
			t.Errorf("the query string reached the log: %s", buf.String())
		}
	}
	if len(observed) != 4 || observed[3] != "GET /pattern/{id} GET 500" {
		t.Errorf("observed %q", observed)
	}
	if ID(httptest.NewRequest(http.MethodGet, "/", nil).Context()) != "" {
		t.Error("an id outside a request")
	}
}
