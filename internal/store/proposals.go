package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// Training proposals (issue 16 §3). The workflow is mtvp.ProposalTransition;
// this file stores it.

// EntityProposal is the audit entity of a training proposal.
const EntityProposal = "training_proposal"

const proposalCols = `tp.id, tp.region_id, tp.practice_id, tp.title, tp.provider, tp.theme, tp.target, tp.why, tp.status,
	tp.advice, tp.advice_text, COALESCE(tp.advised_by, 0), tp.advised_name, tp.advised_at,
	tp.reason, tp.counts, COALESCE(tp.training_id, 0), COALESCE(tp.decided_by, 0), tp.decided_name, tp.decided_at,
	COALESCE(tp.proposed_by, 0), tp.proposer_name, tp.version, tp.created_at, tp.updated_at, pr.name`

const proposalFrom = ` FROM training_proposals tp JOIN practices pr ON pr.id = tp.practice_id`

func scanProposal(s rowScanner) (mtvp.Proposal, error) {
	var p mtvp.Proposal
	var advised, decided sql.NullTime
	var created, updated time.Time
	err := s.Scan(&p.ID, &p.RegionID, &p.PracticeID, &p.Title, &p.Provider, &p.Theme, &p.Target, &p.Why, &p.Status,
		&p.Advice, &p.AdviceText, &p.AdvisedBy, &p.AdvisedName, &advised,
		&p.Reason, &p.Counts, &p.TrainingID, &p.DecidedBy, &p.DecidedName, &decided,
		&p.ProposedBy, &p.ProposerName, &p.Version, &created, &updated, &p.PracticeName)
	p.AdvisedAt, p.DecidedAt, p.CreatedAt, p.UpdatedAt = nullTime(advised), nullTime(decided), utc(created), utc(updated)
	return p, err
}

// ProposalByID returns one proposal.
func (db *DB) ProposalByID(ctx context.Context, id int64) (mtvp.Proposal, error) {
	return db.proposalByID(ctx, db.rd, id)
}

func (db *DB) proposalByID(ctx context.Context, q querier, id int64) (mtvp.Proposal, error) {
	p, err := scanProposal(q.QueryRowContext(ctx, `SELECT `+proposalCols+proposalFrom+` WHERE tp.id = $1`, id))
	return p, rowErr(err)
}

// ProposalFilter selects a region's proposals. With neither All nor a
// scope it selects none.
type ProposalFilter struct {
	RegionID int64
	All      bool
	// Consultant: the practices this user is consultant of.
	Consultant int64
	// Practices: these practices.
	Practices []int64
	Status    mtvp.ProposalStatus // "" = any
}

// ListProposals returns the proposals f selects, open ones first, newest
// first.
func (db *DB) ListProposals(ctx context.Context, f ProposalFilter) ([]mtvp.Proposal, error) {
	q := `SELECT ` + proposalCols + proposalFrom + ` WHERE tp.region_id = $1`
	args := []any{f.RegionID}
	if !f.All {
		var or []string
		if f.Consultant != 0 {
			args = append(args, f.Consultant)
			or = append(or, `pr.consultant_user_id = $`+itoa(len(args)))
		}
		for _, id := range f.Practices {
			args = append(args, id)
			or = append(or, `tp.practice_id = $`+itoa(len(args)))
		}
		if len(or) == 0 {
			return nil, nil
		}
		q += ` AND (` + strings.Join(or, ` OR `) + `)`
	}
	if f.Status != "" {
		args = append(args, f.Status)
		q += ` AND tp.status = $` + itoa(len(args))
	}
	q += ` ORDER BY CASE WHEN tp.status IN ('ingediend', 'geadviseerd') THEN 0 ELSE 1 END, tp.created_at DESC, tp.id DESC`
	rows, err := db.rd.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.Proposal
	for rows.Next() {
		p, err := scanProposal(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, p)
	}
	return out, internal(rows.Err())
}

// ProposalCounts counts a region's proposals per status.
func (db *DB) ProposalCounts(ctx context.Context, regionID int64) (mtvp.ProposalCounts, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT status, COUNT(*) FROM training_proposals WHERE region_id = $1 GROUP BY status`, regionID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := mtvp.ProposalCounts{}
	for rows.Next() {
		var s mtvp.ProposalStatus
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, internal(err)
		}
		out[s] = n
	}
	return out, internal(rows.Err())
}

// SubmitProposal validates and stores a new proposal of p.PracticeID
// (status submitted), proposed by the actor.
func (db *DB) SubmitProposal(ctx context.Context, a mtvp.Actor, p *mtvp.Proposal) error {
	p.Normalize()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		pr, err := db.practiceByID(ctx, tx, p.PracticeID)
		if err != nil {
			return err
		}
		p.RegionID = pr.RegionID
		themes, err := db.trainingThemes(ctx, tx, p.RegionID)
		if err != nil {
			return err
		}
		if err := p.Validate(themes); err != nil {
			return err
		}
		now := db.now()
		err = tx.QueryRowContext(ctx, `INSERT INTO training_proposals (region_id, practice_id, title, provider, theme, target, why, status,
			proposed_by, proposer_name, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id`,
			p.RegionID, p.PracticeID, p.Title, p.Provider, p.Theme, p.Target, p.Why, mtvp.ProposalSubmitted,
			nullID(a.UserID), a.Name, now).Scan(&p.ID)
		if err != nil {
			return internal(err)
		}
		cur, err := db.proposalByID(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		*p = cur
		return db.audit(ctx, tx, a, p.RegionID, EntityProposal, p.ID, ActionCreate, proposalChanges(nil, p))
	})
}

func proposalChanges(old, p *mtvp.Proposal) []mtvp.Change {
	strip := func(x *mtvp.Proposal) *mtvp.Proposal {
		if x == nil {
			return nil
		}
		y := *x
		y.PracticeName, y.AdvisedAt, y.DecidedAt, y.CreatedAt, y.UpdatedAt = "", time.Time{}, time.Time{}, time.Time{}, time.Time{}
		return &y
	}
	return mtvp.Diff(strip(old), strip(p))
}

// AdviseProposal records the consultant's advice if version is current
// and the workflow allows it (ECONFLICT otherwise).
func (db *DB) AdviseProposal(ctx context.Context, a mtvp.Actor, id int64, version int, advice mtvp.Advice, text string) (mtvp.Proposal, error) {
	text = strings.TrimSpace(text)
	var p mtvp.Proposal
	if err := mtvp.ValidateAdvice(advice, text); err != nil {
		return p, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.proposalByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Version != version {
			return conflict()
		}
		next, err := mtvp.ProposalTransition(old.Status, mtvp.ProposalAdvise)
		if err != nil {
			return err
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE training_proposals SET status = $3, advice = $4, advice_text = $5, advised_by = $6, advised_name = $7,
			advised_at = $8, version = version + 1, updated_at = $8 WHERE id = $1 AND version = $2`,
			id, version, next, advice, text, nullID(a.UserID), a.Name, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		if p, err = db.proposalByID(ctx, tx, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, a, p.RegionID, EntityProposal, id, ActionUpdate, proposalChanges(&old, &p))
	})
	return p, err
}

// DecideProposal accepts (the training joins the region's menu, in the same
// transaction) or declines (with a reason) a proposal if version is current
// and it is still open.
func (db *DB) DecideProposal(ctx context.Context, a mtvp.Actor, id int64, version int, act mtvp.ProposalAction, counts bool, reason string) (mtvp.Proposal, error) {
	reason = strings.TrimSpace(reason)
	var p mtvp.Proposal
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.proposalByID(ctx, tx, id)
		if err != nil {
			return err
		}
		reg, err := db.regionByID(ctx, tx, old.RegionID)
		if err != nil {
			return err
		}
		if err := mtvp.ValidateProposalDecision(old, act, counts, reason, reg.Settings); err != nil {
			return err
		}
		if old.Version != version {
			return conflict()
		}
		next, err := mtvp.ProposalTransition(old.Status, act)
		if err != nil {
			return err
		}
		var trainingID int64
		if next == mtvp.ProposalAccepted {
			t := old.MenuTraining(counts)
			if err := db.createTraining(ctx, tx, a, &t); err != nil {
				return err
			}
			trainingID = t.ID
		} else {
			counts = false
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE training_proposals SET status = $3, reason = $4, counts = $5, training_id = $6, decided_by = $7,
			decided_name = $8, decided_at = $9, version = version + 1, updated_at = $9 WHERE id = $1 AND version = $2`,
			id, version, next, reason, counts, nullID(trainingID), nullID(a.UserID), a.Name, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		if p, err = db.proposalByID(ctx, tx, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, a, p.RegionID, EntityProposal, id, ActionUpdate, proposalChanges(&old, &p))
	})
	return p, err
}
