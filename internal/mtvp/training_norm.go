package mtvp

import (
	"math"
	"sort"
)

// The training norms ("assistenten: 2 van 5 geschoold, 1 aanvraag in
// behandeling"). EvaluateTrainingNorms is the one place the rule lives; the
// practice page, the exports and the compliance overview all call it.

// TrainingFacts are what the training norms of one practice depend on.
type TrainingFacts struct {
	// Staff are the practice's memberships with their people (ended ones
	// may be included: only those covering the reference date count).
	Staff []StaffMember
	// Completions of the people on the staff, at any practice: a person's
	// training counts at every practice they work at.
	Completions []Completion
	// Claims of the people on the staff (any status, any practice).
	Claims []Claim
	// Places: the staff's placed sign-ups for training sessions (not on a
	// waiting list, not cancelled), at any practice.
	Places []TrainingPlace
	// Activities: the staff's recorded presence at activities whose kind
	// counts towards a norm (any practice); only the training norms' facts
	// are read here.
	Activities []ActivityFact
}

// TrainingPlace is a placed sign-up for a training session: pending for a
// norm of the training's target group when the session lies in the
// programme year (its first day) and the sign-up was made by the
// reference date.
type TrainingPlace struct {
	PersonID      int64
	TrainingTitle string
	Target        TargetGroup
	SignedUpOn    Date // zero: counts from any date
	FirstDate     Date
}

// pendingAt reports whether the place makes its person pending for norm
// at ref (the programme year is ref's year).
func (p TrainingPlace) pendingAt(norm Requirement, ref Date) bool {
	return completionCounts(norm, p.Target) && p.FirstDate.Year() == ref.Year() &&
		(p.SignedUpOn.IsZero() || !p.SignedUpOn.After(ref))
}

// NormPerson is one person in a norm's denominator.
type NormPerson struct {
	PersonID int64
	Name     string
	Role     StaffRole
	Met      bool
	// Via says how the person meets the norm: the training's title or the
	// claim's title; empty when not met.
	Via     string
	ViaDate Date
	ByClaim bool
	// ViaActivity: the activity by which the person meets the norm (its
	// kind counts towards it); Via and ViaDate are its title and date.
	ViaActivity int64
	// Pending: not met, but a qualifying claim awaits the consultant (or,
	// for intervision, a place in a group that still meets this year, or a
	// waiting-list place), or (training) the person holds a place in a
	// session of the year: PendingVia and PendingOn then name the training
	// and its first day.
	Pending    bool
	PendingVia string
	PendingOn  Date
	// NoMeetingLeft (intervision): not met, holds a place, but no group of
	// theirs meets again this year; the place will not make them count.
	NoMeetingLeft bool
}

// TrainingNormResult is one norm evaluated for one practice.
type TrainingNormResult struct {
	Norm          Requirement // ReqAssistantTraining or ReqGPTraining
	Threshold     float64
	Denominator   int
	Required      int // ceil(threshold × denominator)
	Actual        int // people who meet it
	Pending       int // people who do not meet it yet but have a pending claim or a place in a session of the year
	NotApplicable bool
	// Applies: the region applies this norm (NormSettings.Requirements). A
	// norm the region switched off is evaluated all the same (for lists of
	// who completed what) but never shown as a norm nor blocks anything.
	Applies bool
	People  []NormPerson // everyone counted, by name
}

// Met reports whether the norm is met (a not-applicable norm, or one the
// region does not apply, is met).
func (r TrainingNormResult) Met() bool {
	return !r.Applies || r.NotApplicable || r.Actual >= r.Required
}

// ApplyingTrainingNorms keeps the results of the norms the region applies:
// what a page shows as norms.
func ApplyingTrainingNorms(results []TrainingNormResult) []TrainingNormResult {
	var out []TrainingNormResult
	for _, r := range results {
		if r.Applies {
			out = append(out, r)
		}
	}
	return out
}

// RequiredCount is ceil(threshold × n), robust against float noise
// (0.3 × 10 must give 3, not 4).
func RequiredCount(threshold float64, n int) int {
	if n <= 0 || threshold <= 0 {
		return 0
	}
	v := threshold * float64(n)
	r := math.Round(v)
	if math.Abs(v-r) < 1e-9 {
		return int(r)
	}
	return int(math.Ceil(v))
}

// EvaluateTrainingNorms evaluates the assistants' and the GPs' training
// norms of one practice at reference date ref.
//
// A person is in a norm's denominator when one of their memberships at the
// practice with a role of that norm covers ref. They meet it with a
// completion on or before ref of a training on that norm's menu (target
// group), or an approved claim completed on or before ref, on or after the
// region's cut-off, on a theme qualifying for that norm. A pending claim
// that would qualify makes them pending, and so does a place (not on the
// waiting list) in a session of the programme year of a training on the
// norm's menu, signed up by ref. Rejected claims never count.
func EvaluateTrainingNorms(f TrainingFacts, s NormSettings, ref Date) []TrainingNormResult {
	return []TrainingNormResult{
		evaluateTrainingNorm(f, ReqAssistantTraining, s.AssistantTrainingThreshold, s.AssistantTrainingRoles, s, ref),
		evaluateTrainingNorm(f, ReqGPTraining, s.GPTrainingThreshold, s.GPTrainingRoles, s, ref),
	}
}

// TrainingNorm returns the result for one norm from EvaluateTrainingNorms.
func TrainingNorm(results []TrainingNormResult, norm Requirement) TrainingNormResult {
	for _, r := range results {
		if r.Norm == norm {
			return r
		}
	}
	return TrainingNormResult{Norm: norm, NotApplicable: true}
}

// completionCounts: a completed training counts for norm when it is on
// that norm's menu (its target group).
func completionCounts(norm Requirement, target TargetGroup) bool {
	if norm == ReqAssistantTraining {
		return target.ForAssistants()
	}
	return target.ForGPs()
}

// claimCounts: a claim counts for norm (once approved) when completed on or
// after the region's cut-off, on a theme qualifying for that norm.
func claimCounts(norm Requirement, theme string, on Date, s NormSettings) bool {
	if on.IsZero() || (!s.PriorLearningCutoff.IsZero() && on.Before(s.PriorLearningCutoff)) {
		return false
	}
	if norm == ReqAssistantTraining {
		return hasTheme(s.AssistantThemes, theme)
	}
	return hasTheme(s.GPThemes, theme)
}

func evaluateTrainingNorm(f TrainingFacts, norm Requirement, threshold float64, roles []StaffRole, s NormSettings, ref Date) TrainingNormResult {
	res := TrainingNormResult{Norm: norm, Threshold: threshold, Applies: s.Applies(norm)}
	people := map[int64]*NormPerson{}
	var order []int64
	for _, m := range f.Staff {
		if !m.ActiveOn(ref) || !roleIn(m.Role, roles) {
			continue
		}
		if _, ok := people[m.PersonID]; ok {
			continue
		}
		people[m.PersonID] = &NormPerson{PersonID: m.PersonID, Name: m.Person.Name, Role: m.Role}
		order = append(order, m.PersonID)
	}
	// Completions: the earliest counting one is shown.
	for _, c := range f.Completions {
		p := people[c.PersonID]
		if p == nil || c.NotCounting || !completionCounts(norm, c.Target) || c.CompletedOn.IsZero() || c.CompletedOn.After(ref) {
			continue
		}
		if !p.Met || c.CompletedOn.Before(p.ViaDate) {
			p.Met, p.Via, p.ViaDate, p.ByClaim = true, c.TrainingTitle, c.CompletedOn, false
		}
	}
	for _, c := range f.Claims {
		p := people[c.PersonID]
		if p == nil || c.CompletedOn.After(ref) || !claimCounts(norm, c.Theme, c.CompletedOn, s) {
			continue
		}
		switch c.Status {
		case ClaimApproved:
			if !p.Met || c.CompletedOn.Before(p.ViaDate) {
				p.Met, p.Via, p.ViaDate, p.ByClaim = true, c.Title, c.CompletedOn, true
			}
		case ClaimPending:
			p.Pending = true
		}
	}
	// Taking part in an activity whose kind counts towards the norm, in
	// the reference date's year.
	for id, p := range people {
		if a, ok := activityVia(f.Activities, id, norm, ref); ok && (!p.Met || a.Date.Before(p.ViaDate)) {
			p.Met, p.Via, p.ViaDate, p.ByClaim, p.ViaActivity = true, a.Title, a.Date, false, a.ActivityID
		}
	}
	for _, pl := range f.Places {
		p := people[pl.PersonID]
		if p == nil || p.Met || !pl.pendingAt(norm, ref) {
			continue
		}
		if p.PendingOn.IsZero() || pl.FirstDate.Before(p.PendingOn) {
			p.Pending, p.PendingVia, p.PendingOn = true, pl.TrainingTitle, pl.FirstDate
		}
	}
	for _, id := range order {
		p := people[id]
		if p.Met {
			p.Pending, p.PendingVia, p.PendingOn = false, "", Date{}
			res.Actual++
		} else if p.Pending {
			res.Pending++
		}
		res.People = append(res.People, *p)
	}
	sort.SliceStable(res.People, func(i, j int) bool { return res.People[i].Name < res.People[j].Name })
	res.Denominator = len(order)
	res.NotApplicable = res.Denominator == 0
	res.Required = RequiredCount(threshold, res.Denominator)
	return res
}

// CountsFor names the training norms a completion (byClaim false: of a
// training for target) or an approved claim (byClaim true: on theme,
// completed on) counts towards for a person in role, under the region's
// settings: the same conditions EvaluateTrainingNorms applies, for lists
// that say "how it counts".
func CountsFor(role StaffRole, byClaim bool, target TargetGroup, theme string, on Date, s NormSettings) []Requirement {
	var out []Requirement
	for _, n := range []struct {
		norm  Requirement
		roles []StaffRole
	}{{ReqAssistantTraining, s.AssistantTrainingRoles}, {ReqGPTraining, s.GPTrainingRoles}} {
		if !roleIn(role, n.roles) {
			continue
		}
		if (!byClaim && completionCounts(n.norm, target)) || (byClaim && claimCounts(n.norm, theme, on, s)) {
			out = append(out, n.norm)
		}
	}
	return out
}

// SignUpCounts reports whether completing a training for target would
// count towards a training norm the region applies, for a person working
// in any of roles (CountsFor's rule). A sign-up that will not count is
// allowed (a training may be worth following anyway), after a warning.
func SignUpCounts(roles []StaffRole, target TargetGroup, s NormSettings) bool {
	for _, r := range roles {
		for _, q := range CountsFor(r, false, target, "", Date{}, s) {
			if s.Applies(q) {
				return true
			}
		}
	}
	return false
}
