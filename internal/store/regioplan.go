package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// Regioplan returns the plan of a region for a year with its interventions
// in Position order; ENOTFOUND when none exists.
func (db *DB) Regioplan(ctx context.Context, regionID int64, year int) (mtvp.Regioplan, error) {
	return db.regioplan(ctx, db.reads(), `region_id = $1 AND year = $2`, regionID, year)
}

// RegioplanByID returns a plan by its id.
func (db *DB) RegioplanByID(ctx context.Context, id int64) (mtvp.Regioplan, error) {
	return db.regioplan(ctx, db.reads(), `id = $1`, id)
}

func (db *DB) regioplan(ctx context.Context, q querier, cond string, args ...any) (mtvp.Regioplan, error) {
	var p mtvp.Regioplan
	var conditions, offers []byte
	var updated time.Time
	err := q.QueryRowContext(ctx, `SELECT id, region_id, year, conditions, learning_offers, version, updated_at
		FROM regioplans WHERE `+cond, args...).Scan(&p.ID, &p.RegionID, &p.Year, &conditions, &offers, &p.Version, &updated)
	if err != nil {
		return p, rowErr(err)
	}
	p.UpdatedAt = utc(updated)
	if err := jsonScan(conditions, &p.Conditions); err != nil {
		return p, err
	}
	if err := jsonScan(offers, &p.LearningOffers); err != nil {
		return p, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, code, title, description, element, mandatory, position
		FROM interventions WHERE regioplan_id = $1 ORDER BY position, code, id`, p.ID)
	if err != nil {
		return p, internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var i mtvp.Intervention
		if err := rows.Scan(&i.ID, &i.Code, &i.Title, &i.Description, &i.Element, &i.Mandatory, &i.Position); err != nil {
			return p, internal(err)
		}
		p.Interventions = append(p.Interventions, i)
	}
	return p, internal(rows.Err())
}

// RegioplanYears lists the years that have a plan, ascending.
func (db *DB) RegioplanYears(ctx context.Context, regionID int64) ([]int, error) {
	return db.years(ctx, `SELECT year FROM regioplans WHERE region_id = $1 ORDER BY year`, regionID)
}

// regioplanAudit is what the history shows of the plan itself; the
// interventions have entries of their own.
type regioplanAudit struct {
	Year           int
	Conditions     map[string]string
	LearningOffers string
}

func auditRegioplan(p *mtvp.Regioplan) *regioplanAudit {
	return &regioplanAudit{p.Year, p.Conditions, strings.Join(p.LearningOffers, ", ")}
}

// SaveRegioplan inserts (ID 0) or updates the plan with its interventions.
// Interventions are matched by ID: new ones (ID 0) inserted, missing ones
// deleted, others updated; all in one transaction, audited per
// intervention. Position is the order of p.Interventions. A second plan for
// the same region and year is ECONFLICT; an intervention ID that is not the
// plan's is ENOTFOUND.
func (db *DB) SaveRegioplan(ctx context.Context, a mtvp.Actor, p *mtvp.Regioplan) error {
	for n := range p.Interventions {
		p.Interventions[n].Description = strings.TrimSpace(p.Interventions[n].Description)
		p.Interventions[n].Position = n + 1
	}
	if err := p.Validate(); err != nil {
		return err
	}
	for c, v := range p.Conditions {
		p.Conditions[c] = strings.TrimSpace(v)
	}
	conditions, err := jsonText(orEmptyMap(p.Conditions))
	if err != nil {
		return err
	}
	offers, err := jsonText(orEmptySlice(p.LearningOffers))
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		var old mtvp.Regioplan
		if p.ID == 0 {
			if _, err := db.regionByID(ctx, tx, p.RegionID); err != nil {
				return err
			}
			err := tx.QueryRowContext(ctx, `INSERT INTO regioplans (region_id, year, conditions, learning_offers, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id`, p.RegionID, p.Year, conditions, offers, now).Scan(&p.ID)
			if isUnique(err) {
				return conflict()
			}
			if err != nil {
				return internal(err)
			}
			p.Version = 1
			if err := db.audit(ctx, tx, a, p.RegionID, EntityRegioplan, p.ID, ActionCreate, mtvp.Diff(nil, auditRegioplan(p))); err != nil {
				return err
			}
		} else {
			old, err = db.regioplan(ctx, tx, `id = $1`, p.ID)
			if err != nil {
				return err
			}
			if old.Version != p.Version {
				return conflict()
			}
			p.RegionID = old.RegionID
			res, err := tx.ExecContext(ctx, `UPDATE regioplans SET year = $3, conditions = $4, learning_offers = $5,
				version = version + 1, updated_at = $6 WHERE id = $1 AND version = $2`,
				p.ID, p.Version, p.Year, conditions, offers, now)
			if isUnique(err) {
				return conflict()
			}
			if err := checkUpdated(res, err); err != nil {
				return err
			}
			p.Version++
			if err := db.audit(ctx, tx, a, p.RegionID, EntityRegioplan, p.ID, ActionUpdate,
				mtvp.Diff(auditRegioplan(&old), auditRegioplan(p))); err != nil {
				return err
			}
		}
		p.UpdatedAt = now
		return db.saveInterventions(ctx, tx, a, p, old.Interventions)
	})
}

func (db *DB) saveInterventions(ctx context.Context, tx *sql.Tx, a mtvp.Actor, p *mtvp.Regioplan, old []mtvp.Intervention) error {
	byID := map[int64]mtvp.Intervention{}
	for _, i := range old {
		byID[i.ID] = i
	}
	keep := map[int64]bool{}
	for _, i := range p.Interventions {
		if i.ID == 0 {
			continue
		}
		if _, ok := byID[i.ID]; !ok || keep[i.ID] {
			return notFound()
		}
		keep[i.ID] = true
	}
	// Deleted ones first, in a stable order.
	var gone []mtvp.Intervention
	for _, i := range old {
		if !keep[i.ID] {
			gone = append(gone, i)
		}
	}
	sort.Slice(gone, func(a, b int) bool { return gone[a].ID < gone[b].ID })
	for _, i := range gone {
		if _, err := tx.ExecContext(ctx, `DELETE FROM interventions WHERE id = $1`, i.ID); err != nil {
			if isForeignKey(err) {
				return invalid("interventions", "err.intervention_in_use")
			}
			return internal(err)
		}
		if err := db.audit(ctx, tx, a, p.RegionID, EntityIntervention, i.ID, ActionDelete, mtvp.Diff(&i, &mtvp.Intervention{})); err != nil {
			return err
		}
	}
	// Kept ones get a temporary code first, so codes may be swapped
	// between interventions without tripping the unique constraint.
	if len(keep) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE interventions SET code = '~' || CAST(id AS TEXT) WHERE regioplan_id = $1`, p.ID); err != nil {
			return internal(err)
		}
	}
	for n := range p.Interventions {
		i := &p.Interventions[n]
		if i.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO interventions (regioplan_id, code, title, description, element, mandatory, position)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
				p.ID, i.Code, i.Title, i.Description, string(i.Element), i.Mandatory, i.Position).Scan(&i.ID)
			if isUnique(err) {
				return invalid("interventions."+itoa(n)+".code", "err.duplicate")
			}
			if err != nil {
				return internal(err)
			}
			if err := db.audit(ctx, tx, a, p.RegionID, EntityIntervention, i.ID, ActionCreate, mtvp.Diff(nil, i)); err != nil {
				return err
			}
			continue
		}
		_, err := tx.ExecContext(ctx, `UPDATE interventions SET code = $2, title = $3, description = $4, element = $5,
			mandatory = $6, position = $7 WHERE id = $1`,
			i.ID, i.Code, i.Title, i.Description, string(i.Element), i.Mandatory, i.Position)
		if isUnique(err) {
			return invalid("interventions."+itoa(n)+".code", "err.duplicate")
		}
		if err != nil {
			return internal(err)
		}
		o := byID[i.ID]
		if err := db.audit(ctx, tx, a, p.RegionID, EntityIntervention, i.ID, ActionUpdate, mtvp.Diff(&o, i)); err != nil {
			return err
		}
	}
	return nil
}

func orEmptyMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orEmptySlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
