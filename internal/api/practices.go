package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
)

// practiceJSON is a Practice on the wire. id, region_id, consultant_name,
// staff_count, gp_fte, created_at and updated_at are read-only (ignored
// when sent). staff_count and gp_fte appear in lists only.
type practiceJSON struct {
	ID                 int64               `json:"id"`
	RegionID           int64               `json:"region_id"`
	AGB                string              `json:"agb"`
	Name               string              `json:"name"`
	Street             string              `json:"street"`
	Postcode           string              `json:"postcode"`
	City               string              `json:"city"`
	RegisteredPatients int                 `json:"registered_patients"`
	ConsultantID       *int64              `json:"consultant_id"`
	ConsultantName     string              `json:"consultant_name"`
	JoinedOn           date                `json:"joined_on"`
	InflowWave         string              `json:"inflow_wave"`
	Status             mtvp.PracticeStatus `json:"status"`
	StaffCount         *int                `json:"staff_count,omitempty"`
	GPFTE              *float64            `json:"gp_fte,omitempty"`
	Version            *int                `json:"version"`
	CreatedAt          time.Time           `json:"created_at"`
	UpdatedAt          time.Time           `json:"updated_at"`
}

func practiceToJSON(p mtvp.Practice) practiceJSON {
	j := practiceJSON{
		ID: p.ID, RegionID: p.RegionID, AGB: p.AGB, Name: p.Name, Street: p.Street, Postcode: p.Postcode,
		City: p.City, RegisteredPatients: p.RegisteredPatients, ConsultantName: p.ConsultantName,
		JoinedOn: dateOf(p.JoinedOn), InflowWave: p.InflowWave, Status: p.Status,
		Version: intPtr(p.Version), CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC(),
	}
	if p.ConsultantID != 0 {
		id := p.ConsultantID
		j.ConsultantID = &id
	}
	return j
}

func practiceSummaryToJSON(s mtvp.PracticeSummary) practiceJSON {
	j := practiceToJSON(s.Practice)
	n, fte := s.StaffCount, s.GPFTE
	j.StaffCount, j.GPFTE = &n, &fte
	return j
}

// apply copies the writable fields onto p, collecting date errors.
func (j practiceJSON) apply(p *mtvp.Practice, f mtvp.FieldErrors) {
	p.AGB, p.Name, p.Street, p.Postcode, p.City = j.AGB, j.Name, j.Street, j.Postcode, j.City
	p.RegisteredPatients = j.RegisteredPatients
	p.ConsultantID = 0
	if j.ConsultantID != nil {
		p.ConsultantID = *j.ConsultantID
	}
	p.JoinedOn = j.JoinedOn.check(f, "joined_on")
	p.InflowWave = j.InflowWave
	p.Status = j.Status
}

// practiceFor loads {id} and checks the caller may see the practice (its
// people). Outside the caller's scope it is not found.
// practiceRecordFor loads the {id} record of a practice with get, then
// its practice; a login that may not see it (can) gets 404, as for a
// record that does not exist. Memberships, claims, proposals and visits
// share it.
func practiceRecordFor[T any](a *API, r *http.Request, get func(context.Context, int64) (T, error), practiceOf func(T) int64,
	can func(*mtvp.User, *mtvp.Practice, *T) bool) (T, mtvp.Practice, error) {
	var p mtvp.Practice
	id, err := pathID(r)
	if err != nil {
		var zero T
		return zero, p, err
	}
	rec, err := get(r.Context(), id)
	if err != nil {
		return rec, p, err
	}
	if p, err = a.db.PracticeByID(r.Context(), practiceOf(rec)); err != nil {
		return rec, p, err
	}
	if !can(userOf(r), &p, &rec) {
		return rec, p, errNotFound
	}
	return rec, p, nil
}

func (a *API) practiceFor(r *http.Request) (mtvp.Practice, error) {
	id, err := pathID(r)
	if err != nil {
		return mtvp.Practice{}, err
	}
	p, err := a.db.PracticeByID(r.Context(), id)
	if err != nil {
		return p, err
	}
	if !userOf(r).CanSeePractice(&p) {
		return p, errNotFound
	}
	return p, nil
}

// practiceFilter reads the list's query parameters; unknown parameters and
// bad values are 400.
func practiceFilter(q url.Values, regionID int64) (mtvp.PracticeFilter, error) {
	f := mtvp.PracticeFilter{RegionID: regionID}
	f.Query = q.Get("q")
	f.InflowWave = q.Get("inflow_wave")
	if s := q.Get("status"); s != "" {
		f.Status = mtvp.PracticeStatus(s)
		if !f.Status.Valid() {
			return f, badRequest("api.err.query_value", "status")
		}
	}
	if s := q.Get("consultant_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return f, badRequest("api.err.query_value", "consultant_id")
		}
		f.ConsultantID = id
	}
	return f, nil
}

// listPractices: region admins see all, consultants their own practices
// (PracticeScope); other members of the region get 403.
func (a *API) listPractices(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r, "q", "status", "consultant_id", "inflow_wave")
	if err != nil {
		return err
	}
	f, err := practiceFilter(r.URL.Query(), reg.ID)
	if err != nil {
		return err
	}
	f, ok := u.PracticeScope(f)
	if !ok {
		return errForbidden
	}
	rows, err := a.db.ListPractices(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]practiceJSON, 0, len(rows))
	for _, s := range rows {
		items = append(items, practiceSummaryToJSON(s))
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) getPractice(w http.ResponseWriter, r *http.Request) error {
	p, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, practiceToJSON(p))
	return nil
}

// createPractice: region admins.
func (a *API) createPractice(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	if !u.CanAdminRegion(reg.ID) {
		return errForbidden
	}
	in := practiceToJSON(mtvp.Practice{})
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	p := mtvp.Practice{RegionID: reg.ID}
	in.apply(&p, f)
	p.Normalize()
	mergeInvalid(f, p.Validate(), "")
	if len(f) > 0 {
		return invalid(f)
	}
	if err := a.db.CreatePractice(r.Context(), actorOf(u), &p); err != nil {
		if mergeInvalid(f, err, "") {
			return invalid(f)
		}
		return err
	}
	saved, err := a.db.PracticeByID(r.Context(), p.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/practices/"+strconv.FormatInt(saved.ID, 10))
	writeJSON(w, http.StatusCreated, practiceToJSON(saved))
	return nil
}

// adminFields are the practice fields only region admins may change
// (CanEditPracticeAdmin); the rest are details.
func adminFieldsChanged(old, new *mtvp.Practice) mtvp.FieldErrors {
	f := mtvp.FieldErrors{}
	if old.AGB != new.AGB {
		f.Add("agb", "api.err.admin_only")
	}
	if old.ConsultantID != new.ConsultantID {
		f.Add("consultant_id", "api.err.admin_only")
	}
	if !old.JoinedOn.Equal(new.JoinedOn) {
		f.Add("joined_on", "api.err.admin_only")
	}
	if old.InflowWave != new.InflowWave {
		f.Add("inflow_wave", "api.err.admin_only")
	}
	if old.Status != new.Status {
		f.Add("status", "api.err.admin_only")
	}
	return f
}

// updatePractice: details (name, address, registered patients) by the
// practice itself or the region; administrative fields (agb,
// consultant_id, joined_on, inflow_wave, status) by region admins only. A
// practice login that sends a changed administrative field gets 403 naming
// the fields, and nothing is saved; sending them unchanged (as read with
// GET) is fine.
func (a *API) updatePractice(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	stored, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	if !u.CanEditPracticeDetails(&stored) {
		return errForbidden
	}
	in := practiceToJSON(stored)
	p := stored
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		in.apply(&p, f)
		p.Normalize()
		if !u.CanEditPracticeAdmin(&stored) {
			orig := stored
			orig.Normalize()
			if changed := adminFieldsChanged(&orig, &p); len(changed) > 0 {
				// Refused whatever else is wrong with the body.
				return &apiError{status: http.StatusForbidden, code: mtvp.EFORBIDDEN, key: "api.err.admin_fields", fields: changed}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if version != stored.Version {
		return conflict(practiceToJSON(stored))
	}
	f := mtvp.FieldErrors{}
	mergeInvalid(f, p.Validate(), "")
	if len(f) > 0 {
		return invalid(f)
	}
	cur := storedAs(r.Context(), a.db.PracticeByID, stored.ID, practiceToJSON)
	if err := a.db.UpdatePractice(r.Context(), actorOf(u), &p); err != nil {
		return writeFailed(err, asOnWire, cur.conflict)
	}
	return cur.write(w, http.StatusOK)
}
