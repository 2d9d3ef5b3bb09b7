package store

// The training menu: themes, trainings and sessions (issue 5). Sign-ups
// and completions are in training_enrol.go, claims in training_claims.go,
// the norm facts in training_facts.go.

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// Audit entity names of the training menu.
const (
	EntityTraining        = "training"
	EntityTrainingSession = "training_session"
	EntityEnrolment       = "enrolment"
	EntityCompletion      = "completion"
	EntityClaim           = "claim"
	EntityTrainingThemes  = "training_themes"
)

// ---- themes ----

// TrainingThemes returns the region's theme list, or mtvp.DefaultThemes
// while the region has not saved its own.
func (db *DB) TrainingThemes(ctx context.Context, regionID int64) ([]string, error) {
	return db.trainingThemes(ctx, db.rd, regionID)
}

func (db *DB) trainingThemes(ctx context.Context, q querier, regionID int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM training_themes WHERE region_id = $1 ORDER BY position, id`, regionID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, internal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	if len(out) == 0 {
		out = append([]string(nil), mtvp.DefaultThemes...)
	}
	return out, nil
}

// SaveTrainingThemes replaces the region's theme list. A theme still used
// by a training may not be dropped (EINVALID "themes").
func (db *DB) SaveTrainingThemes(ctx context.Context, a mtvp.Actor, regionID int64, themes []string) error {
	themes = mtvp.NormalizeThemes(themes)
	if err := mtvp.ValidateThemes(themes); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.trainingThemes(ctx, tx, regionID)
		if err != nil {
			return err
		}
		trs, err := db.listTrainings(ctx, tx, regionID, true)
		if err != nil {
			return err
		}
		for _, t := range trs {
			for _, th := range t.Themes {
				if !containsFold(themes, th) {
					return invalid("themes", "training.err.theme_in_use")
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM training_themes WHERE region_id = $1`, regionID); err != nil {
			return internal(err)
		}
		for i, th := range themes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO training_themes (region_id, name, position) VALUES ($1, $2, $3)`, regionID, th, i); err != nil {
				if isForeignKey(err) {
					return notFound()
				}
				return internal(err)
			}
		}
		ch := []mtvp.Change{{Field: "Themes", Old: strings.Join(old, ", "), New: strings.Join(themes, ", ")}}
		if ch[0].Old == ch[0].New {
			return nil
		}
		return db.audit(ctx, tx, a, regionID, EntityTrainingThemes, regionID, ActionUpdate, ch)
	})
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// ---- trainings ----

const trainingCols = `t.id, t.region_id, t.title, t.description, t.target, t.themes, t.provider, t.register, t.points, t.active, t.counts_for_norms, t.version, t.created_at, t.updated_at`

func scanTraining(s rowScanner) (mtvp.Training, error) {
	var t mtvp.Training
	var themes []byte
	var created, updated time.Time
	counts := true
	err := s.Scan(&t.ID, &t.RegionID, &t.Title, &t.Description, &t.Target, &themes, &t.Provider, &t.Register, &t.Points, &t.Active, &counts, &t.Version, &created, &updated)
	if err != nil {
		return t, err
	}
	t.NotCounting = !counts
	t.CreatedAt, t.UpdatedAt = utc(created), utc(updated)
	return t, jsonScan(themes, &t.Themes)
}

// ListTrainings returns the region's trainings by title; inactive ones only
// with includeInactive.
func (db *DB) ListTrainings(ctx context.Context, regionID int64, includeInactive bool) ([]mtvp.Training, error) {
	return db.listTrainings(ctx, db.rd, regionID, includeInactive)
}

func (db *DB) listTrainings(ctx context.Context, q querier, regionID int64, includeInactive bool) ([]mtvp.Training, error) {
	query := `SELECT ` + trainingCols + ` FROM trainings t WHERE t.region_id = $1`
	args := []any{regionID}
	if !includeInactive {
		query += ` AND t.active = $2`
		args = append(args, true)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY t.title, t.id`, args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Training
	for rows.Next() {
		t, err := scanTraining(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, t)
	}
	return out, internal(rows.Err())
}

// TrainingByID returns one training.
func (db *DB) TrainingByID(ctx context.Context, id int64) (mtvp.Training, error) {
	return db.trainingByID(ctx, db.rd, id)
}

func (db *DB) trainingByID(ctx context.Context, q querier, id int64) (mtvp.Training, error) {
	t, err := scanTraining(q.QueryRowContext(ctx, `SELECT `+trainingCols+` FROM trainings t WHERE t.id = $1`, id))
	return t, rowErr(err)
}

// CreateTraining validates t against the region's themes and inserts it.
func (db *DB) CreateTraining(ctx context.Context, a mtvp.Actor, t *mtvp.Training) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.createTraining(ctx, tx, a, t) })
}

// createTraining is CreateTraining inside tx.
func (db *DB) createTraining(ctx context.Context, tx *sql.Tx, a mtvp.Actor, t *mtvp.Training) error {
	t.Normalize()
	themes, err := db.trainingThemes(ctx, tx, t.RegionID)
	if err != nil {
		return err
	}
	if err := t.Validate(themes); err != nil {
		return err
	}
	js, err := jsonText(t.Themes)
	if err != nil {
		return err
	}
	now := db.now()
	err = tx.QueryRowContext(ctx, `INSERT INTO trainings (region_id, title, description, target, themes, provider, register, points, active, counts_for_norms, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $11, 1, $10, $10) RETURNING id`,
		t.RegionID, t.Title, t.Description, t.Target, js, t.Provider, t.Register, t.Points, t.Active, now, !t.NotCounting).Scan(&t.ID)
	if isForeignKey(err) {
		return invalid("region", "err.not_found")
	}
	if err != nil {
		return internal(err)
	}
	t.Version, t.CreatedAt, t.UpdatedAt = 1, now, now
	return db.audit(ctx, tx, a, t.RegionID, EntityTraining, t.ID, ActionCreate, mtvp.Diff(nil, t))
}

// UpdateTraining validates and updates t if t.Version is current.
func (db *DB) UpdateTraining(ctx context.Context, a mtvp.Actor, t *mtvp.Training) error {
	t.Normalize()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.trainingByID(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		t.RegionID, t.NotCounting = old.RegionID, old.NotCounting // counting is decided on acceptance
		themes, err := db.trainingThemes(ctx, tx, t.RegionID)
		if err != nil {
			return err
		}
		if err := t.Validate(themes); err != nil {
			return err
		}
		if old.Version != t.Version {
			return conflict()
		}
		js, err := jsonText(t.Themes)
		if err != nil {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE trainings SET title = $3, description = $4, target = $5, themes = $6, provider = $7,
			register = $8, points = $9, active = $10, version = version + 1, updated_at = $11 WHERE id = $1 AND version = $2`,
			t.ID, t.Version, t.Title, t.Description, t.Target, js, t.Provider, t.Register, t.Points, t.Active, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		t.Version++
		t.CreatedAt, t.UpdatedAt = old.CreatedAt, now
		return db.audit(ctx, tx, a, t.RegionID, EntityTraining, t.ID, ActionUpdate, mtvp.Diff(&old, t))
	})
}

// ---- sessions ----

const sessionCols = `s.id, s.training_id, s.region_id, s.dates, s.start_time, s.end_time, s.place, s.online, s.capacity, s.version, s.created_at, s.updated_at,
	(SELECT COUNT(*) FROM training_enrolments e WHERE e.session_id = s.id AND e.status = 'geplaatst'),
	(SELECT COUNT(*) FROM training_enrolments e WHERE e.session_id = s.id AND e.status = 'wachtlijst'),
	t.title`

const sessionFrom = ` FROM training_sessions s JOIN trainings t ON t.id = s.training_id`

func scanSession(s rowScanner) (mtvp.TrainingSession, error) {
	var ses mtvp.TrainingSession
	var dates []byte
	var created, updated time.Time
	err := s.Scan(&ses.ID, &ses.TrainingID, &ses.RegionID, &dates, &ses.StartTime, &ses.EndTime, &ses.Place, &ses.Online, &ses.Capacity,
		&ses.Version, &created, &updated, &ses.Enrolled, &ses.Waiting, &ses.TrainingTitle)
	if err != nil {
		return ses, err
	}
	ses.CreatedAt, ses.UpdatedAt = utc(created), utc(updated)
	return ses, jsonScan(dates, &ses.Dates)
}

func scanSessions(rows *sql.Rows, err error) ([]mtvp.TrainingSession, error) {
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.TrainingSession
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, s)
	}
	return out, internal(rows.Err())
}

// ListSessions returns the region's sessions (of every training) by first
// date, with places taken and waiting; with from set, only sessions whose
// last day is on or after it.
func (db *DB) ListSessions(ctx context.Context, regionID int64, from mtvp.Date) ([]mtvp.TrainingSession, error) {
	if from.IsZero() {
		from = mtvp.NewDate(1900, 1, 1)
	}
	return scanSessions(db.rd.QueryContext(ctx, `SELECT `+sessionCols+sessionFrom+`
		WHERE s.region_id = $1 AND s.last_date >= $2 ORDER BY s.first_date, s.id`, regionID, from))
}

// SessionsOfTraining returns a training's sessions by first date.
func (db *DB) SessionsOfTraining(ctx context.Context, trainingID int64) ([]mtvp.TrainingSession, error) {
	return scanSessions(db.rd.QueryContext(ctx, `SELECT `+sessionCols+sessionFrom+`
		WHERE s.training_id = $1 ORDER BY s.first_date, s.id`, trainingID))
}

// SessionByID returns one session with its counts.
func (db *DB) SessionByID(ctx context.Context, id int64) (mtvp.TrainingSession, error) {
	return db.sessionByID(ctx, db.rd, id)
}

func (db *DB) sessionByID(ctx context.Context, q querier, id int64) (mtvp.TrainingSession, error) {
	s, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionCols+sessionFrom+` WHERE s.id = $1`, id))
	return s, rowErr(err)
}

// CreateSession validates and inserts a session of a training (its region
// is the training's).
func (db *DB) CreateSession(ctx context.Context, a mtvp.Actor, s *mtvp.TrainingSession) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		t, err := db.trainingByID(ctx, tx, s.TrainingID)
		if err != nil {
			return err
		}
		s.RegionID, s.TrainingTitle = t.RegionID, t.Title
		js, err := jsonText(s.Dates)
		if err != nil {
			return err
		}
		now := db.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO training_sessions (training_id, region_id, dates, first_date, last_date, start_time, end_time, place, online, capacity, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id`,
			s.TrainingID, s.RegionID, js, s.FirstDate(), s.LastDate(), s.StartTime, s.EndTime, s.Place, s.Online, s.Capacity, now).Scan(&s.ID)
		if err != nil {
			return internal(err)
		}
		s.Version, s.CreatedAt, s.UpdatedAt = 1, now, now
		return db.audit(ctx, tx, a, s.RegionID, EntityTrainingSession, s.ID, ActionCreate, sessionChanges(nil, s))
	})
}

func sessionChanges(old, s *mtvp.TrainingSession) []mtvp.Change {
	strip := func(x *mtvp.TrainingSession) *mtvp.TrainingSession {
		if x == nil {
			return nil
		}
		c := *x
		c.Enrolled, c.Waiting, c.TrainingTitle = 0, 0, ""
		return &c
	}
	if old == nil {
		return mtvp.Diff(nil, strip(s))
	}
	return mtvp.Diff(strip(old), strip(s))
}

// UpdateSession validates and updates s if s.Version is current. The
// capacity may not drop below the places already taken; when it grows,
// the waiting list moves up in the same transaction.
func (db *DB) UpdateSession(ctx context.Context, a mtvp.Actor, s *mtvp.TrainingSession) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.sessionByID(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		if old.Version != s.Version {
			return conflict()
		}
		if s.Capacity < old.Enrolled {
			return invalid("capacity", "training.err.capacity_below_placed")
		}
		s.TrainingID, s.RegionID, s.TrainingTitle = old.TrainingID, old.RegionID, old.TrainingTitle
		js, err := jsonText(s.Dates)
		if err != nil {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE training_sessions SET dates = $3, first_date = $4, last_date = $5, start_time = $6, end_time = $7,
			place = $8, online = $9, capacity = $10, version = version + 1, updated_at = $11 WHERE id = $1 AND version = $2`,
			s.ID, s.Version, js, s.FirstDate(), s.LastDate(), s.StartTime, s.EndTime, s.Place, s.Online, s.Capacity, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		s.Version++
		s.CreatedAt, s.UpdatedAt = old.CreatedAt, now
		if err := db.audit(ctx, tx, a, s.RegionID, EntityTrainingSession, s.ID, ActionUpdate, sessionChanges(&old, s)); err != nil {
			return err
		}
		if err := db.promoteWaiting(ctx, tx, a, s.ID, s.RegionID); err != nil {
			return err
		}
		cur, err := db.sessionByID(ctx, tx, s.ID)
		s.Enrolled, s.Waiting = cur.Enrolled, cur.Waiting
		return err
	})
}
