package store

import (
	"context"
	"time"

	"meertijd/internal/mtvp"
)

// RegionStaff returns every membership (also ended and future ones) of the
// practices of a region with its person, by practice, in one query: what a
// loader needs to sign people up without a query per practice.
// OtherPractices is not filled.
func (db *DB) RegionStaff(ctx context.Context, regionID int64) (map[int64][]mtvp.StaffMember, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+membershipCols+`, `+personCols+`
		FROM memberships m JOIN persons pe ON pe.id = m.person_id JOIN practices pr ON pr.id = m.practice_id
		WHERE pr.region_id = $1 ORDER BY m.practice_id, m.id`, regionID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := map[int64][]mtvp.StaffMember{}
	for rows.Next() {
		var s mtvp.StaffMember
		var mc, mu, pc, pu time.Time
		if err := rows.Scan(append(membershipDest(&s.Membership, &mc, &mu), personDest(&s.Person, &pc, &pu)...)...); err != nil {
			return nil, internal(err)
		}
		s.Membership.CreatedAt, s.Membership.UpdatedAt = utc(mc), utc(mu)
		s.Person.CreatedAt, s.Person.UpdatedAt = utc(pc), utc(pu)
		out[s.PracticeID] = append(out[s.PracticeID], s)
	}
	return out, internal(rows.Err())
}
