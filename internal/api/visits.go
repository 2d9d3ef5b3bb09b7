package api

// Consultant visits over the API: list per region and per practice, get,
// plan, change the planning and record the outcome. The rules are the
// domain's and the store's; this is parse, authorise, call, answer.

import (
	"net/http"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func (a *API) visitRoutes() []route {
	return []route{
		{"GET /api/v1/regions/{code}/visits", false, a.listRegionVisits},
		{"GET /api/v1/practices/{id}/visits", false, a.listPracticeVisits},
		{"POST /api/v1/practices/{id}/visits", false, a.createVisit},
		{"GET /api/v1/visits/{id}", false, a.getVisit},
		{"PUT /api/v1/visits/{id}", false, a.updateVisit},
		{"PUT /api/v1/visits/{id}/outcome", false, a.recordVisit},
	}
}

// ---- wire types ----

type visitFindingJSON struct {
	InterventionID int64  `json:"intervention_id"`
	Code           string `json:"code"`
	Title          string `json:"title"`
	Deployment     string `json:"deployment"`
	GoesWell       string `json:"goes_well"`
	Obstacles      string `json:"obstacles"`
	Solutions      string `json:"solutions"`
}

type visitActionJSON struct {
	Description string `json:"description"`
	Owner       string `json:"owner"`
	Due         date   `json:"due"`
	Done        bool   `json:"done"`
}

type visitJSON struct {
	ID             int64              `json:"id"`
	RegionID       int64              `json:"region_id"`
	PracticeID     int64              `json:"practice_id"`
	PracticeName   string             `json:"practice_name"`
	Year           int                `json:"year"`
	PlannedOn      date               `json:"planned_on"`
	Status         mtvp.VisitStatus   `json:"status"`
	ConsultantID   int64              `json:"consultant_id"`
	ConsultantName string             `json:"consultant_name"`
	VisitedOn      date               `json:"visited_on"`
	PlanVersion    int                `json:"plan_version"`
	Judgement      string             `json:"judgement"`
	Findings       []visitFindingJSON `json:"findings,omitempty"`
	Actions        []visitActionJSON  `json:"actions,omitempty"`
	RecordedBy     string             `json:"recorded_by"`
	RecordedAt     *time.Time         `json:"recorded_at"`
	Version        *int               `json:"version"`
	CreatedAt      time.Time          `json:"created_at"`
	UpdatedAt      time.Time          `json:"updated_at"`
}

func visitToJSON(v mtvp.Visit) visitJSON {
	j := visitJSON{ID: v.ID, RegionID: v.RegionID, PracticeID: v.PracticeID, PracticeName: v.PracticeName, Year: v.Year,
		PlannedOn: dateOf(v.PlannedOn), Status: v.Status, ConsultantID: v.ConsultantID, ConsultantName: v.ConsultantName,
		VisitedOn: dateOf(v.VisitedOn), PlanVersion: v.PlanVersion, Judgement: v.Judgement, RecordedBy: v.RecordedBy.Name,
		Version: intPtr(v.Version), CreatedAt: v.CreatedAt.UTC(), UpdatedAt: v.UpdatedAt.UTC()}
	if !v.RecordedAt.IsZero() {
		t := v.RecordedAt.UTC()
		j.RecordedAt = &t
	}
	for _, f := range v.Findings {
		j.Findings = append(j.Findings, visitFindingJSON(f))
	}
	for _, x := range v.Actions {
		j.Actions = append(j.Actions, visitActionJSON{Description: x.Description, Owner: x.Owner, Due: dateOf(x.Due), Done: x.Done})
	}
	return j
}

// visitPlanJSON is the body of POST …/visits and PUT /visits/{id}.
type visitPlanJSON struct {
	PlannedOn    date             `json:"planned_on"`
	ConsultantID int64            `json:"consultant_id"`
	Status       mtvp.VisitStatus `json:"status"`
	Version      *int             `json:"version"`
}

// visitOutcomeJSON is the body of PUT /visits/{id}/outcome.
type visitOutcomeJSON struct {
	VisitedOn date               `json:"visited_on"`
	Judgement string             `json:"judgement"`
	Findings  []visitFindingJSON `json:"findings"`
	Actions   []visitActionJSON  `json:"actions"`
	Version   *int               `json:"version"`
}

// visitFields renames the store's field names to the wire's.
func visitFields(f mtvp.FieldErrors, err error) bool {
	if mtvp.ErrorCode(err) != mtvp.EINVALID {
		return false
	}
	for k, v := range mtvp.FieldErrorsOf(err) {
		if k == "consultant" {
			k = "consultant_id"
		}
		f.Add(k, v)
	}
	return true
}

// ---- loaders ----

// visitFor loads {id} and its practice as far as the caller may see it.
func (a *API) visitFor(r *http.Request) (mtvp.Visit, mtvp.Practice, error) {
	return practiceRecordFor(a, r, a.db.VisitByID, func(v mtvp.Visit) int64 { return v.PracticeID },
		func(u *mtvp.User, p *mtvp.Practice, v *mtvp.Visit) bool { return u.CanSeeVisit(p, v) })
}

// visitQuery reads the page and ?year= (0: every year); other parameters
// in allowed.
func visitQuery(r *http.Request, allowed ...string) (page, int, error) {
	pg, err := pageParams(r, append(allowed, "year")...)
	if err != nil {
		return pg, 0, err
	}
	year, err := queryYear(r.URL.Query(), "year", 0)
	return pg, year, err
}

// ---- handlers ----

func (a *API) listRegionVisits(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanSeeMyVisits(reg.ID) {
		return errForbidden
	}
	q := r.URL.Query()
	pg, year, err := visitQuery(r, "consultant_id", "status")
	if err != nil {
		return err
	}
	f := store.VisitFilter{RegionID: reg.ID, Year: year}
	if s := q.Get("consultant_id"); s != "" {
		if f.ConsultantID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return badRequest("api.err.query_value", "consultant_id")
		}
	}
	if !u.CanSeeVisitCoverage(reg.ID) {
		// A consultant lists the visits of their own practices.
		f.ConsultantID = u.ID
	}
	status := mtvp.VisitStatus(q.Get("status"))
	if status != "" && !status.Valid() {
		return badRequest("api.err.query_value", "status")
	}
	vs, err := a.db.ListVisits(r.Context(), f)
	if err != nil {
		return err
	}
	items := []visitJSON{}
	for _, v := range vs {
		if status == "" || v.Status == status {
			items = append(items, visitToJSON(v))
		}
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) listPracticeVisits(w http.ResponseWriter, r *http.Request) error {
	p, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanSeeVisits(&p) {
		return errNotFound
	}
	pg, year, err := visitQuery(r)
	if err != nil {
		return err
	}
	vs, err := a.db.ListVisits(r.Context(), store.VisitFilter{PracticeID: p.ID, Year: year, OnlyRecorded: !u.CanManageVisits(&p)})
	if err != nil {
		return err
	}
	items := []visitJSON{}
	for _, v := range vs {
		items = append(items, visitToJSON(v))
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) createVisit(w http.ResponseWriter, r *http.Request) error {
	p, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanSeeVisits(&p) {
		return errNotFound
	}
	if !u.CanManageVisits(&p) {
		return errForbidden
	}
	var in visitPlanJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	v := mtvp.Visit{PracticeID: p.ID, PlannedOn: in.PlannedOn.check(f, "planned_on"), ConsultantID: in.ConsultantID}
	if v.ConsultantID != 0 && v.ConsultantID != p.ConsultantID && !u.CanAssignVisitConsultant(p.RegionID) {
		f.Add("consultant_id", "visit.err.consultant_admin_only")
	}
	if in.Status != "" && in.Status != mtvp.VisitPlanned {
		f.Add("status", "visit.err.status")
	}
	if len(f) > 0 {
		return invalid(f)
	}
	if v.PlannedOn.IsZero() {
		return invalid(mtvp.FieldErrors{"planned_on": "err.required"})
	}
	v.Year = v.PlannedOn.Year()
	if err := a.db.CreateVisit(r.Context(), actorOf(u), &v); err != nil {
		if visitFields(f, err) {
			return invalid(f)
		}
		return err
	}
	w.Header().Set("Location", "/api/v1/visits/"+strconv.FormatInt(v.ID, 10))
	writeJSON(w, http.StatusCreated, visitToJSON(v))
	return nil
}

func (a *API) getVisit(w http.ResponseWriter, r *http.Request) error {
	v, _, err := a.visitFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, visitToJSON(v))
	return nil
}

func (a *API) updateVisit(w http.ResponseWriter, r *http.Request) error {
	stored, p, err := a.visitFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanManageVisits(&p) {
		return errForbidden
	}
	in := visitPlanJSON{PlannedOn: dateOf(stored.PlannedOn), ConsultantID: stored.ConsultantID, Status: stored.Status}
	v := stored
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		v.PlannedOn, v.ConsultantID, v.Status = in.PlannedOn.check(f, "planned_on"), in.ConsultantID, in.Status
		if v.ConsultantID != stored.ConsultantID && !u.CanAssignVisitConsultant(p.RegionID) {
			f.Add("consultant_id", "visit.err.consultant_admin_only")
		}
		return nil
	})
	if err != nil {
		return err
	}
	v.Version = version
	if err := a.db.UpdateVisit(r.Context(), actorOf(u), &v); err != nil {
		return writeFailed(err, visitFields, storedAs(r.Context(), a.db.VisitByID, stored.ID, visitToJSON).conflict)
	}
	writeJSON(w, http.StatusOK, visitToJSON(v))
	return nil
}

func (a *API) recordVisit(w http.ResponseWriter, r *http.Request) error {
	stored, p, err := a.visitFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanManageVisits(&p) {
		return errForbidden
	}
	cur := visitToJSON(stored)
	in := visitOutcomeJSON{VisitedOn: cur.VisitedOn, Judgement: cur.Judgement, Findings: cur.Findings, Actions: cur.Actions}
	v := stored
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		v.VisitedOn, v.Judgement = in.VisitedOn.check(f, "visited_on"), in.Judgement
		v.Findings, v.Actions = nil, nil
		for _, x := range in.Findings {
			v.Findings = append(v.Findings, mtvp.VisitFinding{InterventionID: x.InterventionID, Deployment: x.Deployment, GoesWell: x.GoesWell, Obstacles: x.Obstacles, Solutions: x.Solutions})
		}
		for n, x := range in.Actions {
			v.Actions = append(v.Actions, mtvp.VisitAction{Description: x.Description, Owner: x.Owner, Due: x.Due.check(f, "actions."+strconv.Itoa(n)+".due"), Done: x.Done})
		}
		return nil
	})
	if err != nil {
		return err
	}
	v.Version = version
	if err := a.db.RecordVisit(r.Context(), actorOf(u), &v); err != nil {
		return writeFailed(err, visitFields, storedAs(r.Context(), a.db.VisitByID, stored.ID, visitToJSON).conflict)
	}
	writeJSON(w, http.StatusOK, visitToJSON(v))
	return nil
}
