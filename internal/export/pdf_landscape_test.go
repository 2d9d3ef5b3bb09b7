package export_test

import (
	"regexp"
	"strconv"
	"testing"

	"meertijd/internal/export"
)

// Landscape turns the A4 page: wider than high.
func TestPDFLandscape(t *testing.T) {
	for _, landscape := range []bool{false, true} {
		p, err := export.NewPDF(export.PDFMeta{Title: "Normen 2026", Landscape: landscape})
		if err != nil {
			t.Fatal(err)
		}
		p.Paragraph("Stand van de normen")
		b, err := p.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`).FindSubmatch(b)
		if m == nil {
			t.Fatalf("no MediaBox in PDF: %q", b[:min(len(b), 200)])
		}
		w, _ := strconv.ParseFloat(string(m[1]), 64)
		h, _ := strconv.ParseFloat(string(m[2]), 64)
		if (w > h) != landscape {
			t.Errorf("landscape=%v: page %v × %v", landscape, w, h)
		}
	}
}
