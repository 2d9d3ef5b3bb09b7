package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strings"

	"meertijd/internal/chart"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Outcomes (issue 15 §2–3): the indicators over time of a practice and of
// a region, each as a run chart (median, Anhøj signals, the MTVP start)
// beside the region's and the country's figures, with a table and a text
// summary; on the region page also a funnel plot of the practices for the
// rate indicators. The figures come in through the import
// (kind "indicatoren"). Who sees what (§5): a practice's page — the
// practice, its consultant, the region admin; the region's page — region
// admins and consultants with the practices they may see in the funnel,
// funders the region and country lines only.

func (s *Server) outcomeRoutes() []route {
	return []route{
		{"GET /regio/{region}/uitkomsten", signedIn, s.getRegionOutcomes},
		{"GET /regio/{region}/uitkomsten.pdf", signedIn, s.getRegionOutcomesPDF},
		{"GET /regio/{region}/praktijken/{practice}/uitkomsten", signedIn, s.getPracticeOutcomes},
	}
}

func regionOutcomesURL(reg mtvp.Region) string {
	return "/regio/" + url.PathEscape(reg.Code) + "/uitkomsten"
}

type outcomesData struct {
	Region   mtvp.Region
	Practice *mtvp.Practice // nil on the region page
	Base     string
	PDF      string // the region's PDF ("" on a practice page)
	Import   string // the import page, for region admins
	Items    []outcomeView
	// Funders see the region's lines only.
	RegionOnly bool
}

// outcomeView is one indicator as the page shows it.
type outcomeView struct {
	ID        string
	Title     string
	Unit      string
	SVG       template.HTML
	Summary   []string
	Caption   string
	OwnHeader string
	HasRegion bool
	Rows      []outcomeRowView
	Funnel    *funnelView
	// The outcome drawn (for the PDF).
	outcome mtvp.Outcome
}

type outcomeRowView struct {
	Quarter, Own, Region, Country, Source string
	Signal, Start                         bool
}

type funnelView struct {
	SVG     template.HTML
	Summary []string
	Caption string
	Rows    []funnelRowView
}

type funnelRowView struct {
	Name, Size, Value, Lower95, Upper95, Position string
	Outside                                       bool
}

// outcomeRegion: region admins, consultants and funders; other members
// 403, outsiders 404.
func (s *Server) outcomeRegion(r *http.Request) (mtvp.Region, error) {
	reg, err := s.regionFor(r)
	if err == nil && !currentUser(r).CanSeeRegionOutcomes(reg.ID) {
		err = mtvp.Errorf(mtvp.EFORBIDDEN, "outcomes are for the region's admins, consultants and funders")
	}
	return reg, err
}

func (s *Server) getRegionOutcomes(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.outcomeRegion(r)
	if err != nil {
		return err
	}
	d, err := s.regionOutcomes(r, reg, s.lang(r))
	if err != nil {
		return err
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "outcomes"
	return s.render(w, r, http.StatusOK, "outcomes", v)
}

// regionOutcomes builds the region's page: its indicators beside the
// country's, and the funnels of the practices the user may see.
func (s *Server) regionOutcomes(r *http.Request, reg mtvp.Region, lang string) (outcomesData, error) {
	u := currentUser(r)
	ctx := r.Context()
	d := outcomesData{Region: reg, Base: regionOutcomesURL(reg), PDF: regionOutcomesURL(reg) + ".pdf", RegionOnly: !u.CanSeeOutcomePractices(reg.ID)}
	if u.CanImportIndicators(reg.ID) {
		d.Import = importURL(reg)
	}
	f := store.IndicatorFilter{RegionID: reg.ID}
	if d.RegionOnly {
		f.Levels = []mtvp.IndicatorLevel{mtvp.LevelRegion, mtvp.LevelCountry}
	}
	values, err := s.db.IndicatorValues(ctx, f)
	if err != nil {
		return d, err
	}
	// Funnels: limits and target from every practice of the region (an
	// aggregate), points only of the practices the user may list.
	var sizes map[int64]int
	visible := map[int64]string{}
	if !d.RegionOnly {
		all, err := s.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return d, err
		}
		sizes = make(map[int64]int, len(all))
		for _, p := range all {
			sizes[p.ID] = p.RegisteredPatients
		}
		pf, _ := u.PracticeScope(mtvp.PracticeFilter{RegionID: reg.ID})
		mine, err := s.db.ListPractices(ctx, pf)
		if err != nil {
			return d, err
		}
		for _, p := range mine {
			visible[p.ID] = p.Name
		}
	}
	for _, ind := range mtvp.Indicators {
		o := mtvp.BuildOutcome(values, ind, mtvp.LevelRegion, 0, reg.ProgrammeStart)
		if len(o.Quarters) == 0 {
			continue
		}
		ov := outcomeItem(lang, o, reg.Name, "")
		if !d.RegionOnly {
			if fn, ok := mtvp.BuildFunnel(values, ind, sizes); ok {
				ov.Funnel = funnelItem(lang, fn, visible)
			}
		}
		d.Items = append(d.Items, ov)
	}
	return d, nil
}

func (s *Server) getPracticeOutcomes(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanSeePracticeOutcomes(&p) {
		return notFound
	}
	values, err := s.db.IndicatorValues(r.Context(), store.IndicatorFilter{RegionID: reg.ID, PracticeID: p.ID})
	if err != nil {
		return err
	}
	lang := s.lang(r)
	d := outcomesData{Region: reg, Practice: &p, Base: practiceURL(reg, p.ID) + "/uitkomsten"}
	if currentUser(r).CanImportIndicators(reg.ID) {
		d.Import = importURL(reg)
	}
	for _, ind := range mtvp.Indicators {
		o := mtvp.BuildOutcome(values, ind, mtvp.LevelPractice, p.ID, p.JoinedOn)
		if len(o.Quarters) == 0 {
			continue
		}
		d.Items = append(d.Items, outcomeItem(lang, o, p.Name, reg.Name))
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "practices"
	return s.render(w, r, http.StatusOK, "outcomes", v)
}

// indValue formats a figure with the indicator's decimals ("–" for none).
func indValue(lang string, ind mtvp.Indicator, v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if ind.Decimals() == 0 {
		return i18n.Integer(lang, int(math.Round(v)))
	}
	return i18n.Decimal(lang, v, ind.Decimals())
}

// outcomeItem turns an outcome into its chart, table and summary. own is
// the name of the own series (practice or region); region the region's
// name on a practice page ("" on the region's).
func outcomeItem(lang string, o mtvp.Outcome, own, region string) outcomeView {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	ind := o.Indicator
	ov := outcomeView{ID: "ind-" + string(ind), Title: t(ind.TitleKey()), Unit: t(ind.UnitKey()), OwnHeader: own, HasRegion: o.Region != nil}
	ov.Caption = t("ind.caption", ov.Title, own)
	labels := make([]string, len(o.Quarters))
	flag := o.Flagged()
	for i, q := range o.Quarters {
		labels[i] = q.String()
		row := outcomeRowView{Quarter: q.String(), Own: indValue(lang, ind, o.Own[i]), Country: indValue(lang, ind, o.Country[i]),
			Signal: flag[i], Start: i == o.Start}
		if o.Region != nil {
			row.Region = indValue(lang, ind, o.Region[i])
		}
		if o.OwnSource[i] != "" {
			row.Source = o.OwnSource[i] + ", " + o.OwnDate[i].Short()
		}
		ov.Rows = append(ov.Rows, row)
	}
	ov.Summary = outcomeSummary(lang, o, own)
	rc := chart.RunChart{ID: ov.ID, Title: ov.Title + " · " + own, Desc: joinSentences(ov.Summary), XLabels: labels, Name: own,
		Values: o.Own, Median: o.Runs.Median, Signal: flag, Start: o.Start, StartLabel: t("ind.chart.start"),
		Decimals: ind.Decimals()}
	if !o.HasOwn() {
		rc.Median = math.NaN()
	} else {
		rc.MedianLabel = t("ind.chart.median", indValue(lang, ind, o.Runs.Median))
	}
	if o.Region != nil {
		rc.Compare = append(rc.Compare, chart.Series{Name: region, Values: o.Region})
	}
	rc.Compare = append(rc.Compare, chart.Series{Name: t("ind.level.landelijk"), Values: o.Country})
	ov.SVG = template.HTML(rc.SVG()) // the chart escapes every text it draws
	ov.outcome = o
	return ov
}

// outcomeSummary says in words what the chart shows.
func outcomeSummary(lang string, o mtvp.Outcome, own string) []string {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	ind := o.Indicator
	if !o.HasOwn() {
		return []string{t("ind.sum.no_own", own)}
	}
	last := o.RunQuarter[len(o.RunQuarter)-1]
	out := []string{t("ind.sum.latest", own, o.Quarters[last].String(), indValue(lang, ind, o.Own[last]))}
	var cmp string
	if o.Region != nil && !math.IsNaN(o.Region[last]) {
		cmp = t("ind.sum.region", indValue(lang, ind, o.Region[last]))
	}
	if !math.IsNaN(o.Country[last]) {
		if cmp != "" {
			cmp += "; "
		}
		cmp += t("ind.sum.country", indValue(lang, ind, o.Country[last]))
	}
	if cmp != "" {
		out = append(out, t("ind.sum.compare", cmp))
	}
	if len(o.RegionSources) > 0 {
		out = append(out, t("ind.sum.sources_region", strings.Join(o.RegionSources, ", ")))
	}
	if len(o.CountrySources) > 0 {
		out = append(out, t("ind.sum.sources_country", strings.Join(o.CountrySources, ", ")))
	}
	rc := o.Runs
	med := indValue(lang, ind, rc.Median)
	if o.BaselineBeforeStart {
		out = append(out, t("ind.sum.median_before", med, rc.Baseline))
	} else {
		out = append(out, t("ind.sum.median_all", med, rc.N))
	}
	if rc.LongRun {
		out = append(out, t("ind.sum.long_run", rc.LongestRun, rc.RunLimit))
	}
	if rc.FewCrossings {
		out = append(out, t("ind.sum.few_crossings", rc.Crossings, rc.CrossingsMin))
	}
	switch {
	case !rc.Tested:
		out = append(out, t("ind.sum.too_few", rc.Useful, mtvp.AnhojMinPoints))
	case !rc.Signal():
		out = append(out, t("ind.sum.random", rc.LongestRun, rc.RunLimit, rc.Crossings, rc.CrossingsMin))
	}
	return out
}

// funnelItem draws a funnel; names holds the practices shown (others count
// in the target and limits but are not drawn or listed).
func funnelItem(lang string, f mtvp.Funnel, names map[int64]string) *funnelView {
	t := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	ind := f.Indicator
	fv := &funnelView{Caption: t("ind.funnel.caption", t(ind.TitleKey()), f.Quarter.String())}
	fp := chart.FunnelPlot{ID: "funnel-" + string(ind), Title: t("ind.funnel.title", t(ind.TitleKey()), f.Quarter.String()),
		Name: t("ind.funnel.practices"), Target: f.Target, TargetLabel: t("ind.funnel.target", indValue(lang, ind, f.Target)),
		Label95: t("ind.funnel.limits95"), Label998: t("ind.funnel.limits998"), Decimals: ind.Decimals()}
	for _, c := range f.Curve {
		fp.LimitSizes = append(fp.LimitSizes, c.Size)
		fp.Lower95, fp.Upper95 = append(fp.Lower95, c.Lower95), append(fp.Upper95, c.Upper95)
		fp.Lower998, fp.Upper998 = append(fp.Lower998, c.Lower998), append(fp.Upper998, c.Upper998)
	}
	out95, out998 := 0, 0
	for _, row := range f.Rows {
		name, ok := names[row.PracticeID]
		if !ok {
			continue
		}
		outside := row.Position != mtvp.FunnelWithin
		if outside {
			out95++
		}
		if row.Position == mtvp.FunnelAbove998 || row.Position == mtvp.FunnelBelow998 {
			out998++
		}
		fp.Sizes, fp.Values, fp.Outside = append(fp.Sizes, row.Size), append(fp.Values, row.Value), append(fp.Outside, outside)
		fv.Rows = append(fv.Rows, funnelRowView{Name: name, Size: i18n.Integer(lang, int(row.Size)), Value: indValue(lang, ind, row.Value),
			Lower95: indValue(lang, ind, row.Limits.Lower95), Upper95: indValue(lang, ind, row.Limits.Upper95),
			Position: t(row.Position.Key()), Outside: outside})
	}
	fv.Summary = []string{
		t("ind.funnel.sum", f.Quarter.String(), indValue(lang, ind, f.Target), len(f.Rows)),
		t("ind.funnel.sum_shown", len(fv.Rows), out95, out998),
		t("ind.funnel.method"),
	}
	fp.Desc = joinSentences(fv.Summary)
	fv.SVG = template.HTML(fp.SVG())
	return fv
}

func joinSentences(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}
