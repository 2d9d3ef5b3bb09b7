// Package unavailable answers requests that met a dropped database
// connection: 503 with Retry-After, and one more run of a read.
//
// The web and the API render their own 503 (HTML or JSON) and call Mark
// first. Retry, around both, runs a GET or HEAD that was answered that way
// once more before anything reaches the client: the store has dropped its
// idle connections by then (store.DB.DropIdle), so the second run gets a
// fresh one. Writes are not run again: their transaction rolled back, and
// the client is told to try again.
package unavailable

import (
	"net/http"
)

// marker tells Retry that a 503 is a dropped connection (and not, say, a
// proxy's). It never reaches the client.
const marker = "X-Meertijd-Unavailable"

// RetryAfter is the Retry-After of the 503, in seconds.
const RetryAfter = "2"

// Mark sets the headers of the 503 for a dropped connection; call it before
// WriteHeader.
func Mark(w http.ResponseWriter) {
	w.Header().Set("Retry-After", RetryAfter)
	w.Header().Set(marker, "1")
}

// Retry runs a GET or HEAD once more when its first answer was a marked
// 503, and strips the marker from every answer.
func Retry(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			first := &holdWriter{real: w, header: http.Header{}}
			next.ServeHTTP(first, r)
			if !first.decided {
				first.WriteHeader(http.StatusOK) // headers only, as net/http would
			}
			if !first.held {
				return
			}
		}
		next.ServeHTTP(&stripWriter{ResponseWriter: w}, r)
	})
}

// holdWriter keeps its own headers until the status is known: a marked 503
// is held back (nothing of it is written), anything else goes through.
type holdWriter struct {
	real    http.ResponseWriter
	header  http.Header
	decided bool
	held    bool
}

func (h *holdWriter) Header() http.Header { return h.header }

func (h *holdWriter) WriteHeader(code int) {
	if h.decided {
		return
	}
	h.decided = true
	if code == http.StatusServiceUnavailable && h.header.Get(marker) != "" {
		h.held = true
		return
	}
	h.header.Del(marker)
	dst := h.real.Header()
	for k, v := range h.header {
		dst[k] = v
	}
	h.real.WriteHeader(code)
}

func (h *holdWriter) Write(b []byte) (int, error) {
	if !h.decided {
		h.WriteHeader(http.StatusOK)
	}
	if h.held {
		return len(b), nil
	}
	return h.real.Write(b)
}

// Flush passes a flush on once the answer goes through.
func (h *holdWriter) Flush() {
	if h.decided && !h.held {
		http.NewResponseController(h.real).Flush()
	}
}

// Unwrap lets http.ResponseController reach the real writer.
func (h *holdWriter) Unwrap() http.ResponseWriter { return h.real }

// stripWriter removes the marker before the status goes out.
type stripWriter struct {
	http.ResponseWriter
	wrote bool
}

func (s *stripWriter) WriteHeader(code int) {
	if !s.wrote {
		s.wrote = true
		s.Header().Del(marker)
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *stripWriter) Write(b []byte) (int, error) {
	if !s.wrote {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}

func (s *stripWriter) Flush() { http.NewResponseController(s.ResponseWriter).Flush() }

// Unwrap lets http.ResponseController reach the real writer.
func (s *stripWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
