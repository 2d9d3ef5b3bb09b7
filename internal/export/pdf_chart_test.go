package export

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"meertijd/internal/export/pdftext"
)

func TestBarChart(t *testing.T) {
	p, err := NewPDF(PDFMeta{Title: "Jaarverslag"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.BarChart("Aandeel praktijken", []Bar{
		{Label: "Intervisie", Value: 71, Text: "41 van 58 (71 %)"},
		{Label: "Scholing assistenten", Value: -1, Text: "< 5 van 58"},
		{Label: "Meer dan het maximum", Value: 250, Text: "alles"},
	}, 100); err != nil {
		t.Fatal(err)
	}
	b, err := p.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdftext.Extract(t, b)), " ")
	for _, want := range []string{"Aandeel praktijken", "Intervisie", "41 van 58 (71 %)", "Scholing assistenten", "< 5 van 58"} {
		if !strings.Contains(text, want) {
			t.Errorf("chart lacks %q in %q", want, text)
		}
	}
	// The bar is drawn to scale: 71 of 100 filled.
	img, err := barImage(71, 100)
	if err != nil {
		t.Fatal(err)
	}
	im, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	y := chartBarH / 2
	filled := func(x int) bool {
		r, g, b, _ := im.At(x, y).RGBA()
		return r>>8 == 0x15 && g>>8 == 0x42 && b>>8 == 0x73
	}
	if !filled(chartBarW*70/100) || filled(chartBarW*72/100) {
		t.Errorf("bar not filled to 71 %%")
	}
	if none, _ := barImage(-1, 100); none != nil {
		t.Errorf("a suppressed value draws a bar")
	}
}
