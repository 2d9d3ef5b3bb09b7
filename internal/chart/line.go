package chart

import (
	"fmt"
	"math"
	"strings"
)

// Series is one named row of values. In a Line chart Values[i] belongs to
// XLabels[i] (categorical axis) or to X[i] (numeric axis); NaN is a gap. In
// a Bar chart Values[i] belongs to Categories[i].
type Series struct {
	Name   string
	Values []float64
	// X holds numeric x positions for a Line chart without XLabels (a
	// funnel plot's practice sizes); ignored otherwise.
	X []float64
	// Highlight marks points to draw larger and filled in the warning
	// colour (signals such as an Anhøj run); nil means none.
	Highlight []bool
	Colour    string // empty: the palette colour for the series' place
	Dashed    bool   // a dashed line (limits, expected values)
	NoLine    bool   // points only (a scatter)
	NoPoints  bool   // line only
}

// RefKind says how a horizontal reference line is drawn.
type RefKind int

const (
	RefGoal   RefKind = iota // a target: thick dashed line in the goal colour
	RefCentre                // a centre line (median, mean): thin solid grey
	RefLimit                 // a control limit: thin dashed grey
)

// RefLine is a horizontal reference line across the plot with a label at
// its right end.
type RefLine struct {
	Value float64
	Label string
	Kind  RefKind
}

// Marker is a vertical line at a category index (or numeric x) with a
// label at its top, e.g. the week a practice started MTVP.
type Marker struct {
	At    float64
	Label string
}

// Line is a line chart over time (categorical x: weeks, quarters) or over a
// numeric x.
type Line struct {
	ID          string // unique on the page; prefixes the title/desc ids
	Title, Desc string
	XLabels     []string
	Series      []Series
	YLabel      string
	XLabel      string // under the x axis, at its right end
	RefLines    []RefLine
	Markers     []Marker
	// IncludeZero makes the y axis start at 0 (or lower).
	IncludeZero bool
	// Decimals on the y axis; 0 chooses from the tick step.
	Decimals      int
	Width, Height int
}

// SVG renders the chart as an inline <svg> element.
func (c Line) SVG() string {
	var b strings.Builder
	f := startSVG(&b, c.ID, c.Title, c.Desc, c.Width, c.Height)

	categorical := len(c.XLabels) > 0
	lo, hi := math.Inf(1), math.Inf(-1)
	xlo, xhi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for i, v := range s.Values {
			if !finite(v) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			if !categorical && i < len(s.X) {
				xlo, xhi = math.Min(xlo, s.X[i]), math.Max(xhi, s.X[i])
			}
		}
	}
	for _, r := range c.RefLines {
		if finite(r.Value) {
			lo, hi = math.Min(lo, r.Value), math.Max(hi, r.Value)
		}
	}
	if c.IncludeZero && lo > 0 {
		lo = 0
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	ticks := NiceTicks(lo, hi, 6)
	dec := c.Decimals
	y := yAxis(&b, f, ticks, c.YLabel, dec)

	// x mapping
	var x func(float64) float64
	var xt Ticks
	if categorical {
		n := len(c.XLabels)
		x = func(i float64) float64 {
			if n == 1 {
				return f.left + f.plotW()/2
			}
			return f.left + f.plotW()*i/float64(n-1)
		}
	} else {
		if math.IsInf(xlo, 1) {
			xlo, xhi = 0, 1
		}
		xt = NiceTicks(xlo, xhi, 6)
		x = func(v float64) float64 { return f.left + f.plotW()*(v-xt.Min)/(xt.Max-xt.Min) }
	}

	// x axis
	base := f.h - f.bottom
	b.WriteString(`<g class="chart-x-axis">`)
	fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1"/>`, num(f.left), num(f.w-f.right), num(base), num(base), axisColour)
	if categorical {
		step := labelStep(len(c.XLabels), f.plotW(), 56)
		for i, l := range c.XLabels {
			if i%step != 0 {
				continue
			}
			xx := x(float64(i))
			fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`, num(xx), num(xx), num(base), num(base+4), axisColour)
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(xx), num(base+18), textColour, esc(l))
		}
	} else {
		for _, v := range xt.Values {
			xx := x(v)
			fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`, num(xx), num(xx), num(base), num(base+4), axisColour)
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(xx), num(base+18), textColour, esc(FormatAuto(v, xt.Step)))
		}
	}
	xLabel(&b, f, c.XLabel)
	b.WriteString(`</g>`)

	// reference lines
	for _, r := range c.RefLines {
		if !finite(r.Value) {
			continue
		}
		yy := y(r.Value)
		stroke, width, dash := axisColour, "1", ` stroke-dasharray="6 4"`
		switch r.Kind {
		case RefGoal:
			stroke, width = goalColour, "2.5"
		case RefCentre:
			dash = ""
		}
		fmt.Fprintf(&b, `<g class="chart-ref"><line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`,
			num(f.left), num(f.w-f.right), num(yy), num(yy), stroke, width, dash)
		if r.Label != "" {
			fmt.Fprintf(&b, `<text x="%s" y="%s" dominant-baseline="middle" fill="%s">%s</text>`, num(f.w-f.right+6), num(yy), textColour, esc(r.Label))
		}
		b.WriteString(`</g>`)
	}

	// markers
	for _, m := range c.Markers {
		xx := x(m.At)
		fmt.Fprintf(&b, `<g class="chart-marker"><line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1.5" stroke-dasharray="2 3"/>`,
			num(xx), num(xx), num(f.top), num(base), axisColour)
		if m.Label != "" {
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(xx), num(f.top-4), textColour, esc(m.Label))
		}
		b.WriteString(`</g>`)
	}

	// series
	names := make([]string, len(c.Series))
	colours := make([]string, len(c.Series))
	for si, s := range c.Series {
		col := colour(si, s.Colour)
		names[si], colours[si] = s.Name, col
		fmt.Fprintf(&b, `<g class="chart-series">`)
		pos := func(i int) (float64, bool) {
			if categorical {
				return x(float64(i)), i < len(c.XLabels)
			}
			if i < len(s.X) && finite(s.X[i]) {
				return x(s.X[i]), true
			}
			return 0, false
		}
		if !s.NoLine {
			var path strings.Builder
			pen := false
			for i, v := range s.Values {
				xx, ok := pos(i)
				if !ok || !finite(v) {
					pen = false
					continue
				}
				if pen {
					path.WriteString("L")
				} else {
					path.WriteString("M")
				}
				path.WriteString(num(xx) + " " + num(y(v)))
				pen = true
			}
			if path.Len() > 0 {
				dash := ""
				if s.Dashed {
					dash = ` stroke-dasharray="6 4"`
				}
				fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="%s" stroke-width="2"%s/>`, path.String(), col, dash)
			}
		}
		if !s.NoPoints {
			for i, v := range s.Values {
				xx, ok := pos(i)
				if !ok || !finite(v) {
					continue
				}
				if i < len(s.Highlight) && s.Highlight[i] {
					fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="5.5" fill="%s" stroke="%s" stroke-width="2"/>`, num(xx), num(y(v)), goalColour, col)
				} else {
					fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3.5" fill="#fff" stroke="%s" stroke-width="2"/>`, num(xx), num(y(v)), col)
				}
			}
		}
		b.WriteString(`</g>`)
	}
	legend(&b, f, names, colours, true)
	b.WriteString(`</svg>`)
	return b.String()
}
