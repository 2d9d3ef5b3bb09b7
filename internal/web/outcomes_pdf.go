package web

import (
	"math"
	"net/http"
	"time"

	"meertijd/internal/export"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// getRegionOutcomesPDF: the region's outcome page as a Dutch PDF — per
// indicator the run chart of the region beside the country, its summary
// and its table, and (not for funders) the funnel's table of practices.
func (s *Server) getRegionOutcomesPDF(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.outcomeRegion(r)
	if err != nil {
		return err
	}
	d, err := s.regionOutcomes(r, reg, "nl")
	if err != nil {
		return err
	}
	b, err := outcomesPDF(reg, d, s.cfg.Now())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="uitkomsten-`+reg.Code+`.pdf"`)
	_, err = w.Write(b)
	return err
}

func outcomesPDF(reg mtvp.Region, d outcomesData, printed time.Time) ([]byte, error) {
	nl := func(key string, args ...any) string { return i18n.T("nl", key, args...) }
	p, err := export.NewPDF(export.PDFMeta{Title: nl("ind.title") + " · " + reg.Name, Subtitle: reg.Name, Author: reg.Name, Printed: printed})
	if err != nil {
		return nil, err
	}
	p.Paragraph(nl("ind.intro_region") + " " + nl("ind.intro_rules"))
	if d.RegionOnly {
		p.Muted(nl("ind.region_only"))
	}
	if len(d.Items) == 0 {
		p.Paragraph(nl("ind.none"))
	}
	for _, it := range d.Items {
		if err := outcomePDF(p, reg.Name, "", it); err != nil {
			return nil, err
		}
	}
	return p.Bytes()
}

// outcomePDF adds one indicator: heading, run chart beside the region
// (on a practice's outcome; region names it) and the country, summary and
// table, and the funnel's table when there is one.
func outcomePDF(p *export.PDF, own, region string, it outcomeView) error {
	nl := func(key string, args ...any) string { return i18n.T("nl", key, args...) }
	o := it.outcome
	ind := o.Indicator
	p.Heading(it.Title)
	labels := make([]string, len(o.Quarters))
	for i, q := range o.Quarters {
		labels[i] = q.String()
	}
	c := export.LineChart{Labels: labels, Centre: math.NaN(), Marker: o.Start, MarkerLabel: nl("ind.chart.start"),
		Format: func(v float64) string { return indValue("nl", ind, v) },
		Series: []export.LineSeries{{Name: own, Values: o.Own, Highlight: o.Flagged(), Colour: export.LineBlue}}}
	if o.Region != nil {
		c.Series = append(c.Series, export.LineSeries{Name: region, Values: o.Region, Dashed: true, Colour: export.LineGreen})
	}
	c.Series = append(c.Series, export.LineSeries{Name: nl("ind.level.landelijk"), Values: o.Country, Dashed: true, Colour: export.LineOrange})
	if o.HasOwn() {
		c.Centre, c.CentreLabel = o.Runs.Median, nl("ind.chart.median", indValue("nl", ind, o.Runs.Median))
	}
	if err := p.LineChart(c); err != nil {
		return err
	}
	for _, line := range it.Summary {
		p.Paragraph(line)
	}
	var rows [][]string
	for _, row := range it.Rows {
		q := row.Quarter
		if row.Start {
			q += " (" + nl("ind.chart.start") + ")"
		}
		v := row.Own
		if row.Signal {
			v += " · " + nl("ind.col.signal")
		}
		if o.Region != nil {
			rows = append(rows, []string{q, v, row.Region, row.Country, row.Source})
		} else {
			rows = append(rows, []string{q, v, row.Country, row.Source})
		}
	}
	if o.Region != nil {
		p.Table([]string{nl("ind.col.quarter"), own, nl("ind.level.regio"), nl("ind.level.landelijk"), nl("ind.col.source")}, rows, []int{3, 2, 2, 2, 3})
	} else {
		p.Table([]string{nl("ind.col.quarter"), own, nl("ind.level.landelijk"), nl("ind.col.source")}, rows, []int{3, 3, 2, 4})
	}
	if f := it.Funnel; f != nil {
		p.Subheading(f.Caption)
		for _, line := range f.Summary {
			p.Paragraph(line)
		}
		var frows [][]string
		for _, fr := range f.Rows {
			frows = append(frows, []string{fr.Name, fr.Size, fr.Value, fr.Lower95 + " – " + fr.Upper95, fr.Position})
		}
		p.Table([]string{nl("ind.col.practice"), nl("ind.col.patients"), nl("ind.col.value"), nl("ind.col.limits95"), nl("ind.col.position")},
			frows, []int{4, 2, 2, 2, 2})
	}
	return nil
}

// regionOutcomeItems are the region's indicators beside the country's,
// without any practice figure (the annual report's section).
func (s *Server) regionOutcomeItems(r *http.Request, reg mtvp.Region) ([]outcomeView, error) {
	values, err := s.db.IndicatorValues(r.Context(), store.IndicatorFilter{RegionID: reg.ID, Levels: []mtvp.IndicatorLevel{mtvp.LevelRegion, mtvp.LevelCountry}})
	if err != nil {
		return nil, err
	}
	var out []outcomeView
	for _, ind := range mtvp.Indicators {
		if o := mtvp.BuildOutcome(values, ind, mtvp.LevelRegion, 0, reg.ProgrammeStart); len(o.Quarters) > 0 {
			out = append(out, outcomeItem("nl", o, reg.Name, ""))
		}
	}
	return out, nil
}

// practiceOutcomeItems are a practice's indicators beside its region's
// and the country's (the plan PDF's section).
func (s *Server) practiceOutcomeItems(r *http.Request, reg mtvp.Region, pr mtvp.Practice) ([]outcomeView, error) {
	values, err := s.db.IndicatorValues(r.Context(), store.IndicatorFilter{RegionID: reg.ID, PracticeID: pr.ID})
	if err != nil {
		return nil, err
	}
	var out []outcomeView
	for _, ind := range mtvp.Indicators {
		if o := mtvp.BuildOutcome(values, ind, mtvp.LevelPractice, pr.ID, pr.JoinedOn); len(o.Quarters) > 0 {
			out = append(out, outcomeItem("nl", o, pr.Name, reg.Name))
		}
	}
	return out, nil
}
