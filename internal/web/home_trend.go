package web

import (
	"strconv"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// The compliance trend as a server-rendered SVG line chart with the same
// figures in a table and one sentence (issue 10). Coordinates are computed
// here; the template only writes them. Colours come from app.css classes
// (the CSP allows no inline styles), so the chart prints too.

// complianceTarget is the share of practices that should meet every
// requirement by the end of the year: the agreements with the insurers
// ask it of every participating practice.
const complianceTarget = 100

const (
	chartW, chartH         = 640, 280
	chartLeft, chartRight  = 64, 16
	chartTop, chartBottom  = 16, 40
	chartPlotW, chartPlotH = chartW - chartLeft - chartRight, chartH - chartTop - chartBottom
	chartMonths            = 12
	chartColumnW           = float64(chartPlotW) / chartMonths
	chartPointR            = 4
)

type trendChart struct {
	Year    int
	Points  []trendPointView
	Line    string // polyline points "x,y x,y"
	Grid    []chartTick
	Months  []chartTick
	TargetY float64
	Target  int
	Summary string
	W, H    int
	Left    int
	Right   int // x of the plot's right edge
	Bottom  int // y of the plot's bottom edge
}

type trendPointView struct {
	Ref       mtvp.Date
	Label     string // the date in words
	Counted   int
	Compliant int
	Percent   int
	X, Y      float64
	R         int
}

type chartTick struct {
	Label string
	X, Y  float64
}

func chartY(percent int) float64 {
	return float64(chartTop) + float64(chartPlotH)*(1-float64(percent)/100)
}

func newTrendChart(lang string, year int, points []mtvp.TrendPoint) trendChart {
	c := trendChart{Year: year, Target: complianceTarget, TargetY: chartY(complianceTarget), W: chartW, H: chartH,
		Left: chartLeft, Right: chartW - chartRight, Bottom: chartH - chartBottom}
	for _, pct := range []int{0, 25, 50, 75, 100} {
		c.Grid = append(c.Grid, chartTick{Label: strconv.Itoa(pct) + "%", Y: chartY(pct)})
	}
	for m := 1; m <= chartMonths; m++ {
		c.Months = append(c.Months, chartTick{Label: i18n.T(lang, "home.month."+strconv.Itoa(m)),
			X: float64(chartLeft) + (float64(m)-0.5)*chartColumnW, Y: float64(chartH - chartBottom + 20)})
	}
	for i, p := range points {
		v := trendPointView{Ref: p.Ref, Label: dateText(lang, p.Ref), Counted: p.Counted, Compliant: p.Compliant, Percent: p.Percent(),
			X: float64(chartLeft) + (float64(p.Ref.Month())-0.5)*chartColumnW, R: chartPointR}
		v.Y = chartY(v.Percent)
		c.Points = append(c.Points, v)
		if i > 0 {
			c.Line += " "
		}
		c.Line += strconv.FormatFloat(v.X, 'f', 1, 64) + "," + strconv.FormatFloat(v.Y, 'f', 1, 64)
	}
	switch n := len(c.Points); {
	case n == 0:
		c.Summary = i18n.T(lang, "home.trend.none")
	case n == 1:
		last := c.Points[0]
		c.Summary = i18n.T(lang, "home.trend.summary_one", last.Label, last.Percent, last.Compliant, last.Counted, c.Target)
	default:
		first, last := c.Points[0], c.Points[n-1]
		c.Summary = i18n.T(lang, "home.trend.summary", last.Label, last.Percent, last.Compliant, last.Counted, c.Target, first.Label, first.Percent)
	}
	return c
}
