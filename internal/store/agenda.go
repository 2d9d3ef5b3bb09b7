package store

// Consult duration from a practice's agenda export (issue 15 §1):
//
//	SaveAgenda, LatestAgendaUpload, AgendaWeeks, AgendaMapping,
//	SaveAgendaMapping
//
// Only weekly aggregates per practice and consult role are stored
// (agenda_weeks) with the record of each accepted upload (agenda_uploads).
// An upload replaces every aggregate of its practice from its first to its
// last ISO week, in one transaction: uploading the same period again gives
// the same rows.

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
)

// EntityAgendaUpload is the audit entity of an accepted agenda upload.
const EntityAgendaUpload = "agenda_upload"

// SaveAgenda stores an accepted upload and its weekly aggregates, replacing
// the practice's aggregates of weeks up.First–up.Last. up.ID, RegionID and
// At are set.
func (db *DB) SaveAgenda(ctx context.Context, a mtvp.Actor, up *mtvp.ConsultUpload, weeks []mtvp.ConsultWeek) error {
	if len(weeks) == 0 || up.Used == 0 || !up.First.Valid() || !up.Last.Valid() || up.Last.Before(up.First) {
		return invalid("file", "agenda.err.no_usable_row")
	}
	for _, w := range weeks {
		if !w.Role.Valid() || !w.Week.Valid() || w.Week.Before(up.First) || up.Last.Before(w.Week) || w.Count <= 0 {
			return invalid("file", "agenda.err.no_usable_row")
		}
	}
	bad := up.BadRows
	if bad == nil {
		bad = []mtvp.ConsultBadRow{}
	}
	badJSON, err := json.Marshal(bad)
	if err != nil {
		return internal(err)
	}
	unknown := up.UnknownRoles
	if unknown == nil {
		unknown = []string{}
	}
	unknownJSON, err := json.Marshal(unknown)
	if err != nil {
		return internal(err)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.practiceByID(ctx, tx, up.PracticeID)
		if err != nil {
			return err
		}
		up.RegionID, up.By, up.At = p.RegionID, a, db.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO agenda_uploads (region_id, practice_id, format, file_name, rows_read, rows_used,
				rows_skipped, rows_bad, bad_rows, unknown_roles, first_week, last_week, user_id, user_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $15, $10, $11, $12, $13, $14) RETURNING id`,
			up.RegionID, up.PracticeID, up.Format, up.FileName, up.Rows, up.Used, up.Skipped, up.Bad, string(badJSON),
			up.First.String(), up.Last.String(), nullID(a.UserID), a.Name, up.At, string(unknownJSON)).Scan(&up.ID)
		if err != nil {
			return internal(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM agenda_weeks WHERE practice_id = $1 AND week >= $2 AND week <= $3`,
			up.PracticeID, up.First.String(), up.Last.String()); err != nil {
			return internal(err)
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO agenda_weeks (practice_id, week, role, consults, seconds,
				lt10, m10_15, m15_20, m20_30, ge30, doubles, upload_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`)
		if err != nil {
			return internal(err)
		}
		defer stmt.Close()
		for _, w := range weeks {
			b := w.Buckets
			if _, err := stmt.ExecContext(ctx, up.PracticeID, w.Week.String(), string(w.Role), w.Count, w.Seconds,
				b[0], b[1], b[2], b[3], b[4], w.Doubles, up.ID); err != nil {
				return internal(err)
			}
		}
		return db.audit(ctx, tx, a, up.RegionID, EntityAgendaUpload, up.ID, ActionImport, []mtvp.Change{
			{Field: "FileName", New: up.FileName},
			{Field: "Period", New: up.First.String() + " – " + up.Last.String()},
			{Field: "Used", New: strconv.FormatInt(up.Used, 10)},
			{Field: "Bad", New: strconv.FormatInt(up.Bad, 10)},
		})
	})
}

// LatestAgendaUpload returns the practice's last accepted upload; ok is
// false when it has none.
func (db *DB) LatestAgendaUpload(ctx context.Context, practiceID int64) (up mtvp.ConsultUpload, ok bool, err error) {
	return db.agendaUpload(ctx, `practice_id = $1 ORDER BY id DESC LIMIT 1`, practiceID)
}

// AgendaUploadByID returns one upload record (ENOTFOUND when none).
func (db *DB) AgendaUploadByID(ctx context.Context, id int64) (mtvp.ConsultUpload, error) {
	up, ok, err := db.agendaUpload(ctx, `id = $1`, id)
	if err == nil && !ok {
		err = notFound()
	}
	return up, err
}

func (db *DB) agendaUpload(ctx context.Context, where string, arg int64) (up mtvp.ConsultUpload, ok bool, err error) {
	var first, last, badJSON, unknownJSON string
	var userID sql.NullInt64
	var at time.Time
	err = db.rd.QueryRowContext(ctx, `SELECT id, region_id, practice_id, format, file_name, rows_read, rows_used, rows_skipped, rows_bad,
			bad_rows, unknown_roles, first_week, last_week, user_id, user_name, created_at
		FROM agenda_uploads WHERE `+where, arg).Scan(
		&up.ID, &up.RegionID, &up.PracticeID, &up.Format, &up.FileName, &up.Rows, &up.Used, &up.Skipped, &up.Bad,
		&badJSON, &unknownJSON, &first, &last, &userID, &up.By.Name, &at)
	if err == sql.ErrNoRows {
		return up, false, nil
	}
	if err != nil {
		return up, false, internal(err)
	}
	up.By.UserID, up.At = userID.Int64, utc(at)
	up.First, _ = mtvp.ParseISOWeek(first)
	up.Last, _ = mtvp.ParseISOWeek(last)
	if err := json.Unmarshal([]byte(badJSON), &up.BadRows); err != nil {
		return up, false, internal(err)
	}
	if err := json.Unmarshal([]byte(unknownJSON), &up.UnknownRoles); err != nil {
		return up, false, internal(err)
	}
	return up, true, nil
}

// AgendaWeeks returns the practice's aggregates from week from to week to
// (a zero week: no bound), by week, then role as mtvp.ConsultRoles.
func (db *DB) AgendaWeeks(ctx context.Context, practiceID int64, from, to mtvp.Week) ([]mtvp.ConsultWeek, error) {
	lo, hi := "0000", "9999"
	if from.Valid() {
		lo = from.String()
	}
	if to.Valid() {
		hi = to.String()
	}
	return db.agendaWeeks(ctx, `aw.practice_id = $1 AND aw.week >= $2 AND aw.week <= $3`, practiceID, lo, hi)
}

// RegionAgendaWeeks returns the aggregates of role of every practice of
// the region, by practice and week, in one query (the region's consult
// duration, mtvp.BuildRegionConsult).
func (db *DB) RegionAgendaWeeks(ctx context.Context, regionID int64, role mtvp.ConsultRole) ([]mtvp.ConsultWeek, error) {
	return db.agendaWeeks(ctx, `aw.practice_id IN (SELECT id FROM practices WHERE region_id = $1) AND aw.role = $2`, regionID, string(role))
}

// RegionConsultFigures returns the figures of role of every practice of
// the region (RegionAgendaWeeks, each practice's GP FTE from its staff):
// what mtvp.BuildRegionConsult sums.
func (db *DB) RegionConsultFigures(ctx context.Context, regionID int64, role mtvp.ConsultRole) ([]mtvp.ConsultFigures, error) {
	weeks, err := db.RegionAgendaWeeks(ctx, regionID, role)
	if err != nil || len(weeks) == 0 {
		return nil, err
	}
	staff, err := db.RegionStaff(ctx, regionID)
	if err != nil {
		return nil, err
	}
	return mtvp.RegionFiguresOf(weeks, staff), nil
}

// agendaWeeks reads the aggregates matching cond, by practice and week,
// then role as mtvp.ConsultRoles.
func (db *DB) agendaWeeks(ctx context.Context, cond string, args ...any) ([]mtvp.ConsultWeek, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT aw.practice_id, aw.week, aw.role, aw.consults, aw.seconds, aw.lt10, aw.m10_15, aw.m15_20, aw.m20_30, aw.ge30, aw.doubles
		FROM agenda_weeks aw WHERE `+cond+` ORDER BY aw.practice_id, aw.week`, args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	order := map[mtvp.ConsultRole]int{}
	for i, r := range mtvp.ConsultRoles {
		order[r] = i
	}
	var out []mtvp.ConsultWeek
	for rows.Next() {
		var w mtvp.ConsultWeek
		var week, role string
		b := &w.Buckets
		if err := rows.Scan(&w.PracticeID, &week, &role, &w.Count, &w.Seconds, &b[0], &b[1], &b[2], &b[3], &b[4], &w.Doubles); err != nil {
			return nil, internal(err)
		}
		w.Week, _ = mtvp.ParseISOWeek(week)
		w.Role = mtvp.ConsultRole(role)
		// insertion sort by role inside the practice's week (at most five rows)
		i := len(out)
		out = append(out, w)
		for i > 0 && out[i-1].PracticeID == w.PracticeID && out[i-1].Week == w.Week && order[out[i-1].Role] > order[w.Role] {
			out[i], out[i-1] = out[i-1], out[i]
			i--
		}
	}
	return out, internal(rows.Err())
}

// AgendaMapping returns the practice's remembered CSV mapping (JSON, as
// the agenda package writes it); nil when there is none.
func (db *DB) AgendaMapping(ctx context.Context, practiceID int64) ([]byte, error) {
	var m string
	err := db.rd.QueryRowContext(ctx, `SELECT mapping FROM agenda_mappings WHERE practice_id = $1`, practiceID).Scan(&m)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, internal(err)
	}
	return []byte(m), nil
}

// SaveAgendaMapping remembers the practice's CSV mapping.
func (db *DB) SaveAgendaMapping(ctx context.Context, practiceID int64, mapping []byte) error {
	if !json.Valid(mapping) {
		return invalid("mapping", "err.invalid")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := db.practiceByID(ctx, tx, practiceID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO agenda_mappings (practice_id, mapping, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (practice_id) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at`,
			practiceID, string(mapping), db.now())
		return internal(err)
	})
}
