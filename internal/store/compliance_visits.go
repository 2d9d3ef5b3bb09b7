package store

import (
	"context"

	"meertijd/internal/mtvp"
)

// visitFacts returns the RECORDED consultant visits of the region's
// practices (only practiceID's when it is not 0) in year, for the
// annual-visit requirement, in one query over the year's visits of the
// region, whatever the number of practices. Whether a missing visit
// counts is the region's setting (mtvp.NormSettings.VisitsRecordedFrom).
func (db *DB) visitFacts(ctx context.Context, regionID int64, practiceID int64, year int) (facts []mtvp.VisitFact, err error) {
	cond, arg := `region_id = $2`, regionID
	if regionID == 0 {
		cond, arg = `practice_id = $2`, practiceID
	}
	rows, err := db.reads().QueryContext(ctx, `SELECT practice_id, visited_on FROM visits
		WHERE year = $1 AND `+cond+` AND status = $3 ORDER BY practice_id, visited_on`, year, arg, string(mtvp.VisitDone))
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var f mtvp.VisitFact
		if err := rows.Scan(&f.PracticeID, &f.VisitedOn); err != nil {
			return nil, internal(err)
		}
		if practiceID != 0 && f.PracticeID != practiceID {
			continue
		}
		f.Year = year
		facts = append(facts, f)
	}
	return facts, internal(rows.Err())
}
