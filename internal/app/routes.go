package app

import (
	"net/http"

	"meertijd/internal/api"
	"meertijd/internal/gzipmw"
)

func (a *App) routes() http.Handler {
	mux := http.NewServeMux()
	a.API = api.New(a.DB, api.Options{Logger: a.cfg.Logger})
	mux.Handle("/api/", a.API.Handler())
	mux.Handle("/", a.Web.Handler())
	// One compression middleware for everything: JSON, HTML, CSV, ics.
	return gzipmw.Handler(mux)
}
