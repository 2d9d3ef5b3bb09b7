package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
)

// The job-satisfaction pulse (see mtvp/pulse.go). Answers are written
// without any link to a person, a token or a moment, and no audit entry is
// written for them (its time would tell who answered when).

// EntityPulse is the audit entity of a pulse round.
const EntityPulse = "pulse_round"

// ActionClose closes a pulse round.
const ActionClose = "close"

// PulsePractice is a practice in a round: its shared link, the number of
// answers it takes and the number it got.
type PulsePractice struct {
	RoundID      int64
	PracticeID   int64
	PracticeName string
	LinkToken    string
	Staff        int
	Answers      int
}

// PulseInvite is a personal one-time link of a staff member, with its mail.
type PulseInvite struct {
	PracticeID int64
	PersonID   int64
	TokenHash  string
	Mail       *Mail
}

// PulseStart is what starting a round writes, all in one transaction.
type PulseStart struct {
	Round     *mtvp.PulseRound
	Practices []PulsePractice
	Invites   []PulseInvite
}

const pulseRoundCols = `r.id, r.region_id, r.year, r.quarter, r.opened_on, r.closed_at, r.created_at, r.version`

func scanPulseRound(s rowScanner) (mtvp.PulseRound, error) {
	var r mtvp.PulseRound
	var closed sql.NullTime
	err := s.Scan(&r.ID, &r.RegionID, &r.Quarter.Year, &r.Quarter.Q, &r.OpenedOn, &closed, &r.CreatedAt, &r.Version)
	if closed.Valid {
		r.ClosedAt = closed.Time.UTC()
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, err
}

// StartPulse writes a new round with its practices, personal links and
// their mails. A second round of the same quarter is a conflict.
func (db *DB) StartPulse(ctx context.Context, a mtvp.Actor, s *PulseStart) error {
	r := s.Round
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := ts(db.now())
		err := tx.QueryRowContext(ctx, `INSERT INTO pulse_rounds (region_id, year, quarter, opened_on, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.RegionID, r.Quarter.Year, r.Quarter.Q, r.OpenedOn, nullID(a.UserID), now).Scan(&r.ID)
		if err != nil {
			if isUnique(err) {
				return &mtvp.Error{Code: mtvp.ECONFLICT, Message: "pulse.err.started"}
			}
			return internal(err)
		}
		r.CreatedAt, r.Version = now, 1
		for i := range s.Practices {
			p := &s.Practices[i]
			p.RoundID = r.ID
			if _, err := tx.ExecContext(ctx, `INSERT INTO pulse_practices (round_id, practice_id, link_token, staff) VALUES ($1, $2, $3, $4)`,
				r.ID, p.PracticeID, p.LinkToken, p.Staff); err != nil {
				return internal(err)
			}
		}
		for _, in := range s.Invites {
			if _, err := tx.ExecContext(ctx, `INSERT INTO pulse_tokens (token_hash, round_id, practice_id, person_id) VALUES ($1, $2, $3, $4)`,
				in.TokenHash, r.ID, in.PracticeID, in.PersonID); err != nil {
				return internal(err)
			}
			if in.Mail != nil {
				if _, err := db.enqueueMail(ctx, tx, in.Mail); err != nil {
					return err
				}
			}
		}
		return db.audit(ctx, tx, a, r.RegionID, EntityPulse, r.ID, ActionCreate, []mtvp.Change{
			{Field: "Quarter", New: r.Quarter.String()}, {Field: "Practices", New: strconv.Itoa(len(s.Practices))},
			{Field: "Mails", New: strconv.Itoa(len(s.Invites))}})
	})
}

// PulseRounds lists a region's rounds, the latest first.
func (db *DB) PulseRounds(ctx context.Context, regionID int64) ([]mtvp.PulseRound, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+pulseRoundCols+` FROM pulse_rounds r WHERE r.region_id = $1
		ORDER BY r.year DESC, r.quarter DESC`, regionID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.PulseRound
	for rows.Next() {
		r, err := scanPulseRound(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, r)
	}
	return out, internal(rows.Err())
}

// PulseRoundByID returns one round.
func (db *DB) PulseRoundByID(ctx context.Context, id int64) (mtvp.PulseRound, error) {
	r, err := scanPulseRound(db.rd.QueryRowContext(ctx, `SELECT `+pulseRoundCols+` FROM pulse_rounds r WHERE r.id = $1`, id))
	return r, rowErr(err)
}

// ClosePulse closes an open round before its quarter ends (version
// checked).
func (db *DB) ClosePulse(ctx context.Context, a mtvp.Actor, r *mtvp.PulseRound) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := ts(db.now())
		res, err := tx.ExecContext(ctx, `UPDATE pulse_rounds SET closed_at = $3, version = version + 1
			WHERE id = $1 AND version = $2 AND closed_at IS NULL`, r.ID, r.Version, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		r.ClosedAt = now
		r.Version++
		return db.audit(ctx, tx, a, r.RegionID, EntityPulse, r.ID, ActionClose, []mtvp.Change{{Field: "Quarter", New: r.Quarter.String()}})
	})
}

// PulsePractices lists the practices of a round by name (practiceID 0:
// all of them).
func (db *DB) PulsePractices(ctx context.Context, roundID, practiceID int64) ([]PulsePractice, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT pp.round_id, pp.practice_id, p.name, pp.link_token, pp.staff, pp.answers
		FROM pulse_practices pp JOIN practices p ON p.id = pp.practice_id
		WHERE pp.round_id = $1 AND ($2 = 0 OR pp.practice_id = $2) ORDER BY p.name, p.id`, roundID, practiceID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []PulsePractice
	for rows.Next() {
		var p PulsePractice
		if err := rows.Scan(&p.RoundID, &p.PracticeID, &p.PracticeName, &p.LinkToken, &p.Staff, &p.Answers); err != nil {
			return nil, internal(err)
		}
		out = append(out, p)
	}
	return out, internal(rows.Err())
}

// PulseTarget is what a questionnaire link opens: a round and a practice,
// and whether it is a personal link that was used already.
type PulseTarget struct {
	Round        mtvp.PulseRound
	PracticeID   int64
	PracticeName string
	RegionName   string
	Personal     bool
	Used         bool
	Full         bool // the practice has as many answers as staff
}

// PulseByToken finds a questionnaire link: a personal one by its hash, or
// a practice's shared link by its token.
func (db *DB) PulseByToken(ctx context.Context, token, tokenHash string) (PulseTarget, error) {
	var t PulseTarget
	var roundID int64
	err := db.rd.QueryRowContext(ctx, `SELECT round_id, practice_id, used FROM pulse_tokens WHERE token_hash = $1`, tokenHash).
		Scan(&roundID, &t.PracticeID, &t.Used)
	switch {
	case err == nil:
		t.Personal = true
	case err == sql.ErrNoRows:
		if err := db.rd.QueryRowContext(ctx, `SELECT round_id, practice_id FROM pulse_practices WHERE link_token = $1`, token).
			Scan(&roundID, &t.PracticeID); err != nil {
			return t, rowErr(err)
		}
	default:
		return t, internal(err)
	}
	var staff, answers int
	err = db.rd.QueryRowContext(ctx, `SELECT `+pulseRoundCols+`, p.name, g.name, pp.staff, pp.answers
		FROM pulse_rounds r JOIN pulse_practices pp ON pp.round_id = r.id JOIN practices p ON p.id = pp.practice_id
		JOIN regions g ON g.id = r.region_id WHERE r.id = $1 AND pp.practice_id = $2`, roundID, t.PracticeID).
		Scan(&t.Round.ID, &t.Round.RegionID, &t.Round.Quarter.Year, &t.Round.Quarter.Q, &t.Round.OpenedOn, scanNullTime{&t.Round.ClosedAt},
			&t.Round.CreatedAt, &t.Round.Version, &t.PracticeName, &t.RegionName, &staff, &answers)
	t.Full = answers >= staff
	return t, rowErr(err)
}

// AnswerPulse stores an answer given through a link on day today, in one
// transaction: a personal link is marked used (once), the practice's
// count goes up (never beyond its staff) and the answer is written with a
// random key and nothing else that could point back.
func (db *DB) AnswerPulse(ctx context.Context, token, tokenHash string, a mtvp.PulseAnswer, today mtvp.Date) error {
	a.Normalize()
	if err := mtvp.ValidatePulseAnswer(a); err != nil {
		return err
	}
	t, err := db.PulseByToken(ctx, token, tokenHash)
	if err != nil {
		return err
	}
	if !t.Round.OpenOn(today) {
		return &mtvp.Error{Code: mtvp.ECONFLICT, Message: "pulse.err.closed"}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		// The round must still be open when the answer is written.
		var closed sql.NullTime
		if err := tx.QueryRowContext(ctx, `SELECT closed_at FROM pulse_rounds WHERE id = $1`, t.Round.ID).Scan(&closed); err != nil {
			return rowErr(err)
		}
		if closed.Valid {
			return &mtvp.Error{Code: mtvp.ECONFLICT, Message: "pulse.err.closed"}
		}
		if t.Personal {
			n, err := affected(tx.ExecContext(ctx, `UPDATE pulse_tokens SET used = $2 WHERE token_hash = $1 AND used = $3`, tokenHash, true, false))
			if err != nil {
				return err
			}
			if n == 0 {
				return &mtvp.Error{Code: mtvp.ECONFLICT, Message: "pulse.err.used"}
			}
		}
		n, err := affected(tx.ExecContext(ctx, `UPDATE pulse_practices SET answers = answers + 1
			WHERE round_id = $1 AND practice_id = $2 AND answers < staff`, t.Round.ID, t.PracticeID))
		if err != nil {
			return err
		}
		if n == 0 {
			return &mtvp.Error{Code: mtvp.ECONFLICT, Message: "pulse.err.full"}
		}
		return insertPulseAnswer(ctx, tx, t.Round.ID, t.PracticeID, a)
	})
}

// PulseTallies sums the answers of a region's rounds per round and
// practice.
func (db *DB) PulseTallies(ctx context.Context, regionID int64) ([]mtvp.PulseTally, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT a.round_id, a.practice_id, COUNT(*), SUM(a.workload), SUM(a.satisfaction), SUM(a.time_for_patient)
		FROM pulse_answers a JOIN pulse_rounds r ON r.id = a.round_id WHERE r.region_id = $1
		GROUP BY a.round_id, a.practice_id ORDER BY a.round_id, a.practice_id`, regionID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.PulseTally
	for rows.Next() {
		var t mtvp.PulseTally
		if err := rows.Scan(&t.RoundID, &t.PracticeID, &t.N, &t.Workload, &t.Satisfaction, &t.TimeForPatient); err != nil {
			return nil, internal(err)
		}
		out = append(out, t)
	}
	return out, internal(rows.Err())
}

// PulseComments returns the answers to the open question of a practice in
// a round, in alphabetical order (not the order given), without empty
// ones.
func (db *DB) PulseComments(ctx context.Context, roundID, practiceID int64) ([]string, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT comment FROM pulse_answers WHERE round_id = $1 AND practice_id = $2 AND comment <> ''
		ORDER BY comment`, roundID, practiceID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, internal(err)
		}
		out = append(out, c)
	}
	return out, internal(rows.Err())
}

// scanNullTime scans a nullable timestamp into a time (zero for NULL).
type scanNullTime struct{ t *time.Time }

func (s scanNullTime) Scan(v any) error {
	var n sql.NullTime
	if err := n.Scan(v); err != nil {
		return err
	}
	if n.Valid {
		*s.t = n.Time.UTC()
	} else {
		*s.t = time.Time{}
	}
	return nil
}

// affected is the number of rows a statement changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, internal(err)
	}
	n, err := res.RowsAffected()
	return n, internal(err)
}

// RecordPulseAnswers writes answers of a practice in a round at once, as
// they were given (the demo's past quarters): every answer is checked,
// the practice never gets more answers than staff, nothing else is kept.
func (db *DB) RecordPulseAnswers(ctx context.Context, roundID, practiceID int64, answers []mtvp.PulseAnswer) error {
	for i := range answers {
		answers[i].Normalize()
		if err := mtvp.ValidatePulseAnswer(answers[i]); err != nil {
			return err
		}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		n, err := affected(tx.ExecContext(ctx, `UPDATE pulse_practices SET answers = answers + $3
			WHERE round_id = $1 AND practice_id = $2 AND answers + $3 <= staff`, roundID, practiceID, len(answers)))
		if err != nil {
			return err
		}
		if n == 0 {
			return &mtvp.Error{Code: mtvp.ECONFLICT, Message: "pulse.err.full"}
		}
		for _, a := range answers {
			if err := insertPulseAnswer(ctx, tx, roundID, practiceID, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// insertPulseAnswer writes one answer under a random key: nothing in the
// row, nor its place in the table, points at who gave it or when.
func insertPulseAnswer(ctx context.Context, tx *sql.Tx, roundID, practiceID int64, a mtvp.PulseAnswer) error {
	var key [16]byte
	rand.Read(key[:])
	_, err := tx.ExecContext(ctx, `INSERT INTO pulse_answers (id, round_id, practice_id, workload, satisfaction, time_for_patient, comment)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, hex.EncodeToString(key[:]), roundID, practiceID, a.Workload, a.Satisfaction, a.TimeForPatient, a.Comment)
	return internal(err)
}

// NewPulseLinkToken is a practice's shared questionnaire link: random, and
// kept as it is (the practice's page shows it again).
func NewPulseLinkToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return "p" + hex.EncodeToString(b)
}
