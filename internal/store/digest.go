package store

import (
	"context"
	"database/sql"
	"time"

	"meertijd/internal/mtvp"
)

// digestPracticeOf maps an audit line to the practice it is about (NULL
// for lines about no practice: groups, trainings, the region).
const digestPracticeOf = `CASE a.entity
	WHEN 'practice' THEN a.entity_id
	WHEN 'plan' THEN (SELECT x.practice_id FROM plans x WHERE x.id = a.entity_id)
	WHEN 'visit' THEN (SELECT x.practice_id FROM visits x WHERE x.id = a.entity_id)
	WHEN 'claim' THEN (SELECT x.practice_id FROM training_claims x WHERE x.id = a.entity_id)
	WHEN 'membership' THEN (SELECT x.practice_id FROM memberships x WHERE x.id = a.entity_id)
	WHEN 'intervision_member' THEN (SELECT x.practice_id FROM intervision_members x WHERE x.id = a.entity_id)
	WHEN 'enrolment' THEN (SELECT x.practice_id FROM training_enrolments x WHERE x.id = a.entity_id)
	END`

// DigestFacts loads what mtvp.BuildDigest makes a region's digests of on
// day: its practices taking part, the changes recorded about them in the
// eight days before day (BuildDigest keeps the week), pending claims,
// plans of day's year in discussion, planned visits and, inside the
// at-risk window, the practices at risk (standings cache).
func (db *DB) DigestFacts(ctx context.Context, regionID int64, day mtvp.Date) (mtvp.DigestFacts, error) {
	f := mtvp.DigestFacts{RegionID: regionID}
	each := func(query string, scan func(*sql.Rows) error, args ...any) error {
		rows, err := db.rd.QueryContext(ctx, query, args...)
		if err != nil {
			return internal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return internal(err)
			}
		}
		return internal(rows.Err())
	}
	err := each(`SELECT id, name, COALESCE(consultant_user_id, 0) FROM practices WHERE region_id = $1 AND status = $2 ORDER BY id`,
		func(rows *sql.Rows) error {
			var p mtvp.DigestPractice
			err := rows.Scan(&p.ID, &p.Name, &p.ConsultantID)
			f.Practices = append(f.Practices, p)
			return err
		}, regionID, string(mtvp.PracticeActive))
	if err != nil {
		return f, err
	}
	from, to := day.AddDays(-8).Time(), day.AddDays(1).Time()
	err = each(`SELECT a.at, `+digestPracticeOf+` FROM audit_log a WHERE a.region_id = $1 AND a.at >= $2 AND a.at < $3`,
		func(rows *sql.Rows) error {
			var at time.Time
			var practice sql.NullInt64
			if err := rows.Scan(&at, &practice); err != nil {
				return err
			}
			if practice.Valid {
				f.Changes = append(f.Changes, mtvp.DigestChange{PracticeID: practice.Int64, On: mtvp.DateOf(at)})
			}
			return nil
		}, regionID, from, to)
	if err != nil {
		return f, err
	}
	err = each(`SELECT id, practice_id FROM training_claims WHERE region_id = $1 AND status = $2 ORDER BY id`,
		func(rows *sql.Rows) error {
			var c mtvp.ReminderClaim
			err := rows.Scan(&c.ID, &c.PracticeID)
			f.Claims = append(f.Claims, c)
			return err
		}, regionID, string(mtvp.ClaimPending))
	if err != nil {
		return f, err
	}
	// The plan's newest version decides whether it is in discussion.
	err = each(`SELECT pl.practice_id FROM plans pl JOIN plan_versions v ON v.plan_id = pl.id
		WHERE pl.region_id = $1 AND pl.year = $2 AND v.status = $3
		AND v.number = (SELECT MAX(w.number) FROM plan_versions w WHERE w.plan_id = pl.id) ORDER BY pl.practice_id`,
		func(rows *sql.Rows) error {
			var id int64
			err := rows.Scan(&id)
			f.Discussion = append(f.Discussion, id)
			return err
		}, regionID, day.Year(), string(mtvp.PlanDiscussion))
	if err != nil {
		return f, err
	}
	err = each(`SELECT id, practice_id, planned_on FROM visits WHERE region_id = $1 AND status = $2 ORDER BY id`,
		func(rows *sql.Rows) error {
			var v mtvp.ReminderVisit
			err := rows.Scan(&v.ID, &v.PracticeID, &v.PlannedOn)
			f.Visits = append(f.Visits, v)
			return err
		}, regionID, string(mtvp.VisitPlanned))
	if err != nil {
		return f, err
	}
	reg, err := db.RegionByID(ctx, regionID)
	if err != nil {
		return f, err
	}
	if mtvp.AtRiskWindowOpen(reg.Settings, day) {
		st, err := db.RegionStandings(ctx, regionID, day.Year(), day)
		if err != nil {
			return f, err
		}
		for _, p := range st.Practices {
			if mtvp.AtRisk(p.Standing, st.Settings, day) {
				f.AtRisk = append(f.AtRisk, p.Practice.ID)
			}
		}
	}
	return f, nil
}
