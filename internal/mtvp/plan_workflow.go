package mtvp

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// PlanStep is one move through the plan's workflow.
type PlanStep string

const (
	StepShare    PlanStep = "delen"        // concept → in bespreking
	StepBack     PlanStep = "terug"        // in bespreking → concept
	StepFinalise PlanStep = "definitief"   // in bespreking → definitief
	StepRevise   PlanStep = "herzien"      // definitief → new concept version
	StepEdit     PlanStep = "bewerken"     // save the text (concept only)
	StepAgree    PlanStep = "instemming"   // record the discussion and who agreed
	StepNextYear PlanStep = "volgend_jaar" // start next year's plan from this one
)

// PlanSteps the workflow buttons offer, in order.
var PlanSteps = []PlanStep{StepShare, StepBack, StepFinalise, StepRevise}

// stepFrom is the status each step starts from.
var stepFrom = map[PlanStep]PlanStatus{
	StepShare:    PlanConcept,
	StepBack:     PlanDiscussion,
	StepFinalise: PlanDiscussion,
	StepRevise:   PlanFinal,
	StepEdit:     PlanConcept,
	StepAgree:    PlanDiscussion,
}

// StepTarget is the status a step leads to (the new version's status for
// StepRevise); the status itself for steps that keep it.
func StepTarget(s PlanStep) PlanStatus {
	switch s {
	case StepShare, StepAgree:
		return PlanDiscussion
	case StepFinalise:
		return PlanFinal
	}
	return PlanConcept
}

// PlanRules are the region's rules a final plan must meet.
type PlanRules struct {
	Regioplan     *Regioplan
	MinPerElement map[Element]int
}

// StepRefusal is why a workflow step is refused: a message key and its
// arguments (interventions or elements), so every layer shows the same
// Dutch reason.
type StepRefusal struct {
	Key  string
	Args []string
}

// CheckStep reports whether step may be taken on the latest version v; nil
// means allowed. It is a pure rule: callers check access separately.
func CheckStep(v *PlanVersion, step PlanStep, rules PlanRules) *StepRefusal {
	from, ok := stepFrom[step]
	if !ok {
		return &StepRefusal{Key: "plan.err.step_unknown"}
	}
	if v == nil {
		return &StepRefusal{Key: "plan.err.no_version"}
	}
	if v.Status != from {
		return &StepRefusal{Key: "plan.err.step_from." + string(from), Args: []string{string(v.Status)}}
	}
	if step != StepFinalise {
		return nil
	}
	if miss := MissingMandatory(&v.Content, rules.Regioplan); len(miss) > 0 {
		var codes []string
		for _, iv := range miss {
			codes = append(codes, iv.Code+" "+iv.Title)
		}
		return &StepRefusal{Key: "plan.err.mandatory_missing", Args: []string{strings.Join(codes, ", ")}}
	}
	if short := ElementShortfalls(&v.Content, rules.MinPerElement); len(short) > 0 {
		var parts []string
		for _, s := range short {
			parts = append(parts, fmt.Sprintf("%s %s: %d/%d", s.Element, s.Element.Name(), s.Have, s.Min))
		}
		return &StepRefusal{Key: "plan.err.min_per_element", Args: []string{strings.Join(parts, "; ")}}
	}
	if v.DiscussedOn.IsZero() {
		return &StepRefusal{Key: "plan.err.not_discussed"}
	}
	if len(v.Agreed) == 0 {
		return &StepRefusal{Key: "plan.err.no_agreement"}
	}
	return nil
}

// NotAgreed lists, by name and sorted, the current staff (person id →
// name) who have not agreed with version v. A plan becomes final when the
// whole practice stands behind it: finalising while some of the team has
// not agreed is allowed (someone may be away; the team meeting decides),
// but only after the practice confirms it, having seen who they are.
func NotAgreed(v *PlanVersion, staff map[int64]string) []string {
	if v == nil {
		return nil
	}
	agreed := map[int64]bool{}
	for _, a := range v.Agreed {
		agreed[a.PersonID] = true
	}
	var out []string
	for id, name := range staff {
		if !agreed[id] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Err turns a refusal into the application error: EINVALID with the
// reason as message; the arguments travel along (StepArgs reads them).
func (r *StepRefusal) Err() error {
	if r == nil {
		return nil
	}
	return &StepError{Err: &Error{Code: EINVALID, Message: r.Key}, Args: r.Args}
}

// StepError is a refused workflow step; it unwraps to the *Error so
// ErrorCode and ErrorMessage work as usual.
type StepError struct {
	Err  *Error
	Args []string
}

func (e *StepError) Error() string { return e.Err.Error() + " " + strings.Join(e.Args, "; ") }
func (e *StepError) Unwrap() error { return e.Err }

// StepArgs returns the arguments of a refused step in err's chain (the
// interventions or elements the reason names).
func StepArgs(err error) []any {
	var se *StepError
	if !errors.As(err, &se) {
		return nil
	}
	out := make([]any, len(se.Args))
	for i, a := range se.Args {
		out[i] = a
	}
	return out
}

// ValidateAgreement checks the team discussion record: a date not in the
// future and agreeing people who are current staff (staff maps person id
// to name).
func ValidateAgreement(discussed Date, agreed []int64, staff map[int64]string, today Date) error {
	f := FieldErrors{}
	if discussed.IsZero() {
		f.Add("discussed_on", "err.required")
	} else if discussed.After(today) {
		f.Add("discussed_on", "plan.err.date_future")
	}
	if len(agreed) == 0 {
		f.Add("agreed", "plan.err.no_agreement")
	}
	for _, id := range agreed {
		if _, ok := staff[id]; !ok {
			f.Add("agreed", "plan.err.agreed_not_staff")
		}
	}
	return f.Err()
}

// PlanChange is one difference between two versions, per field.
// Section is "" for the ambition, else an intervention code; Field is
// "ambition", "item" (added/removed), "current", "goal", "measure",
// "notes" or "action N description|owner|start|end|status".
type PlanChange struct {
	Section string `json:"section"`
	Title   string `json:"title,omitempty"`
	Field   string `json:"field"`
	Action  int    `json:"action,omitempty"` // 1-based action row, 0 = none
	Old     string `json:"old"`
	New     string `json:"new"`
}

// DiffPlan compares two versions' text field by field. Items are matched by
// intervention code, actions by row number.
func DiffPlan(a, b PlanContent) []PlanChange {
	var out []PlanChange
	if a.Ambition != b.Ambition {
		out = append(out, PlanChange{Field: "ambition", Old: a.Ambition, New: b.Ambition})
	}
	old := map[string]PlanItem{}
	for _, it := range a.Items {
		old[it.Code] = it
	}
	seen := map[string]bool{}
	for _, nb := range b.Items {
		seen[nb.Code] = true
		oa, ok := old[nb.Code]
		if !ok {
			out = append(out, PlanChange{Section: nb.Code, Title: nb.Title, Field: "item", New: nb.Code + " " + nb.Title})
			oa = PlanItem{}
		}
		out = append(out, diffItem(nb.Code, nb.Title, oa, nb)...)
	}
	for _, oa := range a.Items {
		if !seen[oa.Code] {
			out = append(out, PlanChange{Section: oa.Code, Title: oa.Title, Field: "item", Old: oa.Code + " " + oa.Title})
		}
	}
	return out
}

func diffItem(code, title string, a, b PlanItem) []PlanChange {
	var out []PlanChange
	add := func(field string, action int, o, n string) {
		if o != n {
			out = append(out, PlanChange{Section: code, Title: title, Field: field, Action: action, Old: o, New: n})
		}
	}
	add("current", 0, a.Current, b.Current)
	add("goal", 0, a.Goal, b.Goal)
	for i := 0; i < max(len(a.Actions), len(b.Actions)); i++ {
		var oa, nb PlanAction
		if i < len(a.Actions) {
			oa = a.Actions[i]
		}
		if i < len(b.Actions) {
			nb = b.Actions[i]
		}
		add("description", i+1, oa.Description, nb.Description)
		add("owner", i+1, oa.Owner, nb.Owner)
		add("start", i+1, oa.Start.Dutch(), nb.Start.Dutch())
		add("end", i+1, oa.End.Dutch(), nb.End.Dutch())
		add("status", i+1, string(oa.Status), string(nb.Status))
	}
	add("measure", 0, a.Measure, b.Measure)
	add("notes", 0, a.Notes, b.Notes)
	return out
}

// PlanFinalFact is what compliance needs of a practice's plan for a year:
// the final version in force at a reference date.
type PlanFinalFact struct {
	PracticeID    int64
	Year          int
	Number        int       // version number of the final version; 0 = none
	FinalisedAt   time.Time // zero = never final by the date
	Interventions []int64   // intervention ids in that version
}

// FinalWithMandatory answers compliance's question: was the plan final at
// the reference date (the fact was read for that date) and does that final
// version contain every mandatory intervention of the regioplan? The list
// of missing mandatory interventions explains a false answer.
func (f PlanFinalFact) FinalWithMandatory(rp *Regioplan) (ok bool, missing []Intervention) {
	if f.Number == 0 || f.FinalisedAt.IsZero() {
		return false, nil
	}
	have := map[int64]bool{}
	for _, id := range f.Interventions {
		have[id] = true
	}
	if rp != nil {
		for _, iv := range rp.Mandatory() {
			if !have[iv.ID] {
				missing = append(missing, iv)
			}
		}
	}
	return len(missing) == 0, missing
}

// FinalFactAt computes the fact from a plan's versions: the newest version
// finalised on or before the end of day at (in loc).
func (p *Plan) FinalFactAt(at Date, loc *time.Location) PlanFinalFact {
	f := PlanFinalFact{PracticeID: p.PracticeID, Year: p.Year}
	end := EndOfDay(at, loc)
	for _, v := range p.Versions {
		if v.Status == PlanFinal && !v.FinalisedAt.IsZero() && v.FinalisedAt.Before(end) && v.Number > f.Number {
			f.Number, f.FinalisedAt = v.Number, v.FinalisedAt
			f.Interventions = nil
			for _, it := range v.Content.Items {
				f.Interventions = append(f.Interventions, it.InterventionID)
			}
		}
	}
	return f
}

// EndOfDay is the first instant after day d in loc (nil: UTC).
func EndOfDay(d Date, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
}

// PlanSummary is a practice's row in the region's plan overview.
type PlanSummary struct {
	PracticeID   int64
	PracticeName string
	PracticeAGB  string
	ConsultantID int64
	PlanID       int64      // 0 = no plan
	Status       PlanStatus // of the latest version
	Number       int        // latest version number
	HasFinal     bool       // a final version exists (the revision may be open)
	LastChange   time.Time
}
