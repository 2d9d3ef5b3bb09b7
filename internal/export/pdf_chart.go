package export

import (
	"bytes"
	"image"
	"image/color"
	"image/png"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/extension"
	"github.com/johnfercher/maroto/v2/pkg/props"

	mimage "github.com/johnfercher/maroto/v2/pkg/components/image"
)

// Bar is one bar of a horizontal bar chart. Value is drawn against the
// chart's maximum; a negative Value draws no bar (a suppressed count: only
// Text is printed, e.g. "< 5").
type Bar struct {
	Label string
	Value float64
	Text  string // printed right of the bar, e.g. "41 van 58 (71 %)"
}

// Chart geometry: label 4, bar 5, text 3 grid columns; the bar image has
// the aspect ratio of its cell so it fills it exactly.
const (
	chartRowMM  = 6.5
	chartBarW   = 1100
	chartBarH   = 90
	chartBarPad = 14 // px of white above and below the bar
)

var (
	chartFill  = color.RGBA{0x15, 0x42, 0x73, 0xff} // the app's blue
	chartTrack = color.RGBA{0xe6, 0xed, 0xf5, 0xff}
)

// BarChart draws a horizontal bar chart: one row per bar with its label,
// the bar and its text. max is the value of a full bar (0: the largest
// value). Labels and texts are PDF text (searchable, readable by screen
// readers); only the bars are images.
func (p *PDF) BarChart(title string, bars []Bar, max float64) error {
	if title != "" {
		p.Subheading(title)
	}
	if max <= 0 {
		for _, b := range bars {
			if b.Value > max {
				max = b.Value
			}
		}
	}
	for _, b := range bars {
		img, err := barImage(b.Value, max)
		if err != nil {
			return err
		}
		label := text.NewCol(4, b.Label, props.Text{Family: FontFamily, Size: pdfSmall + 1, Top: 1.2, Right: 2})
		value := text.NewCol(3, b.Text, props.Text{Family: FontFamily, Size: pdfSmall + 1, Top: 1.2, Left: 2, Align: align.Left})
		var bar = col.New(5)
		if img != nil {
			bar = mimage.NewFromBytesCol(5, img, extension.Png, props.Rect{Percent: 100, Center: true})
		}
		p.add(row.New(chartRowMM).Add(label, bar, value))
	}
	p.Space(2)
	return nil
}

// barImage draws the bar (value of max) on its track; nil for no bar.
func barImage(value, max float64) ([]byte, error) {
	if value < 0 || max <= 0 {
		return nil, nil
	}
	if value > max {
		value = max
	}
	im := image.NewRGBA(image.Rect(0, 0, chartBarW, chartBarH))
	for y := 0; y < chartBarH; y++ {
		for x := 0; x < chartBarW; x++ {
			im.Set(x, y, color.White)
		}
	}
	fill := int(float64(chartBarW) * value / max)
	for y := chartBarPad; y < chartBarH-chartBarPad; y++ {
		for x := 0; x < chartBarW; x++ {
			if x < fill {
				im.Set(x, y, chartFill)
			} else {
				im.Set(x, y, chartTrack)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, im); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
