// Package metrics counts requests by route pattern and status, keeps
// latency histograms, and writes them with gauges read at scrape time
// (database pools, outbox, compliance cache) in the Prometheus text
// format (issue 17). It has no dependencies: the format is a few lines.
//
// Routes are the mux patterns ("GET /regio/{region}/normen"), never the
// paths, so ids and names do not become label values and the number of
// series stays bounded.
package metrics

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Buckets are the latency histogram's upper bounds in seconds.
var Buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type routeKey struct {
	route, method string
	status        int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; one more for +Inf
	sum    float64
	n      uint64
}

// Registry holds the counters of one process.
type Registry struct {
	mu       sync.Mutex
	requests map[routeKey]uint64
	latency  map[string]*histogram // by route
	gauges   []GaugeFunc
}

// GaugeFunc writes gauge samples at scrape time.
type GaugeFunc func(ctx context.Context, w *Writer)

// New returns an empty registry.
func New() *Registry {
	return &Registry{requests: map[routeKey]uint64{}, latency: map[string]*histogram{}}
}

// AddGauges registers f, called on every scrape.
func (r *Registry) AddGauges(f GaugeFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gauges = append(r.gauges, f)
}

// Observe counts one answer. An empty route (no pattern matched) counts as
// "unmatched".
func (r *Registry) Observe(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests[routeKey{route, method, status}]++
	h := r.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(Buckets)+1)}
		r.latency[route] = h
	}
	s := d.Seconds()
	i := sort.SearchFloat64s(Buckets, s)
	h.counts[i]++
	h.sum += s
	h.n++
}

// Writer writes samples in the text format, each family's HELP and TYPE
// once.
type Writer struct {
	w    io.Writer
	seen map[string]bool
}

// Family writes a family's HELP and TYPE lines (once).
func (w *Writer) Family(name, typ, help string) {
	if w.seen[name] {
		return
	}
	w.seen[name] = true
	fmt.Fprintf(w.w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// Sample writes one sample; labels alternate name and value.
func (w *Writer) Sample(name string, value float64, labels ...string) {
	var b strings.Builder
	b.WriteString(name)
	if len(labels) > 0 {
		b.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(labels[i])
			b.WriteString(`="`)
			b.WriteString(escape(labels[i+1]))
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(formatValue(value))
	b.WriteByte('\n')
	io.WriteString(w.w, b.String())
}

func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func formatValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Write writes every metric: the counters, then the gauges read now.
func (r *Registry) Write(ctx context.Context, out io.Writer) {
	w := &Writer{w: out, seen: map[string]bool{}}
	r.mu.Lock()
	keys := make([]routeKey, 0, len(r.requests))
	for k := range r.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.route != b.route {
			return a.route < b.route
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.status < b.status
	})
	w.Family("meertijd_http_requests_total", "counter", "Answers by route pattern, method and status.")
	for _, k := range keys {
		w.Sample("meertijd_http_requests_total", float64(r.requests[k]), "route", k.route, "method", k.method, "status", strconv.Itoa(k.status))
	}
	routes := make([]string, 0, len(r.latency))
	for route := range r.latency {
		routes = append(routes, route)
	}
	sort.Strings(routes)
	w.Family("meertijd_http_request_duration_seconds", "histogram", "Time to answer, by route pattern.")
	for _, route := range routes {
		h := r.latency[route]
		var cum uint64
		for i, le := range Buckets {
			cum += h.counts[i]
			w.Sample("meertijd_http_request_duration_seconds_bucket", float64(cum), "route", route, "le", formatValue(le))
		}
		w.Sample("meertijd_http_request_duration_seconds_bucket", float64(h.n), "route", route, "le", "+Inf")
		w.Sample("meertijd_http_request_duration_seconds_sum", h.sum, "route", route)
		w.Sample("meertijd_http_request_duration_seconds_count", float64(h.n), "route", route)
	}
	gauges := append([]GaugeFunc(nil), r.gauges...)
	r.mu.Unlock()
	for _, g := range gauges {
		g(ctx, w)
	}
}

// Handler serves the metrics.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		r.Write(req.Context(), w)
	})
}
