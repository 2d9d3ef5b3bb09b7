package store

import (
	"context"

	"meertijd/internal/mtvp"
)

// visitFacts returns the RECORDED consultant visits of the region's
// practices (only practiceID's when it is not 0) in year, for the
// annual-visit requirement, and whether visits are tracked at all.
//
// The visits area (visit.go) supplies them in one query over the year's
// visits of the region, whatever the number of practices. Visits count as
// tracked once the region registers them in meertijd: when it has any
// visit for the year that is not cancelled (planned or recorded). Until
// then the requirement stays "niet geregistreerd" and does not block, so
// a region that starts using meertijd mid-year, or keeps its visit
// reports elsewhere, is not shown every practice as failing.
func (db *DB) visitFacts(ctx context.Context, regionID int64, practiceID int64, year int) (facts []mtvp.VisitFact, tracked bool, err error) {
	cond, arg := `region_id = $2`, regionID
	if regionID == 0 {
		cond, arg = `practice_id = $2`, practiceID
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT practice_id, status, visited_on FROM visits
		WHERE year = $1 AND `+cond+` AND status <> $3 ORDER BY practice_id, visited_on`, year, arg, string(mtvp.VisitCancelled))
	if err != nil {
		return nil, false, internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var f mtvp.VisitFact
		var status string
		if err := rows.Scan(&f.PracticeID, &status, &f.VisitedOn); err != nil {
			return nil, false, internal(err)
		}
		tracked = true
		if status != string(mtvp.VisitDone) || (practiceID != 0 && f.PracticeID != practiceID) {
			continue
		}
		f.Year = year
		facts = append(facts, f)
	}
	if err := rows.Err(); err != nil {
		return nil, false, internal(err)
	}
	return facts, tracked, nil
}
