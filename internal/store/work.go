package store

// What waits for someone in a region, for the landing pages and the menu's
// counts (issue 10): each a single query over the region, not one per
// practice.

import (
	"context"
	"database/sql"
	"time"

	"meertijd/internal/mtvp"
)

// PendingClaimCount counts the region's prior-learning claims awaiting a
// decision (only those of consultantID's practices when not 0).
func (db *DB) PendingClaimCount(ctx context.Context, regionID, consultantID int64) (int, error) {
	var n int
	err := db.rd.QueryRowContext(ctx, `SELECT COUNT(*) FROM training_claims c JOIN practices pr ON pr.id = c.practice_id
		WHERE c.region_id = $1 AND c.status = 'in_behandeling' AND ($2 = 0 OR pr.consultant_user_id = $2)`,
		regionID, consultantID).Scan(&n)
	return n, internal(err)
}

// PlanToComment is a plan shared with the team for discussion that its
// consultant has not commented on since this version was shared.
type PlanToComment struct {
	PracticeID   int64
	PracticeName string
	PlanID       int64
	Number       int       // the version under discussion
	SharedAt     time.Time // zero when unknown
}

// PlansToComment lists the plans of year of consultantID's practices whose
// latest version is in discussion (mtvp.PlanDiscussion) without a comment
// of the consultant on that version, longest waiting first.
func (db *DB) PlansToComment(ctx context.Context, regionID int64, year int, consultantID int64) ([]PlanToComment, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT pr.id, pr.name, pl.id, lv.number, lv.shared_at
		FROM plans pl
		JOIN practices pr ON pr.id = pl.practice_id
		JOIN plan_versions lv ON lv.plan_id = pl.id AND lv.number = (SELECT MAX(x.number) FROM plan_versions x WHERE x.plan_id = pl.id)
		WHERE pl.region_id = $1 AND pl.year = $2 AND pr.consultant_user_id = $3 AND lv.status = 'in_bespreking'
		AND NOT EXISTS (SELECT 1 FROM plan_comments c WHERE c.plan_id = pl.id AND c.version_number = lv.number AND c.author_user_id = $3)
		ORDER BY lv.shared_at, pr.name, pr.id`, regionID, year, consultantID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []PlanToComment
	for rows.Next() {
		var p PlanToComment
		var shared sql.NullTime
		if err := rows.Scan(&p.PracticeID, &p.PracticeName, &p.PlanID, &p.Number, &shared); err != nil {
			return nil, internal(err)
		}
		p.SharedAt = nullTime(shared)
		out = append(out, p)
	}
	return out, internal(rows.Err())
}

// UpcomingMeeting is a meeting of an intervision group with the group's
// name.
type UpcomingMeeting struct {
	mtvp.Meeting
	GroupName string
}

// FacilitatorMeetings returns the next meetings (on or after from, at most
// limit) of the groups facilitatorID runs in the region, by date.
func (db *DB) FacilitatorMeetings(ctx context.Context, regionID, facilitatorID int64, from mtvp.Date, limit int) ([]UpcomingMeeting, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT m.id, m.group_id, m.meeting_date, m.start_time, m.end_time, m.place, m.theme, g.name
		FROM intervision_meetings m JOIN intervision_groups g ON g.id = m.group_id
		WHERE g.region_id = $1 AND g.facilitator_user_id = $2 AND m.meeting_date >= $3
		ORDER BY m.meeting_date, m.start_time, g.name LIMIT $4`, regionID, facilitatorID, from, limit)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []UpcomingMeeting
	for rows.Next() {
		var m UpcomingMeeting
		if err := rows.Scan(&m.ID, &m.GroupID, &m.Date, &m.Start, &m.End, &m.Place, &m.Theme, &m.GroupName); err != nil {
			return nil, internal(err)
		}
		out = append(out, m)
	}
	return out, internal(rows.Err())
}

// OpenMeeting is a held meeting of a facilitator's group with work left:
// its attendance is not recorded (NoAttendance), or it is not yet
// submitted to GAIA for the GPs' accreditation points.
type OpenMeeting struct {
	UpcomingMeeting
	NoAttendance bool
}

// FacilitatorOpenMeetings returns the meetings held from since until
// before (exclusive) in the groups facilitatorID runs in the region that
// still lack attendance or a GAIA submission, oldest first, at most limit.
func (db *DB) FacilitatorOpenMeetings(ctx context.Context, regionID, facilitatorID int64, since, before mtvp.Date, limit int) ([]OpenMeeting, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT m.id, m.group_id, m.meeting_date, m.start_time, m.end_time, m.place, m.theme, g.name,
		NOT EXISTS (SELECT 1 FROM intervision_attendance a WHERE a.meeting_id = m.id) AS no_attendance
		FROM intervision_meetings m JOIN intervision_groups g ON g.id = m.group_id
		WHERE g.region_id = $1 AND g.facilitator_user_id = $2 AND m.meeting_date >= $3 AND m.meeting_date < $4
		  AND (m.gaia_submitted_on IS NULL OR NOT EXISTS (SELECT 1 FROM intervision_attendance a WHERE a.meeting_id = m.id))
		ORDER BY m.meeting_date, m.start_time, g.name LIMIT $5`, regionID, facilitatorID, since, before, limit)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []OpenMeeting
	for rows.Next() {
		var m OpenMeeting
		if err := rows.Scan(&m.ID, &m.GroupID, &m.Date, &m.Start, &m.End, &m.Place, &m.Theme, &m.GroupName, &m.NoAttendance); err != nil {
			return nil, internal(err)
		}
		out = append(out, m)
	}
	return out, internal(rows.Err())
}

// CountPractices counts the region's practices (every status).
func (db *DB) CountPractices(ctx context.Context, regionID int64) (int, error) {
	var n int
	err := db.rd.QueryRowContext(ctx, `SELECT COUNT(*) FROM practices WHERE region_id = $1`, regionID).Scan(&n)
	return n, internal(err)
}
