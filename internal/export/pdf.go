package export

import (
	"fmt"
	"meertijd/internal/clock"
	"time"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/line"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/orientation"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/johnfercher/maroto/v2/pkg/repository"
)

// PDFMeta is what every meertijd PDF shows on each page: a title and a
// subtitle in the header, and in the footer the print date and
// "Pagina x van y".
type PDFMeta struct {
	Title    string // e.g. "Plan van aanpak 2026"
	Subtitle string // e.g. "Huisartsenpraktijk De Linde · versie 3 · definitief"
	Author   string // optional: the region or organisation, stored as PDF metadata
	Printed  time.Time
	// Landscape turns the page (A4 landscape) for wide tables.
	Landscape bool
}

// PDF is the reusable base for printable documents: A4 portrait, the
// embedded Liberation Sans fonts (so ë, é and € print the same everywhere),
// a Dutch header and footer on every page. Add content with the helpers
// (Heading, Paragraph, Fields, Table) or directly with Maroto(), then call
// Bytes.
type PDF struct {
	m core.Maroto
}

// PDF text sizes and colours shared by all documents.
const (
	pdfBody    = 10
	pdfSmall   = 8
	pdfHeading = 13
)

var (
	pdfGrey  = &props.Color{Red: 90, Green: 90, Blue: 90}
	pdfLight = &props.Color{Red: 235, Green: 235, Blue: 235}
)

// DutchDate formats a date as 22-11-2026 (the empty string for a zero time).
func DutchDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02-01-2006")
}

// NewPDF starts an A4 document with the header and footer of meta.
func NewPDF(meta PDFMeta) (*PDF, error) {
	fonts, err := repository.New().
		AddUTF8FontFromBytes(FontFamily, fontstyle.Normal, FontRegular).
		AddUTF8FontFromBytes(FontFamily, fontstyle.Italic, FontRegular).
		AddUTF8FontFromBytes(FontFamily, fontstyle.Bold, FontBold).
		AddUTF8FontFromBytes(FontFamily, fontstyle.BoldItalic, FontBold).
		Load()
	if err != nil {
		return nil, fmt.Errorf("pdf fonts: %w", err)
	}
	printed := meta.Printed
	if printed.IsZero() {
		printed = clock.Now()
	}
	b := config.NewBuilder().
		WithPageSize(pagesize.A4).
		WithCustomFonts(fonts).
		WithDefaultFont(&props.Font{Family: FontFamily, Size: pdfBody}).
		WithLeftMargin(18).WithRightMargin(18).WithTopMargin(14).WithBottomMargin(14).
		WithTitle(meta.Title, true).
		WithSubject(meta.Subtitle, true).
		WithCreator("meertijd", true).
		WithCreationDate(printed).
		WithPageNumber(props.PageNumber{
			Pattern: "Pagina {current} van {total}",
			Place:   props.RightBottom,
			Family:  FontFamily,
			Size:    pdfSmall,
			Color:   pdfGrey,
		})
	if meta.Author != "" {
		b = b.WithAuthor(meta.Author, true)
	}
	if meta.Landscape {
		b = b.WithOrientation(orientation.Horizontal)
	}
	m := maroto.New(b.Build())

	header := []core.Row{
		text.NewAutoRow(meta.Title, props.Text{Family: FontFamily, Style: fontstyle.Bold, Size: 15}),
	}
	if meta.Subtitle != "" {
		header = append(header, text.NewAutoRow(meta.Subtitle, props.Text{Family: FontFamily, Size: pdfBody, Color: pdfGrey, Top: 1}))
	}
	header = append(header, line.NewRow(5, props.Line{Color: pdfGrey, Thickness: 0.3}))
	if err := m.RegisterHeader(header...); err != nil {
		return nil, fmt.Errorf("pdf header: %w", err)
	}
	footer := []core.Row{
		line.NewRow(3, props.Line{Color: pdfGrey, Thickness: 0.3}),
		text.NewRow(5, "Afgedrukt op "+DutchDate(printed), props.Text{Family: FontFamily, Size: pdfSmall, Color: pdfGrey}),
	}
	if err := m.RegisterFooter(footer...); err != nil {
		return nil, fmt.Errorf("pdf footer: %w", err)
	}
	return &PDF{m: m}, nil
}

// Maroto gives direct access for layouts the helpers do not cover.
func (p *PDF) Maroto() core.Maroto { return p.m }

// Heading adds a bold section heading with some space above it.
func (p *PDF) Heading(s string) {
	p.m.AddRows(text.NewAutoRow(s, props.Text{Family: FontFamily, Style: fontstyle.Bold, Size: pdfHeading, Top: 4, Bottom: 1}))
}

// Subheading adds a smaller bold heading.
func (p *PDF) Subheading(s string) {
	p.m.AddRows(text.NewAutoRow(s, props.Text{Family: FontFamily, Style: fontstyle.Bold, Size: 11, Top: 2.5, Bottom: 0.5}))
}

// Paragraph adds wrapped body text; an empty text prints an em dash so a
// reader sees the field was empty, not lost.
func (p *PDF) Paragraph(s string) {
	if s == "" {
		s = "—"
	}
	p.m.AddRows(text.NewAutoRow(s, props.Text{Family: FontFamily, Size: pdfBody, Top: 0.5, Bottom: 1}))
}

// Muted adds small grey text (explanations, dates, "no entries").
func (p *PDF) Muted(s string) {
	p.m.AddRows(text.NewAutoRow(s, props.Text{Family: FontFamily, Size: pdfSmall + 1, Color: pdfGrey, Top: 0.5, Bottom: 1}))
}

// Field is a label and its value for Fields.
type Field struct{ Label, Value string }

// Fields adds label/value lines: the label bold in the left third.
func (p *PDF) Fields(fs ...Field) {
	for _, f := range fs {
		v := f.Value
		if v == "" {
			v = "—"
		}
		p.m.AddAutoRow(
			text.NewCol(4, f.Label, props.Text{Family: FontFamily, Style: fontstyle.Bold, Size: pdfBody, Top: 0.5}),
			text.NewCol(8, v, props.Text{Family: FontFamily, Size: pdfBody, Top: 0.5}),
		)
	}
}

// Table adds a table with a shaded header row. widths are grid columns out
// of 12 per column (nil: equal widths).
func (p *PDF) Table(header []string, rows [][]string, widths []int) {
	if len(header) == 0 {
		return
	}
	if len(widths) != len(header) {
		widths = make([]int, len(header))
		for i := range widths {
			widths[i] = 12 / len(header)
		}
	}
	cell := func(i int, s string, bold bool) core.Col {
		st := fontstyle.Normal
		if bold {
			st = fontstyle.Bold
		}
		return text.NewCol(widths[i], s, props.Text{Family: FontFamily, Style: st, Size: pdfSmall + 1, Top: 1, Bottom: 1, Left: 1, Right: 1, Align: align.Left})
	}
	var hc []core.Col
	for i, h := range header {
		hc = append(hc, cell(i, h, true))
	}
	p.m.AddRows(row.New().Add(hc...).WithStyle(&props.Cell{BackgroundColor: pdfLight}))
	for _, r := range rows {
		var cs []core.Col
		for i := range header {
			v := ""
			if i < len(r) {
				v = r[i]
			}
			cs = append(cs, cell(i, v, false))
		}
		p.m.AddRows(row.New().Add(cs...).WithStyle(&props.Cell{BorderType: border.Bottom, BorderColor: pdfLight, BorderThickness: 0.2}))
	}
}

// Space adds vertical space in millimetres.
func (p *PDF) Space(mm float64) { p.m.AddRows(row.New(mm)) }

// Bytes renders the document.
func (p *PDF) Bytes() ([]byte, error) {
	doc, err := p.m.Generate()
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return doc.GetBytes(), nil
}
