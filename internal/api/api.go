// Package api serves meertijd's JSON API under /api/v1: regions, practices,
// people and memberships. Callers authenticate with a bearer token only
// (Authorization: Bearer mt_…); there are no cookies, so no CSRF surface.
// Handlers are thin: parse, authorise through mtvp's access policy, call the
// store, answer JSON. The OpenAPI document (openapi.json) is written by hand
// and a test keeps it equal to Patterns().
package api

import (
	"context"
	"log/slog"
	"meertijd/internal/mail"
	"meertijd/internal/reqlog"
	"net/http"

	"meertijd/internal/lru"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Prefix is where the lead mounts Handler: mux.Handle(api.Prefix, a.Handler()).
// Patterns are registered with the full path, so no StripPrefix is needed.
const Prefix = "/api/v1/"

// DefaultMaxBodyBytes limits a request body (413 above it).
const DefaultMaxBodyBytes = 1 << 20

// routeBodyLimits raises the body limit of single routes that carry a file
// as base64 (pattern → bytes); each area adds its own.
var routeBodyLimits = map[string]int64{}

// Options configure the API.
type Options struct {
	// Logger receives internal errors; nil means slog.Default().
	Logger *slog.Logger
	// MaxBodyBytes limits request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Mail writes invitation mails (its BaseURL starts their links).
	Mail mail.Composer
}

// API is the JSON API.
type API struct {
	db      *store.DB
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	routes  []route
	handler http.Handler
	// bodies keeps recent region compliance answers by ETag (compliance.go).
	bodies *lru.Cache[string, *cachedBody]
}

// handlerFunc answers a request or returns an error that writeError turns
// into the JSON error body.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

type route struct {
	pattern string
	public  bool // no token needed
	h       handlerFunc
}

// New builds the API on a migrated database.
func New(db *store.DB, opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	a := &API{db: db, opts: opts, log: opts.Logger, mux: http.NewServeMux(), bodies: lru.New[string, *cachedBody](bodyCacheEntries)}
	a.routes = a.routeTable()
	for _, rt := range a.routes {
		a.mux.Handle(rt.pattern, a.wrap(rt))
	}
	a.handler = a.dispatch()
	return a
}

// routeTable lists every route; later areas add their own list function
// here (one line each) and an OpenAPI fragment in openapi/.
func (a *API) routeTable() []route {
	var rs []route
	rs = append(rs, a.foundationRoutes()...)
	rs = append(rs, a.planRoutes()...)
	rs = append(rs, a.intervisionRoutes()...)
	rs = append(rs, a.trainingRoutes()...)
	rs = append(rs, a.activityRoutes()...)
	rs = append(rs, a.proposalRoutes()...)
	rs = append(rs, a.visitRoutes()...)
	rs = append(rs, a.agendaRoutes()...)
	rs = append(rs, a.indicatorRoutes()...)
	rs = append(rs, a.complianceRoutes()...)
	rs = append(rs, a.funderRoutes()...)
	rs = append(rs, a.regioplanRoutes()...)
	rs = append(rs, a.accountRoutes()...)
	return rs
}

func (a *API) foundationRoutes() []route {
	return []route{
		{"GET /api/v1/openapi.json", true, a.getOpenAPI},

		{"GET /api/v1/regions", false, a.listRegions},
		{"POST /api/v1/regions", false, a.createRegion},
		{"GET /api/v1/regions/{code}", false, a.getRegion},
		{"PUT /api/v1/regions/{code}", false, a.updateRegion},

		{"GET /api/v1/regions/{code}/practices", false, a.listPractices},
		{"POST /api/v1/regions/{code}/practices", false, a.createPractice},
		{"GET /api/v1/practices/{id}", false, a.getPractice},
		{"PUT /api/v1/practices/{id}", false, a.updatePractice},

		{"GET /api/v1/practices/{id}/people", false, a.listPeople},
		{"POST /api/v1/practices/{id}/people", false, a.createStaff},
		{"GET /api/v1/people/{id}", false, a.getPerson},
		{"PUT /api/v1/people/{id}", false, a.updatePerson},

		{"GET /api/v1/practices/{id}/memberships", false, a.listMemberships},
		{"POST /api/v1/practices/{id}/memberships", false, a.createMembership},
		{"GET /api/v1/memberships/{id}", false, a.getMembership},
		{"PUT /api/v1/memberships/{id}", false, a.updateMembership},
	}
}

// Handler is the whole API; mount it at Prefix.
func (a *API) Handler() http.Handler { return a.handler }

// Patterns lists every registered pattern ("GET /api/v1/regions", …).
func (a *API) Patterns() []string {
	out := make([]string, len(a.routes))
	for i, rt := range a.routes {
		out[i] = rt.pattern
	}
	return out
}

// dispatch sets the headers every answer carries and turns the mux's plain
// text 404 and 405 into JSON errors.
func (a *API) dispatch() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		if _, pattern := a.mux.Handler(r); pattern != "" {
			a.mux.ServeHTTP(w, r)
			return
		}
		// No route: let the mux decide between 404, 405 (with Allow) and a
		// redirect to the canonical path, then answer in JSON.
		c := &capture{header: http.Header{}}
		a.mux.ServeHTTP(c, r)
		switch c.status {
		case http.StatusNotFound:
			a.writeError(w, r, errNoRoute)
		case http.StatusMethodNotAllowed:
			h.Set("Allow", c.header.Get("Allow"))
			a.writeError(w, r, errMethod)
		default:
			for k, v := range c.header {
				h[k] = v
			}
			w.WriteHeader(c.status)
			w.Write(c.body)
		}
	})
}

// capture records what the mux answers for an unmatched request.
type capture struct {
	header http.Header
	status int
	body   []byte
}

func (c *capture) Header() http.Header { return c.header }
func (c *capture) WriteHeader(s int) {
	if c.status == 0 {
		c.status = s
	}
}
func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	c.body = append(c.body, b...)
	return len(b), nil
}

type ctxKey int

const userKey ctxKey = 1

// userOf returns the authenticated caller (nil on public routes).
func userOf(r *http.Request) *mtvp.User {
	u, _ := r.Context().Value(userKey).(*mtvp.User)
	return u
}

func actorOf(u *mtvp.User) mtvp.Actor { return mtvp.Actor{UserID: u.ID, Name: u.Name} }

// wrap authenticates (unless public), limits the body and maps a returned
// error to its JSON answer.
func (a *API) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqlog.SetRoute(r.Context(), rt.pattern)
		if err := checkQuery(r.URL.RawQuery); err != nil {
			a.writeError(w, r, err)
			return
		}
		if r.Body != nil {
			limit := a.opts.MaxBodyBytes
			if l := routeBodyLimits[rt.pattern]; l > limit {
				limit = l
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		if code := r.PathValue("code"); code != "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			// The token lookup reads the region too: one round trip
			// (store.WithRegionPrefetch; reads only, so no write is missed).
			r = r.WithContext(store.WithRegionPrefetch(r.Context(), code))
		}
		if !rt.public {
			u, err := a.authenticate(r)
			if err != nil {
				a.writeError(w, r, err)
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), userKey, u))
		}
		if r.Method == http.MethodGet {
			// Every GET answer gets an ETag and 304 (etag.go).
			ew := &etagWriter{ResponseWriter: w}
			defer ew.finish(r)
			w = ew
		}
		if err := rt.h(w, r); err != nil {
			a.writeError(w, r, err)
		}
	})
}
