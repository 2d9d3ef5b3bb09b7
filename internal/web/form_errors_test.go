package web

import (
	"html"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestErrorSummaryNamesFields: the summary at the top of a form with errors
// names the fields, in the form's order and the page's language, and each
// item links to its field.
func TestErrorSummaryNamesFields(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"agb": {"123"}, "name": {""}, "registered_patients": {"1000"}, "status": {"actief"}}
	rec := f.do(adminA, "POST", "/regio/{region}/praktijken", form)
	body := html.UnescapeString(rec.Body.String())
	if rec.Code != 422 {
		t.Fatalf("status %d", rec.Code)
	}
	for _, want := range []string{"Controleer: Naam, AGB-code, Startdatum MTVP", `<li><a href="#f-name">Naam: Dit veld is verplicht.</a></li><li><a href="#f-agb">AGB-code: `} {
		if !strings.Contains(body, want) {
			t.Errorf("summary lacks %q\n%.3000s", want, body[strings.Index(body, "<main"):])
		}
	}
	req := httptest.NewRequest("POST", f.expand("/regio/{region}/praktijken"), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(englishCookie(t, f, adminA))
	rec = httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	if body := html.UnescapeString(rec.Body.String()); !strings.Contains(body, "Check: Name, AGB code, MTVP start date") {
		t.Errorf("english summary: %.3000s", body[strings.Index(body, "<main"):])
	}
}
