package mtvp

import (
	"sort"
	"strings"
	"time"

	"meertijd/internal/i18n"
)

// Compliance: a practice's standing against the region's agreements with
// its insurers ("Norms agreed with the insurers" in domain.md), for one
// programme year at one reference date (peildatum).
//
//	facts := ComplianceFacts{...}            // store.ComplianceFacts loads them, a fixed number of queries per region
//	st := EvaluateCompliance(facts, region.Settings, year, ReferenceDate(year, today))
//	st.Compliant                             // every applicable requirement met
//	st.Requirements[i]                       // one RequirementResult per requirement, in AllRequirements order
//	AtRisk(st, region.Settings, today)       // not met with fewer than AtRiskDays days left
//
// EvaluateCompliance is the one place the standing is computed: every page,
// export, snapshot and API answer calls it. It reuses the rules that live
// with their areas — EvaluateTrainingNorms (training_norm.go),
// TookPartInIntervision (intervision.go) and PlanFinalFact.FinalWithMandatory
// (plan_workflow.go) — and adds only the counting and the wording.
//
// Every RequirementResult carries one Dutch sentence (Explanation) and the
// same sentence as an i18n key with arguments (MessageKey, Args), so a page
// can show it in English: i18n.T(lang, r.MessageKey, r.Args...). People
// holds names: callers strip them for funders and aggregates
// (Standing.WithoutPeople).

// ComplianceStatus is a requirement's outcome.
type ComplianceStatus string

const (
	StatusMet           ComplianceStatus = "voldaan"
	StatusNotMet        ComplianceStatus = "niet_voldaan"
	StatusNotApplicable ComplianceStatus = "nvt"
	// StatusNotRecorded: the product does not record the data yet (the
	// annual visit before the visits area exists). It neither meets nor
	// blocks: Compliant ignores it.
	StatusNotRecorded ComplianceStatus = "niet_geregistreerd"
)

// ComplianceStatuses in display order.
var ComplianceStatuses = []ComplianceStatus{StatusMet, StatusNotMet, StatusNotApplicable, StatusNotRecorded}

// Valid reports whether s is a known status.
func (s ComplianceStatus) Valid() bool {
	for _, x := range ComplianceStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// VisitFact is a RECORDED consultant visit to a practice (not merely a
// planned one), for the annual-visit requirement.
type VisitFact struct {
	PracticeID int64
	Year       int
	VisitedOn  Date
}

// ComplianceFacts are everything the standing of one practice depends on.
type ComplianceFacts struct {
	Practice Practice
	// Staff, Completions and Claims as in TrainingFacts: the practice's
	// memberships (ended ones included) and its people's completions and
	// claims at any practice.
	Staff       []StaffMember
	Completions []Completion
	Claims      []Claim
	// Intervision: the places held that year by the practice's people (in
	// any group of the region; facts of other people are ignored).
	Intervision []IntervisionFact
	// IntervisionWaiting: person ids on the waiting list of a group of the
	// year (they count as pending when in the denominator).
	IntervisionWaiting []int64
	// Plan: the final version in force at the reference date; nil = no
	// plan for the year.
	Plan *PlanFinalFact
	// Regioplan of the region for the year: its mandatory interventions
	// must be in the final plan. nil = none mandatory.
	Regioplan *Regioplan
	// Visits recorded for the practice (any year; only the year's count).
	Visits []VisitFact
	// Places: placed training sign-ups of the staff (pending for the
	// training norms; see TrainingPlace).
	Places []TrainingPlace
	// Activities: the staff's recorded presence at activities whose kind
	// counts towards a norm (any practice; ActivityFact).
	Activities []ActivityFact
}

// TrainingFacts returns the part EvaluateTrainingNorms needs.
func (f ComplianceFacts) TrainingFacts() TrainingFacts {
	return TrainingFacts{Staff: f.Staff, Completions: f.Completions, Claims: f.Claims, Places: f.Places, Activities: f.Activities}
}

// Msg is a message key with its arguments; Text renders it.
type Msg struct {
	Key  string
	Args []any
}

// Text renders the message in lang ("nl", "en").
func (m Msg) Text(lang string) string { return i18n.T(lang, m.Key, m.Args...) }

// RequirementResult is one requirement evaluated for one practice.
type RequirementResult struct {
	Code   Requirement
	Status ComplianceStatus
	// Required, Actual: people needed and people who meet it (plan and
	// visit: 1 and 1 when met, else 0). Pending: people who do not meet it
	// yet but would with what is under way (a claim awaiting the
	// consultant; an intervision place or waiting-list place without an
	// attended meeting yet).
	Required, Actual, Pending int
	// Denominator: people counted (0 for plan and visit).
	Denominator int
	// Explanation is ONE Dutch sentence, e.g. "Nog 1 assistent scholen: 1
	// van 3 geschoold, 2 nodig"; MessageKey and Args are the same sentence
	// for i18n.T.
	Explanation string
	MessageKey  string
	Args        []any
	// People: who counts and whether they meet it, by name (norms only).
	// Never show them to funders: use Standing.WithoutPeople.
	People []NormPerson
	// Next: concrete next steps (Dutch); NextMsgs the same as messages.
	Next     []string
	NextMsgs []Msg
	// Missing: mandatory interventions absent from the final plan.
	Missing []Intervention
}

// Met reports whether the requirement does not block compliance.
func (r RequirementResult) Met() bool {
	return r.Status == StatusMet || r.Status == StatusNotApplicable || r.Status == StatusNotRecorded
}

// Standing is a practice's compliance for a year at a reference date.
type Standing struct {
	PracticeID   int64
	Year         int
	Ref          Date
	Requirements []RequirementResult // one per requirement, AllRequirements order
	// Compliant: every applicable requirement met (not-applicable and
	// not-yet-recorded requirements do not block).
	Compliant bool
}

// Requirement returns the result for code (StatusNotApplicable if absent).
func (st Standing) Requirement(code Requirement) RequirementResult {
	for _, r := range st.Requirements {
		if r.Code == code {
			return r
		}
	}
	return RequirementResult{Code: code, Status: StatusNotApplicable}
}

// WithoutPeople returns a copy without names, for funders and aggregates.
func (st Standing) WithoutPeople() Standing {
	out := st
	out.Requirements = make([]RequirementResult, len(st.Requirements))
	for i, r := range st.Requirements {
		r.People = nil
		out.Requirements[i] = r
	}
	return out
}

// YearEnd is December 31 of year.
func YearEnd(year int) Date { return NewDate(year, time.December, 31) }

// ReferenceDate is the default reference date for a programme year: today,
// at most the last day of the year (and January 1 for a year that has not
// begun).
func ReferenceDate(year int, today Date) Date {
	if end := YearEnd(year); today.IsZero() || today.After(end) {
		return end
	}
	if start := NewDate(year, time.January, 1); today.Before(start) {
		return start
	}
	return today
}

// EvaluateCompliance evaluates one practice for programme year at reference
// date ref (clamped to at most December 31 of year) under the region's
// settings. Only requirements in s.Requirements apply; the others are
// StatusNotApplicable.
func EvaluateCompliance(f ComplianceFacts, s NormSettings, year int, ref Date) Standing {
	if end := YearEnd(year); ref.IsZero() || ref.After(end) {
		ref = end
	}
	st := Standing{PracticeID: f.Practice.ID, Year: year, Ref: ref, Compliant: true}
	training := EvaluateTrainingNorms(f.TrainingFacts(), s, ref)
	for _, code := range AllRequirements {
		var r RequirementResult
		switch {
		case !s.Applies(code):
			r = RequirementResult{Code: code, Status: StatusNotApplicable}
			r.say("compliance.not_in_region")
		case code == ReqIntervision:
			r = evaluateIntervisionNorm(f, s, year, ref)
		case code == ReqAssistantTraining || code == ReqGPTraining:
			r = trainingResult(TrainingNorm(training, code))
		case code == ReqFinalPlan:
			r = evaluatePlanRequirement(f, year)
		case code == ReqAnnualVisit:
			r = evaluateVisitRequirement(f, s, year, ref)
		}
		if !r.Met() {
			st.Compliant = false
		}
		st.Requirements = append(st.Requirements, r)
	}
	return st
}

// AtRisk reports whether a practice does not meet an applicable
// requirement with fewer than s.AtRiskDays days left in its year (counted
// from today to December 31). Once the year is over nothing is "at risk":
// the outcome is final.
func AtRisk(st Standing, s NormSettings, today Date) bool {
	end := YearEnd(st.Year)
	if today.After(end) {
		return false
	}
	if DaysLeft(st.Year, today) >= s.AtRiskDays {
		return false
	}
	for _, r := range st.Requirements {
		if r.Status == StatusNotMet {
			return true
		}
	}
	return false
}

// DaysLeft is the number of days from today to December 31 of year (0 on
// December 31, negative after it).
func DaysLeft(year int, today Date) int {
	return int(YearEnd(year).Time().Sub(today.Time()).Hours() / 24)
}

func (r *RequirementResult) say(key string, args ...any) {
	r.MessageKey, r.Args = key, args
	r.Explanation = i18n.T("nl", key, args...)
}

func (r *RequirementResult) next(key string, args ...any) {
	m := Msg{Key: key, Args: args}
	r.NextMsgs = append(r.NextMsgs, m)
	r.Next = append(r.Next, m.Text("nl"))
}

// plural picks key+".one" for n == 1, else key+".other".
func plural(key string, n int) string {
	if n == 1 {
		return key + ".one"
	}
	return key + ".other"
}

// normWording is the key stem per norm.
var normWording = map[Requirement]string{
	ReqIntervision:       "compliance.intervision",
	ReqAssistantTraining: "compliance.assistant_training",
	ReqGPTraining:        "compliance.gp_training",
}

// countResult fills status, counts and explanation of a people norm.
func (r *RequirementResult) countResult(denominator, required, actual, pending int) {
	r.Denominator, r.Required, r.Actual, r.Pending = denominator, required, actual, pending
	stem := normWording[r.Code]
	switch {
	case denominator == 0:
		r.Status = StatusNotApplicable
		r.say(stem + ".none")
	case actual >= required:
		r.Status = StatusMet
		r.say(stem+".met", actual, denominator, required)
	default:
		r.Status = StatusNotMet
		short := required - actual
		r.say(plural(stem+".missing", short), short, actual, denominator, required)
		if pending > 0 {
			if actual+pending >= required {
				r.next(plural(stem+".next_pending_meets", pending), pending)
			} else {
				r.next(plural(stem+".next_pending", pending), pending)
			}
		}
		if rest := short - pending; rest > 0 {
			r.next(plural(stem+".next_more", rest), rest)
		}
	}
}

func trainingResult(n TrainingNormResult) RequirementResult {
	r := RequirementResult{Code: n.Norm, People: n.People}
	r.countResult(n.Denominator, n.Required, n.Actual, n.Pending)
	return r
}

// evaluateIntervisionNorm: the denominator is the staff in
// s.IntervisionRoles whose work at the practice covers ref; the numerator
// those who TookPartInIntervision that year by ref; pending the others who
// hold a place or wait for one.
func evaluateIntervisionNorm(f ComplianceFacts, s NormSettings, year int, ref Date) RequirementResult {
	r := RequirementResult{Code: ReqIntervision}
	seen := map[int64]bool{}
	var people []NormPerson
	for _, m := range f.Staff {
		if seen[m.PersonID] || !m.ActiveOn(ref) || !roleIn(m.Role, s.IntervisionRoles) {
			continue
		}
		seen[m.PersonID] = true
		people = append(people, NormPerson{PersonID: m.PersonID, Name: m.Person.Name, Role: m.Role})
	}
	waiting := map[int64]bool{}
	for _, id := range f.IntervisionWaiting {
		waiting[id] = true
	}
	took := IntervisionParticipants(f.Intervision, year, ref)
	actual, pending, stalled := 0, 0, 0
	for i := range people {
		p := &people[i]
		if took[p.PersonID] {
			p.Met = true
			p.ViaDate = firstAttended(f.Intervision, p.PersonID, year, ref)
		}
		if a, ok := activityVia(f.Activities, p.PersonID, ReqIntervision, ref); ok && (!p.Met || a.Date.Before(p.ViaDate)) {
			p.Met, p.Via, p.ViaDate, p.ViaActivity = true, a.Title, a.Date, a.ActivityID
		}
		if p.Met {
			actual++
			continue
		}
		held, left := placeHeld(f.Intervision, p.PersonID, year, ref)
		switch {
		case left || waiting[p.PersonID]:
			p.Pending = true
			pending++
		case held:
			// A place in a group that does not meet again this year
			// cannot make the person count: never promise it.
			p.NoMeetingLeft = true
			stalled++
		}
	}
	sort.SliceStable(people, func(i, j int) bool { return people[i].Name < people[j].Name })
	r.People = people
	r.countResult(len(people), RequiredCount(s.IntervisionThreshold, len(people)), actual, pending)
	if stalled > 0 && r.Status == StatusNotMet {
		r.next(plural("compliance.intervision.next_no_meeting_left", stalled), stalled, year)
	}
	return r
}

// placeHeld: whether the person holds a place in a group of the year on
// ref (joined on or before ref, not left before it), and whether one such
// group still meets on or after ref (IntervisionFact.MeetingLeft).
func placeHeld(facts []IntervisionFact, personID int64, year int, ref Date) (held, meetingLeft bool) {
	for _, f := range facts {
		if f.PersonID == personID && f.Year == year && !f.Joined.IsZero() && !f.Joined.After(ref) && (f.Left.IsZero() || !f.Left.Before(ref)) {
			held = true
			if f.MeetingLeft(ref) {
				return true, true
			}
		}
	}
	return held, false
}

// WouldMeet reports whether a norm not met yet would be met by what is
// under way: the pending people (a claim awaiting the consultant, a place
// in a group that still meets) plus the people in underway (e.g. placed
// in a training session that ends within the year) who neither meet it
// nor are pending. The one place "the norm will be met" is decided.
func (r RequirementResult) WouldMeet(underway map[int64]bool) bool {
	if r.Status != StatusNotMet || r.Denominator == 0 {
		return false
	}
	extra := 0
	for _, p := range r.People {
		if !p.Met && !p.Pending && underway[p.PersonID] {
			extra++
		}
	}
	return r.Pending+extra > 0 && r.Actual+r.Pending+extra >= r.Required
}

// firstAttended is the first attended meeting date that makes the person
// count (for display; the rule itself is TookPartInIntervision).
func firstAttended(facts []IntervisionFact, personID int64, year int, ref Date) Date {
	var first Date
	for _, f := range facts {
		if f.PersonID != personID || f.Year != year {
			continue
		}
		one := []IntervisionFact{f}
		for _, d := range f.Attended {
			one[0].Attended = []Date{d}
			if TookPartInIntervision(one, personID, year, ref) && (first.IsZero() || d.Before(first)) {
				first = d
			}
		}
	}
	return first
}

// evaluatePlanRequirement: the plan for the year is final at ref (the fact
// was read for ref) and contains every mandatory intervention.
func evaluatePlanRequirement(f ComplianceFacts, year int) RequirementResult {
	r := RequirementResult{Code: ReqFinalPlan, Required: 1}
	if f.Plan == nil {
		r.Status = StatusNotMet
		r.say("compliance.plan.none", year)
		r.next("compliance.plan.next_write", year)
		return r
	}
	ok, missing := f.Plan.FinalWithMandatory(f.Regioplan)
	switch {
	case ok:
		r.Status, r.Actual = StatusMet, 1
		r.say("compliance.plan.met", year, f.Plan.Number)
	case f.Plan.Number == 0 || f.Plan.FinalisedAt.IsZero():
		r.Status = StatusNotMet
		r.say("compliance.plan.not_final", year)
		r.next("compliance.plan.next_finalise", year)
	default:
		r.Status = StatusNotMet
		r.Missing = missing
		var codes []string
		for _, iv := range missing {
			codes = append(codes, strings.TrimSpace(iv.Code+" "+iv.Title))
		}
		list := strings.Join(codes, ", ")
		r.say(plural("compliance.plan.missing_mandatory", len(missing)), year, list)
		r.next("compliance.plan.next_add_mandatory", list)
	}
	return r
}

// evaluateVisitRequirement: a recorded visit in the year on or before ref.
// Before the region records visits in meertijd (s.VisitsRecordedFrom, a
// region setting) the requirement is StatusNotRecorded and does not block;
// from that date a missing visit is not met.
func evaluateVisitRequirement(f ComplianceFacts, s NormSettings, year int, ref Date) RequirementResult {
	r := RequirementResult{Code: ReqAnnualVisit, Required: 1}
	if !s.VisitsRecordedOn(ref) {
		r.Status = StatusNotRecorded
		if s.VisitsRecordedFrom.IsZero() {
			r.say("compliance.visit.not_tracked")
		} else {
			r.say("compliance.visit.recorded_from", s.VisitsRecordedFrom.Short())
		}
		return r
	}
	var first Date
	for _, v := range f.Visits {
		if v.VisitedOn.IsZero() || v.VisitedOn.Year() != year || v.VisitedOn.After(ref) {
			continue
		}
		if f.Practice.ID != 0 && v.PracticeID != 0 && v.PracticeID != f.Practice.ID {
			continue
		}
		if first.IsZero() || v.VisitedOn.Before(first) {
			first = v.VisitedOn
		}
	}
	if first.IsZero() {
		r.Status = StatusNotMet
		r.say("compliance.visit.none", year, ref.Short())
		r.next("compliance.visit.next_plan", year)
		return r
	}
	r.Status, r.Actual = StatusMet, 1
	r.say("compliance.visit.met", first.Short())
	return r
}
