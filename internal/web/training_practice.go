package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// A practice's training page: the two norms ("assistenten: 2 van 5
// geschoold, 1 aanvraag in behandeling"), its people, sign-ups and
// prior-learning claims, with the forms to sign up and to submit a claim.

type trClaimForm struct {
	Person, Title, Provider, CompletedOn, Theme string
}

type practiceTrainingData struct {
	Region     mtvp.Region
	Practice   mtvp.Practice
	Base       string // the practice's training page
	Menu       string
	Norms      []mtvp.TrainingNormResult
	Today      mtvp.Date
	Enrolments []mtvp.Enrolment
	Sessions   map[int64]mtvp.TrainingSession
	Claims     []mtvp.Claim
	CanEnrol   bool
	CanClaim   bool
	CanExport  bool
	// Forms.
	People       []option // current staff
	OpenSessions []option // upcoming sessions of active trainings (for a region admin past ones too)
	SignUpDate   historyField
	Themes       []option
	Claim        trClaimForm
	Cutoff       mtvp.Date
	// NotCounting: the sign-up asked for will not count towards a norm
	// for the person's role; the page asks to confirm it.
	NotCounting *trNotCounting
}

// trNotCounting is a sign-up waiting for confirmation.
type trNotCounting struct {
	Session, Person   string // form values
	SignedUpOn        string // the date of a sign-up recorded afterwards
	Name, Roles       string
	Training, ForWhom string
}

func practiceTrainingURL(reg mtvp.Region, id int64) string { return practiceURL(reg, id) + "/scholing" }

// trainingPractice loads the practice for its training page (404 outside).
func (s *Server) trainingPractice(r *http.Request) (mtvp.Region, mtvp.Practice, error) {
	reg, p, err := s.practiceFor(r)
	if err == nil && !currentUser(r).CanSeePracticeTraining(&p) {
		err = notFound
	}
	return reg, p, err
}

func (s *Server) practiceTrainingData(r *http.Request, reg mtvp.Region, p mtvp.Practice) (practiceTrainingData, error) {
	ctx := r.Context()
	u := currentUser(r)
	lang := s.lang(r)
	today := mtvp.DateOf(s.cfg.Now())
	d := practiceTrainingData{Region: reg, Practice: p, Base: practiceTrainingURL(reg, p.ID), Menu: trainingsURL(reg), Today: today,
		CanEnrol: u.CanEnrol(&p), CanClaim: u.CanSubmitClaim(&p), CanExport: u.CanSeePracticeTraining(&p),
		Sessions: map[int64]mtvp.TrainingSession{}, Cutoff: reg.Settings.PriorLearningCutoff}
	facts, err := s.db.TrainingFacts(ctx, reg.ID, p.ID)
	if err != nil {
		return d, err
	}
	d.Norms = mtvp.ApplyingTrainingNorms(mtvp.EvaluateTrainingNorms(facts[p.ID], reg.Settings, today))
	if d.Enrolments, err = s.db.PracticeEnrolments(ctx, p.ID); err != nil {
		return d, err
	}
	sessions, err := s.db.ListSessions(ctx, reg.ID, mtvp.Date{})
	if err != nil {
		return d, err
	}
	trs, err := s.db.ListTrainings(ctx, reg.ID, false)
	if err != nil {
		return d, err
	}
	active := map[int64]mtvp.TargetGroup{}
	for _, t := range trs {
		active[t.ID] = t.Target
	}
	// A region admin also records sign-ups for sessions that already began
	// (with their real date).
	d.SignUpDate = s.historyFieldFor(r, reg.ID, today.Year(), "signed_up_on", "history.field.enrolled_on", "history.hint.enrolled_on", "", false)
	d.OpenSessions = []option{{Value: "", Label: i18n.T(lang, "training.choose_session")}}
	for _, ses := range sessions {
		d.Sessions[ses.ID] = ses
		target, ok := active[ses.TrainingID]
		if started := ses.FirstDate().Before(today); ok && (!started || d.SignUpDate.Show) {
			label := ses.TrainingTitle + " — " + ses.FirstDate().Short() + " · " + i18n.T(lang, "training.for_target", i18n.T(lang, "training.target."+string(target)))
			if started {
				label += " (" + i18n.T(lang, "history.session_past") + ")"
			} else if ses.Free() == 0 {
				label += " (" + i18n.T(lang, "training.full_waiting") + ")"
			}
			d.OpenSessions = append(d.OpenSessions, option{Value: strconv.FormatInt(ses.ID, 10), Label: label})
		}
	}
	if d.Claims, err = s.db.ListClaims(ctx, store.ClaimFilter{RegionID: reg.ID, PracticeID: p.ID}); err != nil {
		return d, err
	}
	staff, err := s.db.Staff(ctx, p.ID, false)
	if err != nil {
		return d, err
	}
	d.People = []option{{Value: "", Label: i18n.T(lang, "training.choose_person")}}
	seen := map[int64]bool{}
	for _, m := range staff {
		if seen[m.PersonID] || !m.ActiveOn(today) {
			continue
		}
		seen[m.PersonID] = true
		d.People = append(d.People, option{Value: strconv.FormatInt(m.PersonID, 10), Label: m.Person.Name + " (" + i18n.T(lang, "role."+string(m.Role)) + ")"})
	}
	themes, err := s.db.TrainingThemes(ctx, reg.ID)
	if err != nil {
		return d, err
	}
	d.Themes = []option{{Value: "", Label: i18n.T(lang, "training.choose_theme")}}
	for _, th := range themes {
		d.Themes = append(d.Themes, option{Value: th, Label: th})
	}
	return d, nil
}

// trSelect marks the chosen value of a select.
func trSelect(opts []option, value string) []option {
	out := make([]option, len(opts))
	for i, o := range opts {
		o.Selected = o.Value == value
		out[i] = o
	}
	return out
}

func (s *Server) renderPracticeTraining(w http.ResponseWriter, r *http.Request, status int, d practiceTrainingData, errs mtvp.FieldErrors, errKey string) error {
	d.People = trSelect(d.People, d.Claim.Person)
	d.Themes = trSelect(d.Themes, d.Claim.Theme)
	v := s.newView(r, d)
	v.Region = &d.Region
	v.Nav = navForPractice(v.User, d.Practice)
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "training_practice", v)
}

func (s *Server) getPracticeTraining(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.trainingPractice(r)
	if err != nil {
		return err
	}
	d, err := s.practiceTrainingData(r, reg, p)
	if err != nil {
		return err
	}
	return s.renderPracticeTraining(w, r, http.StatusOK, d, nil, "")
}

// enrolPractice: visible (404) and the user signs up its staff (403).
func (s *Server) enrolPractice(r *http.Request) (mtvp.Region, mtvp.Practice, error) {
	reg, p, err := s.trainingPractice(r)
	if err == nil && !currentUser(r).CanEnrol(&p) {
		err = mtvp.Errorf(mtvp.EFORBIDDEN, "may not enrol")
	}
	return reg, p, err
}

func (s *Server) postEnrol(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.enrolPractice(r)
	if err != nil {
		return err
	}
	errs := mtvp.FieldErrors{}
	sid, _ := strconv.ParseInt(r.PostFormValue("session"), 10, 64)
	pid, _ := strconv.ParseInt(r.PostFormValue("enrol_person"), 10, 64)
	if sid == 0 {
		errs.Add("session", "training.err.session_required")
	}
	if pid == 0 {
		errs.Add("enrol_person", "training.err.person_required")
	}
	var on mtvp.Date
	var ses mtvp.TrainingSession
	if len(errs) == 0 {
		var err error
		ses, err = s.db.SessionByID(r.Context(), sid)
		if err != nil || ses.RegionID != reg.ID {
			errs.Add("session", "training.err.session_required")
		} else {
			on = s.historyDate(r, "signed_up_on", reg.ID, ses.FirstDate().Year(), mtvp.SignUpDate, errs)
		}
	}
	if len(errs) == 0 && r.PostFormValue("confirm_not_counting") == "" {
		nc, err := s.enrolNotCounting(r, reg, p, ses, pid)
		if err != nil {
			return err
		}
		if nc != nil {
			d, err := s.practiceTrainingData(r, reg, p)
			if err != nil {
				return err
			}
			nc.SignedUpOn = r.PostFormValue("signed_up_on")
			d.NotCounting = nc
			d.OpenSessions = trSelect(d.OpenSessions, r.PostFormValue("session"))
			return s.renderPracticeTraining(w, r, http.StatusOK, d, nil, "")
		}
	}
	if len(errs) == 0 {
		e := mtvp.Enrolment{SessionID: sid, PersonID: pid, PracticeID: p.ID, SignedUpOn: on}
		err := s.db.Enrol(r.Context(), actorOf(currentUser(r)), &e)
		if err == nil {
			if e.Status == mtvp.EnrolmentWaiting {
				s.flash(r, "training.enrolled_waiting")
			} else {
				s.flash(r, "training.enrolled")
			}
			http.Redirect(w, r, practiceTrainingURL(reg, p.ID)+"#enrolments", http.StatusSeeOther)
			return nil
		}
		if mtvp.ErrorCode(err) != mtvp.EINVALID {
			return err
		}
		for k, v := range mtvp.FieldErrorsOf(err) {
			if k == "person" {
				k = "enrol_person"
			}
			errs.Add(k, v)
		}
	}
	d, err := s.practiceTrainingData(r, reg, p)
	if err != nil {
		return err
	}
	d.OpenSessions = trSelect(d.OpenSessions, r.PostFormValue("session"))
	return s.renderPracticeTraining(w, r, http.StatusUnprocessableEntity, d, errs, "")
}

// enrolNotCounting is the warning for signing person up for ses when the
// training will not count towards a norm for their current roles at p
// (mtvp.SignUpCounts); nil when it counts or the person is not current
// staff (Enrol refuses that itself).
func (s *Server) enrolNotCounting(r *http.Request, reg mtvp.Region, p mtvp.Practice, ses mtvp.TrainingSession, person int64) (*trNotCounting, error) {
	ctx := r.Context()
	lang := s.lang(r)
	staff, err := s.db.Staff(ctx, p.ID, false)
	if err != nil {
		return nil, err
	}
	today := mtvp.DateOf(s.cfg.Now())
	var roles []mtvp.StaffRole
	var names []string
	name := ""
	for _, m := range staff {
		if m.PersonID == person && m.ActiveOn(today) {
			roles = append(roles, m.Role)
			names = append(names, strings.ToLower(i18n.T(lang, "role."+string(m.Role))))
			name = m.Person.Name
		}
	}
	if len(roles) == 0 {
		return nil, nil
	}
	t, err := s.db.TrainingByID(ctx, ses.TrainingID)
	if err != nil {
		return nil, err
	}
	if mtvp.SignUpCounts(roles, t.Target, reg.Settings) {
		return nil, nil
	}
	return &trNotCounting{Session: strconv.FormatInt(ses.ID, 10), Person: strconv.FormatInt(person, 10), Name: name,
		Roles: strings.Join(names, ", "), Training: t.Title + " — " + ses.FirstDate().Short(),
		ForWhom: i18n.T(lang, "training.target."+string(t.Target))}, nil
}

func (s *Server) postCancelEnrolment(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.enrolPractice(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "enrolment")
	if err != nil {
		return err
	}
	e, err := s.db.EnrolmentByID(r.Context(), id)
	if err != nil {
		return err
	}
	if e.PracticeID != p.ID {
		return notFound
	}
	lang := s.lang(r)
	ses, _ := s.db.SessionByID(r.Context(), e.SessionID)
	if ok, err := s.confirmed(w, r, confirmData{Title: i18n.T(lang, "training.confirm_cancel_title"),
		Message: i18n.T(lang, "training.confirm_cancel", e.PersonName, ses.TrainingTitle, ses.FirstDate().Short()),
		Button:  i18n.T(lang, "training.confirm_cancel_button"), Back: practiceTrainingURL(reg, p.ID) + "#enrolments"}, "version"); !ok || err != nil {
		return err
	}
	err = s.db.CancelEnrolment(r.Context(), actorOf(currentUser(r)), id, formVersion(r))
	if mtvp.ErrorCode(err) == mtvp.ECONFLICT {
		d, err := s.practiceTrainingData(r, reg, p)
		if err != nil {
			return err
		}
		return s.renderPracticeTraining(w, r, http.StatusConflict, d, nil, "training.conflict_enrolment")
	}
	if err != nil {
		return err
	}
	s.flash(r, "training.cancelled")
	http.Redirect(w, r, practiceTrainingURL(reg, p.ID)+"#enrolments", http.StatusSeeOther)
	return nil
}

// evidenceBodyLimit bounds a form with one evidence file.
const evidenceBodyLimit = mtvp.MaxEvidenceSize + 64<<10

// readEvidenceUpload parses a multipart form with an optional evidence file
// (a claim's evidence, a practice scan's result) in field: nil when none
// was chosen; a file too large or a broken form is a field error. The
// store checks the content (store.Evidence). Call cleanup when done.
func readEvidenceUpload(w http.ResponseWriter, r *http.Request, field string, errs mtvp.FieldErrors) (ev *store.Evidence, cleanup func(), err error) {
	cleanup = func() {}
	r.Body = http.MaxBytesReader(w, r.Body, evidenceBodyLimit)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			errs.Add(field, "training.err.evidence_too_large")
		} else if err := r.ParseForm(); err != nil {
			errs.Add(field, "training.err.evidence_type")
		}
		return nil, cleanup, nil
	}
	cleanup = func() { r.MultipartForm.RemoveAll() }
	if err := checkMultipartText(r); err != nil {
		return nil, cleanup, err
	}
	if file, hdr, err := r.FormFile(field); err == nil {
		data, err := io.ReadAll(io.LimitReader(file, mtvp.MaxEvidenceSize+1))
		file.Close()
		if err != nil {
			return nil, cleanup, err
		}
		if hdr.Size > 0 || len(data) > 0 {
			ev = &store.Evidence{Name: mtvp.BaseName(hdr.Filename), Data: data}
		}
	}
	return ev, cleanup, nil
}

func (s *Server) postClaim(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.trainingPractice(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanSubmitClaim(&p) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not submit claims")
	}
	errs := mtvp.FieldErrors{}
	ev, cleanup, err := readEvidenceUpload(w, r, "evidence", errs)
	if err != nil {
		return err
	}
	defer cleanup()
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := trClaimForm{Person: g("person"), Title: g("title"), Provider: g("provider"), CompletedOn: g("completed_on"), Theme: g("theme")}
	c := mtvp.Claim{PracticeID: p.ID, Title: f.Title, Provider: f.Provider, Theme: f.Theme}
	c.PersonID, _ = strconv.ParseInt(f.Person, 10, 64)
	if d, err := mtvp.ParseDate(f.CompletedOn); err != nil {
		errs.Add("completed_on", "err.date_format")
	} else {
		c.CompletedOn = d
	}
	if len(errs) == 0 {
		err := s.db.SubmitClaim(r.Context(), actorOf(currentUser(r)), &c, ev)
		if err == nil {
			s.flash(r, "training.claim_submitted")
			http.Redirect(w, r, practiceTrainingURL(reg, p.ID)+"#claims", http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(errs, err) {
			return err
		}
	}
	d, err := s.practiceTrainingData(r, reg, p)
	if err != nil {
		return err
	}
	d.Claim = f
	return s.renderPracticeTraining(w, r, http.StatusUnprocessableEntity, d, errs, "")
}
