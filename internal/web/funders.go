package web

import (
	"net/http"
	"net/url"
	"path"
	"strconv"

	"meertijd/internal/export"
	"meertijd/internal/i18n"
	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Accountability to the insurers (issue 7): the funders' landing page with
// region-level figures only (mtvp.BuildFunderFigures, suppression applied),
// the quarterly participation list the region sends its insurers, the
// named intervision participation list (only when the region shares its
// lists) and the annual report PDF of each year (funders_report.go).

func (s *Server) funderRoutes() []route {
	const base = "/regio/{region}/verantwoording"
	return []route{
		{"GET " + base, signedIn, s.getFunderFigures},
		{"GET " + base + "/deelnemers.csv", signedIn, s.getParticipantList},
		{"GET " + base + "/deelnemers.xlsx", signedIn, s.getParticipantList},
		{"GET " + base + "/intervisie-deelname.csv", signedIn, s.getIntervisionParticipation},
		{"GET " + base + "/intervisie-deelname.xlsx", signedIn, s.getIntervisionParticipation},
		{"GET " + base + "/jaarverslag.pdf", signedIn, s.getAnnualReport},
	}
}

func funderURL(reg mtvp.Region) string {
	return "/regio/" + url.PathEscape(reg.Code) + "/verantwoording"
}

// funderRegion: the region's funders and admins; other members 403,
// outsiders 404.
func (s *Server) funderRegion(r *http.Request) (mtvp.Region, error) {
	reg, err := s.regionFor(r)
	if err == nil && !currentUser(r).CanSeeFunderFigures(reg.ID) {
		err = mtvp.Errorf(mtvp.EFORBIDDEN, "not a funder or admin of the region")
	}
	return reg, err
}

// funderYear reads ?jaar=, defaulting to this year; years before the
// programme or after next year are refused as not found.
func (s *Server) funderYear(r *http.Request, reg mtvp.Region) (int, error) {
	now := s.cfg.Now().In(amsterdam).Year()
	v := r.URL.Query().Get("jaar")
	if v == "" {
		return now, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > now+1 {
		return 0, mtvp.Errorf(mtvp.EINVALID, "funders.err.year")
	}
	return y, nil
}

// funderYears lists the years a funder may choose: from the programme's
// start to this year.
func funderYears(reg mtvp.Region, now, year int) []int {
	first := now
	if !reg.ProgrammeStart.IsZero() && reg.ProgrammeStart.Year() < first {
		first = reg.ProgrammeStart.Year()
	}
	if year < first {
		first = year
	}
	last := now
	if year > last {
		last = year
	}
	var out []int
	for y := last; y >= first; y-- {
		out = append(out, y)
	}
	return out
}

// funderFigures loads and computes the figures of a year: the one path
// behind the page, the API (its own copy of this call) and the report.
func (s *Server) funderFigures(r *http.Request, reg mtvp.Region, year int) (mtvp.FunderFigures, error) {
	in, err := s.db.FunderInput(r.Context(), reg, year, mtvp.DateOf(s.cfg.Now()))
	if err != nil {
		return mtvp.FunderFigures{}, err
	}
	return mtvp.BuildFunderFigures(in), nil
}

type funderPageData struct {
	Region   mtvp.Region
	Year     int
	ThisYear int
	Years    []int
	F        mtvp.FunderFigures
	Base     string
	IsFunder bool
	CanAdmin bool
	// Lists: this viewer may download the named participation lists
	// (region admins always, funders only when the region shares them).
	Lists    bool
	Quarters []mtvp.Quarter
	Quarter  mtvp.Quarter
	MaxBar   int
	// News: the region's announcements for a funder (its landing page).
	News []mail.NewsletterItem
}

func (s *Server) getFunderFigures(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.funderRegion(r)
	if err != nil {
		return err
	}
	year, err := s.funderYear(r, reg)
	if err != nil {
		return err
	}
	f, err := s.funderFigures(r, reg, year)
	if err != nil {
		return err
	}
	u := currentUser(r)
	now := s.cfg.Now().In(amsterdam).Year()
	today := mtvp.DateOf(s.cfg.Now())
	d := funderPageData{Region: reg, Year: year, ThisYear: now, Years: funderYears(reg, now, year), F: f, Base: funderURL(reg),
		IsFunder: u.IsFunderIn(reg.ID), CanAdmin: u.CanAdminRegion(reg.ID),
		Lists: u.CanSeeParticipation(&reg), Quarters: mtvp.QuartersOf(year), Quarter: mtvp.QuarterOf(today)}
	if year != today.Year() {
		d.Quarter = mtvp.Quarter{Year: year, Q: 4}
	}
	if u.OnlyFunderIn(reg.ID) {
		if d.News, err = s.homeNews(r, reg); err != nil {
			return err
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "funders"
	return s.render(w, r, http.StatusOK, "funders", v)
}

// FunderShare states a suppressed share in words: "41 van 58 (71 %)",
// "< 5 van 58", "meer dan 53 van 58" or "te weinig praktijken".
func (v *view) FunderShare(sh mtvp.FunderShare) string {
	switch sh.Bound {
	case mtvp.ShareExact:
		return i18n.T(v.Lang, "funders.share.exact", i18n.Integer(v.Lang, sh.Met.N), i18n.Integer(v.Lang, sh.Of.N), sh.Percent)
	case mtvp.ShareBelow:
		return i18n.T(v.Lang, "funders.share.below", mtvp.SuppressBelow, i18n.Integer(v.Lang, sh.Of.N))
	case mtvp.ShareAbove:
		return i18n.T(v.Lang, "funders.share.above", i18n.Integer(v.Lang, sh.AboveFloor()), i18n.Integer(v.Lang, sh.Of.N))
	case mtvp.ShareHidden:
		return i18n.T(v.Lang, "funders.share.hidden")
	}
	return i18n.T(v.Lang, "funders.share.none", mtvp.SuppressBelow)
}

// FunderCount formats a count in the page's language ("< 5" when
// suppressed, "x" when withheld to protect another count, "ca. 18.000"
// when rounded).
func (v *view) FunderCount(c mtvp.FunderCount) string {
	if c.Suppressed {
		return c.String()
	}
	if c.Rounded {
		return i18n.T(v.Lang, "funders.rounded", i18n.Integer(v.Lang, c.N))
	}
	return i18n.Integer(v.Lang, c.N)
}

// ---- the quarterly participation list ----

func participantTable(lang string, q mtvp.Quarter, ps []mtvp.Participant) export.Table {
	t := export.Table{Name: i18n.T(lang, "funders.list.sheet", q.String()), Header: []string{
		i18n.T(lang, "funders.list.agb"), i18n.T(lang, "funders.list.name"), i18n.T(lang, "funders.list.patients"),
		i18n.T(lang, "funders.list.start"), i18n.T(lang, "funders.list.status"),
	}}
	for _, p := range ps {
		status := ""
		if p.Status == mtvp.PracticeStopped {
			status = i18n.T(lang, "funders.list.stopped_on", p.StoppedOn.Short())
		}
		t.Rows = append(t.Rows, []any{p.AGB, p.Name, p.RegisteredPatients, p.JoinedOn.Short(), status})
	}
	return t
}

// getParticipantList: ?kwartaal=2026-Q1 (default: this quarter).
func (s *Server) getParticipantList(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanDownloadParticipantList(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "participant list is the region's")
	}
	q := mtvp.QuarterOf(mtvp.DateOf(s.cfg.Now()))
	if v := r.URL.Query().Get("kwartaal"); v != "" {
		var ok bool
		if q, ok = mtvp.ParseQuarter(v); !ok {
			return mtvp.Errorf(mtvp.EINVALID, "funders.err.quarter")
		}
	}
	ps, err := s.db.Participants(r.Context(), reg.ID)
	if err != nil {
		return err
	}
	return trSendTable(w, path.Ext(r.URL.Path)[1:], "deelnemers-"+reg.Code+"-"+q.String(), participantTable(s.lang(r), q, mtvp.ParticipationList(ps, q)))
}

// ---- the named intervision participation list ----

func intervisionParticipationTable(lang string, year int, rows []store.IntervisionParticipationRow) export.Table {
	t := export.Table{Name: i18n.T(lang, "funders.iv.sheet", year), Header: []string{
		i18n.T(lang, "funders.iv.group"), i18n.T(lang, "funders.list.agb"), i18n.T(lang, "funders.iv.practice"),
		i18n.T(lang, "funders.iv.name"), i18n.T(lang, "funders.iv.role"), i18n.T(lang, "funders.iv.joined"),
		i18n.T(lang, "funders.iv.left"), i18n.T(lang, "funders.iv.attended"),
	}}
	for _, x := range rows {
		t.Rows = append(t.Rows, []any{x.Group, x.PracticeAGB, x.PracticeName, x.PersonName, i18n.T(lang, "role."+string(x.Role)),
			x.Joined.Time(), x.Left.Time(), x.Attended})
	}
	return t
}

// getIntervisionParticipation: region admins; funders only when the region
// shares its participation lists (?jaar=, default this year).
func (s *Server) getIntervisionParticipation(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanSeeParticipation(&reg) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "participation lists not shared")
	}
	year, err := s.funderYear(r, reg)
	if err != nil {
		return err
	}
	rows, err := s.db.IntervisionParticipation(r.Context(), reg.ID, year)
	if err != nil {
		return err
	}
	return trSendTable(w, path.Ext(r.URL.Path)[1:], "intervisie-deelname-"+reg.Code+"-"+strconv.Itoa(year), intervisionParticipationTable(s.lang(r), year, rows))
}
