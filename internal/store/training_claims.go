package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// ---- prior-learning claims ----

const claimCols = `c.id, c.region_id, c.practice_id, c.person_id, c.title, c.provider, c.completed_on, c.theme, c.status, c.reason,
	COALESCE(c.decided_by, 0), c.decided_name, c.decided_at, c.evidence_name, c.evidence_type, c.evidence_size, c.version, c.created_at, c.updated_at,
	pe.name, pr.name`

const claimFrom = ` FROM training_claims c JOIN persons pe ON pe.id = c.person_id JOIN practices pr ON pr.id = c.practice_id`

func scanClaim(s rowScanner) (mtvp.Claim, error) {
	var c mtvp.Claim
	var decided sql.NullTime
	var created, updated time.Time
	err := s.Scan(&c.ID, &c.RegionID, &c.PracticeID, &c.PersonID, &c.Title, &c.Provider, &c.CompletedOn, &c.Theme, &c.Status, &c.Reason,
		&c.DecidedBy, &c.DecidedName, &decided, &c.EvidenceName, &c.EvidenceType, &c.EvidenceSize, &c.Version, &created, &updated,
		&c.PersonName, &c.PracticeName)
	c.DecidedAt, c.CreatedAt, c.UpdatedAt = nullTime(decided), utc(created), utc(updated)
	return c, err
}

func scanClaims(rows *sql.Rows, err error) ([]mtvp.Claim, error) {
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Claim
	for rows.Next() {
		c, err := scanClaim(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, c)
	}
	return out, internal(rows.Err())
}

// ClaimByID returns one claim (without its evidence file).
func (db *DB) ClaimByID(ctx context.Context, id int64) (mtvp.Claim, error) {
	return db.claimByID(ctx, db.rd, id)
}

func (db *DB) claimByID(ctx context.Context, q querier, id int64) (mtvp.Claim, error) {
	c, err := scanClaim(q.QueryRowContext(ctx, `SELECT `+claimCols+claimFrom+` WHERE c.id = $1`, id))
	return c, rowErr(err)
}

// ClaimFilter selects claims.
type ClaimFilter struct {
	RegionID   int64
	PracticeID int64            // 0 = every practice of the region
	Status     mtvp.ClaimStatus // "" = any
	// OnlyConsultant limits to the practices whose consultant this user is
	// (the consultant's queue).
	OnlyConsultant int64
}

// ListClaims returns the claims matching f, pending first, oldest first.
func (db *DB) ListClaims(ctx context.Context, f ClaimFilter) ([]mtvp.Claim, error) {
	q := `SELECT ` + claimCols + claimFrom + ` WHERE c.region_id = $1`
	args := []any{f.RegionID}
	if f.PracticeID != 0 {
		args = append(args, f.PracticeID)
		q += ` AND c.practice_id = $` + itoa(len(args))
	}
	if f.Status != "" {
		args = append(args, f.Status)
		q += ` AND c.status = $` + itoa(len(args))
	}
	if f.OnlyConsultant != 0 {
		args = append(args, f.OnlyConsultant)
		q += ` AND pr.consultant_user_id = $` + itoa(len(args))
	}
	q += ` ORDER BY CASE c.status WHEN 'in_behandeling' THEN 0 ELSE 1 END, c.created_at, c.id`
	return scanClaims(db.rd.QueryContext(ctx, q, args...))
}

// personRolesAt returns the roles of the person's memberships at the
// practice that cover day.
func (db *DB) personRolesAt(ctx context.Context, q querier, practiceID, personID int64, day mtvp.Date) ([]mtvp.StaffRole, error) {
	rows, err := q.QueryContext(ctx, `SELECT role FROM memberships WHERE practice_id = $1 AND person_id = $2
		AND from_date <= $3 AND (to_date IS NULL OR to_date >= $3)`, practiceID, personID, day)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.StaffRole
	for rows.Next() {
		var r mtvp.StaffRole
		if err := rows.Scan(&r); err != nil {
			return nil, internal(err)
		}
		out = append(out, r)
	}
	return out, internal(rows.Err())
}

// Evidence is a claim's evidence file.
type Evidence struct {
	Name string
	Type string // sniffed from the content
	Data []byte
}

// check validates an uploaded file (a PDF or image judged by its content,
// at most mtvp.MaxEvidenceSize) into f under field, and sets its type.
// Claim evidence and activity results (a practice scan's report) share it.
func (ev *Evidence) check(f mtvp.FieldErrors, field string) {
	switch {
	case len(ev.Data) == 0:
		f.Add(field, "training.err.evidence_empty")
	case len(ev.Data) > mtvp.MaxEvidenceSize:
		f.Add(field, "training.err.evidence_too_large")
	default:
		if ev.Type = mtvp.SniffEvidence(ev.Data); ev.Type == "" {
			f.Add(field, "training.err.evidence_type")
		}
	}
	if len(ev.Name) > 200 {
		ev.Name = ev.Name[:200]
	}
}

// SubmitClaim validates and stores a pending claim with its evidence
// (optional). The rules of mtvp.ValidateClaim apply with the region's
// settings and the person's roles at the practice today; the evidence must
// be a PDF or image (judged by its content) of at most mtvp.MaxEvidenceSize.
func (db *DB) SubmitClaim(ctx context.Context, a mtvp.Actor, c *mtvp.Claim, ev *Evidence) error {
	c.Normalize()
	f := mtvp.FieldErrors{}
	if ev != nil {
		ev.check(f, "evidence")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.practiceByID(ctx, tx, c.PracticeID)
		if err != nil {
			return err
		}
		reg, err := db.regionByID(ctx, tx, p.RegionID)
		if err != nil {
			return err
		}
		c.RegionID = p.RegionID
		var roles []mtvp.StaffRole
		if c.PersonID != 0 {
			if roles, err = db.personRolesAt(ctx, tx, c.PracticeID, c.PersonID, db.today()); err != nil {
				return err
			}
		}
		if err := mtvp.ValidateClaim(c, roles, reg.Settings, db.today()); err != nil {
			for k, v := range mtvp.FieldErrorsOf(err) {
				f.Add(k, v)
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		c.Status, c.Reason, c.DecidedBy, c.DecidedName, c.DecidedAt = mtvp.ClaimPending, "", 0, "", time.Time{}
		c.EvidenceName, c.EvidenceType, c.EvidenceSize = "", "", 0
		if ev != nil {
			c.EvidenceName, c.EvidenceType, c.EvidenceSize = ev.Name, ev.Type, len(ev.Data)
		}
		now := db.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO training_claims (region_id, practice_id, person_id, title, provider, completed_on, theme, status,
			evidence_name, evidence_type, evidence_size, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12) RETURNING id`,
			c.RegionID, c.PracticeID, c.PersonID, c.Title, c.Provider, c.CompletedOn, c.Theme, c.Status,
			c.EvidenceName, c.EvidenceType, c.EvidenceSize, now).Scan(&c.ID)
		if err != nil {
			return internal(err)
		}
		if ev != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO training_claim_evidence (claim_id, data) VALUES ($1, $2)`, c.ID, ev.Data); err != nil {
				return internal(err)
			}
		}
		cur, err := db.claimByID(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		*c = cur
		return db.audit(ctx, tx, a, c.RegionID, EntityClaim, c.ID, ActionCreate, claimChanges(nil, c))
	})
}

func claimChanges(old, c *mtvp.Claim) []mtvp.Change {
	strip := func(x *mtvp.Claim) *mtvp.Claim {
		if x == nil {
			return nil
		}
		y := *x
		y.PersonName, y.PracticeName, y.DecidedAt = "", "", time.Time{}
		return &y
	}
	if old == nil {
		return mtvp.Diff(nil, strip(c))
	}
	return mtvp.Diff(strip(old), strip(c))
}

// DecideClaim approves or rejects a pending claim if version is current;
// a rejection needs a reason. A claim already decided is ECONFLICT.
func (db *DB) DecideClaim(ctx context.Context, a mtvp.Actor, id int64, version int, status mtvp.ClaimStatus, reason string) (mtvp.Claim, error) {
	var c mtvp.Claim
	if err := mtvp.ValidateDecision(status, reason); err != nil {
		return c, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.claimByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Version != version || old.Status != mtvp.ClaimPending {
			return conflict()
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE training_claims SET status = $3, reason = $4, decided_by = $5, decided_name = $6, decided_at = $7,
			version = version + 1, updated_at = $7 WHERE id = $1 AND version = $2 AND status = 'in_behandeling'`,
			id, version, status, reason, nullID(a.UserID), a.Name, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		if c, err = db.claimByID(ctx, tx, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, a, c.RegionID, EntityClaim, id, ActionUpdate, claimChanges(&old, &c))
	})
	return c, err
}

// ClaimEvidence returns a claim's evidence file (ENOTFOUND without one).
func (db *DB) ClaimEvidence(ctx context.Context, claimID int64) (Evidence, error) {
	var ev Evidence
	err := db.rd.QueryRowContext(ctx, `SELECT c.evidence_name, c.evidence_type, e.data FROM training_claims c
		JOIN training_claim_evidence e ON e.claim_id = c.id WHERE c.id = $1`, claimID).Scan(&ev.Name, &ev.Type, &ev.Data)
	return ev, rowErr(err)
}

// WithdrawClaim removes a claim and its evidence, with a reason (required:
// mtvp.CheckReason) kept in the audit entry with what the claim was; who
// may do it is mtvp.User.CanWithdrawClaim. ECONFLICT when version is stale.
func (db *DB) WithdrawClaim(ctx context.Context, a mtvp.Actor, id int64, version int, reason string) error {
	if err := mtvp.CheckReason(reason); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		c, err := db.claimByID(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM training_claims WHERE id = $1 AND version = $2`, id, version)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		return db.audit(ctx, tx, a, c.RegionID, EntityClaim, id, ActionDelete, []mtvp.Change{
			{Field: "Person", Old: c.PersonName}, {Field: "Title", Old: c.Title}, {Field: "Status", Old: string(c.Status)},
			{Field: "CompletedOn", Old: c.CompletedOn.String()}, {Field: "Reason", New: strings.TrimSpace(reason)}})
	})
}
