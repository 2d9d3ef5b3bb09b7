package api

import (
	"net/http"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Training proposals (issue 16 §3). The workflow is mtvp.ProposalTransition;
// the access rules are the web's (mtvp.User.CanSeeProposal and friends).

func (a *API) proposalRoutes() []route {
	return []route{
		{"GET /api/v1/regions/{code}/training-proposals", false, a.listProposals},
		{"POST /api/v1/regions/{code}/training-proposals", false, a.createProposal},
		{"GET /api/v1/training-proposals/{id}", false, a.getProposal},
		{"PUT /api/v1/training-proposals/{id}/advice", false, a.adviseProposal},
		{"PUT /api/v1/training-proposals/{id}/decision", false, a.decideProposal},
	}
}

type proposalJSON struct {
	ID         int64               `json:"id"`
	PracticeID int64               `json:"practice_id"`
	Practice   string              `json:"practice_name"`
	Title      string              `json:"title"`
	Provider   string              `json:"provider"`
	Theme      string              `json:"theme"`
	Target     mtvp.TargetGroup    `json:"target"`
	Why        string              `json:"why"`
	Status     mtvp.ProposalStatus `json:"status"`
	Advice     mtvp.Advice         `json:"advice"`
	AdviceText string              `json:"advice_text"`
	AdvisedBy  string              `json:"advised_by"`
	AdvisedAt  *time.Time          `json:"advised_at"`
	Reason     string              `json:"reason"`
	Counts     bool                `json:"counts"`
	TrainingID *int64              `json:"training_id"`
	DecidedBy  string              `json:"decided_by"`
	DecidedAt  *time.Time          `json:"decided_at"`
	ProposedBy string              `json:"proposed_by"`
	Version    *int                `json:"version"`
	CreatedAt  time.Time           `json:"created_at"`
	UpdatedAt  time.Time           `json:"updated_at"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func proposalToJSON(p mtvp.Proposal) proposalJSON {
	j := proposalJSON{ID: p.ID, PracticeID: p.PracticeID, Practice: p.PracticeName, Title: p.Title, Provider: p.Provider, Theme: p.Theme,
		Target: p.Target, Why: p.Why, Status: p.Status, Advice: p.Advice, AdviceText: p.AdviceText, AdvisedBy: p.AdvisedName,
		AdvisedAt: timePtr(p.AdvisedAt), Reason: p.Reason, Counts: p.Counts, DecidedBy: p.DecidedName, DecidedAt: timePtr(p.DecidedAt),
		ProposedBy: p.ProposerName, Version: intPtr(p.Version), CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
	if p.TrainingID != 0 {
		id := p.TrainingID
		j.TrainingID = &id
	}
	return j
}

// listProposals: the region admin all, a consultant those of its
// practices, a practice its own; others 403 (funders see counts on the
// region's web page only).
func (a *API) listProposals(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	all, consultant, practices, ok := userOf(r).ProposalScope(reg.ID)
	if !ok {
		return errForbidden
	}
	ps, err := a.db.ListProposals(r.Context(), store.ProposalFilter{RegionID: reg.ID, All: all, Consultant: consultant, Practices: practices})
	if err != nil {
		return err
	}
	items := []proposalJSON{}
	for _, p := range ps {
		items = append(items, proposalToJSON(p))
	}
	writePage(w, pg, items)
	return nil
}

type proposalRequest struct {
	PracticeID int64            `json:"practice_id"`
	Title      string           `json:"title"`
	Provider   string           `json:"provider"`
	Theme      string           `json:"theme"`
	Target     mtvp.TargetGroup `json:"target"`
	Why        string           `json:"why"`
}

func (a *API) createProposal(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanProposeIn(reg.ID) {
		return errForbidden
	}
	var in proposalRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	pr, err := a.db.PracticeByID(r.Context(), in.PracticeID)
	if err != nil && mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		return err
	}
	if err != nil || pr.RegionID != reg.ID || !u.CanProposeTraining(&pr) {
		f.Add("practice_id", "err.required")
		return invalid(f)
	}
	p := mtvp.Proposal{PracticeID: pr.ID, Title: in.Title, Provider: in.Provider, Theme: in.Theme, Target: in.Target, Why: in.Why}
	if err := a.db.SubmitProposal(r.Context(), actorOf(u), &p); err != nil {
		if mergeInvalid(f, err, "") {
			return invalid(f)
		}
		return err
	}
	w.Header().Set("Location", "/api/v1/training-proposals/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, proposalToJSON(p))
	return nil
}

func (a *API) proposalFor(r *http.Request) (mtvp.Proposal, mtvp.Practice, error) {
	return practiceRecordFor(a, r, a.db.ProposalByID, func(p mtvp.Proposal) int64 { return p.PracticeID },
		func(u *mtvp.User, p *mtvp.Practice, _ *mtvp.Proposal) bool { return u.CanSeeProposal(p) })
}

func (a *API) getProposal(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.proposalFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, proposalToJSON(p))
	return nil
}

type adviceRequest struct {
	Version *int        `json:"version"`
	Advice  mtvp.Advice `json:"advice"`
	Text    string      `json:"advice_text"`
}

// adviseProposal: the practice's own consultant, once, while submitted.
func (a *API) adviseProposal(w http.ResponseWriter, r *http.Request) error {
	p, pr, err := a.proposalFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanAdviseProposal(&pr) {
		return errForbidden
	}
	var in adviceRequest
	version, err := decodeVersioned(r, &in, &in.Version, nil)
	if err != nil {
		return err
	}
	got, err := a.db.AdviseProposal(r.Context(), actorOf(u), p.ID, version, in.Advice, in.Text)
	return a.proposalUpdated(w, r, p.ID, got, err)
}

type proposalDecisionRequest struct {
	Version  *int                `json:"version"`
	Decision mtvp.ProposalAction `json:"decision"`
	Counts   bool                `json:"counts"`
	Reason   string              `json:"reason"`
}

// decideProposal: the region admin accepts (the training joins the menu)
// or declines with a reason.
func (a *API) decideProposal(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.proposalFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanDecideProposal(p.RegionID) {
		return errForbidden
	}
	var in proposalDecisionRequest
	version, err := decodeVersioned(r, &in, &in.Version, nil)
	if err != nil {
		return err
	}
	got, err := a.db.DecideProposal(r.Context(), actorOf(u), p.ID, version, in.Decision, in.Counts, in.Reason)
	return a.proposalUpdated(w, r, p.ID, got, err)
}

// proposalUpdated answers a proposal's versioned write: the proposal as
// saved, or as writeFailed maps err.
func (a *API) proposalUpdated(w http.ResponseWriter, r *http.Request, id int64, got mtvp.Proposal, err error) error {
	if err != nil {
		return writeFailed(err, asOnWire, storedAs(r.Context(), a.db.ProposalByID, id, proposalToJSON).conflict)
	}
	writeJSON(w, http.StatusOK, proposalToJSON(got))
	return nil
}
