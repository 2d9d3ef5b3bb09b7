package export

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/consts/extension"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	mimage "github.com/johnfercher/maroto/v2/pkg/components/image"
)

// A line chart in a PDF. maroto places raster images only (no SVG), so
// the web's SVG charts (internal/chart) are drawn here once more as a PNG
// from the same numbers: the caller passes the same series, centre line
// and marker. The figures themselves go in a table beside the image (the
// PDF's text stays searchable and readable by screen readers).

// LineSeries is one line of a PDF line chart; NaN is a gap.
type LineSeries struct {
	Name      string
	Values    []float64
	Highlight []bool // drawn as larger filled points (signals)
	Dashed    bool   // a comparison line, without points
	Colour    color.RGBA
}

// LineChart is a chart over periods (quarters).
type LineChart struct {
	Labels      []string
	Series      []LineSeries
	Centre      float64 // a centre line (median); NaN for none
	CentreLabel string
	Marker      int // index of a vertical marker line; -1 for none
	MarkerLabel string
	Format      func(float64) string // y axis labels
}

// Chart image size in pixels (drawn at twice the size it prints).
const (
	lineW     = 1600
	lineH     = 640
	lineRowMM = 72
)

var (
	lineGrid   = color.RGBA{0xd9, 0xd9, 0xd9, 0xff}
	lineAxis   = color.RGBA{0x59, 0x59, 0x59, 0xff}
	lineText   = color.RGBA{0x1a, 0x1a, 0x1a, 0xff}
	lineGoal   = color.RGBA{0xa9, 0x00, 0x61, 0xff}
	LineBlue   = color.RGBA{0x15, 0x42, 0x73, 0xff}
	LineGrey   = color.RGBA{0x5c, 0x5c, 0x5c, 0xff}
	LineOrange = color.RGBA{0xb3, 0x5a, 0x00, 0xff}
	LineGreen  = color.RGBA{0x39, 0x87, 0x0c, 0xff}
)

var (
	lineFontOnce sync.Once
	lineFont     *opentype.Font
	lineFontErr  error
)

// chartFace returns a new face of the embedded font (a face is not safe
// for concurrent use; the parsed font is).
func chartFace() (font.Face, error) {
	lineFontOnce.Do(func() { lineFont, lineFontErr = opentype.Parse(FontRegular) })
	if lineFontErr != nil {
		return nil, lineFontErr
	}
	return opentype.NewFace(lineFont, &opentype.FaceOptions{Size: 22, DPI: 72, Hinting: font.HintingFull})
}

// LineChartImage draws the chart as a PNG.
func LineChartImage(c LineChart) ([]byte, error) {
	face, err := chartFace()
	if err != nil {
		return nil, err
	}
	defer face.Close()
	im := image.NewRGBA(image.Rect(0, 0, lineW, lineH))
	draw.Draw(im, im.Bounds(), image.White, image.Point{}, draw.Src)
	left, right, top, bottom := 130.0, 40.0, 70.0, 60.0
	pw, ph := lineW-left-right, lineH-top-bottom

	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if !math.IsNaN(c.Centre) {
		lo, hi = math.Min(lo, c.Centre), math.Max(hi, c.Centre)
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	step := niceStep((hi - lo) / 5)
	if step == 0 {
		step = math.Max(math.Abs(hi)/5, 1)
	}
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if hi == lo {
		hi = lo + step
	}
	y := func(v float64) float64 { return top + ph*(hi-v)/(hi-lo) }
	n := len(c.Labels)
	x := func(i int) float64 {
		if n <= 1 {
			return left + pw/2
		}
		return left + pw*float64(i)/float64(n-1)
	}
	dec := max(0, int(math.Ceil(-math.Log10(step)-1e-9)))
	byStep := func(v float64) string { return strings.Replace(strconv.FormatFloat(v, 'f', dec, 64), ".", ",", 1) }
	format := c.Format
	if format == nil || format(lo) == format(lo+step) {
		// The caller's format would print two ticks alike (a whole-euro
		// figure with ticks half a euro apart): the step decides.
		format = byStep
	}
	// grid and y labels (each tick computed from lo, not summed, so no
	// rounding creeps in)
	for k := 0; ; k++ {
		v := lo + float64(k)*step
		if v > hi+step/2 {
			break
		}
		v = math.Round(v/step) * step
		yy := y(v)
		strokeLine(im, left, yy, lineW-right, yy, 2, lineGrid, false)
		label := format(v)
		drawText(im, face, left-12-textWidth(face, label), yy+8, label, lineText)
	}
	strokeLine(im, left, top+ph, lineW-right, top+ph, 2, lineAxis, false)
	// x labels, thinned to fit
	every := 1
	for n > 0 && float64(n)/float64(every)*120 > pw {
		every++
	}
	for i, l := range c.Labels {
		if i%every != 0 {
			continue
		}
		drawText(im, face, x(i)-textWidth(face, l)/2, top+ph+32, l, lineText)
	}
	if !math.IsNaN(c.Centre) {
		strokeLine(im, left, y(c.Centre), lineW-right, y(c.Centre), 2, lineAxis, false)
		drawText(im, face, lineW-right-textWidth(face, c.CentreLabel), y(c.Centre)-8, c.CentreLabel, lineAxis)
	}
	if c.Marker >= 0 && c.Marker < n {
		strokeLine(im, x(c.Marker), top, x(c.Marker), top+ph, 3, lineAxis, true)
		drawText(im, face, x(c.Marker)-textWidth(face, c.MarkerLabel)/2, top-10, c.MarkerLabel, lineText)
	}
	// legend
	lx := left
	for _, s := range c.Series {
		strokeLine(im, lx, 26, lx+36, 26, 5, s.Colour, s.Dashed)
		drawText(im, face, lx+44, 34, s.Name, lineText)
		lx += 44 + textWidth(face, s.Name) + 36
	}
	for _, s := range c.Series {
		width := 4.0
		var prev [2]float64
		pen := false
		for i, v := range s.Values {
			if i >= n || math.IsNaN(v) {
				pen = false
				continue
			}
			cur := [2]float64{x(i), y(v)}
			if pen {
				strokeLine(im, prev[0], prev[1], cur[0], cur[1], width, s.Colour, s.Dashed)
			}
			prev, pen = cur, true
		}
		if s.Dashed {
			continue
		}
		for i, v := range s.Values {
			if i >= n || math.IsNaN(v) {
				continue
			}
			if i < len(s.Highlight) && s.Highlight[i] {
				fillCircle(im, x(i), y(v), 13, lineGoal)
			} else {
				fillCircle(im, x(i), y(v), 8, s.Colour)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, im); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// LineChart adds a line chart image the width of the page.
func (p *PDF) LineChart(c LineChart) error {
	img, err := LineChartImage(c)
	if err != nil {
		return err
	}
	p.add(row.New(lineRowMM).Add(mimage.NewFromBytesCol(12, img, extension.Png, props.Rect{Percent: 100, Center: true})))
	return nil
}

func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 0
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

// strokeLine draws a line of width w (dashed: 14 on, 10 off).
func strokeLine(im *image.RGBA, x0, y0, x1, y1, w float64, c color.RGBA, dashed bool) {
	dx, dy := x1-x0, y1-y0
	length := math.Hypot(dx, dy)
	if length == 0 {
		return
	}
	if dashed {
		for s := 0.0; s < length; s += 24 {
			e := math.Min(s+14, length)
			strokeLine(im, x0+dx*s/length, y0+dy*s/length, x0+dx*e/length, y0+dy*e/length, w, c, false)
		}
		return
	}
	nx, ny := -dy/length*w/2, dx/length*w/2
	r := vector.NewRasterizer(lineW, lineH)
	r.MoveTo(float32(x0+nx), float32(y0+ny))
	r.LineTo(float32(x1+nx), float32(y1+ny))
	r.LineTo(float32(x1-nx), float32(y1-ny))
	r.LineTo(float32(x0-nx), float32(y0-ny))
	r.ClosePath()
	r.Draw(im, im.Bounds(), image.NewUniform(c), image.Point{})
}

func fillCircle(im *image.RGBA, cx, cy, rad float64, c color.RGBA) {
	r := vector.NewRasterizer(lineW, lineH)
	const k = 24
	for i := 0; i <= k; i++ {
		a := 2 * math.Pi * float64(i) / k
		px, py := float32(cx+rad*math.Cos(a)), float32(cy+rad*math.Sin(a))
		if i == 0 {
			r.MoveTo(px, py)
		} else {
			r.LineTo(px, py)
		}
	}
	r.ClosePath()
	r.Draw(im, im.Bounds(), image.NewUniform(c), image.Point{})
}

func drawText(im *image.RGBA, face font.Face, x, y float64, s string, c color.RGBA) {
	d := font.Drawer{Dst: im, Src: image.NewUniform(c), Face: face, Dot: fixed.P(int(x), int(y))}
	d.DrawString(s)
}

func textWidth(face font.Face, s string) float64 {
	return float64(font.MeasureString(face, s)) / 64
}
