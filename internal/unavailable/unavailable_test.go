package unavailable

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestRetry: a GET answered with a marked 503 runs once more and only the
// second answer (its headers and body) reaches the client; a POST is not
// run again and gets the 503 with Retry-After; the marker never leaves; an
// unmarked 503 (not ours) is passed on as it is.
func TestRetry(t *testing.T) {
	runs := 0
	h := Retry(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		runs++
		if runs == 1 || r.URL.Path == "/always" {
			w.Header().Set("Set-Cookie", "first=1")
			Mark(w)
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("first"))
			return
		}
		if r.URL.Path == "/proxy" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("second"))
	}))
	do := func(method, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
		return rec
	}
	rec := do("GET", "/")
	if rec.Code != 200 || rec.Body.String() != "second" || rec.Header().Get("Set-Cookie") != "" || rec.Header().Get(marker) != "" || runs != 2 {
		t.Errorf("GET: %d %q %v after %d runs", rec.Code, rec.Body, rec.Header(), runs)
	}
	runs = 0
	rec = do("POST", "/")
	if rec.Code != 503 || rec.Header().Get("Retry-After") != RetryAfter || rec.Header().Get(marker) != "" || runs != 1 {
		t.Errorf("POST: %d %v after %d runs", rec.Code, rec.Header(), runs)
	}
	runs = 0
	rec = do("GET", "/always")
	if rec.Code != 503 || rec.Body.String() != "first" || rec.Header().Get("Retry-After") != RetryAfter || rec.Header().Get(marker) != "" || runs != 2 {
		t.Errorf("GET failing twice: %d %q %v after %d runs", rec.Code, rec.Body, rec.Header(), runs)
	}
	runs = 1
	rec = do("GET", "/proxy")
	if rec.Code != 503 || runs != 2 {
		t.Errorf("unmarked 503: %d after %d runs", rec.Code, runs)
	}
}
