package chart

import (
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"
)

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		v    float64
		d    int
		want string
	}{
		{0, 0, "0"},
		{15, 1, "15,0"},
		{1234.5, 1, "1.234,5"},
		{1234567, 0, "1.234.567"},
		{-1234.25, 2, "-1.234,25"},
		{-0.001, 1, "0,0"},
		{999.96, 1, "1.000,0"},
		{math.NaN(), 1, "–"},
	}
	for _, c := range cases {
		if got := FormatNumber(c.v, c.d); got != c.want {
			t.Errorf("FormatNumber(%v, %d) = %q, want %q", c.v, c.d, got, c.want)
		}
	}
	if got := FormatPercent(0.125, 1); got != "12,5 %" {
		t.Errorf("FormatPercent = %q", got)
	}
	if got := FormatAuto(2.5, 0.5); got != "2,5" {
		t.Errorf("FormatAuto = %q", got)
	}
}

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		lo, hi   float64
		n        int
		min, max float64
		step     float64
	}{
		{0, 100, 6, 0, 100, 20},
		{8.3, 17.9, 6, 8, 18, 2},
		{0, 1, 5, 0, 1, 0.25},
		{15, 15, 6, 13, 17, 1},
		{0, 0, 6, 0, 1, 0.2},
		{-3, 7, 6, -4, 8, 2},
		{math.NaN(), 4, 6, 0, 1, 0.2},
	}
	for _, c := range cases {
		got := NiceTicks(c.lo, c.hi, c.n)
		if got.Min != c.min || got.Max != c.max || got.Step != c.step {
			t.Errorf("NiceTicks(%v, %v, %d) = %v..%v step %v, want %v..%v step %v", c.lo, c.hi, c.n, got.Min, got.Max, got.Step, c.min, c.max, c.step)
		}
		if got.Values[0] != got.Min || got.Values[len(got.Values)-1] != got.Max {
			t.Errorf("NiceTicks(%v, %v): values %v do not run from min to max", c.lo, c.hi, got.Values)
		}
		lo, hi := c.lo, c.hi
		if math.IsNaN(lo) {
			lo, hi = 0, 1
		}
		if got.Min > lo || got.Max < hi {
			t.Errorf("NiceTicks(%v, %v) does not cover the range: %v", c.lo, c.hi, got.Values)
		}
	}
	// no floating-point dust
	for _, v := range NiceTicks(0.1, 0.7, 7).Values {
		if s := FormatAuto(v, 0.1); len(s) > 3 {
			t.Errorf("tick %v prints as %q", v, s)
		}
	}
}

// wellFormed parses the SVG as XML and returns the text of elements by name.
func wellFormed(t *testing.T, svg string) map[string][]string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	out := map[string][]string{}
	var stack []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tk.Name.Local)
			out[tk.Name.Local] = append(out[tk.Name.Local], "")
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				name := stack[len(stack)-1]
				out[name][len(out[name])-1] += string(tk)
			}
		}
	}
	return out
}

func TestLineChart(t *testing.T) {
	c := Line{
		ID: "duur", Title: "Gemiddelde consultduur <per week>", Desc: "Van 9,5 naar 14,8 minuten & meer",
		XLabels: []string{"wk 1", "wk 2", "wk 3", "wk 4"},
		Series: []Series{{Name: "Huisarts", Values: []float64{9.5, math.NaN(), 12, 14.8}, Highlight: []bool{false, false, false, true}},
			{Name: "POH", Values: []float64{20, 21, 22, 19}, Dashed: true}},
		RefLines: []RefLine{{Value: 15, Label: "Doel 15 min", Kind: RefGoal}},
		Markers:  []Marker{{At: 2, Label: "Start MTVP"}},
		YLabel:   "minuten", XLabel: "week", IncludeZero: true,
	}
	svg := c.SVG()
	els := wellFormed(t, svg)
	if got := els["title"]; len(got) == 0 || got[0] != "Gemiddelde consultduur <per week>" {
		t.Errorf("title = %q", got)
	}
	if got := els["desc"]; len(got) != 1 || got[0] != "Van 9,5 naar 14,8 minuten & meer" {
		t.Errorf("desc = %q", got)
	}
	if !strings.Contains(svg, `aria-labelledby="duur-title duur-desc"`) || !strings.Contains(svg, `role="img"`) {
		t.Error("svg lacks its accessible name")
	}
	texts := strings.Join(els["text"], "|")
	for _, want := range []string{"Doel 15 min", "Start MTVP", "wk 1", "wk 4", "Huisarts", "POH", "minuten", "week", "0"} {
		if !strings.Contains(texts, want) {
			t.Errorf("texts %q lack %q", texts, want)
		}
	}
	// The NaN in the first series splits its line into two sub-paths.
	paths := strings.Count(svg, "<path ")
	if paths != 2 {
		t.Errorf("%d paths, want 2", paths)
	}
	first := svg[strings.Index(svg, "<path "):]
	first = first[:strings.Index(first, "/>")]
	if strings.Count(first, "M") != 2 {
		t.Errorf("gap not drawn as a new sub-path: %s", first)
	}
	if strings.Count(svg, `r="5.5"`) != 1 {
		t.Error("the highlighted point is not drawn larger")
	}
	if strings.Count(svg, "<circle") != 7 {
		t.Errorf("%d points, want 7 (NaN skipped)", strings.Count(svg, "<circle"))
	}
}

func TestLineChartNumericX(t *testing.T) {
	c := Line{ID: "funnel", Title: "Trechter", Desc: "d",
		Series: []Series{
			{Name: "Praktijken", X: []float64{1200, 2500, 4100}, Values: []float64{4.2, 4.9, 4.5}, NoLine: true},
			{Name: "Bovengrens", X: []float64{1000, 2000, 4000}, Values: []float64{5.5, 5.1, 4.9}, Dashed: true, NoPoints: true},
		}}
	svg := c.SVG()
	els := wellFormed(t, svg)
	texts := strings.Join(els["text"], "|")
	for _, want := range []string{"1.000", "4.000"} {
		if !strings.Contains(texts, want) {
			t.Errorf("numeric x axis lacks %q: %s", want, texts)
		}
	}
	if strings.Count(svg, "<circle") != 3 || strings.Count(svg, "<path ") != 1 {
		t.Errorf("scatter + line drawn wrongly: %d circles %d paths", strings.Count(svg, "<circle"), strings.Count(svg, "<path "))
	}
}

func TestLineChartEmpty(t *testing.T) {
	wellFormed(t, Line{Title: "Leeg", Desc: "Geen gegevens"}.SVG())
	wellFormed(t, Line{Title: "Eén", XLabels: []string{"wk 1"}, Series: []Series{{Values: []float64{3}}}}.SVG())
}

func TestBarChartStacked(t *testing.T) {
	c := Bar{ID: "verdeling", Title: "Verdeling", Desc: "d", Stacked: true,
		Categories: []string{"wk 1", "wk 2"},
		Series: []Series{
			{Name: "< 10 min", Values: []float64{0.5, 0.25}},
			{Name: "≥ 10 min", Values: []float64{0.5, 0.75}},
		}}
	svg := c.SVG()
	els := wellFormed(t, svg)
	if got := strings.Count(svg, "<rect "); got != 4+2 { // 4 bars + 2 legend swatches
		t.Errorf("%d rects, want 6", got)
	}
	// Stacked to 1: the top tick is 1 and both stacks reach it.
	if !strings.Contains(strings.Join(els["text"], "|"), "|1,0|") {
		t.Errorf("y axis does not reach 1: %q", els["text"])
	}
	if !strings.Contains(svg, "<title>wk 2 — ≥ 10 min: 0,8</title>") {
		t.Errorf("bar tooltip missing or not Dutch: %s", svg)
	}
}

func TestBarChartGrouped(t *testing.T) {
	c := Bar{ID: "g", Title: "Groepen", Categories: []string{"A", "B", "C"},
		Series:   []Series{{Name: "x", Values: []float64{1, -2, 3}}, {Name: "y", Values: []float64{2, 2, math.NaN()}}},
		RefLines: []RefLine{{Value: 2.5, Label: "doel", Kind: RefGoal}}}
	svg := c.SVG()
	wellFormed(t, svg)
	if got := strings.Count(svg, "<rect "); got != 5+2 {
		t.Errorf("%d rects, want 7 (NaN skipped)", got)
	}
}
