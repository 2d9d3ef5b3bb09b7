package store

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"meertijd/internal/mtvp"
)

// Audit entity names; later issues add "plan", "group", "training",
// "claim" and "visit" in the same style.
const (
	EntityRegion       = "region"
	EntityRegioplan    = "regioplan"
	EntityIntervention = "intervention"
	EntityPractice     = "practice"
	EntityPerson       = "person"
	EntityMembership   = "membership"
	EntityUser         = "user"
)

// Audit actions.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionEnd    = "end"
	ActionDelete = "delete"
	ActionImport = "import"
)

// audit writes one entry inside tx. Updates that changed nothing are not
// recorded.
//
// Writing an entry with a region id also bumps that region's change
// counter in the same transaction (a trigger on audit_log, migration
// 00010; see compliance_cache.go), so caches of the region's standing
// never serve an older state. New write paths get this for free by
// writing their audit entry (audit, auditAt or bulkAudit) with the region:
// no handler or method needs to bump anything itself.
func (db *DB) audit(ctx context.Context, tx *sql.Tx, a mtvp.Actor, regionID int64, entity string, id int64, action string, changes []mtvp.Change) error {
	return db.auditAt(ctx, tx, db.now(), a, regionID, entity, id, action, changes)
}

// auditAt is audit at a given time: the copies of one change written for
// several regions share it (see auditLogin).
func (db *DB) auditAt(ctx context.Context, tx *sql.Tx, at time.Time, a mtvp.Actor, regionID int64, entity string, id int64, action string, changes []mtvp.Change) error {
	if action == ActionUpdate && len(changes) == 0 {
		return nil
	}
	if changes == nil {
		changes = []mtvp.Change{}
	}
	js, err := jsonText(changes)
	if err != nil {
		return err
	}
	_, err = db.txExec(ctx, tx, sqlInsertAudit, at, nullID(a.UserID), a.Name, nullID(regionID), entity, id, action, js)
	return internal(err)
}

const sqlInsertAudit = `INSERT INTO audit_log (at, actor_user_id, actor_name, region_id, entity, entity_id, action, changes)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

const auditCols = `id, at, COALESCE(actor_user_id, 0), actor_name, COALESCE(region_id, 0), entity, entity_id, action, changes`

func scanAudit(rows *sql.Rows) ([]mtvp.AuditEntry, error) {
	defer rows.Close()
	var out []mtvp.AuditEntry
	for rows.Next() {
		var e mtvp.AuditEntry
		var at time.Time
		var changes []byte
		if err := rows.Scan(&e.ID, &at, &e.Actor.UserID, &e.Actor.Name, &e.RegionID, &e.Entity, &e.EntityID, &e.Action, &changes); err != nil {
			return nil, internal(err)
		}
		e.At = utc(at)
		if err := jsonScan(changes, &e.Changes); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, internal(rows.Err())
}

// History returns the audit entries of one record, newest first. A change
// recorded in several regions with the same content (a login's password
// reset, see auditLogin) is one entry, with the region of its first copy.
func (db *DB) History(ctx context.Context, entity string, id int64) ([]mtvp.AuditEntry, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log
		WHERE entity = $1 AND entity_id = $2 ORDER BY at DESC, id DESC`, entity, id)
	if err != nil {
		return nil, internal(err)
	}
	all, err := scanAudit(rows)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, e := range all {
		if n := len(out); n > 0 && sameChange(&out[n-1], &e) {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// sameChange: two copies of one change written for different regions.
func sameChange(a, b *mtvp.AuditEntry) bool {
	return a.At.Equal(b.At) && a.Actor == b.Actor && a.Action == b.Action && a.RegionID != b.RegionID &&
		slices.Equal(a.Changes, b.Changes)
}

// RegionHistory returns the newest audit entries of a region, newest first.
func (db *DB) RegionHistory(ctx context.Context, regionID int64, limit int) ([]mtvp.AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log
		WHERE region_id = $1 AND entity <> $3 ORDER BY at DESC, id DESC LIMIT $2`, regionID, limit, EntityAuth)
	if err != nil {
		return nil, internal(err)
	}
	return scanAudit(rows)
}
