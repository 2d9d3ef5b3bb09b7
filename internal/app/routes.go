package app

import (
	"meertijd/internal/mail"
	"meertijd/internal/unavailable"
	"net/http"

	"meertijd/internal/api"
	"meertijd/internal/gzipmw"
	"meertijd/internal/metrics"
	"meertijd/internal/reqlog"
)

func (a *App) routes() http.Handler {
	mux := http.NewServeMux()
	a.API = api.New(a.DB, api.Options{Logger: a.cfg.Logger, Mail: mail.Composer{BaseURL: a.cfg.BaseURL, Organizer: a.cfg.SMTP.Address()}})
	mux.Handle("/api/", a.API.Handler())
	mux.Handle("/", a.Web.Handler())
	reg := metrics.New()
	reg.AddGauges(a.gauges)
	a.operatorRoutes(mux, reg)
	// One compression middleware for everything: JSON, HTML, CSV, ics;
	// around it a request id, one log line per answer and the counts.
	return reqlog.Middleware(a.cfg.Logger, reg.Observe, hsts(a.cfg.SecureCookies, gzipmw.Handler(unavailable.Retry(mux))))
}

// hsts sends Strict-Transport-Security on every answer, the API's too,
// when meertijd is served over TLS (--secure-cookies).
func hsts(on bool, next http.Handler) http.Handler {
	if !on {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		next.ServeHTTP(w, r)
	})
}
