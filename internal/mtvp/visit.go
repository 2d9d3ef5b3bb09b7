package mtvp

import (
	"strings"
	"time"
)

// The consultant's annual visit (jaarbezoek): once a year per practice the
// consultant talks the practice's plan through — per intervention how it is
// deployed, what goes well, what gets in the way and how to solve it — and
// records the outcome with agreed actions and a short overall judgement.

// VisitStatus is where a visit stands.
type VisitStatus string

const (
	VisitPlanned   VisitStatus = "gepland"
	VisitDone      VisitStatus = "afgerond"
	VisitCancelled VisitStatus = "geannuleerd"
)

// VisitStatuses in display order.
var VisitStatuses = []VisitStatus{VisitPlanned, VisitDone, VisitCancelled}

// Valid reports a known status.
func (s VisitStatus) Valid() bool {
	return s == VisitPlanned || s == VisitDone || s == VisitCancelled
}

// VisitFinding is what was found for one intervention of the practice's
// plan. Code and Title are copied from the plan when recorded.
type VisitFinding struct {
	InterventionID int64  `json:"intervention_id"`
	Code           string `json:"code"`
	Title          string `json:"title"`
	Deployment     string `json:"deployment"` // hoe wordt de interventie ingezet
	GoesWell       string `json:"goes_well"`  // wat gaat goed
	Obstacles      string `json:"obstacles"`  // waar loopt de praktijk tegenaan
	Solutions      string `json:"solutions"`  // hoe is dat op te lossen
}

// Empty reports a finding without any text.
func (f VisitFinding) Empty() bool {
	return f.Deployment == "" && f.GoesWell == "" && f.Obstacles == "" && f.Solutions == ""
}

// VisitAction is an action agreed during the visit.
type VisitAction struct {
	Description string `json:"description"`
	Owner       string `json:"owner"`
	Due         Date   `json:"due"`
	Done        bool   `json:"done"`
}

// Visit is one consultant visit to a practice for a programme (calendar)
// year. A practice has at most one visit per year that is not cancelled.
type Visit struct {
	ID             int64
	RegionID       int64
	PracticeID     int64
	Year           int
	PlannedOn      Date
	Status         VisitStatus
	ConsultantID   int64 // the consultant who visits; 0 = none
	ConsultantName string
	// The outcome, set when recorded.
	VisitedOn   Date // the day the visit took place
	PlanVersion int  // the plan version the findings follow (0: no plan)
	Findings    []VisitFinding
	Actions     []VisitAction
	Judgement   string // short overall judgement
	RecordedBy  SavedBy
	RecordedAt  time.Time
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Filled when listed.
	PracticeName string
}

// Recorded reports a visit whose outcome has been recorded.
func (v Visit) Recorded() bool { return v.Status == VisitDone }

// Field limits.
const (
	visitTextMax      = 4000
	VisitJudgementMax = 1000
	visitShortMax     = 200
	VisitActionsMax   = 30
)

// NormalizeVisitPlanning trims the planning fields.
func (v *Visit) NormalizeVisitPlanning() {
	v.ConsultantName = strings.TrimSpace(v.ConsultantName)
	if v.Status == "" {
		v.Status = VisitPlanned
	}
}

// ValidatePlanning checks a planned visit: a known status, a year and a
// planned date inside that year.
func (v *Visit) ValidatePlanning() error {
	f := FieldErrors{}
	if v.Year < 2000 || v.Year > 2100 {
		f.Add("year", "visit.err.year")
	}
	switch {
	case v.PlannedOn.IsZero():
		f.Add("planned_on", "err.required")
	case v.Year != 0 && v.PlannedOn.Year() != v.Year:
		f.Add("planned_on", "visit.err.date_outside_year")
	}
	if !v.Status.Valid() {
		f.Add("status", "visit.err.status")
	}
	return f.Err()
}

// NormalizeOutcome trims the outcome, drops findings without text and
// blank action rows.
func (v *Visit) NormalizeOutcome() {
	v.Judgement = strings.TrimSpace(v.Judgement)
	var fs []VisitFinding
	for _, x := range v.Findings {
		x.Deployment = strings.TrimSpace(x.Deployment)
		x.GoesWell = strings.TrimSpace(x.GoesWell)
		x.Obstacles = strings.TrimSpace(x.Obstacles)
		x.Solutions = strings.TrimSpace(x.Solutions)
		if x.Empty() {
			continue
		}
		fs = append(fs, x)
	}
	v.Findings = fs
	var as []VisitAction
	for _, a := range v.Actions {
		a.Description = strings.TrimSpace(a.Description)
		a.Owner = strings.TrimSpace(a.Owner)
		if a.Description == "" && a.Owner == "" && a.Due.IsZero() && !a.Done {
			continue
		}
		as = append(as, a)
	}
	v.Actions = as
}

// ValidateOutcome checks a recorded outcome. The visit date must lie in the
// visit's year and not in the future; a judgement is required. Field names
// are "visited_on", "judgement", "findings.N.field" and
// "actions.N.field" (N counts from 0), so a form shows the message beside
// the right input.
func (v *Visit) ValidateOutcome(today Date) error {
	f := FieldErrors{}
	switch {
	case v.VisitedOn.IsZero():
		f.Add("visited_on", "err.required")
	case v.VisitedOn.After(today):
		f.Add("visited_on", "visit.err.date_future")
	case v.VisitedOn.Year() != v.Year:
		f.Add("visited_on", "visit.err.date_outside_year")
	}
	if v.Judgement == "" {
		f.Add("judgement", "visit.err.judgement_required")
	} else if len(v.Judgement) > VisitJudgementMax {
		f.Add("judgement", "err.too_long")
	}
	for n, x := range v.Findings {
		p := "findings." + itoa(n) + "."
		for name, s := range map[string]string{"deployment": x.Deployment, "goes_well": x.GoesWell, "obstacles": x.Obstacles, "solutions": x.Solutions} {
			if len(s) > visitTextMax {
				f.Add(p+name, "err.too_long")
			}
		}
	}
	if len(v.Actions) > VisitActionsMax {
		f.Add("actions", "visit.err.too_many_actions")
	}
	for n, a := range v.Actions {
		p := "actions." + itoa(n) + "."
		if a.Description == "" {
			f.Add(p+"description", "visit.err.action_description")
		} else if len(a.Description) > visitShortMax*2 {
			f.Add(p+"description", "err.too_long")
		}
		if len(a.Owner) > visitShortMax {
			f.Add(p+"owner", "err.too_long")
		}
		if !a.Due.IsZero() && !v.VisitedOn.IsZero() && a.Due.Before(v.VisitedOn) {
			f.Add(p+"due", "visit.err.due_before_visit")
		}
	}
	return f.Err()
}

// VisitState is where a practice stands with its annual visit for a year.
type VisitState string

const (
	VisitStateVisited    VisitState = "bezocht"      // a recorded visit
	VisitStatePlanned    VisitState = "gepland"      // a planned visit, not yet recorded
	VisitStateNotPlanned VisitState = "niet_gepland" // no visit (or only cancelled ones)
)

// VisitStates in display order.
var VisitStates = []VisitState{VisitStateVisited, VisitStatePlanned, VisitStateNotPlanned}

// DefaultVisitWarnDays is used when a region sets no AtRiskDays.
const DefaultVisitWarnDays = 60

// VisitStanding is a practice's annual-visit standing for a year.
type VisitStanding struct {
	State VisitState
	// Visit is the visit that counts: the recorded one, else the planned
	// one; nil when there is none.
	Visit *Visit
	// Overdue: a planned date passed without recording, or no visit
	// planned with fewer than warnDays days left in the year (every
	// unvisited practice of a past year is overdue).
	Overdue bool
}

// StandingOfVisits evaluates a practice's visits of year at today. visits
// may hold visits of other years and cancelled ones; they are ignored.
// warnDays is the region's AtRiskDays (0: DefaultVisitWarnDays).
func StandingOfVisits(visits []Visit, year int, today Date, warnDays int) VisitStanding {
	if warnDays <= 0 {
		warnDays = DefaultVisitWarnDays
	}
	var done, planned *Visit
	for i := range visits {
		v := &visits[i]
		if v.Year != year {
			continue
		}
		switch v.Status {
		case VisitDone:
			if done == nil || v.VisitedOn.Before(done.VisitedOn) {
				done = v
			}
		case VisitPlanned:
			if planned == nil || v.PlannedOn.Before(planned.PlannedOn) {
				planned = v
			}
		}
	}
	endOfYear := NewDate(year, time.December, 31)
	switch {
	case done != nil:
		return VisitStanding{State: VisitStateVisited, Visit: done}
	case planned != nil:
		return VisitStanding{State: VisitStatePlanned, Visit: planned, Overdue: planned.PlannedOn.Before(today)}
	}
	daysLeft := int(endOfYear.Time().Sub(today.Time()).Hours() / 24)
	return VisitStanding{State: VisitStateNotPlanned, Overdue: daysLeft < warnDays}
}

// VisitCoverageRow is one practice in the region's visit coverage.
type VisitCoverageRow struct {
	PracticeID     int64
	PracticeName   string
	AGB            string
	ConsultantID   int64
	ConsultantName string
	VisitStanding
}

// VisitCoverage counts the rows of a coverage list.
type VisitCoverage struct {
	Year       int
	Rows       []VisitCoverageRow
	Visited    int
	Planned    int
	NotPlanned int
	Overdue    int
}

// CountCoverage fills the counts from the rows.
func (c *VisitCoverage) CountCoverage() {
	c.Visited, c.Planned, c.NotPlanned, c.Overdue = 0, 0, 0, 0
	for _, r := range c.Rows {
		switch r.State {
		case VisitStateVisited:
			c.Visited++
		case VisitStatePlanned:
			c.Planned++
		default:
			c.NotPlanned++
		}
		if r.Overdue {
			c.Overdue++
		}
	}
}

// Total is the number of practices in the list.
func (c VisitCoverage) Total() int { return len(c.Rows) }

// ---- access ----

// isConsultantOf: u is the practice's own consultant.
func (u *User) isConsultantOf(p *Practice) bool {
	return u != nil && p != nil && p.ConsultantID != 0 && p.ConsultantID == u.ID &&
		u.hasRegionRole(p.RegionID, AccountConsultant, AccountRegionAdmin)
}

// isPracticeLogin: u holds p's practice grant.
func (u *User) isPracticeLogin(p *Practice) bool {
	if u == nil || p == nil {
		return false
	}
	for _, g := range u.Grants {
		if g.Role == AccountPractice && g.RegionID == p.RegionID && g.PracticeID == p.ID {
			return true
		}
	}
	return false
}

// CanManageVisits: plan, record, change and cancel a practice's visits, and
// see planned and cancelled ones: region admins and the practice's own
// consultant. Other consultants, facilitators and funders never.
func (u *User) CanManageVisits(p *Practice) bool {
	return p != nil && (u.CanAdminRegion(p.RegionID) || u.isConsultantOf(p))
}

// CanSeeVisits: the practice's visit page: those who manage its visits,
// and the practice itself (which reads only recorded reports, see
// CanSeeVisit).
func (u *User) CanSeeVisits(p *Practice) bool {
	return u.CanManageVisits(p) || u.isPracticeLogin(p)
}

// CanSeeVisit: one visit of p. The practice reads its own report only once
// the outcome is recorded.
func (u *User) CanSeeVisit(p *Practice, v *Visit) bool {
	if p == nil || v == nil || v.PracticeID != p.ID || v.RegionID != p.RegionID {
		return false
	}
	if u.CanManageVisits(p) {
		return true
	}
	return u.isPracticeLogin(p) && v.Recorded()
}

// CanSeeVisitCoverage: the region's coverage page (every practice, every
// consultant): region admins.
func (u *User) CanSeeVisitCoverage(region int64) bool { return u.CanAdminRegion(region) }

// CanSeeMyVisits: the consultant's own visit list ("Mijn bezoeken"):
// consultants of the region and region admins (who may be consultants too).
func (u *User) CanSeeMyVisits(region int64) bool {
	return u.CanAdminRegion(region) || u.hasRegionRole(region, AccountConsultant)
}

// CanAssignVisitConsultant: name another consultant for a visit than the
// practice's own: region admins (a consultant plans their own visits).
func (u *User) CanAssignVisitConsultant(region int64) bool { return u.CanAdminRegion(region) }

// IsConsultantIn reports a consultant grant in the region (navigation).
func (u *User) IsConsultantIn(region int64) bool { return u.hasRegionRole(region, AccountConsultant) }
