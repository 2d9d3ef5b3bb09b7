package web

// The training menu (menukaart): the region's trainings, themes and
// sessions. Practice pages are in training_practice.go, claims in
// training_claims.go, exports in training_export.go.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

func (s *Server) trainingRoutes() []route {
	const base = "/regio/{region}/scholing"
	const session = base + "/sessies/{session}"
	const practice = "/regio/{region}/praktijken/{practice}/scholing"
	return []route{
		{"GET " + base, signedIn, s.getTrainingMenu},
		{"POST " + base + "/themas", signedIn, s.postTrainingThemes},
		{"GET " + base + "/nieuw", signedIn, s.getNewTraining},
		{"POST " + base, signedIn, s.postNewTraining},
		{"GET " + base + "/trainingen/{training}", signedIn, s.getTraining},
		{"POST " + base + "/trainingen/{training}", signedIn, s.postEditTraining},
		{"POST " + base + "/trainingen/{training}/sessies", signedIn, s.postNewSession},
		{"GET " + session, signedIn, s.getSession},
		{"POST " + session, signedIn, s.postEditSession},
		{"POST " + session + "/afgerond", signedIn, s.postCompletion},
		{"POST " + session + "/afgerond/{completion}/verwijderen", signedIn, s.postDeleteCompletion},
		{"POST " + session + "/presentielijst", signedIn, s.postAttendanceUpload},
		{"GET " + session + "/register.xlsx", signedIn, s.getRegisterList},
		{"GET " + base + "/stand", signedIn, s.getTrainingStatus},
		{"GET " + base + "/aanvragen", signedIn, s.getClaimQueue},
		{"GET " + base + "/aanvragen" + listExportSuffix + ".xlsx", signedIn, s.getClaimQueue},
		{"GET " + base + "/aanvragen" + listExportSuffix + ".csv", signedIn, s.getClaimQueue},
		{"GET " + base + "/aanvragen/{claim}", signedIn, s.getClaim},
		{"POST " + base + "/aanvragen/{claim}", signedIn, s.postDecideClaim},
		{"GET " + base + "/aanvragen/{claim}/bewijs", signedIn, s.getClaimEvidence},
		{"GET " + base + "/deelname.csv", signedIn, s.getRegionParticipation},
		{"GET " + base + "/deelname.xlsx", signedIn, s.getRegionParticipation},
		{"GET " + practice, signedIn, s.getPracticeTraining},
		{"POST " + practice + "/inschrijvingen", signedIn, s.postEnrol},
		{"POST " + practice + "/inschrijvingen/{enrolment}/annuleren", signedIn, s.postCancelEnrolment},
		{"POST " + practice + "/aanvragen", signedIn, s.postClaim},
		{"GET " + practice + "/deelname.csv", signedIn, s.getPracticeParticipation},
		{"GET " + practice + "/deelname.xlsx", signedIn, s.getPracticeParticipation},
	}
}

func trainingsURL(reg mtvp.Region) string { return "/regio/" + url.PathEscape(reg.Code) + "/scholing" }

func trainingURL(reg mtvp.Region, id int64) string {
	return trainingsURL(reg) + "/trainingen/" + strconv.FormatInt(id, 10)
}

func sessionURL(reg mtvp.Region, id int64) string {
	return trainingsURL(reg) + "/sessies/" + strconv.FormatInt(id, 10)
}

// trainingMenuRegion is regionFor with the menu's read rule.
func (s *Server) trainingMenuRegion(r *http.Request) (mtvp.Region, error) {
	reg, err := s.regionFor(r)
	if err == nil && !currentUser(r).CanSeeTrainingMenu(reg.ID) {
		err = notFound
	}
	return reg, err
}

// trainingEditRegion: visible (else 404) and editable (else 403).
func (s *Server) trainingEditRegion(r *http.Request) (mtvp.Region, error) {
	reg, err := s.trainingMenuRegion(r)
	if err == nil && !currentUser(r).CanEditTrainingMenu(reg.ID) {
		err = mtvp.Errorf(mtvp.EFORBIDDEN, "may not edit the training menu")
	}
	return reg, err
}

// trainingOf loads {training} of the region.
func (s *Server) trainingOf(r *http.Request, reg mtvp.Region) (mtvp.Training, error) {
	id, err := pathID(r, "training")
	if err != nil {
		return mtvp.Training{}, err
	}
	t, err := s.db.TrainingByID(r.Context(), id)
	if err == nil && t.RegionID != reg.ID {
		err = notFound
	}
	return t, err
}

// sessionOf loads {session} of the region.
func (s *Server) sessionOf(r *http.Request, reg mtvp.Region) (mtvp.TrainingSession, error) {
	id, err := pathID(r, "session")
	if err != nil {
		return mtvp.TrainingSession{}, err
	}
	ses, err := s.db.SessionByID(r.Context(), id)
	if err == nil && ses.RegionID != reg.ID {
		err = notFound
	}
	return ses, err
}

// ---- the menu ----

type menuTraining struct {
	mtvp.Training
	Sessions []mtvp.TrainingSession
}

type trainingMenuData struct {
	Region     mtvp.Region
	Base       string
	Trainings  []menuTraining
	Themes     []string
	ThemesText string
	CanEdit    bool
	CanQueue   bool
	CanExport  bool
	Practices  []mtvp.Grant // the user's own practices in the region
	ShowAll    bool
}

func (s *Server) getTrainingMenu(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingMenuRegion(r)
	if err != nil {
		return err
	}
	return s.renderTrainingMenu(w, r, reg, http.StatusOK, nil, "")
}

func (s *Server) renderTrainingMenu(w http.ResponseWriter, r *http.Request, reg mtvp.Region, status int, errs mtvp.FieldErrors, themesText string) error {
	ctx := r.Context()
	u := currentUser(r)
	d := trainingMenuData{Region: reg, Base: trainingsURL(reg), CanEdit: u.CanEditTrainingMenu(reg.ID),
		CanQueue: u.CanSeeClaimQueue(reg.ID), CanExport: u.CanSeeParticipation(&reg)}
	d.ShowAll = d.CanEdit && r.URL.Query().Get("alle") == "1"
	trs, err := s.db.ListTrainings(ctx, reg.ID, d.ShowAll)
	if err != nil {
		return err
	}
	sessions, err := s.db.ListSessions(ctx, reg.ID, mtvp.DateOf(s.cfg.Now()))
	if err != nil {
		return err
	}
	byTraining := map[int64][]mtvp.TrainingSession{}
	for _, ses := range sessions {
		byTraining[ses.TrainingID] = append(byTraining[ses.TrainingID], ses)
	}
	for _, t := range trs {
		d.Trainings = append(d.Trainings, menuTraining{Training: t, Sessions: byTraining[t.ID]})
	}
	if d.Themes, err = s.db.TrainingThemes(ctx, reg.ID); err != nil {
		return err
	}
	d.ThemesText = strings.Join(d.Themes, "\n")
	if themesText != "" {
		d.ThemesText = themesText
	}
	for _, g := range u.Grants {
		if g.Role == mtvp.AccountPractice && g.RegionID == reg.ID {
			d.Practices = append(d.Practices, g)
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "training"
	v.Errors = errs
	return s.render(w, r, status, "training_menu", v)
}

func (s *Server) postTrainingThemes(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingEditRegion(r)
	if err != nil {
		return err
	}
	text := r.PostFormValue("themes")
	themes := strings.Split(strings.ReplaceAll(text, "\r", ""), "\n")
	err = s.db.SaveTrainingThemes(r.Context(), actorOf(currentUser(r)), reg.ID, themes)
	if err == nil {
		s.flash(r, "training.themes_saved")
		http.Redirect(w, r, trainingsURL(reg)+"#themes", http.StatusSeeOther)
		return nil
	}
	errs := mtvp.FieldErrors{}
	if !mergeErrors(errs, err) {
		return err
	}
	return s.renderTrainingMenu(w, r, reg, http.StatusUnprocessableEntity, errs, text)
}

// ---- one training ----

type trainingForm struct {
	Title, Description, Target, Provider, Register, Points string
	Themes                                                 []string
	Active                                                 bool
	Version                                                int
}

func trainingFormOf(lang string, t mtvp.Training) trainingForm {
	f := trainingForm{Title: t.Title, Description: t.Description, Target: string(t.Target), Provider: t.Provider,
		Register: string(t.Register), Themes: t.Themes, Active: t.Active, Version: t.Version}
	if t.Points != 0 {
		f.Points = i18n.Decimal(lang, t.Points, -1)
	}
	return f
}

func readTrainingForm(r *http.Request) trainingForm {
	_ = r.ParseForm()
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return trainingForm{Title: g("title"), Description: g("description"), Target: g("target"), Provider: g("provider"),
		Register: g("register"), Points: g("points"), Themes: r.PostForm["themes"], Active: r.PostFormValue("active") == "1", Version: formVersion(r)}
}

func (f trainingForm) apply(r *http.Request, t *mtvp.Training, errs mtvp.FieldErrors) {
	t.Title, t.Description, t.Provider = f.Title, f.Description, f.Provider
	t.Target, t.Register, t.Themes, t.Active = mtvp.TargetGroup(f.Target), mtvp.Register(f.Register), f.Themes, f.Active
	t.Points = formFloat(r, "points", errs)
	t.Version = f.Version
}

type trainingPageData struct {
	Region    mtvp.Region
	Base      string
	Training  mtvp.Training
	IsNew     bool
	Form      trainingForm
	Action    string
	Targets   []option
	Registers []option
	Themes    []option
	Sessions  []mtvp.TrainingSession
	CanEdit   bool
	// The new-session form.
	Session trSessionForm
	Today   mtvp.Date
	// Orig are the stored values the edit form was opened with; Conflict
	// lists what someone else changed meanwhile (409).
	Orig     []hiddenField
	Conflict []conflictRow
}

var trainingFields = []string{"title", "target", "themes", "provider", "register", "points", "active", "description"}

// values gives a training form's fields as text, for conflicts.
func (f trainingForm) values() map[string]string {
	active := ""
	if f.Active {
		active = "1"
	}
	return map[string]string{"title": f.Title, "target": f.Target, "themes": strings.Join(f.Themes, ", "), "provider": f.Provider,
		"register": f.Register, "points": f.Points, "active": active, "description": f.Description}
}

// trainingConflict lists the fields changed since the form was opened
// (orig_* fields) with the current and the typed value.
func trainingConflict(r *http.Request, lang string, cur, typed trainingForm) []conflictRow {
	now, yours := cur.values(), typed.values()
	text := func(k, v string) string {
		switch {
		case v == "":
			return "—"
		case k == "target":
			return i18n.T(lang, "training.target."+v)
		case k == "register":
			return i18n.T(lang, "training.register."+v)
		case k == "active":
			return i18n.T(lang, "training.yes")
		}
		return v
	}
	var rows []conflictRow
	for _, k := range trainingFields {
		then := r.PostFormValue("orig_" + k)
		if then == now[k] {
			continue
		}
		rows = append(rows, conflictRow{Label: i18n.T(lang, "training.field."+k), Then: text(k, then), Now: text(k, now[k]), Yours: text(k, yours[k])})
	}
	return rows
}

func (s *Server) trainingPageData(r *http.Request, reg mtvp.Region, t mtvp.Training, f trainingForm) (trainingPageData, error) {
	lang := s.lang(r)
	d := trainingPageData{Region: reg, Base: trainingsURL(reg), Training: t, IsNew: t.ID == 0, Form: f,
		CanEdit: currentUser(r).CanEditTrainingMenu(reg.ID), Today: mtvp.DateOf(s.cfg.Now())}
	d.Action = trainingsURL(reg)
	if !d.IsNew {
		d.Action = trainingURL(reg, t.ID)
	}
	d.Targets = []option{{Value: "", Label: i18n.T(lang, "training.choose_target"), Selected: f.Target == ""}}
	for _, g := range mtvp.TargetGroups {
		d.Targets = append(d.Targets, option{Value: string(g), Label: i18n.T(lang, "training.target."+string(g)), Selected: string(g) == f.Target})
	}
	for _, g := range mtvp.Registers {
		d.Registers = append(d.Registers, option{Value: string(g), Label: i18n.T(lang, "training.register."+string(g)), Selected: string(g) == f.Register || (f.Register == "" && g == mtvp.RegisterNone)})
	}
	themes, err := s.db.TrainingThemes(r.Context(), reg.ID)
	if err != nil {
		return d, err
	}
	for _, th := range themes {
		checked := false
		for _, c := range f.Themes {
			if strings.EqualFold(c, th) {
				checked = true
			}
		}
		d.Themes = append(d.Themes, option{Value: th, Label: th, Selected: checked})
	}
	if !d.IsNew {
		if d.Sessions, err = s.db.SessionsOfTraining(r.Context(), t.ID); err != nil {
			return d, err
		}
	}
	d.Session = trSessionForm{Capacity: "12"}
	if !d.IsNew {
		orig := trainingFormOf(s.lang(r), t).values()
		for _, k := range trainingFields {
			d.Orig = append(d.Orig, hiddenField{Name: "orig_" + k, Value: orig[k]})
		}
	}
	return d, nil
}

func (s *Server) renderTraining(w http.ResponseWriter, r *http.Request, status int, d trainingPageData, errs mtvp.FieldErrors, errKey string) error {
	v := s.newView(r, d)
	v.Region = &d.Region
	v.Nav = "training"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "training_training", v)
}

func (s *Server) getNewTraining(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingEditRegion(r)
	if err != nil {
		return err
	}
	d, err := s.trainingPageData(r, reg, mtvp.Training{RegionID: reg.ID}, trainingForm{Active: true, Register: string(mtvp.RegisterNone)})
	if err != nil {
		return err
	}
	return s.renderTraining(w, r, http.StatusOK, d, nil, "")
}

func (s *Server) postNewTraining(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingEditRegion(r)
	if err != nil {
		return err
	}
	f := readTrainingForm(r)
	errs := mtvp.FieldErrors{}
	t := mtvp.Training{RegionID: reg.ID}
	f.apply(r, &t, errs)
	if len(errs) == 0 {
		err := s.db.CreateTraining(r.Context(), actorOf(currentUser(r)), &t)
		if err == nil {
			s.flash(r, "training.created")
			http.Redirect(w, r, trainingURL(reg, t.ID), http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(errs, err) {
			return err
		}
	}
	d, err := s.trainingPageData(r, reg, mtvp.Training{RegionID: reg.ID}, f)
	if err != nil {
		return err
	}
	return s.renderTraining(w, r, http.StatusUnprocessableEntity, d, errs, "")
}

func (s *Server) getTraining(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingMenuRegion(r)
	if err != nil {
		return err
	}
	t, err := s.trainingOf(r, reg)
	if err != nil {
		return err
	}
	if !t.Active && !currentUser(r).CanEditTrainingMenu(reg.ID) {
		return notFound
	}
	d, err := s.trainingPageData(r, reg, t, trainingFormOf(s.lang(r), t))
	if err != nil {
		return err
	}
	return s.renderTraining(w, r, http.StatusOK, d, nil, "")
}

func (s *Server) postEditTraining(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingEditRegion(r)
	if err != nil {
		return err
	}
	stored, err := s.trainingOf(r, reg)
	if err != nil {
		return err
	}
	f := readTrainingForm(r)
	errs := mtvp.FieldErrors{}
	t := stored
	f.apply(r, &t, errs)
	status, errKey := http.StatusUnprocessableEntity, ""
	if len(errs) == 0 {
		err := s.db.UpdateTraining(r.Context(), actorOf(currentUser(r)), &t)
		switch {
		case err == nil:
			s.flash(r, "training.saved")
			http.Redirect(w, r, trainingURL(reg, t.ID), http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			// Show the current values; the user's are listed beside them.
			status, errKey = http.StatusConflict, "training.conflict"
			if stored, err = s.db.TrainingByID(r.Context(), stored.ID); err != nil {
				return err
			}
			f.Version = stored.Version
		case !mergeErrors(errs, err):
			return err
		}
	}
	d, err := s.trainingPageData(r, reg, stored, f)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		d.Conflict = trainingConflict(r, s.lang(r), trainingFormOf(s.lang(r), stored), f)
	} else {
		d.Orig = origFromPost(r, d.Orig)
	}
	return s.renderTraining(w, r, status, d, errs, errKey)
}

// ---- sessions ----

type trSessionForm struct {
	Dates, StartTime, EndTime, Place, Capacity string
	Online                                     bool
	Version                                    int
}

func trSessionFormOf(ses mtvp.TrainingSession) trSessionForm {
	var ds []string
	for _, d := range ses.Dates {
		ds = append(ds, d.Short())
	}
	return trSessionForm{Dates: strings.Join(ds, ", "), StartTime: ses.StartTime, EndTime: ses.EndTime, Place: ses.Place,
		Capacity: strconv.Itoa(ses.Capacity), Online: ses.Online, Version: ses.Version}
}

func readTrSessionForm(r *http.Request) trSessionForm {
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return trSessionForm{Dates: g("dates"), StartTime: g("start_time"), EndTime: g("end_time"), Place: g("place"),
		Capacity: g("capacity"), Online: r.PostFormValue("online") == "1", Version: formVersion(r)}
}

// apply parses the dates ("10-03-2025, 17-03-2025" or ISO, one per line
// or comma-separated) and the numbers.
func (f trSessionForm) apply(r *http.Request, ses *mtvp.TrainingSession, errs mtvp.FieldErrors) {
	ses.Dates = nil
	for _, part := range strings.FieldsFunc(f.Dates, func(c rune) bool { return c == ',' || c == ';' || c == '\n' || c == ' ' }) {
		d, err := mtvp.ParseDate(part)
		if err != nil {
			errs.Add("dates", "err.date_format")
			continue
		}
		ses.Dates = append(ses.Dates, d)
	}
	ses.StartTime, ses.EndTime, ses.Place, ses.Online = f.StartTime, f.EndTime, f.Place, f.Online
	if f.Capacity == "" {
		errs.Add("capacity", "err.required")
	}
	ses.Capacity = formInt(r, "capacity", errs)
	ses.Version = f.Version
	ses.Normalize()
	mergeErrors(errs, ses.Validate())
}

func (s *Server) postNewSession(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingEditRegion(r)
	if err != nil {
		return err
	}
	t, err := s.trainingOf(r, reg)
	if err != nil {
		return err
	}
	f := readTrSessionForm(r)
	errs := mtvp.FieldErrors{}
	ses := mtvp.TrainingSession{TrainingID: t.ID}
	f.apply(r, &ses, errs)
	if len(errs) == 0 {
		err := s.db.CreateSession(r.Context(), actorOf(currentUser(r)), &ses)
		if err == nil {
			s.flash(r, "training.session_created")
			http.Redirect(w, r, sessionURL(reg, ses.ID), http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(errs, err) {
			return err
		}
	}
	d, err := s.trainingPageData(r, reg, t, trainingFormOf(s.lang(r), t))
	if err != nil {
		return err
	}
	d.Session = f
	return s.renderTraining(w, r, http.StatusUnprocessableEntity, d, errs, "")
}

type trSessionPageData struct {
	Region      mtvp.Region
	Base        string
	Training    mtvp.Training
	Session     mtvp.TrainingSession
	Form        trSessionForm
	CanEdit     bool
	CanPeople   bool
	Enrolments  []mtvp.Enrolment
	Completions []mtvp.Completion
	Placed      []mtvp.Enrolment
	Waiting     []mtvp.Enrolment
	Cancelled   int
	Today       mtvp.Date
	// Completion form: who and when.
	People      []option
	CompletedOn string
	Upload      *trAttendancePreview
	OwnPractice []mtvp.Grant
	// Orig and Conflict as on the training page.
	Orig     []hiddenField
	Conflict []conflictRow
}

var sessionFields = []string{"dates", "start_time", "end_time", "place", "online", "capacity"}

func (f trSessionForm) values() map[string]string {
	online := ""
	if f.Online {
		online = "1"
	}
	return map[string]string{"dates": f.Dates, "start_time": f.StartTime, "end_time": f.EndTime, "place": f.Place, "online": online, "capacity": f.Capacity}
}

// sessionConflict lists the session fields changed since the form was
// opened, with the current and the typed value.
func sessionConflict(r *http.Request, lang string, cur, typed trSessionForm) []conflictRow {
	now, yours := cur.values(), typed.values()
	text := func(k, v string) string {
		switch {
		case v == "":
			return "—"
		case k == "online":
			return i18n.T(lang, "training.yes")
		}
		return v
	}
	var rows []conflictRow
	for _, k := range sessionFields {
		then := r.PostFormValue("orig_" + k)
		if then == now[k] {
			continue
		}
		rows = append(rows, conflictRow{Label: i18n.T(lang, "training.field."+k), Then: text(k, then), Now: text(k, now[k]), Yours: text(k, yours[k])})
	}
	return rows
}

func (s *Server) trSessionPageData(r *http.Request, reg mtvp.Region, ses mtvp.TrainingSession) (trSessionPageData, error) {
	ctx := r.Context()
	u := currentUser(r)
	lang := s.lang(r)
	today := mtvp.DateOf(s.cfg.Now())
	d := trSessionPageData{Region: reg, Base: trainingsURL(reg), Session: ses, Form: trSessionFormOf(ses),
		CanEdit: u.CanEditTrainingMenu(reg.ID), CanPeople: u.CanSeeSessionPeople(reg.ID), Today: today, CompletedOn: ses.LastDate().String()}
	if ses.LastDate().After(today) {
		d.CompletedOn = today.String()
	}
	t, err := s.db.TrainingByID(ctx, ses.TrainingID)
	if err != nil {
		return d, err
	}
	d.Training = t
	orig := d.Form.values()
	for _, k := range sessionFields {
		d.Orig = append(d.Orig, hiddenField{Name: "orig_" + k, Value: orig[k]})
	}
	for _, g := range u.Grants {
		if g.Role == mtvp.AccountPractice && g.RegionID == reg.ID {
			d.OwnPractice = append(d.OwnPractice, g)
		}
	}
	if !d.CanPeople {
		return d, nil
	}
	if d.Enrolments, err = s.db.SessionEnrolments(ctx, ses.ID); err != nil {
		return d, err
	}
	if d.Completions, err = s.db.SessionCompletions(ctx, ses.ID); err != nil {
		return d, err
	}
	done := map[int64]bool{}
	for _, c := range d.Completions {
		done[c.PersonID] = true
	}
	d.People = []option{{Value: "", Label: i18n.T(lang, "training.choose_person")}}
	for _, e := range d.Enrolments {
		switch e.Status {
		case mtvp.EnrolmentPlaced:
			d.Placed = append(d.Placed, e)
			if !done[e.PersonID] {
				d.People = append(d.People, option{Value: strconv.FormatInt(e.PersonID, 10), Label: e.PersonName + " (" + e.PracticeName + ")"})
			}
		case mtvp.EnrolmentWaiting:
			d.Waiting = append(d.Waiting, e)
		default:
			d.Cancelled++
		}
	}
	return d, nil
}

func (s *Server) renderSession(w http.ResponseWriter, r *http.Request, status int, d trSessionPageData, errs mtvp.FieldErrors, errKey string) error {
	if d.Upload != nil && d.Upload.Error != "" {
		d.Upload.Msg = i18n.T(s.lang(r), d.Upload.Error, d.Upload.Args...)
	}
	v := s.newView(r, d)
	v.Region = &d.Region
	v.Nav = "training"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "training_session", v)
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingMenuRegion(r)
	if err != nil {
		return err
	}
	ses, err := s.sessionOf(r, reg)
	if err != nil {
		return err
	}
	d, err := s.trSessionPageData(r, reg, ses)
	if err != nil {
		return err
	}
	if !d.Training.Active && !d.CanEdit {
		return notFound
	}
	return s.renderSession(w, r, http.StatusOK, d, nil, "")
}

func (s *Server) postEditSession(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.trainingEditRegion(r)
	if err != nil {
		return err
	}
	stored, err := s.sessionOf(r, reg)
	if err != nil {
		return err
	}
	f := readTrSessionForm(r)
	errs := mtvp.FieldErrors{}
	ses := stored
	f.apply(r, &ses, errs)
	status, errKey := http.StatusUnprocessableEntity, ""
	if len(errs) == 0 {
		err := s.db.UpdateSession(r.Context(), actorOf(currentUser(r)), &ses)
		switch {
		case err == nil:
			s.flash(r, "training.session_saved")
			http.Redirect(w, r, sessionURL(reg, ses.ID), http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			status, errKey = http.StatusConflict, "training.conflict"
			if stored, err = s.db.SessionByID(r.Context(), stored.ID); err != nil {
				return err
			}
			f.Version = stored.Version
		case !mergeErrors(errs, err):
			return err
		}
	}
	d, err := s.trSessionPageData(r, reg, stored)
	if err != nil {
		return err
	}
	d.Form = f
	return s.renderSession(w, r, status, d, errs, errKey)
}

// completionRegion: the session of a region whose completions the user
// records (404 outside, 403 inside without the right).
func (s *Server) completionSession(r *http.Request) (mtvp.Region, mtvp.TrainingSession, error) {
	reg, err := s.trainingMenuRegion(r)
	if err != nil {
		return reg, mtvp.TrainingSession{}, err
	}
	ses, err := s.sessionOf(r, reg)
	if err != nil {
		return reg, ses, err
	}
	if !currentUser(r).CanRecordCompletions(reg.ID) {
		return reg, ses, mtvp.Errorf(mtvp.EFORBIDDEN, "may not record completions")
	}
	return reg, ses, nil
}

// postCompletion records one person's completion.
func (s *Server) postCompletion(w http.ResponseWriter, r *http.Request) error {
	reg, ses, err := s.completionSession(r)
	if err != nil {
		return err
	}
	errs := mtvp.FieldErrors{}
	pid, _ := strconv.ParseInt(r.PostFormValue("person"), 10, 64)
	if pid == 0 {
		errs.Add("person", "training.err.person_required")
	}
	on := formDate(r, "completed_on", errs)
	if len(errs) == 0 {
		mergeErrors(errs, mtvp.ValidateCompletion(on, ses, mtvp.DateOf(s.cfg.Now())))
	}
	if len(errs) == 0 {
		err := s.db.RecordCompletions(r.Context(), actorOf(currentUser(r)), ses.ID, []mtvp.Completion{{PersonID: pid, CompletedOn: on}})
		if err == nil {
			s.flash(r, "training.completion_saved")
			http.Redirect(w, r, sessionURL(reg, ses.ID)+"#completions", http.StatusSeeOther)
			return nil
		}
		if mtvp.ErrorCode(err) != mtvp.EINVALID {
			return err
		}
		for _, k := range mtvp.FieldErrorsOf(err) {
			errs.Add("person", k)
		}
	}
	d, err := s.trSessionPageData(r, reg, ses)
	if err != nil {
		return err
	}
	d.CompletedOn = r.PostFormValue("completed_on")
	return s.renderSession(w, r, http.StatusUnprocessableEntity, d, errs, "")
}

func (s *Server) postDeleteCompletion(w http.ResponseWriter, r *http.Request) error {
	reg, ses, err := s.completionSession(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "completion")
	if err != nil {
		return err
	}
	if err := s.db.DeleteCompletion(r.Context(), actorOf(currentUser(r)), ses.ID, id); err != nil {
		return err
	}
	s.flash(r, "training.completion_deleted")
	http.Redirect(w, r, sessionURL(reg, ses.ID)+"#completions", http.StatusSeeOther)
	return nil
}
