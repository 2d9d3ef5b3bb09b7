package web

import (
	"strings"
	"testing"
)

// Unknown addresses get styled Dutch pages; English addresses go to their
// Dutch page.
func TestNotFoundAndEnglishPaths(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct{ path, to string }{
		{"/login", "/inloggen"},
		{"/login?next=%2Fregio", "/inloggen?next=%2Fregio"},
		{"/regio/{region}/practices", "/regio/regio-a/praktijken"},
		{"/regions/{region}/norms", "/regio/regio-a/normen"},
	} {
		rec := f.do(anon, "GET", c.path, nil)
		if rec.Code != 301 || rec.Header().Get("Location") != c.to {
			t.Errorf("%s: %d to %q, want 301 to %q", c.path, rec.Code, rec.Header().Get("Location"), c.to)
		}
	}
	rec := f.do(adminA, "GET", "/regio/{region}/bestaat-niet", nil)
	if body := rec.Body.String(); rec.Code != 404 || !strings.Contains(body, "Deze pagina bestaat niet") || !strings.Contains(body, `<html lang="nl"`) {
		t.Errorf("404: %d %.300s", rec.Code, body)
	}
	// POST to a page that only answers GET: 405, styled, with Allow.
	rec = f.do(adminA, "POST", "/regio/{region}/normen", nil)
	if body := rec.Body.String(); rec.Code != 405 || rec.Header().Get("Allow") != "GET" || !strings.Contains(body, "Niet toegestaan") {
		t.Errorf("405: %d %v %.300s", rec.Code, rec.Header(), body)
	}
	// English and unknown pages reveal nothing to anonymous visitors.
	if rec := f.do(anon, "GET", "/regio/{region}/onbekend", nil); rec.Code != 404 {
		t.Errorf("anonymous unknown: %d", rec.Code)
	}
}
