package web

import (
	"context"
	"errors"
	"meertijd/internal/reqlog"
	"meertijd/internal/store"
	"meertijd/internal/unavailable"
	"net/http"
	"net/url"
	"runtime/debug"
	"sort"
	"strings"

	"meertijd/internal/mtvp"
)

// access says who may reach a route before the handler's own checks.
type access int

const (
	public     access = iota // anyone: login, health, static
	signedIn                 // a login whose second factor (if any) is done
	secondStep               // password verified, second factor pending
)

// handler is a page handler; a returned error is rendered as an error page
// with the status of its mtvp code.
type handler func(w http.ResponseWriter, r *http.Request) error

type route struct {
	pattern string
	access  access
	h       handler
}

type ctxKey int

const (
	userKey ctxKey = iota
	stageKey
	regionChangeKey // *regionChangeMemo (region_change.go)
)

// Session keys.
const (
	sessUserID  = store.SessionUserKey // password verified for this user
	sessMFADone = "mfa_done"           // second factor done or not needed
	sessEpoch   = "epoch"              // the user's session epoch at sign-in
	sessFlash   = "flash"
	sessLang    = "lang"
)

// currentUser returns the signed-in user (second factor done) or nil.
func currentUser(r *http.Request) *mtvp.User {
	u, _ := r.Context().Value(userKey).(*mtvp.User)
	if u == nil || r.Context().Value(stageKey) != signedIn {
		return nil
	}
	return u
}

// pendingUser returns the user whose second factor is pending, or nil.
func pendingUser(r *http.Request) *mtvp.User {
	u, _ := r.Context().Value(userKey).(*mtvp.User)
	if u == nil || r.Context().Value(stageKey) != secondStep {
		return nil
	}
	return u
}

// withSessionUser lets the session's lookup read its user in the same
// query (one round trip per request, not two; loadUser takes it). A page
// of a region (GET /regio/{region}/…) has the lookup read the region and
// its change counter as well (store.WithRegionPrefetch): the session is
// loaded before the mux matches, so the code is taken from the path here.
// Reads only: a request that writes must see its own write.
func withSessionUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := store.WithSessionUser(r.Context())
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			if code, ok := regionInPath(r.URL.Path); ok {
				ctx = store.WithRegionPrefetch(ctx, code)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// regionInPath returns the {region} of a path under /regio/{region}.
func regionInPath(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/regio/")
	if !ok {
		return "", false
	}
	code, _, _ := strings.Cut(rest, "/")
	return code, code != ""
}

// loadUser reads the session's user once per request. A disabled or removed
// user, or one whose session epoch moved on, ends the session.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = withRegionChangeMemo(r)
		id := s.sessions.GetInt64(r.Context(), sessUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		// The session's lookup read its user in the same query
		// (store.WithSessionUser); a session written before that kept
		// the user beside it is read by ID.
		u, ok := store.SessionUser(r.Context())
		var err error
		if !ok || u.ID != id {
			u, err = s.db.UserByID(r.Context(), id)
		}
		if store.IsUnavailable(err) {
			// The database dropped the connection: the session stays.
			s.unavailable(w, r, err)
			return
		}
		// A password change or reset, a second-factor reset or disabling
		// raised the epoch: this session was signed in before it.
		if err != nil || u.Disabled || u.SessionEpoch != s.sessions.GetInt64(r.Context(), sessEpoch) {
			_ = s.sessions.Destroy(r.Context())
			next.ServeHTTP(w, r)
			return
		}
		stage := secondStep
		if s.sessions.GetBool(r.Context(), sessMFADone) {
			stage = signedIn
		}
		ctx := context.WithValue(r.Context(), userKey, &u)
		ctx = context.WithValue(ctx, stageKey, stage)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// wrap applies a route's access level and renders handler errors.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqlog.SetRoute(r.Context(), rt.pattern)
		switch rt.access {
		case signedIn:
			if currentUser(r) == nil {
				if pendingUser(r) != nil {
					http.Redirect(w, r, "/inloggen/tweestaps", http.StatusSeeOther)
					return
				}
				s.redirectToLogin(w, r)
				return
			}
			// Pages with personal data must not be kept by browsers or proxies.
			w.Header().Set("Cache-Control", "no-store")
			// A password issued by an administrator serves one login: the
			// account page (to choose a new one) and logging out are all
			// that is open until it is changed.
			if currentUser(r).MustChangePassword && !mustChangeOpen[rt.pattern] {
				s.flash(r, "account.must_change")
				if r.Header.Get("HX-Request") == "true" {
					w.Header().Set("HX-Redirect", "/account")
					w.WriteHeader(http.StatusForbidden)
					return
				}
				http.Redirect(w, r, "/account", http.StatusSeeOther)
				return
			}
		case secondStep:
			if pendingUser(r) == nil {
				if currentUser(r) != nil {
					http.Redirect(w, r, "/", http.StatusSeeOther)
					return
				}
				s.redirectToLogin(w, r)
				return
			}
			w.Header().Set("Cache-Control", "no-store")
		}
		if err := rt.h(w, r); err != nil {
			s.handleError(w, r, err)
		}
	})
}

func (s *Server) redirectToLogin(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", "/inloggen")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodGet {
		s.renderError(w, r, http.StatusUnauthorized, "err.unauthorized")
		return
	}
	http.Redirect(w, r, "/inloggen?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

// handleError maps an mtvp error code to a status and error page.
func (s *Server) handleError(w http.ResponseWriter, r *http.Request, err error) {
	var cc *controlCharErr
	if errors.As(err, &cc) {
		s.renderError(w, r, http.StatusUnprocessableEntity, "err.control_char_field", cc.field)
		return
	}
	if store.IsUnavailable(err) {
		s.unavailable(w, r, err)
		return
	}
	switch mtvp.ErrorCode(err) {
	case mtvp.ENOTFOUND:
		s.renderError(w, r, http.StatusNotFound, "err.not_found")
	case mtvp.EFORBIDDEN:
		s.renderError(w, r, http.StatusForbidden, "err.forbidden")
	case mtvp.EUNAUTHORIZED:
		s.redirectToLogin(w, r)
	case mtvp.ECONFLICT:
		s.renderError(w, r, http.StatusConflict, "err.conflict")
	case mtvp.EINVALID:
		s.renderError(w, r, http.StatusUnprocessableEntity, mtvp.ErrorMessage(err))
	default:
		if errors.Is(err, context.Canceled) {
			return
		}
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "err.internal")
	}
}

// unavailable answers a request that met a dropped database connection:
// 503 with Retry-After (a read runs once more first: unavailable.Retry),
// after dropping the pool's idle connections, which are likely dropped too.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.markUnavailable(w, r, err)
	s.renderError(w, r, http.StatusServiceUnavailable, "err.unavailable")
}

// markUnavailable does what every 503 of a dropped connection does before
// its body: drop the idle connections, log, and set Retry-After.
func (s *Server) markUnavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.db.DropIdle()
	s.log.WarnContext(r.Context(), "database unavailable", "method", r.Method, "err", err)
	unavailable.Mark(w)
}

// controlCharError is the 422 for a form or query value holding a control
// character (mtvp.ControlChar), naming the field; nil when there is none.
func controlCharError(values ...url.Values) *controlCharErr {
	for _, vs := range values {
		keys := make([]string, 0, len(vs))
		for k := range vs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, bad := mtvp.ControlChar(k); bad {
				return &controlCharErr{field: strings.ToValidUTF8(strings.Map(printable, k), "?")}
			}
			for _, v := range vs[k] {
				if _, bad := mtvp.ControlChar(v); bad {
					return &controlCharErr{field: k}
				}
			}
		}
	}
	return nil
}

// printable drops control characters from a field name before it is shown.
func printable(r rune) rune {
	if _, bad := mtvp.ControlChar(string(r)); bad {
		return -1
	}
	return r
}

type controlCharErr struct{ field string }

func (e *controlCharErr) Error() string { return "control character in " + e.field }

// refuseControlChars answers 422 naming the field, before any handler,
// when the query or an url-encoded form holds a control character
// (issue 11). Multipart forms are parsed by their handlers, with their own
// size limits; they call checkMultipartText.
func (s *Server) refuseControlChars(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := []url.Values{r.URL.Query()}
		if ct := r.Header.Get("Content-Type"); r.Method != http.MethodGet && r.Method != http.MethodHead && strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			if err := r.ParseForm(); err == nil {
				values = append(values, r.PostForm)
			}
		}
		if e := controlCharError(values...); e != nil {
			s.renderError(w, r, http.StatusUnprocessableEntity, "err.control_char_field", e.field)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkMultipartText is refuseControlChars for a parsed multipart form: an
// EINVALID error naming the field, or nil.
func checkMultipartText(r *http.Request) error {
	if r.MultipartForm == nil {
		return nil
	}
	if e := controlCharError(r.MultipartForm.Value); e != nil {
		return e
	}
	for k, fhs := range r.MultipartForm.File {
		for _, fh := range fhs {
			if _, bad := mtvp.ControlChar(fh.Filename); bad {
				return &controlCharErr{field: k}
			}
		}
	}
	return nil
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "value", v, "stack", string(debug.Stack()))
				http.Error(w, "Interne fout", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// mustChangeOpen are the signed-in routes a login with a one-time password
// may use before choosing its own.
var mustChangeOpen = map[string]bool{
	"GET /account":             true,
	"POST /account/wachtwoord": true,
	"POST /uitloggen":          true,
	"POST /taal":               true,
}
