package store

// Consultant visits (issue 7):
//
//	VisitByID, ListVisits, CreateVisit, UpdateVisit, RecordVisit (here),
//	VisitCoverage (visit_coverage.go)
//
// A visit row holds the planning and the outcome's single fields; the
// findings per plan intervention and the agreed actions live in
// visit_findings and visit_actions and are replaced as a whole, in the
// same transaction, each time the outcome is saved. visits.version is the
// optimistic lock over the visit with its findings and actions.

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// EntityVisit is the audit entity of visits (planning and outcome).
const EntityVisit = "visit"

// Audit action of recording a visit's outcome.
const ActionRecord = "record"

// VisitFilter selects visits for a list. RegionID or PracticeID is
// required; Year 0 means every year.
type VisitFilter struct {
	RegionID     int64
	PracticeID   int64
	Year         int
	ConsultantID int64 // visits of practices assigned to this consultant
	OnlyRecorded bool
}

const visitCols = `v.id, v.region_id, v.practice_id, v.year, v.planned_on, v.status, COALESCE(v.consultant_user_id, 0), v.consultant_name,
	v.visited_on, v.plan_version, v.judgement, COALESCE(v.recorded_by, 0), v.recorded_name, v.recorded_at,
	v.version, v.created_at, v.updated_at, p.name`

const visitFrom = ` FROM visits v JOIN practices p ON p.id = v.practice_id`

func scanVisit(s rowScanner) (mtvp.Visit, error) {
	var v mtvp.Visit
	var recorded sql.NullTime
	var created, updated time.Time
	err := s.Scan(&v.ID, &v.RegionID, &v.PracticeID, &v.Year, &v.PlannedOn, &v.Status, &v.ConsultantID, &v.ConsultantName,
		&v.VisitedOn, &v.PlanVersion, &v.Judgement, &v.RecordedBy.UserID, &v.RecordedBy.Name, &recorded,
		&v.Version, &created, &updated, &v.PracticeName)
	if err != nil {
		return v, err
	}
	v.RecordedAt, v.CreatedAt, v.UpdatedAt = nullTime(recorded), utc(created), utc(updated)
	return v, nil
}

// VisitByID returns one visit with its findings and actions.
func (db *DB) VisitByID(ctx context.Context, id int64) (mtvp.Visit, error) {
	return db.visitByID(ctx, db.rd, id)
}

func (db *DB) visitByID(ctx context.Context, q querier, id int64) (mtvp.Visit, error) {
	v, err := scanVisit(q.QueryRowContext(ctx, `SELECT `+visitCols+visitFrom+` WHERE v.id = $1`, id))
	if err != nil {
		return v, rowErr(err)
	}
	rows, err := q.QueryContext(ctx, `SELECT intervention_id, code, title, deployment, goes_well, obstacles, solutions
		FROM visit_findings WHERE visit_id = $1 ORDER BY position, id`, id)
	if err != nil {
		return v, internal(err)
	}
	for rows.Next() {
		var f mtvp.VisitFinding
		if err := rows.Scan(&f.InterventionID, &f.Code, &f.Title, &f.Deployment, &f.GoesWell, &f.Obstacles, &f.Solutions); err != nil {
			rows.Close()
			return v, internal(err)
		}
		v.Findings = append(v.Findings, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return v, internal(err)
	}
	rows, err = q.QueryContext(ctx, `SELECT description, owner, due_on, done FROM visit_actions WHERE visit_id = $1 ORDER BY position, id`, id)
	if err != nil {
		return v, internal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a mtvp.VisitAction
		if err := rows.Scan(&a.Description, &a.Owner, &a.Due, &a.Done); err != nil {
			return v, internal(err)
		}
		v.Actions = append(v.Actions, a)
	}
	return v, internal(rows.Err())
}

// ListVisits returns visits (without findings and actions) by planned
// date, newest year first.
func (db *DB) ListVisits(ctx context.Context, f VisitFilter) ([]mtvp.Visit, error) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.RegionID != 0 {
		add("v.region_id = ?", f.RegionID)
	}
	if f.PracticeID != 0 {
		add("v.practice_id = ?", f.PracticeID)
	}
	if len(conds) == 0 {
		return nil, mtvp.Errorf(mtvp.EINTERNAL, "store: ListVisits needs a region or practice")
	}
	if f.Year != 0 {
		add("v.year = ?", f.Year)
	}
	if f.ConsultantID != 0 {
		add("p.consultant_user_id = ?", f.ConsultantID)
	}
	if f.OnlyRecorded {
		add("v.status = ?", string(mtvp.VisitDone))
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT `+visitCols+visitFrom+` WHERE `+strings.Join(conds, " AND ")+
		` ORDER BY v.year DESC, v.planned_on, p.name, v.id`, args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Visit
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, v)
	}
	return out, internal(rows.Err())
}

// visitConsultant checks the visit's consultant holds a consultant grant in
// the region and fills the name; without one the practice's consultant is
// taken, and a visit needs a consultant.
func (db *DB) visitConsultant(ctx context.Context, tx *sql.Tx, v *mtvp.Visit, p mtvp.Practice) error {
	if v.ConsultantID == 0 {
		v.ConsultantID = p.ConsultantID
	}
	if v.ConsultantID == 0 {
		return invalid("consultant", "visit.err.consultant_required")
	}
	err := db.txQueryRow(ctx, tx, sqlConsultantName, v.ConsultantID, string(mtvp.AccountConsultant), v.RegionID).Scan(&v.ConsultantName)
	if err == sql.ErrNoRows {
		return invalid("consultant", "visit.err.consultant_unknown")
	}
	return internal(err)
}

// CreateVisit plans a visit to a practice (v.PracticeID) for v.Year on
// v.PlannedOn. The region is the practice's; the consultant defaults to
// the practice's. A practice with a visit for that year that is not
// cancelled gets EINVALID "planned_on" = "visit.err.already_planned".
func (db *DB) CreateVisit(ctx context.Context, a mtvp.Actor, v *mtvp.Visit) error {
	v.Status = mtvp.VisitPlanned
	v.NormalizeVisitPlanning()
	if v.Year == 0 && !v.PlannedOn.IsZero() {
		v.Year = v.PlannedOn.Year()
	}
	if err := v.ValidatePlanning(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.practiceByID(ctx, tx, v.PracticeID)
		if err != nil {
			return err
		}
		v.RegionID, v.PracticeName = p.RegionID, p.Name
		if err := db.visitConsultant(ctx, tx, v, p); err != nil {
			return err
		}
		now := db.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO visits (region_id, practice_id, year, planned_on, status, consultant_user_id, consultant_name,
				version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id`,
			v.RegionID, v.PracticeID, v.Year, v.PlannedOn, v.Status, nullID(v.ConsultantID), v.ConsultantName, now).Scan(&v.ID)
		if isUnique(err) {
			return invalid("planned_on", "visit.err.already_planned")
		}
		if err != nil {
			return internal(err)
		}
		v.Version, v.CreatedAt, v.UpdatedAt = 1, now, now
		return db.audit(ctx, tx, a, v.RegionID, EntityVisit, v.ID, ActionCreate, visitChanges(nil, v))
	})
}

// UpdateVisit changes a visit's planning: the planned date, the consultant
// and the status between gepland and geannuleerd (a cancelled visit may be
// planned again when no other visit took its place). A recorded visit's
// planning is fixed (EINVALID "status" = "visit.err.recorded"); its outcome
// changes through RecordVisit. ECONFLICT when v.Version is stale.
func (db *DB) UpdateVisit(ctx context.Context, a mtvp.Actor, v *mtvp.Visit) error {
	v.NormalizeVisitPlanning()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.visitByID(ctx, tx, v.ID)
		if err != nil {
			return err
		}
		if old.Version != v.Version {
			return conflict()
		}
		if old.Status == mtvp.VisitDone {
			return invalid("status", "visit.err.recorded")
		}
		if v.Status == mtvp.VisitDone {
			return invalid("status", "visit.err.record_via_outcome")
		}
		v.RegionID, v.PracticeID, v.Year, v.PracticeName = old.RegionID, old.PracticeID, old.Year, old.PracticeName
		if err := v.ValidatePlanning(); err != nil {
			return err
		}
		p, err := db.practiceByID(ctx, tx, v.PracticeID)
		if err != nil {
			return err
		}
		if err := db.visitConsultant(ctx, tx, v, p); err != nil {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE visits SET planned_on = $3, status = $4, consultant_user_id = $5, consultant_name = $6,
			version = version + 1, updated_at = $7 WHERE id = $1 AND version = $2`,
			v.ID, v.Version, v.PlannedOn, v.Status, nullID(v.ConsultantID), v.ConsultantName, now)
		if isUnique(err) {
			return invalid("status", "visit.err.already_planned")
		}
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		// The outcome is untouched.
		v.VisitedOn, v.PlanVersion, v.Findings, v.Actions, v.Judgement = old.VisitedOn, old.PlanVersion, old.Findings, old.Actions, old.Judgement
		v.RecordedBy, v.RecordedAt = old.RecordedBy, old.RecordedAt
		v.Version++
		v.CreatedAt, v.UpdatedAt = old.CreatedAt, now
		return db.audit(ctx, tx, a, v.RegionID, EntityVisit, v.ID, ActionUpdate, visitChanges(&old, v))
	})
}

// RecordVisit records (or corrects) a visit's outcome: the visit date, the
// findings per intervention of the practice's plan for the visit's year,
// the agreed actions and the judgement; the visit becomes afgerond. The
// findings follow the plan's current version (the newest final one, else
// the latest): a finding for an intervention that is neither in that
// version nor already in the stored report is EINVALID
// "findings.N.intervention_id"; code and title are copied from the plan.
// Everything is written in one transaction; ECONFLICT when v.Version is
// stale. A cancelled visit cannot be recorded.
func (db *DB) RecordVisit(ctx context.Context, a mtvp.Actor, v *mtvp.Visit) error {
	v.NormalizeOutcome()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.visitByID(ctx, tx, v.ID)
		if err != nil {
			return err
		}
		if old.Version != v.Version {
			return conflict()
		}
		if old.Status == mtvp.VisitCancelled {
			return invalid("status", "visit.err.cancelled")
		}
		v.RegionID, v.PracticeID, v.Year, v.PracticeName = old.RegionID, old.PracticeID, old.Year, old.PracticeName
		v.PlannedOn, v.ConsultantID, v.ConsultantName = old.PlannedOn, old.ConsultantID, old.ConsultantName
		v.Status = mtvp.VisitDone
		// Findings follow the plan of the year.
		known := map[int64]mtvp.VisitFinding{}
		for _, f := range old.Findings {
			known[f.InterventionID] = f
		}
		v.PlanVersion = old.PlanVersion
		if pl, err := db.plan(ctx, tx, `practice_id = $1 AND year = $2`, v.PracticeID, v.Year); err == nil {
			if cur := pl.Current(); cur != nil {
				v.PlanVersion = cur.Number
				for _, it := range cur.Content.Items {
					known[it.InterventionID] = mtvp.VisitFinding{InterventionID: it.InterventionID, Code: it.Code, Title: it.Title}
				}
			}
		} else if mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
			return err
		}
		fe := mtvp.FieldErrors{}
		seen := map[int64]bool{}
		for n := range v.Findings {
			f := &v.Findings[n]
			k, ok := known[f.InterventionID]
			if !ok || seen[f.InterventionID] {
				fe.Add("findings."+itoa(n)+".intervention_id", "visit.err.intervention_not_in_plan")
				continue
			}
			seen[f.InterventionID] = true
			f.Code, f.Title = k.Code, k.Title
		}
		if err := v.ValidateOutcome(db.today()); err != nil {
			for name, key := range mtvp.FieldErrorsOf(err) {
				fe.Add(name, key)
			}
		}
		if err := fe.Err(); err != nil {
			return err
		}
		now := db.now()
		if old.RecordedAt.IsZero() || old.Status != mtvp.VisitDone {
			v.RecordedBy, v.RecordedAt = mtvp.SavedBy{UserID: a.UserID, Name: a.Name}, now
		} else {
			v.RecordedBy, v.RecordedAt = old.RecordedBy, old.RecordedAt
		}
		res, err := tx.ExecContext(ctx, `UPDATE visits SET status = $3, visited_on = $4, plan_version = $5, judgement = $6,
			recorded_by = $7, recorded_name = $8, recorded_at = $9, version = version + 1, updated_at = $10 WHERE id = $1 AND version = $2`,
			v.ID, v.Version, v.Status, v.VisitedOn, v.PlanVersion, v.Judgement, nullID(v.RecordedBy.UserID), v.RecordedBy.Name, v.RecordedAt, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM visit_findings WHERE visit_id = $1`, v.ID); err != nil {
			return internal(err)
		}
		for n, f := range v.Findings {
			if _, err := tx.ExecContext(ctx, `INSERT INTO visit_findings (visit_id, position, intervention_id, code, title, deployment, goes_well, obstacles, solutions)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, v.ID, n, f.InterventionID, f.Code, f.Title, f.Deployment, f.GoesWell, f.Obstacles, f.Solutions); err != nil {
				return internal(err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM visit_actions WHERE visit_id = $1`, v.ID); err != nil {
			return internal(err)
		}
		for n, x := range v.Actions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO visit_actions (visit_id, position, description, owner, due_on, done)
				VALUES ($1, $2, $3, $4, $5, $6)`, v.ID, n, x.Description, x.Owner, x.Due, x.Done); err != nil {
				return internal(err)
			}
		}
		v.Version++
		v.CreatedAt, v.UpdatedAt = old.CreatedAt, now
		action := ActionRecord
		if old.Status == mtvp.VisitDone {
			action = ActionUpdate
		}
		changes := visitChanges(&old, v)
		if action == ActionRecord {
			changes = append(changes, mtvp.PastYearRecorded(v.VisitedOn, db.today())...)
		}
		return db.audit(ctx, tx, a, v.RegionID, EntityVisit, v.ID, action, changes)
	})
}

// visitChanges is the audit diff of a visit: its single fields, then one
// readable line per changed finding and the actions as a whole.
func visitChanges(old, v *mtvp.Visit) []mtvp.Change {
	strip := func(x *mtvp.Visit) *mtvp.Visit {
		if x == nil {
			return nil
		}
		c := *x
		c.Findings, c.Actions, c.PracticeName, c.RecordedAt, c.RecordedBy = nil, nil, "", time.Time{}, mtvp.SavedBy{}
		return &c
	}
	var out []mtvp.Change
	if old == nil {
		out = mtvp.Diff(nil, strip(v))
	} else {
		out = mtvp.Diff(strip(old), strip(v))
	}
	oldF := map[string]string{}
	if old != nil {
		for _, f := range old.Findings {
			oldF[f.Code] = findingText(f)
		}
	}
	for _, f := range v.Findings {
		if t := findingText(f); t != oldF[f.Code] {
			out = append(out, mtvp.Change{Field: "Findings " + f.Code, Old: oldF[f.Code], New: t})
		}
		delete(oldF, f.Code)
	}
	for code, t := range oldF {
		out = append(out, mtvp.Change{Field: "Findings " + code, Old: t})
	}
	var oldA string
	if old != nil {
		oldA = actionsText(old.Actions)
	}
	if newA := actionsText(v.Actions); newA != oldA {
		out = append(out, mtvp.Change{Field: "Actions", Old: oldA, New: newA})
	}
	return out
}

func findingText(f mtvp.VisitFinding) string {
	if f.Empty() {
		return ""
	}
	return fmt.Sprintf("ingezet: %s | gaat goed: %s | knelpunten: %s | oplossing: %s", f.Deployment, f.GoesWell, f.Obstacles, f.Solutions)
}

func actionsText(as []mtvp.VisitAction) string {
	var parts []string
	for _, a := range as {
		s := a.Description
		if a.Owner != "" {
			s += " (" + a.Owner + ")"
		}
		if !a.Due.IsZero() {
			s += " vóór " + a.Due.Short()
		}
		if a.Done {
			s += " (gedaan)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}
