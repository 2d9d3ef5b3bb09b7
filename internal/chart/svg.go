package chart

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// Palette holds the series colours in order: dark, saturated colours in the
// style of the Dutch central government, each at least 3:1 against white.
var Palette = []string{"#154273", "#b35a00", "#39870c", "#a90061", "#01689b", "#42145f", "#5c5c5c"}

const (
	textColour = "#1a1a1a"
	gridColour = "#d9d9d9"
	axisColour = "#595959"
	goalColour = "#a90061"
	fontSize   = 12
)

func colour(i int, explicit string) string {
	if explicit != "" {
		return explicit
	}
	return Palette[i%len(Palette)]
}

// esc escapes text for SVG element content and attribute values.
func esc(s string) string { return html.EscapeString(s) }

// num writes a coordinate with at most two decimals.
func num(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// frame is the drawing area shared by both chart kinds.
type frame struct {
	w, h                     float64
	left, right, top, bottom float64
}

func (f frame) plotW() float64 { return f.w - f.left - f.right }
func (f frame) plotH() float64 { return f.h - f.top - f.bottom }

// openSVG writes the root element with its accessible name and description.
// startSVG opens the <svg> of a chart of width × height (720 × 320 when
// not given) and returns its plot frame.
func startSVG(b *strings.Builder, id, title, desc string, width, height int) frame {
	if width <= 0 {
		width = 720
	}
	if height <= 0 {
		height = 320
	}
	openSVG(b, id, title, desc, width, height)
	return frame{w: float64(width), h: float64(height), left: 56, right: 110, top: 48, bottom: 48}
}

func openSVG(b *strings.Builder, id, title, desc string, w, h int) {
	if id == "" {
		id = "chart"
	}
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="%s-title %s-desc" font-family="inherit" font-size="%d">`,
		w, h, w, h, esc(id), esc(id), fontSize)
	fmt.Fprintf(b, `<title id="%s-title">%s</title>`, esc(id), esc(title))
	fmt.Fprintf(b, `<desc id="%s-desc">%s</desc>`, esc(id), esc(desc))
}

// yAxis draws horizontal grid lines with their tick labels and the axis
// label, and returns the function mapping a value to a y coordinate.
func yAxis(b *strings.Builder, f frame, t Ticks, label string, decimals int) func(float64) float64 {
	y := func(v float64) float64 {
		return f.top + f.plotH()*(1-(v-t.Min)/(t.Max-t.Min))
	}
	b.WriteString(`<g class="chart-y-axis">`)
	for _, v := range t.Values {
		yy := y(v)
		fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="1"/>`,
			num(f.left), num(f.w-f.right), num(yy), num(yy), gridColour)
		text := FormatAuto(v, t.Step)
		if decimals > 0 {
			text = FormatNumber(v, decimals)
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" dominant-baseline="middle" fill="%s">%s</text>`,
			num(f.left-6), num(yy), textColour, esc(text))
	}
	if label != "" {
		fmt.Fprintf(b, `<text x="%s" y="%s" fill="%s">%s</text>`, num(f.left-40), num(f.top-10), textColour, esc(label))
	}
	b.WriteString(`</g>`)
	return y
}

// labelStep returns every how-manyth of n category labels fits in width
// when each needs about minGap pixels.
func labelStep(n int, width, minGap float64) int {
	if n <= 0 {
		return 1
	}
	fit := int(width / minGap)
	if fit < 1 {
		fit = 1
	}
	step := (n + fit - 1) / fit
	if step < 1 {
		step = 1
	}
	return step
}

// legend draws one swatch and name per series in a row above the plot.
func legend(b *strings.Builder, f frame, names []string, colours []string, lineSwatch bool) {
	if len(names) < 2 {
		return
	}
	x := f.left
	yy := 14.0
	b.WriteString(`<g class="chart-legend">`)
	for i, name := range names {
		if lineSwatch {
			fmt.Fprintf(b, `<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="3"/>`, num(x), num(x+16), num(yy), num(yy), colours[i])
		} else {
			fmt.Fprintf(b, `<rect x="%s" y="%s" width="12" height="12" fill="%s"/>`, num(x), num(yy-6), colours[i])
		}
		fmt.Fprintf(b, `<text x="%s" y="%s" dominant-baseline="middle" fill="%s">%s</text>`, num(x+20), num(yy), textColour, esc(name))
		x += 20 + float64(len([]rune(name)))*7 + 18
	}
	b.WriteString(`</g>`)
}

// xLabel writes the x-axis label below the axis at its right end.
func xLabel(b *strings.Builder, f frame, label string) {
	if label == "" {
		return
	}
	fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`, num(f.w-f.right), num(f.h-f.bottom+36), textColour, esc(label))
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
