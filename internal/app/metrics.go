package app

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"sort"
	"strings"

	"meertijd/internal/metrics"
	"meertijd/internal/reqlog"
)

// DefaultMetricsFrom: only the machine itself may read /metrics unless
// configured otherwise.
const DefaultMetricsFrom = "127.0.0.1/32,::1/128"

// ParseMetricsFrom reads a comma-separated list of addresses and networks
// ("10.0.0.0/8, 192.168.1.5").
func ParseMetricsFrom(s string) ([]netip.Prefix, error) {
	out := []netip.Prefix{} // empty, not nil: nobody but the token
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("metrics-from: %q is no address or network", part)
			}
			part = netip.PrefixFrom(a, a.BitLen()).String()
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("metrics-from: %q is no address or network", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// operatorOnly lets through requests from the configured networks, or
// with the metrics token as a bearer token; others get 404, as if there
// were nothing here.
func operatorOnly(from []netip.Prefix, token string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok &&
				subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1 {
				next.ServeHTTP(w, r)
				return
			}
		}
		if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			if a, err := netip.ParseAddr(host); err == nil {
				a = a.Unmap()
				for _, p := range from {
					if p.Contains(a) {
						next.ServeHTTP(w, r)
						return
					}
				}
			}
		}
		http.NotFound(w, r)
	})
}

// operatorRoutes mounts /metrics and /debug/pprof/ behind operatorOnly.
func (a *App) operatorRoutes(mux *http.ServeMux, reg *metrics.Registry) {
	from := a.cfg.MetricsFrom
	if from == nil {
		from, _ = ParseMetricsFrom(DefaultMetricsFrom)
	}
	handle := func(pattern string, h http.Handler) {
		g := operatorOnly(from, a.cfg.MetricsToken, h)
		mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reqlog.SetRoute(r.Context(), pattern)
			g.ServeHTTP(w, r)
		}))
	}
	handle("GET /metrics", reg.Handler())
	handle("GET /debug/pprof/", http.HandlerFunc(pprof.Index))
	handle("GET /debug/pprof/profile", http.HandlerFunc(pprof.Profile))
	handle("GET /debug/pprof/trace", http.HandlerFunc(pprof.Trace))
	handle("GET /debug/pprof/symbol", http.HandlerFunc(pprof.Symbol))
}

// gauges reads the database pools, the outbox and the compliance cache at
// every scrape.
func (a *App) gauges(ctx context.Context, w *metrics.Writer) {
	pools := a.DB.PoolStats()
	names := make([]string, 0, len(pools))
	for n := range pools {
		names = append(names, n)
	}
	sort.Strings(names)
	w.Family("meertijd_db_connections", "gauge", "Database connections by pool and state.")
	w.Family("meertijd_db_wait_total", "counter", "Waits for a free database connection, by pool.")
	w.Family("meertijd_db_wait_seconds_total", "counter", "Time spent waiting for a database connection, by pool.")
	for _, n := range names {
		st := pools[n]
		w.Sample("meertijd_db_connections", float64(st.InUse), "pool", n, "state", "in_use")
		w.Sample("meertijd_db_connections", float64(st.Idle), "pool", n, "state", "idle")
		w.Sample("meertijd_db_connections", float64(st.MaxOpenConnections), "pool", n, "state", "max")
		w.Sample("meertijd_db_wait_total", float64(st.WaitCount), "pool", n)
		w.Sample("meertijd_db_wait_seconds_total", st.WaitDuration.Seconds(), "pool", n)
	}
	w.Family("meertijd_outbox_messages", "gauge", "Mails in the outbox not sent yet, by state.")
	if waiting, failed, err := a.DB.MailCounts(ctx, 0); err == nil {
		w.Sample("meertijd_outbox_messages", float64(waiting), "state", "waiting")
		w.Sample("meertijd_outbox_messages", float64(failed), "state", "failed")
	}
	cs := a.DB.StandingsCacheStats()
	w.Family("meertijd_standings_cache_hits_total", "counter", "Compliance standings answered from the cache.")
	w.Sample("meertijd_standings_cache_hits_total", float64(cs.Hits))
	w.Family("meertijd_standings_cache_misses_total", "counter", "Compliance standings evaluated anew.")
	w.Sample("meertijd_standings_cache_misses_total", float64(cs.Misses))
	w.Family("meertijd_standings_cache_entries", "gauge", "Region standings held in the cache.")
	w.Sample("meertijd_standings_cache_entries", float64(cs.Entries))
}
