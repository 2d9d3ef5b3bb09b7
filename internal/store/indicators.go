package store

import (
	"context"
	"database/sql"
	"strings"

	"meertijd/internal/mtvp"
)

// Indicators over time (issue 15 §2): figures per quarter of a region's
// practices, the region and the country (mtvp.IndicatorValue). They come
// in through the history import (HistoryImport.Indicators), all or nothing.

// IndicatorFilter selects figures of one region.
type IndicatorFilter struct {
	RegionID int64
	// PracticeID > 0: only that practice's rows (with Levels holding
	// LevelPractice), plus the region and country rows asked for.
	PracticeID int64
	// Levels to return; empty means all.
	Levels    []mtvp.IndicatorLevel
	Indicator mtvp.Indicator // "" = all
}

const indicatorCols = `id, region_id, level, practice_id, indicator, year, quarter, value, source, source_date, version, updated_at`

// IndicatorValues returns the figures of a region, ordered by indicator,
// level, practice and quarter.
func (db *DB) IndicatorValues(ctx context.Context, f IndicatorFilter) ([]mtvp.IndicatorValue, error) {
	var sb strings.Builder
	sb.WriteString(`SELECT ` + indicatorCols + ` FROM indicator_values WHERE region_id = $1`)
	args := []any{f.RegionID}
	if len(f.Levels) > 0 {
		sb.WriteString(` AND level IN (`)
		for i, l := range f.Levels {
			if i > 0 {
				sb.WriteString(", ")
			}
			args = append(args, string(l))
			sb.WriteString("$" + itoa(len(args)))
		}
		sb.WriteString(`)`)
	}
	if f.PracticeID > 0 {
		args = append(args, f.PracticeID)
		sb.WriteString(` AND (practice_id IS NULL OR practice_id = $` + itoa(len(args)) + `)`)
	}
	if f.Indicator != "" {
		args = append(args, string(f.Indicator))
		sb.WriteString(` AND indicator = $` + itoa(len(args)))
	}
	sb.WriteString(` ORDER BY indicator, level, COALESCE(practice_id, 0), year, quarter`)
	rows, err := db.rd.QueryContext(ctx, sb.String(), args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.IndicatorValue
	for rows.Next() {
		var v mtvp.IndicatorValue
		var practice sql.NullInt64
		var level, ind string
		if err := rows.Scan(&v.ID, &v.RegionID, &level, &practice, &ind, &v.Quarter.Year, &v.Quarter.Q, &v.Value, &v.Source,
			&v.SourceDate, &v.Version, &v.UpdatedAt); err != nil {
			return nil, internal(err)
		}
		v.Level, v.Indicator, v.PracticeID = mtvp.IndicatorLevel(level), mtvp.Indicator(ind), practice.Int64
		out = append(out, v)
	}
	return out, internal(rows.Err())
}

// IndicatorChange is a figure a re-import changes: the stored row and its
// new value, source and date.
type IndicatorChange struct {
	Old mtvp.IndicatorValue
	New mtvp.IndicatorValue
}

// Indicators writes a chunk of new figures and changes to stored ones.
// A stored figure changed meanwhile (other version) is a conflict.
func (h *HistoryImport) Indicators(news []*mtvp.IndicatorValue, changes []IndicatorChange) error {
	today := h.db.today()
	for _, v := range news {
		v.RegionID = h.regionID
		if err := v.Validate(today); err != nil {
			return err
		}
	}
	if err := h.db.bulkInsert(h.ctx, h.tx, "indicator_values", `region_id, level, practice_id, indicator, year, quarter, value, source,
		source_date, version, created_at, updated_at`, 12, len(news),
		func(i int, args []any) []any {
			v := news[i]
			return append(args, v.RegionID, string(v.Level), nullID(v.PracticeID), string(v.Indicator), v.Quarter.Year, v.Quarter.Q, v.Value,
				v.Source, v.SourceDate, 1, h.now, h.now)
		}, nil); err != nil {
		if isUnique(err) {
			return conflict()
		}
		return err
	}
	for _, c := range changes {
		n := c.New
		if err := n.Validate(today); err != nil {
			return err
		}
		res, err := h.tx.ExecContext(h.ctx, `UPDATE indicator_values SET value = $3, source = $4, source_date = $5, version = version + 1,
			updated_at = $6 WHERE id = $1 AND version = $2 AND region_id = $7`,
			c.Old.ID, c.Old.Version, n.Value, n.Source, n.SourceDate, h.now, h.regionID)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
	}
	return nil
}
