package web

// Recording the past by hand (issue 12 §2). A form that records something
// which may have happened before today (a sign-up, a plan's finalisation)
// takes an optional "real date" field. One helper reads it and lets the
// domain rule decide (mtvp.SignUpDate or mtvp.RecordDate, for the user as
// mtvp.RecorderFor); one partial ("history-date") shows it. The store
// audits a write dated before today as recorded afterwards.

import (
	"net/http"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// historyRule is mtvp.SignUpDate or mtvp.RecordDate.
type historyRule func(rec mtvp.Recorder, on, today mtvp.Date, year int, field string) (mtvp.Date, error)

// historyField is the optional date field of such a form, for the
// "history-date" partial.
type historyField struct {
	Show     bool   // the user may give a date in another year (a region admin)
	Required bool   // the programme year is over: the real date is needed
	Closed   bool   // the programme year is over and the user may not record in it
	Name     string // form field, also the key of its error
	Label    string // message key
	Hint     string // message key
	Value    string // as posted
	Max      string // today: nothing is recorded ahead
}

// historyFieldFor is the field name (label key label) of a form about
// programme year year in region: shown to region admins, required once the
// year is over when required is true (a sign-up). hint and pastHint are the
// hints for an open and an ended year.
func (s *Server) historyFieldFor(r *http.Request, region int64, year int, name, label, hint, pastHint string, required bool) historyField {
	today := s.today()
	f := historyField{Show: mtvp.RecorderFor(currentUser(r), region).RegionAdmin, Name: name, Label: label, Hint: hint,
		Value: strings.TrimSpace(r.PostFormValue(name)), Max: today.String()}
	if year < today.Year() {
		f.Required, f.Hint, f.Closed = required, pastHint, required && !f.Show
	}
	return f
}

// offered reports whether a staff membership is offered in a form about
// programme year year: current today, or for a year that is over, on any
// day of it (a sign-up recorded afterwards).
func (s *Server) offered(m mtvp.Membership, year int) bool {
	today := s.today()
	if year >= today.Year() {
		return m.ActiveOn(today)
	}
	return !m.From.After(mtvp.NewDate(year, time.December, 31)) && (m.To.IsZero() || !m.To.Before(mtvp.NewDate(year, time.January, 1)))
}

// historyDate reads the optional date field name (empty: the zero date)
// and has rule decide it for the current user in region, for programme
// year year. A refusal lands in errs under name (the date returned is then
// zero).
func (s *Server) historyDate(r *http.Request, name string, region int64, year int, rule historyRule, errs mtvp.FieldErrors) mtvp.Date {
	var on mtvp.Date
	if strings.TrimSpace(r.PostFormValue(name)) != "" {
		if on = formDate(r, name, errs); on.IsZero() {
			return mtvp.Date{}
		}
	}
	d, err := rule(mtvp.RecorderFor(currentUser(r), region), on, s.today(), year, name)
	if err != nil && !mergeErrors(errs, err) {
		errs.Add(name, "err.invalid")
	}
	return d
}
