package importer

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func existingSet(agbs ...string) func(string) bool {
	m := map[string]bool{}
	for _, a := range agbs {
		m[a] = true
	}
	return func(s string) bool { return m[s] }
}

// wantError asserts an error with key at row and column (row 0: a file
// error) and that its Dutch message is a real text, not a raw key.
func wantError(t *testing.T, p *Preview, row int, column, key string) {
	t.Helper()
	for _, e := range p.Errors() {
		if e.Row == row && e.Column == column && e.Key == key {
			if msg := e.Message("nl"); msg == key || strings.Contains(msg, "%!") {
				t.Errorf("row %d %s: message %q is not a Dutch text", row, column, msg)
			}
			return
		}
	}
	var got []string
	for _, e := range p.Errors() {
		got = append(got, e.Column+"@"+strconv.Itoa(e.Row)+"="+e.Key)
	}
	t.Errorf("want error %s at row %d column %q; got %v", key, row, column, got)
}

func wantRefused(t *testing.T, p *Preview) {
	t.Helper()
	if p.OK() || p.Batch != nil {
		t.Fatalf("file accepted, want refused")
	}
}

func TestCombinedSemicolonCSV(t *testing.T) {
	p := Parse(readTestdata(t, "combined_semicolon.csv"), existingSet("01012346"))
	if !p.OK() {
		t.Fatalf("errors: %+v", p.Errors())
	}
	if p.Format != FormatCSV || p.Kind != KindCombined {
		t.Errorf("format %s kind %s", p.Format, p.Kind)
	}
	if p.Practices != 3 || p.PracticesNew != 2 || p.PracticesExisting != 1 || p.Staff != 6 || p.People != 5 {
		t.Errorf("counts: %+v", p)
	}
	b := p.Batch
	if len(b.Practices) != 3 || len(b.Staff) != 6 {
		t.Fatalf("batch: %d practices, %d staff", len(b.Practices), len(b.Staff))
	}
	linde := b.Practices[0]
	if linde.AGB != "01012345" || linde.Name != "Huisartsenpraktijk De Linde" || linde.Postcode != "6211 AB" ||
		linde.RegisteredPatients != 2450 || linde.JoinedOn != mtvp.MustDate("2024-01-01") || linde.InflowWave != "2024-Q1" || linde.Status != mtvp.PracticeActive {
		t.Errorf("practice: %+v", linde)
	}
	if b.Practices[2].Status != mtvp.PracticeInterested {
		t.Errorf("gulpen status %q", b.Practices[2].Status)
	}
	// The locum works at two practices: two staff rows, one person.
	var locum []mtvp.ImportStaff
	for _, s := range b.Staff {
		if s.Person.BIG == "98765432109" {
			locum = append(locum, s)
		}
	}
	if len(locum) != 2 || locum[0].PracticeAGB != "01012345" || locum[1].PracticeAGB != "01012346" {
		t.Fatalf("locum rows: %+v", locum)
	}
	if locum[1].Row != 5 || locum[1].Membership.Role != mtvp.RoleVasteWaarnemer || locum[1].Membership.FTE != 0.3 ||
		locum[1].Membership.From != mtvp.MustDate("2023-09-01") || locum[1].Membership.To != mtvp.MustDate("2026-12-31") {
		t.Errorf("locum second row: %+v", locum[1])
	}
	carla := b.Staff[2]
	if carla.Person.Name != "Carla Smeets" || carla.Person.KABIZ != "K123456" || carla.Membership.Role != mtvp.RoleDoktersassistent {
		t.Errorf("assistant: %+v", carla)
	}
	if got := p.Tables[0].Rows[0].Values["Naam"]; got != "Anna de Vries" {
		t.Errorf("row values: %q", got)
	}
}

func TestPracticesCommaCSV(t *testing.T) {
	p := Parse(readTestdata(t, "practices_comma.csv"), existingSet("01020001"))
	if !p.OK() {
		t.Fatalf("errors: %+v", p.Errors())
	}
	if p.Kind != KindPractices || p.Practices != 2 || p.PracticesExisting != 1 || p.Staff != 0 {
		t.Errorf("preview: %+v", p)
	}
	if got := p.Batch.Practices[1].Name; got != "Huisartsen Meerssen, De Bunde" {
		t.Errorf("quoted name with comma: %q", got)
	}
	// An empty status cell keeps an existing practice's status.
	if got := p.Batch.Practices[0].Status; got != mtvp.PracticeActive {
		t.Errorf("status %q", got)
	}
}

func TestStaffOnlyNeedsKnownPractice(t *testing.T) {
	p := Parse(readTestdata(t, "staff_only.csv"), existingSet("01020001"))
	if !p.OK() || p.Kind != KindStaff || p.Staff != 2 || p.Practices != 0 {
		t.Fatalf("preview: %+v errors %+v", p, p.Errors())
	}
	if p.Batch.Staff[1].Membership.Role != mtvp.RolePOHSomatiek {
		t.Errorf("role %q", p.Batch.Staff[1].Membership.Role)
	}
	p = Parse(readTestdata(t, "staff_only.csv"), existingSet())
	wantRefused(t, p)
	wantError(t, p, 2, "praktijk AGB", "import.err.practice_unknown")
	wantError(t, p, 3, "praktijk AGB", "import.err.practice_unknown")

	p = Parse(readTestdata(t, "staff_unknown_practice.csv"), existingSet("01020001"))
	wantRefused(t, p)
	wantError(t, p, 2, "AGB", "import.err.practice_unknown")
}

func TestBadRows(t *testing.T) {
	p := Parse(readTestdata(t, "bad_rows.csv"), nil)
	wantRefused(t, p)
	wantError(t, p, 3, "AGB", "err.agb_format")
	wantError(t, p, 4, "Functie", "import.err.role_unknown")
	wantError(t, p, 5, "E-mail", "err.email_format")
	wantError(t, p, 5, "FTE", "err.fte_range")
	wantError(t, p, 6, "BIG", "err.big_format")
	wantError(t, p, 6, "Tot", "err.to_before_from")
	wantError(t, p, 7, "Naam", "import.err.duplicate_staff")
	wantError(t, p, 8, "Praktijknaam", "import.err.practice_differs")
	if len(p.Tables[0].Rows[0].Errors) != 0 {
		t.Errorf("row 2 is fine, got %+v", p.Tables[0].Rows[0].Errors)
	}
	if p.ErrorRows != 6 || p.ErrorCount != 8 {
		t.Errorf("error rows %d count %d", p.ErrorRows, p.ErrorCount)
	}
	var report bytes.Buffer
	WriteReport(&report, p, "nl")
	for _, want := range []string{
		`rij 3, kolom "AGB": Een AGB-code bestaat uit precies 8 cijfers. (waarde: "0103002")`,
		`rij 4, kolom "Functie": Onbekende functie.`,
		`rij 5, kolom "FTE": Vul een FTE in tussen 0 en 1,5.`,
		`rij 6, kolom "Tot": De einddatum ligt vóór de begindatum.`,
		`rij 7, kolom "Naam": Deze medewerker staat met dezelfde functie en begindatum bij deze praktijk al in rij 2.`,
		`rij 8, kolom "Praktijknaam": Praktijk 01030001 staat ook in rij 2`,
		"Import geweigerd: 8 fouten in 6 rijen.",
	} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, report.String())
		}
	}
}

func TestOneBadCellRefusesFile(t *testing.T) {
	cases := []struct {
		name, cell, column, key string
	}{
		{"bad AGB", "AGB=1234567a", "AGB", "err.agb_format"},
		{"unknown role", "Functie=chirurg", "Functie", "import.err.role_unknown"},
		{"bad FTE", "FTE=1,6", "FTE", "err.fte_range"},
		{"FTE not a number", "FTE=veel", "FTE", "err.number_format"},
		{"bad BIG", "BIG=123", "BIG", "err.big_format"},
		{"bad e-mail", "E-mail=anna.nl", "E-mail", "err.email_format"},
		{"bad date", "Vanaf=31-02-2024", "Vanaf", "err.date_format"},
		{"to before from", "Tot=31-12-2019", "Tot", "err.to_before_from"},
		{"no start", "Vanaf=", "Vanaf", "err.required"},
		{"bad postcode", "Postcode=123", "Postcode", "err.postcode_format"},
		{"bad patients", "ION=veel", "ION", "err.number_format"},
		{"bad status", "Status=misschien", "Status", "import.err.status_unknown"},
		{"active without start", "Startdatum=", "Startdatum", "err.joined_required"},
		// A staff row without the practice's details refers to a practice
		// elsewhere in the file or in the region.
		{"no practice name", "Praktijknaam=", "AGB", "import.err.practice_unknown"},
	}
	headers := []string{"AGB", "Praktijknaam", "Postcode", "ION", "Status", "Startdatum", "Naam", "E-mail", "BIG", "Functie", "FTE", "Vanaf", "Tot"}
	first := []string{"01040001", "Praktijk Oost", "6211 AB", "2.100", "actief", "01-01-2024", "Anna Bos", "anna@oost.nl", "12345678901", "praktijkhouder", "0,8", "01-01-2020", ""}
	second := []string{"01040002", "Praktijk West", "6212 AB", "1.900", "actief", "01-01-2024", "Bea Bos", "bea@west.nl", "12345678902", "praktijkhouder", "1,0", "01-01-2020", ""}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			row := append([]string(nil), second...)
			k, v, _ := strings.Cut(tc.cell, "=")
			for i, h := range headers {
				if h == k {
					row[i] = v
				}
			}
			lines := []string{strings.Join(headers, ";"), strings.Join(first, ";"), strings.Join(row, ";")}
			p := Parse([]byte(strings.Join(lines, "\n")), nil)
			wantRefused(t, p)
			wantError(t, p, 3, tc.column, tc.key)
			if len(p.Tables[0].Rows[0].Errors) != 0 {
				t.Errorf("good row has errors: %+v", p.Tables[0].Rows[0].Errors)
			}
		})
	}
}

func TestFileRefused(t *testing.T) {
	zipNotXLSX := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/document.xml")
		w.Write([]byte("<w:document/>"))
		zw.Close()
		return buf.Bytes()
	}
	cases := []struct {
		name string
		data []byte
		key  string
		col  string
	}{
		{"pdf", readTestdata(t, "not_a_list.pdf"), "import.err.type", ""},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "import.err.type", ""},
		{"old xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...), "import.err.type_xls", ""},
		{"zip but not xlsx", zipNotXLSX(), "import.err.type", ""},
		{"html as xls", []byte("<html><body><table><tr><td>AGB</td></tr></table></body></html>"), "import.err.type", ""},
		{"binary", []byte("AGB;naam\x00\x01\x02\x03"), "import.err.type", ""},
		{"empty", []byte(" \n"), "import.err.empty", ""},
		{"header only", []byte("AGB;praktijknaam\n"), "import.err.empty", ""},
		{"too large", append([]byte("AGB;praktijknaam\n"), bytes.Repeat([]byte("x"), MaxSize)...), "import.err.too_large", ""},
		{"no AGB column", []byte("naam;functie\nAnna;praktijkhouder\n"), "import.err.missing_column", "AGB"},
		{"no content columns", []byte("AGB;plaats\n01000001;Maastricht\n"), "import.err.missing_content", "praktijknaam"},
		{"staff without role", readTestdata(t, "staff_missing_role.csv"), "import.err.missing_column", "functie"},
		{"two AGB columns", []byte("AGB;AGB-code;praktijknaam\n01000001;01000001;Een\n"), "import.err.duplicate_column", "AGB-code"},
		{"bad quotes", []byte("AGB;praktijknaam\n01000001;\"Een\n01000002;Twee\"x\"\n"), "import.err.csv_syntax", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := Parse(tc.data, nil)
			wantRefused(t, p)
			wantError(t, p, 0, tc.col, tc.key)
		})
	}
	p := Parse([]byte("AGB;praktijknaam\n01000001;Een\n01000002;\n"), nil)
	wantRefused(t, p)
	wantError(t, p, 3, "praktijknaam", "err.required")
	p = Parse(readTestdata(t, "staff_missing_role.csv"), nil)
	if msg := p.FileErrors[0].Message("nl"); msg != `De verplichte kolom "functie" ontbreekt.` {
		t.Errorf("message %q", msg)
	}
}

func TestEncodings(t *testing.T) {
	csv := "AGB;Praktijknaam;Plaats;Ingeschreven patiënten\n01050001;Praktijk Eijsden-Margraten;Eijsden;3100\n01050002;Huisartsen Cadier en Keer;Cadier en Keer;2000\n"
	win, err := charmap.Windows1252.NewEncoder().String(strings.Replace(csv, "Eijsden-Margraten", "Ëijsden – Margraten", 1))
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(csv, ";", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"utf16 tabs": []byte(utf16),
		"utf8":       []byte(csv),
		"utf8 bom":   append([]byte("\xEF\xBB\xBF"), csv...),
		"cp1252":     []byte(win),
		"crlf":       []byte(strings.ReplaceAll(csv, "\n", "\r\n")),
	} {
		p := Parse(data, nil)
		if !p.OK() || p.Practices != 2 || p.Batch.Practices[0].RegisteredPatients != 3100 {
			t.Errorf("%s: %+v %+v", name, p, p.Errors())
			continue
		}
		if name == "cp1252" && p.Batch.Practices[0].Name != "Praktijk Ëijsden – Margraten" {
			t.Errorf("cp1252 name %q", p.Batch.Practices[0].Name)
		}
		if p.Tables[0].Headers[0] != "AGB" {
			t.Errorf("%s: BOM kept in header %q", name, p.Tables[0].Headers[0])
		}
	}
}

func TestRowNumbersAreSpreadsheetRows(t *testing.T) {
	// A title above the header, a blank line and a cell with a line break:
	// rows are numbered as the spreadsheet shows them.
	csv := "Praktijkenlijst regio;;\nAGB;praktijknaam;adres;;\n01060001;Een;\"Markt 1\nMaastricht\"\n\n01060002;Twee;Markt 2\n0106003;Drie;Markt 3\n"
	p := Parse([]byte(csv), nil)
	wantRefused(t, p)
	wantError(t, p, 6, "AGB", "err.agb_format")
	if got := p.Tables[0].Headers; len(got) != 3 {
		t.Errorf("headers %q", got)
	}
	if got := p.Tables[0].HeaderRow; got != 2 {
		t.Errorf("header row %d", got)
	}
}

func TestHeaderAliases(t *testing.T) {
	for _, c := range Columns {
		for _, a := range c.Aliases {
			if fieldOf(a) != c.Field || fieldOf(" "+strings.ToUpper(a)+" ") != c.Field {
				t.Errorf("alias %q not recognised as %s", a, c.Field)
			}
		}
	}
	for h, want := range map[string]Field{"AGB-code praktijk": FieldAGB, "Ingeschreven Patienten": FieldPatients, "FTE (0-1,5)": FieldFTE, "E-mailadres": FieldEmail, "BIG-nummer": FieldBIG, "In dienst vanaf": FieldFrom, "Einddatum": FieldTo, "Naam medewerker": FieldName} {
		if got := fieldOf(h); got != want {
			t.Errorf("fieldOf(%q) = %q, want %q", h, got, want)
		}
	}
	// English headers.
	csv := "Practice AGB,Practice name,Name,Email,BIG number,Role,FTE,From,Until\n01070001,Practice One,Ann Smith,ann@one.nl,,practice nurse,0.5,2024-01-01,\n"
	p := Parse([]byte(csv), nil)
	if !p.OK() || p.Batch.Staff[0].Membership.Role != mtvp.RolePOHSomatiek || p.Batch.Staff[0].Membership.FTE != 0.5 {
		t.Fatalf("english: %+v", p.Errors())
	}
}

func TestExampleIsValid(t *testing.T) {
	p := Parse(ExampleCSV(), nil)
	if !p.OK() {
		t.Fatalf("example file has errors: %+v", p.Errors())
	}
	if p.Kind != KindCombined || p.Practices != 3 || p.Staff != 6 || p.People != 5 {
		t.Errorf("example: %+v", p)
	}
	if len(p.Tables[0].Ignored) != 0 {
		t.Errorf("example has unknown columns %v", p.Tables[0].Ignored)
	}
}

func TestCatalogHasImportKeys(t *testing.T) {
	keys := []string{"import.err.type", "import.err.type_xls", "import.err.encoding", "import.err.csv_syntax", "import.err.too_large",
		"import.err.empty", "import.err.missing_column", "import.err.missing_content", "import.err.duplicate_column",
		"import.err.status_unknown", "import.err.role_unknown", "import.err.practice_differs", "import.err.practice_unknown",
		"import.err.person_differs", "import.err.duplicate_staff", "import.err.refused_count", "import.err.refused_file", "import.n_practices", "import.n_staff", "import.n_errors", "import.n_rows", "import.summary_existing", "import.done"}
	for _, c := range Columns {
		keys = append(keys, c.DescKey())
	}
	for _, k := range keys {
		for _, l := range i18n.Languages {
			if !i18n.Has(l, k) {
				t.Errorf("%s: no %s text", k, l)
			}
		}
	}
}

// ---- XLSX ----

func newWorkbook(t *testing.T, sheets map[string][][]any, order ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sheets[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSXCombined(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const s = "Sheet1"
	rows := [][]any{
		{"AGB-code", "Praktijknaam", "Plaats", "ION", "Startdatum", "Status", "Medewerker", "BIG-nummer", "Functie", "FTE", "In dienst vanaf", "Tot"},
		// AGB typed as a number: Excel dropped the leading zero.
		{1080001, "Praktijk Amby", "Maastricht", 2450, nil, "actief", "Anna de Vries", 12345678901, "Praktijkhouder", 0.8, nil, nil},
		{nil, nil, nil, nil, nil, nil, "Bram Jansen", 98765432109, "vaste waarnemer", 0.4, "01-03-2022", nil},
		{"01080002", "Praktijk Itteren", "Maastricht", 1800, "2024-04-01", "actief", "Bram Jansen", 98765432109, "Vaste waarnemer", 0.2, "01-09-2023", nil},
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow(s, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	// Real date cells with a date format.
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	for _, c := range []string{"E2", "K2"} {
		f.SetCellValue(s, c, mtvp.MustDate("2024-01-01").Time())
		f.SetCellStyle(s, c, c, dateStyle)
	}
	f.SetCellValue(s, "K2", mtvp.MustDate("2015-01-01").Time())
	// The practice's cells merged over its two staff rows.
	for _, col := range []string{"A", "B", "C", "D", "E", "F"} {
		if err := f.MergeCell(s, col+"2", col+"3"); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	p := Parse(buf.Bytes(), nil)
	if !p.OK() {
		t.Fatalf("errors: %+v", p.Errors())
	}
	if p.Format != FormatXLSX || p.Kind != KindCombined || p.Practices != 2 || p.Staff != 3 || p.People != 2 {
		t.Errorf("preview: %+v", p)
	}
	amby := p.Batch.Practices[0]
	if amby.AGB != "01080001" || amby.JoinedOn != mtvp.MustDate("2024-01-01") || amby.RegisteredPatients != 2450 {
		t.Errorf("practice: %+v", amby)
	}
	anna := p.Batch.Staff[0]
	if anna.Person.BIG != "12345678901" || anna.Membership.FTE != 0.8 || anna.Membership.From != mtvp.MustDate("2015-01-01") {
		t.Errorf("anna: %+v", anna)
	}
	if got := p.Tables[0].Rows[0].Values["Startdatum"]; got != "01-01-2024" {
		t.Errorf("date cell shown as %q", got)
	}
	if bram := p.Batch.Staff[1]; bram.PracticeAGB != "01080001" || bram.Row != 3 {
		t.Errorf("merged AGB not applied to row 3: %+v", bram)
	}
}

func TestXLSXNamedSheets(t *testing.T) {
	data := newWorkbook(t, map[string][][]any{
		"Toelichting": {{"Dit werkblad wordt niet gelezen"}},
		"Medewerkers": {
			{"AGB", "Naam", "Functie", "Vanaf"},
			{"01090001", "Chris Maas", "doktersassistente", "01-01-2023"},
			{"01090003", "Daan Maas", "POH-GGZ", "01-01-2023"},
		},
		"Praktijken": {
			{"AGB", "Praktijknaam"},
			{"01090001", "Praktijk Eén"},
			{"01090002", "Praktijk Twee"},
		},
	}, "Toelichting", "Medewerkers", "Praktijken")
	p := Parse(data, nil)
	wantRefused(t, p)
	wantError(t, p, 3, "AGB", "import.err.practice_unknown")
	if len(p.Tables) != 2 || p.Tables[0].Sheet != "Praktijken" || p.Tables[1].Sheet != "Medewerkers" {
		t.Fatalf("tables: %+v", p.Tables)
	}
	var report bytes.Buffer
	WriteReport(&report, p, "nl")
	if !strings.Contains(report.String(), `werkblad Medewerkers, rij 3, kolom "AGB": Er is geen praktijk met AGB-code 01090003`) {
		t.Errorf("report:\n%s", report.String())
	}
	p = Parse(data, existingSet("01090003"))
	if !p.OK() || p.Kind != KindCombined || p.Practices != 2 || p.Staff != 2 {
		t.Fatalf("with existing practice: %+v %+v", p, p.Errors())
	}
}

func TestXLSXBadCells(t *testing.T) {
	data := newWorkbook(t, map[string][][]any{"Lijst": {
		{"AGB", "Praktijknaam", "Naam", "Functie", "FTE", "Vanaf", "Tot"},
		{"01100001", "Praktijk A", "Eva", "praktijkhouder", 2, "01-01-2020", "01-01-2019"},
		{"1234", "Praktijk B", "Fred", "kapper", 0.5, "01-01-2020", nil},
	}}, "Lijst")
	p := Parse(data, nil)
	wantRefused(t, p)
	wantError(t, p, 2, "FTE", "err.fte_range")
	wantError(t, p, 2, "Tot", "err.to_before_from")
	wantError(t, p, 3, "AGB", "err.agb_format")
	wantError(t, p, 3, "Functie", "import.err.role_unknown")
	if p.Tables[0].Rows[0].Sheet != "Lijst" {
		t.Errorf("sheet %q", p.Tables[0].Rows[0].Sheet)
	}
}

// BenchmarkParseRegionList: a large region's combined list, 200 practices
// with 15 staff each (3,000 rows).
func BenchmarkParseRegionList(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("AGB;Praktijknaam;Plaats;ION;Status;Startdatum;Naam;E-mail;BIG;Functie;FTE;Vanaf\n")
	roles := []string{"praktijkhouder", "hidha", "doktersassistent", "POH-S", "POH-GGZ"}
	for p := 0; p < 200; p++ {
		for s := 0; s < 15; s++ {
			fmt.Fprintf(&sb, "0110%04d;Praktijk %d;Maastricht;2.400;actief;01-01-2024;Medewerker %d-%d;m%d.%d@praktijk.nl;%011d;%s;0,8;01-01-2020\n",
				p, p, p, s, p, s, p*100+s+1, roles[s%len(roles)])
		}
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if p := Parse(data, nil); !p.OK() {
			b.Fatal(p.Errors()[0])
		}
	}
}
