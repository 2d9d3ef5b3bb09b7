package store

import (
	"context"
	"sort"
	"strings"

	"meertijd/internal/mtvp"
)

// VisitCoverage lists every practice of the region that takes part
// (status actief, or with a visit for the year that is not cancelled) with
// its annual-visit standing for year at today, in two queries whatever the
// number of practices. consultantID narrows to the practices assigned to
// that consultant (0: all). warnDays is the region's AtRiskDays.
func (db *DB) VisitCoverage(ctx context.Context, regionID int64, year int, consultantID int64, today mtvp.Date, warnDays int) (mtvp.VisitCoverage, error) {
	c := mtvp.VisitCoverage{Year: year}
	rows, err := db.rd.QueryContext(ctx, `SELECT p.id, p.name, p.agb, COALESCE(p.consultant_user_id, 0), COALESCE(cu.name, ''), p.status
		FROM practices p LEFT JOIN users cu ON cu.id = p.consultant_user_id
		WHERE p.region_id = $1 AND ($2 = 0 OR p.consultant_user_id = $2)
		ORDER BY p.name, p.id`, regionID, consultantID)
	if err != nil {
		return c, internal(err)
	}
	type prow struct {
		row    mtvp.VisitCoverageRow
		active bool
	}
	var ps []prow
	for rows.Next() {
		var r prow
		var status string
		if err := rows.Scan(&r.row.PracticeID, &r.row.PracticeName, &r.row.AGB, &r.row.ConsultantID, &r.row.ConsultantName, &status); err != nil {
			rows.Close()
			return c, internal(err)
		}
		r.active = status == string(mtvp.PracticeActive)
		ps = append(ps, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, internal(err)
	}
	visits, err := db.ListVisits(ctx, VisitFilter{RegionID: regionID, Year: year, ConsultantID: consultantID})
	if err != nil {
		return c, err
	}
	byPractice := map[int64][]mtvp.Visit{}
	for _, v := range visits {
		byPractice[v.PracticeID] = append(byPractice[v.PracticeID], v)
	}
	for _, p := range ps {
		vs := byPractice[p.row.PracticeID]
		st := mtvp.StandingOfVisits(vs, year, today, warnDays)
		if !p.active && st.Visit == nil {
			continue
		}
		if st.Visit != nil {
			cp := *st.Visit
			st.Visit = &cp
		}
		p.row.VisitStanding = st
		c.Rows = append(c.Rows, p.row)
	}
	sort.SliceStable(c.Rows, func(i, j int) bool {
		return strings.ToLower(c.Rows[i].PracticeName) < strings.ToLower(c.Rows[j].PracticeName)
	})
	c.CountCoverage()
	return c, nil
}
