package store

import (
	"time"

	"meertijd/internal/mtvp"
)

// Recording the past: the store functions that take a real date (SignUp's
// on, Enrolment.SignedUpOn, PlanStepOn's on, a visit's VisitedOn) keep the
// bounds of mtvp.RecordDate / mtvp.SignUpDate themselves, so the importers
// get them too; who may give which date is decided by the caller with the
// same rules (mtvp.RecorderFor). A write dated before today carries the
// audit line mtvp.RecordedAfterwards.

// atDay is the moment stored for a write dated on day d before today:
// noon UTC, which is day d in the programme's zone too.
func atDay(d mtvp.Date) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, time.UTC)
}

// recordedAt is the moment of a write dated on (zero: now): now for today
// or no date, else noon of that day.
func (db *DB) recordedAt(on mtvp.Date) time.Time {
	if on.IsZero() || !on.Before(db.today()) {
		return db.now()
	}
	return atDay(on)
}
