package export

import (
	"fmt"
	"meertijd/internal/clock"
	"time"

	"github.com/johnfercher/go-tree/node"
	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/line"
	"github.com/johnfercher/maroto/v2/pkg/components/page"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/orientation"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
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
// (Heading, Paragraph, Fields, Table), then call Bytes.
//
// The helpers lay out pages themselves, mirroring Maroto's page breaks: a
// heading is kept with what follows it (no heading alone at the foot of a
// page), a table's header row is kept with its first row and repeated at
// the top of every page the table continues on.
type PDF struct {
	m core.Maroto
	// What page layout needs: Maroto's text measurer (caught by a probe
	// in the footer), the content cell of a page, the heights of header
	// and footer and the height used on the current page.
	provider         core.Provider
	cfg              *entity.Config
	cell             entity.Cell
	headerH, footerH float64
	cur              float64
	// keep: headings waiting to be placed together with the next row.
	keep []core.Row
}

// probe is an invisible component that catches Maroto's provider when
// Maroto measures the row it is in, so the PDF can measure rows the same
// way Maroto will.
type probe struct{ p *PDF }

func (pr *probe) GetHeight(provider core.Provider, _ *entity.Cell) float64 {
	pr.p.provider = provider
	return 0
}
func (pr *probe) Render(core.Provider, *entity.Cell) {}
func (pr *probe) SetConfig(*entity.Config)           {}
func (pr *probe) GetStructure() *node.Node[core.Structure] {
	return node.New(core.Structure{Type: "probe"})
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
	cfg := b.Build()
	m := maroto.New(cfg)
	p := &PDF{m: m, cfg: cfg}
	p.cell = entity.Cell{Width: cfg.Dimensions.Width - cfg.Margins.Left - cfg.Margins.Right,
		Height: cfg.Dimensions.Height - cfg.Margins.Top - cfg.Margins.Bottom}

	footer := []core.Row{
		line.NewRow(3, props.Line{Color: pdfGrey, Thickness: 0.3}),
		// An auto row: Maroto measures it, and so the probe.
		row.New().Add(col.New(12).Add(&probe{p: p}, text.New("Afgedrukt op "+DutchDate(printed), props.Text{Family: FontFamily, Size: pdfSmall, Color: pdfGrey, Bottom: 1.5}))),
	}
	if err := m.RegisterFooter(footer...); err != nil {
		return nil, fmt.Errorf("pdf footer: %w", err)
	}
	if p.provider == nil {
		return nil, fmt.Errorf("pdf: no text measurer")
	}
	p.footerH = p.height(footer...)
	// The header: title, subtitle, then the rule with room above it so it
	// never crosses the subtitle's descenders.
	header := []core.Row{
		text.NewAutoRow(meta.Title, props.Text{Family: FontFamily, Style: fontstyle.Bold, Size: 15}),
	}
	if meta.Subtitle != "" {
		header = append(header, text.NewAutoRow(meta.Subtitle, props.Text{Family: FontFamily, Size: pdfBody, Color: pdfGrey, Top: 1}))
	}
	header = append(header, row.New(2.5), line.NewRow(3, props.Line{Color: pdfGrey, Thickness: 0.3}), row.New(1.5))
	if err := m.RegisterHeader(header...); err != nil {
		return nil, fmt.Errorf("pdf header: %w", err)
	}
	p.headerH = p.height(header...)
	p.cur = p.headerH
	return p, nil
}

// height measures rows the way Maroto will.
func (p *PDF) height(rows ...core.Row) float64 {
	var h float64
	for _, r := range rows {
		r.SetConfig(p.cfg)
		h += r.GetHeight(p.provider, &p.cell)
	}
	return h
}

// fits reports whether h millimetres fit on the current page.
func (p *PDF) fits(h float64) bool { return p.cur+h+p.footerH <= p.cell.Height }

// atTop reports whether nothing has been placed on the current page yet.
func (p *PDF) atTop() bool { return p.cur <= p.headerH+1e-9 }

// NewPage starts a new page (nothing happens at the top of a page).
func (p *PDF) NewPage() {
	if p.atTop() {
		return
	}
	p.m.AddPages(page.New())
	p.cur = p.headerH
}

// add places rows, mirroring Maroto's page breaks. Waiting headings go
// onto the page together with the first row.
func (p *PDF) add(rows ...core.Row) {
	for _, r := range rows {
		if len(p.keep) > 0 {
			kept := p.keep
			p.keep = nil
			if !p.fits(p.height(kept...) + p.height(r)) {
				p.NewPage()
			}
			p.place(kept...)
		}
		p.place(r)
	}
}

// place adds rows one by one, following Maroto's own page breaks.
func (p *PDF) place(rows ...core.Row) {
	for _, r := range rows {
		h := p.height(r)
		if !p.fits(h) {
			p.cur = p.headerH
		}
		p.cur += h
		p.m.AddRows(r)
	}
}

// keepWithNext holds rows (a heading) until the next row is added, so both
// land on the same page.
func (p *PDF) keepWithNext(rows ...core.Row) { p.keep = append(p.keep, rows...) }

// Heading adds a bold section heading with some space above it.
func (p *PDF) Heading(s string) {
	p.keepWithNext(text.NewAutoRow(s, props.Text{Family: FontFamily, Style: fontstyle.Bold, Size: pdfHeading, Top: 4, Bottom: 1}))
}

// Subheading adds a smaller bold heading.
func (p *PDF) Subheading(s string) {
	p.keepWithNext(text.NewAutoRow(s, props.Text{Family: FontFamily, Style: fontstyle.Bold, Size: 11, Top: 2.5, Bottom: 0.5}))
}

// Paragraph adds wrapped body text; an empty text prints an em dash so a
// reader sees the field was empty, not lost.
func (p *PDF) Paragraph(s string) {
	if s == "" {
		s = "—"
	}
	p.add(text.NewAutoRow(s, props.Text{Family: FontFamily, Size: pdfBody, Top: 0.5, Bottom: 1}))
}

// Muted adds small grey text (explanations, dates, "no entries").
func (p *PDF) Muted(s string) {
	p.add(text.NewAutoRow(s, props.Text{Family: FontFamily, Size: pdfSmall + 1, Color: pdfGrey, Top: 0.5, Bottom: 1}))
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
		p.add(row.New().Add(
			text.NewCol(4, f.Label, props.Text{Family: FontFamily, Style: fontstyle.Bold, Size: pdfBody, Top: 0.5}),
			text.NewCol(8, v, props.Text{Family: FontFamily, Size: pdfBody, Top: 0.5}),
		))
	}
}

// TableOptions shape a table beyond its columns.
type TableOptions struct {
	// Widths are grid columns out of 12 per column (nil: equal widths).
	// They must add up to at most 12 so the table stays inside the margins.
	Widths []int
	// MinRowHeight in millimetres (e.g. room to sign), 0 for none.
	MinRowHeight float64
	// Boxed draws a box around every cell (forms to fill in by hand).
	Boxed bool
}

// Table adds a table with a shaded header row. widths are grid columns out
// of 12 per column (nil: equal widths).
func (p *PDF) Table(header []string, rows [][]string, widths []int) {
	p.TableWith(header, rows, TableOptions{Widths: widths})
}

// TableWith adds a table: its header row stays with the first row and is
// repeated at the top of every page the table continues on.
func (p *PDF) TableWith(header []string, rows [][]string, o TableOptions) {
	if len(header) == 0 {
		return
	}
	widths := o.Widths
	sum := 0
	for _, w := range widths {
		sum += w
	}
	if len(widths) != len(header) || sum > 12 {
		widths = make([]int, len(header))
		for i := range widths {
			widths[i] = max(1, 12/len(header))
		}
	}
	cell := func(i int, s string, bold bool) core.Col {
		st := fontstyle.Normal
		if bold {
			st = fontstyle.Bold
		}
		c := text.NewCol(widths[i], s, props.Text{Family: FontFamily, Style: st, Size: pdfSmall + 1, Top: 1, Bottom: 1, Left: 1, Right: 1, Align: align.Left})
		if o.Boxed {
			// Maroto draws a column's own cell only in a row without style.
			cs := &props.Cell{BorderType: border.Full, BorderColor: pdfGrey, BorderThickness: 0.2}
			if bold {
				cs.BackgroundColor = pdfLight
			}
			c = c.WithStyle(cs)
		}
		return c
	}
	withStyle := func(r core.Row, st *props.Cell) core.Row {
		if o.Boxed {
			return r
		}
		return r.WithStyle(st)
	}
	style := &props.Cell{BorderType: border.Bottom, BorderColor: pdfLight, BorderThickness: 0.2}
	headerRow := func() core.Row {
		var hc []core.Col
		for i, h := range header {
			hc = append(hc, cell(i, h, true))
		}
		return withStyle(row.New().Add(hc...), &props.Cell{BackgroundColor: pdfLight})
	}
	p.keepWithNext(headerRow())
	for n, r := range rows {
		var cs []core.Col
		for i := range header {
			v := ""
			if i < len(r) {
				v = r[i]
			}
			cs = append(cs, cell(i, v, false))
		}
		dr := row.New().Add(cs...)
		if o.MinRowHeight > 0 && p.height(dr) < o.MinRowHeight {
			dr = row.New(o.MinRowHeight).Add(cs...)
		}
		dr = withStyle(dr, style)
		if n > 0 && !p.fits(p.height(dr)) {
			p.NewPage()
			p.keepWithNext(headerRow())
		}
		p.add(dr)
	}
	if len(rows) == 0 {
		p.add(headerRow())
		p.keep = nil
	}
}

// Space adds vertical space in millimetres.
func (p *PDF) Space(mm float64) {
	if len(p.keep) > 0 || p.atTop() {
		return
	}
	if !p.fits(mm) {
		p.NewPage()
		return
	}
	p.place(row.New(mm))
}

// AddRow places a custom row (charts), kept with waiting headings.
func (p *PDF) AddRow(r core.Row) { p.add(r) }

// Bytes renders the document.
func (p *PDF) Bytes() ([]byte, error) {
	if len(p.keep) > 0 {
		kept := p.keep
		p.keep = nil
		p.place(kept...)
	}
	doc, err := p.m.Generate()
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return doc.GetBytes(), nil
}
