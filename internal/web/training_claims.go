package web

import (
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// The consultant's queue of prior-learning claims and the decision.

type claimQueueData struct {
	Region  mtvp.Region
	Base    string
	Claims  []mtvp.Claim
	Status  string
	Options []option
}

func (s *Server) getClaimQueue(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingMenuRegion(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanSeeClaimQueue(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "no claim queue")
	}
	f := store.ClaimFilter{RegionID: reg.ID, Status: mtvp.ClaimPending}
	status := r.URL.Query().Get("status")
	switch mtvp.ClaimStatus(status) {
	case mtvp.ClaimApproved, mtvp.ClaimRejected:
		f.Status = mtvp.ClaimStatus(status)
	case "":
		status = string(mtvp.ClaimPending)
	default:
		if status == "alle" {
			f.Status = ""
		} else {
			status = string(mtvp.ClaimPending)
		}
	}
	if !u.CanAdminRegion(reg.ID) {
		f.OnlyConsultant = u.ID
	}
	claims, err := s.db.ListClaims(r.Context(), f)
	if err != nil {
		return err
	}
	d := claimQueueData{Region: reg, Base: trainingsURL(reg), Claims: claims, Status: status}
	lang := s.lang(r)
	for _, st := range []string{string(mtvp.ClaimPending), string(mtvp.ClaimApproved), string(mtvp.ClaimRejected), "alle"} {
		d.Options = append(d.Options, option{Value: st, Label: tOr(lang, "training.claim_status."+st, st), Selected: st == status})
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "training-claims"
	return s.render(w, r, http.StatusOK, "training_claims", v)
}

// claimFor loads {claim} of the region with its practice; the user must
// see the practice (its own consultant, the practice itself, region
// admins), else 404.
func (s *Server) claimFor(r *http.Request) (mtvp.Region, mtvp.Practice, mtvp.Claim, error) {
	var c mtvp.Claim
	var p mtvp.Practice
	reg, err := s.regionFor(r)
	if err != nil {
		return reg, p, c, err
	}
	id, err := pathID(r, "claim")
	if err != nil {
		return reg, p, c, err
	}
	if c, err = s.db.ClaimByID(r.Context(), id); err != nil {
		return reg, p, c, err
	}
	if c.RegionID != reg.ID {
		return reg, p, c, notFound
	}
	if p, err = s.db.PracticeByID(r.Context(), c.PracticeID); err != nil {
		return reg, p, c, err
	}
	if !currentUser(r).CanSeePracticeTraining(&p) {
		return reg, p, c, notFound
	}
	return reg, p, c, nil
}

type claimPageData struct {
	Region    mtvp.Region
	Practice  mtvp.Practice
	Claim     mtvp.Claim
	Base      string
	Action    string
	CanDecide bool
	Reason    string
	Decision  string
	Qualifies bool
	Cutoff    mtvp.Date
	Roles     []mtvp.StaffRole
}

func (s *Server) claimPage(r *http.Request, reg mtvp.Region, p mtvp.Practice, c mtvp.Claim) (claimPageData, error) {
	d := claimPageData{Region: reg, Practice: p, Claim: c, Base: trainingsURL(reg),
		Action: trainingsURL(reg) + "/aanvragen/" + strconv.FormatInt(c.ID, 10), CanDecide: currentUser(r).CanDecideClaim(&p),
		Cutoff: reg.Settings.PriorLearningCutoff}
	ms, err := s.db.MembershipsOfPerson(r.Context(), c.PersonID)
	if err != nil {
		return d, err
	}
	today := mtvp.DateOf(s.cfg.Now())
	for _, m := range ms {
		if m.PracticeID == p.ID && m.ActiveOn(today) {
			d.Roles = append(d.Roles, m.Role)
		}
	}
	d.Qualifies = mtvp.ClaimQualifies(c.Theme, d.Roles, reg.Settings)
	return d, nil
}

func (s *Server) renderClaim(w http.ResponseWriter, r *http.Request, status int, d claimPageData, errs mtvp.FieldErrors, errKey string) error {
	v := s.newView(r, d)
	v.Region = &d.Region
	v.Nav = "training-claims"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "training_claim", v)
}

func (s *Server) getClaim(w http.ResponseWriter, r *http.Request) error {
	reg, p, c, err := s.claimFor(r)
	if err != nil {
		return err
	}
	d, err := s.claimPage(r, reg, p, c)
	if err != nil {
		return err
	}
	return s.renderClaim(w, r, http.StatusOK, d, nil, "")
}

// postDecideClaim approves or rejects: the practice's own consultant only
// (others who see the claim get 403).
func (s *Server) postDecideClaim(w http.ResponseWriter, r *http.Request) error {
	reg, p, c, err := s.claimFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanDecideClaim(&p) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "not this practice's consultant")
	}
	decision := r.PostFormValue("decision")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	got, err := s.db.DecideClaim(r.Context(), actorOf(currentUser(r)), c.ID, formVersion(r), mtvp.ClaimStatus(decision), reason)
	switch {
	case err == nil:
		s.flash(r, "training.claim_decided."+string(got.Status))
		http.Redirect(w, r, trainingsURL(reg)+"/aanvragen", http.StatusSeeOther)
		return nil
	case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
		if c, err = s.db.ClaimByID(r.Context(), c.ID); err != nil {
			return err
		}
		d, err := s.claimPage(r, reg, p, c)
		if err != nil {
			return err
		}
		d.Reason, d.Decision = reason, decision
		return s.renderClaim(w, r, http.StatusConflict, d, nil, "training.conflict_claim")
	}
	errs := mtvp.FieldErrors{}
	if !mergeErrors(errs, err) {
		return err
	}
	d, err := s.claimPage(r, reg, p, c)
	if err != nil {
		return err
	}
	d.Reason, d.Decision = reason, decision
	return s.renderClaim(w, r, http.StatusUnprocessableEntity, d, errs, "")
}

// getClaimEvidence sends the evidence file as a download with its sniffed
// type; never rendered inline, so an uploaded file cannot run as a page.
func (s *Server) getClaimEvidence(w http.ResponseWriter, r *http.Request) error {
	_, _, c, err := s.claimFor(r)
	if err != nil {
		return err
	}
	ev, err := s.db.ClaimEvidence(r.Context(), c.ID)
	if err != nil {
		return err
	}
	name := strings.Map(func(r rune) rune {
		if r < 32 || r == '"' || r == '\\' || r > 126 {
			return '_'
		}
		return r
	}, ev.Name)
	if name == "" {
		name = "bewijs"
	}
	w.Header().Set("Content-Type", ev.Type)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(ev.Data)
	return err
}
