package chart

import (
	"fmt"
	"math"
	"strings"
)

// Bar is a vertical bar chart: one group of bars per category, one bar per
// series, or one stacked bar per category when Stacked is set.
type Bar struct {
	ID            string
	Title, Desc   string
	Categories    []string
	Series        []Series
	Stacked       bool
	YLabel        string
	XLabel        string // under the x axis, at its right end
	RefLines      []RefLine
	Decimals      int // y-axis and value decimals; 0 chooses from the tick step (values: 0 or 1)
	Width, Height int
}

// SVG renders the chart as an inline <svg> element.
func (c Bar) SVG() string {
	var b strings.Builder
	f := startSVG(&b, c.ID, c.Title, c.Desc, c.Width, c.Height)

	n := len(c.Categories)
	lo, hi := 0.0, 0.0
	for ci := 0; ci < n; ci++ {
		pos, neg := 0.0, 0.0
		for _, s := range c.Series {
			if ci >= len(s.Values) || !finite(s.Values[ci]) {
				continue
			}
			v := s.Values[ci]
			if c.Stacked {
				if v >= 0 {
					pos += v
				} else {
					neg += v
				}
			} else {
				hi, lo = math.Max(hi, v), math.Min(lo, v)
			}
		}
		if c.Stacked {
			hi, lo = math.Max(hi, pos), math.Min(lo, neg)
		}
	}
	for _, r := range c.RefLines {
		if finite(r.Value) {
			lo, hi = math.Min(lo, r.Value), math.Max(hi, r.Value)
		}
	}
	ticks := NiceTicks(lo, hi, 6)
	y := yAxis(&b, f, ticks, c.YLabel, c.Decimals)
	zero := y(0)

	slot := f.plotW() / math.Max(1, float64(n))
	groupW := slot * 0.7
	barW := groupW
	if !c.Stacked && len(c.Series) > 0 {
		barW = groupW / float64(len(c.Series))
	}
	base := f.h - f.bottom
	b.WriteString(`<g class="chart-x-axis">`)
	fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s"/>`, num(f.left), num(f.w-f.right), num(zero), num(zero), axisColour)
	step := labelStep(n, f.plotW(), 56)
	for i, l := range c.Categories {
		if i%step != 0 {
			continue
		}
		xx := f.left + slot*(float64(i)+0.5)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`, num(xx), num(base+18), textColour, esc(l))
	}
	xLabel(&b, f, c.XLabel)
	b.WriteString(`</g>`)

	names := make([]string, len(c.Series))
	colours := make([]string, len(c.Series))
	for si, s := range c.Series {
		names[si], colours[si] = s.Name, colour(si, s.Colour)
	}
	for ci := 0; ci < n; ci++ {
		x0 := f.left + slot*float64(ci) + (slot-groupW)/2
		pos, neg := 0.0, 0.0
		for si, s := range c.Series {
			if ci >= len(s.Values) || !finite(s.Values[ci]) || s.Values[ci] == 0 {
				continue
			}
			v := s.Values[ci]
			var top, bottom, xx float64
			if c.Stacked {
				xx = x0
				if v >= 0 {
					bottom, top = y(pos), y(pos+v)
					pos += v
				} else {
					top, bottom = y(neg), y(neg+v)
					neg += v
				}
			} else {
				xx = x0 + barW*float64(si)
				top, bottom = math.Min(y(v), zero), math.Max(y(v), zero)
			}
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#fff" stroke-width="0.5"><title>%s: %s</title></rect>`,
				num(xx), num(top), num(math.Max(barW-1, 1)), num(bottom-top), colours[si], esc(c.Categories[ci]+" — "+s.Name), esc(valueText(v, c.Decimals)))
		}
	}
	for _, r := range c.RefLines {
		if !finite(r.Value) {
			continue
		}
		yy := y(r.Value)
		stroke, width := axisColour, "1"
		if r.Kind == RefGoal {
			stroke, width = goalColour, "2.5"
		}
		fmt.Fprintf(&b, `<g class="chart-ref"><line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="%s" stroke-dasharray="6 4"/>`,
			num(f.left), num(f.w-f.right), num(yy), num(yy), stroke, width)
		if r.Label != "" {
			fmt.Fprintf(&b, `<text x="%s" y="%s" dominant-baseline="middle" fill="%s">%s</text>`, num(f.w-f.right+6), num(yy), textColour, esc(r.Label))
		}
		b.WriteString(`</g>`)
	}
	legend(&b, f, names, colours, false)
	b.WriteString(`</svg>`)
	return b.String()
}

func valueText(v float64, decimals int) string {
	if decimals > 0 {
		return FormatNumber(v, decimals)
	}
	if v == math.Trunc(v) {
		return FormatNumber(v, 0)
	}
	return FormatNumber(v, 1)
}
