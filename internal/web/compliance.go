package web

// The standing against the insurers' norms (issue 6): the region dashboard
// (practices × requirements; consultants see their own practices), a
// practice's own standing with names and next steps, and frozen snapshots
// (compliance_snapshots.go, exports in compliance_export.go). Every figure
// comes from mtvp.EvaluateCompliance over store.ComplianceFacts: a fixed
// number of queries whatever the number of practices. The dashboard reads
// the region's standings from store.RegionStandings, evaluated once per
// change of the region.

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func (s *Server) complianceRoutes() []route {
	const base = "/regio/{region}/normen"
	const snaps = base + "/momentopnamen"
	const snap = snaps + "/{snapshot}"
	return []route{
		{"GET " + base, signedIn, s.getComplianceDashboard},
		{"GET " + base + "/stand.xlsx", signedIn, s.getComplianceDashboardExport},
		{"GET " + base + "/stand.csv", signedIn, s.getComplianceDashboardExport},
		{"GET " + snaps, signedIn, s.getSnapshots},
		{"POST " + snaps, signedIn, s.postSnapshot},
		{"GET " + snap, signedIn, s.getSnapshot},
		{"GET " + snap + "/normen.xlsx", signedIn, s.getSnapshotExport},
		{"GET " + snap + "/normen.csv", signedIn, s.getSnapshotExport},
		{"GET " + snap + "/normen.pdf", signedIn, s.getSnapshotPDF},
		{"GET /regio/{region}/praktijken/{practice}/normen", signedIn, s.getPracticeStanding},
	}
}

func complianceURL(reg mtvp.Region) string { return "/regio/" + url.PathEscape(reg.Code) + "/normen" }

// ---- year and reference date ----

// normPeriod is the programme year and reference date a page shows, read
// from ?jaar=2026&peildatum=2026-11-30. A bad value falls back to the
// default (this year, today) and is reported in Problem.
type normPeriod struct {
	Year    int
	Ref     mtvp.Date
	RefText string // as typed, for the form
	Today   mtvp.Date
	Years   []int
	Problem string // message key, "" when fine
	Custom  bool   // the reference date was chosen (not the default)
}

func (s *Server) readNormPeriod(r *http.Request, reg mtvp.Region) normPeriod {
	today := mtvp.DateOf(s.cfg.Now())
	p := normPeriod{Year: today.Year(), Today: today}
	first := today.Year() - 2
	if !reg.ProgrammeStart.IsZero() && reg.ProgrammeStart.Year() < today.Year() {
		first = reg.ProgrammeStart.Year()
	}
	for y := today.Year() + 1; y >= first; y-- {
		p.Years = append(p.Years, y)
	}
	qs := r.URL.Query()
	if v := strings.TrimSpace(qs.Get("jaar")); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < first || y > today.Year()+1 {
			p.Problem = "normen.err.year"
		} else {
			p.Year = y
		}
	}
	p.Ref = mtvp.ReferenceDate(p.Year, today)
	if p.Year > today.Year() {
		p.Ref = mtvp.NewDate(p.Year, 1, 1)
	}
	if v := strings.TrimSpace(qs.Get("peildatum")); v != "" {
		p.RefText = v
		d, err := mtvp.ParseDate(v)
		switch {
		case err != nil:
			p.Problem = "err.date_format"
		case d.Year() != p.Year:
			p.Problem = "normen.err.ref_outside_year"
		default:
			p.Ref, p.Custom = d, true
		}
	}
	if p.RefText == "" || p.Problem != "" {
		p.RefText = p.Ref.String()
	}
	return p
}

// values is the period as query parameters (defaults left out).
func (p normPeriod) values(v url.Values) {
	if p.Year != p.Today.Year() {
		v.Set("jaar", strconv.Itoa(p.Year))
	}
	if p.Custom {
		v.Set("peildatum", p.Ref.String())
	}
}

// ---- the dashboard ----

// Status filter values (?status=).
const (
	normStatusMet    = "voldaan"
	normStatusNotMet = "niet-voldaan"
	normStatusAtRisk = "risico"
)

// Sort keys (?sorteer=) besides the requirement codes.
const (
	normSortName       = "naam"
	normSortConsultant = "consulent"
	normSortWave       = "instroom"
	normSortMet        = "voldaan"
)

type normQuery struct {
	Consultant string // "" | "mij" | "geen" | user id
	Status     string
	Req        string // requirement code the status filter applies to; "" = all
	Wave       string
	Sort       string
	Desc       bool
}

func readNormQuery(r *http.Request) normQuery {
	qs := r.URL.Query()
	q := normQuery{Consultant: qs.Get("consulent"), Status: qs.Get("status"), Req: qs.Get("eis"), Wave: qs.Get("instroom"),
		Sort: qs.Get("sorteer"), Desc: qs.Get("volgorde") == "af"}
	switch q.Status {
	case normStatusMet, normStatusNotMet, normStatusAtRisk:
	default:
		q.Status = ""
	}
	if !isRequirement(q.Req) {
		q.Req = ""
	}
	switch q.Sort {
	case normSortName, normSortConsultant, normSortWave, normSortMet:
	default:
		if !isRequirement(q.Sort) {
			q.Sort = normSortName
		}
	}
	return q
}

func isRequirement(code string) bool {
	for _, c := range mtvp.AllRequirements {
		if string(c) == code {
			return true
		}
	}
	return false
}

func (q normQuery) values(p normPeriod) url.Values {
	v := url.Values{}
	p.values(v)
	for k, val := range map[string]string{"consulent": q.Consultant, "status": q.Status, "eis": q.Req, "instroom": q.Wave} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if q.Sort != normSortName {
		v.Set("sorteer", q.Sort)
	}
	if q.Desc {
		v.Set("volgorde", "af")
	}
	return v
}

// normCell is one requirement of one practice, formatted in Go.
type normCell struct {
	Code   string
	Req    string // the requirement's name
	Status string // mtvp.ComplianceStatus, also the CSS modifier
	Label  string // status in words (never colour alone)
	Figure string // "1/3 (2 nodig)", "" for plan and visit
	Text   string // the explanation sentence
	// Applies: the requirement applies in the region (columns of the
	// others are left out).
	Applies bool
	// HTML is the cell as the "norm-cell" partial renders it, built in Go:
	// with 200 practices × 5 requirements the template then only copies
	// strings.
	HTML template.HTML
}

type normRow struct {
	ID         int64
	URL        string
	Name       string
	AGB        string
	Consultant string
	Wave       string
	Compliant  bool
	AtRisk     bool
	MetCount   int
	Cells      []normCell
	Missing    []normCell // not-met cells, for the at-risk list
	// HTML is the whole table row, built in Go (normRowHTML).
	HTML template.HTML
	// Sort keys (sortNormRows).
	nameKey, consultantKey string
}

// normColumn is one requirement column with its counts.
type normColumn struct {
	Code                         string
	Label                        string
	Header                       sortHeader
	Met, NotMet, NA, NotRecorded int
	Applies                      bool
}

type complianceDashboardData struct {
	Region      mtvp.Region
	Base        string
	Period      normPeriod
	Query       normQuery
	IsAdmin     bool
	OwnOnly     bool // a consultant: only their own practices
	Consultants []mtvp.User
	Waves       []string
	Reqs        []option
	Columns     []normColumn
	Headers     map[string]sortHeader
	Rows        []normRow
	AtRisk      []normRow
	// AtRiskHTML is the list of AtRisk, built in Go as the rows are.
	AtRiskHTML  template.HTML
	InScope     int // practices in the standing before filters
	Compliant   int // of Rows
	Filtered    bool
	DaysLeft    int
	CanSnapshot bool
	ClearURL    string
	ExportQuery string // the filters, for the export links
	// DashboardHTML is the whole "norm-dashboard" block once rendered for
	// cacheKey (getComplianceDashboard); empty until then.
	DashboardHTML template.HTML
	cacheKey      normCacheKey
}

func (s *Server) getComplianceDashboard(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	d, err := s.complianceDashboard(r, reg)
	if err != nil {
		return err
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "compliance"
	if d.Period.Problem != "" {
		v.Errors = mtvp.FieldErrors{"peildatum": d.Period.Problem}
	} else if d.cacheKey != (normCacheKey{}) {
		// The dashboard block depends only on d and the language: it is
		// rendered once per cache key, the layout around it per request.
		h, ok := s.normHTML.Get(d.cacheKey)
		if !ok {
			t, found := s.pages.pages[i18n.Lang(v.Lang)]["compliance_region"]
			if !found {
				return fmt.Errorf("no page compliance_region")
			}
			var buf bytes.Buffer
			if err := t.ExecuteTemplate(&buf, "norm-dashboard", v); err != nil {
				return err
			}
			h = template.HTML(buf.String())
			s.normHTML.Add(d.cacheKey, h)
		}
		d.DashboardHTML = h
		v.Data = d
		v.cacheAs(d.cacheKey)
	}
	return s.render(w, r, http.StatusOK, "compliance_region", v)
}

// complianceDashboard builds the live norms dashboard with the request's
// filters: the page and its exports show the same rows.
func (s *Server) complianceDashboard(r *http.Request, reg mtvp.Region) (complianceDashboardData, error) {
	u := currentUser(r)
	scope, ok := u.PracticeScope(mtvp.PracticeFilter{RegionID: reg.ID})
	if !ok || !u.CanSeeComplianceDashboard(reg.ID) {
		return complianceDashboardData{}, mtvp.Errorf(mtvp.EFORBIDDEN, "may not see the standing of practices")
	}
	ctx := r.Context()
	lang := s.lang(r)
	period := s.readNormPeriod(r, reg)
	q := readNormQuery(r)
	d := complianceDashboardData{Region: reg, Base: complianceURL(reg), Period: period, IsAdmin: u.CanAdminRegion(reg.ID),
		CanSnapshot: u.CanSeeSnapshots(reg.ID), DaysLeft: mtvp.DaysLeft(period.Year, period.Today)}
	d.OwnOnly = !d.IsAdmin
	if d.OwnOnly && q.Consultant != "" {
		q.Consultant = "" // consultants see only their own practices anyway
	}
	if q.Consultant == "mij" && !isConsultantIn(u, reg.ID) {
		q.Consultant = ""
	}
	d.Query = q
	// The evaluated standings (cached until the region changes, see
	// store.RegionStandings) carry each practice (with its consultant's
	// name and inflow wave), so the page needs no list queries of its own:
	// the scope is applied here and the filter choices come from these
	// practices.
	counter, err := s.regionChange(ctx, reg.ID)
	if err != nil {
		return d, err
	}
	rs, err := s.db.RegionStandingsAt(ctx, reg.ID, period.Year, period.Ref, counter)
	if err != nil {
		return d, err
	}
	// The figures are kept per region change, caller, language, period
	// and filters (normCache): a region whose data did not change costs
	// the counter read and the template.
	key := s.regionPageKey(r, reg, rs.Counter)
	key.year, key.ref, key.today = period.Year, period.Ref, period.Today
	key.refText, key.problem, key.custom, key.q = period.RefText, period.Problem, period.Custom, q
	if cached, ok := s.normCache.Get(key); ok {
		return cached, nil
	}
	d = buildNormDashboard(d, u, scope, rs, lang)
	d.cacheKey = key
	s.normCache.Add(key, d)
	return d, nil
}

// normCacheKey is everything the dashboard's data depends on; the
// whole-page cache keys every cached page by one (regionPageKey).
type normCacheKey struct {
	region, counter int64
	year            int
	ref, today      mtvp.Date
	refText         string
	problem         string
	custom          bool
	user            int64
	lang            string
	q               normQuery
}

// normCacheEntries bounds normCache: a few pages per user and region.
const normCacheEntries = 256

// buildNormDashboard fills the rows, columns, counts and filter choices of
// d (region, period, query and the caller's flags set) from the region's
// standings. The result is shared through normCache: never modify it.
func buildNormDashboard(d complianceDashboardData, u *mtvp.User, scope mtvp.PracticeFilter, rs *store.RegionStandings, lang string) complianceDashboardData {
	reg, period, q := d.Region, d.Period, d.Query
	practices := make([]mtvp.Practice, 0, len(rs.Practices))
	consultants := map[int64]string{}
	waves := map[string]bool{}
	for _, ps := range rs.Practices {
		p := ps.Practice
		if scope.OnlyConsultant != 0 && p.ConsultantID != scope.OnlyConsultant {
			continue
		}
		if !mtvp.CountsInCompliance(p, period.Year) {
			continue
		}
		practices = append(practices, p)
		if p.ConsultantID != 0 {
			consultants[p.ConsultantID] = p.ConsultantName
		}
		if p.InflowWave != "" {
			waves[p.InflowWave] = true
		}
	}
	sort.Slice(practices, func(i, j int) bool { return practices[i].ID < practices[j].ID })
	for w := range waves {
		d.Waves = append(d.Waves, w)
	}
	sort.Strings(d.Waves)
	if d.IsAdmin {
		// The consultant filter offers the consultants of these practices.
		for id, name := range consultants {
			d.Consultants = append(d.Consultants, mtvp.User{ID: id, Name: name})
		}
		sort.Slice(d.Consultants, func(i, j int) bool {
			a, b := strings.ToLower(d.Consultants[i].Name), strings.ToLower(d.Consultants[j].Name)
			return a < b || a == b && d.Consultants[i].ID < d.Consultants[j].ID
		})
	}
	d.Reqs = []option{{Value: "", Label: i18n.T(lang, "normen.filter.all_requirements")}}
	for _, c := range mtvp.AllRequirements {
		if !reg.Settings.Applies(c) {
			continue
		}
		d.Reqs = append(d.Reqs, option{Value: string(c), Label: i18n.T(lang, "normen.req."+string(c)), Selected: string(c) == q.Req})
	}
	consultantID, _ := strconv.ParseInt(q.Consultant, 10, 64)
	if q.Consultant == "mij" {
		consultantID = u.ID
	}
	d.Filtered = q.Consultant != "" || q.Status != "" || q.Wave != ""
	cols := make([]normColumn, len(mtvp.AllRequirements))
	for i, c := range mtvp.AllRequirements {
		cols[i] = normColumn{Code: string(c), Label: i18n.T(lang, "normen.req."+string(c)), Applies: reg.Settings.Applies(c)}
	}
	labels := map[mtvp.ComplianceStatus]string{}
	for _, st := range mtvp.ComplianceStatuses {
		labels[st] = i18n.T(lang, "compliance.status."+string(st))
	}
	for _, p := range practices {
		ps, _ := rs.Practice(p.ID)
		d.InScope++
		switch {
		case q.Consultant == "geen" && p.ConsultantID != 0,
			consultantID != 0 && p.ConsultantID != consultantID,
			q.Consultant != "" && q.Consultant != "geen" && consultantID == 0,
			q.Wave != "" && p.InflowWave != q.Wave:
			continue
		}
		st := ps.Standing
		row := normRow{ID: p.ID, URL: practiceURL(reg, p.ID) + "/normen", Name: p.Name, AGB: p.AGB, Consultant: p.ConsultantName,
			Wave: p.InflowWave, Compliant: st.Compliant, AtRisk: mtvp.AtRisk(st, reg.Settings, period.Today)}
		if v := periodQuery(period); v != "" {
			row.URL += "?" + v
		}
		for _, res := range st.Requirements {
			c := normCellOf(lang, res, labels)
			c.Applies = reg.Settings.Applies(res.Code)
			row.Cells = append(row.Cells, c)
			if res.Status == mtvp.StatusMet {
				row.MetCount++
			}
			if res.Status == mtvp.StatusNotMet {
				row.Missing = append(row.Missing, c)
			}
		}
		if !normRowMatches(row, st, q) {
			continue
		}
		for i, res := range st.Requirements {
			if i >= len(cols) {
				break
			}
			switch res.Status {
			case mtvp.StatusMet:
				cols[i].Met++
			case mtvp.StatusNotMet:
				cols[i].NotMet++
			case mtvp.StatusNotApplicable:
				cols[i].NA++
			default:
				cols[i].NotRecorded++
			}
		}
		if row.Compliant {
			d.Compliant++
		}
		d.Rows = append(d.Rows, row)
	}
	sortNormRows(d.Rows, q.Sort, q.Desc)
	rowLabels := normRowLabels{Dash: "—", AllMet: i18n.T(lang, "normen.all_met"), NotAllMet: i18n.T(lang, "normen.not_all_met"),
		AtRisk: i18n.T(lang, "normen.at_risk_marker"), Consultant: !d.OwnOnly,
		ConsultantCol: i18n.T(lang, "normen.col.consultant"), WaveCol: i18n.T(lang, "normen.col.wave"), AllCol: i18n.T(lang, "normen.col.all")}
	for i := range d.Rows {
		d.Rows[i].HTML = normRowHTML(d.Rows[i], rowLabels)
	}
	for _, row := range d.Rows {
		if row.AtRisk {
			d.AtRisk = append(d.AtRisk, row)
		}
	}
	d.Headers = normHeaders(d.Base, q, period)
	for i := range cols {
		cols[i].Header = d.Headers[cols[i].Code]
	}
	d.Columns = cols
	d.ClearURL = d.Base
	if v := periodQuery(period); v != "" {
		d.ClearURL += "?" + v
	}
	d.AtRiskHTML = atRiskHTML(d.AtRisk)
	d.ExportQuery = q.values(period).Encode()
	return d
}

// atRiskHTML is the list of practices at risk with what they miss.
func atRiskHTML(rows []normRow) template.HTML {
	var b strings.Builder
	b.WriteString(`<ul id="norm-at-risk">`)
	for _, r := range rows {
		b.WriteString(`<li><a href="` + html.EscapeString(r.URL) + `">` + html.EscapeString(r.Name) + `</a>`)
		if r.Consultant != "" {
			b.WriteString(` (` + html.EscapeString(r.Consultant) + `)`)
		}
		b.WriteString(`<ul>`)
		for _, m := range r.Missing {
			b.WriteString(`<li>` + html.EscapeString(m.Req) + `: ` + html.EscapeString(m.Text) + `</li>`)
		}
		b.WriteString(`</ul></li>`)
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

// isConsultantIn reports a consultant grant in the region.
func isConsultantIn(u *mtvp.User, regionID int64) bool {
	for _, g := range u.Grants {
		if g.Role == mtvp.AccountConsultant && g.RegionID == regionID {
			return true
		}
	}
	return false
}

func periodQuery(p normPeriod) string {
	v := url.Values{}
	p.values(v)
	return v.Encode()
}

// normRowMatches applies the status filter: to one requirement when
// q.Req is set, else to the practice as a whole.
func normRowMatches(row normRow, st mtvp.Standing, q normQuery) bool {
	if q.Status == "" {
		return true
	}
	if q.Status == normStatusAtRisk {
		return row.AtRisk
	}
	met := row.Compliant
	if q.Req != "" {
		res := st.Requirement(mtvp.Requirement(q.Req))
		if res.Status == mtvp.StatusNotApplicable || res.Status == mtvp.StatusNotRecorded {
			return false
		}
		met = res.Status == mtvp.StatusMet
	}
	if q.Status == normStatusMet {
		return met
	}
	return !met
}

func normCellOf(lang string, res mtvp.RequirementResult, labels map[mtvp.ComplianceStatus]string) normCell {
	c := normCell{Code: string(res.Code), Req: i18n.T(lang, "normen.req."+string(res.Code)), Status: string(res.Status), Label: labels[res.Status], Text: explanation(lang, res)}
	if res.Denominator > 0 {
		c.Figure = i18n.T(lang, "normen.figure", res.Actual, res.Denominator, res.Required)
		if res.Pending > 0 && res.Status == mtvp.StatusNotMet {
			c.Figure += " · " + i18n.T(lang, "normen.figure_pending", res.Pending)
		}
	}
	c.HTML = normCellHTML(c.Status, c.Label, c.Figure)
	return c
}

type normRowLabels struct {
	Dash, AllMet, NotAllMet, AtRisk string
	Consultant                      bool // show the consultant column
	// Column names, repeated per cell as data-label for the phone layout
	// (the table becomes cards).
	ConsultantCol, WaveCol, AllCol string
}

// normRowHTML renders one dashboard row. With 200 practices a template
// would make some 3,000 escaping calls for the rows alone; here every value
// is escaped once with html.EscapeString.
func normRowHTML(r normRow, l normRowLabels) template.HTML {
	var b strings.Builder
	b.Grow(1024)
	esc := func(s string) {
		if s == "" {
			s = l.Dash
		}
		b.WriteString(html.EscapeString(s))
	}
	b.WriteString(`<tr><th scope="row"><a href="`)
	b.WriteString(html.EscapeString(r.URL))
	b.WriteString(`">`)
	esc(r.Name)
	b.WriteString(`</a><span class="norm-figure">`)
	esc(r.AGB)
	b.WriteString(`</span></th>`)
	td := func(label string) {
		b.WriteString(`<td data-label="`)
		b.WriteString(html.EscapeString(label))
		b.WriteString(`">`)
	}
	if l.Consultant {
		td(l.ConsultantCol)
		esc(r.Consultant)
		b.WriteString(`</td>`)
	}
	td(l.WaveCol)
	esc(r.Wave)
	b.WriteString(`</td>`)
	for _, c := range r.Cells {
		if c.Applies {
			td(c.Req)
			b.WriteString(string(c.HTML))
			b.WriteString(`</td>`)
		}
	}
	td(l.AllCol)
	if r.Compliant {
		b.WriteString(string(normCellHTML(string(mtvp.StatusMet), l.AllMet, "")))
	} else {
		b.WriteString(string(normCellHTML(string(mtvp.StatusNotMet), l.NotAllMet, "")))
	}
	if r.AtRisk {
		b.WriteString(`<span class="norm-figure">`)
		esc(l.AtRisk)
		b.WriteString(`</span>`)
	}
	b.WriteString("</td></tr>\n")
	return template.HTML(b.String()) // every value escaped above
}

// normCellHTML renders a status in words with its colour and figures, as
// the "norm-cell" partial does.
func normCellHTML(status, label, figure string) template.HTML {
	var b strings.Builder
	b.Grow(96 + len(label) + len(figure))
	b.WriteString(`<span class="badge norm--`)
	b.WriteString(html.EscapeString(status))
	b.WriteString(`">`)
	b.WriteString(html.EscapeString(label))
	b.WriteString(`</span>`)
	if figure != "" {
		b.WriteString(`<span class="norm-figure">`)
		b.WriteString(html.EscapeString(figure))
		b.WriteString(`</span>`)
	}
	return template.HTML(b.String()) // every part escaped above
}

// explanation is the requirement's sentence in lang.
func explanation(lang string, res mtvp.RequirementResult) string {
	if lang == "nl" || res.MessageKey == "" {
		return res.Explanation
	}
	return i18n.T(lang, res.MessageKey, res.Args...)
}

// statusRank orders statuses for sorting: not met first when ascending.
func statusRank(s string) int {
	switch mtvp.ComplianceStatus(s) {
	case mtvp.StatusNotMet:
		return 0
	case mtvp.StatusNotRecorded:
		return 1
	case mtvp.StatusMet:
		return 2
	}
	return 3
}

func sortNormRows(rows []normRow, key string, desc bool) {
	idx := -1
	for i, c := range mtvp.AllRequirements {
		if string(c) == key {
			idx = i
		}
	}
	for i := range rows {
		rows[i].nameKey = strings.ToLower(rows[i].Name)
		if key == normSortConsultant {
			rows[i].consultantKey = strings.ToLower(rows[i].Consultant)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		var less, equal bool
		switch {
		case key == normSortConsultant:
			less, equal = a.consultantKey < b.consultantKey, a.consultantKey == b.consultantKey
		case key == normSortWave:
			less, equal = a.Wave < b.Wave, a.Wave == b.Wave
		case key == normSortMet:
			x, y := boolInt(a.Compliant)*100+a.MetCount, boolInt(b.Compliant)*100+b.MetCount
			less, equal = x < y, x == y
		case idx >= 0 && idx < len(a.Cells) && idx < len(b.Cells):
			x, y := statusRank(a.Cells[idx].Status), statusRank(b.Cells[idx].Status)
			less, equal = x < y, x == y
		default:
			equal = true
		}
		if equal {
			return a.nameKey < b.nameKey != (desc && key == normSortName)
		}
		return less != desc
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// normHeaders are the sortable column headings, keyed by sort key.
func normHeaders(base string, q normQuery, p normPeriod) map[string]sortHeader {
	keys := []string{normSortName, normSortConsultant, normSortWave, normSortMet}
	for _, c := range mtvp.AllRequirements {
		keys = append(keys, string(c))
	}
	out := map[string]sortHeader{}
	for _, k := range keys {
		h := sortHeader{Key: k}
		next := q
		next.Sort = k
		if q.Sort == k {
			h.Aria = "ascending"
			if q.Desc {
				h.Aria = "descending"
			}
			next.Desc = !q.Desc
		} else {
			next.Desc = false
		}
		h.URL = base
		if enc := next.values(p).Encode(); enc != "" {
			h.URL += "?" + enc
		}
		out[k] = h
	}
	return out
}

// ---- one practice ----

// standingPerson is one person counted in a norm.
type standingPerson struct {
	Name, Role, State, Via string
	Met                    bool
}

// standingEnrolment is an upcoming training place that would make a person
// count once completed.
type standingEnrolment struct {
	Person, Training, Date string
}

type standingRequirement struct {
	normCell
	Name       string
	Applies    bool
	Required   int
	Actual     int
	Pending    int
	Denom      int
	People     []standingPerson
	Next       []string
	Enrolments []standingEnrolment
	// WouldMeet: pending claims, places and enrolments together would meet
	// the norm.
	WouldMeet bool
}

type practiceStandingData struct {
	Region       mtvp.Region
	Practice     mtvp.Practice
	Base         string // the practice page
	Self         string // this page
	Period       normPeriod
	Compliant    bool
	AtRisk       bool
	InProgramme  bool
	DaysLeft     int
	Requirements []standingRequirement
	CanList      bool
	Dashboard    string
}

func (s *Server) getPracticeStanding(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanSeePracticeStanding(&p) {
		return notFound
	}
	ctx := r.Context()
	lang := s.lang(r)
	period := s.readNormPeriod(r, reg)
	f, err := s.db.PracticeComplianceFacts(ctx, p.ID, period.Year, period.Ref)
	if err != nil {
		return err
	}
	st := mtvp.EvaluateCompliance(f, reg.Settings, period.Year, period.Ref)
	d := practiceStandingData{Region: reg, Practice: p, Base: practiceURL(reg, p.ID), Period: period, Compliant: st.Compliant,
		AtRisk: mtvp.AtRisk(st, reg.Settings, period.Today), InProgramme: mtvp.CountsInCompliance(p, period.Year),
		DaysLeft: mtvp.DaysLeft(period.Year, period.Today), CanList: u.CanSeeComplianceDashboard(reg.ID), Dashboard: complianceURL(reg)}
	d.Self = d.Base + "/normen"
	labels := map[mtvp.ComplianceStatus]string{}
	for _, x := range mtvp.ComplianceStatuses {
		labels[x] = i18n.T(lang, "compliance.status."+string(x))
	}
	for _, res := range st.Requirements {
		sr := standingRequirement{normCell: normCellOf(lang, res, labels), Name: i18n.T(lang, "normen.req."+string(res.Code)),
			Applies: reg.Settings.Applies(res.Code), Required: res.Required, Actual: res.Actual, Pending: res.Pending, Denom: res.Denominator}
		for i, m := range res.NextMsgs {
			if lang == "nl" && i < len(res.Next) {
				sr.Next = append(sr.Next, res.Next[i])
			} else {
				sr.Next = append(sr.Next, m.Text(lang))
			}
		}
		for _, np := range res.People {
			sp := standingPerson{Name: np.Name, Role: i18n.T(lang, "role."+string(np.Role)), Met: np.Met, Via: np.Via}
			switch {
			case np.Met:
				sp.State = i18n.T(lang, "normen.person.met")
				if !np.ViaDate.IsZero() {
					sp.Via = strings.TrimSpace(sp.Via + " " + i18n.T(lang, "normen.person.on", np.ViaDate.Short()))
				}
				if np.ByClaim {
					sp.Via = strings.TrimSpace(sp.Via + " " + i18n.T(lang, "normen.person.by_claim"))
				}
				if np.ViaActivity != 0 {
					sp.Via = strings.TrimSpace(sp.Via + " " + i18n.T(lang, "normen.person.by_activity"))
				}
			case np.Pending && np.PendingVia != "":
				sp.State = i18n.T(lang, "normen.person.pending.enrolled", np.PendingVia, np.PendingOn.Short())
				sr.Enrolments = append(sr.Enrolments, standingEnrolment{Person: np.Name, Training: np.PendingVia, Date: np.PendingOn.Short()})
			case np.Pending:
				sp.State = i18n.T(lang, "normen.person.pending."+string(res.Code))
			case np.NoMeetingLeft:
				sp.State = i18n.T(lang, "normen.person.no_meeting_left")
			default:
				sp.State = i18n.T(lang, "normen.person.not_met")
			}
			sr.People = append(sr.People, sp)
		}
		// Places in sessions of the year are pending in the domain
		// (mtvp.EvaluateCompliance), so nothing else is under way here.
		sr.WouldMeet = res.WouldMeet(nil)
		d.Requirements = append(d.Requirements, sr)
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = navForPractice(v.User, p)
	if period.Problem != "" {
		v.Errors = mtvp.FieldErrors{"peildatum": period.Problem}
	}
	return s.render(w, r, http.StatusOK, "compliance_practice", v)
}
