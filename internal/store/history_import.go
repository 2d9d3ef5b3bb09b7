package store

import (
	"context"
	"database/sql"
	"time"

	"meertijd/internal/mtvp"
)

// History import: a region that moves in brings the lists it kept before
// (intervision, trainings, claims, plans, visits). One file is one
// HistoryImport: one transaction, written chunk by chunk as the file is
// read (the bulk loaders of bulk*.go), so memory does not grow with the
// file, and rolled back whole when any row turns out wrong. Every record
// it writes carries the audit note "recorded afterwards" with the file's
// name, and Commit writes one entry for the run itself.

// EntityImport is the audit entity of an import run.
const EntityImport = "import"

// FieldRecordedAfterwards is the audit field that marks a change entered
// after the fact (from a file or a form), with where it came from.
const FieldRecordedAfterwards = "RecordedAfterwards"

// RecordedAfterwards is the audit note of a change entered after the fact.
func RecordedAfterwards(source string) mtvp.Change {
	return mtvp.Change{Field: FieldRecordedAfterwards, New: source}
}

// HistoryImport is an open history import (see above). It is not safe for
// concurrent use.
type HistoryImport struct {
	db       *DB
	ctx      context.Context
	tx       *sql.Tx
	a        mtvp.Actor
	regionID int64
	source   string
	log      *auditLog
	now      time.Time
}

// BeginHistoryImport opens the transaction of one import of a file
// (source: its name) into a region.
func (db *DB) BeginHistoryImport(ctx context.Context, a mtvp.Actor, regionID int64, source string) (*HistoryImport, error) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return nil, internal(err)
	}
	if _, err := db.regionByID(ctx, tx, regionID); err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	log := newAuditLog(a, false)
	log.note = []mtvp.Change{RecordedAfterwards(source)}
	return &HistoryImport{db: db, ctx: ctx, tx: tx, a: a, regionID: regionID, source: source, log: log, now: db.now()}, nil
}

// flush writes the audit entries collected so far.
func (h *HistoryImport) flush() error {
	if len(h.log.rows) == 0 {
		return nil
	}
	err := h.db.bulkAudit(h.ctx, h.tx, h.now, h.log.rows)
	h.log.rows = h.log.rows[:0]
	return err
}

// audit adds one entry of a single-record change.
func (h *HistoryImport) audit(entity string, id int64, action string, changes []mtvp.Change) {
	h.log.add(mtvp.Actor{}, h.regionID, entity, id, action, func() []mtvp.Change { return changes })
}

// Intervision writes a chunk of groups, members, meetings and attendance
// (BulkIntervision's rules). Rows may point at groups, members and
// meetings written before (with their IDs).
func (h *HistoryImport) Intervision(b *IntervisionBatch) error {
	if err := h.db.bulkIntervision(h.ctx, h.tx, h.log, b); err != nil {
		return err
	}
	return h.flush()
}

// Training writes a chunk of trainings, sessions, completions and claims
// (BulkTraining's rules).
func (h *HistoryImport) Training(b *TrainingBatch) error {
	if err := h.db.bulkTraining(h.ctx, h.tx, h.log, b); err != nil {
		return err
	}
	return h.flush()
}

// Plans writes a chunk of new plans (BulkPlans' rules).
func (h *HistoryImport) Plans(b *PlanBatch) error {
	if err := h.db.bulkPlans(h.ctx, h.tx, h.log, b); err != nil {
		return err
	}
	return h.flush()
}

// SetAttendance changes the recorded attendance of a member at a meeting.
func (h *HistoryImport) SetAttendance(meetingID, memberID int64, old, status mtvp.AttendanceStatus, person string) error {
	if !status.Valid() {
		return invalid("status", "intervision.err.attendance_status")
	}
	if _, err := h.tx.ExecContext(h.ctx, `UPDATE intervision_attendance SET status = $3 WHERE meeting_id = $1 AND member_id = $2`,
		meetingID, memberID, string(status)); err != nil {
		return internal(err)
	}
	h.audit(EntityMeeting, meetingID, ActionAttendance, []mtvp.Change{{Field: person, Old: string(old), New: string(status)}})
	return nil
}

// DecideClaim records the decision on an existing claim as it was taken:
// by whom (a user, or only a name) and when.
func (h *HistoryImport) DecideClaim(old mtvp.Claim, status mtvp.ClaimStatus, reason string, by mtvp.SavedBy, at time.Time) error {
	if err := mtvp.ValidateDecision(status, reason); err != nil {
		return err
	}
	res, err := h.tx.ExecContext(h.ctx, `UPDATE training_claims SET status = $3, reason = $4, decided_by = $5, decided_name = $6, decided_at = $7,
		version = version + 1, updated_at = $8 WHERE id = $1 AND version = $2`,
		old.ID, old.Version, string(status), reason, nullID(by.UserID), by.Name, ts(at), h.now)
	if err := checkUpdated(res, err); err != nil {
		return err
	}
	h.audit(EntityClaim, old.ID, ActionUpdate, []mtvp.Change{{Field: "Status", Old: string(old.Status), New: string(status)},
		{Field: "Reason", Old: old.Reason, New: reason}})
	return nil
}

// AddPlanVersion adds a version to an existing plan with the status and
// content of a file; a final version is finalised at finalisedAt by by.
func (h *HistoryImport) AddPlanVersion(p *mtvp.Plan, status mtvp.PlanStatus, c mtvp.PlanContent, by mtvp.SavedBy, finalisedAt time.Time) error {
	if err := mtvp.ValidatePlan(&c); err != nil {
		return err
	}
	if err := h.db.lockPlan(h.ctx, h.tx, p, p.Version); err != nil {
		return err
	}
	l := p.Latest()
	number := 1
	if l != nil {
		number = l.Number + 1
	}
	v, err := h.db.insertPlanVersion(h.ctx, h.tx, h.a, p.ID, number, status, c)
	if err != nil {
		return err
	}
	if status == mtvp.PlanFinal {
		if _, err := h.tx.ExecContext(h.ctx, `UPDATE plan_versions SET finalised_by_user_id = $2, finalised_by_name = $3, finalised_at = $4 WHERE id = $1`,
			v.ID, nullID(by.UserID), by.Name, ts(finalisedAt)); err != nil {
			return internal(err)
		}
		v.FinalisedBy, v.FinalisedAt = by, ts(finalisedAt)
	}
	p.Versions = append(p.Versions, v)
	from := ""
	if l != nil {
		from = string(l.Status)
	}
	h.audit(EntityPlan, p.ID, ActionUpdate, []mtvp.Change{{Field: "Versie", New: itoa(number)},
		{Field: "Status versie " + itoa(number), Old: from, New: string(status)}})
	return nil
}

// Visits writes visits held (status done) in one statement per chunk. The
// caller ensures a practice has no other visit that year.
func (h *HistoryImport) Visits(vs []*mtvp.Visit) error {
	today := h.db.today()
	for _, v := range vs {
		v.RegionID, v.Status = h.regionID, mtvp.VisitDone
		v.NormalizeVisitPlanning()
		v.NormalizeOutcome()
		if v.PlannedOn.IsZero() {
			v.PlannedOn = v.VisitedOn
		}
		if err := v.ValidatePlanning(); err != nil {
			return err
		}
		if err := v.ValidateOutcome(today); err != nil {
			return err
		}
		if v.RecordedBy == (mtvp.SavedBy{}) {
			v.RecordedBy = mtvp.SavedBy{UserID: h.a.UserID, Name: h.a.Name}
		}
		v.RecordedAt, v.Version, v.CreatedAt, v.UpdatedAt = ts(h.now), 1, ts(h.now), ts(h.now)
	}
	ids := make([]int64, len(vs))
	if err := h.db.bulkInsert(h.ctx, h.tx, "visits", `region_id, practice_id, year, planned_on, status, consultant_user_id, consultant_name,
		visited_on, plan_version, judgement, recorded_by, recorded_name, recorded_at, version, created_at, updated_at`, 16, len(vs),
		func(i int, args []any) []any {
			v := vs[i]
			return append(args, v.RegionID, v.PracticeID, v.Year, v.PlannedOn, string(v.Status), nullID(v.ConsultantID), v.ConsultantName,
				v.VisitedOn, v.PlanVersion, v.Judgement, nullID(v.RecordedBy.UserID), v.RecordedBy.Name, v.RecordedAt, 1, h.now, h.now)
		}, ids); err != nil {
		if isUnique(err) {
			return conflict()
		}
		return err
	}
	for i, v := range vs {
		v.ID = ids[i]
		h.log.add(mtvp.Actor{}, v.RegionID, EntityVisit, v.ID, ActionRecord, func() []mtvp.Change { return visitChanges(&mtvp.Visit{}, v) })
	}
	return h.flush()
}

// RecordVisit records a planned visit as held: date, consultant and a
// short judgement.
func (h *HistoryImport) RecordVisit(old mtvp.Visit, visitedOn mtvp.Date, consultantID int64, consultantName, judgement string) error {
	v := old
	v.Status, v.VisitedOn, v.ConsultantID, v.ConsultantName, v.Judgement = mtvp.VisitDone, visitedOn, consultantID, consultantName, judgement
	v.NormalizeOutcome()
	if err := v.ValidateOutcome(h.db.today()); err != nil {
		return err
	}
	res, err := h.tx.ExecContext(h.ctx, `UPDATE visits SET status = $3, visited_on = $4, judgement = $5, consultant_user_id = $6, consultant_name = $7,
		recorded_by = $8, recorded_name = $9, recorded_at = $10, version = version + 1, updated_at = $10 WHERE id = $1 AND version = $2`,
		old.ID, old.Version, string(v.Status), v.VisitedOn, v.Judgement, nullID(v.ConsultantID), v.ConsultantName,
		nullID(h.a.UserID), h.a.Name, h.now)
	if err := checkUpdated(res, err); err != nil {
		return err
	}
	h.audit(EntityVisit, old.ID, ActionRecord, visitChanges(&old, &v))
	return nil
}

// SetPersonAGB fills in a person's own AGB code (found by another key).
func (h *HistoryImport) SetPersonAGB(personID int64, agb string) error {
	if _, err := h.tx.ExecContext(h.ctx, `UPDATE persons SET agb = $2, version = version + 1, updated_at = $3 WHERE id = $1`,
		personID, agb, h.now); err != nil {
		return internal(err)
	}
	h.audit(EntityPerson, personID, ActionImport, []mtvp.Change{{Field: "AGB", New: agb}})
	return nil
}

// Commit writes the entry of the run (kind of list, file, what it did)
// and commits everything.
func (h *HistoryImport) Commit(kind string, summary []mtvp.Change) error {
	changes := append([]mtvp.Change{{Field: "Kind", New: kind}, RecordedAfterwards(h.source)}, summary...)
	h.log.rows = append(h.log.rows, auditRow{actor: h.a, regionID: h.regionID, entity: EntityImport, action: ActionImport, changes: changes})
	if err := h.flush(); err != nil {
		_ = h.tx.Rollback()
		return err
	}
	return h.db.commit(h.ctx, h.tx)
}

// Rollback undoes everything written; after Commit it does nothing.
func (h *HistoryImport) Rollback() { _ = h.tx.Rollback() }

// PersonAGBs returns the own AGB codes of a region's people (person id →
// code) who have one.
func (db *DB) PersonAGBs(ctx context.Context, regionID int64) (map[int64]string, error) {
	return scanIDTexts(db.rd.QueryContext(ctx, `SELECT id, agb FROM persons WHERE region_id = $1 AND agb <> ''`, regionID))
}

// scanIDTexts reads rows of (id, text) into a map.
func scanIDTexts(rows *sql.Rows, err error) (map[int64]string, error) {
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, internal(err)
		}
		out[id] = text
	}
	return out, internal(rows.Err())
}

// CompletionKey is one recorded completion: who completed which training.
type CompletionKey struct {
	TrainingID, PersonID int64
}

// RegionCompletions returns the completions of a region's trainings
// (training and person → completion date), for an import to tell what it
// already holds.
func (db *DB) RegionCompletions(ctx context.Context, regionID int64) (map[CompletionKey]mtvp.Date, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT c.training_id, c.person_id, c.completed_on FROM training_completions c
		JOIN trainings t ON t.id = c.training_id WHERE t.region_id = $1`, regionID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := map[CompletionKey]mtvp.Date{}
	for rows.Next() {
		var k CompletionKey
		var d mtvp.Date
		if err := rows.Scan(&k.TrainingID, &k.PersonID, &d); err != nil {
			return nil, internal(err)
		}
		if prev, ok := out[k]; !ok || d.Before(prev) {
			out[k] = d
		}
	}
	return out, internal(rows.Err())
}

// SetMeetingGAIA records the day a meeting held without one was submitted
// to GAIA.
func (h *HistoryImport) SetMeetingGAIA(m *mtvp.Meeting, on mtvp.Date) error {
	res, err := h.tx.ExecContext(h.ctx, `UPDATE intervision_meetings SET gaia_submitted_on = $2, version = version + 1, updated_at = $3
		WHERE id = $1 AND gaia_submitted_on IS NULL`, m.ID, on, h.now)
	if err := checkUpdated(res, err); err != nil {
		return err
	}
	m.Version++
	h.audit(EntityMeeting, m.ID, ActionUpdate, []mtvp.Change{{Field: "GAIASubmitted", New: on.String()}})
	return nil
}
