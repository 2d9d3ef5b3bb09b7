package gzipmw_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meertijd/internal/gzipmw"
)

func TestHandler(t *testing.T) {
	big := strings.Repeat(`{"naam":"Praktijk de Linde"},`, 200)
	h := gzipmw.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct := r.URL.Query().Get("ct")
		w.Header().Set("Content-Type", ct)
		if r.URL.Query().Has("etag") {
			w.Header().Set("ETag", `"v1"`)
		}
		body := big
		if r.URL.Query().Has("small") {
			body = "ok"
		}
		if r.URL.Query().Has("304") {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		// Several writes, as templates and encoders do.
		for len(body) > 0 {
			n := min(100, len(body))
			io.WriteString(w, body[:n])
			body = body[n:]
		}
	}))
	cases := []struct {
		name, query, accept string
		gzipped             bool
		status              int
	}{
		{"json", "ct=application/json", "gzip, deflate, br", true, 200},
		{"html", "ct=text/html;+charset=utf-8", "gzip", true, 200},
		{"csv", "ct=text/csv;+charset=utf-8", "gzip", true, 200},
		{"ics", "ct=text/calendar;+charset=utf-8", "gzip", true, 200},
		{"no accept", "ct=application/json", "", false, 200},
		{"refused", "ct=application/json", "gzip;q=0, identity", false, 200},
		{"any", "ct=application/json", "*", true, 200},
		{"xlsx", "ct=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "gzip", false, 200},
		{"pdf", "ct=application/pdf", "gzip", false, 200},
		{"small", "ct=application/json&small", "gzip", false, 200},
		{"not modified", "ct=application/json&304", "gzip", false, 304},
		{"strong etag", "ct=application/json&etag", "gzip", true, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", "/x?"+c.query, nil)
			if c.accept != "" {
				req.Header.Set("Accept-Encoding", c.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			res := rec.Result()
			if res.StatusCode != c.status {
				t.Fatalf("status %d", res.StatusCode)
			}
			enc := res.Header.Get("Content-Encoding")
			if (enc == "gzip") != c.gzipped {
				t.Fatalf("Content-Encoding %q, want gzipped %v", enc, c.gzipped)
			}
			body := rec.Body.Bytes()
			if c.gzipped {
				if len(body) >= len(big)/4 {
					t.Errorf("compressed %d of %d bytes", len(body), len(big))
				}
				zr, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				plain, err := io.ReadAll(zr)
				if err != nil {
					t.Fatal(err)
				}
				body = plain
				if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
					t.Error("no Vary: Accept-Encoding")
				}
				if et := res.Header.Get("ETag"); et != "" && et != `W/"v1"` {
					t.Errorf("ETag %q not weakened", et)
				}
			}
			want := big
			switch {
			case c.status == 304:
				want = ""
			case strings.Contains(c.query, "small"):
				want = "ok"
			}
			if string(body) != want {
				t.Errorf("body %d bytes, want %d", len(body), len(want))
			}
		})
	}
}
