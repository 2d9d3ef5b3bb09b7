package web

import (
	"time"

	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// planRoutes: the practice's plan van aanpak per year (view, versions,
// diff, edit, workflow, agreement, comments, team reviews, PDF, start from
// last year) and the region's plan overview.
func (s *Server) planRoutes() []route {
	const base = "/regio/{region}/praktijken/{practice}/plan"
	const one = base + "/{year}"
	return []route{
		{"GET " + base, signedIn, s.getPlanThisYear},
		{"GET " + one, signedIn, s.getPlan},
		{"GET " + one + "/bewerken", signedIn, s.getEditPlan},
		{"POST " + one, signedIn, s.postPlan},
		{"GET " + one + "/stap/{step}", signedIn, s.getPlanStep},
		{"POST " + one + "/stap/{step}", signedIn, s.postPlanStep},
		{"POST " + one + "/instemming", signedIn, s.postPlanAgreement},
		{"POST " + one + "/opmerkingen", signedIn, s.postPlanComment},
		{"POST " + one + "/teamoverleg", signedIn, s.postPlanReview},
		{"POST " + one + "/overnemen", signedIn, s.postPlanFromLastYear},
		{"GET " + one + "/pdf", signedIn, s.getPlanPDF},
		{"GET /regio/{region}/plannen", signedIn, s.getRegionPlans},
		{"GET /regio/{region}/plannen" + listExportSuffix + ".xlsx", signedIn, s.getRegionPlans},
		{"GET /regio/{region}/plannen" + listExportSuffix + ".csv", signedIn, s.getRegionPlans},
	}
}

func planURL(reg mtvp.Region, practiceID int64, year int) string {
	return practiceURL(reg, practiceID) + "/plan/" + strconv.Itoa(year)
}

// planScope loads region, practice and the {year} of a plan route; the
// practice must be visible to the user (CanSeePlan), else 404.
func (s *Server) planScope(r *http.Request) (mtvp.Region, mtvp.Practice, int, error) {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return reg, p, 0, err
	}
	if !currentUser(r).CanSeePlan(&p) {
		return reg, p, 0, notFound
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2020 || year > 2100 {
		return reg, p, 0, notFound
	}
	return reg, p, year, nil
}

// editablePlan is planScope for changes: 403 for those who see the plan
// but may not edit it (the consultant).
func (s *Server) editablePlan(r *http.Request) (mtvp.Region, mtvp.Practice, int, error) {
	reg, p, year, err := s.planScope(r)
	if err != nil {
		return reg, p, year, err
	}
	if !currentUser(r).CanEditPlan(&p) {
		return reg, p, year, mtvp.Errorf(mtvp.EFORBIDDEN, "may not edit the plan")
	}
	return reg, p, year, nil
}

// loadPlan returns the plan of the year, or a zero plan (ID 0) when the
// practice has none yet.
func (s *Server) loadPlan(r *http.Request, p mtvp.Practice, year int) (mtvp.Plan, error) {
	pl, err := s.db.Plan(r.Context(), p.ID, year)
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		return mtvp.Plan{RegionID: p.RegionID, PracticeID: p.ID, Year: year}, nil
	}
	return pl, err
}

func (s *Server) getPlanThisYear(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanSeePlan(&p) {
		return notFound
	}
	http.Redirect(w, r, planURL(reg, p.ID, s.cfg.Now().In(amsterdam).Year()), http.StatusSeeOther)
	return nil
}

// ---- Plan page ----

// planSection is one part of the plan as shown: the ambition or an
// intervention, with its comment threads.
type planSection struct {
	Key     string // comment section: "ambitie" or the intervention code
	Title   string
	Item    *mtvp.PlanItem
	Threads []planThread
}

type planThread struct {
	First   mtvp.PlanComment
	Replies []mtvp.PlanComment
}

// planDiffRow is one changed field between two versions, labelled.
type planDiffRow struct {
	Section, Field, Old, New string
}

// planStepView is a workflow button, with the reason when it is refused.
type planStepView struct {
	Step   mtvp.PlanStep
	Label  string
	Reason string
}

type planPageData struct {
	Region      mtvp.Region
	Practice    mtvp.Practice
	Base        string // the plan's URL
	PracticeURL string
	Year        int
	MTVPYear    int
	Plan        mtvp.Plan
	Shown       *mtvp.PlanVersion // the version on screen
	Latest      *mtvp.PlanVersion
	Current     *mtvp.PlanVersion
	Sections    []planSection
	General     []planThread
	Reviews     []mtvp.PlanReview
	Steps       []planStepView
	Staff       []agreeOption
	HasPrevYear bool
	NoRegioplan bool
	// Diff between two versions (From → To) when asked for.
	DiffFrom, DiffTo int
	Diff             []planDiffRow
	DiffAsked        bool
	CanEdit          bool
	CanComment       bool
	// Typed values of the small forms, kept when they had errors.
	Form planPageForm
}

type planPageForm struct {
	CommentSection, CommentBody, CommentParent    string
	ReviewHeldOn, Works, NotWorks, Connect, Needs string
	DiscussedOn                                   string
}

type agreeOption struct {
	ID      int64
	Name    string
	Checked bool
}

func (s *Server) getPlan(w http.ResponseWriter, r *http.Request) error {
	reg, p, year, err := s.planScope(r)
	if err != nil {
		return err
	}
	d, err := s.planPage(r, reg, p, year)
	if err != nil {
		return err
	}
	return s.renderPlanPage(w, r, http.StatusOK, d, nil, "")
}

func (s *Server) planPage(r *http.Request, reg mtvp.Region, p mtvp.Practice, year int) (planPageData, error) {
	ctx := r.Context()
	u := currentUser(r)
	lang := s.lang(r)
	pl, err := s.loadPlan(r, p, year)
	if err != nil {
		return planPageData{}, err
	}
	d := planPageData{Region: reg, Practice: p, Base: planURL(reg, p.ID, year), PracticeURL: practiceURL(reg, p.ID),
		Year: year, MTVPYear: mtvp.MTVPYear(p.JoinedOn, year), Plan: pl,
		Latest: pl.Latest(), Current: pl.Current(), CanEdit: u.CanEditPlan(&p), CanComment: u.CanCommentPlan(&p)}
	d.Form.DiscussedOn = mtvp.DateOf(s.cfg.Now().In(amsterdam)).String()
	d.Shown = d.Current
	q := r.URL.Query()
	if n, err := strconv.Atoi(q.Get("versie")); err == nil {
		if v := pl.VersionByNumber(n); v != nil {
			d.Shown = v
		}
	}
	if pl.ID == 0 {
		prev, err := s.db.Plan(ctx, p.ID, year-1)
		if err != nil && mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
			return d, err
		}
		d.HasPrevYear = err == nil && prev.Current() != nil
		rules, err := s.db.PlanRules(ctx, reg.ID, year)
		if err != nil {
			return d, err
		}
		d.NoRegioplan = rules.Regioplan == nil
		return d, nil
	}
	// Diff between two versions.
	from, errF := strconv.Atoi(q.Get("van"))
	to, errT := strconv.Atoi(q.Get("naar"))
	if errF == nil && errT == nil {
		a, b := pl.VersionByNumber(from), pl.VersionByNumber(to)
		if a != nil && b != nil {
			d.DiffAsked, d.DiffFrom, d.DiffTo = true, from, to
			d.Diff = planDiffRows(lang, mtvp.DiffPlan(a.Content, b.Content))
		}
	}
	if d.DiffFrom == 0 && len(pl.Versions) > 1 {
		d.DiffFrom, d.DiffTo = pl.Versions[len(pl.Versions)-2].Number, d.Latest.Number
	}
	comments, err := s.db.PlanComments(ctx, pl.ID)
	if err != nil {
		return d, err
	}
	threads := planThreads(comments)
	d.General = threads[mtvp.PlanSectionGeneral]
	d.Sections = append(d.Sections, planSection{Key: mtvp.PlanSectionAmbition, Title: i18n.T(lang, "plan.field.ambition"), Threads: threads[mtvp.PlanSectionAmbition]})
	for i := range d.Shown.Content.Items {
		it := &d.Shown.Content.Items[i]
		d.Sections = append(d.Sections, planSection{Key: it.Code, Title: it.Code + " " + it.Title, Item: it, Threads: threads[it.Code]})
	}
	if d.Reviews, err = s.db.PlanReviews(ctx, pl.ID); err != nil {
		return d, err
	}
	if d.CanEdit {
		rules, err := s.db.PlanRules(ctx, reg.ID, year)
		if err != nil {
			return d, err
		}
		for _, st := range mtvp.PlanSteps {
			ref := mtvp.CheckStep(d.Latest, st, rules)
			if ref != nil && strings.HasPrefix(ref.Key, "plan.err.step_from.") {
				continue // not a step from this status: no button
			}
			sv := planStepView{Step: st, Label: i18n.T(lang, "plan.step."+string(st))}
			if ref != nil {
				sv.Reason = planReason(lang, ref)
			}
			d.Steps = append(d.Steps, sv)
		}
		if d.Latest.Status == mtvp.PlanDiscussion {
			staff, err := s.db.CurrentStaffNames(ctx, p.ID)
			if err != nil {
				return d, err
			}
			agreed := map[int64]bool{}
			for _, a := range d.Latest.Agreed {
				agreed[a.PersonID] = true
			}
			for id, name := range staff {
				d.Staff = append(d.Staff, agreeOption{ID: id, Name: name, Checked: agreed[id]})
			}
			sort.Slice(d.Staff, func(i, j int) bool { return strings.ToLower(d.Staff[i].Name) < strings.ToLower(d.Staff[j].Name) })
			if !d.Latest.DiscussedOn.IsZero() {
				d.Form.DiscussedOn = d.Latest.DiscussedOn.String()
			}
		}
	}
	return d, nil
}

func planThreads(cs []mtvp.PlanComment) map[string][]planThread {
	out := map[string][]planThread{}
	idx := map[int64][2]int{} // thread start id → section slot
	for _, c := range cs {
		if c.ParentID == 0 {
			out[c.Section] = append(out[c.Section], planThread{First: c})
			idx[c.ID] = [2]int{len(out[c.Section]) - 1, 0}
			continue
		}
		if pos, ok := idx[c.ParentID]; ok {
			th := &out[c.Section][pos[0]]
			th.Replies = append(th.Replies, c)
		}
	}
	return out
}

// planReason is the translated reason of a refused step.
func planReason(lang string, ref *mtvp.StepRefusal) string {
	args := make([]any, len(ref.Args))
	for i, a := range ref.Args {
		args[i] = planStatusArg(lang, a)
	}
	return i18n.T(lang, ref.Key, args...)
}

// planStatusArg translates a status argument; other arguments unchanged.
func planStatusArg(lang, a string) string {
	if mtvp.PlanStatus(a).Valid() {
		return i18n.T(lang, "plan.status."+a)
	}
	return a
}

// planErrorText translates a plan error with its step arguments.
func planErrorText(lang string, err error) string {
	args := mtvp.StepArgs(err)
	for i, a := range args {
		args[i] = planStatusArg(lang, a.(string))
	}
	return i18n.T(lang, mtvp.ErrorMessage(err), args...)
}

func planDiffRows(lang string, chs []mtvp.PlanChange) []planDiffRow {
	out := make([]planDiffRow, 0, len(chs))
	for _, c := range chs {
		row := planDiffRow{Section: c.Section + " " + c.Title, Old: c.Old, New: c.New}
		if c.Section == "" {
			row.Section = i18n.T(lang, "plan.field.ambition")
		}
		switch {
		case c.Field == "item":
			row.Field = i18n.T(lang, "plan.diff.item")
		case c.Action > 0:
			row.Field = i18n.T(lang, "plan.diff.action", c.Action, i18n.T(lang, "plan.field."+c.Field))
			if c.Field == "status" {
				row.Old, row.New = planActionStatus(lang, c.Old), planActionStatus(lang, c.New)
			}
		default:
			row.Field = i18n.T(lang, "plan.field."+c.Field)
		}
		out = append(out, row)
	}
	return out
}

func planActionStatus(lang, s string) string {
	if s == "" {
		return ""
	}
	return i18n.T(lang, "plan.action_status."+s)
}

func (s *Server) renderPlanPage(w http.ResponseWriter, r *http.Request, status int, d planPageData, errs mtvp.FieldErrors, errText string) error {
	v := s.newView(r, d)
	v.Region = &d.Region
	v.Nav = navForPractice(v.User, d.Practice)
	v.Errors = errs
	v.StatusMsg = errText
	return s.render(w, r, status, "plan_view", v)
}

// planPostError re-renders the plan page after a refused small form
// (comment, review, agreement, step): 422 with the messages, 409 when the
// plan changed meanwhile.
func (s *Server) planPostError(w http.ResponseWriter, r *http.Request, reg mtvp.Region, p mtvp.Practice, year int, err error, form planPageForm) error {
	status := http.StatusUnprocessableEntity
	errs := mtvp.FieldErrors{}
	text := ""
	switch mtvp.ErrorCode(err) {
	case mtvp.EINVALID:
		if !mergeErrors(errs, err) || len(errs) == 0 {
			text = planErrorText(s.lang(r), err)
		}
	case mtvp.ECONFLICT:
		status = http.StatusConflict
		text = i18n.T(s.lang(r), "plan.conflict_step")
	default:
		return err
	}
	d, derr := s.planPage(r, reg, p, year)
	if derr != nil {
		return derr
	}
	keep := d.Form.DiscussedOn
	d.Form = form
	if d.Form.DiscussedOn == "" {
		d.Form.DiscussedOn = keep
	}
	if len(errs) == 0 {
		errs = nil
	}
	return s.renderPlanPage(w, r, status, d, errs, text)
}

// ---- Workflow ----

type planStepData struct {
	Region   mtvp.Region
	Practice mtvp.Practice
	Base     string
	Year     int
	Step     mtvp.PlanStep
	Label    string
	Latest   *mtvp.PlanVersion
	Version  int
	Reason   string
	// Conflict: what changed since the user opened the step (a stale
	// version); the form then carries the new version.
	Conflict []planDiffRow
	Message  string
	// FinalisedOn: the real date of a finalisation recorded afterwards
	// (step definitief, region admins).
	FinalisedOn historyField
	// NotAgreed: staff who have not agreed with the version being made
	// final; the step then asks to confirm (field partial_ok).
	NotAgreed []string
}

func validStep(s string) (mtvp.PlanStep, bool) {
	for _, st := range mtvp.PlanSteps {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// getPlanStep asks for confirmation of a workflow step (works without
// JavaScript); a refused step shows its reason here already.
func (s *Server) getPlanStep(w http.ResponseWriter, r *http.Request) error {
	reg, p, year, err := s.editablePlan(r)
	if err != nil {
		return err
	}
	step, ok := validStep(r.PathValue("step"))
	if !ok {
		return notFound
	}
	pl, err := s.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	return s.renderPlanStep(w, r, http.StatusOK, reg, p, pl, step, nil, nil)
}

// renderPlanStep shows the confirmation of a step; conflict holds what
// changed meanwhile when a confirmation came too late (409), errs a refused
// finalisation date (422).
func (s *Server) renderPlanStep(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, p mtvp.Practice, pl mtvp.Plan, step mtvp.PlanStep, conflict []planDiffRow, errs mtvp.FieldErrors) error {
	lang := s.lang(r)
	d := planStepData{Region: reg, Practice: p, Base: planURL(reg, p.ID, pl.Year), Year: pl.Year, Step: step,
		Label: i18n.T(lang, "plan.step."+string(step)), Latest: pl.Latest(), Version: pl.Version, Conflict: conflict}
	if step == mtvp.StepFinalise {
		d.FinalisedOn = s.historyFieldFor(r, p.RegionID, pl.Year, "finalised_on", "history.field.finalised_on", "history.hint.finalised_on", "history.hint.finalised_on", false)
	}
	if status == http.StatusConflict {
		d.Message = i18n.T(lang, "plan.conflict_step_diff")
	}
	rules, err := s.db.PlanRules(r.Context(), reg.ID, pl.Year)
	if err != nil {
		return err
	}
	if ref := mtvp.CheckStep(pl.Latest(), step, rules); ref != nil {
		d.Reason = planReason(lang, ref)
	}
	if d.NotAgreed, err = s.planNotAgreed(r, p, pl, step); err != nil {
		return err
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = navForPractice(v.User, p)
	v.Errors = errs
	return s.render(w, r, status, "plan_step", v)
}

// planNotAgreed lists the current staff who have not agreed with the
// latest version when step makes it final (mtvp.NotAgreed).
func (s *Server) planNotAgreed(r *http.Request, p mtvp.Practice, pl mtvp.Plan, step mtvp.PlanStep) ([]string, error) {
	if step != mtvp.StepFinalise || pl.Latest() == nil {
		return nil, nil
	}
	staff, err := s.db.CurrentStaffNames(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	return mtvp.NotAgreed(pl.Latest(), staff), nil
}

// planStepConflict lists what changed between the version the user saw
// (form fields base, base_status, base_discussed) and the plan as stored:
// status and version, the team discussion date, and the text per field.
func planStepConflict(lang string, r *http.Request, pl mtvp.Plan) []planDiffRow {
	latest := pl.Latest()
	if latest == nil {
		return nil
	}
	t := func(k string, args ...any) string { return i18n.T(lang, k, args...) }
	baseNum, _ := strconv.Atoi(r.PostFormValue("base"))
	baseStatus := mtvp.PlanStatus(r.PostFormValue("base_status"))
	label := func(st mtvp.PlanStatus, n int) string {
		if st == "" || n == 0 {
			return ""
		}
		return t("plan.status."+string(st)) + " (" + t("plan.version") + " " + strconv.Itoa(n) + ")"
	}
	var rows []planDiffRow
	if baseNum != latest.Number || baseStatus != latest.Status {
		rows = append(rows, planDiffRow{Section: t("plan.diff.plan"), Field: t("plan.status_label"),
			Old: label(baseStatus, baseNum), New: label(latest.Status, latest.Number)})
	}
	if d := latest.DiscussedOn.String(); r.PostFormValue("base_discussed") != d {
		old, _ := mtvp.ParseDate(r.PostFormValue("base_discussed"))
		rows = append(rows, planDiffRow{Section: t("plan.diff.plan"), Field: t("plan.discussed_on"),
			Old: dateText(lang, old), New: dateText(lang, latest.DiscussedOn)})
	}
	if base := pl.VersionByNumber(baseNum); base != nil && base.Number != latest.Number {
		rows = append(rows, planDiffRows(lang, mtvp.DiffPlan(base.Content, latest.Content))...)
	}
	return rows
}

func (s *Server) postPlanStep(w http.ResponseWriter, r *http.Request) error {
	reg, p, year, err := s.editablePlan(r)
	if err != nil {
		return err
	}
	step, ok := validStep(r.PathValue("step"))
	if !ok {
		return notFound
	}
	pl, err := s.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	// Final with part of the team agreeing: only once confirmed, having
	// seen who has not agreed (for the version the user saw).
	missing, err := s.planNotAgreed(r, p, pl, step)
	if err != nil {
		return err
	}
	if len(missing) > 0 && r.PostFormValue("partial_ok") == "" && formVersion(r) == pl.Version {
		return s.renderPlanStep(w, r, http.StatusUnprocessableEntity, reg, p, pl, step, nil, mtvp.FieldErrors{"partial_ok": "plan.err.partial_not_confirmed"})
	}
	// The real date of a finalisation recorded afterwards (empty: now).
	errs := mtvp.FieldErrors{}
	var on mtvp.Date
	if step == mtvp.StepFinalise && strings.TrimSpace(r.PostFormValue("finalised_on")) != "" {
		on = s.historyDate(r, "finalised_on", p.RegionID, year, mtvp.RecordDate, errs)
	}
	if len(errs) == 0 {
		_, err = s.db.PlanStepOn(r.Context(), actorOf(currentUser(r)), pl.ID, formVersion(r), step, on)
		if mtvp.FieldErrorsOf(err)["finalised_on"] != "" {
			mergeErrors(errs, err)
		}
	}
	if len(errs) > 0 {
		return s.renderPlanStep(w, r, http.StatusUnprocessableEntity, reg, p, pl, step, nil, errs)
	}
	if mtvp.ErrorCode(err) == mtvp.ECONFLICT {
		// Someone changed the plan after the user opened this step: show
		// what changed and ask again with the new version.
		if pl, err = s.db.Plan(r.Context(), p.ID, year); err != nil {
			return err
		}
		return s.renderPlanStep(w, r, http.StatusConflict, reg, p, pl, step, planStepConflict(s.lang(r), r, pl), nil)
	}
	if err != nil {
		return s.planPostError(w, r, reg, p, year, err, planPageForm{})
	}
	s.flash(r, "plan.flash."+string(step))
	http.Redirect(w, r, planURL(reg, p.ID, year), http.StatusSeeOther)
	return nil
}

func (s *Server) postPlanAgreement(w http.ResponseWriter, r *http.Request) error {
	reg, p, year, err := s.editablePlan(r)
	if err != nil {
		return err
	}
	pl, err := s.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	errs := mtvp.FieldErrors{}
	form := planPageForm{DiscussedOn: strings.TrimSpace(r.PostFormValue("discussed_on"))}
	discussed := formDate(r, "discussed_on", errs)
	var agreed []int64
	for _, v := range r.PostForm["agreed"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			errs.Add("agreed", "plan.err.agreed_not_staff")
			continue
		}
		agreed = append(agreed, id)
	}
	if len(errs) > 0 {
		return s.planPostError(w, r, reg, p, year, errs.Err(), form)
	}
	if _, err := s.db.RecordPlanAgreement(r.Context(), actorOf(currentUser(r)), pl.ID, formVersion(r), discussed, agreed); err != nil {
		return s.planPostError(w, r, reg, p, year, err, form)
	}
	s.flash(r, "plan.flash.agreement")
	http.Redirect(w, r, planURL(reg, p.ID, year)+"#instemming", http.StatusSeeOther)
	return nil
}

// ---- Comments and team reviews ----

func (s *Server) postPlanComment(w http.ResponseWriter, r *http.Request) error {
	reg, p, year, err := s.planScope(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanCommentPlan(&p) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not comment")
	}
	pl, err := s.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	form := planPageForm{CommentSection: r.PostFormValue("section"), CommentBody: r.PostFormValue("body"), CommentParent: r.PostFormValue("parent")}
	c := mtvp.PlanComment{PlanID: pl.ID, Section: form.CommentSection, Body: form.CommentBody, AuthorRole: planRole(u, &p)}
	if form.CommentParent != "" {
		id, err := strconv.ParseInt(form.CommentParent, 10, 64)
		if err != nil || id <= 0 {
			return notFound
		}
		c.ParentID = id
	}
	if err := s.db.AddPlanComment(r.Context(), actorOf(u), &c); err != nil {
		return s.planPostError(w, r, reg, p, year, err, form)
	}
	s.flash(r, "plan.flash.comment")
	http.Redirect(w, r, planURL(reg, p.ID, year)+"#s-"+c.Section, http.StatusSeeOther)
	return nil
}

// planRole is the role the user comments in: the practice, its consultant
// or the region.
func planRole(u *mtvp.User, p *mtvp.Practice) mtvp.AccountRole {
	for _, g := range u.Grants {
		if g.Role == mtvp.AccountPractice && g.PracticeID == p.ID {
			return mtvp.AccountPractice
		}
	}
	if p.ConsultantID == u.ID {
		return mtvp.AccountConsultant
	}
	return mtvp.AccountRegionAdmin
}

func (s *Server) postPlanReview(w http.ResponseWriter, r *http.Request) error {
	reg, p, year, err := s.editablePlan(r)
	if err != nil {
		return err
	}
	pl, err := s.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	g := func(k string) string { return r.PostFormValue(k) }
	form := planPageForm{ReviewHeldOn: strings.TrimSpace(g("held_on")), Works: g("works"), NotWorks: g("not_works"), Connect: g("connect"), Needs: g("needs")}
	errs := mtvp.FieldErrors{}
	rv := mtvp.PlanReview{PlanID: pl.ID, HeldOn: formDate(r, "held_on", errs), Works: form.Works, NotWorks: form.NotWorks, Connect: form.Connect, Needs: form.Needs}
	if len(errs) > 0 {
		return s.planPostError(w, r, reg, p, year, errs.Err(), form)
	}
	if err := s.db.AddPlanReview(r.Context(), actorOf(currentUser(r)), &rv); err != nil {
		return s.planPostError(w, r, reg, p, year, err, form)
	}
	s.flash(r, "plan.flash.review")
	http.Redirect(w, r, planURL(reg, p.ID, year)+"#teamoverleg", http.StatusSeeOther)
	return nil
}

func (s *Server) postPlanFromLastYear(w http.ResponseWriter, r *http.Request) error {
	reg, p, year, err := s.editablePlan(r)
	if err != nil {
		return err
	}
	if _, err := s.db.StartNextYearPlan(r.Context(), actorOf(currentUser(r)), p.ID, year); err != nil {
		if mtvp.ErrorCode(err) == mtvp.ECONFLICT {
			return s.planPostError(w, r, reg, p, year, err, planPageForm{})
		}
		return err
	}
	s.flash(r, "plan.flash.from_last_year")
	http.Redirect(w, r, planURL(reg, p.ID, year)+"/bewerken", http.StatusSeeOther)
	return nil
}

// ---- Region overview ----

type regionPlanRow struct {
	URL, Name, AGB, Status, StatusLabel, Version, LastChange string
	HasFinal                                                 bool
	Number                                                   int       // for the download
	Changed                                                  time.Time // for the download
}

type planCount struct {
	Status, Label, URL string
	Count              int
	Active             bool
}

type regionPlansData struct {
	Region   mtvp.Region
	Base     string
	Year     int
	Years    []int
	Status   string
	Q        string
	Rows     []regionPlanRow
	Counts   []planCount
	Total    int
	Filtered bool
}

func (s *Server) getRegionPlans(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if !u.CanListPlans(reg.ID) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not list plans")
	}
	lang := s.lang(r)
	now := s.cfg.Now().In(amsterdam).Year()
	qs := r.URL.Query()
	year, err := strconv.Atoi(qs.Get("jaar"))
	if err != nil || year < 2020 || year > 2100 {
		year = now
	}
	status := qs.Get("status")
	if status != "geen" && !mtvp.PlanStatus(status).Valid() {
		status = ""
	}
	search := strings.TrimSpace(qs.Get("q"))
	var only int64
	if !u.CanAdminRegion(reg.ID) {
		only = u.ID
	}
	all, err := s.db.PlanOverview(ctx, reg.ID, year, only)
	if err != nil {
		return err
	}
	years, err := s.db.RegioplanYears(ctx, reg.ID)
	if err != nil {
		return err
	}
	d := regionPlansData{Region: reg, Base: "/regio/" + url.PathEscape(reg.Code) + "/plannen", Year: year, Status: status, Q: search, Total: len(all)}
	d.Years = planYears(years, now, year)
	counts := map[string]int{}
	for _, ps := range all {
		counts[planStatusKey(ps.Status)]++
	}
	link := func(st string) string {
		v := url.Values{"jaar": {strconv.Itoa(year)}}
		if st != "" {
			v.Set("status", st)
		}
		if search != "" {
			v.Set("q", search)
		}
		return d.Base + "?" + v.Encode()
	}
	d.Counts = append(d.Counts, planCount{Status: "", Label: i18n.T(lang, "plan.region.all"), Count: len(all), URL: link(""), Active: status == ""})
	for _, st := range mtvp.PlanStatuses {
		k := planStatusKey(st)
		d.Counts = append(d.Counts, planCount{Status: k, Label: i18n.T(lang, "plan.status."+k), Count: counts[k], URL: link(k), Active: status == k})
	}
	lq := strings.ToLower(search)
	for _, ps := range all {
		k := planStatusKey(ps.Status)
		if status != "" && k != status {
			continue
		}
		if lq != "" && !strings.Contains(strings.ToLower(ps.PracticeName), lq) && !strings.Contains(ps.PracticeAGB, lq) {
			continue
		}
		row := regionPlanRow{URL: planURL(reg, ps.PracticeID, year), Name: ps.PracticeName, AGB: ps.PracticeAGB,
			Status: k, StatusLabel: i18n.T(lang, "plan.status."+k), Version: "—", LastChange: "—", HasFinal: ps.HasFinal && ps.Status != mtvp.PlanFinal}
		if ps.Number > 0 {
			row.Version, row.Number = strconv.Itoa(ps.Number), ps.Number
		}
		row.Changed = ps.LastChange
		if !ps.LastChange.IsZero() {
			row.LastChange = ps.LastChange.In(amsterdam).Format("02-01-2006 15:04")
		}
		d.Rows = append(d.Rows, row)
	}
	d.Filtered = status != "" || search != ""
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "plans"
	return s.render(w, r, http.StatusOK, "plan_region", v)
}

// planStatusKey names a status in URLs and message keys ("geen" for none).
func planStatusKey(st mtvp.PlanStatus) string {
	if st == mtvp.PlanNone {
		return "geen"
	}
	return string(st)
}

// planYears are the years to choose from: the regioplan years, this year
// and the year shown, newest first.
func planYears(years []int, now, shown int) []int {
	seen := map[int]bool{}
	var out []int
	for _, y := range append(append([]int{}, years...), now, shown) {
		if !seen[y] {
			seen[y] = true
			out = append(out, y)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out)))
	return out
}
