package store

import (
	"context"
	"database/sql"
	"time"

	"meertijd/internal/mtvp"
)

// Practice profile (issue 16 §2): the free fields, every version kept.

const EntityPracticeProfile = "practice_profile"

// PracticeProfileText returns the newest version of a practice's free
// profile fields (Version 0 when never saved).
func (db *DB) PracticeProfileText(ctx context.Context, practiceID int64) (mtvp.PracticeProfileText, error) {
	return db.profileText(ctx, db.rd, practiceID)
}

func (db *DB) profileText(ctx context.Context, q querier, practiceID int64) (mtvp.PracticeProfileText, error) {
	p := mtvp.PracticeProfileText{PracticeID: practiceID}
	var saved time.Time
	err := q.QueryRowContext(ctx, `SELECT version, focus, ambitions, user_name, created_at FROM practice_profile_versions
		WHERE practice_id = $1 ORDER BY version DESC LIMIT 1`, practiceID).Scan(&p.Version, &p.Focus, &p.Ambitions, &p.UserName, &saved)
	if err == sql.ErrNoRows {
		return p, nil
	}
	p.SavedAt = utc(saved)
	return p, internal(err)
}

// SavePracticeProfileText stores a new version of the free fields if
// p.Version is the newest (0 for the first); ECONFLICT otherwise, nothing
// overwritten.
func (db *DB) SavePracticeProfileText(ctx context.Context, a mtvp.Actor, p *mtvp.PracticeProfileText) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		pr, err := db.practiceByID(ctx, tx, p.PracticeID)
		if err != nil {
			return err
		}
		// Lock the practice row: two saves of the same version run one
		// after the other, and the second sees the first.
		if _, err := tx.ExecContext(ctx, `UPDATE practices SET version = version WHERE id = $1`, pr.ID); err != nil {
			return internal(err)
		}
		cur, err := db.profileText(ctx, tx, pr.ID)
		if err != nil {
			return err
		}
		if cur.Version != p.Version {
			return conflict()
		}
		now := db.now()
		p.Version++
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_profile_versions (practice_id, version, focus, ambitions, user_id, user_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, pr.ID, p.Version, p.Focus, p.Ambitions, nullID(a.UserID), a.Name, now); err != nil {
			if isUnique(err) {
				return conflict()
			}
			return internal(err)
		}
		p.UserName, p.SavedAt = a.Name, now
		return db.audit(ctx, tx, a, pr.RegionID, EntityPracticeProfile, pr.ID, ActionUpdate, []mtvp.Change{
			{Field: "Focus", Old: cur.Focus, New: p.Focus}, {Field: "Ambitions", Old: cur.Ambitions, New: p.Ambitions}})
	})
}

// PracticePlanYears returns the years for which the practice has a plan,
// ascending.
func (db *DB) PracticePlanYears(ctx context.Context, practiceID int64) ([]int, error) {
	return db.years(ctx, `SELECT year FROM plans WHERE practice_id = $1 ORDER BY year`, practiceID)
}

// years reads a list of years (one int column) on the read pool; the
// regioplan, intervision and plan year lists share it.
func (db *DB) years(ctx context.Context, query string, args ...any) ([]int, error) {
	rows, err := db.rd.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, internal(err)
		}
		out = append(out, y)
	}
	return out, internal(rows.Err())
}
