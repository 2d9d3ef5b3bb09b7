package export_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"meertijd/internal/export"
	"meertijd/internal/export/pdftext"
)

// The layout rules every meertijd PDF keeps, checked on the rendered file:
// the header rule lies below the subtitle, text stays inside the margins,
// a table's header row is repeated on every page it continues on, and no
// heading is the last thing on a page.
func TestPDFLayoutRules(t *testing.T) {
	for _, landscape := range []bool{false, true} {
		t.Run(fmt.Sprintf("landscape=%v", landscape), func(t *testing.T) {
			p, err := export.NewPDF(export.PDFMeta{
				Title:     "Presentielijst intervisie Heuvelland 2026",
				Subtitle:  "ZIO Maastricht-Heuvelland · begeleider: Hilde Crombach · Gulpen, typisch lange ondertitel met gjpqy",
				Printed:   time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC),
				Landscape: landscape,
			})
			if err != nil {
				t.Fatal(err)
			}
			for m := range 9 {
				p.Subheading(fmt.Sprintf("Bijeenkomst %d", m+1))
				p.Muted("Thema: regie op veelgebruikers")
				var rows [][]string
				for i := range 9 {
					rows = append(rows, []string{fmt.Sprintf("Deelnemer %d-%d", m+1, i), "12345678901", "Praktijkhouder", "Huisartsenpraktijk Valkenburg aan de Geul", "aanwezig", ""})
				}
				p.TableWith([]string{"Naam", "BIG-nummer", "Functie", "Praktijk", "Aanwezig", "Handtekening"}, rows,
					export.TableOptions{Widths: []int{2, 2, 2, 2, 1, 3}, MinRowHeight: 12, Boxed: true})
			}
			b, err := p.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			words, pages := pdftext.Words(t, b)
			if len(pages) < 3 {
				t.Fatalf("want several pages, got %d", len(pages))
			}
			const margin = 18 / 25.4 * 72 // 18 mm in points
			byPage := map[int][]pdftext.Word{}
			for _, w := range words {
				byPage[w.Page] = append(byPage[w.Page], w)
				pg := pages[w.Page-1]
				if w.XMin < margin-1 || w.XMax > pg.Width-margin+1 {
					t.Errorf("page %d: %q outside the margins (%.1f–%.1f of %.1f)", w.Page, w.Text, w.XMin, w.XMax, pg.Width)
				}
			}
			for n := 1; n <= len(pages); n++ {
				ws := byPage[n]
				// The rule under the header: the first dark row (most of
				// a line's width) below the title must lie below every
				// word of the subtitle.
				var subBottom float64
				for _, w := range ws {
					if w.Text == "gjpqy" {
						subBottom = w.YMax
					}
				}
				if subBottom == 0 {
					t.Fatalf("page %d: no subtitle", n)
				}
				rows := pdftext.DarkRows(t, b, n)
				rule := -1
				for y := 10; y < len(rows)/3; y++ {
					if rows[y] > 0.5 {
						rule = y
						break
					}
				}
				if rule < 0 || float64(rule) < subBottom {
					t.Errorf("page %d: header rule at %d pt crosses the subtitle (bottom %.1f pt)", n, rule, subBottom)
				}
				// Every page with rows of the table starts them under a
				// header row.
				var first, lastBody string
				for _, w := range ws {
					if w.YMin < subBottom+5 || strings.HasPrefix(w.Text, "Afgedrukt") || w.Text == "Pagina" {
						continue
					}
					if w.YMax > pages[n-1].Height-40 { // footer
						continue
					}
					if first == "" {
						first = w.Text
					}
					lastBody = w.Text
				}
				if first != "Bijeenkomst" && first != "Naam" {
					t.Errorf("page %d starts with %q, not a heading or the table's header row", n, first)
				}
				if lastBody == "Bijeenkomst" || strings.HasPrefix(lastBody, "Thema") {
					t.Errorf("page %d ends with a heading", n)
				}
			}
			txt := pdftext.Extract(t, b)
			if got := strings.Count(txt, "Handtekening"); got < len(pages) || got < 9 {
				t.Errorf("table header printed %d times on %d pages", got, len(pages))
			}
		})
	}
}
