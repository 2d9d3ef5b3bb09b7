package export

import (
	"bytes"
	"image/png"
	"math"
	"testing"
)

// TestLineChartImage: the PNG draws the series, the highlighted points in
// the signal colour, the centre line and the marker; a PDF takes it.
func TestLineChartImage(t *testing.T) {
	c := LineChart{Labels: []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"}, Centre: 1.2, CentreLabel: "mediaan 1,20", Marker: 1, MarkerLabel: "start MTVP",
		Series: []LineSeries{
			{Name: "Regio", Values: []float64{1.3, 1.25, math.NaN(), 1.1}, Highlight: []bool{false, false, false, true}, Colour: LineBlue},
			{Name: "landelijk", Values: []float64{1.2, 1.2, 1.2, 1.2}, Dashed: true, Colour: LineOrange},
		}}
	b, err := LineChartImage(c)
	if err != nil {
		t.Fatal(err)
	}
	im, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if im.Bounds().Dx() != lineW || im.Bounds().Dy() != lineH {
		t.Fatalf("size %v", im.Bounds())
	}
	has := func(want [3]uint32) bool {
		for y := 0; y < lineH; y++ {
			for x := 0; x < lineW; x++ {
				r, g, b, _ := im.At(x, y).RGBA()
				if [3]uint32{r >> 8, g >> 8, b >> 8} == want {
					return true
				}
			}
		}
		return false
	}
	for name, col := range map[string][3]uint32{"series": {0x15, 0x42, 0x73}, "signal": {0xa9, 0x00, 0x61}, "comparison": {0xb3, 0x5a, 0x00}} {
		if !has(col) {
			t.Errorf("no %s colour in the chart", name)
		}
	}
	p, err := NewPDF(PDFMeta{Title: "Uitkomsten"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.LineChart(c); err != nil {
		t.Fatal(err)
	}
	out, err := p.Bytes()
	if err != nil || !bytes.HasPrefix(out, []byte("%PDF")) {
		t.Fatalf("pdf: %v", err)
	}
}
