package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"meertijd/internal/export/pdftext"
	"meertijd/internal/importer"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// indicatorWorld imports, once per world, quarterly consults per insured
// for region A: P1 from 2022-Q1 to 2025-Q4 (down after its start in
// 2024-Q2: an unusually long run), P2 only in 2025-Q4, the region and the
// country; and one region figure of region B (9,99) that region A must
// never show.
func indicatorWorld(f *fixture) {
	ctx := context.Background()
	vs, err := f.db.IndicatorValues(ctx, store.IndicatorFilter{RegionID: f.regionA.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(vs) > 0 {
		return
	}
	p1 := []float64{1.31, 1.29, 1.32, 1.28, 1.30, 1.33, 1.27, 1.31, 1.29, 1.15, 1.12, 1.10, 1.08, 1.09, 1.05, 1.04}
	rows := [][]string{{"niveau", "AGB-code praktijk", "indicator", "kwartaal", "waarde", "bron", "datum bron"}}
	for i, v := range p1 {
		q := mtvp.Quarter{Year: 2022 + i/4, Q: i%4 + 1}
		src := q.End().String()
		rows = append(rows,
			[]string{"praktijk", f.p1.AGB, "consulten per verzekerde", q.String(), fmt.Sprint(v), "Vektis", src},
			[]string{"regio", "", "consulten per verzekerde", q.String(), fmt.Sprint(1.25 + float64(i%2)/100), "CZ", src},
			[]string{"landelijk", "", "consulten per verzekerde", q.String(), "1.2", "Vektis landelijk", src})
	}
	rows = append(rows, []string{"praktijk", f.p2.AGB, "consulten per verzekerde", "2025-K4", "1.47", "Vektis", "2025-12-31"})
	imp := func(reg mtvp.Region, rows [][]string) {
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		cw.Comma = ';'
		_ = cw.WriteAll(rows)
		p, err := importer.ImportHistory(ctx, f.db, reg.ID, buf.Bytes(), importer.HistoryOptions{Kind: importer.HistoryIndicators, FileName: "indicatoren.csv", Actor: mtvp.SystemActor})
		if err != nil {
			f.t.Fatalf("import: %v %+v", err, p.Errors())
		}
	}
	imp(f.regionA, rows)
	imp(f.regionB, [][]string{rows[0], {"regio", "", "consulten per verzekerde", "2025-K4", "9.99", "VGZ", "2025-12-31"}})
}

// rawIndKey finds an untranslated outcome message key.
var rawIndKey = regexp.MustCompile(`\bind\.(?:name|unit|sum|funnel|col|chart|level|err)\.[a-z0-9_.]*`)

func init() {
	const base = "/regio/{region}"
	// The region's outcomes: admins, consultants and funders; the
	// practice and facilitator logins of the region 403, outsiders 404.
	regionOutcomes := expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 200, consultantA2: 200, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 200}
	addRouteRows(
		routeRow{pattern: "GET " + base + "/uitkomsten", path: base + "/uitkomsten", want: regionOutcomes, setup: indicatorWorld},
		routeRow{pattern: "GET " + base + "/uitkomsten.pdf", path: base + "/uitkomsten.pdf", want: regionOutcomes, setup: indicatorWorld},
		routeRow{pattern: "GET " + base + "/praktijken/{practice}/uitkomsten", path: base + "/praktijken/{practice}/uitkomsten", want: practiceP1Page, setup: indicatorWorld},
	)
}

// TestOutcomePagesWhoSeesWhat: the practice's page shows its run chart
// with the signal and its start; the region's funnel names only the
// practices a login may see, funders see no practice at all, and region
// B's figures never show in region A (issue 15 §5).
func TestOutcomePagesWhoSeesWhat(t *testing.T) {
	f := newFixture(t)
	indicatorWorld(f)
	get := func(w who, path string) string {
		t.Helper()
		rec := f.do(w, "GET", path, nil)
		if rec.Code != 200 {
			t.Fatalf("%s %s: %d", w, path, rec.Code)
		}
		return rec.Body.String()
	}
	practice := get(practiceP1, "/regio/regio-a/praktijken/"+fmt.Sprint(f.p1.ID)+"/uitkomsten")
	for _, want := range []string{"<svg", "Consulten per verzekerde", "start MTVP", "mediaan 1,30", "Signaal: 8 kwartalen op rij",
		"De mediaan (1,30) is die van de 9 kwartalen vóór de start van MTVP.", "2025-Q4", "1,04", "Vektis, 31-12-2025", "<caption>"} {
		if !strings.Contains(practice, want) {
			t.Errorf("practice page lacks %q", want)
		}
	}
	if strings.Contains(practice, "Praktijk Twee") || strings.Contains(practice, "1,47") {
		t.Error("P1's page shows P2's figure")
	}
	cases := []struct {
		who         who
		see, notSee []string
	}{
		{adminA, []string{"Praktijk Een", "Praktijk Twee", "Praktijken vergeleken", "onder de 99,8%-grens", "boven de 99,8%-grens"}, []string{"9,99"}},
		{consultantA, []string{"Praktijk Een", "Praktijken vergeleken"}, []string{"Praktijk Twee", "9,99"}},
		{consultantA2, []string{"Getoond: 0 praktijken"}, []string{"Praktijk Een", "Praktijk Twee", "9,99"}},
		{funderA, []string{"outcomes-region-only", "Consulten per verzekerde", "1,26"}, []string{"Praktijk Een", "Praktijk Twee", "Praktijken vergeleken", "9,99", "1,04"}},
	}
	for _, c := range cases {
		body := get(c.who, "/regio/regio-a/uitkomsten")
		for _, s := range c.see {
			if !strings.Contains(body, s) {
				t.Errorf("%s: region page lacks %q", c.who, s)
			}
		}
		for _, s := range c.notSee {
			if strings.Contains(body, s) {
				t.Errorf("%s: region page shows %q", c.who, s)
			}
		}
	}
	// In English: translated, no raw message keys.
	for _, path := range []string{"/regio/regio-a/uitkomsten", "/regio/regio-a/praktijken/" + fmt.Sprint(f.p1.ID) + "/uitkomsten"} {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(englishCookie(t, f, adminA))
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, "Consults per insured person") || !strings.Contains(body, "The median (") {
			t.Errorf("English %s: %d", path, rec.Code)
		}
		if m := rawIndKey.FindString(body); m != "" {
			t.Errorf("English %s: raw message key %q", path, m)
		}
	}
	// The PDF: the same charts and tables; the funder's edition names no
	// practice.
	for _, w := range []who{adminA, funderA} {
		rec := f.do(w, "GET", "/regio/regio-a/uitkomsten.pdf", nil)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/pdf" {
			t.Fatalf("%s pdf: %d %s", w, rec.Code, rec.Header().Get("Content-Type"))
		}
		txt := pdftext.Extract(t, rec.Body.Bytes())
		if !strings.Contains(txt, "Consulten per verzekerde") || !strings.Contains(txt, "2025-Q4") {
			t.Errorf("%s pdf lacks the indicator table: %.300s", w, txt)
		}
		if names := strings.Contains(txt, "Praktijk Een"); names != (w == adminA) {
			t.Errorf("%s pdf names a practice: %v", w, names)
		}
	}
	// The annual report for the insurers has the region's indicators
	// beside the country's, and no practice figure.
	rec := f.do(funderA, "GET", "/regio/regio-a/verantwoording/jaarverslag.pdf?jaar=2025", nil)
	if rec.Code != 200 {
		t.Fatalf("annual report: %d", rec.Code)
	}
	txt := pdftext.Extract(t, rec.Body.Bytes())
	for _, want := range []string{"6. Uitkomsten: indicatoren van de regio", "Consulten per verzekerde", "Vektis landelijk"} {
		if !strings.Contains(txt, want) {
			t.Errorf("annual report lacks %q", want)
		}
	}
	if strings.Contains(txt, "Praktijk Een") || strings.Contains(txt, "1,04") {
		t.Error("annual report shows a practice's figure")
	}
}
