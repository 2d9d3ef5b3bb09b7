package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meertijd/internal/store/storetest"
)

// Route × role rows of the region's consult duration (issue 15 §5): the
// region's funders and admins; other members 403, outsiders 404. Funders
// still get 404 on a practice's figures (authz_agenda_test.go).
func init() {
	const p = "/regio/{region}/consultduur"
	addRouteRows(routeRow{pattern: "GET " + p, path: p + "?rol=huisarts",
		want: expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 200}})
}

func TestRegionConsultAsFunder(t *testing.T) {
	f := newFixture(t)
	week5, names := storetest.RegionAgenda(t, f.db, f.regionA.ID, f.p1.ID, f.p2.ID)
	get := func(w who, path string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, f.expand(path), nil)
		req.AddCookie(f.cookie(w))
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		return rec.Code, bodyOf(rec)
	}
	code, body := get(funderA, "/regio/{region}/consultduur")
	if code != http.StatusOK {
		t.Fatalf("funder: %d", code)
	}
	for _, want := range []string{"Consultduur in de regio", `id="consult-quarters"`, "2026-Q1", "minder dan 5 praktijken: niet getoond", "x: niet getoond", `id="consult-chart"`} {
		if !strings.Contains(body, want) {
			t.Errorf("funder page lacks %q", want)
		}
	}
	for _, secret := range append(names, f.p1.Name, f.p2.Name, fmt.Sprintf(">%d<", week5)) {
		if strings.Contains(body, secret) {
			t.Errorf("funder page shows %q", secret)
		}
	}
	// Seven practices in the quarter, and in a shown week.
	if !strings.Contains(body, `data-label="Praktijken">7<`) {
		t.Errorf("no row of 7 practices")
	}
	// A practice's own figures stay closed to the funder.
	if code, _ := get(funderA, "/regio/{region}/praktijken/{practice}/consultduur"); code != http.StatusNotFound {
		t.Errorf("funder on P1's consult page: %d, want 404", code)
	}
	// English, and a role without data.
	if code, body := get(funderA, "/regio/{region}/consultduur?rol=poh_ggz"); code != 200 || !strings.Contains(body, `id="consult-none"`) {
		t.Errorf("POH-GGZ without data: %d", code)
	}
}
