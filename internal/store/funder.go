package store

import (
	"context"
	"time"

	"meertijd/internal/mtvp"
)

// Loaders for the accountability to the insurers (issue 7): the region's
// participants with their stop dates, participation totals, the named
// intervision participation list and the obstacles of the visit reports.
// Each is a fixed number of queries whatever the size of the region.

// Participants returns every practice of the region with the day it
// stopped: the last audit entry that set its status to "gestopt" (a
// practice stopped without such an entry, e.g. imported as stopped, is
// taken to have stopped on its last change).
func (db *DB) Participants(ctx context.Context, regionID int64) ([]mtvp.Participant, error) {
	ps, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: regionID})
	if err != nil {
		return nil, err
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log
		WHERE region_id = $1 AND entity = $2 AND CAST(changes AS TEXT) LIKE $3 ORDER BY at, id`, regionID, EntityPractice, "%"+string(mtvp.PracticeStopped)+"%")
	if err != nil {
		return nil, internal(err)
	}
	entries, err := scanAudit(rows)
	if err != nil {
		return nil, err
	}
	stopped := map[int64]mtvp.Date{}
	for _, e := range entries {
		for _, c := range e.Changes {
			if c.Field != "Status" {
				continue
			}
			if c.New == string(mtvp.PracticeStopped) {
				stopped[e.EntityID] = mtvp.DateOf(e.At)
			} else {
				delete(stopped, e.EntityID)
			}
		}
	}
	out := make([]mtvp.Participant, 0, len(ps))
	for _, p := range ps {
		pt := mtvp.Participant{Practice: p.Practice}
		if p.Status == mtvp.PracticeStopped {
			if d, ok := stopped[p.ID]; ok {
				pt.StoppedOn = d
			} else {
				pt.StoppedOn = mtvp.DateOf(p.UpdatedAt)
			}
		}
		out = append(out, pt)
	}
	return out, nil
}

// ParticipationTotals counts, for a year: the region's intervision groups,
// the people holding a place in one and those who attended a meeting; and
// the people who completed a training of the region in the year, in total
// and per training title.
func (db *DB) ParticipationTotals(ctx context.Context, regionID int64, year int) (mtvp.ParticipationTotals, error) {
	t := mtvp.ParticipationTotals{PerTraining: map[string]int{}}
	err := db.rd.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM intervision_groups g WHERE g.region_id = $1 AND g.year = $2),
		(SELECT COUNT(DISTINCT m.person_id) FROM intervision_members m JOIN intervision_groups g ON g.id = m.group_id
			WHERE g.region_id = $1 AND g.year = $2 AND m.status = 'lid'),
		(SELECT COUNT(DISTINCT m.person_id) FROM intervision_members m JOIN intervision_groups g ON g.id = m.group_id
			JOIN intervision_attendance a ON a.member_id = m.id AND a.status = 'aanwezig'
			WHERE g.region_id = $1 AND g.year = $2 AND m.status = 'lid')`, regionID, year).
		Scan(&t.IntervisionGroups, &t.IntervisionMembers, &t.IntervisionAttended)
	if err != nil {
		return t, internal(err)
	}
	from, to := mtvp.NewDate(year, time.January, 1), mtvp.YearEnd(year)
	rows, err := db.rd.QueryContext(ctx, `SELECT t.title, c.person_id FROM training_completions c JOIN trainings t ON t.id = c.training_id
		WHERE t.region_id = $1 AND c.completed_on >= $2 AND c.completed_on <= $3`, regionID, from, to)
	if err != nil {
		return t, internal(err)
	}
	defer rows.Close()
	people := map[int64]bool{}
	perTraining := map[string]map[int64]bool{}
	for rows.Next() {
		var title string
		var person int64
		if err := rows.Scan(&title, &person); err != nil {
			return t, internal(err)
		}
		t.TrainingCompletions++
		people[person] = true
		if perTraining[title] == nil {
			perTraining[title] = map[int64]bool{}
		}
		perTraining[title][person] = true
	}
	t.TrainingPeople = len(people)
	for title, ps := range perTraining {
		t.PerTraining[title] = len(ps)
	}
	return t, internal(rows.Err())
}

// IntervisionParticipationRow is one place in an intervision group of the
// year, with the person's name: the list the region may share with its
// insurers.
type IntervisionParticipationRow struct {
	Group        string
	PracticeName string
	PracticeAGB  string
	PersonName   string
	Role         mtvp.StaffRole
	Joined, Left mtvp.Date
	Attended     int // meetings attended (present)
}

// IntervisionParticipation lists the places (members, not the waiting
// list) in the region's groups of year by group, practice and name.
func (db *DB) IntervisionParticipation(ctx context.Context, regionID int64, year int) ([]IntervisionParticipationRow, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT g.name, pr.name, pr.agb, pe.name, m.role, m.joined_on, m.left_on,
			(SELECT COUNT(*) FROM intervision_attendance a WHERE a.member_id = m.id AND a.status = 'aanwezig')
		FROM intervision_members m
		JOIN intervision_groups g ON g.id = m.group_id
		JOIN practices pr ON pr.id = m.practice_id
		JOIN persons pe ON pe.id = m.person_id
		WHERE g.region_id = $1 AND g.year = $2 AND m.status = 'lid'
		ORDER BY g.name, pr.name, pe.name, m.id`, regionID, year)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []IntervisionParticipationRow
	for rows.Next() {
		var r IntervisionParticipationRow
		if err := rows.Scan(&r.Group, &r.PracticeName, &r.PracticeAGB, &r.PersonName, &r.Role, &r.Joined, &r.Left, &r.Attended); err != nil {
			return nil, internal(err)
		}
		out = append(out, r)
	}
	return out, internal(rows.Err())
}

// ObstacleFacts returns the "what gets in the way" texts of the region's
// recorded visits of year, per finding, in one query.
func (db *DB) ObstacleFacts(ctx context.Context, regionID int64, year int) ([]mtvp.ObstacleFact, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT v.practice_id, f.code, f.title, f.obstacles
		FROM visit_findings f JOIN visits v ON v.id = f.visit_id
		WHERE v.region_id = $1 AND v.year = $2 AND v.status = $3 AND f.obstacles <> ''
		ORDER BY f.code, v.practice_id, f.id`, regionID, year, string(mtvp.VisitDone))
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.ObstacleFact
	for rows.Next() {
		var f mtvp.ObstacleFact
		if err := rows.Scan(&f.PracticeID, &f.Code, &f.Title, &f.Text); err != nil {
			return nil, internal(err)
		}
		out = append(out, f)
	}
	return out, internal(rows.Err())
}

// PlanStatuses returns the status of the latest plan version of the year
// per practice of the region (practices without a plan are absent).
func (db *DB) PlanStatuses(ctx context.Context, regionID int64, year int) (map[int64]mtvp.PlanStatus, error) {
	sums, err := db.PlanOverview(ctx, regionID, year, 0)
	if err != nil {
		return nil, err
	}
	out := map[int64]mtvp.PlanStatus{}
	for _, s := range sums {
		if s.PlanID != 0 {
			out[s.PracticeID] = s.Status
		}
	}
	return out, nil
}

// SnapshotFacts returns the region's frozen compliance snapshots, newest
// first, reduced to counts per requirement (two queries).
func (db *DB) SnapshotFacts(ctx context.Context, regionID int64) ([]mtvp.SnapshotFacts, error) {
	snaps, err := db.ListComplianceSnapshots(ctx, regionID)
	if err != nil || len(snaps) == 0 {
		return nil, err
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT r.snapshot_id, r.requirement, r.status, COUNT(*)
		FROM compliance_snapshot_rows r JOIN compliance_snapshots s ON s.id = r.snapshot_id
		WHERE s.region_id = $1 GROUP BY r.snapshot_id, r.requirement, r.status`, regionID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := make([]mtvp.SnapshotFacts, len(snaps))
	index := map[int64]int{}
	for i, s := range snaps {
		index[s.ID] = i
		out[i] = mtvp.SnapshotFacts{Title: s.Note, Year: s.Year, Ref: s.Ref, FrozenAt: s.CreatedAt, Practices: s.PracticeCount, Compliant: s.CompliantCount,
			Met: map[mtvp.Requirement]int{}, Applicable: map[mtvp.Requirement]int{}}
	}
	for rows.Next() {
		var id int64
		var req mtvp.Requirement
		var status mtvp.ComplianceStatus
		var n int
		if err := rows.Scan(&id, &req, &status, &n); err != nil {
			return nil, internal(err)
		}
		i, ok := index[id]
		if !ok {
			continue
		}
		switch status {
		case mtvp.StatusMet:
			out[i].Met[req] += n
			out[i].Applicable[req] += n
		case mtvp.StatusNotMet:
			out[i].Applicable[req] += n
		default:
			out[i].Applicable[req] += 0 // listed, applying to no practice
		}
	}
	return out, internal(rows.Err())
}

// FunderInput loads everything mtvp.BuildFunderFigures needs for a year,
// at the default reference date for today: a fixed number of queries
// whatever the number of practices.
func (db *DB) FunderInput(ctx context.Context, reg mtvp.Region, year int, today mtvp.Date) (mtvp.FunderInput, error) {
	in := mtvp.FunderInput{Region: reg, Year: year, Ref: mtvp.ReferenceDate(year, today), Today: today}
	var err error
	if in.Participants, err = db.Participants(ctx, reg.ID); err != nil {
		return in, err
	}
	if in.PlanStatus, err = db.PlanStatuses(ctx, reg.ID, year); err != nil {
		return in, err
	}
	if in.Compliance, err = db.ComplianceFacts(ctx, reg.ID, year, in.Ref); err != nil {
		return in, err
	}
	if in.Compliance == nil {
		in.Compliance = map[int64]mtvp.ComplianceFacts{}
	}
	cov, err := db.VisitCoverage(ctx, reg.ID, year, 0, today, reg.Settings.AtRiskDays)
	if err != nil {
		return in, err
	}
	in.Visits = &mtvp.VisitCounts{Visited: cov.Visited, Planned: cov.Planned, NotPlanned: cov.NotPlanned}
	snaps, err := db.SnapshotFacts(ctx, reg.ID)
	if err != nil {
		return in, err
	}
	for _, s := range snaps {
		if s.Year == year {
			in.Snapshots = append(in.Snapshots, s)
		}
	}
	if in.Participation, err = db.ParticipationTotals(ctx, reg.ID, year); err != nil {
		return in, err
	}
	in.Obstacles, err = db.ObstacleFacts(ctx, reg.ID, year)
	return in, err
}
