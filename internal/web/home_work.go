package web

// The work sections of the region's home page (issue 10): each role lands
// on what waits for it. A login with several grants in the region gets one
// section per grant. Every standing comes from store.RegionStandings (one
// cached evaluation of the region by mtvp.EvaluateCompliance); the counts
// are region queries, never one per practice.

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// maxHomeRows bounds each list on the home page; the full list is one
// link away.
const maxHomeRows = 8

// workPractice is a practice that needs attention, with the requirements
// it does not meet (names only).
type workPractice struct {
	ID      int64
	Name    string
	URL     string // its standing page
	AtRisk  bool
	Missing []string
}

// standingCounts are the compliance figures of a set of practices.
type standingCounts struct {
	Counted, Compliant, NotCompliant, AtRisk int
	AtRiskRows                               []workPractice // at most maxHomeRows
}

// countStandings evaluates nothing: it counts the cached standings of the
// practices that take part this year (only consultantID's when not 0).
func countStandings(lang string, reg mtvp.Region, rs *store.RegionStandings, consultantID int64, today mtvp.Date) standingCounts {
	var c standingCounts
	for _, ps := range rs.Practices {
		p := ps.Practice
		if !mtvp.CountsInCompliance(p, rs.Year) || (consultantID != 0 && p.ConsultantID != consultantID) {
			continue
		}
		c.Counted++
		if ps.Standing.Compliant {
			c.Compliant++
			continue
		}
		c.NotCompliant++
		if !mtvp.AtRisk(ps.Standing, rs.Settings, today) {
			continue
		}
		c.AtRisk++
		if len(c.AtRiskRows) < maxHomeRows {
			row := workPractice{ID: p.ID, Name: p.Name, URL: practiceURL(reg, p.ID) + "/normen", AtRisk: true}
			for _, res := range ps.Standing.Requirements {
				if res.Status == mtvp.StatusNotMet {
					row.Missing = append(row.Missing, i18n.T(lang, "normen.req."+string(res.Code)))
				}
			}
			c.AtRiskRows = append(c.AtRiskRows, row)
		}
	}
	return c
}

// managerWork is the programme manager's section.
type managerWork struct {
	Standing        standingCounts
	DaysLeft        int
	NormsURL        string
	ClaimsPending   int
	PlansDiscussion int
	PlansConcept    int
	PlansNone       int
	VisitsOverdue   int
	Trend           trendChart
}

func (s *Server) managerWork(ctx context.Context, lang string, reg mtvp.Region, rs *store.RegionStandings, today mtvp.Date) (*managerWork, error) {
	year := rs.Year
	m := &managerWork{Standing: countStandings(lang, reg, rs, 0, today), DaysLeft: mtvp.DaysLeft(year, today), NormsURL: complianceURL(reg)}
	var err error
	if m.ClaimsPending, err = s.db.PendingClaimCount(ctx, reg.ID, 0); err != nil {
		return nil, err
	}
	plans, err := s.db.PlanOverview(ctx, reg.ID, year, 0)
	if err != nil {
		return nil, err
	}
	active := map[int64]bool{}
	for _, ps := range rs.Practices {
		active[ps.Practice.ID] = mtvp.CountsInCompliance(ps.Practice, year)
	}
	for _, p := range plans {
		if !active[p.PracticeID] {
			continue
		}
		switch p.Status {
		case mtvp.PlanDiscussion:
			m.PlansDiscussion++
		case mtvp.PlanConcept:
			m.PlansConcept++
		case mtvp.PlanNone:
			m.PlansNone++
		}
	}
	cov, err := s.db.VisitCoverage(ctx, reg.ID, year, 0, today, reg.Settings.AtRiskDays)
	if err != nil {
		return nil, err
	}
	m.VisitsOverdue = cov.Overdue
	points, err := s.db.ComplianceTrend(ctx, reg.ID, year, today)
	if err != nil {
		return nil, err
	}
	m.Trend = newTrendChart(lang, year, points)
	return m, nil
}

// consultantWork is the consultant's inbox.
type consultantWork struct {
	Claims        []workClaim
	ClaimCount    int
	ClaimsURL     string
	Plans         []workPlan
	VisitsOverdue []visitRow
	VisitsDue     []visitRow // planned within dueDays
	VisitsURL     string
	Standing      standingCounts
	NormsURL      string
	DaysLeft      int
	Empty         bool // nothing waits
}

type workClaim struct {
	URL, Person, Practice, Title string
	Submitted                    mtvp.Date
}

type workPlan struct {
	URL, Practice string
	Number        int
	Shared        mtvp.Date
}

// dueDays: a planned visit within this many days is "due" in the inbox.
const dueDays = 30

func (s *Server) consultantWork(ctx context.Context, lang string, reg mtvp.Region, rs *store.RegionStandings, u *mtvp.User, today mtvp.Date) (*consultantWork, error) {
	year := rs.Year
	c := &consultantWork{ClaimsURL: "/regio/" + url.PathEscape(reg.Code) + "/scholing/aanvragen", VisitsURL: myVisitsURL(reg),
		NormsURL: complianceURL(reg) + "?status=" + normStatusAtRisk, Standing: countStandings(lang, reg, rs, u.ID, today),
		DaysLeft: mtvp.DaysLeft(year, today)}
	claims, err := s.db.ListClaims(ctx, store.ClaimFilter{RegionID: reg.ID, Status: mtvp.ClaimPending, OnlyConsultant: u.ID})
	if err != nil {
		return nil, err
	}
	c.ClaimCount = len(claims)
	for i, cl := range claims {
		if i == maxHomeRows {
			break
		}
		c.Claims = append(c.Claims, workClaim{URL: c.ClaimsURL + "/" + strconv.FormatInt(cl.ID, 10), Person: cl.PersonName,
			Practice: cl.PracticeName, Title: cl.Title, Submitted: mtvp.DateOf(cl.CreatedAt)})
	}
	plans, err := s.db.PlansToComment(ctx, reg.ID, year, u.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		c.Plans = append(c.Plans, workPlan{URL: fmt.Sprintf("%s/plan/%d", practiceURL(reg, p.PracticeID), year), Practice: p.PracticeName,
			Number: p.Number, Shared: mtvp.DateOf(p.SharedAt)})
	}
	overdue, due, err := s.consultantVisits(ctx, reg, u.ID, year, today)
	if err != nil {
		return nil, err
	}
	c.VisitsOverdue, c.VisitsDue = overdue, due
	c.Empty = c.ClaimCount == 0 && len(c.Plans) == 0 && len(overdue) == 0 && len(due) == 0 && c.Standing.AtRisk == 0
	return c, nil
}

// consultantVisits splits the consultant's visit coverage into overdue
// visits and visits planned within dueDays (mtvp.StandingOfVisits decides
// what is overdue).
func (s *Server) consultantVisits(ctx context.Context, reg mtvp.Region, consultantID int64, year int, today mtvp.Date) (overdue, due []visitRow, err error) {
	cov, err := s.db.VisitCoverage(ctx, reg.ID, year, consultantID, today, reg.Settings.AtRiskDays)
	if err != nil {
		return nil, nil, err
	}
	soon := today.AddDays(dueDays)
	for _, row := range visitRowsOf(reg, cov, year) {
		switch {
		case row.Overdue:
			overdue = append(overdue, row)
		case row.State == mtvp.VisitStatePlanned && row.Visit != nil && !row.Visit.PlannedOn.After(soon):
			due = append(due, row)
		}
	}
	return overdue, due, nil
}

// navBadges are the counts the menu shows next to a consultant's work.
type navBadges struct {
	Claims, Plans, Visits int
}

// badgeKey is what a consultant's menu counts depend on: their region's
// data (its change counter) and the day (visits fall due).
type badgeKey struct {
	region, counter, consultant int64
	today                       mtvp.Date
}

// badgeCacheEntries bounds the badge cache: one entry per consultant and
// region whose data did not change.
const badgeCacheEntries = 1024

// consultantBadges counts a consultant's waiting work for the menu: three
// queries (claims, plans, visits) over their own practices, run again only
// when something in the region changed (every page shows the menu).
func (s *Server) consultantBadges(ctx context.Context, reg mtvp.Region, consultantID int64) (navBadges, error) {
	today := s.today()
	counter, err := s.regionChange(ctx, reg.ID)
	if err != nil {
		return navBadges{}, err
	}
	key := badgeKey{region: reg.ID, counter: counter, consultant: consultantID, today: today}
	if b, ok := s.badges.Get(key); ok {
		return b, nil
	}
	b, err := s.countConsultantWork(ctx, reg, consultantID, today)
	if err != nil {
		return b, err
	}
	s.badges.Add(key, b)
	return b, nil
}

func (s *Server) countConsultantWork(ctx context.Context, reg mtvp.Region, consultantID int64, today mtvp.Date) (navBadges, error) {
	var b navBadges
	var err error
	if b.Claims, err = s.db.PendingClaimCount(ctx, reg.ID, consultantID); err != nil {
		return b, err
	}
	plans, err := s.db.PlansToComment(ctx, reg.ID, today.Year(), consultantID)
	if err != nil {
		return b, err
	}
	b.Plans = len(plans)
	overdue, due, err := s.consultantVisits(ctx, reg, consultantID, today.Year(), today)
	if err != nil {
		return b, err
	}
	b.Visits = len(overdue) + len(due)
	return b, nil
}

// practiceWork is a practice's own section.
type practiceWork struct {
	ID           int64
	Name         string
	URL          string
	InProgramme  bool
	Compliant    bool
	AtRisk       bool
	DaysLeft     int
	Requirements []normCell
	Next         []string
	PlanStatus   mtvp.PlanStatus
	PlanKey      string // the plan's state in words
	PlanURL      string
	Intervision  int // places held this year
	IVWaiting    int // on a waiting list
	Training     int // training places not completed yet
	TRWaiting    int // on a training waiting list
	StandingURL  string
}

func (s *Server) practiceWork(ctx context.Context, lang string, reg mtvp.Region, rs *store.RegionStandings, g mtvp.Grant, today mtvp.Date) (*practiceWork, error) {
	year := rs.Year
	base := practiceURL(reg, g.PracticeID)
	pw := &practiceWork{ID: g.PracticeID, Name: g.PracticeName, URL: base, StandingURL: base + "/normen",
		PlanURL: fmt.Sprintf("%s/plan/%d", base, year), DaysLeft: mtvp.DaysLeft(year, today)}
	if ps, ok := rs.Practice(g.PracticeID); ok {
		st := ps.Standing
		pw.Name = ps.Practice.Name
		pw.InProgramme = mtvp.CountsInCompliance(ps.Practice, year)
		pw.Compliant, pw.AtRisk = st.Compliant, mtvp.AtRisk(st, rs.Settings, today)
		labels := map[mtvp.ComplianceStatus]string{}
		for _, x := range mtvp.ComplianceStatuses {
			labels[x] = i18n.T(lang, "compliance.status."+string(x))
		}
		for _, res := range st.Requirements {
			if !rs.Settings.Applies(res.Code) {
				continue
			}
			pw.Requirements = append(pw.Requirements, normCellOf(lang, res, labels))
			for _, m := range res.NextMsgs {
				pw.Next = append(pw.Next, m.Text(lang))
			}
		}
	}
	plan, err := s.db.Plan(ctx, g.PracticeID, year)
	switch {
	case err == nil:
		pw.PlanStatus = plan.Status()
	case mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
		return nil, err
	}
	switch {
	case pw.PlanStatus == mtvp.PlanNone:
		pw.PlanKey = "home.practice.plan_status.none"
	case pw.PlanStatus != mtvp.PlanFinal && plan.CurrentFinal() != nil:
		// A final plan stays in force while its revision is written.
		pw.PlanKey = "home.practice.plan_status.revision"
	default:
		pw.PlanKey = "home.practice.plan_status." + string(pw.PlanStatus)
	}
	members, err := s.db.PracticeGroupMembers(ctx, g.PracticeID, year)
	if err != nil {
		return nil, err
	}
	for _, m := range members {
		if m.PracticeID != g.PracticeID || !m.Left.IsZero() {
			continue
		}
		if m.Status == mtvp.MemberWaiting {
			pw.IVWaiting++
		} else {
			pw.Intervision++
		}
	}
	enrolments, err := s.db.PracticeEnrolments(ctx, g.PracticeID)
	if err != nil {
		return nil, err
	}
	for _, e := range enrolments {
		switch {
		case e.Completed:
		case e.Status == mtvp.EnrolmentPlaced:
			pw.Training++
		case e.Status == mtvp.EnrolmentWaiting:
			pw.TRWaiting++
		}
	}
	return pw, nil
}

// facilitatorWork is the facilitator's section: their groups of the year,
// the held meetings that still need attendance or a GAIA submission (this
// year and last: accreditation lists of December are sent in January), and
// the next meetings.
type facilitatorWork struct {
	Groups   []mtvp.GroupSummary
	Open     []store.OpenMeeting
	Meetings []store.UpcomingMeeting
	Base     string
}

func (s *Server) facilitatorWork(ctx context.Context, reg mtvp.Region, u *mtvp.User, today mtvp.Date) (*facilitatorWork, error) {
	f := &facilitatorWork{Base: "/regio/" + url.PathEscape(reg.Code) + "/intervisie"}
	var err error
	if f.Groups, err = s.db.ListGroups(ctx, mtvp.GroupFilter{RegionID: reg.ID, Year: today.Year(), FacilitatorID: u.ID}); err != nil {
		return nil, err
	}
	lastYear := mtvp.NewDate(today.Year()-1, time.January, 1)
	if f.Open, err = s.db.FacilitatorOpenMeetings(ctx, reg.ID, u.ID, lastYear, today, maxHomeRows); err != nil {
		return nil, err
	}
	if f.Meetings, err = s.db.FacilitatorMeetings(ctx, reg.ID, u.ID, today, maxHomeRows); err != nil {
		return nil, err
	}
	return f, nil
}

// setupStep is one step of a new region's first-steps checklist.
type setupStep struct {
	Key  string // message key of the step
	URL  string
	Done bool
}

// setupSteps: the regioplan of this year, the norm settings, practices and
// accounts. Nil when every step is done.
func (s *Server) setupSteps(ctx context.Context, reg mtvp.Region, practices int, year int) ([]setupStep, error) {
	base := "/regio/" + url.PathEscape(reg.Code)
	_, err := s.db.Regioplan(ctx, reg.ID, year)
	if err != nil && mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		return nil, err
	}
	hasPlan := err == nil
	users, err := s.db.ListUsers(ctx, reg.ID)
	if err != nil {
		return nil, err
	}
	others := false
	for _, u := range users {
		for _, g := range u.Grants {
			if g.RegionID == reg.ID && g.Role != mtvp.AccountRegionAdmin {
				others = true
			}
		}
	}
	steps := []setupStep{
		{Key: "home.setup.regioplan", URL: base + "/regioplan", Done: hasPlan},
		// The settings count as done once saved: a region is created with
		// version 1, and saving the settings raises it.
		{Key: "home.setup.settings", URL: base + "/instellingen", Done: reg.Version > 1},
		{Key: "home.setup.practices", URL: base + "/import", Done: practices > 0},
		{Key: "home.setup.accounts", URL: base + "/accounts", Done: others},
	}
	// The list shows until the region has its regioplan, practices and
	// accounts; the settings step is ticked once saved but does not keep
	// an established region on its first steps.
	for _, st := range steps {
		if !st.Done && st.Key != "home.setup.settings" {
			return steps, nil
		}
	}
	return nil, nil
}
