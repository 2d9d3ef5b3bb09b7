package mtvp

import (
	"strings"
	"time"
)

// The practice's plan (plan van aanpak) for one calendar year. A Plan holds
// every saved version; each save of the text is a new PlanVersion, so no
// version is ever overwritten. The workflow moves the latest version
// concept → in bespreking → definitief; a final plan is revised by opening
// a new concept version from it, and the last final version stays the
// current one until the revision is final.

// PlanStatus is where a plan version stands in the workflow.
type PlanStatus string

const (
	PlanNone       PlanStatus = ""              // no plan yet (region view)
	PlanConcept    PlanStatus = "concept"       // being written by the practice
	PlanDiscussion PlanStatus = "in_bespreking" // shared with the whole team
	PlanFinal      PlanStatus = "definitief"    // the practice stands behind it
)

// PlanStatuses in workflow order (PlanNone first for the region view).
var PlanStatuses = []PlanStatus{PlanNone, PlanConcept, PlanDiscussion, PlanFinal}

// Valid reports a known status (PlanNone excluded).
func (s PlanStatus) Valid() bool {
	return s == PlanConcept || s == PlanDiscussion || s == PlanFinal
}

// ActionStatus is where one action of the plan stands.
type ActionStatus string

const (
	ActionPlanned  ActionStatus = "gepland"
	ActionBusy     ActionStatus = "bezig"
	ActionDone     ActionStatus = "afgerond"
	ActionCanceled ActionStatus = "vervallen"
)

// ActionStatuses in display order.
var ActionStatuses = []ActionStatus{ActionPlanned, ActionBusy, ActionDone, ActionCanceled}

// Valid reports a known action status.
func (s ActionStatus) Valid() bool {
	for _, x := range ActionStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// Open reports an action still to do (carried into next year's plan).
func (s ActionStatus) Open() bool { return s == ActionPlanned || s == ActionBusy }

// PlanAction is one step the practice takes for an intervention.
type PlanAction struct {
	Description string       `json:"description"`
	Owner       string       `json:"owner"` // who does it (a name or role, free text)
	Start       Date         `json:"start"`
	End         Date         `json:"end"`
	Status      ActionStatus `json:"status"`
}

// PlanItem is one chosen intervention of the regioplan with the practice's
// own text. Code, Title, Element and Mandatory are copied from the
// regioplan when saved so an old version reads the same later.
type PlanItem struct {
	InterventionID int64        `json:"intervention_id"`
	Code           string       `json:"code"`
	Title          string       `json:"title"`
	Element        Element      `json:"element"`
	Mandatory      bool         `json:"mandatory"`
	Current        string       `json:"current"` // huidige situatie
	Goal           string       `json:"goal"`    // doel
	Actions        []PlanAction `json:"actions"`
	Measure        string       `json:"measure"` // hoe zien we dat het werkt
	Notes          string       `json:"notes"`
}

// PlanContent is the text of one version.
type PlanContent struct {
	Ambition string     `json:"ambition"`
	Items    []PlanItem `json:"items"`
}

// Agreement records that a staff member agreed with the version.
type Agreement struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
}

// PlanVersion is one saved version of a plan.
type PlanVersion struct {
	ID      int64
	PlanID  int64
	Number  int // 1, 2, 3 … per plan
	Status  PlanStatus
	Content PlanContent
	// SavedBy/SavedAt: who wrote this version.
	SavedBy SavedBy
	SavedAt time.Time
	// DiscussedOn: when the team discussed it; Agreed: which staff agreed.
	DiscussedOn Date
	Agreed      []Agreement
	SharedAt    time.Time
	// FinalisedBy/FinalisedAt: who made it final, when.
	FinalisedBy SavedBy
	FinalisedAt time.Time
}

// SavedBy names a user at the moment of a change.
type SavedBy struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// Plan is a practice's plan for a calendar year with all its versions
// (ascending by Number).
type Plan struct {
	ID         int64
	RegionID   int64
	PracticeID int64
	Year       int
	Versions   []PlanVersion
	Version    int // optimistic lock over the whole plan
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Latest is the newest version (the one being worked on, or the final one
// when no revision is open); nil for a plan without versions.
func (p *Plan) Latest() *PlanVersion {
	if p == nil || len(p.Versions) == 0 {
		return nil
	}
	return &p.Versions[len(p.Versions)-1]
}

// Current is the version that counts: the newest final one, else the
// latest. A final plan stays current while a revision is being written.
func (p *Plan) Current() *PlanVersion {
	if f := p.CurrentFinal(); f != nil {
		return f
	}
	return p.Latest()
}

// CurrentFinal is the newest final version, nil when none was ever final.
func (p *Plan) CurrentFinal() *PlanVersion {
	if p == nil {
		return nil
	}
	for i := len(p.Versions) - 1; i >= 0; i-- {
		if p.Versions[i].Status == PlanFinal {
			return &p.Versions[i]
		}
	}
	return nil
}

// VersionByNumber returns version n, nil when absent.
func (p *Plan) VersionByNumber(n int) *PlanVersion {
	for i := range p.Versions {
		if p.Versions[i].Number == n {
			return &p.Versions[i]
		}
	}
	return nil
}

// Status is the status of the latest version (PlanNone for no versions).
func (p *Plan) Status() PlanStatus {
	if l := p.Latest(); l != nil {
		return l.Status
	}
	return PlanNone
}

// MTVPYear is the practice's MTVP year (1, 2, 3 …) for a calendar year:
// MTVP year n covers the four quarters starting with the quarter it joined
// plus 4(n-1); a calendar year shows the MTVP year running in its last
// quarter, so each calendar year after joining is one MTVP year further.
// 0 when the practice had not joined by the end of the year (or has no
// start date).
func MTVPYear(joined Date, year int) int {
	if joined.IsZero() || joined.Year() > year {
		return 0
	}
	q := (year*4 + 3) - (joined.Year()*4 + joined.Quarter() - 1)
	return q/4 + 1
}

// Field limits.
const (
	planTextMax   = 4000
	planShortMax  = 200
	planActionMax = 30
)

// NormalizePlan trims the content, keeps only interventions of the
// regioplan (copying their code, title, element and mandatory flag), drops
// blank action rows, puts items in regioplan order and adds every
// mandatory intervention that is missing: mandatory ones cannot be removed.
func NormalizePlan(c *PlanContent, rp *Regioplan) {
	c.Ambition = strings.TrimSpace(c.Ambition)
	byID := map[int64]PlanItem{}
	for _, it := range c.Items {
		if _, dup := byID[it.InterventionID]; dup {
			continue
		}
		byID[it.InterventionID] = it
	}
	var items []PlanItem
	if rp != nil {
		for _, iv := range rp.Interventions {
			it, chosen := byID[iv.ID]
			if !chosen && !iv.Mandatory {
				continue
			}
			it.InterventionID, it.Code, it.Title, it.Element, it.Mandatory = iv.ID, iv.Code, iv.Title, iv.Element, iv.Mandatory
			items = append(items, it)
		}
	}
	for n := range items {
		it := &items[n]
		it.Current = strings.TrimSpace(it.Current)
		it.Goal = strings.TrimSpace(it.Goal)
		it.Measure = strings.TrimSpace(it.Measure)
		it.Notes = strings.TrimSpace(it.Notes)
		var acts []PlanAction
		for _, a := range it.Actions {
			a.Description = strings.TrimSpace(a.Description)
			a.Owner = strings.TrimSpace(a.Owner)
			if a.Description == "" && a.Owner == "" && a.Start.IsZero() && a.End.IsZero() {
				continue
			}
			if a.Status == "" {
				a.Status = ActionPlanned
			}
			acts = append(acts, a)
		}
		it.Actions = acts
	}
	c.Items = items
}

// ValidatePlan checks the text. Field names are "ambition" and
// "items.CODE.field" / "items.CODE.actions.N.field" so the form shows the
// message beside the right input.
func ValidatePlan(c *PlanContent) error {
	f := FieldErrors{}
	if len(c.Ambition) > planTextMax {
		f.Add("ambition", "err.too_long")
	}
	for _, it := range c.Items {
		p := "items." + it.Code + "."
		for name, v := range map[string]string{"current": it.Current, "goal": it.Goal, "measure": it.Measure, "notes": it.Notes} {
			if len(v) > planTextMax {
				f.Add(p+name, "err.too_long")
			}
		}
		if len(it.Actions) > planActionMax {
			f.Add(p+"actions", "plan.err.too_many_actions")
		}
		for n, a := range it.Actions {
			ap := p + "actions." + itoa(n) + "."
			if a.Description == "" {
				f.Add(ap+"description", "err.required")
			}
			if len(a.Description) > planShortMax*2 {
				f.Add(ap+"description", "err.too_long")
			}
			if len(a.Owner) > planShortMax {
				f.Add(ap+"owner", "err.too_long")
			}
			if !a.Status.Valid() {
				f.Add(ap+"status", "plan.err.action_status")
			}
			if !a.Start.IsZero() && !a.End.IsZero() && a.End.Before(a.Start) {
				f.Add(ap+"end", "plan.err.end_before_start")
			}
		}
	}
	return f.Err()
}

// MissingMandatory returns the mandatory interventions of rp that c lacks.
func MissingMandatory(c *PlanContent, rp *Regioplan) []Intervention {
	if rp == nil {
		return nil
	}
	have := map[int64]bool{}
	for _, it := range c.Items {
		have[it.InterventionID] = true
	}
	var out []Intervention
	for _, iv := range rp.Mandatory() {
		if !have[iv.ID] {
			out = append(out, iv)
		}
	}
	return out
}

// ElementShortfall is a core element with fewer chosen interventions than
// the region's minimum.
type ElementShortfall struct {
	Element Element
	Min     int
	Have    int
}

// ElementShortfalls checks the region's minimum number of interventions per
// core element (NormSettings.MinPerElement); nil when every minimum is met.
func ElementShortfalls(c *PlanContent, min map[Element]int) []ElementShortfall {
	count := map[Element]int{}
	for _, it := range c.Items {
		count[it.Element]++
	}
	var out []ElementShortfall
	for _, e := range Elements {
		if m := min[e]; m > 0 && count[e] < m {
			out = append(out, ElementShortfall{Element: e, Min: m, Have: count[e]})
		}
	}
	return out
}

// NextYearContent starts next year's plan from this year's: the ambition,
// the interventions the new regioplan still offers with their text, and
// only the actions not yet done (gepland/bezig); mandatory interventions of
// the new regioplan are added.
func NextYearContent(prev PlanContent, next *Regioplan) PlanContent {
	byCode := map[string]Intervention{}
	if next != nil {
		for _, iv := range next.Interventions {
			byCode[iv.Code] = iv
		}
	}
	out := PlanContent{Ambition: prev.Ambition}
	for _, it := range prev.Items {
		iv, ok := byCode[it.Code]
		if !ok {
			continue
		}
		it.InterventionID = iv.ID
		var open []PlanAction
		for _, a := range it.Actions {
			if a.Status.Open() {
				open = append(open, a)
			}
		}
		it.Actions = open
		out.Items = append(out.Items, it)
	}
	NormalizePlan(&out, next)
	return out
}

// PlanSectionGeneral and PlanSectionAmbition are the comment sections
// besides the interventions (whose section is their code).
const (
	PlanSectionGeneral  = "algemeen"
	PlanSectionAmbition = "ambitie"
)

// PlanComment is one message in a section's thread. ParentID 0 starts a
// thread; replies point at the thread's first message.
type PlanComment struct {
	ID            int64
	PlanID        int64
	Section       string
	ParentID      int64
	VersionNumber int // the version the author was looking at
	Author        SavedBy
	AuthorRole    AccountRole // consultant, practice or region-admin
	Body          string
	CreatedAt     time.Time
}

// ValidateComment checks a comment body and its section against the plan's
// sections (the general one, the ambition and the items' codes).
func ValidateComment(c *PlanComment, sections []string) error {
	c.Body = strings.TrimSpace(c.Body)
	f := FieldErrors{}
	if c.Body == "" {
		f.Add("body", "err.required")
	} else if len(c.Body) > planTextMax {
		f.Add("body", "err.too_long")
	}
	ok := false
	for _, s := range sections {
		ok = ok || s == c.Section
	}
	if !ok {
		f.Add("section", "plan.err.section_unknown")
	}
	return f.Err()
}

// PlanSections lists the comment sections of a version's text.
func PlanSections(c *PlanContent) []string {
	out := []string{PlanSectionGeneral, PlanSectionAmbition}
	for _, it := range c.Items {
		out = append(out, it.Code)
	}
	return out
}

// PlanReview is a dated team review of the plan (teamoverleg): what works,
// what does not, where can we connect better, what does everyone need.
type PlanReview struct {
	ID        int64
	PlanID    int64
	HeldOn    Date
	Works     string
	NotWorks  string
	Connect   string
	Needs     string
	Author    SavedBy
	CreatedAt time.Time
}

// ValidateReview trims and checks a team review.
func ValidateReview(r *PlanReview, today Date) error {
	r.Works, r.NotWorks = strings.TrimSpace(r.Works), strings.TrimSpace(r.NotWorks)
	r.Connect, r.Needs = strings.TrimSpace(r.Connect), strings.TrimSpace(r.Needs)
	f := FieldErrors{}
	if r.HeldOn.IsZero() {
		f.Add("held_on", "err.required")
	} else if r.HeldOn.After(today) {
		f.Add("held_on", "plan.err.date_future")
	}
	if r.Works == "" && r.NotWorks == "" && r.Connect == "" && r.Needs == "" {
		f.Add("works", "plan.err.review_empty")
	}
	for name, v := range map[string]string{"works": r.Works, "not_works": r.NotWorks, "connect": r.Connect, "needs": r.Needs} {
		if len(v) > planTextMax {
			f.Add(name, "err.too_long")
		}
	}
	return f.Err()
}
