package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// Route × role rows of the region's consult duration (issue 15 §5): the
// region's funders and admins; other members 403, outsiders 404. Funders
// still get 404 on a practice's figures (authz_agenda_test.go).
func init() {
	const p = "/regio/{region}/consultduur"
	addRouteRows(routeRow{pattern: "GET " + p, path: p + "?rol=huisarts",
		want: expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 200}})
}

// seedRegionAgenda gives region A seven practices with agenda weeks of
// 2026-Q1: P1 and P2 of the fixture and five more; in week 5 only P1, P2
// and one other contributed. It returns the hidden week's consults.
func seedRegionAgenda(t *testing.T, f *fixture) int64 {
	t.Helper()
	ctx := context.Background()
	ids := []int64{f.p1.ID, f.p2.ID}
	for i := range 5 {
		p := mtvp.Practice{RegionID: f.regionA.ID, AGB: fmt.Sprintf("0100010%d", i), Name: fmt.Sprintf("Agendapraktijk %d", i), City: "Heerlen",
			RegisteredPatients: 2000, Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2025-01-01")}
		if err := f.db.CreatePractice(ctx, mtvp.SystemActor, &p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	var week5 int64
	for k, id := range ids {
		var weeks []mtvp.ConsultWeek
		for _, w := range mtvp.WeekRange(mtvp.Week{Year: 2026, Week: 1}, mtvp.Week{Year: 2026, Week: 13}) {
			if w.Week == 5 && k > 2 {
				continue
			}
			c := mtvp.ConsultWeek{PracticeID: id, Week: w, Role: mtvp.ConsultHuisarts}
			for n := range 40 + 7*k {
				c.Add(int64(600+60*((n+k)%9)), false)
			}
			if w.Week == 5 {
				week5 += c.Count
			}
			weeks = append(weeks, c)
		}
		up := &mtvp.ConsultUpload{PracticeID: id, Format: "csv", FileName: "agenda.csv", Rows: 1, Used: 1, First: weeks[0].Week, Last: weeks[len(weeks)-1].Week}
		if err := f.db.SaveAgenda(ctx, mtvp.SystemActor, up, weeks); err != nil {
			t.Fatal(err)
		}
	}
	return week5
}

func TestRegionConsultAsFunder(t *testing.T) {
	f := newFixture(t)
	week5 := seedRegionAgenda(t, f)
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
	for _, secret := range []string{f.p1.Name, f.p2.Name, "Agendapraktijk", fmt.Sprintf(">%d<", week5)} {
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
