package web

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/export/xlsxtest"
	"meertijd/internal/mtvp"
)

// Every list page downloads as XLSX and CSV with the page's filters and
// authorisation: the files are opened and their rows, columns, dates and
// autofilter checked.
func TestListExports(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	visitWorld(f)
	year := clock.Now().Year()
	ensurePlan(f, year, mtvp.PlanConcept)
	open := func(w who, path string) (*xlsxtest.Book, string, [][]string) {
		t.Helper()
		rec := f.do(w, "GET", path, nil)
		if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("%s: %d %v %.300s", path, rec.Code, rec.Header(), rec.Body.String())
		}
		b := xlsxtest.Open(t, rec.Body.Bytes())
		sheet := b.F.GetSheetList()[0]
		b.AutoFilter(sheet)
		return b, sheet, b.Rows(sheet)
	}
	// Practices: the search filter applies; the joining date is a date.
	page := f.do(adminA, "GET", "/regio/{region}/praktijken?q=een", nil).Body.String()
	if !strings.Contains(page, "/praktijken/lijst.xlsx?q=een") {
		t.Error("practice list: no download link with the filter")
	}
	b, sheet, rows := open(adminA, "/regio/{region}/praktijken/lijst.xlsx?q=een")
	if len(rows) != 2 || rows[1][0] != "Praktijk Een" {
		t.Errorf("practices: %q", rows)
	}
	b.Column(sheet, "AGB-code")
	if _, _, rows := open(adminA, "/regio/{region}/praktijken/lijst.xlsx"); len(rows) != 3 {
		t.Errorf("all practices: %q", rows)
	}
	if _, _, rows := open(consultantA, "/regio/{region}/praktijken/lijst.xlsx"); len(rows) != 2 {
		t.Errorf("a consultant downloads only their own practices: %q", rows)
	}
	if csv := f.do(adminA, "GET", "/regio/{region}/praktijken/lijst.csv?q=twee", nil).Body.String(); !strings.Contains(csv, "Praktijk Twee") || strings.Contains(csv, "Praktijk Een") {
		t.Errorf("practice csv: %q", csv)
	}
	// Plans of a year, status filter.
	_, _, rows = open(adminA, fmt.Sprintf("/regio/{region}/plannen/lijst.xlsx?jaar=%d&status=concept", year))
	if len(rows) != 2 || rows[1][0] != "Praktijk Een" {
		t.Errorf("plans: %q", rows)
	}
	// Visits: the planned date is a real date.
	b, sheet, rows = open(adminA, "/regio/{region}/bezoeken/lijst.xlsx?jaar="+strconv.Itoa(year))
	if len(rows) < 2 {
		t.Fatalf("visits: %q", rows)
	}
	for i, r := range rows[1:] {
		if r[0] == "Praktijk Een" {
			if d := b.Date(sheet, b.Column(sheet, "Geplande datum"), i+2); d.Year() != year {
				t.Errorf("planned on %v", d)
			}
		}
	}
	// Claims: all statuses; the completion date is a real date.
	b, sheet, rows = open(adminA, "/regio/{region}/scholing/aanvragen/lijst.xlsx?status=alle")
	if len(rows) != 2 || !strings.Contains(strings.Join(rows[1], "|"), "Positieve gezondheid") {
		t.Fatalf("claims: %q", rows)
	}
	if d := b.Date(sheet, b.Column(sheet, "Afgerond op"), 2); d.Format("2006-01-02") != "2023-05-01" {
		t.Errorf("completed on %v", d)
	}
	if _, _, rows := open(adminA, "/regio/{region}/scholing/aanvragen/lijst.xlsx?status=afgewezen"); len(rows) != 1 {
		t.Errorf("rejected claims: %q", rows)
	}
	// A funder downloads no list; another region's admin nothing of A.
	for _, w := range []who{funderA, adminB} {
		if rec := f.do(w, "GET", "/regio/{region}/praktijken/lijst.xlsx", nil); rec.Code != 403 && rec.Code != 404 {
			t.Errorf("%v: %d", w, rec.Code)
		}
	}
}
