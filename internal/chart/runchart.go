package chart

// RunChart is a run chart: one series over time with its median as the
// centre line, the points of an unusually long run (Anhøj's rule, computed
// by the caller) highlighted, a vertical line where an intervention
// started, and comparison series (the region, the country) drawn dashed.
type RunChart struct {
	ID, Title, Desc string
	XLabels         []string // one per period
	Name            string   // the series' legend name
	Values          []float64
	Median          float64
	MedianLabel     string   // "mediaan 1,21"
	Signal          []bool   // points in an unusually long run
	Start           int      // index of the start period; -1 for none
	StartLabel      string   // "start MTVP"
	Compare         []Series // drawn dashed, without points
	YLabel          string
	Decimals        int
	Width, Height   int
}

// Line is the run chart as a line chart.
func (c RunChart) Line() Line {
	series := []Series{{Name: c.Name, Values: c.Values, Highlight: c.Signal}}
	for _, s := range c.Compare {
		s.Dashed, s.NoPoints = true, true
		series = append(series, s)
	}
	l := Line{ID: c.ID, Title: c.Title, Desc: c.Desc, XLabels: c.XLabels, Series: series, YLabel: c.YLabel,
		Decimals: c.Decimals, Width: c.Width, Height: c.Height}
	if finite(c.Median) {
		l.RefLines = []RefLine{{Value: c.Median, Label: c.MedianLabel, Kind: RefCentre}}
	}
	if c.Start >= 0 && c.Start < len(c.XLabels) {
		l.Markers = []Marker{{At: float64(c.Start), Label: c.StartLabel}}
	}
	return l
}

// SVG renders the run chart.
func (c RunChart) SVG() string { return c.Line().SVG() }
