package api

// The training menu over the API: trainings, sessions, enrolments,
// completions, prior-learning claims and a practice's training norms.
// The rules are the domain's and the store's; this is parse, authorise,
// call, answer.

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func (a *API) trainingRoutes() []route {
	return []route{
		{"GET /api/v1/regions/{code}/trainings", false, a.listTrainings},
		{"POST /api/v1/regions/{code}/trainings", false, a.createTraining},
		{"GET /api/v1/trainings/{id}", false, a.getTraining},
		{"PUT /api/v1/trainings/{id}", false, a.updateTraining},
		{"GET /api/v1/trainings/{id}/sessions", false, a.listSessions},
		{"POST /api/v1/trainings/{id}/sessions", false, a.createSession},
		{"GET /api/v1/sessions/{id}", false, a.getSession},
		{"PUT /api/v1/sessions/{id}", false, a.updateSession},
		{"GET /api/v1/sessions/{id}/enrolments", false, a.listEnrolments},
		{"POST /api/v1/sessions/{id}/enrolments", false, a.createEnrolment},
		{"PUT /api/v1/enrolments/{id}", false, a.updateEnrolment},
		{"GET /api/v1/sessions/{id}/completions", false, a.listCompletions},
		{"POST /api/v1/sessions/{id}/completions", false, a.createCompletions},
		{"GET /api/v1/practices/{id}/training", false, a.getPracticeTraining},
		{"GET /api/v1/practices/{id}/claims", false, a.listClaims},
		{claimCreatePattern, false, a.createClaim},
		{"GET /api/v1/claims/{id}", false, a.getClaim},
		{"PUT /api/v1/claims/{id}/decision", false, a.decideClaim},
		{"POST /api/v1/claims/{id}/withdrawal", false, a.withdrawClaim},
		{"POST /api/v1/completions/{id}/undo", false, a.undoCompletion},
	}
}

// ---- wire types ----

type trainingJSON struct {
	ID          int64            `json:"id"`
	RegionID    int64            `json:"region_id"`
	Title       string           `json:"title"`
	Description string           `json:"description"`
	Target      mtvp.TargetGroup `json:"target"`
	Themes      []string         `json:"themes"`
	Provider    string           `json:"provider"`
	Register    mtvp.Register    `json:"register"`
	Points      float64          `json:"points"`
	Active      bool             `json:"active"`
	Version     *int             `json:"version"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
}

func trainingToJSON(t mtvp.Training) trainingJSON {
	themes := t.Themes
	if themes == nil {
		themes = []string{}
	}
	return trainingJSON{ID: t.ID, RegionID: t.RegionID, Title: t.Title, Description: t.Description, Target: t.Target, Themes: themes,
		Provider: t.Provider, Register: t.Register, Points: t.Points, Active: t.Active, Version: intPtr(t.Version),
		CreatedAt: t.CreatedAt.UTC(), UpdatedAt: t.UpdatedAt.UTC()}
}

func (j trainingJSON) apply(t *mtvp.Training) {
	t.Title, t.Description, t.Target, t.Themes, t.Provider, t.Register, t.Points, t.Active =
		j.Title, j.Description, j.Target, j.Themes, j.Provider, j.Register, j.Points, j.Active
}

type sessionJSON struct {
	ID         int64     `json:"id"`
	TrainingID int64     `json:"training_id"`
	Dates      []date    `json:"dates"`
	StartTime  string    `json:"start_time"`
	EndTime    string    `json:"end_time"`
	Place      string    `json:"place"`
	Online     bool      `json:"online"`
	Capacity   int       `json:"capacity"`
	Placed     int       `json:"placed"`
	Waiting    int       `json:"waiting"`
	Version    *int      `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func sessionToJSON(s mtvp.TrainingSession) sessionJSON {
	ds := []date{}
	for _, d := range s.Dates {
		ds = append(ds, dateOf(d))
	}
	return sessionJSON{ID: s.ID, TrainingID: s.TrainingID, Dates: ds, StartTime: s.StartTime, EndTime: s.EndTime, Place: s.Place,
		Online: s.Online, Capacity: s.Capacity, Placed: s.Enrolled, Waiting: s.Waiting, Version: intPtr(s.Version),
		CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC()}
}

func (j sessionJSON) apply(s *mtvp.TrainingSession, f mtvp.FieldErrors) {
	s.Dates = nil
	for i, d := range j.Dates {
		s.Dates = append(s.Dates, d.check(f, "dates."+strconv.Itoa(i)))
	}
	s.StartTime, s.EndTime, s.Place, s.Online, s.Capacity = j.StartTime, j.EndTime, j.Place, j.Online, j.Capacity
}

type enrolmentJSON struct {
	ID         int64                `json:"id"`
	SessionID  int64                `json:"session_id"`
	PersonID   int64                `json:"person_id"`
	PracticeID int64                `json:"practice_id"`
	PersonName string               `json:"person_name"`
	Status     mtvp.EnrolmentStatus `json:"status"`
	Completed  bool                 `json:"completed"`
	Version    *int                 `json:"version"`
	CreatedAt  time.Time            `json:"created_at"`
	UpdatedAt  time.Time            `json:"updated_at"`
}

func enrolmentToJSON(e mtvp.Enrolment) enrolmentJSON {
	return enrolmentJSON{ID: e.ID, SessionID: e.SessionID, PersonID: e.PersonID, PracticeID: e.PracticeID, PersonName: e.PersonName,
		Status: e.Status, Completed: e.Completed, Version: intPtr(e.Version), CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
}

type completionJSON struct {
	ID          int64  `json:"id"`
	SessionID   int64  `json:"session_id"`
	PersonID    int64  `json:"person_id"`
	PersonName  string `json:"person_name"`
	CompletedOn date   `json:"completed_on"`
}

type claimJSON struct {
	ID           int64            `json:"id"`
	PracticeID   int64            `json:"practice_id"`
	PersonID     int64            `json:"person_id"`
	PersonName   string           `json:"person_name"`
	Title        string           `json:"title"`
	Provider     string           `json:"provider"`
	CompletedOn  date             `json:"completed_on"`
	Theme        string           `json:"theme"`
	Status       mtvp.ClaimStatus `json:"status"`
	Reason       string           `json:"reason"`
	DecidedBy    string           `json:"decided_by"`
	DecidedAt    *time.Time       `json:"decided_at"`
	EvidenceName string           `json:"evidence_name"`
	EvidenceType string           `json:"evidence_type"`
	Version      *int             `json:"version"`
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
}

func claimToJSON(c mtvp.Claim) claimJSON {
	j := claimJSON{ID: c.ID, PracticeID: c.PracticeID, PersonID: c.PersonID, PersonName: c.PersonName, Title: c.Title, Provider: c.Provider,
		CompletedOn: dateOf(c.CompletedOn), Theme: c.Theme, Status: c.Status, Reason: c.Reason, DecidedBy: c.DecidedName,
		EvidenceName: c.EvidenceName, EvidenceType: c.EvidenceType, Version: intPtr(c.Version), CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
	if !c.DecidedAt.IsZero() {
		t := c.DecidedAt.UTC()
		j.DecidedAt = &t
	}
	return j
}

// ---- loaders ----

func (a *API) trainingFor(r *http.Request) (mtvp.Training, error) {
	id, err := pathID(r)
	if err != nil {
		return mtvp.Training{}, err
	}
	t, err := a.db.TrainingByID(r.Context(), id)
	if err != nil {
		return t, err
	}
	if !userOf(r).CanSeeTrainingMenu(t.RegionID) || (!t.Active && !userOf(r).CanEditTrainingMenu(t.RegionID)) {
		return t, errNotFound
	}
	return t, nil
}

func (a *API) sessionFor(r *http.Request) (mtvp.TrainingSession, error) {
	id, err := pathID(r)
	if err != nil {
		return mtvp.TrainingSession{}, err
	}
	s, err := a.db.SessionByID(r.Context(), id)
	if err != nil {
		return s, err
	}
	if !userOf(r).CanSeeTrainingMenu(s.RegionID) {
		return s, errNotFound
	}
	return s, nil
}

// ---- trainings ----

func (a *API) listTrainings(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r, "include_inactive")
	if err != nil {
		return err
	}
	trs, err := a.db.ListTrainings(r.Context(), reg.ID, userOf(r).CanEditTrainingMenu(reg.ID) && r.URL.Query().Get("include_inactive") == "true")
	if err != nil {
		return err
	}
	items := []trainingJSON{}
	for _, t := range trs {
		items = append(items, trainingToJSON(t))
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) createTraining(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanEditTrainingMenu(reg.ID) {
		return errForbidden
	}
	in := trainingJSON{Active: true, Register: mtvp.RegisterNone}
	if err := decode(r, &in); err != nil {
		return err
	}
	t := mtvp.Training{RegionID: reg.ID}
	in.apply(&t)
	if err := a.db.CreateTraining(r.Context(), actorOf(u), &t); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/trainings/"+strconv.FormatInt(t.ID, 10))
	writeJSON(w, http.StatusCreated, trainingToJSON(t))
	return nil
}

func (a *API) getTraining(w http.ResponseWriter, r *http.Request) error {
	t, err := a.trainingFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, trainingToJSON(t))
	return nil
}

func (a *API) updateTraining(w http.ResponseWriter, r *http.Request) error {
	stored, err := a.trainingFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanEditTrainingMenu(stored.RegionID) {
		return errForbidden
	}
	in := trainingToJSON(stored)
	version, err := decodeVersioned(r, &in, &in.Version, nil)
	if err != nil {
		return err
	}
	t := stored
	in.apply(&t)
	t.Version = version
	if err := a.db.UpdateTraining(r.Context(), actorOf(u), &t); err != nil {
		return writeFailed(err, asOnWire, storedAs(r.Context(), a.db.TrainingByID, stored.ID, trainingToJSON).conflict)
	}
	writeJSON(w, http.StatusOK, trainingToJSON(t))
	return nil
}

// ---- sessions ----

func (a *API) listSessions(w http.ResponseWriter, r *http.Request) error {
	t, err := a.trainingFor(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	ss, err := a.db.SessionsOfTraining(r.Context(), t.ID)
	if err != nil {
		return err
	}
	items := []sessionJSON{}
	for _, s := range ss {
		items = append(items, sessionToJSON(s))
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) createSession(w http.ResponseWriter, r *http.Request) error {
	t, err := a.trainingFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanEditTrainingMenu(t.RegionID) {
		return errForbidden
	}
	var in sessionJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	s := mtvp.TrainingSession{TrainingID: t.ID}
	in.apply(&s, f)
	if len(f) > 0 {
		return invalid(f)
	}
	if err := a.db.CreateSession(r.Context(), actorOf(u), &s); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/sessions/"+strconv.FormatInt(s.ID, 10))
	writeJSON(w, http.StatusCreated, sessionToJSON(s))
	return nil
}

func (a *API) getSession(w http.ResponseWriter, r *http.Request) error {
	s, err := a.sessionFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sessionToJSON(s))
	return nil
}

func (a *API) updateSession(w http.ResponseWriter, r *http.Request) error {
	stored, err := a.sessionFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanEditTrainingMenu(stored.RegionID) {
		return errForbidden
	}
	in := sessionToJSON(stored)
	s := stored
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		in.apply(&s, f)
		return nil
	})
	if err != nil {
		return err
	}
	s.Version = version
	if err := a.db.UpdateSession(r.Context(), actorOf(u), &s); err != nil {
		return writeFailed(err, asOnWire, storedAs(r.Context(), a.db.SessionByID, stored.ID, sessionToJSON).conflict)
	}
	writeJSON(w, http.StatusOK, sessionToJSON(s))
	return nil
}

// ---- enrolments ----

// listEnrolments: region admins see every sign-up; a practice (or its
// consultant) sees only its own practices' sign-ups.
func (a *API) listEnrolments(w http.ResponseWriter, r *http.Request) error {
	s, err := a.sessionFor(r)
	if err != nil {
		return err
	}
	// A funder sees region figures, never a list of sign-ups, not even
	// an empty one.
	if userOf(r).OnlyRoleInRegion(s.RegionID, mtvp.AccountFunder) {
		return errForbidden
	}
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	es, err := a.db.SessionEnrolments(r.Context(), s.ID)
	if err != nil {
		return err
	}
	u := userOf(r)
	all := u.CanSeeSessionPeople(s.RegionID)
	// One query for the region's practices decides what the caller sees.
	visible := map[int64]bool{}
	if !all {
		ps, err := a.db.ListPractices(r.Context(), mtvp.PracticeFilter{RegionID: s.RegionID})
		if err != nil {
			return err
		}
		for i := range ps {
			visible[ps[i].ID] = u.CanSeePractice(&ps[i].Practice)
		}
	}
	items := []enrolmentJSON{}
	for _, e := range es {
		if !all && !visible[e.PracticeID] {
			continue
		}
		items = append(items, enrolmentToJSON(e))
	}
	writePage(w, pg, items)
	return nil
}

type enrolRequest struct {
	PersonID   int64 `json:"person_id"`
	PracticeID int64 `json:"practice_id"`
	// SignedUpOn is the sign-up's real date when history is recorded
	// (mtvp.SignUpDate decides who may give which date); absent: today.
	SignedUpOn date `json:"signed_up_on"`
}

func (a *API) createEnrolment(w http.ResponseWriter, r *http.Request) error {
	s, err := a.sessionFor(r)
	if err != nil {
		return err
	}
	var in enrolRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	u := userOf(r)
	f := mtvp.FieldErrors{}
	if in.PracticeID == 0 {
		f.Add("practice_id", "err.required")
	}
	if in.PersonID == 0 {
		f.Add("person_id", "err.required")
	}
	if len(f) > 0 {
		return invalid(f)
	}
	p, err := a.db.PracticeByID(r.Context(), in.PracticeID)
	if err != nil || p.RegionID != s.RegionID || !u.CanSeePractice(&p) {
		f.Add("practice_id", "training.err.practice_unknown")
		return invalid(f)
	}
	if !u.CanEnrol(&p) {
		return errForbidden
	}
	on := in.SignedUpOn.check(f, "signed_up_on")
	if len(f) > 0 {
		return invalid(f)
	}
	if !on.IsZero() {
		if on, err = mtvp.SignUpDate(mtvp.RecorderFor(u, s.RegionID), on, mtvp.DateOf(clock.Now()), s.FirstDate().Year(), "signed_up_on"); err != nil {
			return err
		}
	}
	e := mtvp.Enrolment{SessionID: s.ID, PersonID: in.PersonID, PracticeID: p.ID, SignedUpOn: on}
	if err := a.db.Enrol(r.Context(), actorOf(u), &e); err != nil {
		if mergeInvalid(f, err, "") {
			return invalid(f)
		}
		return err
	}
	w.Header().Set("Location", "/api/v1/sessions/"+strconv.FormatInt(s.ID, 10)+"/enrolments")
	writeJSON(w, http.StatusCreated, enrolmentToJSON(e))
	return nil
}

// updateEnrolment cancels a sign-up: {"version": n, "status": "geannuleerd"}.
// A freed place goes to the first on the waiting list.
func (a *API) updateEnrolment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := a.db.EnrolmentByID(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := a.db.PracticeByID(r.Context(), e.PracticeID)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanSeePractice(&p) {
		return errNotFound
	}
	if !u.CanEnrol(&p) {
		return errForbidden
	}
	in := enrolmentToJSON(e)
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		if in.Status != mtvp.EnrolmentCancelled && in.Status != e.Status {
			f.Add("status", "training.err.enrolment_status")
		}
		return nil
	})
	if err != nil {
		return err
	}
	cur := storedAs(r.Context(), a.db.EnrolmentByID, e.ID, enrolmentToJSON)
	if in.Status == mtvp.EnrolmentCancelled {
		if err := a.db.CancelEnrolment(r.Context(), actorOf(u), e.ID, version); err != nil {
			return writeFailed(err, asOnWire, cur.conflict)
		}
	}
	return cur.write(w, http.StatusOK)
}

// ---- completions ----

func (a *API) listCompletions(w http.ResponseWriter, r *http.Request) error {
	s, err := a.sessionFor(r)
	if err != nil {
		return err
	}
	if !userOf(r).CanSeeSessionPeople(s.RegionID) {
		return errForbidden
	}
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	cs, err := a.db.SessionCompletions(r.Context(), s.ID)
	if err != nil {
		return err
	}
	items := []completionJSON{}
	for _, c := range cs {
		items = append(items, completionJSON{ID: c.ID, SessionID: c.SessionID, PersonID: c.PersonID, PersonName: c.PersonName, CompletedOn: dateOf(c.CompletedOn)})
	}
	writePage(w, pg, items)
	return nil
}

type completionsRequest struct {
	Completions []struct {
		PersonID    int64 `json:"person_id"`
		CompletedOn date  `json:"completed_on"`
	} `json:"completions"`
}

// createCompletions records a list of completions, all or nothing; field
// errors are keyed completions.N (from 0).
func (a *API) createCompletions(w http.ResponseWriter, r *http.Request) error {
	s, err := a.sessionFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanRecordCompletions(s.RegionID) {
		return errForbidden
	}
	var in completionsRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	var cs []mtvp.Completion
	for i, c := range in.Completions {
		cs = append(cs, mtvp.Completion{PersonID: c.PersonID, CompletedOn: c.CompletedOn.check(f, "completions."+strconv.Itoa(i)+".completed_on")})
	}
	if len(f) > 0 {
		return invalid(f)
	}
	if err := a.db.RecordCompletions(r.Context(), actorOf(u), s.ID, cs); err != nil {
		if mtvp.ErrorCode(err) == mtvp.EINVALID {
			for k, v := range mtvp.FieldErrorsOf(err) {
				if n, ok := cutPrefix(k, "row."); ok {
					i, _ := strconv.Atoi(n)
					k = "completions." + strconv.Itoa(i-1)
				} else if k == "rows" {
					k = "completions"
				}
				f.Add(k, v)
			}
			return invalid(f)
		}
		return err
	}
	done, err := a.db.SessionCompletions(r.Context(), s.ID)
	if err != nil {
		return err
	}
	items := []completionJSON{}
	for _, c := range done {
		items = append(items, completionJSON{ID: c.ID, SessionID: c.SessionID, PersonID: c.PersonID, PersonName: c.PersonName, CompletedOn: dateOf(c.CompletedOn)})
	}
	w.Header().Set("Location", "/api/v1/sessions/"+strconv.FormatInt(s.ID, 10)+"/completions")
	writeJSON(w, http.StatusCreated, list(items))
	return nil
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}

// ---- a practice's training status ----

type normPersonJSON struct {
	PersonID int64          `json:"person_id"`
	Name     string         `json:"name"`
	Role     mtvp.StaffRole `json:"role"`
	Met      bool           `json:"met"`
	Via      string         `json:"via"`
	ViaDate  date           `json:"via_date"`
	ByClaim  bool           `json:"by_claim"`
	Pending  bool           `json:"pending"`
}

type normJSON struct {
	Norm          mtvp.Requirement `json:"norm"`
	Threshold     float64          `json:"threshold"`
	Denominator   int              `json:"denominator"`
	Required      int              `json:"required"`
	Actual        int              `json:"actual"`
	Pending       int              `json:"pending"`
	NotApplicable bool             `json:"not_applicable"`
	Met           bool             `json:"met"`
	People        []normPersonJSON `json:"people"`
}

type practiceTrainingJSON struct {
	PracticeID    int64      `json:"practice_id"`
	ReferenceDate date       `json:"reference_date"`
	Norms         []normJSON `json:"norms"`
}

// getPracticeTraining evaluates the training norms at ?peildatum=
// (default today) with the domain's one rule.
func (a *API) getPracticeTraining(w http.ResponseWriter, r *http.Request) error {
	p, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	reg, err := a.db.RegionByID(r.Context(), p.RegionID)
	if err != nil {
		return err
	}
	ref, err := queryDate(r.URL.Query(), "peildatum")
	if err != nil {
		return err
	}
	if ref.IsZero() {
		ref = mtvp.DateOf(clock.Now())
	}
	facts, err := a.db.TrainingFacts(r.Context(), reg.ID, p.ID)
	if err != nil {
		return err
	}
	out := practiceTrainingJSON{PracticeID: p.ID, ReferenceDate: dateOf(ref), Norms: []normJSON{}}
	for _, n := range mtvp.EvaluateTrainingNorms(facts[p.ID], reg.Settings, ref) {
		nj := normJSON{Norm: n.Norm, Threshold: n.Threshold, Denominator: n.Denominator, Required: n.Required, Actual: n.Actual,
			Pending: n.Pending, NotApplicable: n.NotApplicable, Met: n.Met(), People: []normPersonJSON{}}
		for _, pp := range n.People {
			nj.People = append(nj.People, normPersonJSON{PersonID: pp.PersonID, Name: pp.Name, Role: pp.Role, Met: pp.Met, Via: pp.Via,
				ViaDate: dateOf(pp.ViaDate), ByClaim: pp.ByClaim, Pending: pp.Pending})
		}
		out.Norms = append(out.Norms, nj)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// ---- claims ----

// ClaimBodyLimit is the body limit of a new claim: evidence of
// mtvp.MaxEvidenceSize as base64 (4/3 larger) plus room for the other
// fields. Above it: 413 naming the limits.
const ClaimBodyLimit = (mtvp.MaxEvidenceSize+2)/3*4 + 64<<10

func init() { routeBodyLimits[claimCreatePattern] = ClaimBodyLimit }

const claimCreatePattern = "POST /api/v1/practices/{id}/claims"

func (a *API) listClaims(w http.ResponseWriter, r *http.Request) error {
	p, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	cs, err := a.db.ListClaims(r.Context(), store.ClaimFilter{RegionID: p.RegionID, PracticeID: p.ID})
	if err != nil {
		return err
	}
	items := []claimJSON{}
	for _, c := range cs {
		items = append(items, claimToJSON(c))
	}
	writePage(w, pg, items)
	return nil
}

type claimRequest struct {
	PersonID    int64  `json:"person_id"`
	Title       string `json:"title"`
	Provider    string `json:"provider"`
	CompletedOn date   `json:"completed_on"`
	Theme       string `json:"theme"`
	Evidence    *struct {
		Name    string `json:"name"`
		Content string `json:"content_base64"`
	} `json:"evidence"`
}

func (a *API) createClaim(w http.ResponseWriter, r *http.Request) error {
	p, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanSubmitClaim(&p) {
		return errForbidden
	}
	var in claimRequest
	if err := decode(r, &in); err != nil {
		if ae, ok := err.(*apiError); ok && ae.code == codeTooLarge {
			ae.key, ae.args = "api.err.too_large_claim", []any{ae.args[0], byteSize(mtvp.MaxEvidenceSize)}
		}
		return err
	}
	f := mtvp.FieldErrors{}
	c := mtvp.Claim{PracticeID: p.ID, PersonID: in.PersonID, Title: in.Title, Provider: in.Provider, Theme: in.Theme,
		CompletedOn: in.CompletedOn.check(f, "completed_on")}
	var ev *store.Evidence
	if in.Evidence != nil {
		data, err := base64.StdEncoding.DecodeString(in.Evidence.Content)
		if err != nil {
			f.Add("evidence", "training.err.base64")
		}
		ev = &store.Evidence{Name: mtvp.BaseName(in.Evidence.Name), Data: data}
	}
	if len(f) > 0 {
		return invalid(f)
	}
	if err := a.db.SubmitClaim(r.Context(), actorOf(u), &c, ev); err != nil {
		if mergeInvalid(f, err, "") {
			return invalid(f)
		}
		return err
	}
	w.Header().Set("Location", "/api/v1/claims/"+strconv.FormatInt(c.ID, 10))
	writeJSON(w, http.StatusCreated, claimToJSON(c))
	return nil
}

// claimFor loads {id}; only who sees the claim's practice sees it.
func (a *API) claimFor(r *http.Request) (mtvp.Claim, mtvp.Practice, error) {
	return practiceRecordFor(a, r, a.db.ClaimByID, func(c mtvp.Claim) int64 { return c.PracticeID },
		func(u *mtvp.User, p *mtvp.Practice, _ *mtvp.Claim) bool { return u.CanSeePracticeTraining(p) })
}

func (a *API) getClaim(w http.ResponseWriter, r *http.Request) error {
	c, _, err := a.claimFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, claimToJSON(c))
	return nil
}

type decisionRequest struct {
	Version  *int             `json:"version"`
	Decision mtvp.ClaimStatus `json:"decision"`
	Reason   string           `json:"reason"`
}

// decideClaim: the practice's own consultant approves or rejects.
func (a *API) decideClaim(w http.ResponseWriter, r *http.Request) error {
	c, p, err := a.claimFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanDecideClaim(&p) {
		return errForbidden
	}
	var in decisionRequest
	version, err := decodeVersioned(r, &in, &in.Version, nil)
	if err != nil {
		return err
	}
	got, err := a.db.DecideClaim(r.Context(), actorOf(u), c.ID, version, in.Decision, in.Reason)
	if err != nil {
		return writeFailed(err, asOnWire, storedAs(r.Context(), a.db.ClaimByID, c.ID, claimToJSON).conflict)
	}
	writeJSON(w, http.StatusOK, claimToJSON(got))
	return nil
}

// ---- withdrawing a claim, undoing a completion ----

// reasonRequest is the body of a withdrawal or an undo: the reason is
// required and kept in the history.
type reasonRequest struct {
	Version *int   `json:"version"`
	Reason  string `json:"reason"`
}

// removalJSON answers a withdrawal or an undo: what was removed and why.
type removalJSON struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

// withdrawClaim removes a claim with a reason: the practice its own
// pending claim, the region admin any (mtvp.User.CanWithdrawClaim). 201
// with the reason; a stale version 409 with the claim as stored.
func (a *API) withdrawClaim(w http.ResponseWriter, r *http.Request) error {
	c, p, err := a.claimFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanWithdrawClaim(&p, c) {
		return errForbidden
	}
	var in reasonRequest
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		mergeInvalid(f, mtvp.CheckReason(in.Reason), "")
		return nil
	})
	if err != nil {
		return err
	}
	if err := a.db.WithdrawClaim(r.Context(), actorOf(u), c.ID, version, in.Reason); err != nil {
		return writeFailed(err, asOnWire, storedAs(r.Context(), a.db.ClaimByID, c.ID, claimToJSON).conflict)
	}
	writeJSON(w, http.StatusCreated, removalJSON{ID: c.ID, Reason: strings.TrimSpace(in.Reason)})
	return nil
}

// undoCompletion removes a completion recorded by mistake, with a reason:
// those who record completions (region admins). Outsiders 404.
func (a *API) undoCompletion(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := a.db.CompletionByID(r.Context(), id)
	if err != nil {
		return err
	}
	s, err := a.db.SessionByID(r.Context(), c.SessionID)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanSeeRegion(s.RegionID) {
		return errNotFound
	}
	if !u.CanUndoCompletion(s.RegionID) {
		return errForbidden
	}
	var in reasonRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	mergeInvalid(f, mtvp.CheckReason(in.Reason), "")
	if len(f) > 0 {
		return invalid(f)
	}
	if err := a.db.UndoCompletion(r.Context(), actorOf(u), s.ID, c.ID, in.Reason); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, removalJSON{ID: c.ID, Reason: strings.TrimSpace(in.Reason)})
	return nil
}
