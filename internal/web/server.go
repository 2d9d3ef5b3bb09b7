// Package web serves meertijd's server-rendered pages: html/template with
// htmx where it helps, the NL Design System (Utrecht) CSS vendored in
// static/. Handlers are thin: parse, authorise via mtvp's policy, call the
// store, render.
package web

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"meertijd/internal/clock"
	"meertijd/internal/i18n"
	"meertijd/internal/lru"
	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config holds what the web layer needs from the command line.
type Config struct {
	// Demo shows the demo banner and waives the second factor for demo
	// accounts only.
	Demo bool
	// DemoAccounts are the ids of the logins the demo loader made: the
	// only ones whose second factor demo mode waives.
	DemoAccounts map[int64]bool
	// SecureCookies marks cookies Secure and sends HSTS (behind TLS).
	SecureCookies bool
	// SecretKey encrypts TOTP secrets at rest.
	SecretKey []byte
	// Now is the calendar clock; nil means clock.Now.
	Now func() time.Time
	// Logger; nil means slog.Default().
	Logger *slog.Logger
	// BaseURL is where users reach meertijd (links in e-mails), without a
	// trailing slash.
	BaseURL string
	// MailConfigured: an SMTP server delivers the outbox (else mails only
	// wait there, shown on the outbox page).
	MailConfigured bool
	// MailOrganizer is the sender's address, named as the organizer of
	// calendar entries in mails (mail.Composer.Organizer).
	MailOrganizer string
	// SSO is the host's single sign-on provider (nil: none), with its
	// client secret; regions configure their own (sso.go).
	SSO             *mtvp.SSOProvider
	SSOClientSecret string
}

// Server is the web UI.
type Server struct {
	db       *store.DB
	cfg      Config
	sessions *scs.SessionManager
	pages    *pageSet
	log      *slog.Logger
	mux      *http.ServeMux
	routes   []route
	mail     mail.Composer
	// normCache keeps the norms dashboard's figures (compliance.go).
	normCache *lru.Cache[normCacheKey, complianceDashboardData]
	normHTML  *lru.Cache[normCacheKey, template.HTML]
	// badges caches the consultants' menu counts by region change.
	badges *lru.Cache[badgeKey, navBadges]
	// pageCache holds whole rendered pages by key (page_cache.go).
	pageCache *lru.Cache[pageKey, cachedPage]
	// oidc caches the single sign-on providers' discovery (sso.go).
	oidc oidcProviders
}

// New builds the web server on a migrated database.
func New(db *store.DB, cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	pages, err := loadPages()
	if err != nil {
		return nil, err
	}
	sm := scs.New()
	sm.Store = db.SessionStore()
	sm.Codec = store.SessionCodec{}
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "meertijd_session"
	if cfg.SecureCookies {
		// Behind TLS: the __Host- prefix makes the browser refuse the
		// cookie unless it is Secure, for this host only (no Domain) and
		// for every path, so a sibling subdomain cannot plant or shadow it.
		sm.Cookie.Name = "__Host-meertijd_session"
	}
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.Cookie.Path = "/"
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://127.0.0.1:8080"
	}
	s := &Server{db: db, cfg: cfg, sessions: sm, pages: pages, log: cfg.Logger, mux: http.NewServeMux(), mail: mail.Composer{BaseURL: cfg.BaseURL, Organizer: cfg.MailOrganizer},
		normCache: lru.New[normCacheKey, complianceDashboardData](normCacheEntries),
		badges:    lru.New[badgeKey, navBadges](badgeCacheEntries),
		pageCache: lru.New[pageKey, cachedPage](pageCacheEntries),
		normHTML:  lru.New[normCacheKey, template.HTML](normCacheEntries)}
	// A session that cannot be loaded or saved because the database
	// dropped the connection is a 503, like any other request that met it.
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		if store.IsUnavailable(err) {
			// No session in the context: a plain page, not the layout.
			s.markUnavailable(w, r, err)
			http.Error(w, i18n.T(i18n.Lang(r.Header.Get("Accept-Language")), "err.unavailable"), http.StatusServiceUnavailable)
			return
		}
		s.log.ErrorContext(r.Context(), "session", "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.pattern, s.wrap(rt))
	}
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", cacheStatic(http.StripPrefix("/static/", http.FileServerFS(static))))
	return s, nil
}

// Handler returns the whole web handler with its middleware.
func (s *Server) Handler() http.Handler {
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "err.csrf")
	}))
	// A mail provider's one-click unsubscribe (RFC 8058) is a POST from
	// elsewhere without a session; its token is what authorises it, and
	// it can only switch the newsletter off. Every other form stays
	// same-origin only.
	csrf.AddInsecureBypassPattern(unsubscribePattern)
	// The CSRF check sits inside the session so its refusal page can be
	// rendered like any other.
	var h http.Handler = s.mux
	h = s.refuseControlChars(h)
	h = csrf.Handler(h)
	h = s.loadUser(h)
	h = s.sessions.LoadAndSave(h)
	h = withSessionUser(h)
	h = s.securityHeaders(h)
	h = s.recoverPanics(h)
	return h
}

// Patterns lists every registered route pattern ("GET /path/{id}"), for the
// route × role authorisation test.
func (s *Server) Patterns() []string {
	out := []string{"GET /static/"}
	for _, rt := range s.routes {
		out = append(out, rt.pattern)
	}
	return out
}
