package web

// Consultant visits: the consultant's own list ("Mijn bezoeken"), the
// region's coverage for a year and a practice's visit reports. Planning
// and recording forms are in visits_forms.go.

import (
	"net/http"
	"net/url"
	"strconv"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func (s *Server) visitRoutes() []route {
	const region = "/regio/{region}"
	const practice = region + "/praktijken/{practice}/bezoeken"
	return []route{
		{"GET " + region + "/bezoeken", signedIn, s.getVisitCoverage},
		{"GET " + region + "/bezoeken" + listExportSuffix + ".xlsx", signedIn, s.getVisitCoverage},
		{"GET " + region + "/bezoeken" + listExportSuffix + ".csv", signedIn, s.getVisitCoverage},
		{"GET " + region + "/mijn-bezoeken", signedIn, s.getMyVisits},
		{"GET " + practice, signedIn, s.getPracticeVisits},
		{"GET " + practice + "/nieuw", signedIn, s.getNewVisit},
		{"POST " + practice, signedIn, s.postNewVisit},
		{"GET " + practice + "/{visit}", signedIn, s.getVisit},
		{"POST " + practice + "/{visit}", signedIn, s.postVisitPlanning},
		{"GET " + practice + "/{visit}/verslag", signedIn, s.getVisitReport},
		{"POST " + practice + "/{visit}/verslag", signedIn, s.postVisitReport},
	}
}

func visitsURL(reg mtvp.Region, practiceID int64) string {
	return practiceURL(reg, practiceID) + "/bezoeken"
}

func visitURL(reg mtvp.Region, practiceID, id int64) string {
	return visitsURL(reg, practiceID) + "/" + strconv.FormatInt(id, 10)
}

func coverageURL(reg mtvp.Region) string { return "/regio/" + url.PathEscape(reg.Code) + "/bezoeken" }
func myVisitsURL(reg mtvp.Region) string {
	return "/regio/" + url.PathEscape(reg.Code) + "/mijn-bezoeken"
}

// visitYear reads ?jaar=, defaulting to the current year.
func (s *Server) visitYear(r *http.Request) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("jaar")); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	return mtvp.DateOf(s.cfg.Now()).Year()
}

// visitYears offers the years around the current one (and the chosen one).
func visitYears(now, chosen int) []int {
	out := []int{}
	for y := now + 1; y >= now-3; y-- {
		out = append(out, y)
	}
	if chosen > now+1 || chosen < now-3 {
		out = append(out, chosen)
	}
	return out
}

// visitPracticeFor loads {region} and {practice} for the visit pages: the
// practice's managers and the practice itself; anyone else 404.
func (s *Server) visitPracticeFor(r *http.Request) (mtvp.Region, mtvp.Practice, error) {
	reg, p, err := s.practiceFor(r)
	if err == nil && !currentUser(r).CanSeeVisits(&p) {
		err = notFound
	}
	return reg, p, err
}

// visitOf loads {visit} of the practice as far as the user may see it.
func (s *Server) visitOf(r *http.Request, p mtvp.Practice) (mtvp.Visit, error) {
	id, err := pathID(r, "visit")
	if err != nil {
		return mtvp.Visit{}, err
	}
	v, err := s.db.VisitByID(r.Context(), id)
	if err != nil {
		return v, err
	}
	if !currentUser(r).CanSeeVisit(&p, &v) {
		return v, notFound
	}
	return v, nil
}

// manageVisits: 403 for a practice's own login (it reads, never writes).
func manageVisits(r *http.Request, p mtvp.Practice) error {
	if !currentUser(r).CanManageVisits(&p) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not manage visits")
	}
	return nil
}

// ---- coverage rows shared by the region page and "Mijn bezoeken" ----

type visitRow struct {
	mtvp.VisitCoverageRow
	URL       string // the practice's visits page
	VisitURL  string // the visit, when there is one
	ReportURL string // record the outcome (planned visits)
	PlanURL   string // plan a visit (none planned)
}

func visitRowsOf(reg mtvp.Region, c mtvp.VisitCoverage, year int) []visitRow {
	var out []visitRow
	for _, row := range c.Rows {
		vr := visitRow{VisitCoverageRow: row, URL: visitsURL(reg, row.PracticeID)}
		switch {
		case row.Visit != nil:
			vr.VisitURL = visitURL(reg, row.PracticeID, row.Visit.ID)
			if row.State == mtvp.VisitStatePlanned {
				vr.ReportURL = vr.VisitURL + "/verslag"
			}
		default:
			vr.PlanURL = visitsURL(reg, row.PracticeID) + "/nieuw?jaar=" + strconv.Itoa(year)
		}
		out = append(out, vr)
	}
	return out
}

// ---- region coverage ----

type visitCount struct {
	State  string
	Label  string
	Count  int
	URL    string
	Active bool
}

type coverageData struct {
	Region      mtvp.Region
	Base        string
	Year        int
	Years       []int
	Consultants []option
	State       string
	Counts      []visitCount
	Coverage    mtvp.VisitCoverage
	Rows        []visitRow
	Filtered    bool
}

func (s *Server) getVisitCoverage(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanSeeVisitCoverage(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not see visit coverage")
	}
	ctx := r.Context()
	lang := s.lang(r)
	q := r.URL.Query()
	year := s.visitYear(r)
	consultant, _ := strconv.ParseInt(q.Get("consulent"), 10, 64)
	state := q.Get("status")
	switch state {
	case string(mtvp.VisitStateVisited), string(mtvp.VisitStatePlanned), string(mtvp.VisitStateNotPlanned), "achterstallig":
	default:
		state = ""
	}
	cov, err := s.db.VisitCoverage(ctx, reg.ID, year, consultant, s.today(), reg.Settings.AtRiskDays)
	if err != nil {
		return err
	}
	d := coverageData{Region: reg, Base: coverageURL(reg), Year: year, Years: visitYears(s.today().Year(), year), State: state, Coverage: cov}
	cs, err := s.db.Consultants(ctx, reg.ID)
	if err != nil {
		return err
	}
	d.Consultants = []option{{Value: "", Label: i18n.T(lang, "visit.all_consultants"), Selected: consultant == 0}}
	for _, c := range cs {
		d.Consultants = append(d.Consultants, option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name, Selected: c.ID == consultant})
	}
	link := func(st string) string {
		v := url.Values{"jaar": {strconv.Itoa(year)}}
		if consultant != 0 {
			v.Set("consulent", strconv.FormatInt(consultant, 10))
		}
		if st != "" {
			v.Set("status", st)
		}
		return d.Base + "?" + v.Encode()
	}
	d.Counts = []visitCount{
		{State: "", Label: i18n.T(lang, "visit.coverage.all"), Count: cov.Total()},
		{State: string(mtvp.VisitStateVisited), Label: i18n.T(lang, "visit.state.bezocht"), Count: cov.Visited},
		{State: string(mtvp.VisitStatePlanned), Label: i18n.T(lang, "visit.state.gepland"), Count: cov.Planned},
		{State: string(mtvp.VisitStateNotPlanned), Label: i18n.T(lang, "visit.state.niet_gepland"), Count: cov.NotPlanned},
		{State: "achterstallig", Label: i18n.T(lang, "visit.overdue"), Count: cov.Overdue},
	}
	for i := range d.Counts {
		d.Counts[i].URL = link(d.Counts[i].State)
		d.Counts[i].Active = d.Counts[i].State == state
	}
	for _, row := range visitRowsOf(reg, cov, year) {
		switch {
		case state == "":
		case state == "achterstallig" && !row.Overdue:
			continue
		case state != "achterstallig" && string(row.State) != state:
			continue
		}
		d.Rows = append(d.Rows, row)
	}
	d.Filtered = state != "" || consultant != 0
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "visits"
	return s.render(w, r, http.StatusOK, "visits_region", v)
}

// ---- "Mijn bezoeken" ----

type myVisitsData struct {
	Region  mtvp.Region
	Base    string
	Year    int
	Years   []int
	Overdue []visitRow
	ToPlan  []visitRow
	Planned []visitRow
	Visited []visitRow
	Total   int
}

func (s *Server) getMyVisits(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanSeeMyVisits(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "not a consultant")
	}
	year := s.visitYear(r)
	cov, err := s.db.VisitCoverage(r.Context(), reg.ID, year, u.ID, s.today(), reg.Settings.AtRiskDays)
	if err != nil {
		return err
	}
	d := myVisitsData{Region: reg, Base: myVisitsURL(reg), Year: year, Years: visitYears(s.today().Year(), year), Total: cov.Total()}
	for _, row := range visitRowsOf(reg, cov, year) {
		switch {
		case row.Overdue:
			d.Overdue = append(d.Overdue, row)
		case row.State == mtvp.VisitStateVisited:
			d.Visited = append(d.Visited, row)
		case row.State == mtvp.VisitStatePlanned:
			d.Planned = append(d.Planned, row)
		default:
			d.ToPlan = append(d.ToPlan, row)
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "my-visits"
	return s.render(w, r, http.StatusOK, "visits_mine", v)
}

// ---- a practice's visits ----

type practiceVisitsData struct {
	Region    mtvp.Region
	Practice  mtvp.Practice
	Base      string
	Year      int
	CanManage bool
	Visits    []mtvp.Visit
	Standing  mtvp.VisitStanding
	PlanURL   string
}

func (s *Server) getPracticeVisits(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.visitPracticeFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	d := practiceVisitsData{Region: reg, Practice: p, Base: visitsURL(reg, p.ID), Year: s.today().Year(), CanManage: u.CanManageVisits(&p)}
	all, err := s.db.ListVisits(r.Context(), store.VisitFilter{PracticeID: p.ID, OnlyRecorded: !d.CanManage})
	if err != nil {
		return err
	}
	d.Visits = all
	d.Standing = mtvp.StandingOfVisits(all, d.Year, s.today(), reg.Settings.AtRiskDays)
	if d.CanManage && d.Standing.Visit == nil {
		d.PlanURL = d.Base + "/nieuw?jaar=" + strconv.Itoa(d.Year)
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "practices"
	return s.render(w, r, http.StatusOK, "visits_practice", v)
}
