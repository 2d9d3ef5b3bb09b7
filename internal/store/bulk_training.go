package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
)

// TrainingBatch is what BulkTraining writes.
type TrainingBatch struct {
	Trainings   []*mtvp.Training
	Sessions    []*SessionRow
	Enrolments  []*EnrolmentRow
	Completions []*CompletionRow
	Claims      []*ClaimRow
	// AuditSummary: one "import" entry per region and entity instead of
	// one per record (see bulk.go).
	AuditSummary bool
}

// SessionRow is a session of a training of the batch.
type SessionRow struct {
	Training *mtvp.Training
	Session  mtvp.TrainingSession
}

// EnrolmentRow is a sign-up for a session of the batch: PersonID,
// PracticeID, Status; CreatedAt orders the queue (zero: now, in row
// order); PersonName, when set, goes into the audit entry.
type EnrolmentRow struct {
	Session   *SessionRow
	Enrolment mtvp.Enrolment
}

// CompletionRow records that a person completed a session of the batch.
type CompletionRow struct {
	Session    *SessionRow
	Completion mtvp.Completion
}

// ClaimRow is a prior-learning claim as it stands: pending, or decided
// (Status, Reason, DecidedBy, DecidedName, DecidedAt), with its evidence
// (optional; Type is judged from the content).
type ClaimRow struct {
	Claim    mtvp.Claim
	Evidence *Evidence
}

// BulkTraining writes trainings, sessions, sign-ups, completions and
// claims in one transaction. Trainings (against their region's themes),
// sessions and decisions are validated as the interactive methods do; a
// claim's roles and a session's capacity are the caller's to ensure. Zero
// timestamps become now.
func (db *DB) BulkTraining(ctx context.Context, a mtvp.Actor, b *TrainingBatch) error {
	log := newAuditLog(a, b.AuditSummary)
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.bulkTraining(ctx, tx, log, b); err != nil {
			return err
		}
		return db.writeAudit(ctx, tx, log)
	})
}

// bulkTraining is BulkTraining inside a transaction; the audit entries go
// to log (written by the caller).
func (db *DB) bulkTraining(ctx context.Context, tx *sql.Tx, log *auditLog, b *TrainingBatch) error {
	for _, s := range b.Sessions {
		s.Session.Normalize()
		if err := s.Session.Validate(); err != nil {
			return err
		}
	}
	for _, c := range b.Claims {
		c.Claim.Normalize()
		if c.Claim.Status == "" {
			c.Claim.Status = mtvp.ClaimPending
		}
		if c.Claim.Status != mtvp.ClaimPending {
			if err := mtvp.ValidateDecision(c.Claim.Status, c.Claim.Reason); err != nil {
				return err
			}
		}
		if ev := c.Evidence; ev != nil {
			if ev.Type = mtvp.SniffEvidence(ev.Data); ev.Type == "" || len(ev.Data) > mtvp.MaxEvidenceSize {
				return invalid("evidence", "training.err.evidence_type")
			}
			c.Claim.EvidenceName, c.Claim.EvidenceType, c.Claim.EvidenceSize = ev.Name, ev.Type, len(ev.Data)
		}
	}
	now := db.now()
	themes := map[int64][]string{}
	for _, t := range b.Trainings {
		t.Normalize()
		if _, ok := themes[t.RegionID]; !ok {
			th, err := db.trainingThemes(ctx, tx, t.RegionID)
			if err != nil {
				return err
			}
			themes[t.RegionID] = th
		}
		if err := t.Validate(themes[t.RegionID]); err != nil {
			return err
		}
	}
	js := make([]string, len(b.Trainings))
	for i, t := range b.Trainings {
		var err error
		if js[i], err = jsonText(t.Themes); err != nil {
			return err
		}
	}
	ids := make([]int64, len(b.Trainings))
	if err := db.bulkInsert(ctx, tx, "trainings", `region_id, title, description, target, themes, provider, register, points, active,
		version, created_at, updated_at`, 12, len(b.Trainings),
		func(i int, args []any) []any {
			t := b.Trainings[i]
			return append(args, t.RegionID, t.Title, t.Description, t.Target, js[i], t.Provider, t.Register, t.Points, t.Active, 1, now, now)
		}, ids); err != nil {
		return err
	}
	for i, t := range b.Trainings {
		t.ID, t.Version, t.CreatedAt, t.UpdatedAt = ids[i], 1, ts(now), ts(now)
		log.add(mtvp.Actor{}, t.RegionID, EntityTraining, t.ID, ActionCreate, func() []mtvp.Change { return mtvp.Diff(nil, t) })
	}

	dates := make([]string, len(b.Sessions))
	for i, r := range b.Sessions {
		s := &r.Session
		s.TrainingID, s.RegionID, s.TrainingTitle = r.Training.ID, r.Training.RegionID, r.Training.Title
		var err error
		if dates[i], err = jsonText(s.Dates); err != nil {
			return err
		}
	}
	ids = make([]int64, len(b.Sessions))
	if err := db.bulkInsert(ctx, tx, "training_sessions", `training_id, region_id, dates, first_date, last_date, start_time, end_time,
		place, online, capacity, version, created_at, updated_at`, 13, len(b.Sessions),
		func(i int, args []any) []any {
			s := &b.Sessions[i].Session
			return append(args, s.TrainingID, s.RegionID, dates[i], s.FirstDate(), s.LastDate(), s.StartTime, s.EndTime, s.Place, s.Online,
				s.Capacity, 1, now, now)
		}, ids); err != nil {
		return err
	}
	for i, r := range b.Sessions {
		s := &r.Session
		s.ID, s.Version, s.CreatedAt, s.UpdatedAt = ids[i], 1, ts(now), ts(now)
		log.add(mtvp.Actor{}, s.RegionID, EntityTrainingSession, s.ID, ActionCreate, func() []mtvp.Change { return sessionChanges(nil, s) })
	}

	ids = make([]int64, len(b.Enrolments))
	if err := db.bulkInsert(ctx, tx, "training_enrolments", `session_id, person_id, practice_id, status, queued_at, version, created_at, updated_at`,
		8, len(b.Enrolments), func(i int, args []any) []any {
			e := &b.Enrolments[i].Enrolment
			e.SessionID = b.Enrolments[i].Session.Session.ID
			e.CreatedAt = stamp(e.CreatedAt, now.Add(time.Duration(i)*time.Microsecond))
			e.UpdatedAt, e.Version = e.CreatedAt, 1
			return append(args, e.SessionID, e.PersonID, e.PracticeID, string(e.Status), e.CreatedAt, 1, e.CreatedAt, e.CreatedAt)
		}, ids); err != nil {
		if isUnique(err) {
			return invalid("person", "training.err.already_enrolled")
		}
		return err
	}
	for i, r := range b.Enrolments {
		e := &r.Enrolment
		e.ID = ids[i]
		log.add(mtvp.Actor{}, r.Session.Session.RegionID, EntityEnrolment, e.ID, ActionCreate, func() []mtvp.Change {
			return []mtvp.Change{{Field: "Session", New: strconv.FormatInt(e.SessionID, 10)}, {Field: "Person", New: e.PersonName},
				{Field: "Status", New: string(e.Status)}}
		})
	}

	ids = make([]int64, len(b.Completions))
	if err := db.bulkInsert(ctx, tx, "training_completions", `session_id, training_id, person_id, completed_on, created_at`, 5, len(b.Completions),
		func(i int, args []any) []any {
			r := b.Completions[i]
			c := &r.Completion
			c.SessionID, c.TrainingID, c.CreatedAt = r.Session.Session.ID, r.Session.Session.TrainingID, ts(now)
			return append(args, c.SessionID, c.TrainingID, c.PersonID, c.CompletedOn, now)
		}, ids); err != nil {
		return err
	}
	for i, r := range b.Completions {
		c := &r.Completion
		c.ID = ids[i]
		log.add(mtvp.Actor{}, r.Session.Session.RegionID, EntityCompletion, c.ID, ActionCreate, func() []mtvp.Change {
			return []mtvp.Change{{Field: "Session", New: strconv.FormatInt(c.SessionID, 10)},
				{Field: "Person", New: strconv.FormatInt(c.PersonID, 10)}, {Field: "CompletedOn", New: c.CompletedOn.String()}}
		})
	}

	ids = make([]int64, len(b.Claims))
	if err := db.bulkInsert(ctx, tx, "training_claims", `region_id, practice_id, person_id, title, provider, completed_on, theme, status,
		reason, decided_by, decided_name, decided_at, evidence_name, evidence_type, evidence_size, version, created_at, updated_at`, 18, len(b.Claims),
		func(i int, args []any) []any {
			c := &b.Claims[i].Claim
			c.CreatedAt = stamp(c.CreatedAt, now)
			c.Version, c.UpdatedAt = 1, c.CreatedAt
			if c.Status != mtvp.ClaimPending {
				c.DecidedAt = stamp(c.DecidedAt, now)
				c.Version, c.UpdatedAt = 2, c.DecidedAt
			}
			return append(args, c.RegionID, c.PracticeID, c.PersonID, c.Title, c.Provider, c.CompletedOn, c.Theme, string(c.Status),
				c.Reason, nullID(c.DecidedBy), c.DecidedName, nullStamp(c.DecidedAt), c.EvidenceName, c.EvidenceType, c.EvidenceSize,
				c.Version, c.CreatedAt, c.UpdatedAt)
		}, ids); err != nil {
		return err
	}
	var withEvidence []*ClaimRow
	for i, r := range b.Claims {
		c := &r.Claim
		c.ID = ids[i]
		if r.Evidence != nil {
			withEvidence = append(withEvidence, r)
		}
		log.add(mtvp.Actor{}, c.RegionID, EntityClaim, c.ID, ActionCreate, func() []mtvp.Change {
			pending := *c
			pending.Status, pending.Reason, pending.DecidedBy, pending.DecidedName, pending.Version = mtvp.ClaimPending, "", 0, "", 1
			return claimChanges(nil, &pending)
		})
		if c.Status != mtvp.ClaimPending {
			log.add(mtvp.Actor{UserID: c.DecidedBy, Name: c.DecidedName}, c.RegionID, EntityClaim, c.ID, ActionUpdate, func() []mtvp.Change {
				return []mtvp.Change{{Field: "Status", Old: string(mtvp.ClaimPending), New: string(c.Status)}, {Field: "Reason", New: c.Reason}}
			})
		}
	}
	if err := db.bulkInsert(ctx, tx, "training_claim_evidence", `claim_id, data`, 2, len(withEvidence),
		func(i int, args []any) []any {
			return append(args, withEvidence[i].Claim.ID, withEvidence[i].Evidence.Data)
		}, nil); err != nil {
		return err
	}
	return nil
}
