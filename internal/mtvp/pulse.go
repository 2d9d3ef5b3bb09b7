package mtvp

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The job-satisfaction pulse (issue 15 §4): once a quarter the region asks
// the staff of its practices three questions on a 0–10 scale — workload,
// job satisfaction, time for the patient — and one open question.
//
// Answers are anonymous. A personal link (sent by e-mail) is a one-time
// token whose hash is marked used apart from the answer; a practice's
// shared link may be used as often as the practice has staff. The answer
// itself names no person, account or token and carries no time, only its
// round (a quarter), so neither its content nor its place in the table
// tells who gave it.
//
// Figures are shown only for a closed round (otherwise the change after
// each answer would give that answer away) and only over at least
// PulseMinAnswers answers. A region's figure is computed over the
// practices whose own figure is shown, so nothing about a practice with
// too few answers reaches it; and it is hidden from a viewer for whom
// exactly one contributing practice is unknown, since region minus the
// practices the viewer sees would be that practice (RegionPulseFigure).

// PulseMinAnswers is the least number of answers a figure is shown for.
const PulseMinAnswers = 5

// PulseScaleMax is the top of the 0–10 scales.
const PulseScaleMax = 10

// PulseCommentMax is the longest answer to the open question (characters).
const PulseCommentMax = 1000

// PulseAnswer is one anonymous answer.
type PulseAnswer struct {
	Workload       int // 0 = very low workload … 10 = far too high
	Satisfaction   int // job satisfaction
	TimeForPatient int // time for the patient
	Comment        string
}

// Normalize trims the comment.
func (a *PulseAnswer) Normalize() { a.Comment = strings.TrimSpace(a.Comment) }

// PulseScales are the form fields of the three scales, in order.
var PulseScales = []string{"workload", "satisfaction", "time_for_patient"}

// ValidatePulseAnswer checks an answer: every scale 0–10 and a comment of
// at most PulseCommentMax characters. A scale the form left empty is given
// as -1.
func ValidatePulseAnswer(a PulseAnswer) error {
	f := FieldErrors{}
	for i, v := range []int{a.Workload, a.Satisfaction, a.TimeForPatient} {
		switch {
		case v == -1:
			f.Add(PulseScales[i], "pulse.err.scale_required")
		case v < 0 || v > PulseScaleMax:
			f.Add(PulseScales[i], "pulse.err.scale")
		}
	}
	if utf8.RuneCountInString(a.Comment) > PulseCommentMax {
		f.Add("comment", "err.too_long")
	}
	return f.Err()
}

// PulseRound is a region's pulse of one quarter.
type PulseRound struct {
	ID       int64
	RegionID int64
	Quarter  Quarter
	OpenedOn Date
	// ClosedAt is when the region admin closed it early (zero: open until
	// the end of its quarter).
	ClosedAt  time.Time
	CreatedAt time.Time
	Version   int
}

// ClosesOn is the last day answers are taken: the quarter's end.
func (r PulseRound) ClosesOn() Date { return r.Quarter.End() }

// OpenOn reports whether answers are taken on day d.
func (r PulseRound) OpenOn(d Date) bool {
	return r.ClosedAt.IsZero() && !d.Before(r.OpenedOn) && !d.After(r.ClosesOn())
}

// ClosedOn reports whether the round is over on day d (its figures may be
// shown).
func (r PulseRound) ClosedOn(d Date) bool { return !r.ClosedAt.IsZero() || d.After(r.ClosesOn()) }

// ValidatePulseStart checks starting the pulse of quarter q on day today:
// only the current quarter, once.
func ValidatePulseStart(q Quarter, today Date, rounds []PulseRound) error {
	if q != QuarterOf(today) {
		return &Error{Code: EINVALID, Message: "pulse.err.not_current", Fields: FieldErrors{"quarter": "pulse.err.not_current"}}
	}
	for _, r := range rounds {
		if r.Quarter == q {
			return &Error{Code: ECONFLICT, Message: "pulse.err.started"}
		}
	}
	return nil
}

// PulseTally is what the store sums per round and practice: the number of
// answers and the sum of each scale.
type PulseTally struct {
	RoundID        int64
	PracticeID     int64
	N              int
	Workload       int
	Satisfaction   int
	TimeForPatient int
}

func (t *PulseTally) add(o PulseTally) {
	t.N += o.N
	t.Workload += o.Workload
	t.Satisfaction += o.Satisfaction
	t.TimeForPatient += o.TimeForPatient
}

// Why a figure is not shown.
const (
	PulseHiddenOpen         = "open"          // the round still takes answers
	PulseHiddenFewAnswers   = "few_answers"   // fewer than PulseMinAnswers
	PulseHiddenFewPractices = "few_practices" // would give one practice away
)

// PulseFigure is a practice's or a region's outcome of one round. When
// Hidden is set, N and the means are zero: the page says why, nothing more.
type PulseFigure struct {
	Hidden         string
	N              int
	Practices      int // region figures: practices counted
	Workload       float64
	Satisfaction   float64
	TimeForPatient float64
}

// Shown reports a figure that may be shown.
func (f PulseFigure) Shown() bool { return f.Hidden == "" }

func figureOf(t PulseTally, practices int) PulseFigure {
	n := float64(t.N)
	return PulseFigure{N: t.N, Practices: practices, Workload: float64(t.Workload) / n,
		Satisfaction: float64(t.Satisfaction) / n, TimeForPatient: float64(t.TimeForPatient) / n}
}

// PracticePulseFigure is a practice's figure of a round: shown once the
// round is closed and at least PulseMinAnswers answered.
func PracticePulseFigure(t PulseTally, closed bool) PulseFigure {
	switch {
	case !closed:
		return PulseFigure{Hidden: PulseHiddenOpen}
	case t.N < PulseMinAnswers:
		return PulseFigure{Hidden: PulseHiddenFewAnswers}
	}
	return figureOf(t, 1)
}

// RegionPulseFigure is the region's figure of a round for one viewer: the
// answers of the practices whose own figure is shown (PulseMinAnswers or
// more), never those of a practice with fewer. seen tells which practices'
// figures the viewer also sees (the practice itself, a consultant's
// practices, all for the region admin, none for a funder): when exactly
// one contributing practice is not among them, the region figure minus
// what the viewer sees would be that practice's, so it is hidden.
func RegionPulseFigure(tallies []PulseTally, closed bool, seen func(practiceID int64) bool) PulseFigure {
	if !closed {
		return PulseFigure{Hidden: PulseHiddenOpen}
	}
	var sum PulseTally
	practices, unseen := 0, 0
	for _, t := range tallies {
		if t.N < PulseMinAnswers {
			continue
		}
		sum.add(t)
		practices++
		if seen == nil || !seen(t.PracticeID) {
			unseen++
		}
	}
	switch {
	case sum.N < PulseMinAnswers:
		return PulseFigure{Hidden: PulseHiddenFewAnswers}
	case unseen == 1:
		return PulseFigure{Hidden: PulseHiddenFewPractices}
	}
	return figureOf(sum, practices)
}

// CanManagePulse: start or close a region's pulse: region admins.
func (u *User) CanManagePulse(region int64) bool { return u.CanAdminRegion(region) }

// CanSeePulseRegion: the region's pulse page: region admins (every
// practice), consultants (their practices) and funders (region figures
// only).
func (u *User) CanSeePulseRegion(region int64) bool {
	return u.CanAdminRegion(region) || u.hasRegionRole(region, AccountConsultant, AccountFunder)
}

// CanSeePulsePractice: a practice's pulse figures and its questionnaire
// link: the practice, its consultant and the region admin.
func (u *User) CanSeePulsePractice(p *Practice) bool {
	return p != nil && (u.CanAdminRegion(p.RegionID) || u.isConsultantOf(p) || u.isPracticeLogin(p))
}
