package chart

import (
	"math"
	"strings"
	"testing"
)

func TestRunChartSVG(t *testing.T) {
	c := RunChart{ID: "rc", Title: "Consulten per verzekerde", Desc: "Lange reeks onder de mediaan na de start.",
		XLabels: []string{"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"}, Name: "Praktijk", Values: []float64{1.3, 1.2, math.NaN(), 1.1},
		Median: 1.2, MedianLabel: "mediaan 1,2", Signal: []bool{false, true, false, true}, Start: 1, StartLabel: "start MTVP",
		Compare: []Series{{Name: "Regio", Values: []float64{1.25, 1.24, 1.23, 1.22}}}}
	svg := c.SVG()
	for _, want := range []string{`role="img"`, "Consulten per verzekerde", "mediaan 1,2", "start MTVP", `class="chart-marker"`, `stroke-dasharray="6 4"`, "Regio"} {
		if !strings.Contains(svg, want) {
			t.Errorf("run chart lacks %q", want)
		}
	}
	if n := strings.Count(svg, `r="5.5"`); n != 2 {
		t.Errorf("%d highlighted points, want 2", n)
	}
	// Comparison series have no points: 3 points of the practice only.
	if n := strings.Count(svg, "<circle"); n != 3 {
		t.Errorf("%d points, want 3 (NaN is a gap, comparisons have none)", n)
	}
	c.Start = -1
	if strings.Contains(c.SVG(), `class="chart-marker"`) {
		t.Error("a start marker without a start")
	}
}

func TestFunnelPlotSVG(t *testing.T) {
	c := FunnelPlot{ID: "fp", Title: "Verwijzingen", Name: "Praktijken", Sizes: []float64{2000, 4000}, Values: []float64{40, 61},
		Outside: []bool{true, false}, Target: 62, TargetLabel: "regio 62", LimitSizes: []float64{1600, 3000, 4400},
		Lower95: []float64{50, 53, 55}, Upper95: []float64{74, 71, 69}, Lower998: []float64{45, 50, 52}, Upper998: []float64{79, 74, 72},
		Label95: "95%-grenzen", Label998: "99,8%-grenzen"}
	svg := c.SVG()
	for _, want := range []string{"regio 62", "95%-grenzen", "99,8%-grenzen", "Praktijken"} {
		if !strings.Contains(svg, want) {
			t.Errorf("funnel lacks %q", want)
		}
	}
	if n := strings.Count(svg, "<circle"); n != 2 {
		t.Errorf("%d points, want 2", n)
	}
	// Each pair of limits is one path broken in two (upper, lower).
	if n := strings.Count(svg, `stroke-dasharray="6 4"/>`); n != 2 {
		t.Errorf("%d dashed limit paths, want 2", n)
	}
	if n := strings.Count(svg, "M"); n < 4 {
		t.Errorf("limit paths not broken into upper and lower curves")
	}
}
