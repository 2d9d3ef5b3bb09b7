package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
)

// Frozen compliance snapshots (issue 6): created in one transaction, listed
// and read back; there is no update or delete path (and the tables refuse
// one, see migrations/*/00005_compliance.sql).

// EntityComplianceSnapshot is the audit entity of a frozen snapshot.
const EntityComplianceSnapshot = "compliance_snapshot"

const (
	sqlInsertSnapshotPractice = `INSERT INTO compliance_snapshot_practices (snapshot_id, practice_id, position, agb, name, consultant, inflow_wave, compliant)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	sqlInsertSnapshotRow = `INSERT INTO compliance_snapshot_rows (snapshot_id, practice_id, requirement, position, status, required, actual, pending, denominator, explanation, message_key, message_args)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`
)

func init() {
	writeQueries = append(writeQueries, sqlInsertSnapshotPractice, sqlInsertSnapshotRow)
}

// CreateComplianceSnapshot stores snap (built with mtvp.NewComplianceSnapshot)
// with all its rows in one transaction and sets its ID, CreatedAt and
// creator. Nothing is stored when any row fails.
func (db *DB) CreateComplianceSnapshot(ctx context.Context, a mtvp.Actor, snap *mtvp.ComplianceSnapshot) error {
	if snap.RegionID == 0 || snap.Year == 0 || snap.Ref.IsZero() {
		return invalid("peildatum", "err.required")
	}
	settings, err := jsonText(snap.Settings)
	if err != nil {
		return err
	}
	now := db.now()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := db.regionByID(ctx, tx, snap.RegionID); err != nil {
			return err
		}
		snap.PracticeCount, snap.CompliantCount = len(snap.Practices), 0
		for _, p := range snap.Practices {
			if p.Compliant {
				snap.CompliantCount++
			}
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO compliance_snapshots (region_id, year, ref_date, note, settings, practices, compliant, created_by, created_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			snap.RegionID, snap.Year, snap.Ref, snap.Note, settings, snap.PracticeCount, snap.CompliantCount, nullID(a.UserID), a.Name, now).Scan(&id)
		if err != nil {
			return internal(err)
		}
		for i, p := range snap.Practices {
			if _, err := db.txExec(ctx, tx, sqlInsertSnapshotPractice, id, p.PracticeID, i, p.AGB, p.Name, p.Consultant, p.InflowWave, p.Compliant); err != nil {
				if isForeignKey(err) {
					return invalid("practice", "normen.err.practice_unknown")
				}
				return internal(err)
			}
			for j, r := range p.Requirements {
				args, err := jsonText(r.Args)
				if err != nil {
					return err
				}
				if r.Args == nil {
					args = "[]"
				}
				if _, err := db.txExec(ctx, tx, sqlInsertSnapshotRow, id, p.PracticeID, string(r.Code), j, string(r.Status),
					r.Required, r.Actual, r.Pending, r.Denominator, r.Explanation, r.MessageKey, args); err != nil {
					return internal(err)
				}
			}
		}
		snap.ID, snap.CreatedAt, snap.CreatedBy, snap.CreatedName = id, now, a.UserID, a.Name
		return db.audit(ctx, tx, a, snap.RegionID, EntityComplianceSnapshot, id, ActionCreate, []mtvp.Change{
			{Field: "year", New: strconv.Itoa(snap.Year)},
			{Field: "ref_date", New: snap.Ref.String()},
			{Field: "note", New: snap.Note},
			{Field: "practices", New: strconv.Itoa(snap.PracticeCount)},
			{Field: "compliant", New: strconv.Itoa(snap.CompliantCount)},
		})
	})
}

const snapshotCols = `id, region_id, year, ref_date, note, settings, practices, compliant, COALESCE(created_by, 0), created_name, created_at`

func scanSnapshot(s rowScanner) (mtvp.ComplianceSnapshot, error) {
	var snap mtvp.ComplianceSnapshot
	var settings []byte
	var created time.Time
	err := s.Scan(&snap.ID, &snap.RegionID, &snap.Year, &snap.Ref, &snap.Note, &settings, &snap.PracticeCount, &snap.CompliantCount,
		&snap.CreatedBy, &snap.CreatedName, &created)
	if err != nil {
		return snap, err
	}
	snap.CreatedAt = utc(created)
	return snap, jsonScan(settings, &snap.Settings)
}

// ListComplianceSnapshots returns the region's snapshots, newest first,
// without their practices.
func (db *DB) ListComplianceSnapshots(ctx context.Context, regionID int64) ([]mtvp.ComplianceSnapshot, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+snapshotCols+` FROM compliance_snapshots WHERE region_id = $1 ORDER BY created_at DESC, id DESC`, regionID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.ComplianceSnapshot
	for rows.Next() {
		snap, err := scanSnapshot(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, snap)
	}
	return out, internal(rows.Err())
}

// ComplianceSnapshotByID returns one snapshot with every practice and
// requirement, in the order they were frozen (three queries whatever its
// size).
func (db *DB) ComplianceSnapshotByID(ctx context.Context, id int64) (mtvp.ComplianceSnapshot, error) {
	snap, err := scanSnapshot(db.rd.QueryRowContext(ctx, `SELECT `+snapshotCols+` FROM compliance_snapshots WHERE id = $1`, id))
	if err != nil {
		return snap, rowErr(err)
	}
	prows, err := db.rd.QueryContext(ctx, `SELECT practice_id, agb, name, consultant, inflow_wave, compliant
		FROM compliance_snapshot_practices WHERE snapshot_id = $1 ORDER BY position`, id)
	if err != nil {
		return snap, internal(err)
	}
	index := map[int64]int{}
	for prows.Next() {
		var p mtvp.SnapshotPractice
		if err := prows.Scan(&p.PracticeID, &p.AGB, &p.Name, &p.Consultant, &p.InflowWave, &p.Compliant); err != nil {
			prows.Close()
			return snap, internal(err)
		}
		index[p.PracticeID] = len(snap.Practices)
		snap.Practices = append(snap.Practices, p)
	}
	prows.Close()
	if err := prows.Err(); err != nil {
		return snap, internal(err)
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT practice_id, requirement, status, required, actual, pending, denominator, explanation, message_key, message_args
		FROM compliance_snapshot_rows WHERE snapshot_id = $1 ORDER BY practice_id, position`, id)
	if err != nil {
		return snap, internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var r mtvp.SnapshotRequirement
		var args []byte
		if err := rows.Scan(&pid, &r.Code, &r.Status, &r.Required, &r.Actual, &r.Pending, &r.Denominator, &r.Explanation, &r.MessageKey, &args); err != nil {
			return snap, internal(err)
		}
		if err := json.Unmarshal(args, &r.Args); err != nil && len(args) > 0 {
			return snap, internal(err)
		}
		r.Args = wholeNumbers(r.Args)
		if i, ok := index[pid]; ok {
			snap.Practices[i].Requirements = append(snap.Practices[i].Requirements, r)
		}
	}
	return snap, internal(rows.Err())
}

// wholeNumbers turns JSON numbers without a fraction back into ints, so a
// message's %d verbs format them as when the snapshot was frozen.
func wholeNumbers(args []any) []any {
	for i, a := range args {
		if f, ok := a.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			args[i] = int(f)
		}
	}
	return args
}
