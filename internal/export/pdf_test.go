package export_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"meertijd/internal/export"
	"meertijd/internal/export/pdftext"
)

func TestPDFHeaderFooterAndText(t *testing.T) {
	printed := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	p, err := export.NewPDF(export.PDFMeta{
		Title:    "Plan van aanpak 2026",
		Subtitle: "Huisartsenpraktijk Brouwerij · versie 2 · definitief",
		Author:   "ZIO",
		Printed:  printed,
	})
	if err != nil {
		t.Fatal(err)
	}
	p.Heading("Ambitie")
	p.Paragraph("Meer tijd voor het goede gesprek; €15 per cliënt, één idee.")
	p.Fields(export.Field{Label: "Status", Value: "definitief"}, export.Field{Label: "Leeg", Value: ""})
	var rows [][]string
	for i := range 120 { // force several pages
		rows = append(rows, []string{fmt.Sprintf("Actie %03d", i), "Anouk", "01-02-2026"})
	}
	p.Table([]string{"Actie", "Eigenaar", "Start"}, rows, []int{6, 3, 3})
	b, err := p.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 10)])
	}
	txt := pdftext.Extract(t, b)
	pages := pdftext.Pages(txt)
	if pages < 2 {
		t.Fatalf("want several pages, got %d:\n%s", pages, txt)
	}
	for _, want := range []string{
		"Plan van aanpak 2026",
		"Huisartsenpraktijk Brouwerij · versie 2 · definitief",
		"Ambitie",
		"Meer tijd voor het goede gesprek; €15 per cliënt, één idee.",
		"Status", "definitief", "—",
		"Actie 000", "Actie 119", "Eigenaar",
		"Afgedrukt op 22-11-2026",
		"Pagina 1 van " + fmt.Sprint(pages),
		fmt.Sprintf("Pagina %d van %d", pages, pages),
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, txt)
		}
	}
	// The header and footer repeat on every page.
	if n := strings.Count(txt, "Plan van aanpak 2026"); n != pages {
		t.Errorf("title on %d of %d pages", n, pages)
	}
	if n := strings.Count(txt, "Afgedrukt op 22-11-2026"); n != pages {
		t.Errorf("print date on %d of %d pages", n, pages)
	}
}

func TestDutchDate(t *testing.T) {
	if got := export.DutchDate(time.Date(2026, 3, 5, 23, 0, 0, 0, time.UTC)); got != "05-03-2026" {
		t.Fatal(got)
	}
	if export.DutchDate(time.Time{}) != "" {
		t.Fatal("zero date must print empty")
	}
}
