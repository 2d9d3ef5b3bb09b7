// Package gzipmw compresses answers with gzip when the client accepts it:
// one middleware in front of the web pages and the API (internal/app), so
// JSON, HTML, CSV and the ics feeds are all light on the wire (issue 14).
//
// It compresses only text types (compressed formats such as xlsx, pdf and
// png gain nothing), only answers of at least MinSize bytes (below that the
// gzip header costs more than it saves), never partial content (Range) nor
// HEAD, and leaves an answer alone that already has a Content-Encoding.
// Every compressible answer says Vary: Accept-Encoding.
package gzipmw

import (
	"bufio"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// MinSize is the smallest body that is compressed.
const MinSize = 1024

// Level is the gzip level: the fastest, since answers are made per request
// and repetitive JSON and HTML compress well at any level.
const Level = gzip.BestSpeed

var writers = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, Level)
	return w
}}

// compressible reports a content type worth compressing.
func compressible(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	switch ct {
	case "application/json", "application/problem+json", "application/javascript", "application/xml",
		"image/svg+xml", "text/calendar", "text/csv", "text/html", "text/plain", "text/css",
		"text/javascript", "text/xml":
		return true
	}
	return false
}

// Accepts reports whether the request's Accept-Encoding allows gzip
// ("gzip" or "*" with a quality above 0).
func Accepts(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		params = strings.ToLower(strings.ReplaceAll(params, " ", ""))
		if qs, ok := strings.CutPrefix(params, "q="); ok {
			if q, err := strconv.ParseFloat(qs, 64); err != nil || q <= 0 {
				return false
			}
		}
		return true
	}
	return false
}

// Handler compresses next's answers for clients that accept gzip.
func Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead || r.Header.Get("Range") != "" || !Accepts(r) {
			next.ServeHTTP(w, r)
			return
		}
		gw := &writer{ResponseWriter: w}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

// writer buffers the first MinSize bytes to decide, then either streams
// through gzip or writes the body as it is.
type writer struct {
	http.ResponseWriter
	status  int
	decided bool // headers written
	gz      *gzip.Writer
	buf     []byte
}

func (w *writer) WriteHeader(status int) {
	if w.decided || w.status != 0 {
		return
	}
	w.status = status
	h := w.Header()
	if status < 200 || status == http.StatusNoContent || status == http.StatusNotModified ||
		status == http.StatusPartialContent || h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")) {
		if compressible(h.Get("Content-Type")) {
			h.Add("Vary", "Accept-Encoding")
		}
		w.decided = true
		w.ResponseWriter.WriteHeader(status)
	}
}

func (w *writer) Write(b []byte) (int, error) {
	if w.status == 0 {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.gz != nil {
		return w.gz.Write(b)
	}
	if w.decided {
		return w.ResponseWriter.Write(b)
	}
	w.buf = append(w.buf, b...)
	if len(w.buf) >= MinSize {
		if err := w.start(); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// start writes the headers of a compressed answer and the buffered bytes.
func (w *writer) start() error {
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Encoding", "gzip")
	h.Add("Vary", "Accept-Encoding")
	if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
		// A strong validator names one byte sequence; the compressed
		// body is another.
		h.Set("ETag", "W/"+et)
	}
	w.decided = true
	w.ResponseWriter.WriteHeader(w.status)
	gz := writers.Get().(*gzip.Writer)
	gz.Reset(w.ResponseWriter)
	w.gz = gz
	buf := w.buf
	w.buf = nil
	_, err := gz.Write(buf)
	return err
}

// close finishes the answer: the gzip trailer, or a short body as it is.
func (w *writer) close() {
	switch {
	case w.gz != nil:
		w.gz.Close()
		w.gz.Reset(io.Discard)
		writers.Put(w.gz)
		w.gz = nil
	case !w.decided && w.status != 0:
		w.Header().Add("Vary", "Accept-Encoding")
		w.decided = true
		w.ResponseWriter.WriteHeader(w.status)
		w.ResponseWriter.Write(w.buf)
	}
}

// Flush sends what is buffered (starting compression when undecided).
func (w *writer) Flush() {
	if w.status != 0 && !w.decided {
		w.start()
	}
	if w.gz != nil {
		w.gz.Flush()
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack passes through (the connection is then the caller's).
func (w *writer) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
