package web

import (
	"net/http"
	"path"
	"strings"

	"meertijd/internal/export"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// Exports of a frozen snapshot: XLSX (an overview sheet, practices ×
// requirements, and a detail sheet, one row per practice and requirement),
// CSV (the detail rows) and a Dutch PDF on A4 landscape for the meeting
// with the insurers. No names of people: a snapshot holds none.

func tr(lang, key string, args ...any) string { return i18n.T(lang, key, args...) }

// snapshotFileName is e.g. "normen-zio-2026-11-30".
func snapshotFileName(reg mtvp.Region, snap mtvp.ComplianceSnapshot) string {
	return "normen-" + reg.Code + "-" + snap.Ref.String()
}

func yesNo(lang string, b bool) string {
	if b {
		return tr(lang, "normen.yes")
	}
	return tr(lang, "normen.no")
}

// snapshotDetailTable: one row per practice and requirement.
func snapshotDetailTable(lang string, snap mtvp.ComplianceSnapshot) export.Table {
	t := export.Table{Name: tr(lang, "normen.export.sheet_details"), Header: []string{
		tr(lang, "normen.export.agb"), tr(lang, "normen.export.practice"), tr(lang, "normen.export.consultant"), tr(lang, "normen.export.wave"),
		tr(lang, "normen.export.requirement"), tr(lang, "normen.export.status"), tr(lang, "normen.export.required"), tr(lang, "normen.export.actual"),
		tr(lang, "normen.export.pending"), tr(lang, "normen.export.counted"), tr(lang, "normen.export.explanation"), tr(lang, "normen.export.compliant"),
	}}
	for _, p := range snap.Practices {
		for _, c := range mtvp.AllRequirements {
			r := p.Requirement(c)
			var counted any
			if r.Denominator > 0 {
				counted = r.Denominator
			}
			t.Rows = append(t.Rows, []any{p.AGB, p.Name, p.Consultant, p.InflowWave, tr(lang, "normen.req."+string(c)),
				tr(lang, "compliance.status."+string(r.Status)), r.Required, r.Actual, r.Pending, counted, r.Text(lang), yesNo(lang, p.Compliant)})
		}
	}
	return t
}

// snapshotOverviewTable: practices × requirements.
func snapshotOverviewTable(lang string, snap mtvp.ComplianceSnapshot) export.Table {
	t := export.Table{Name: tr(lang, "normen.export.sheet_overview"), Header: []string{
		tr(lang, "normen.export.agb"), tr(lang, "normen.export.practice"), tr(lang, "normen.export.consultant"), tr(lang, "normen.export.wave")}}
	for _, c := range mtvp.AllRequirements {
		t.Header = append(t.Header, tr(lang, "normen.req."+string(c)))
	}
	t.Header = append(t.Header, tr(lang, "normen.export.compliant"))
	for _, p := range snap.Practices {
		row := []any{p.AGB, p.Name, p.Consultant, p.InflowWave}
		for _, c := range mtvp.AllRequirements {
			row = append(row, snapshotCellText(lang, p.Requirement(c)))
		}
		row = append(row, yesNo(lang, p.Compliant))
		t.Rows = append(t.Rows, row)
	}
	return t
}

// snapshotCellText is a status with its figures: "Niet voldaan (1/3, 2 nodig)".
func snapshotCellText(lang string, r mtvp.SnapshotRequirement) string {
	s := tr(lang, "compliance.status."+string(r.Status))
	if r.Denominator > 0 {
		s += " (" + tr(lang, "normen.figure", r.Actual, r.Denominator, r.Required) + ")"
	}
	return s
}

func (s *Server) getSnapshotExport(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.snapshotRegion(r)
	if err != nil {
		return err
	}
	snap, err := s.snapshotOf(r, reg)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	name := snapshotFileName(reg, snap)
	switch path.Ext(r.URL.Path) {
	case ".csv":
		return trSendTable(w, "csv", name, snapshotDetailTable(lang, snap))
	case ".xlsx":
		b, err := export.XLSX(snapshotOverviewTable(lang, snap), snapshotDetailTable(lang, snap))
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
		_, err = w.Write(b)
		return err
	}
	return notFound
}

func (s *Server) getSnapshotPDF(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.snapshotRegion(r)
	if err != nil {
		return err
	}
	snap, err := s.snapshotOf(r, reg)
	if err != nil {
		return err
	}
	b, err := snapshotPDF(s.lang(r), reg, snap)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+snapshotFileName(reg, snap)+`.pdf"`)
	_, err = w.Write(b)
	return err
}

// snapshotPDF prints a snapshot on A4 landscape: the totals, the matrix of
// practices × requirements with counts per column, and the explanation of
// every requirement not met.
func snapshotPDF(lang string, reg mtvp.Region, snap mtvp.ComplianceSnapshot) ([]byte, error) {
	date := func(d mtvp.Date) string {
		if lang == "en" {
			return d.Time().Format("2 January 2006")
		}
		return d.Dutch()
	}
	p, err := export.NewPDF(export.PDFMeta{
		Title:     tr(lang, "normen.pdf.title", reg.Name, snap.Year),
		Subtitle:  tr(lang, "normen.pdf.subtitle", date(snap.Ref), export.DutchDate(snap.CreatedAt.In(amsterdam)), snap.CreatedName),
		Author:    reg.Name,
		Landscape: true,
	})
	if err != nil {
		return nil, err
	}
	p.Paragraph(tr(lang, "normen.total", snap.CompliantCount, snap.PracticeCount))
	if snap.Note != "" {
		p.Fields(export.Field{Label: tr(lang, "normen.snapshot.note"), Value: snap.Note})
	}
	cols, rows := snapshotMatrix(lang, snap)
	// 12 grid columns on a landscape page: practice 3, consultant 2, wave 1,
	// one per requirement (5) and "all norms" 1.
	header := []string{tr(lang, "normen.col.practice"), tr(lang, "normen.col.consultant"), tr(lang, "normen.col.wave")}
	widths := []int{3, 2, 1}
	for _, c := range cols {
		if c.Applies {
			header = append(header, c.Label)
			widths = append(widths, 1)
		}
	}
	header = append(header, tr(lang, "normen.col.all"))
	widths = append(widths, 1)
	widths[0] += 12 - sum(widths) // fewer requirements: a wider name column
	if widths[0] < 1 {
		widths = nil
	}
	var body [][]string
	for _, r := range rows {
		line := []string{r.Name + " (" + r.AGB + ")", dash(r.Consultant), dash(r.Wave)}
		for _, c := range r.Cells {
			if !c.Applies {
				continue
			}
			cell := c.Label
			if c.Figure != "" {
				cell += ": " + c.Figure
			}
			line = append(line, cell)
		}
		line = append(line, yesNo(lang, r.Compliant))
		body = append(body, line)
	}
	counts := []string{tr(lang, "normen.pdf.counts"), "", ""}
	for _, c := range cols {
		if c.Applies {
			counts = append(counts, tr(lang, "normen.pdf.count", c.Met, c.NotMet))
		}
	}
	counts = append(counts, tr(lang, "normen.pdf.count_all", snap.CompliantCount, snap.PracticeCount))
	body = append(body, counts)
	p.Table(header, body, widths)

	var missing [][]string
	for _, sp := range snap.Practices {
		for _, c := range mtvp.AllRequirements {
			if req := sp.Requirement(c); req.Status == mtvp.StatusNotMet {
				missing = append(missing, []string{sp.Name, tr(lang, "normen.req."+string(c)), req.Text(lang)})
			}
		}
	}
	p.Heading(tr(lang, "normen.pdf.missing"))
	if len(missing) == 0 {
		p.Muted(tr(lang, "normen.pdf.missing_none"))
	} else {
		p.Table([]string{tr(lang, "normen.col.practice"), tr(lang, "normen.export.requirement"), tr(lang, "normen.export.explanation")}, missing, []int{3, 2, 7})
	}
	p.Muted(tr(lang, "normen.pdf.frozen"))
	return p.Bytes()
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// getComplianceDashboardExport: the live norms dashboard as XLSX or CSV,
// with the filters, sort order and reference date of the page it was
// downloaded from (the same rows: complianceDashboard).
func (s *Server) getComplianceDashboardExport(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	d, err := s.complianceDashboard(r, reg)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	t := export.Table{Name: tr(lang, "normen.export.sheet_overview"), Header: []string{
		tr(lang, "normen.export.agb"), tr(lang, "normen.export.practice"), tr(lang, "normen.export.consultant"), tr(lang, "normen.export.wave")}}
	for _, c := range d.Columns {
		if c.Applies {
			t.Header = append(t.Header, c.Label)
		}
	}
	t.Header = append(t.Header, tr(lang, "normen.export.compliant"), tr(lang, "normen.at_risk_marker"), tr(lang, "normen.export.ref"))
	for _, row := range d.Rows {
		out := []any{row.AGB, row.Name, row.Consultant, row.Wave}
		for _, c := range row.Cells {
			if !c.Applies {
				continue
			}
			cell := c.Label
			if c.Figure != "" {
				cell += " (" + c.Figure + ")"
			}
			out = append(out, cell)
		}
		out = append(out, yesNo(lang, row.Compliant), yesNo(lang, row.AtRisk), d.Period.Ref.Time())
		t.Rows = append(t.Rows, out)
	}
	return trSendTable(w, strings.TrimPrefix(path.Ext(r.URL.Path), "."), "normen-"+reg.Code+"-"+d.Period.Ref.String(), t)
}
