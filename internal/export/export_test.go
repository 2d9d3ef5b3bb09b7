package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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
