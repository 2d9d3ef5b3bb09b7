package store

import (
	"context"
	"time"

	"meertijd/internal/mtvp"
)

// activityFacts returns the attendance recorded as present at the region's
// activities of year whose kind counts towards a norm (issue 16 §1), for
// mtvp.EvaluateCompliance: one query, whatever the number of practices.
// Kinds counting towards nothing (the default) or a regioplan minimum, and
// kinds set to "norm" without a named norm, add nothing. Year 0: every
// year (mtvp applies the reference date's).
func (db *DB) activityFacts(ctx context.Context, regionID int64, year int) ([]mtvp.ActivityFact, error) {
	from, to := mtvp.NewDate(1900, time.January, 1), mtvp.YearEnd(2999)
	if year != 0 {
		from, to = mtvp.NewDate(year, time.January, 1), mtvp.YearEnd(year)
	}
	rows, err := db.reads().QueryContext(ctx, `SELECT s.person_id, a.id, a.title, a.day, k.norm
		FROM activity_signups s
		JOIN activities a ON a.id = s.activity_id
		JOIN activity_kinds k ON k.region_id = a.region_id AND k.code = a.kind
		WHERE a.region_id = $1 AND a.day >= $2 AND a.day <= $3
		AND k.counts = $4 AND k.norm <> '' AND s.status = $5 AND s.attended = $6
		ORDER BY s.person_id, a.day, a.id`,
		regionID, from, to, string(mtvp.CountsNorm), string(mtvp.EnrolmentPlaced), true)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.ActivityFact
	for rows.Next() {
		f := mtvp.ActivityFact{Present: true}
		if err := rows.Scan(&f.PersonID, &f.ActivityID, &f.Title, &f.Date, &f.Norm); err != nil {
			return nil, internal(err)
		}
		out = append(out, f)
	}
	return out, internal(rows.Err())
}
