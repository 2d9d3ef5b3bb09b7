package web

import (
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Training proposals (issue 16 §3): list per role, new, detail with the
// advice and decision forms. The workflow is mtvp.ProposalTransition.

func (s *Server) proposalRoutes() []route {
	const base = "/regio/{region}/scholing/voorstellen"
	return []route{
		{"GET " + base, signedIn, s.getProposals},
		{"GET " + base + "/nieuw", signedIn, s.getNewProposal},
		{"POST " + base, signedIn, s.postNewProposal},
		{"GET " + base + "/{proposal}", signedIn, s.getProposal},
		{"POST " + base + "/{proposal}/advies", signedIn, s.postAdviseProposal},
		{"POST " + base + "/{proposal}/besluit", signedIn, s.postDecideProposal},
	}
}

func proposalsURL(reg mtvp.Region) string { return trainingsURL(reg) + "/voorstellen" }

type proposalsData struct {
	Region    mtvp.Region
	Base      string
	Proposals []mtvp.Proposal
	CanList   bool
	CanNew    bool
	// Funders: counts only, suppressed.
	Counts []proposalCount
	Total  mtvp.FunderCount
}

type proposalCount struct {
	Status mtvp.ProposalStatus
	N      mtvp.FunderCount
}

func (s *Server) getProposals(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanSeeProposalCounts(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "no training proposals")
	}
	d := proposalsData{Region: reg, Base: proposalsURL(reg)}
	if all, consultant, practices, ok := u.ProposalScope(reg.ID); ok {
		d.CanList = true
		d.Proposals, err = s.db.ListProposals(r.Context(), store.ProposalFilter{RegionID: reg.ID, All: all, Consultant: consultant, Practices: practices})
		if err != nil {
			return err
		}
		ps, err := s.proposablePractices(r, reg)
		if err != nil {
			return err
		}
		d.CanNew = len(ps) > 0
	} else {
		counts, err := s.db.ProposalCounts(r.Context(), reg.ID)
		if err != nil {
			return err
		}
		per, total := mtvp.SuppressedProposalCounts(counts)
		for _, st := range mtvp.ProposalStatuses {
			d.Counts = append(d.Counts, proposalCount{st, per[st]})
		}
		d.Total = total
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "proposals"
	return s.render(w, r, http.StatusOK, "proposals", v)
}

// proposablePractices are the region's practices the user may propose a
// training for: its own (practice grants), every practice for the region.
func (s *Server) proposablePractices(r *http.Request, reg mtvp.Region) ([]mtvp.Practice, error) {
	u := currentUser(r)
	var out []mtvp.Practice
	if u.CanAdminRegion(reg.ID) {
		ps, err := s.db.ListPractices(r.Context(), mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			out = append(out, p.Practice)
		}
		return out, nil
	}
	return s.grantPractices(r, reg, (*mtvp.User).CanProposeTraining)
}

type proposalFormData struct {
	Region    mtvp.Region
	Base      string
	Proposal  mtvp.Proposal
	Practices []option
	Themes    []option
	Targets   []option
}

func (s *Server) renderProposalForm(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, ps []mtvp.Practice, p mtvp.Proposal, errs mtvp.FieldErrors) error {
	themes, err := s.db.TrainingThemes(r.Context(), reg.ID)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	d := proposalFormData{Region: reg, Base: proposalsURL(reg), Proposal: p}
	for _, pr := range ps {
		d.Practices = append(d.Practices, option{Value: strconv.FormatInt(pr.ID, 10), Label: pr.Name, Selected: pr.ID == p.PracticeID})
	}
	for _, t := range themes {
		d.Themes = append(d.Themes, option{Value: t, Label: t, Selected: strings.EqualFold(t, p.Theme)})
	}
	for _, t := range mtvp.TargetGroups {
		d.Targets = append(d.Targets, option{Value: string(t), Label: tOr(lang, "training.target."+string(t), string(t)), Selected: t == p.Target})
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "proposals"
	v.Errors = errs
	return s.render(w, r, status, "proposal_new", v)
}

func (s *Server) proposalNewRegion(r *http.Request) (mtvp.Region, []mtvp.Practice, error) {
	reg, err := s.regionFor(r)
	if err != nil {
		return reg, nil, err
	}
	if !currentUser(r).CanListProposals(reg.ID) {
		return reg, nil, mtvp.Errorf(mtvp.EFORBIDDEN, "may not propose a training")
	}
	ps, err := s.proposablePractices(r, reg)
	if err == nil && len(ps) == 0 {
		err = mtvp.Errorf(mtvp.EFORBIDDEN, "may not propose a training")
	}
	return reg, ps, err
}

func (s *Server) getNewProposal(w http.ResponseWriter, r *http.Request) error {
	reg, ps, err := s.proposalNewRegion(r)
	if err != nil {
		return err
	}
	p := mtvp.Proposal{}
	if len(ps) == 1 {
		p.PracticeID = ps[0].ID
	}
	return s.renderProposalForm(w, r, http.StatusOK, reg, ps, p, nil)
}

func (s *Server) postNewProposal(w http.ResponseWriter, r *http.Request) error {
	reg, ps, err := s.proposalNewRegion(r)
	if err != nil {
		return err
	}
	p := mtvp.Proposal{Title: r.PostFormValue("title"), Provider: r.PostFormValue("provider"), Theme: r.PostFormValue("theme"),
		Target: mtvp.TargetGroup(r.PostFormValue("target")), Why: r.PostFormValue("why")}
	p.PracticeID, _ = strconv.ParseInt(r.PostFormValue("practice"), 10, 64)
	if len(ps) == 1 && p.PracticeID == 0 {
		p.PracticeID = ps[0].ID
	}
	errs := mtvp.FieldErrors{}
	allowed := false
	for _, pr := range ps {
		allowed = allowed || pr.ID == p.PracticeID
	}
	if !allowed {
		errs.Add("practice", "err.required")
		p.Normalize()
		if err := p.Validate(nil); err != nil {
			for k, v := range mtvp.FieldErrorsOf(err) {
				if k != "theme" {
					errs.Add(k, v)
				}
			}
		}
		return s.renderProposalForm(w, r, http.StatusUnprocessableEntity, reg, ps, p, errs)
	}
	err = s.db.SubmitProposal(r.Context(), actorOf(currentUser(r)), &p)
	if err == nil {
		s.flash(r, "proposal.submitted")
		http.Redirect(w, r, proposalsURL(reg)+"/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
		return nil
	}
	if !mergeErrors(errs, err) {
		return err
	}
	return s.renderProposalForm(w, r, http.StatusUnprocessableEntity, reg, ps, p, errs)
}

// proposalFor loads {proposal} of the region; the user must see its
// practice (the practice itself, its consultant, the region), else 404.
func (s *Server) proposalFor(r *http.Request) (mtvp.Region, mtvp.Practice, mtvp.Proposal, error) {
	var p mtvp.Proposal
	var pr mtvp.Practice
	reg, err := s.regionFor(r)
	if err != nil {
		return reg, pr, p, err
	}
	id, err := pathID(r, "proposal")
	if err != nil {
		return reg, pr, p, err
	}
	if p, err = s.db.ProposalByID(r.Context(), id); err != nil {
		return reg, pr, p, err
	}
	if p.RegionID != reg.ID {
		return reg, pr, p, notFound
	}
	if pr, err = s.db.PracticeByID(r.Context(), p.PracticeID); err != nil {
		return reg, pr, p, err
	}
	if !currentUser(r).CanSeeProposal(&pr) {
		return reg, pr, p, notFound
	}
	return reg, pr, p, nil
}

type proposalPageData struct {
	Region    mtvp.Region
	Practice  mtvp.Practice
	Proposal  mtvp.Proposal
	Base      string
	Action    string
	CanAdvise bool
	CanDecide bool
	MayCount  bool
	// Echo of a refused form.
	Advice, AdviceText, Decision, Reason string
	Counts                               bool
}

func (s *Server) renderProposal(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, pr mtvp.Practice, p mtvp.Proposal, echo *proposalPageData, errs mtvp.FieldErrors, errKey string) error {
	u := currentUser(r)
	d := proposalPageData{}
	if echo != nil {
		d = *echo
	}
	d.Region, d.Practice, d.Proposal, d.Base = reg, pr, p, proposalsURL(reg)
	d.Action = proposalsURL(reg) + "/" + strconv.FormatInt(p.ID, 10)
	d.CanAdvise = u.CanAdviseProposal(&pr) && p.Status == mtvp.ProposalSubmitted
	d.CanDecide = u.CanDecideProposal(reg.ID) && p.Status.Open()
	d.MayCount = mtvp.ProposalMayCount(p.Theme, p.Target, reg.Settings)
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "proposals"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "proposal", v)
}

func (s *Server) getProposal(w http.ResponseWriter, r *http.Request) error {
	reg, pr, p, err := s.proposalFor(r)
	if err != nil {
		return err
	}
	return s.renderProposal(w, r, http.StatusOK, reg, pr, p, nil, nil, "")
}

// proposalOutcome renders the result of an advice or decision: a redirect,
// a 409 with the current state, or a 422 with the form as sent.
func (s *Server) proposalOutcome(w http.ResponseWriter, r *http.Request, reg mtvp.Region, pr mtvp.Practice, p mtvp.Proposal, got mtvp.Proposal, err error, echo proposalPageData, flash string) error {
	switch {
	case err == nil:
		s.flash(r, flash)
		http.Redirect(w, r, proposalsURL(reg)+"/"+strconv.FormatInt(got.ID, 10), http.StatusSeeOther)
		return nil
	case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
		cur, err := s.db.ProposalByID(r.Context(), p.ID)
		if err != nil {
			return err
		}
		return s.renderProposal(w, r, http.StatusConflict, reg, pr, cur, &echo, nil, "proposal.conflict")
	}
	errs := mtvp.FieldErrors{}
	if !mergeErrors(errs, err) {
		return err
	}
	return s.renderProposal(w, r, http.StatusUnprocessableEntity, reg, pr, p, &echo, errs, "")
}

func (s *Server) postAdviseProposal(w http.ResponseWriter, r *http.Request) error {
	reg, pr, p, err := s.proposalFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanAdviseProposal(&pr) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "not this practice's consultant")
	}
	echo := proposalPageData{Advice: r.PostFormValue("advice"), AdviceText: r.PostFormValue("advice_text")}
	got, err := s.db.AdviseProposal(r.Context(), actorOf(currentUser(r)), p.ID, formVersion(r), mtvp.Advice(echo.Advice), echo.AdviceText)
	return s.proposalOutcome(w, r, reg, pr, p, got, err, echo, "proposal.advised")
}

func (s *Server) postDecideProposal(w http.ResponseWriter, r *http.Request) error {
	reg, pr, p, err := s.proposalFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanDecideProposal(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "not the region admin")
	}
	echo := proposalPageData{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason"), Counts: r.PostFormValue("counts") != ""}
	got, err := s.db.DecideProposal(r.Context(), actorOf(currentUser(r)), p.ID, formVersion(r), mtvp.ProposalAction(echo.Decision), echo.Counts, echo.Reason)
	return s.proposalOutcome(w, r, reg, pr, p, got, err, echo, "proposal.decided."+string(got.Status))
}
