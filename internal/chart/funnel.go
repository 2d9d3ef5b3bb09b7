package chart

import "math"

// FunnelPlot compares units (practices) by size: each unit a point at its
// size and value, the target as a centre line and two pairs of control
// limits (95 % and 99.8 %) narrowing as size grows. The limits are the
// caller's (computed at the sizes in LimitSizes).
type FunnelPlot struct {
	ID, Title, Desc                      string
	Name                                 string    // legend name of the points
	Sizes, Values                        []float64 // one per unit
	Outside                              []bool    // units outside the 95 % limits, highlighted
	Target                               float64
	TargetLabel                          string
	LimitSizes                           []float64
	Lower95, Upper95, Lower998, Upper998 []float64
	Label95, Label998                    string // legend names of the limits
	XLabel, YLabel                       string
	Decimals                             int
	Width, Height                        int
}

// Line is the funnel plot as a line chart over a numeric x axis.
func (c FunnelPlot) Line() Line {
	// One series per pair of limits: the upper curve, a gap (NaN), the
	// lower curve, so the legend names each pair once.
	lim := func(name string, upper, lower []float64, colour string) Series {
		var x, v []float64
		x = append(append(append(x, c.LimitSizes...), math.NaN()), c.LimitSizes...)
		v = append(append(append(v, upper...), math.NaN()), lower...)
		return Series{Name: name, X: x, Values: v, Dashed: true, NoPoints: true, Colour: colour}
	}
	series := []Series{
		{Name: c.Name, X: c.Sizes, Values: c.Values, Highlight: c.Outside, NoLine: true},
		lim(c.Label95, c.Upper95, c.Lower95, Palette[1]),
		lim(c.Label998, c.Upper998, c.Lower998, Palette[6]),
	}
	l := Line{ID: c.ID, Title: c.Title, Desc: c.Desc, Series: series, YLabel: c.YLabel, Decimals: c.Decimals,
		Width: c.Width, Height: c.Height}
	if finite(c.Target) {
		l.RefLines = []RefLine{{Value: c.Target, Label: c.TargetLabel, Kind: RefCentre}}
	}
	return l
}

// SVG renders the funnel plot.
func (c FunnelPlot) SVG() string { return c.Line().SVG() }
