package web

// The region's consult duration (issue 15 §5): its practices' agenda
// aggregates summed per week and quarter (mtvp.BuildRegionConsult), for
// its funders and region admins — region aggregates only, suppressed as
// the funders' other figures.

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"

	"meertijd/internal/chart"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// regionConsultWeeksShown is how many weeks the region page shows.
const regionConsultWeeksShown = 52

func (s *Server) regionConsultRoutes() []route {
	return []route{
		{"GET /regio/{region}/consultduur", signedIn, s.getRegionConsult},
	}
}

func regionConsultURL(reg mtvp.Region) string {
	return "/regio/" + url.PathEscape(reg.Code) + "/consultduur"
}

type regionConsultRow struct {
	Label     string
	Hidden    string // why the figures are not shown ("" when shown)
	Practices string
	Consults  string
	Mean      string
	MeetsGoal bool
	Buckets   []string
	Doubles   string
	PerFTE    string
}

type regionConsultData struct {
	Region   mtvp.Region
	Base     string
	Role     mtvp.ConsultRole
	RoleName string
	Roles    []option
	HasData  bool
	Summary  string
	LineSVG  template.HTML
	Buckets  []string
	Quarters []regionConsultRow
	Weeks    []regionConsultRow
	PerFTE   bool // the role has consults per FTE GP (huisarts)
	Goal     int  // minutes
	Floor    int  // practices: mtvp.SuppressBelow
}

// getRegionConsult: the region's funders and admins; other members 403,
// outsiders 404.
func (s *Server) getRegionConsult(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanSeeRegionConsult(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "the region's consult duration is for its funders and admins")
	}
	ctx := r.Context()
	lang := s.lang(r)
	d := &regionConsultData{Region: reg, Base: regionConsultURL(reg), Role: mtvp.ConsultHuisarts, Buckets: mtvp.ConsultBucketLabels[:],
		Goal: mtvp.ConsultGoalMinutes, Floor: mtvp.SuppressBelow}
	if q := mtvp.ConsultRole(r.URL.Query().Get("rol")); q.Valid() {
		d.Role = q
	}
	d.RoleName = i18n.T(lang, "consult.role."+string(d.Role))
	d.PerFTE = d.Role == mtvp.ConsultHuisarts
	for _, role := range mtvp.ConsultRoles {
		d.Roles = append(d.Roles, option{Value: string(role), Label: i18n.T(lang, "consult.role."+string(role)), Selected: role == d.Role})
	}
	figs, err := s.db.RegionConsultFigures(ctx, reg.ID, d.Role)
	if err != nil {
		return err
	}
	rc := mtvp.BuildRegionConsult(figs, d.Role)
	if rc.HasData() {
		regionConsultPage(lang, d, rc)
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "consult"
	return s.render(w, r, http.StatusOK, "consult_region", v)
}

// regionConsultPage fills the chart, tables and summary: the last
// regionConsultWeeksShown weeks, every quarter they touch.
func regionConsultPage(lang string, d *regionConsultData, rc mtvp.RegionConsult) {
	d.HasData = true
	ws := rc.Weeks[max(0, len(rc.Weeks)-regionConsultWeeksShown):]
	labels := make([]string, len(ws))
	means := make([]float64, len(ws))
	shown, met := 0, 0
	for i, f := range ws {
		labels[i] = fmt.Sprintf("%d", f.Week.Week)
		means[i] = f.Mean
		if !f.Hidden() {
			shown++
			if f.MeetsGoal {
				met++
			}
		}
		d.Weeks = append(d.Weeks, regionConsultRowOf(lang, weekLabel(lang, f.Week), f))
	}
	firstQ := ws[0].Quarter
	for _, f := range rc.Quarters {
		if f.Quarter.Year > firstQ.Year || f.Quarter.Year == firstQ.Year && f.Quarter.Q >= firstQ.Q {
			d.Quarters = append(d.Quarters, regionConsultRowOf(lang, f.Quarter.String(), f))
		}
	}
	first, last := weekLabel(lang, ws[0].Week), weekLabel(lang, ws[len(ws)-1].Week)
	d.Summary = i18n.T(lang, "consult.region.summary", d.RoleName, first, last, shown, len(ws), met, mtvp.ConsultGoalMinutes, mtvp.SuppressBelow)
	d.LineSVG = template.HTML(chart.Line{
		ID: "consult-region-mean", Title: i18n.T(lang, "consult.region.chart_title", d.RoleName), Desc: d.Summary,
		XLabels: labels, Series: []chart.Series{{Name: d.Region.Name, Values: means}},
		YLabel: i18n.T(lang, "consult.minutes"), XLabel: i18n.T(lang, "consult.week_axis"), IncludeZero: true,
		RefLines: []chart.RefLine{{Value: mtvp.ConsultGoalMinutes, Label: i18n.T(lang, "consult.goal_label", mtvp.ConsultGoalMinutes), Kind: chart.RefGoal}},
	}.SVG())
}

func regionConsultRowOf(lang string, label string, f mtvp.RegionConsultFigure) regionConsultRow {
	row := regionConsultRow{Label: label}
	switch f.State {
	case mtvp.Shown:
	case mtvp.Complementary:
		row.Hidden = i18n.T(lang, "consult.region.hidden_compl")
		return row
	default:
		row.Hidden = i18n.T(lang, "consult.region.hidden_small", mtvp.SuppressBelow)
		return row
	}
	row.Practices = i18n.Integer(lang, f.Practices)
	row.Consults = i18n.Integer(lang, int(f.Consults))
	row.Mean, row.MeetsGoal = i18n.Decimal(lang, f.Mean, 1), f.MeetsGoal
	for _, sh := range f.BucketShares {
		row.Buckets = append(row.Buckets, pct(lang, sh))
	}
	row.Doubles = pct(lang, f.DoubleShare)
	row.PerFTE = "—"
	if !math.IsNaN(f.PerGPFTE) {
		row.PerFTE = i18n.Decimal(lang, f.PerGPFTE, 0)
	}
	return row
}
