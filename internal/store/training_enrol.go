package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// ---- enrolments (sign-ups with a waiting list) ----

const enrolmentCols = `e.id, e.session_id, e.person_id, e.practice_id, e.status, e.queued_at, e.version, e.created_at, e.updated_at, pe.name, pr.name,
	EXISTS (SELECT 1 FROM training_completions c WHERE c.session_id = e.session_id AND c.person_id = e.person_id)`

const enrolmentFrom = ` FROM training_enrolments e JOIN persons pe ON pe.id = e.person_id JOIN practices pr ON pr.id = e.practice_id`

func scanEnrolment(s rowScanner) (mtvp.Enrolment, error) {
	var e mtvp.Enrolment
	var queued, created, updated time.Time
	err := s.Scan(&e.ID, &e.SessionID, &e.PersonID, &e.PracticeID, &e.Status, &queued, &e.Version, &created, &updated, &e.PersonName, &e.PracticeName, &e.Completed)
	e.CreatedAt, e.UpdatedAt, e.SignedUpOn = utc(created), utc(updated), mtvp.DateOf(queued)
	return e, err
}

func scanEnrolments(rows *sql.Rows, err error) ([]mtvp.Enrolment, error) {
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Enrolment
	for rows.Next() {
		e, err := scanEnrolment(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, e)
	}
	return out, internal(rows.Err())
}

// EnrolmentByID returns one sign-up.
func (db *DB) EnrolmentByID(ctx context.Context, id int64) (mtvp.Enrolment, error) {
	return db.enrolmentByID(ctx, db.rd, id)
}

func (db *DB) enrolmentByID(ctx context.Context, q querier, id int64) (mtvp.Enrolment, error) {
	e, err := scanEnrolment(q.QueryRowContext(ctx, `SELECT `+enrolmentCols+enrolmentFrom+` WHERE e.id = $1`, id))
	return e, rowErr(err)
}

// SessionEnrolments returns a session's sign-ups: placed ones first, then
// the waiting list in its order, then cancelled ones.
func (db *DB) SessionEnrolments(ctx context.Context, sessionID int64) ([]mtvp.Enrolment, error) {
	return scanEnrolments(db.rd.QueryContext(ctx, `SELECT `+enrolmentCols+enrolmentFrom+` WHERE e.session_id = $1
		ORDER BY CASE e.status WHEN 'geplaatst' THEN 0 WHEN 'wachtlijst' THEN 1 ELSE 2 END, e.queued_at, e.id`, sessionID))
}

// PracticeEnrolments returns the sign-ups a practice made (any session),
// newest first.
func (db *DB) PracticeEnrolments(ctx context.Context, practiceID int64) ([]mtvp.Enrolment, error) {
	return scanEnrolments(db.rd.QueryContext(ctx, `SELECT `+enrolmentCols+enrolmentFrom+` WHERE e.practice_id = $1
		ORDER BY e.created_at DESC, e.id DESC`, practiceID))
}

// lockSession takes the session's row lock for the rest of the transaction
// (a no-op update: PostgreSQL locks the row, SQLite already holds the one
// write lock) and returns its capacity and region. Two sign-ups for the
// last place therefore run one after the other and the second sees the
// first's place.
func (db *DB) lockSession(ctx context.Context, tx *sql.Tx, sessionID int64) (capacity int, regionID int64, trainingID int64, err error) {
	err = tx.QueryRowContext(ctx, `UPDATE training_sessions SET capacity = capacity WHERE id = $1 RETURNING capacity, region_id, training_id`, sessionID).
		Scan(&capacity, &regionID, &trainingID)
	return capacity, regionID, trainingID, rowErr(err)
}

func (db *DB) placedCount(ctx context.Context, tx *sql.Tx, sessionID int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_enrolments WHERE session_id = $1 AND status = 'geplaatst'`, sessionID).Scan(&n)
	return n, internal(err)
}

// onStaff reports whether the person has a membership at the practice that
// has not ended by day.
func (db *DB) onStaff(ctx context.Context, q querier, practiceID, personID int64, day mtvp.Date) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE practice_id = $1 AND person_id = $2 AND (to_date IS NULL OR to_date >= $3)`,
		practiceID, personID, day).Scan(&n)
	return n > 0, internal(err)
}

// Enrol signs e.PersonID of practice e.PracticeID up for session
// e.SessionID: placed while places are free, else on the waiting list.
// The person must be on the practice's staff, the practice in the
// session's region, the training active and the session not yet begun —
// all on the sign-up's date: e.SignedUpOn when history is recorded (a
// date before today, audited as recorded afterwards), else today.
// A cancelled sign-up is renewed (at the back of the queue). e.Status tells
// the outcome.
func (db *DB) Enrol(ctx context.Context, a mtvp.Actor, e *mtvp.Enrolment) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		capacity, regionID, trainingID, err := db.lockSession(ctx, tx, e.SessionID)
		if err != nil {
			return err
		}
		ses, err := db.sessionByID(ctx, tx, e.SessionID)
		if err != nil {
			return err
		}
		t, err := db.trainingByID(ctx, tx, trainingID)
		if err != nil {
			return err
		}
		if !t.Active {
			return invalid("session", "training.err.training_inactive")
		}
		on := db.today()
		if !e.SignedUpOn.IsZero() && e.SignedUpOn.Before(on) {
			on = e.SignedUpOn
		}
		if ses.FirstDate().Before(on) {
			return invalid("session", "training.err.session_started")
		}
		p, err := db.practiceByID(ctx, tx, e.PracticeID)
		if err != nil {
			return err
		}
		if p.RegionID != regionID {
			return notFound()
		}
		ok, err := db.onStaff(ctx, tx, e.PracticeID, e.PersonID, on)
		if err != nil {
			return err
		}
		if !ok {
			return invalid("person", "training.err.person_not_on_staff")
		}
		placed, err := db.placedCount(ctx, tx, e.SessionID)
		if err != nil {
			return err
		}
		e.Status = mtvp.EnrolmentWaiting
		if mtvp.SeatTaken(capacity, placed) {
			e.Status = mtvp.EnrolmentPlaced
		}
		now, queued := db.now(), db.recordedAt(on)
		var oldID int64
		var oldStatus mtvp.EnrolmentStatus
		err = tx.QueryRowContext(ctx, `SELECT id, status FROM training_enrolments WHERE session_id = $1 AND person_id = $2`, e.SessionID, e.PersonID).Scan(&oldID, &oldStatus)
		switch {
		case err == nil && oldStatus != mtvp.EnrolmentCancelled:
			return invalid("person", "training.err.already_enrolled")
		case err == nil:
			if _, err := tx.ExecContext(ctx, `UPDATE training_enrolments SET status = $2, practice_id = $3, queued_at = $4, promoted_at = NULL, version = version + 1, updated_at = $5 WHERE id = $1`,
				oldID, e.Status, e.PracticeID, queued, now); err != nil {
				return internal(err)
			}
			e.ID = oldID
		case err == sql.ErrNoRows:
			err = tx.QueryRowContext(ctx, `INSERT INTO training_enrolments (session_id, person_id, practice_id, status, queued_at, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id`, e.SessionID, e.PersonID, e.PracticeID, e.Status, queued, now).Scan(&e.ID)
			if isUnique(err) {
				return invalid("person", "training.err.already_enrolled")
			}
			if err != nil {
				return internal(err)
			}
		default:
			return internal(err)
		}
		cur, err := db.enrolmentByID(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		*e = cur
		return db.audit(ctx, tx, a, regionID, EntityEnrolment, e.ID, ActionCreate, append([]mtvp.Change{
			{Field: "Session", New: strconv.FormatInt(e.SessionID, 10)},
			{Field: "Person", New: e.PersonName},
			{Field: "Status", New: string(e.Status)},
		}, mtvp.RecordedAfterwards(on, db.today())...))
	})
}

// CancelEnrolment cancels a sign-up if version is current. A freed place
// goes to the first on the waiting list in the same transaction.
func (db *DB) CancelEnrolment(ctx context.Context, a mtvp.Actor, id int64, version int) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.enrolmentByID(ctx, tx, id)
		if err != nil {
			return err
		}
		_, regionID, _, err := db.lockSession(ctx, tx, old.SessionID)
		if err != nil {
			return err
		}
		if old.Version != version {
			return conflict()
		}
		if old.Status == mtvp.EnrolmentCancelled {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE training_enrolments SET status = 'geannuleerd', version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2`,
			id, version, db.now())
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		if err := db.audit(ctx, tx, a, regionID, EntityEnrolment, id, ActionUpdate, []mtvp.Change{{Field: "Status", Old: string(old.Status), New: string(mtvp.EnrolmentCancelled)}}); err != nil {
			return err
		}
		return db.promoteWaiting(ctx, tx, a, old.SessionID, regionID)
	})
}

// promoteWaiting moves the waiting list up into free places by the shared
// seat rule (mtvp.PromoteWaiting). The caller holds the session's lock.
func (db *DB) promoteWaiting(ctx context.Context, tx *sql.Tx, a mtvp.Actor, sessionID, regionID int64) error {
	capacity, _, _, err := db.lockSession(ctx, tx, sessionID)
	if err != nil {
		return err
	}
	placed, err := db.placedCount(ctx, tx, sessionID)
	if err != nil {
		return err
	}
	if mtvp.FreeSeats(capacity, placed) == 0 {
		return nil
	}
	waiting, err := collectWaiters(tx.QueryContext(ctx, `SELECT id, queued_at FROM training_enrolments WHERE session_id = $1 AND status = 'wachtlijst'`, sessionID))
	if err != nil {
		return err
	}
	ids := mtvp.PromoteWaiting(capacity, placed, waiting)
	now := db.now()
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE training_enrolments SET status = 'geplaatst', promoted_at = $2, version = version + 1, updated_at = $2 WHERE id = $1`, id, now); err != nil {
			return internal(err)
		}
		if err := db.audit(ctx, tx, a, regionID, EntityEnrolment, id, ActionUpdate, []mtvp.Change{{Field: "Status", Old: string(mtvp.EnrolmentWaiting), New: string(mtvp.EnrolmentPlaced)}}); err != nil {
			return err
		}
	}
	return nil
}

// ---- completions ----

const completionCols = `c.id, c.session_id, c.training_id, c.person_id, c.completed_on, c.created_at, pe.name, t.title, t.target, t.counts_for_norms`

const completionFrom = ` FROM training_completions c JOIN persons pe ON pe.id = c.person_id JOIN trainings t ON t.id = c.training_id`

func scanCompletions(rows *sql.Rows, err error) ([]mtvp.Completion, error) {
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Completion
	for rows.Next() {
		var c mtvp.Completion
		var created time.Time
		counts := true
		if err := rows.Scan(&c.ID, &c.SessionID, &c.TrainingID, &c.PersonID, &c.CompletedOn, &created, &c.PersonName, &c.TrainingTitle, &c.Target, &counts); err != nil {
			return nil, internal(err)
		}
		c.CreatedAt, c.NotCounting = utc(created), !counts
		out = append(out, c)
	}
	return out, internal(rows.Err())
}

// SessionCompletions returns who completed a session, by name.
func (db *DB) SessionCompletions(ctx context.Context, sessionID int64) ([]mtvp.Completion, error) {
	return scanCompletions(db.rd.QueryContext(ctx, `SELECT `+completionCols+completionFrom+` WHERE c.session_id = $1 ORDER BY pe.search_key, c.id`, sessionID))
}

// RecordCompletions records, all or nothing, that these people completed
// the session on the given dates (a person already recorded gets the new
// date). Every person must belong to the session's region; every date
// must pass mtvp.ValidateCompletion. Field errors are keyed "row.N" (N
// from 1, the input's order).
func (db *DB) RecordCompletions(ctx context.Context, a mtvp.Actor, sessionID int64, cs []mtvp.Completion) error {
	if len(cs) == 0 {
		return invalid("rows", "training.err.no_rows")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		ses, err := db.sessionByID(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		today := db.today()
		f := mtvp.FieldErrors{}
		seen := map[int64]bool{}
		for i, c := range cs {
			key := "row." + strconv.Itoa(i+1)
			if err := mtvp.ValidateCompletion(c.CompletedOn, ses, today); err != nil {
				f.Add(key, mtvp.FieldErrorsOf(err)["completed_on"])
			}
			if seen[c.PersonID] {
				f.Add(key, "training.err.person_twice")
			}
			seen[c.PersonID] = true
			p, err := db.personByID(ctx, tx, c.PersonID)
			if err != nil || p.RegionID != ses.RegionID {
				f.Add(key, "training.err.person_unknown")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := db.now()
		for _, c := range cs {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO training_completions (session_id, training_id, person_id, completed_on, created_at)
				VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (session_id, person_id) DO UPDATE SET completed_on = excluded.completed_on RETURNING id`,
				sessionID, ses.TrainingID, c.PersonID, c.CompletedOn, now).Scan(&id)
			if err != nil {
				return internal(err)
			}
			if err := db.audit(ctx, tx, a, ses.RegionID, EntityCompletion, id, ActionCreate, []mtvp.Change{
				{Field: "Session", New: strconv.FormatInt(sessionID, 10)},
				{Field: "Person", New: strconv.FormatInt(c.PersonID, 10)},
				{Field: "CompletedOn", New: c.CompletedOn.String()},
			}); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteCompletion removes a recorded completion of the session.
func (db *DB) DeleteCompletion(ctx context.Context, a mtvp.Actor, sessionID, id int64) error {
	return db.deleteCompletion(ctx, a, sessionID, id, "")
}

// UndoCompletion removes a completion recorded by mistake, with a reason
// (required: mtvp.CheckReason) kept in the audit entry. sessionID 0: the
// completion's own session.
func (db *DB) UndoCompletion(ctx context.Context, a mtvp.Actor, sessionID, id int64, reason string) error {
	if err := mtvp.CheckReason(reason); err != nil {
		return err
	}
	if sessionID == 0 {
		if err := db.rd.QueryRowContext(ctx, `SELECT session_id FROM training_completions WHERE id = $1`, id).Scan(&sessionID); err != nil {
			return rowErr(err)
		}
	}
	return db.deleteCompletion(ctx, a, sessionID, id, strings.TrimSpace(reason))
}

// CompletionByID returns one completion (without the listed names).
func (db *DB) CompletionByID(ctx context.Context, id int64) (mtvp.Completion, error) {
	var c mtvp.Completion
	err := db.rd.QueryRowContext(ctx, `SELECT id, session_id, person_id, completed_on FROM training_completions WHERE id = $1`, id).
		Scan(&c.ID, &c.SessionID, &c.PersonID, &c.CompletedOn)
	return c, rowErr(err)
}

func (db *DB) deleteCompletion(ctx context.Context, a mtvp.Actor, sessionID, id int64, reason string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		ses, err := db.sessionByID(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		var personID int64
		var on mtvp.Date
		if err := tx.QueryRowContext(ctx, `SELECT person_id, completed_on FROM training_completions WHERE id = $1 AND session_id = $2`, id, sessionID).Scan(&personID, &on); err != nil {
			return rowErr(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM training_completions WHERE id = $1`, id); err != nil {
			return internal(err)
		}
		changes := []mtvp.Change{{Field: "Person", Old: strconv.FormatInt(personID, 10)}, {Field: "CompletedOn", Old: on.String()}}
		if reason != "" {
			changes = append(changes, mtvp.Change{Field: "Reason", New: reason})
		}
		return db.audit(ctx, tx, a, ses.RegionID, EntityCompletion, id, ActionDelete, changes)
	})
}

// collectWaiters reads (id, queued moment) rows of a waiting list for the
// shared seat rule.
func collectWaiters(rows *sql.Rows, err error) ([]mtvp.Waiter, error) {
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Waiter
	for rows.Next() {
		var w mtvp.Waiter
		var q time.Time
		if err := rows.Scan(&w.ID, &q); err != nil {
			return nil, internal(err)
		}
		w.Queued = utc(q)
		out = append(out, w)
	}
	return out, internal(rows.Err())
}
