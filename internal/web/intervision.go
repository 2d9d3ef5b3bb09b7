package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// Intervision pages: the region's "where is still room" overview, the group
// page (members, waiting list, meetings, attendance, year documents,
// accreditation lists, calendar link), forms for groups (region admins),
// meetings and attendance (the facilitator), sign-up and leaving (the
// practice), moving people (region admins), and the practice's own view.
func (s *Server) intervisionRoutes() []route {
	const g = "/regio/{region}/intervisie/{group}"
	return []route{
		{"GET /regio/{region}/intervisie", signedIn, s.getGroups},
		{"GET /regio/{region}/intervisie/nieuw", signedIn, s.getNewGroup},
		{"POST /regio/{region}/intervisie", signedIn, s.postNewGroup},
		{"GET " + g, signedIn, s.getGroup},
		{"GET " + g + "/bewerken", signedIn, s.getEditGroup},
		{"POST " + g, signedIn, s.postEditGroup},
		{"POST " + g + "/aanmelden", signedIn, s.postSignUp},
		{"POST " + g + "/leden/{member}/afmelden", signedIn, s.postLeave},
		{"POST " + g + "/leden/{member}/verplaatsen", signedIn, s.postMove},
		{"GET " + g + "/bijeenkomsten/nieuw", signedIn, s.getNewMeeting},
		{"POST " + g + "/bijeenkomsten", signedIn, s.postNewMeeting},
		{"GET " + g + "/bijeenkomsten/{meeting}", signedIn, s.getEditMeeting},
		{"POST " + g + "/bijeenkomsten/{meeting}", signedIn, s.postEditMeeting},
		{"POST " + g + "/bijeenkomsten/{meeting}/aanwezigheid", signedIn, s.postAttendance},
		{"GET " + g + "/jaarstukken", signedIn, s.getYearDocs},
		{"POST " + g + "/jaarstukken", signedIn, s.postYearDocs},
		{"GET " + g + "/bestanden/{kind}", signedIn, s.getGroupFile},
		{"GET " + g + "/accreditatie.xlsx", signedIn, s.getAccreditationXLSX},
		{"GET " + g + "/accreditatie.pdf", signedIn, s.getAccreditationPDF},
		{"GET /regio/{region}/praktijken/{practice}/intervisie", signedIn, s.getPracticeIntervision},
		{"POST /regio/{region}/praktijken/{practice}/intervisie", signedIn, s.postPracticeSignUp},
		{"GET /intervisie/agenda/{token}", public, s.getGroupCalendar},
		{"POST " + g + "/agenda/nieuwe-link", signedIn, s.postRotateCalendar},
	}
}

func groupsURL(reg mtvp.Region) string { return "/regio/" + url.PathEscape(reg.Code) + "/intervisie" }

func groupURL(reg mtvp.Region, id int64) string {
	return groupsURL(reg) + "/" + strconv.FormatInt(id, 10)
}

// groupFor loads {region} and {group}; a group the user may not see (another
// facilitator's, another region's) is not found.
func (s *Server) groupFor(r *http.Request) (mtvp.Region, mtvp.Group, error) {
	reg, err := s.regionFor(r)
	if err != nil {
		return reg, mtvp.Group{}, err
	}
	id, err := pathID(r, "group")
	if err != nil {
		return reg, mtvp.Group{}, err
	}
	g, err := s.db.GroupByID(r.Context(), id)
	if err != nil {
		return reg, g, err
	}
	if g.RegionID != reg.ID || !currentUser(r).CanSeeGroup(&g) {
		return reg, g, notFound
	}
	return reg, g, nil
}

// runGroupFor is groupFor for the facilitator's work: others who see the
// group get 403.
func (s *Server) runGroupFor(r *http.Request) (mtvp.Region, mtvp.Group, error) {
	reg, g, err := s.groupFor(r)
	if err == nil && !currentUser(r).CanRunGroup(&g) {
		err = mtvp.Errorf(mtvp.EFORBIDDEN, "does not run this group")
	}
	return reg, g, err
}

// manageGroupFor is groupFor for region admins' changes.
func (s *Server) manageGroupFor(r *http.Request) (mtvp.Region, mtvp.Group, error) {
	reg, g, err := s.groupFor(r)
	if err == nil && !currentUser(r).CanManageGroups(reg.ID) {
		err = mtvp.Errorf(mtvp.EFORBIDDEN, "not a region admin")
	}
	return reg, g, err
}

func (s *Server) today() mtvp.Date { return mtvp.DateOf(s.cfg.Now()) }

// weekdayOptions lists Monday … Sunday.
func weekdayOptions(lang string, selected int, emptyKey string) []option {
	var out []option
	if emptyKey != "" {
		out = append(out, option{Value: "", Label: i18n.T(lang, emptyKey), Selected: selected == 0})
	}
	for d := 1; d <= 7; d++ {
		out = append(out, option{Value: strconv.Itoa(d), Label: i18n.T(lang, "intervision.weekday."+strconv.Itoa(d)), Selected: d == selected})
	}
	return out
}

// ---- overview: "where is still room" ----

type groupRow struct {
	mtvp.GroupSummary
	URL     string // "" when the user may not open the group
	DayName string
}

type groupsData struct {
	Region      mtvp.Region
	Year        int
	Years       []option
	Places      []option
	Days        []option
	OnlyFree    bool
	Place       string
	Day         int
	Rows        []groupRow
	TotalFree   int
	CanManage   bool
	ShowFac     bool
	OnlyOwn     bool
	PracticeURL string // the practice login's own intervision page
}

func (s *Server) getGroups(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanSeeIntervision(reg.ID) {
		return notFound
	}
	lang := s.lang(r)
	q := r.URL.Query()
	d := groupsData{Region: reg, Year: s.today().Year(), CanManage: u.CanManageGroups(reg.ID)}
	if y, err := strconv.Atoi(q.Get("jaar")); err == nil && y >= 2000 && y <= 2100 {
		d.Year = y
	}
	d.Place = strings.TrimSpace(q.Get("plaats"))
	d.Day, _ = strconv.Atoi(q.Get("dag"))
	if d.Day < 0 || d.Day > 7 {
		d.Day = 0
	}
	d.OnlyFree = q.Get("vrij") == "1"
	f := mtvp.GroupFilter{RegionID: reg.ID, Year: d.Year, Place: d.Place, Weekday: d.Day, OnlyFree: d.OnlyFree}
	if u.OnlyRoleInRegion(reg.ID, mtvp.AccountFacilitator) {
		f.FacilitatorID, d.OnlyOwn = u.ID, true
	}
	// Funders see places and room, not who facilitates.
	d.ShowFac = !u.OnlyRoleInRegion(reg.ID, mtvp.AccountFunder)
	groups, err := s.db.ListGroups(ctx, f)
	if err != nil {
		return err
	}
	for _, g := range groups {
		row := groupRow{GroupSummary: g, DayName: i18n.T(lang, "intervision.weekday."+strconv.Itoa(g.Weekday))}
		if u.CanSeeGroup(&g.Group) {
			row.URL = groupURL(reg, g.ID)
		}
		d.TotalFree += g.Free()
		d.Rows = append(d.Rows, row)
	}
	years, err := s.db.GroupYears(ctx, reg.ID)
	if err != nil {
		return err
	}
	seen := map[int]bool{}
	for _, y := range append([]int{d.Year, s.today().Year(), s.today().Year() + 1}, years...) {
		if !seen[y] {
			seen[y] = true
			d.Years = append(d.Years, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == d.Year})
		}
	}
	places, err := s.db.GroupPlaces(ctx, reg.ID, d.Year)
	if err != nil {
		return err
	}
	d.Places = []option{{Value: "", Label: i18n.T(lang, "intervision.all_places"), Selected: d.Place == ""}}
	for _, p := range places {
		d.Places = append(d.Places, option{Value: p, Label: p, Selected: strings.EqualFold(p, d.Place)})
	}
	d.Days = weekdayOptions(lang, d.Day, "intervision.all_days")
	for _, g := range u.Grants {
		if g.Role == mtvp.AccountPractice && g.RegionID == reg.ID {
			d.PracticeURL = practiceURL(reg, g.PracticeID) + "/intervisie"
			break
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "intervision"
	return s.render(w, r, http.StatusOK, "intervision_groups", v)
}
