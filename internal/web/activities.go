package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"meertijd/internal/i18n"
	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Learning activities (issue 16 §1): list per kind, create, detail with
// sign-up / cancel / waiting list / attendance, the host's answer to a
// shadowing request, a scan's result document, and an .ics per activity.

func (s *Server) activityRoutes() []route {
	const base = "/regio/{region}/activiteiten"
	const one = base + "/{activity}"
	return []route{
		{"GET " + base, signedIn, s.getActivities},
		{"GET " + base + "/nieuw", signedIn, s.getNewActivity},
		{"POST " + base, signedIn, s.postNewActivity},
		{"POST " + base + "/soorten", signedIn, s.postActivityKind},
		{"GET " + one, signedIn, s.getActivity},
		{"GET " + one + "/agenda.ics", signedIn, s.getActivityICS},
		{"GET " + one + "/wijzigen", signedIn, s.getEditActivity},
		{"POST " + one + "/wijzigen", signedIn, s.postEditActivity},
		{"POST " + one + "/schrappen", signedIn, s.postDeleteActivity},
		{"POST " + one + "/inschrijvingen", signedIn, s.postActivitySignUp},
		{"POST " + one + "/inschrijvingen/{signup}/afmelden", signedIn, s.postActivityCancel},
		{"POST " + one + "/inschrijvingen/{signup}/aanwezigheid", signedIn, s.postActivityAttendance},
		{"POST " + one + "/antwoord", signedIn, s.postActivityAnswer},
		{"POST " + one + "/resultaat", signedIn, s.postActivityResult},
		{"GET " + one + "/resultaat", signedIn, s.getActivityResult},
	}
}

func activitiesURL(reg mtvp.Region) string {
	return "/regio/" + url.PathEscape(reg.Code) + "/activiteiten"
}

func activityURL(reg mtvp.Region, id int64) string {
	return activitiesURL(reg) + "/" + strconv.FormatInt(id, 10)
}

// activityRegion: the region whose activities the user sees (404 outside,
// and for funders: counts only live in their reports).
func (s *Server) activityRegion(r *http.Request) (mtvp.Region, error) {
	reg, err := s.regionFor(r)
	if err != nil {
		return reg, err
	}
	if !currentUser(r).CanSeeActivities(reg.ID) {
		return reg, notFound
	}
	return reg, nil
}

// activityOf loads {activity} of the region.
func (s *Server) activityOf(r *http.Request) (mtvp.Region, mtvp.Activity, error) {
	reg, err := s.activityRegion(r)
	if err != nil {
		return reg, mtvp.Activity{}, err
	}
	id, err := pathID(r, "activity")
	if err != nil {
		return reg, mtvp.Activity{}, err
	}
	a, err := s.db.ActivityByID(r.Context(), id)
	if err != nil {
		return reg, a, err
	}
	if a.RegionID != reg.ID {
		return reg, a, notFound
	}
	return reg, a, nil
}

// kindLabel names a kind: built-ins translated, added kinds by the
// region's name.
func kindLabel(lang string, kinds []mtvp.ActivityKind, code string) string {
	if mtvp.IsBuiltinKind(code) {
		return i18n.T(lang, "activity.kind."+code)
	}
	for _, k := range kinds {
		if k.Code == code {
			return k.Name
		}
	}
	return code
}

type activityKindView struct {
	mtvp.ActivityKind
	Label    string
	Current  bool
	Settings []option // what the kind may count towards, the current one selected
}

// kindSettings are the select's options for a kind: every setting, and a
// kind set to "a norm" before norms were named keeps that (invalid) choice
// shown until the region picks one.
func kindSettings(lang string, k mtvp.ActivityKind) []option {
	cur := k.Setting()
	var out []option
	found := false
	for _, v := range mtvp.ActivitySettings() {
		out = append(out, option{Value: v, Label: i18n.T(lang, "activity.setting."+v), Selected: v == cur})
		found = found || v == cur
	}
	if !found {
		out = append([]option{{Value: cur, Label: i18n.T(lang, "activity.setting.norm:"), Selected: true}}, out...)
	}
	return out
}

type activityRow struct {
	mtvp.Activity
	KindLabel string
}

type activitiesData struct {
	Region    mtvp.Region
	Base      string
	Kinds     []activityKindView
	Kind      string
	Rows      []activityRow
	CanManage bool
	CanKinds  bool
	NewKind   string
}

func (s *Server) getActivities(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.activityRegion(r)
	if err != nil {
		return err
	}
	return s.renderActivities(w, r, reg, http.StatusOK, nil, "")
}

func (s *Server) activityKinds(r *http.Request, reg mtvp.Region, current string) ([]mtvp.ActivityKind, []activityKindView, error) {
	kinds, err := s.db.ActivityKinds(r.Context(), reg.ID)
	if err != nil {
		return nil, nil, err
	}
	lang := s.lang(r)
	views := make([]activityKindView, 0, len(kinds))
	for _, k := range kinds {
		views = append(views, activityKindView{ActivityKind: k, Label: kindLabel(lang, kinds, k.Code), Current: k.Code == current, Settings: kindSettings(lang, k)})
	}
	return kinds, views, nil
}

func (s *Server) renderActivities(w http.ResponseWriter, r *http.Request, reg mtvp.Region, status int, errs mtvp.FieldErrors, newKind string) error {
	u := currentUser(r)
	kind := r.URL.Query().Get("soort")
	kinds, views, err := s.activityKinds(r, reg, kind)
	if err != nil {
		return err
	}
	d := activitiesData{Region: reg, Base: activitiesURL(reg), Kinds: views, Kind: kind, CanManage: u.CanManageActivities(reg.ID),
		CanKinds: u.CanSetActivityKinds(reg.ID), NewKind: newKind}
	list, err := s.db.Activities(r.Context(), store.ActivityFilter{RegionID: reg.ID, Kind: kind})
	if err != nil {
		return err
	}
	lang := s.lang(r)
	for _, a := range list {
		d.Rows = append(d.Rows, activityRow{Activity: a, KindLabel: kindLabel(lang, kinds, a.Kind)})
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "activities"
	v.Errors = errs
	return s.render(w, r, status, "activities", v)
}

// postActivityKind stores what a kind counts towards, or adds a kind.
func (s *Server) postActivityKind(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.activityRegion(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanSetActivityKinds(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "not a region admin")
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	k := mtvp.ActivityKind{RegionID: reg.ID, Code: r.PostFormValue("code"), Version: formVersion(r)}
	k.Counts, k.Norm = mtvp.ParseActivitySetting(r.PostFormValue("counts"))
	if k.Code == "" {
		k.Code, k.Name, k.Version = mtvp.KindCode(name), name, 0
	}
	err = s.db.SaveActivityKind(r.Context(), actorOf(currentUser(r)), &k)
	switch {
	case err == nil:
		s.flash(r, "activity.kind_saved")
		http.Redirect(w, r, activitiesURL(reg)+"#soorten", http.StatusSeeOther)
		return nil
	case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
		return err
	}
	errs := mtvp.FieldErrors{}
	if !mergeErrors(errs, err) {
		return err
	}
	return s.renderActivities(w, r, reg, http.StatusUnprocessableEntity, errs, name)
}

// ---- create ----

type activityForm struct {
	Kind, Title, Description, Date, StartTime, EndTime, Place, Capacity, HostPractice, ScanBy, ScanConsultant string
}

type activityFormData struct {
	Region mtvp.Region
	Base   string
	Form   activityForm
	// Editing an activity: the form posts to Action with Version and the
	// values it was opened with (orig_*); kind and practice stay.
	Edit        bool
	Action      string
	Back        string
	Version     int
	Orig        []hiddenField
	Conflict    []conflictRow
	KindLabel   string
	HostName    string
	StoredTitle string
	Kinds       []option
	Practices   []option
	Consultants []option
}

func (s *Server) activityManageRegion(r *http.Request) (mtvp.Region, error) {
	reg, err := s.activityRegion(r)
	if err != nil {
		return reg, err
	}
	if !currentUser(r).CanManageActivities(reg.ID) {
		return reg, mtvp.Errorf(mtvp.EFORBIDDEN, "may not manage activities")
	}
	return reg, nil
}

func (s *Server) getNewActivity(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.activityManageRegion(r)
	if err != nil {
		return err
	}
	f := activityForm{Kind: r.URL.Query().Get("soort"), Capacity: "20", StartTime: "19:00", EndTime: "21:00"}
	return s.renderActivityForm(w, r, reg, http.StatusOK, f, nil)
}

func (s *Server) renderActivityForm(w http.ResponseWriter, r *http.Request, reg mtvp.Region, status int, f activityForm, errs mtvp.FieldErrors) error {
	d := activityFormData{Region: reg, Base: activitiesURL(reg), Form: f, Action: activitiesURL(reg), Back: activitiesURL(reg)}
	return s.renderActivityFormData(w, r, reg, status, d, errs, "")
}

func (s *Server) renderActivityFormData(w http.ResponseWriter, r *http.Request, reg mtvp.Region, status int, d activityFormData, errs mtvp.FieldErrors, errKey string) error {
	ctx := r.Context()
	lang := s.lang(r)
	kinds, err := s.db.ActivityKinds(ctx, reg.ID)
	if err != nil {
		return err
	}
	for _, k := range kinds {
		d.Kinds = append(d.Kinds, option{Value: k.Code, Label: kindLabel(lang, kinds, k.Code)})
	}
	ps, err := s.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return err
	}
	for _, p := range ps {
		d.Practices = append(d.Practices, option{Value: strconv.FormatInt(p.ID, 10), Label: p.Name})
	}
	cs, err := s.db.Consultants(ctx, reg.ID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		d.Consultants = append(d.Consultants, option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name})
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "activities"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "activity_form", v)
}

func (s *Server) postNewActivity(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.activityManageRegion(r)
	if err != nil {
		return err
	}
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := activityForm{Kind: g("kind"), Title: g("title"), Description: g("description"), Date: g("date"), StartTime: g("start_time"),
		EndTime: g("end_time"), Place: g("place"), Capacity: g("capacity"), HostPractice: g("host_practice"), ScanBy: g("scan_by"), ScanConsultant: g("scan_consultant")}
	errs := mtvp.FieldErrors{}
	a := mtvp.Activity{RegionID: reg.ID, Kind: f.Kind, Title: f.Title, Description: f.Description, StartTime: f.StartTime, EndTime: f.EndTime,
		Place: f.Place, ScanBy: f.ScanBy}
	a.Date = formDate(r, "date", errs)
	a.Capacity = formInt(r, "capacity", errs)
	a.HostPracticeID, _ = strconv.ParseInt(f.HostPractice, 10, 64)
	a.ScanConsultantID, _ = strconv.ParseInt(f.ScanConsultant, 10, 64)
	if len(errs) == 0 {
		err := s.db.CreateActivity(r.Context(), actorOf(currentUser(r)), &a)
		if err == nil {
			s.flash(r, "activity.created")
			http.Redirect(w, r, activityURL(reg, a.ID), http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(errs, err) {
			return err
		}
	}
	return s.renderActivityForm(w, r, reg, http.StatusUnprocessableEntity, f, errs)
}

// ---- edit and cancel ----

// activityEditFields are the form fields an edit changes, in form order.
var activityEditFields = []string{"title", "date", "start_time", "end_time", "place", "capacity", "description"}

func activityFormOf(a mtvp.Activity) activityForm {
	return activityForm{Kind: a.Kind, Title: a.Title, Description: a.Description, Date: a.Date.String(), StartTime: a.StartTime, EndTime: a.EndTime,
		Place: a.Place, Capacity: strconv.Itoa(a.Capacity)}
}

func (f activityForm) value(field string) string {
	return map[string]string{"title": f.Title, "date": f.Date, "start_time": f.StartTime, "end_time": f.EndTime, "place": f.Place,
		"capacity": f.Capacity, "description": f.Description}[field]
}

// activityEditForm reads the edited fields by get (a form value by field
// name), trimmed.
func activityEditForm(get func(string) string) activityForm {
	g := func(k string) string { return strings.TrimSpace(get(k)) }
	return activityForm{Title: g("title"), Description: g("description"), Date: g("date"), StartTime: g("start_time"), EndTime: g("end_time"),
		Place: g("place"), Capacity: g("capacity")}
}

// activityManaged loads {activity} for a user who may manage the region's
// activities.
func (s *Server) activityManaged(r *http.Request) (mtvp.Region, mtvp.Activity, error) {
	reg, a, err := s.activityOf(r)
	if err != nil {
		return reg, a, err
	}
	if !currentUser(r).CanManageActivities(reg.ID) {
		return reg, a, mtvp.Errorf(mtvp.EFORBIDDEN, "may not manage activities")
	}
	return reg, a, nil
}

// editFormData is the edit form of the stored activity a showing f, with
// orig the values the user opened it with.
func (s *Server) editFormData(r *http.Request, reg mtvp.Region, a mtvp.Activity, f activityForm, orig activityForm) activityFormData {
	lang := s.lang(r)
	d := activityFormData{Region: reg, Base: activitiesURL(reg), Form: f, Edit: true, Action: activityURL(reg, a.ID) + "/wijzigen",
		Back: activityURL(reg, a.ID), Version: a.Version, HostName: a.HostPracticeName, StoredTitle: a.Title}
	if kinds, err := s.db.ActivityKinds(r.Context(), reg.ID); err == nil {
		d.KindLabel = kindLabel(lang, kinds, a.Kind)
	}
	for _, k := range activityEditFields {
		d.Orig = append(d.Orig, hiddenField{Name: "orig_" + k, Value: orig.value(k)})
	}
	return d
}

func (s *Server) getEditActivity(w http.ResponseWriter, r *http.Request) error {
	reg, a, err := s.activityManaged(r)
	if err != nil {
		return err
	}
	f := activityFormOf(a)
	return s.renderActivityFormData(w, r, reg, http.StatusOK, s.editFormData(r, reg, a, f, f), nil, "")
}

// postEditActivity saves an edit: 422 naming the field, 409 with the
// current values (and what changed since the form was opened) when someone
// else saved first; nothing is saved then.
func (s *Server) postEditActivity(w http.ResponseWriter, r *http.Request) error {
	reg, stored, err := s.activityManaged(r)
	if err != nil {
		return err
	}
	f := activityEditForm(func(k string) string { return r.PostFormValue(k) })
	f.Kind = stored.Kind
	orig := activityEditForm(func(k string) string { return r.PostFormValue("orig_" + k) })
	errs := mtvp.FieldErrors{}
	e := mtvp.Activity{ID: stored.ID, Version: formVersion(r), Title: f.Title, Description: f.Description, StartTime: f.StartTime, EndTime: f.EndTime, Place: f.Place}
	e.Date = formDate(r, "date", errs)
	e.Capacity = formInt(r, "capacity", errs)
	if e.Version != stored.Version {
		return s.activityConflict(w, r, reg, stored, f, orig)
	}
	if len(errs) == 0 {
		err := s.db.UpdateActivity(r.Context(), actorOf(currentUser(r)), &e, s.mail.ActivityMails)
		switch {
		case err == nil:
			s.flash(r, "activity.saved")
			http.Redirect(w, r, activityURL(reg, stored.ID), http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			cur, err := s.db.ActivityByID(r.Context(), stored.ID)
			if err != nil {
				return err
			}
			return s.activityConflict(w, r, reg, cur, f, orig)
		case !mergeErrors(errs, err):
			return err
		}
	}
	d := s.editFormData(r, reg, stored, f, orig)
	d.Version = e.Version
	return s.renderActivityFormData(w, r, reg, http.StatusUnprocessableEntity, d, errs, "")
}

// activityConflict answers 409, nothing saved: a table of what someone
// else changed (then, now, what the user typed) above the form, which
// keeps the user's input and now carries the current version (as on the
// practice form).
func (s *Server) activityConflict(w http.ResponseWriter, r *http.Request, reg mtvp.Region, cur mtvp.Activity, typed, orig activityForm) error {
	lang := s.lang(r)
	now := activityFormOf(cur)
	d := s.editFormData(r, reg, cur, typed, now)
	for _, k := range activityEditFields {
		if orig.value(k) == now.value(k) {
			continue
		}
		d.Conflict = append(d.Conflict, conflictRow{Label: i18n.T(lang, "activity.f."+k), Then: dash(orig.value(k)), Now: dash(now.value(k)), Yours: dash(typed.value(k))})
	}
	return s.renderActivityFormData(w, r, reg, http.StatusConflict, d, nil, "activity.conflict")
}

// postDeleteActivity cancels an activity with its sign-ups after a
// confirmation step; refused (422) once it took place or attendance was
// recorded.
func (s *Server) postDeleteActivity(w http.ResponseWriter, r *http.Request) error {
	reg, a, err := s.activityManaged(r)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	if ok, err := s.confirmed(w, r, confirmData{Title: i18n.T(lang, "activity.confirm_delete_title"),
		Message: i18n.T(lang, "activity.confirm_delete", a.Title, a.Placed+a.Waiting), Button: i18n.T(lang, "activity.delete"),
		Back: activityURL(reg, a.ID)}, "version"); !ok {
		return err
	}
	err = s.db.DeleteActivity(r.Context(), actorOf(currentUser(r)), a.ID, formVersion(r), s.mail.ActivityMails)
	if err != nil {
		errs := mtvp.FieldErrors{}
		if !mergeErrors(errs, err) {
			return err
		}
		return s.renderActivity(w, r, reg, a, http.StatusUnprocessableEntity, errs, "")
	}
	s.flash(r, "activity.deleted")
	http.Redirect(w, r, activitiesURL(reg), http.StatusSeeOther)
	return nil
}

// ---- detail ----

type activityData struct {
	Region     mtvp.Region
	Base       string
	Activity   mtvp.Activity
	KindLabel  string
	Setting    string // the region's setting for the kind (mtvp.ActivityKind.Setting)
	ScanByName string
	CanManage  bool
	CanAnswer  bool
	CanResult  bool
	SignUps    []mtvp.ActivitySignUp
	People     []option // "practice:person" of the user's own practices
	Person     string
}

func (s *Server) getActivity(w http.ResponseWriter, r *http.Request) error {
	reg, a, err := s.activityOf(r)
	if err != nil {
		return err
	}
	return s.renderActivity(w, r, reg, a, http.StatusOK, nil, "")
}

// hostPractice loads the activity's host (or scanned) practice.
func (s *Server) hostPractice(r *http.Request, a mtvp.Activity) (*mtvp.Practice, error) {
	if a.HostPracticeID == 0 {
		return nil, nil
	}
	p, err := s.db.PracticeByID(r.Context(), a.HostPracticeID)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// ownPractices are the practices of the user's practice grants in the
// region whose people the user may sign up.
func (s *Server) ownPractices(r *http.Request, reg mtvp.Region) ([]mtvp.Practice, error) {
	return s.grantPractices(r, reg, (*mtvp.User).CanSignUpForActivity)
}

// grantPractices are the practices of the user's practice grants in the
// region for which can holds (activities, training proposals).
func (s *Server) grantPractices(r *http.Request, reg mtvp.Region, can func(*mtvp.User, *mtvp.Practice) bool) ([]mtvp.Practice, error) {
	u := currentUser(r)
	var out []mtvp.Practice
	for _, g := range u.Grants {
		if g.Role != mtvp.AccountPractice || g.RegionID != reg.ID {
			continue
		}
		p, err := s.db.PracticeByID(r.Context(), g.PracticeID)
		if err != nil {
			return nil, err
		}
		if can(u, &p) {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *Server) renderActivity(w http.ResponseWriter, r *http.Request, reg mtvp.Region, a mtvp.Activity, status int, errs mtvp.FieldErrors, person string) error {
	ctx := r.Context()
	u := currentUser(r)
	lang := s.lang(r)
	kinds, err := s.db.ActivityKinds(ctx, reg.ID)
	if err != nil {
		return err
	}
	d := activityData{Region: reg, Base: activitiesURL(reg), Activity: a, KindLabel: kindLabel(lang, kinds, a.Kind),
		CanManage: u.CanManageActivities(reg.ID), Person: person, ScanByName: a.ScanBy}
	for _, k := range kinds {
		if k.Code == a.Kind {
			d.Setting = k.Setting()
		}
	}
	host, err := s.hostPractice(r, a)
	if err != nil {
		return err
	}
	d.CanAnswer = a.Kind == mtvp.KindShadowing && u.CanAnswerShadowing(host)
	d.CanResult = a.Kind == mtvp.KindScan && (d.CanManage || u.CanSeePractice(host))
	if a.ScanConsultantID != 0 {
		if c, err := s.db.UserByID(ctx, a.ScanConsultantID); err == nil {
			d.ScanByName = c.Name
		}
	}
	own, err := s.ownPractices(r, reg)
	if err != nil {
		return err
	}
	if d.CanManage {
		if d.SignUps, err = s.db.ActivitySignUps(ctx, a.ID, 0); err != nil {
			return err
		}
	} else {
		for _, p := range own {
			xs, err := s.db.ActivitySignUps(ctx, a.ID, p.ID)
			if err != nil {
				return err
			}
			d.SignUps = append(d.SignUps, xs...)
		}
	}
	today := mtvp.DateOf(s.cfg.Now())
	for _, p := range own {
		if a.SignUpAllowed(p.ID, today) != nil {
			continue
		}
		staff, err := s.db.Staff(ctx, p.ID, false)
		if err != nil {
			return err
		}
		for _, m := range staff {
			label := m.Person.Name
			if len(own) > 1 {
				label += " (" + p.Name + ")"
			}
			d.People = append(d.People, option{Value: fmt.Sprintf("%d:%d", p.ID, m.Person.ID), Label: label})
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "activities"
	v.Errors = errs
	return s.render(w, r, status, "activity", v)
}

// postActivitySignUp: a practice signs up one of its own people.
func (s *Server) postActivitySignUp(w http.ResponseWriter, r *http.Request) error {
	reg, a, err := s.activityOf(r)
	if err != nil {
		return err
	}
	person := r.PostFormValue("person")
	var practiceID, personID int64
	if pr, pe, ok := strings.Cut(person, ":"); ok {
		practiceID, _ = strconv.ParseInt(pr, 10, 64)
		personID, _ = strconv.ParseInt(pe, 10, 64)
	}
	errs := mtvp.FieldErrors{}
	if practiceID == 0 || personID == 0 {
		errs.Add("person", "training.err.person_required")
		return s.renderActivity(w, r, reg, a, http.StatusUnprocessableEntity, errs, person)
	}
	p, err := s.db.PracticeByID(r.Context(), practiceID)
	if err != nil || p.RegionID != reg.ID || !currentUser(r).CanSeePractice(&p) {
		return notFound
	}
	if !currentUser(r).CanSignUpForActivity(&p) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not sign up for this practice")
	}
	x := mtvp.ActivitySignUp{ActivityID: a.ID, PracticeID: p.ID, PersonID: personID}
	err = s.db.SignUpForActivity(r.Context(), actorOf(currentUser(r)), &x)
	if err == nil {
		if x.Status == mtvp.EnrolmentWaiting {
			s.flash(r, "activity.signed_up_waiting")
		} else {
			s.flash(r, "activity.signed_up")
		}
		http.Redirect(w, r, activityURL(reg, a.ID)+"#inschrijvingen", http.StatusSeeOther)
		return nil
	}
	if !mergeErrors(errs, err) {
		return err
	}
	if m, ok := errs["activity"]; ok {
		delete(errs, "activity")
		errs.Add("person", m)
	}
	return s.renderActivity(w, r, reg, a, http.StatusUnprocessableEntity, errs, person)
}

// signUpOf loads {signup} of the activity and checks the user may act on
// it: the region's managers, or the practice that made it.
func (s *Server) signUpOf(r *http.Request, a mtvp.Activity, manageOnly bool) (mtvp.ActivitySignUp, error) {
	id, err := pathID(r, "signup")
	if err != nil {
		return mtvp.ActivitySignUp{}, err
	}
	x, err := s.db.ActivitySignUpByID(r.Context(), id)
	if err != nil {
		return x, err
	}
	if x.ActivityID != a.ID {
		return x, notFound
	}
	u := currentUser(r)
	if u.CanManageActivities(a.RegionID) {
		return x, nil
	}
	p, err := s.db.PracticeByID(r.Context(), x.PracticeID)
	if err != nil {
		return x, err
	}
	if !u.CanSeePractice(&p) {
		return x, notFound
	}
	if manageOnly || !u.CanSignUpForActivity(&p) {
		return x, mtvp.Errorf(mtvp.EFORBIDDEN, "may not change this sign-up")
	}
	return x, nil
}

func (s *Server) postActivityCancel(w http.ResponseWriter, r *http.Request) error {
	reg, a, err := s.activityOf(r)
	if err != nil {
		return err
	}
	x, err := s.signUpOf(r, a, false)
	if err != nil {
		return err
	}
	if err := s.db.CancelActivitySignUp(r.Context(), actorOf(currentUser(r)), x.ID, formVersion(r), s.mail.ActivityMails); err != nil {
		return err
	}
	s.flash(r, "activity.cancelled")
	http.Redirect(w, r, activityURL(reg, a.ID)+"#inschrijvingen", http.StatusSeeOther)
	return nil
}

func (s *Server) postActivityAttendance(w http.ResponseWriter, r *http.Request) error {
	reg, a, err := s.activityOf(r)
	if err != nil {
		return err
	}
	x, err := s.signUpOf(r, a, true)
	if err != nil {
		return err
	}
	err = s.db.SetActivityAttendance(r.Context(), actorOf(currentUser(r)), x.ID, formVersion(r), r.PostFormValue("attended") == "1")
	if err != nil {
		errs := mtvp.FieldErrors{}
		if !mergeErrors(errs, err) {
			return err
		}
		return s.renderActivity(w, r, reg, a, http.StatusUnprocessableEntity, errs, "")
	}
	s.flash(r, "activity.attendance_saved")
	http.Redirect(w, r, activityURL(reg, a.ID)+"#inschrijvingen", http.StatusSeeOther)
	return nil
}

// postActivityAnswer: the host practice accepts or declines shadowing.
func (s *Server) postActivityAnswer(w http.ResponseWriter, r *http.Request) error {
	reg, a, err := s.activityOf(r)
	if err != nil {
		return err
	}
	host, err := s.hostPractice(r, a)
	if err != nil {
		return err
	}
	if a.Kind != mtvp.KindShadowing || !currentUser(r).CanAnswerShadowing(host) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "not the host practice")
	}
	err = s.db.AnswerShadowing(r.Context(), actorOf(currentUser(r)), a.ID, formVersion(r), r.PostFormValue("answer") == "accept")
	if err != nil {
		errs := mtvp.FieldErrors{}
		if !mergeErrors(errs, err) {
			return err
		}
		return s.renderActivity(w, r, reg, a, http.StatusUnprocessableEntity, errs, "")
	}
	s.flash(r, "activity.answered")
	http.Redirect(w, r, activityURL(reg, a.ID), http.StatusSeeOther)
	return nil
}

// postActivityResult: a manager uploads a practice scan's result.
func (s *Server) postActivityResult(w http.ResponseWriter, r *http.Request) error {
	reg, a, err := s.activityOf(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanManageActivities(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not upload results")
	}
	errs := mtvp.FieldErrors{}
	ev, cleanup, err := readEvidenceUpload(w, r, "result", errs)
	if err != nil {
		return err
	}
	defer cleanup()
	if ev == nil && len(errs) == 0 {
		errs.Add("result", "activity.err.result_required")
	}
	if len(errs) == 0 {
		err := s.db.SetActivityResult(r.Context(), actorOf(currentUser(r)), a.ID, formVersion(r), *ev)
		if err == nil {
			s.flash(r, "activity.result_saved")
			http.Redirect(w, r, activityURL(reg, a.ID)+"#resultaat", http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(errs, err) {
			return err
		}
	}
	return s.renderActivity(w, r, reg, a, http.StatusUnprocessableEntity, errs, "")
}

// getActivityResult: the scan's result for the managers and the practice
// scanned.
func (s *Server) getActivityResult(w http.ResponseWriter, r *http.Request) error {
	_, a, err := s.activityOf(r)
	if err != nil {
		return err
	}
	host, err := s.hostPractice(r, a)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if a.Kind != mtvp.KindScan || !(u.CanManageActivities(a.RegionID) || u.CanSeePractice(host)) {
		return notFound
	}
	ev, err := s.db.ActivityResult(r.Context(), a.ID)
	if err != nil {
		return err
	}
	return sendDownload(w, ev.Data, ev.Type, mtvp.SafeFileName(ev.Name, ""))
}

// getActivityICS serves one activity as an iCalendar file, with the UID
// and SEQUENCE of the change mails (mail.ActivityICS). A cancelled
// activity is gone, but its file still answers: METHOD:CANCEL with
// STATUS:CANCELLED, so a calendar that fetches it again drops the entry.
func (s *Server) getActivityICS(w http.ResponseWriter, r *http.Request) error {
	_, a, err := s.activityOf(r)
	var cal string
	switch {
	case err == nil:
		cal = activityCalendar(a, s.cfg.Now())
	case mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
		c, cerr := s.cancelledActivityOf(r)
		if cerr != nil {
			return err
		}
		a = c.Activity()
		cal = mail.ActivityICS(a, ics.MethodCancel, c.Sequence, s.cfg.Now(), "")
	default:
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="activiteit-`+strconv.FormatInt(a.ID, 10)+`.ics"`)
	_, err = w.Write([]byte(cal))
	return err
}

// activityCalendar is the download of a (not cancelled) activity: its
// SEQUENCE is its version, which every change raises.
func activityCalendar(a mtvp.Activity, now time.Time) string {
	return mail.ActivityICS(a, ics.MethodPublish, a.Version, now, "")
}

// cancelledActivityOf loads the cancellation of {activity} when it was a
// cancelled activity of the region the user sees activities of.
func (s *Server) cancelledActivityOf(r *http.Request) (store.ActivityCancellation, error) {
	reg, err := s.activityRegion(r)
	if err != nil {
		return store.ActivityCancellation{}, err
	}
	id, err := pathID(r, "activity")
	if err != nil {
		return store.ActivityCancellation{}, err
	}
	c, err := s.db.ActivityCancellationByID(r.Context(), id)
	if err == nil && c.RegionID != reg.ID {
		err = notFound
	}
	return c, err
}
