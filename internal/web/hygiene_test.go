package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/store/storetest"
)

// TestControlCharactersRefused (issue 11, item 7): a form or query value
// with NUL, ESC or another control character is refused with 422 naming
// the field and nothing is saved; multipart forms too.
func TestControlCharactersRefused(t *testing.T) {
	f := ivWorld(t)
	before := f.auditCount()
	today := clock.Now()
	rec := f.do(adminA, "POST", "/regio/{region}/normen/momentopnamen", url.Values{"jaar": {strconv.Itoa(today.Year())}, "peildatum": {today.Format("2006-01-02")}, "notitie": {"Jaargesprek\x00CZ"}})
	if body := rec.Body.String(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "„notitie”") || !strings.Contains(body, "stuurteken") {
		t.Errorf("NUL in a form: %d %s", rec.Code, body)
	}
	if rec := f.do(adminA, "GET", "/regio/{region}/normen?q=a%1B%5B31m", nil); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "„q”") {
		t.Errorf("ESC in the query: %d", rec.Code)
	}
	rec = f.upload(facilitatorA, "/regio/{region}/intervisie/{group}/jaarstukken", map[string]string{"version": "1", "year_plan": "Plan\x07"}, nil)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "„year_plan”") {
		t.Errorf("BEL in a multipart form: %d %s", rec.Code, rec.Body.String())
	}
	if f.auditCount() != before {
		t.Errorf("a refused form was saved")
	}
	// Tabs and new lines are text.
	rec = f.do(adminA, "POST", "/regio/{region}/normen/momentopnamen", url.Values{"jaar": {strconv.Itoa(today.Year())}, "peildatum": {today.Format("2006-01-02")}, "notitie": {"Jaargesprek\tCZ\r\nen VGZ"}})
	if rec.Code != http.StatusSeeOther {
		t.Errorf("tab and new line: %d", rec.Code)
	}
}

// TestOtherRegionAnswersAsMissing (issue 11, item 7): another region's
// practice answers exactly like a practice that does not exist.
func TestOtherRegionAnswersAsMissing(t *testing.T) {
	f := newFixture(t)
	const missing = 999999999
	for _, path := range []string{"/regio/{region}/praktijken/%d", "/regio/{region}/praktijken/%d/bewerken", "/regio/{region}/praktijken/%d/geschiedenis"} {
		other := f.do(adminA, "GET", fmt.Sprintf(path, f.p3.ID), nil)
		none := f.do(adminA, "GET", fmt.Sprintf(path, missing), nil)
		a := strings.ReplaceAll(other.Body.String(), strconv.FormatInt(f.p3.ID, 10), "ID")
		b := strings.ReplaceAll(none.Body.String(), strconv.Itoa(missing), "ID")
		if other.Code != none.Code || a != b || other.Code != http.StatusNotFound {
			t.Errorf("%s: other region %d, missing %d; bodies equal: %v", path, other.Code, none.Code, a == b)
		}
	}
	// The page echoes its own path (the language switch returns there).
	otherPath, nonePath := fmt.Sprintf("/regio/regio-b/praktijken/%d", f.p3.ID), "/regio/geen-regio/praktijken/1"
	other := f.do(adminA, "GET", otherPath, nil)
	none := f.do(adminA, "GET", nonePath, nil)
	a, b := strings.ReplaceAll(other.Body.String(), otherPath, "PATH"), strings.ReplaceAll(none.Body.String(), nonePath, "PATH")
	if other.Code != none.Code || a != b {
		t.Errorf("region: other %d, missing %d; bodies equal: %v", other.Code, none.Code, a == b)
	}
}

// TestInviteSameAnswerForLoginElsewhere (issue 11, item 7): inviting an
// address that has a login only in another region answers exactly as for
// an address without a login; one with a login in this region is named.
func TestInviteSameAnswerForLoginElsewhere(t *testing.T) {
	f := newFixture(t)
	invite := func(email string) *httptest.ResponseRecorder {
		return f.do(adminA, "POST", "/regio/{region}/uitnodigingen", url.Values{"name": {"Iemand"}, "email": {email}, "role": {"consultant"}})
	}
	fresh, elsewhere := invite("nog-niemand@example.nl"), invite(f.users[adminB].Email)
	if fresh.Code != http.StatusSeeOther || elsewhere.Code != fresh.Code || elsewhere.Header().Get("Location") != fresh.Header().Get("Location") || elsewhere.Body.String() != fresh.Body.String() {
		t.Errorf("fresh %d %q, login elsewhere %d %q", fresh.Code, fresh.Header().Get("Location"), elsewhere.Code, elsewhere.Header().Get("Location"))
	}
	if here := invite(f.users[consultantA].Email); here.Code != http.StatusUnprocessableEntity || !strings.Contains(here.Body.String(), "heeft al een account") {
		t.Errorf("login in this region: %d", here.Code)
	}
}

// TestUnsubscribeHygiene: the newsletter's public unsubscribe page, reached
// without signing in, changes no table on GET (a link scanner opens every
// link of a mail), keeps its secret address out of caches and referrers,
// refuses a control character in its form with 422 and nothing saved, and
// answers an odd token like an unknown one.
func TestUnsubscribeHygiene(t *testing.T) {
	f := newFixture(t)
	setupUnsubscribe(f)
	path := f.expand("/nieuwsbrief/afmelden/{unsubscribe}")
	before := storetest.TableDigests(t, f.db)
	for _, w := range []who{anon, practiceP1, adminA} {
		rec := f.do(w, "GET", path, nil)
		if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("GET as %s: %d, Cache-Control %q, Referrer-Policy %q", w, rec.Code, rec.Header().Get("Cache-Control"), rec.Header().Get("Referrer-Policy"))
		}
	}
	if changed := storetest.ChangedTables(before, storetest.TableDigests(t, f.db), "sessions"); len(changed) > 0 {
		t.Fatalf("GET changed %v", changed)
	}
	rec := f.do(anon, "POST", path, url.Values{"List-Unsubscribe": {"One-Click\x00"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "„List-Unsubscribe”") {
		t.Errorf("NUL in the form: %d %.300s", rec.Code, rec.Body.String())
	}
	if changed := storetest.ChangedTables(before, storetest.TableDigests(t, f.db), "sessions"); len(changed) > 0 {
		t.Fatalf("refused POST changed %v", changed)
	}
	for _, odd := range []string{"%2E%2E", strings.Repeat("A", 2000), "a%20b"} {
		for _, method := range []string{"GET", "POST"} {
			if rec := f.do(anon, method, "/nieuwsbrief/afmelden/"+odd, url.Values{}); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "Deze link kennen we niet") {
				t.Errorf("%s odd token %.20s: %d", method, odd, rec.Code)
			}
		}
	}
}
