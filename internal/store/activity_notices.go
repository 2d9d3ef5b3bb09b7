package store

import (
	"context"
	"database/sql"

	"meertijd/internal/mtvp"
)

// Mails about a change of an activity (issue 16 §1): a new date, time or
// place, a cancellation, and places given from the waiting list. The store
// gathers, inside the change's transaction, whom they are for and what
// changed (ActivityNotice); the caller's ActivityMailer renders the mails
// (internal/mail) and the store writes them into the outbox in that same
// transaction, so a change that rolls back sends nothing and a committed
// one loses nothing. Their dedupe keys make a repeated write a no-op.

// Addressee is a mail's recipient as the store knows it: a person's
// address with the language of the enabled login of that address (if any),
// or a login.
type Addressee struct {
	Email  string
	Name   string
	Locale string // "nl" or "en"
	UserID int64  // 0: the address has no (enabled) login
}

// ActivityAddressee is a signed-up person with their address.
type ActivityAddressee struct {
	SignUp mtvp.ActivitySignUp
	To     Addressee
}

// ActivityPromotion is a sign-up moved from the waiting list to a place,
// with the person (To.Email "" without an address) and the enabled logins
// of the practice that signed them up (they get the same mail, as for
// intervision groups and training sessions).
type ActivityPromotion struct {
	ActivityAddressee
	Practice []Addressee
}

// ActivityNotice is what the mails of one change of an activity are
// written from.
type ActivityNotice struct {
	Region mtvp.Region
	// Old is the activity before the change, New after it (for a
	// cancellation New is Old).
	Old, New  mtvp.Activity
	Cancelled bool
	// Sequence is the iCal SEQUENCE of the event after the change: the
	// activity's version, and for a cancellation one more than its last.
	// The .ics download carries the same (ActivityCancellation.Sequence
	// once cancelled), so a calendar never sees it go down.
	Sequence int
	// People: everyone signed up (placed or waiting) before the change who
	// has an address, in the order of the sign-up list.
	People []ActivityAddressee
	// Promoted: the places given from the waiting list by this change.
	Promoted []ActivityPromotion
	// PlaceFree is the region's setting for mails about a place from the
	// waiting list (off: none; Days: the time to decline).
	PlaceFree mtvp.ReminderRule
	Today     mtvp.Date
}

// ScheduleChanged reports whether the change moved the activity in a
// calendar: its date, start or end time or place (a new description or
// title alone does not).
func (n ActivityNotice) ScheduleChanged() bool {
	o, a := n.Old, n.New
	return !o.Date.Equal(a.Date) || o.StartTime != a.StartTime || o.EndTime != a.EndTime || o.Place != a.Place
}

// worthTelling reports whether people signed up are told of the change:
// the schedule changed and the activity was or is still to come on today
// (correcting the record of one held before is nobody's news).
func (n ActivityNotice) worthTelling(today mtvp.Date) bool {
	return n.ScheduleChanged() && (!n.Old.Date.Before(today) || !n.New.Date.Before(today))
}

// ActivityMailer renders the mails of a change (none is fine); the store
// writes them into the outbox in the change's transaction. A nil
// ActivityMailer writes no mail.
type ActivityMailer func(ActivityNotice) ([]*Mail, error)

// ActivityCancellation is what a calendar still needs of a cancelled
// (removed) activity: its region, what its entry said and the SEQUENCE of
// the cancellation.
type ActivityCancellation struct {
	ActivityID  int64
	RegionID    int64
	Title       string
	Date        mtvp.Date
	StartTime   string
	EndTime     string
	Place       string
	Sequence    int
	CancelledAt sql.NullTime
}

// ActivityCancellationByID returns the cancellation of a removed activity
// (ENOTFOUND when it was never cancelled).
func (db *DB) ActivityCancellationByID(ctx context.Context, activityID int64) (ActivityCancellation, error) {
	var c ActivityCancellation
	err := db.rd.QueryRowContext(ctx, `SELECT activity_id, region_id, title, day, start_time, end_time, place, sequence, cancelled_at
		FROM activity_cancellations WHERE activity_id = $1`, activityID).
		Scan(&c.ActivityID, &c.RegionID, &c.Title, &c.Date, &c.StartTime, &c.EndTime, &c.Place, &c.Sequence, &c.CancelledAt)
	return c, rowErr(err)
}

// Activity is the cancelled activity as far as it is kept.
func (c ActivityCancellation) Activity() mtvp.Activity {
	return mtvp.Activity{ID: c.ActivityID, RegionID: c.RegionID, Title: c.Title, Date: c.Date, StartTime: c.StartTime, EndTime: c.EndTime, Place: c.Place}
}

// activityAddressees reads the activity's placed and waiting sign-ups that
// have an address (in the order of ActivitySignUps), with the language of
// the enabled login of that address.
func activityAddressees(ctx context.Context, tx *sql.Tx, activityID int64, ids ...int64) ([]ActivityAddressee, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+signUpCols+`, pe.email, COALESCE(u.id, 0), COALESCE(u.name, ''), COALESCE(u.locale, '')`+signUpFrom+`
		LEFT JOIN users u ON u.email = LOWER(TRIM(pe.email)) AND NOT u.disabled
		WHERE s.activity_id = $1 AND s.status IN ('geplaatst', 'wachtlijst') AND pe.email <> ''
		ORDER BY CASE s.status WHEN 'geplaatst' THEN 0 ELSE 1 END, s.queued_at, s.id`, activityID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var out []ActivityAddressee
	for rows.Next() {
		var x ActivityAddressee
		var userName string
		var attended sql.NullBool
		var queued, promoted sql.NullTime
		s := &x.SignUp
		if err := rows.Scan(&s.ID, &s.ActivityID, &s.PersonID, &s.PracticeID, &s.PersonName, &s.PracticeName, &s.Status, &queued, &promoted, &attended, &s.Version,
			&x.To.Email, &x.To.UserID, &userName, &x.To.Locale); err != nil {
			return nil, internal(err)
		}
		s.Queued, s.PromotedAt = nullTime(queued), nullTime(promoted)
		if attended.Valid {
			b := attended.Bool
			s.Attended = &b
		}
		x.To.Name = s.PersonName
		if x.To.UserID != 0 && userName != "" {
			x.To.Name = userName
		}
		if x.To.Locale != "en" {
			x.To.Locale = "nl"
		}
		if len(ids) == 0 || want[s.ID] {
			out = append(out, x)
		}
	}
	return out, internal(rows.Err())
}

// practiceAddressees are the enabled logins of a practice.
func practiceAddressees(ctx context.Context, tx *sql.Tx, practiceID int64) ([]Addressee, error) {
	rows, err := tx.QueryContext(ctx, `SELECT u.id, u.email, u.name, u.locale FROM users u JOIN grants g ON g.user_id = u.id
		WHERE g.role = $2 AND g.practice_id = $1 AND NOT u.disabled ORDER BY u.id`, practiceID, string(mtvp.AccountPractice))
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []Addressee
	for rows.Next() {
		var a Addressee
		if err := rows.Scan(&a.UserID, &a.Email, &a.Name, &a.Locale); err != nil {
			return nil, internal(err)
		}
		out = append(out, a)
	}
	return out, internal(rows.Err())
}

// writeActivityMails completes n (region, setting, promotions) inside tx,
// lets mailer render its mails and writes them into the outbox.
func (db *DB) writeActivityMails(ctx context.Context, tx *sql.Tx, mailer ActivityMailer, n ActivityNotice, promoted []int64) error {
	if mailer == nil {
		return nil
	}
	reg, err := db.regionByID(ctx, tx, n.Old.RegionID)
	if err != nil {
		return err
	}
	n.Region, n.Today = reg, db.today()
	var raw []byte
	if err := tx.QueryRowContext(ctx, `SELECT reminder_settings FROM regions WHERE id = $1`, reg.ID).Scan(&raw); err != nil {
		return internal(err)
	}
	settings, err := decodeReminderSettings(raw)
	if err != nil {
		return err
	}
	n.PlaceFree = settings.PlaceFree
	if len(promoted) > 0 {
		people, err := activityAddressees(ctx, tx, n.Old.ID, promoted...)
		if err != nil {
			return err
		}
		found := map[int64]bool{}
		for _, p := range people {
			found[p.SignUp.ID] = true
		}
		for _, id := range promoted {
			if found[id] {
				continue
			}
			// No address: the practice is still told.
			x, err := scanSignUp(tx.QueryRowContext(ctx, `SELECT `+signUpCols+signUpFrom+` WHERE s.id = $1`, id))
			if err != nil {
				return internal(err)
			}
			people = append(people, ActivityAddressee{SignUp: x})
		}
		for _, p := range people {
			logins, err := practiceAddressees(ctx, tx, p.SignUp.PracticeID)
			if err != nil {
				return err
			}
			n.Promoted = append(n.Promoted, ActivityPromotion{ActivityAddressee: p, Practice: logins})
		}
	}
	mails, err := mailer(n)
	if err != nil {
		return internal(err)
	}
	for _, m := range mails {
		if _, err := db.enqueueMail(ctx, tx, m); err != nil {
			return err
		}
	}
	return nil
}
