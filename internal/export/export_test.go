package export

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"meertijd/internal/export/xlsxtest"
)

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+31": "'+31", "-5": "'-5", "@SUM(A1)": "'@SUM(A1)", "Anna": "Anna", "": ""} {
		if got := SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestXLSXAndCSV(t *testing.T) {
	tbl := Table{Name: "Deelnemers: 2026", Header: []string{"Naam", "AGB", "Patiënten"}, Rows: [][]any{
		{"=HYPERLINK(\"http://x\")", "01012345", 2400},
		{"José Émile", "01012346", 1800.5},
	}}
	b, err := XLSX(tbl)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	if sheet != "Deelnemers- 2026" {
		t.Errorf("sheet name %q", sheet)
	}
	rows, _ := f.GetRows(sheet)
	if len(rows) != 3 || rows[1][0] != `'=HYPERLINK("http://x")` || rows[2][0] != "José Émile" || rows[1][2] != "2400" {
		t.Fatalf("rows: %q", rows)
	}
	if formula, _ := f.GetCellFormula(sheet, "A2"); formula != "" {
		t.Fatalf("a formula got through: %q", formula)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tbl); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\xEF\xBB\xBFNaam;AGB;Patiënten\n") || !strings.Contains(out, `"'=HYPERLINK(""http://x"")";01012345;2400`) || !strings.Contains(out, "1800,50") {
		t.Fatalf("csv: %q", out)
	}
}

// Dates are real Excel dates (a number shown as dd-mm-jjjj) under an
// autofilter over all columns; in CSV they read 22-11-2026; a zero date
// is an empty cell.
func TestXLSXDatesAndAutoFilter(t *testing.T) {
	day := time.Date(2026, 11, 22, 15, 4, 0, 0, time.FixedZone("CET", 3600))
	tbl := Table{Name: "Bezoeken", Header: []string{"Praktijk", "Datum", "Gepland"}, Rows: [][]any{
		{"De Linde", day, time.Time{}},
		{"Brouwerij", day.AddDate(0, 1, 0), nil},
	}}
	b, err := XLSX(tbl)
	if err != nil {
		t.Fatal(err)
	}
	book := xlsxtest.Open(t, b)
	book.AutoFilter("Bezoeken")
	col := book.Column("Bezoeken", "Datum")
	if got := book.Date("Bezoeken", col, 2); !got.Equal(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date %v", got)
	}
	if got := book.Date("Bezoeken", col, 3); got.Month() != 12 {
		t.Errorf("date %v", got)
	}
	if rows := book.Rows("Bezoeken"); rows[1][1] != "22-11-2026" || len(rows[1]) > 2 && rows[1][2] != "" {
		t.Errorf("shown as %q", rows[1])
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tbl); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "De Linde;22-11-2026;\n") {
		t.Errorf("csv %q", buf.String())
	}
}
