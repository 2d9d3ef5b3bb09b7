package web

import (
	"net/http"
	"strings"
)

// Addresses that match no route: an English address a user may guess
// (/login, /regio/zio/practices) is redirected to its Dutch page; anything
// else gets the styled Dutch "not found" page, or "method not allowed" when
// the address exists for another method.

// englishWords maps English path segments to the app's Dutch ones.
var englishWords = map[string]string{
	"login": "inloggen", "signin": "inloggen", "sign-in": "inloggen", "logout": "uitloggen",
	"region": "regio", "regions": "regio", "practices": "praktijken", "practice": "praktijken",
	"plans": "plannen", "plan": "plan", "norms": "normen", "compliance": "normen", "visits": "bezoeken",
	"training": "scholing", "trainings": "scholing", "intervision": "intervisie", "history": "historie",
	"staff": "medewerkers", "settings": "instellingen", "import": "import", "accounts": "accounts",
	"reports": "verantwoording", "report": "verantwoording", "funders": "verantwoording", "claims": "aanvragen",
	"home": "", "index.html": "",
}

// dutchPath translates the English segments of p; ok is false when none
// was English.
func dutchPath(p string) (string, bool) {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	changed := false
	var out []string
	for _, s := range segs {
		if nl, ok := englishWords[strings.ToLower(s)]; ok && nl != s {
			changed = true
			if nl == "" {
				continue
			}
			s = nl
		}
		out = append(out, s)
	}
	return "/" + strings.Join(out, "/"), changed
}

// notFoundRoutes are the catch-all routes: they match only what no other
// route does.
func (s *Server) notFoundRoutes() []route {
	return []route{
		{"GET /", public, s.noRoute},
		{"POST /", public, s.noRoute},
	}
}

func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) error {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if to, ok := dutchPath(r.URL.Path); ok && s.routeExists(http.MethodGet, to) {
			if r.URL.RawQuery != "" {
				to += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, to, http.StatusMovedPermanently)
			return nil
		}
	}
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if m != r.Method && s.routeExists(m, r.URL.Path) {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.renderError(w, r, http.StatusMethodNotAllowed, "err.method_not_allowed")
		return nil
	}
	s.renderError(w, r, http.StatusNotFound, "err.page_not_found")
	return nil
}

// routeExists reports whether a route other than the catch-all serves
// method and path.
func (s *Server) routeExists(method, path string) bool {
	r, err := http.NewRequest(method, path, nil)
	if err != nil {
		return false
	}
	_, pattern := s.mux.Handler(r)
	return pattern != "" && pattern != "GET /" && pattern != "POST /"
}
