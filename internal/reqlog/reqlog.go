// Package reqlog gives every request an id and writes one log line per
// answer (issue 17): method, path (never the query: search fields hold
// names), status, bytes and duration, with the request id that the answer
// also carries in X-Request-Id. Log lines written with the request's
// context (slog's ...Context methods) carry the same id through Handler.
//
// No personal data goes to the log from here: no query strings, no
// e-mail addresses, no request bodies.
package reqlog

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"
)

// Header is the response (and accepted request) header with the id.
const Header = "X-Request-Id"

type ctxKey struct{}

// info is what the middleware knows of a request; the router fills in
// the route.
type info struct {
	id    string
	route string
}

// ID returns the request id in ctx ("" outside a request).
func ID(ctx context.Context) string {
	if in, _ := ctx.Value(ctxKey{}).(*info); in != nil {
		return in.id
	}
	return ""
}

// WithID returns ctx carrying id.
func WithID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxKey{}, &info{id: id})
}

// SetRoute records the route pattern that answers the request (the web's
// and the API's routers call it), for the access line and the metrics.
func SetRoute(ctx context.Context, pattern string) {
	if in, _ := ctx.Value(ctxKey{}).(*info); in != nil {
		in.route = pattern
	}
}

// Observer is told of every answer (the metrics registry).
type Observer func(route, method string, status int, d time.Duration)

// newID is 16 hex characters of randomness.
func newID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validID accepts an id from a proxy in front (X-Request-Id) when it is
// short and plain, so it cannot forge log lines.
func validID(s string) bool {
	if len(s) < 8 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// Middleware names the request, logs its answer on log and tells observe
// (when not nil).
func Middleware(log *slog.Logger, observe Observer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(Header)
		if !validID(id) {
			id = newID()
		}
		w.Header().Set(Header, id)
		in := &info{id: id}
		ctx := context.WithValue(r.Context(), ctxKey{}, in)
		rw := &recorder{ResponseWriter: w}
		start := time.Now()
		next.ServeHTTP(rw, r.WithContext(ctx))
		d := time.Since(start)
		status := rw.status
		if status == 0 {
			status = http.StatusOK
		}
		if observe != nil {
			observe(in.route, r.Method, status, d)
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.LogAttrs(ctx, level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", in.route),
			slog.Int("status", status),
			slog.Int64("bytes", rw.bytes),
			slog.Float64("ms", float64(d.Microseconds())/1000))
	})
}

// recorder notes the status and the bytes written.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flush,
// deadlines) through the recorder.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Handler adds the request id of a record's context to every record.
type Handler struct{ slog.Handler }

// Handle adds request_id when the context has one.
func (h Handler) Handle(ctx context.Context, rec slog.Record) error {
	if id := ID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

// WithAttrs and WithGroup keep the wrapper.
func (h Handler) WithAttrs(as []slog.Attr) slog.Handler { return Handler{h.Handler.WithAttrs(as)} }
func (h Handler) WithGroup(name string) slog.Handler    { return Handler{h.Handler.WithGroup(name)} }
