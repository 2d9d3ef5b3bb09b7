package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// indicatorRows is a clean quarterly file of the world's year: both
// practices, the region and the country.
func (w *histWorld) indicatorRows() [][]string {
	y := fmt.Sprint(w.year)
	return [][]string{
		{"niveau", "AGB-code praktijk", "indicator", "jaar", "kwartaal", "waarde", "bron", "datum bron"},
		{"praktijk", "01000011", "consulten per verzekerde", y, "K1", "1,21", "Vektis", w.d(5, 15)},
		{"praktijk", "01000011", "consulten per verzekerde", y, "K2", "1,18", "Vektis", w.d(8, 15)},
		{"praktijk", "01000012", "Verwijzingen per 1000", y, "1", "61,5", "Vektis", w.d(5, 15)},
		{"Praktijk", "01000012", "patiënten per fte", "", y + "-K1", "2095", "praktijkopgave", w.d(4, 2)},
		{"regio", "", "consulten per verzekerde", y, "1", "1,30", "CZ kwartaalrapport", w.d(5, 20)},
		{"landelijk", "", "wachttijd", "", y + "-K1", "3,5", "Nivel", w.d(6, 1)},
		{"landelijk", "", "kosten per verzekerde", "", y + "-K1", "€ 1.234,50", "Vektis", w.d(6, 1)},
	}
}

func (w *histWorld) indicators(t *testing.T) map[mtvp.IndicatorKey]mtvp.IndicatorValue {
	t.Helper()
	vs, err := w.db.IndicatorValues(context.Background(), store.IndicatorFilter{RegionID: w.reg.ID})
	if err != nil {
		t.Fatal(err)
	}
	out := map[mtvp.IndicatorKey]mtvp.IndicatorValue{}
	for _, v := range vs {
		out[v.Key()] = v
	}
	return out
}

// TestIndicatorImport: a CSV and an XLSX file are previewed (nothing
// written), imported with their values, sources and dates, imported again
// without any change, and changed by a corrected file; every run is one
// history entry with the file's name.
func TestIndicatorImport(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			w := newHistWorld(t)
			encode := func(rows [][]string) []byte {
				if format == "xlsx" {
					return xlsxFile(t, rows)
				}
				return csvFile(rows)
			}
			rows := w.indicatorRows()
			data := encode(rows)
			audit := w.audit(t)
			p, err := w.run(t, HistoryIndicators, data, true)
			if err != nil {
				t.Fatalf("dry run: %v %+v", err, p.Errors())
			}
			if len(w.indicators(t)) != 0 || w.audit(t) != audit {
				t.Fatal("the preview wrote something")
			}
			if got := HistorySummary(p, "nl"); got != "7 rijen; 4 nieuwe praktijkcijfers; 1 nieuw regiocijfer; 2 nieuwe landelijke cijfers" {
				t.Errorf("summary %q", got)
			}
			eff := p.Tables[0].Rows[0].Effects[0].Message("nl")
			if want := fmt.Sprintf("nieuw: Praktijk De Linde, consulten per verzekerde %d-Q1 = 1,21", w.year); eff != want {
				t.Errorf("effect %q, want %q", eff, want)
			}
			if _, err := w.run(t, HistoryIndicators, data, false); err != nil {
				t.Fatal(err)
			}
			got := w.indicators(t)
			if len(got) != 7 {
				t.Fatalf("%d figures stored, want 7", len(got))
			}
			q1 := mtvp.Quarter{Year: w.year, Q: 1}
			check := func(k mtvp.IndicatorKey, value float64, source string, date string) {
				t.Helper()
				v, ok := got[k]
				if !ok {
					t.Fatalf("no figure %+v", k)
				}
				if v.Value != value || v.Source != source || v.SourceDate.Short() != mtvp.MustDate(date).Short() {
					t.Errorf("%+v: %v %q %v; want %v %q %s", k, v.Value, v.Source, v.SourceDate, value, source, date)
				}
			}
			check(mtvp.IndicatorKey{Level: mtvp.LevelPractice, PracticeID: w.p1.ID, Indicator: mtvp.IndConsultsPerInsured, Quarter: q1}, 1.21, "Vektis", fmt.Sprintf("%d-05-15", w.year))
			check(mtvp.IndicatorKey{Level: mtvp.LevelPractice, PracticeID: w.p2.ID, Indicator: mtvp.IndPatientsPerGPFTE, Quarter: q1}, 2095, "praktijkopgave", fmt.Sprintf("%d-04-02", w.year))
			check(mtvp.IndicatorKey{Level: mtvp.LevelRegion, Indicator: mtvp.IndConsultsPerInsured, Quarter: q1}, 1.30, "CZ kwartaalrapport", fmt.Sprintf("%d-05-20", w.year))
			check(mtvp.IndicatorKey{Level: mtvp.LevelCountry, Indicator: mtvp.IndCostsPerInsured, Quarter: q1}, 1234.5, "Vektis", fmt.Sprintf("%d-06-01", w.year))
			hist, err := w.db.RegionHistory(context.Background(), w.reg.ID, 10)
			if err != nil {
				t.Fatal(err)
			}
			if e := hist[0]; e.Entity != store.EntityImport || !strings.Contains(fmt.Sprint(e.Changes), "indicatoren.xlsx") || !strings.Contains(fmt.Sprint(e.Changes), "indicatoren") {
				t.Errorf("last history entry %+v, want the import run with its file", e)
			}

			// Again: nothing changes, not even the history.
			audit = w.audit(t)
			p, err = w.run(t, HistoryIndicators, data, false)
			if err != nil {
				t.Fatal(err)
			}
			if s := HistorySummary(p, "nl"); s != "7 rijen; 7 rijen staan er al" {
				t.Errorf("second import: %q", s)
			}
			if w.audit(t) != audit {
				t.Error("importing the same file again wrote to the history")
			}

			// A corrected figure changes the stored one.
			rows[1][5], rows[1][6] = "1,19", "Vektis (herzien)"
			if _, err := w.run(t, HistoryIndicators, encode(rows), false); err != nil {
				t.Fatal(err)
			}
			v := w.indicators(t)[mtvp.IndicatorKey{Level: mtvp.LevelPractice, PracticeID: w.p1.ID, Indicator: mtvp.IndConsultsPerInsured, Quarter: q1}]
			if v.Value != 1.19 || v.Source != "Vektis (herzien)" || v.Version != 2 {
				t.Errorf("changed figure %+v", v)
			}
			if w.audit(t) != audit+1 {
				t.Errorf("the change wrote %d history entries, want the run's one", w.audit(t)-audit)
			}
		})
	}
}

// TestIndicatorImportRefusedWhole: a file with errors in some rows is
// refused whole, every error named by row and column in Dutch, and
// nothing is saved, not even its clean rows.
func TestIndicatorImportRefusedWhole(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			w := newHistWorld(t)
			y := fmt.Sprint(w.year)
			next := fmt.Sprint(w.year + 2)
			rows := [][]string{
				{"niveau", "AGB-code praktijk", "indicator", "kwartaal", "waarde", "bron", "datum bron"},
				{"praktijk", "01000011", "consulten per verzekerde", y + "-K1", "1,21", "Vektis", w.d(5, 15)}, // 2: clean
				{"wijk", "", "consulten per verzekerde", y + "-K1", "1,21", "Vektis", w.d(5, 15)},             // 3: level
				{"praktijk", "09999999", "consulten per verzekerde", y + "-K1", "1,21", "Vektis", w.d(5, 15)}, // 4: practice
				{"regio", "01000011", "tevredenheid", y + "-K5", "veel", "", "31-02-" + y},                    // 5: five errors
				{"praktijk", "01000011", "consulten per verzekerde", y + "-K1", "1,25", "Vektis", w.d(5, 15)}, // 6: same as row 2
				{"landelijk", "", "wachttijd", next + "-K1", "3", "Nivel", w.d(5, 15)},                        // 7: future quarter
				{"praktijk", "01000012", "consulten per verzekerde", y + "-K2", "121", "Vektis", w.d(5, 15)},  // 8: implausible
			}
			var data []byte
			if format == "xlsx" {
				data = xlsxFile(t, rows)
			} else {
				data = csvFile(rows)
			}
			audit := w.audit(t)
			p, err := w.run(t, HistoryIndicators, data, false)
			if !errors.Is(err, ErrRefused) {
				t.Fatalf("err %v, want ErrRefused", err)
			}
			got := map[string]string{}
			for _, e := range p.Errors() {
				got[fmt.Sprintf("%d/%s", e.Row, e.Column)] = e.Message("nl")
			}
			want := map[string]string{
				"3/niveau":            i18n.T("nl", "import.ind.err.level"),
				"4/AGB-code praktijk": "Er is geen praktijk met AGB-code 09999999 in de regio.",
				"5/AGB-code praktijk": i18n.T("nl", "import.ind.err.practice_not_allowed"),
				"5/indicator":         i18n.T("nl", "import.ind.err.indicator", indicatorNames()),
				"5/kwartaal":          i18n.T("nl", "import.ind.err.quarter"),
				"5/waarde":            i18n.T("nl", "import.ind.err.value"),
				"5/bron":              "Dit veld is verplicht.",
				"5/datum bron":        i18n.T("nl", "err.date_format"),
				"6/kwartaal":          "Dit cijfer (niveau, praktijk, indicator en kwartaal) staat al in rij 2.",
				"7/kwartaal":          "Dit kwartaal is nog niet begonnen.",
				"8/waarde":            i18n.T("nl", "ind.err.value_max"),
			}
			for k, msg := range want {
				if got[k] != msg {
					t.Errorf("error at %s: %q, want %q", k, got[k], msg)
				}
			}
			if len(got) != len(want) {
				t.Errorf("errors %v, want exactly %d", got, len(want))
			}
			if p.ErrorRows != 6 {
				t.Errorf("%d rows with errors, want 6", p.ErrorRows)
			}
			if len(w.indicators(t)) != 0 || w.audit(t) != audit {
				t.Error("a refused file saved something")
			}
		})
	}
	// A file without the required columns is refused before any row.
	w := newHistWorld(t)
	p, err := w.run(t, HistoryIndicators, csvFile([][]string{{"niveau", "indicator", "waarde"}, {"regio", "wachttijd", "3"}}), false)
	if !errors.Is(err, ErrRefused) || len(p.FileErrors) != 3 {
		t.Fatalf("missing columns: %v %+v", err, p.FileErrors)
	}
	if msg := p.FileErrors[0].Message("nl"); !strings.Contains(msg, "kwartaal") {
		t.Errorf("missing column message %q", msg)
	}
}

// TestIndicatorTemplate: the template has the Dutch headers, and filled
// in it imports.
func TestIndicatorTemplate(t *testing.T) {
	w := newHistWorld(t)
	b, err := HistoryTemplate(HistoryIndicators, "nl")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	head, err := f.GetRows("Gegevens")
	if err != nil || len(head) != 1 {
		t.Fatalf("template rows %v %v", head, err)
	}
	if got := strings.Join(head[0], "|"); got != "niveau|AGB-code praktijk|indicator|jaar|kwartaal|waarde|bron|datum bron" {
		t.Errorf("headers %q", got)
	}
	vals := []any{"regio", "", "wachttijd", w.year, "2", 4.5, "Nivel", mtvp.NewDate(w.year, 6, 30).Time()}
	if err := f.SetSheetRow("Gegevens", "A2", &vals); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if p, err := w.run(t, HistoryIndicators, buf.Bytes(), false); err != nil {
		t.Fatalf("filled template: %v %+v", err, p.Errors())
	}
	v := w.indicators(t)[mtvp.IndicatorKey{Level: mtvp.LevelRegion, Indicator: mtvp.IndWaitingDays, Quarter: mtvp.Quarter{Year: w.year, Q: 2}}]
	if v.Value != 4.5 || !v.SourceDate.Equal(mtvp.NewDate(w.year, 6, 30)) {
		t.Errorf("figure from the template %+v", v)
	}
}

// TestParseDecimal: numbers as Dutch and English sheets write them.
func TestParseDecimal(t *testing.T) {
	for in, want := range map[string]float64{"1,21": 1.21, "1.21": 1.21, "2.095": 2095, "2.095,5": 2095.5, "€ 1.234,50": 1234.5,
		"0.125": 0.125, "1.234.567": 1234567, "3": 3} {
		if got, ok := parseDecimal(cell{text: in, raw: in}); !ok || got != want {
			t.Errorf("parseDecimal(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"veel", "1,2,3", "", "NaN"} {
		if _, ok := parseDecimal(cell{text: in, raw: in}); ok {
			t.Errorf("parseDecimal(%q) accepted", in)
		}
	}
}
