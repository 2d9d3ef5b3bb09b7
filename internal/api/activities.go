package api

// Learning activities over the API (issue 16 §1): a region's activities
// (list, create) and an activity's sign-ups (list, sign up). The seat and
// waiting-list rule is the shared one (mtvp.SeatTaken / PromoteWaiting).

import (
	"net/http"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func (a *API) activityRoutes() []route {
	return []route{
		{"GET /api/v1/regions/{code}/activities", false, a.listActivities},
		{"POST /api/v1/regions/{code}/activities", false, a.createActivity},
		{"PUT /api/v1/activities/{id}", false, a.updateActivity},
		{"DELETE /api/v1/activities/{id}", false, a.deleteActivity},
		{"GET /api/v1/activities/{id}/signups", false, a.listActivitySignUps},
		{"POST /api/v1/activities/{id}/signups", false, a.createActivitySignUp},
	}
}

type activityJSON struct {
	ID             int64     `json:"id"`
	RegionID       int64     `json:"region_id"`
	Kind           string    `json:"kind"`
	Title          string    `json:"title"`
	Description    string    `json:"description"`
	Date           date      `json:"date"`
	StartTime      string    `json:"start_time"`
	EndTime        string    `json:"end_time"`
	Place          string    `json:"place"`
	Capacity       int       `json:"capacity"`
	HostPracticeID int64     `json:"host_practice_id,omitempty"`
	HostStatus     string    `json:"host_status,omitempty"`
	ScanBy         string    `json:"scan_by,omitempty"`
	ScanConsultant int64     `json:"scan_consultant_id,omitempty"`
	Placed         int       `json:"placed"`
	Waiting        int       `json:"waiting"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

func activityToJSON(x mtvp.Activity) activityJSON {
	return activityJSON{ID: x.ID, RegionID: x.RegionID, Kind: x.Kind, Title: x.Title, Description: x.Description, Date: dateOf(x.Date),
		StartTime: x.StartTime, EndTime: x.EndTime, Place: x.Place, Capacity: x.Capacity, HostPracticeID: x.HostPracticeID,
		HostStatus: string(x.HostStatus), ScanBy: x.ScanBy, ScanConsultant: x.ScanConsultantID, Placed: x.Placed, Waiting: x.Waiting,
		Version: x.Version, CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt}
}

type activitySignUpJSON struct {
	ID         int64                `json:"id"`
	ActivityID int64                `json:"activity_id"`
	PersonID   int64                `json:"person_id"`
	PersonName string               `json:"person_name"`
	PracticeID int64                `json:"practice_id"`
	Status     mtvp.EnrolmentStatus `json:"status"`
	Position   int                  `json:"position,omitempty"`
	Attended   *bool                `json:"attended"`
	Version    int                  `json:"version"`
}

func activitySignUpToJSON(x mtvp.ActivitySignUp) activitySignUpJSON {
	return activitySignUpJSON{ID: x.ID, ActivityID: x.ActivityID, PersonID: x.PersonID, PersonName: x.PersonName, PracticeID: x.PracticeID,
		Status: x.Status, Position: x.Position, Attended: x.Attended, Version: x.Version}
}

// activityRegion: the region's activities are for its working roles (not
// funders).
func (a *API) activityRegion(r *http.Request) (mtvp.Region, error) {
	reg, err := a.regionFor(r)
	if err != nil {
		return reg, err
	}
	if !userOf(r).CanSeeActivities(reg.ID) {
		return reg, errForbidden
	}
	return reg, nil
}

func (a *API) listActivities(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.activityRegion(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r, "kind")
	if err != nil {
		return err
	}
	list, err := a.db.Activities(r.Context(), store.ActivityFilter{RegionID: reg.ID, Kind: r.URL.Query().Get("kind")})
	if err != nil {
		return err
	}
	items := []activityJSON{}
	for _, x := range list {
		items = append(items, activityToJSON(x))
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) createActivity(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.activityRegion(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanManageActivities(reg.ID) {
		return errForbidden
	}
	var in activityJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	x := mtvp.Activity{RegionID: reg.ID, Kind: in.Kind, Title: in.Title, Description: in.Description, Date: in.Date.check(f, "date"),
		StartTime: in.StartTime, EndTime: in.EndTime, Place: in.Place, Capacity: in.Capacity, HostPracticeID: in.HostPracticeID,
		ScanBy: in.ScanBy, ScanConsultantID: in.ScanConsultant}
	if len(f) > 0 {
		return invalid(f)
	}
	if err := a.db.CreateActivity(r.Context(), actorOf(u), &x); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/activities/"+strconv.FormatInt(x.ID, 10)+"/signups")
	writeJSON(w, http.StatusCreated, activityToJSON(x))
	return nil
}

// activityFor loads {id} and checks the caller works in its region.
func (a *API) activityFor(r *http.Request) (mtvp.Activity, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return mtvp.Activity{}, errNotFound
	}
	x, err := a.db.ActivityByID(r.Context(), id)
	if err != nil {
		return x, err
	}
	u := userOf(r)
	if !u.CanSeeRegion(x.RegionID) {
		return x, errNotFound
	}
	if !u.CanSeeActivities(x.RegionID) {
		return x, errForbidden
	}
	return x, nil
}

// listActivitySignUps: managers see every sign-up; a practice only its
// own people's.
func (a *API) listActivitySignUps(w http.ResponseWriter, r *http.Request) error {
	x, err := a.activityFor(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	all, err := a.db.ActivitySignUps(r.Context(), x.ID, 0)
	if err != nil {
		return err
	}
	manage := u.CanManageActivities(x.RegionID)
	own := map[int64]bool{}
	for _, id := range u.PracticeIDs() {
		own[id] = true
	}
	items := []activitySignUpJSON{}
	for _, s := range all {
		if manage || own[s.PracticeID] {
			items = append(items, activitySignUpToJSON(s))
		}
	}
	writePage(w, pg, items)
	return nil
}

type activitySignUpRequest struct {
	PersonID   int64 `json:"person_id"`
	PracticeID int64 `json:"practice_id"`
}

func (a *API) createActivitySignUp(w http.ResponseWriter, r *http.Request) error {
	x, err := a.activityFor(r)
	if err != nil {
		return err
	}
	var in activitySignUpRequest
	if err := decode(r, &in); err != nil {
		return err
	}
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
	u := userOf(r)
	p, err := a.db.PracticeByID(r.Context(), in.PracticeID)
	if err != nil || p.RegionID != x.RegionID || !u.CanSeePractice(&p) {
		f.Add("practice_id", "training.err.practice_unknown")
		return invalid(f)
	}
	if !u.CanSignUpForActivity(&p) {
		return errForbidden
	}
	s := mtvp.ActivitySignUp{ActivityID: x.ID, PersonID: in.PersonID, PracticeID: p.ID}
	if err := a.db.SignUpForActivity(r.Context(), actorOf(u), &s); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/activities/"+strconv.FormatInt(x.ID, 10)+"/signups")
	writeJSON(w, http.StatusCreated, activitySignUpToJSON(s))
	return nil
}

// activityUpdate is the body of PUT /activities/{id}: an activity as read
// (fields left out keep their value), version required. Kind, host
// practice and scan settings cannot change.
type activityUpdate struct {
	activityJSON
	Version *int `json:"version"`
}

// activityManaged loads {id} for a caller who may manage its region's
// activities.
func (a *API) activityManaged(r *http.Request) (mtvp.Activity, error) {
	x, err := a.activityFor(r)
	if err != nil {
		return x, err
	}
	if !userOf(r).CanManageActivities(x.RegionID) {
		return x, errForbidden
	}
	return x, nil
}

// updateActivity edits title, description, date, times, place and
// capacity: 409 with the current activity on a stale version, 422 naming
// the field (a capacity below the placed count too); a raised capacity
// places people from the waiting list.
func (a *API) updateActivity(w http.ResponseWriter, r *http.Request) error {
	stored, err := a.activityManaged(r)
	if err != nil {
		return err
	}
	in := activityUpdate{activityJSON: activityToJSON(stored)}
	var e mtvp.Activity
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		if in.Kind != stored.Kind {
			f.Add("kind", "activity.edit_kind_fixed")
		}
		if in.HostPracticeID != stored.HostPracticeID {
			f.Add("host_practice_id", "activity.edit_kind_fixed")
		}
		if in.ScanBy != stored.ScanBy || in.ScanConsultant != stored.ScanConsultantID {
			f.Add("scan_by", "activity.edit_kind_fixed")
		}
		e = mtvp.Activity{ID: stored.ID, Title: in.Title, Description: in.Description, Date: in.Date.check(f, "date"), StartTime: in.StartTime,
			EndTime: in.EndTime, Place: in.Place, Capacity: in.Capacity}
		return nil
	})
	if err != nil {
		return err
	}
	e.Version = version
	if e.Version != stored.Version {
		return conflict(activityToJSON(stored))
	}
	if err := a.db.UpdateActivity(r.Context(), actorOf(userOf(r)), &e, a.opts.Mail.ActivityMails); err != nil {
		return writeFailed(err, asOnWire, storedAs(r.Context(), a.db.ActivityByID, stored.ID, activityToJSON).conflict)
	}
	writeJSON(w, http.StatusOK, activityToJSON(e))
	return nil
}

// deleteActivity cancels an activity with its sign-ups (?version= the
// current version) and answers the activity as it was: 409 on a stale
// version, 422 once it took place or attendance was recorded.
func (a *API) deleteActivity(w http.ResponseWriter, r *http.Request) error {
	stored, err := a.activityManaged(r)
	if err != nil {
		return err
	}
	v, err := strconv.Atoi(r.URL.Query().Get("version"))
	if err != nil {
		f := mtvp.FieldErrors{}
		requireVersion(f, nil)
		return invalid(f)
	}
	if v != stored.Version {
		return conflict(activityToJSON(stored))
	}
	if err := a.db.DeleteActivity(r.Context(), actorOf(userOf(r)), stored.ID, v, a.opts.Mail.ActivityMails); err != nil {
		return writeFailed(err, asOnWire, storedAs(r.Context(), a.db.ActivityByID, stored.ID, activityToJSON).conflict)
	}
	writeJSON(w, http.StatusOK, activityToJSON(stored))
	return nil
}
