package store

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"meertijd/internal/mtvp"
)

const regionCols = `id, code, name, insurers, programme_start, settings, share_participation, version, created_at, updated_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanRegion(s rowScanner) (mtvp.Region, error) {
	var r regionRow
	if err := s.Scan(r.dest()...); err != nil {
		return mtvp.Region{}, err
	}
	return r.region()
}

// ListRegions returns all regions by name.
func (db *DB) ListRegions(ctx context.Context) ([]mtvp.Region, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+regionCols+` FROM regions`)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	sort.SliceStable(out, func(i, j int) bool { return lessName(out[i].Name, out[j].Name, out[i].ID, out[j].ID) })
	return out, nil
}

// lessName orders by name case-insensitively (the same on both engines,
// whatever the server's collation), then by id.
func lessName(a, b string, ida, idb int64) bool {
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return ida < idb
}

// RegionByID returns one region.
func (db *DB) RegionByID(ctx context.Context, id int64) (mtvp.Region, error) {
	return db.regionByID(ctx, db.reads(), id)
}

func (db *DB) regionByID(ctx context.Context, q querier, id int64) (mtvp.Region, error) {
	r, err := scanRegion(q.QueryRowContext(ctx, `SELECT `+regionCols+` FROM regions WHERE id = $1`, id))
	return r, rowErr(err)
}

// RegionByCode returns one region by its code.
func (db *DB) RegionByCode(ctx context.Context, code string) (mtvp.Region, error) {
	if r, _, ok, err := prefetched(ctx, code); ok {
		return r, err
	}
	r, err := scanRegion(db.rd.QueryRowContext(ctx, `SELECT `+regionCols+` FROM regions WHERE code = $1`, normalizeRegionCode(code)))
	return r, rowErr(err)
}

// RegionByCodeWithChange returns one region by its code with its change
// counter (RegionChange), read in the same query (or, with
// WithRegionPrefetch, in the request's authentication query): a request
// that serves the region's cached standing needs both.
func (db *DB) RegionByCodeWithChange(ctx context.Context, code string) (mtvp.Region, int64, error) {
	if r, counter, ok, err := prefetched(ctx, code); ok {
		return r, counter, err
	}
	var counter int64
	r, err := scanRegion(scanAlso{db.reads().QueryRowContext(ctx, `SELECT `+regionCols+`,
		COALESCE((SELECT c.counter FROM region_changes c WHERE c.region_id = regions.id), 0)
		FROM regions WHERE code = $1`, normalizeRegionCode(code)), []any{&counter}})
	return r, counter, rowErr(err)
}

// CreateRegion validates and inserts r, setting ID and Version=1.
func (db *DB) CreateRegion(ctx context.Context, a mtvp.Actor, r *mtvp.Region) error {
	r.Normalize()
	if err := r.Validate(); err != nil {
		return err
	}
	insurers, err := jsonText(r.Insurers)
	if err != nil {
		return err
	}
	settings, err := jsonText(r.Settings)
	if err != nil {
		return err
	}
	now := db.now()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO regions (code, name, insurers, programme_start, settings, share_participation, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id`,
			r.Code, r.Name, insurers, r.ProgrammeStart, settings, r.ShareParticipation, now).Scan(&id)
		if isUnique(err) {
			return invalid("code", "err.duplicate")
		}
		if err != nil {
			return internal(err)
		}
		r.ID, r.Version, r.CreatedAt, r.UpdatedAt = id, 1, now, now
		return db.audit(ctx, tx, a, id, EntityRegion, id, ActionCreate, regionDiff(nil, r))
	})
}

// regionDiff lists changed fields; settings are compared field by field.
func regionDiff(old, new *mtvp.Region) []mtvp.Change {
	type flat struct {
		Code               string
		Name               string
		Insurers           string
		ProgrammeStart     mtvp.Date
		ShareParticipation bool
	}
	f := func(r *mtvp.Region) *flat {
		return &flat{r.Code, r.Name, strings.Join(r.Insurers, ", "), r.ProgrammeStart, r.ShareParticipation}
	}
	var changes []mtvp.Change
	var oldSettings any
	if old != nil {
		changes = mtvp.Diff(f(old), f(new))
		oldSettings = &old.Settings
	} else {
		changes = mtvp.Diff(nil, f(new))
	}
	for _, c := range mtvp.Diff(oldSettings, &new.Settings) {
		c.Field = "Settings." + c.Field
		changes = append(changes, c)
	}
	return changes
}

// UpdateRegion validates and updates r (name, insurers, start, settings,
// sharing) if r.Version is current. The code never changes.
func (db *DB) UpdateRegion(ctx context.Context, a mtvp.Actor, r *mtvp.Region) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.regionByID(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		r.Code = old.Code
		r.Normalize()
		if err := r.Validate(); err != nil {
			return err
		}
		if old.Version != r.Version {
			return conflict()
		}
		insurers, err := jsonText(r.Insurers)
		if err != nil {
			return err
		}
		settings, err := jsonText(r.Settings)
		if err != nil {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE regions SET name = $3, insurers = $4, programme_start = $5, settings = $6,
			share_participation = $7, version = version + 1, updated_at = $8 WHERE id = $1 AND version = $2`,
			r.ID, r.Version, r.Name, insurers, r.ProgrammeStart, settings, r.ShareParticipation, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		r.Version++
		r.CreatedAt, r.UpdatedAt = old.CreatedAt, now
		return db.audit(ctx, tx, a, r.ID, EntityRegion, r.ID, ActionUpdate, regionDiff(&old, r))
	})
}

// checkUpdated turns "no row matched the id and version" into ECONFLICT;
// callers have already established the row exists.
func checkUpdated(res sql.Result, err error) error {
	if err != nil {
		return internal(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return internal(err)
	}
	if n == 0 {
		return conflict()
	}
	return nil
}
