package mtvp

import "strings"

// Recording the past by hand. A region that moves into meertijd mid-way
// enters what already happened with its real date: a sign-up's date, a
// plan's finalisation date, a visit's date, attendance at meetings of a
// past year. These rules decide which dates are allowed for whom; web,
// API and the importers ask them and nothing else. Every write with a
// date before today is audited as "recorded afterwards"
// (RecordedAfterwards).

// Recorder is what a person recording a date may do in the record's
// region: a region admin records any past year; others record the
// current year only.
type Recorder struct {
	RegionAdmin bool
}

// RecorderFor is the Recorder of u in a region.
func RecorderFor(u *User, region int64) Recorder {
	return Recorder{RegionAdmin: u != nil && u.CanAdminRegion(region)}
}

// SignUpDate decides the date of a new sign-up for a programme year (an
// intervision group's year, or the year of a training session's first
// day), given as on (zero: today), by rec on day today. The field named
// in errors is field.
//
//   - A date after today is refused (a sign-up cannot be recorded ahead).
//   - A date after the programme year is refused ("outside the year").
//   - A year before this one is closed to new sign-ups, except for a
//     region admin recording history, who must then give the date.
//   - Only a region admin gives a date in an earlier calendar year than
//     today's.
func SignUpDate(rec Recorder, on, today Date, year int, field string) (Date, error) {
	f := FieldErrors{}
	past := year < today.Year()
	switch {
	case past && !rec.RegionAdmin:
		f.Add(field, "history.err.year_closed")
	case on.IsZero() && past:
		f.Add(field, "history.err.date_required_past")
	case on.IsZero():
		return today, nil
	}
	if len(f) > 0 {
		return Date{}, f.Err()
	}
	return pastDate(rec, on, today, on.Year() > year, field)
}

// RecordDate decides the date of something that happened within a
// programme year (a plan's finalisation, a visit), given as on (zero:
// today), by rec on day today: not after today, inside the year, and in
// an earlier calendar year than today's only for a region admin.
func RecordDate(rec Recorder, on, today Date, year int, field string) (Date, error) {
	if on.IsZero() {
		on = today
	}
	return pastDate(rec, on, today, on.Year() != year, field)
}

// pastDate is the check both share: a date not after today, not outside
// the programme year (outside), and in an earlier calendar year than
// today's only for a region admin.
func pastDate(rec Recorder, on, today Date, outside bool, field string) (Date, error) {
	f := FieldErrors{}
	switch {
	case on.After(today):
		f.Add(field, "history.err.date_future")
	case outside:
		f.Add(field, "history.err.date_outside_year")
	case on.Year() < today.Year() && !rec.RegionAdmin:
		f.Add(field, "history.err.admin_only")
	}
	if len(f) > 0 {
		return Date{}, f.Err()
	}
	return on, nil
}

// PastYearRecorded is RecordedAfterwards for what is by nature recorded
// after the day (a visit's outcome, a meeting's attendance): only a date
// in an earlier calendar year than today's is marked.
func PastYearRecorded(on, today Date) []Change {
	if on.IsZero() || on.Year() >= today.Year() {
		return nil
	}
	return RecordedAfterwards(on, today)
}

// RecordedAfterwards is the audit line that marks a write dated before
// today (its real date), or nil for a write dated today.
func RecordedAfterwards(on, today Date) []Change {
	if on.IsZero() || !on.Before(today) {
		return nil
	}
	return []Change{{Field: "RecordedAfterwards", New: on.String()}}
}

// ReasonMax is the longest reason for withdrawing or undoing a record.
const ReasonMax = 500

// CheckReason: withdrawing a claim or undoing a completion needs a reason
// (it stays in the history).
func CheckReason(reason string) error {
	f := FieldErrors{}
	switch r := strings.TrimSpace(reason); {
	case r == "":
		f.Add("reason", "err.required")
	case len(r) > ReasonMax:
		f.Add("reason", "err.too_long")
	}
	return f.Err()
}

// CanWithdrawClaim: the practice withdraws its own claim while it awaits
// the consultant; the region admin withdraws any claim of the region (a
// decided one too, e.g. one entered by mistake).
func (u *User) CanWithdrawClaim(p *Practice, c Claim) bool {
	if u == nil || p == nil {
		return false
	}
	return u.CanAdminRegion(p.RegionID) || (c.Status == ClaimPending && u.CanSubmitClaim(p))
}

// CanUndoCompletion: those who record completions undo one.
func (u *User) CanUndoCompletion(region int64) bool { return u.CanRecordCompletions(region) }
