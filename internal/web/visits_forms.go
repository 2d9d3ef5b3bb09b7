package web

// Planning a visit, the visit page (with its planning form) and recording
// the outcome along the practice's plan van aanpak.

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// ---- planning ----

type visitPlanForm struct {
	PlannedOn  string
	Consultant string
	Version    int
}

func visitPlanFormOf(v mtvp.Visit) visitPlanForm {
	return visitPlanForm{PlannedOn: v.PlannedOn.String(), Consultant: idText(v.ConsultantID), Version: v.Version}
}

func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// consultantOptions lists the region's consultants; only region admins
// choose (a consultant plans their own visits).
func (s *Server) consultantOptions(r *http.Request, reg mtvp.Region, chosen string) ([]option, error) {
	if !currentUser(r).CanAssignVisitConsultant(reg.ID) {
		return nil, nil
	}
	cs, err := s.db.Consultants(r.Context(), reg.ID)
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: i18n.T(s.lang(r), "visit.practice_consultant"), Selected: chosen == ""}}
	for _, c := range cs {
		id := strconv.FormatInt(c.ID, 10)
		out = append(out, option{Value: id, Label: c.Name, Selected: id == chosen})
	}
	return out, nil
}

// applyPlanForm reads the planning fields into v. Only region admins
// change the consultant.
func (s *Server) applyPlanForm(r *http.Request, reg mtvp.Region, v *mtvp.Visit, errs mtvp.FieldErrors) visitPlanForm {
	f := visitPlanForm{PlannedOn: strings.TrimSpace(r.PostFormValue("planned_on")), Consultant: strings.TrimSpace(r.PostFormValue("consultant")), Version: formVersion(r)}
	v.PlannedOn = formDate(r, "planned_on", errs)
	if v.PlannedOn.IsZero() {
		errs.Add("planned_on", "err.required")
	}
	if currentUser(r).CanAssignVisitConsultant(reg.ID) {
		id, err := strconv.ParseInt(f.Consultant, 10, 64)
		if f.Consultant != "" && err != nil {
			errs.Add("consultant", "visit.err.consultant_unknown")
		}
		v.ConsultantID = id
	} else {
		f.Consultant = idText(v.ConsultantID)
	}
	v.Version = f.Version
	return f
}

type newVisitData struct {
	Region      mtvp.Region
	Practice    mtvp.Practice
	Base        string
	Form        visitPlanForm
	Consultants []option
}

func (s *Server) renderNewVisit(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, p mtvp.Practice, f visitPlanForm, errs mtvp.FieldErrors) error {
	cs, err := s.consultantOptions(r, reg, f.Consultant)
	if err != nil {
		return err
	}
	v := s.newView(r, newVisitData{Region: reg, Practice: p, Base: visitsURL(reg, p.ID), Form: f, Consultants: cs})
	v.Region = &reg
	v.Nav = "practices"
	v.Errors = errs
	return s.render(w, r, status, "visit_new", v)
}

func (s *Server) getNewVisit(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.visitPracticeFor(r)
	if err != nil {
		return err
	}
	if err := manageVisits(r, p); err != nil {
		return err
	}
	return s.renderNewVisit(w, r, http.StatusOK, reg, p, visitPlanForm{}, nil)
}

func (s *Server) postNewVisit(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.visitPracticeFor(r)
	if err != nil {
		return err
	}
	if err := manageVisits(r, p); err != nil {
		return err
	}
	errs := mtvp.FieldErrors{}
	v := mtvp.Visit{PracticeID: p.ID}
	f := s.applyPlanForm(r, reg, &v, errs)
	if len(errs) == 0 {
		v.Year = v.PlannedOn.Year()
		err := s.db.CreateVisit(r.Context(), actorOf(currentUser(r)), &v)
		if err == nil {
			s.flash(r, "visit.planned")
			http.Redirect(w, r, visitURL(reg, p.ID, v.ID), http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(errs, err) {
			return err
		}
	}
	return s.renderNewVisit(w, r, http.StatusUnprocessableEntity, reg, p, f, errs)
}

// ---- the visit page ----

type visitPageData struct {
	Region      mtvp.Region
	Practice    mtvp.Practice
	Base        string // the practice's visits
	URL         string // this visit
	Visit       mtvp.Visit
	CanManage   bool
	CanPlan     bool // planning may still change
	Form        visitPlanForm
	Consultants []option
	Orig        []hiddenField
	Conflict    []conflictRow
}

var visitPlanFields = []string{"planned_on", "consultant", "status"}

func visitPlanValues(v mtvp.Visit) map[string]string {
	return map[string]string{"planned_on": v.PlannedOn.String(), "consultant": v.ConsultantName, "status": string(v.Status)}
}

func (s *Server) renderVisit(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, p mtvp.Practice, vis mtvp.Visit, f visitPlanForm, errs mtvp.FieldErrors, errKey string, conflict []conflictRow) error {
	u := currentUser(r)
	d := visitPageData{Region: reg, Practice: p, Base: visitsURL(reg, p.ID), URL: visitURL(reg, p.ID, vis.ID), Visit: vis,
		CanManage: u.CanManageVisits(&p), Form: f, Conflict: conflict}
	d.CanPlan = d.CanManage && vis.Status != mtvp.VisitDone
	if d.CanPlan {
		var err error
		if d.Consultants, err = s.consultantOptions(r, reg, f.Consultant); err != nil {
			return err
		}
		orig := visitPlanValues(vis)
		for _, k := range visitPlanFields {
			d.Orig = append(d.Orig, hiddenField{Name: "orig_" + k, Value: orig[k]})
		}
		if r.Method == http.MethodPost && conflict == nil {
			d.Orig = origFromPost(r, d.Orig)
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "practices"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "visit_view", v)
}

func (s *Server) getVisit(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.visitPracticeFor(r)
	if err != nil {
		return err
	}
	vis, err := s.visitOf(r, p)
	if err != nil {
		return err
	}
	return s.renderVisit(w, r, http.StatusOK, reg, p, vis, visitPlanFormOf(vis), nil, "", nil)
}

// postVisitPlanning changes the planned date (and, for region admins, the
// consultant) or, with status=geannuleerd, cancels the visit;
// status=gepland plans a cancelled visit again.
func (s *Server) postVisitPlanning(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.visitPracticeFor(r)
	if err != nil {
		return err
	}
	stored, err := s.visitOf(r, p)
	if err != nil {
		return err
	}
	if err := manageVisits(r, p); err != nil {
		return err
	}
	errs := mtvp.FieldErrors{}
	v := stored
	f := s.applyPlanForm(r, reg, &v, errs)
	v.Status = mtvp.VisitStatus(r.PostFormValue("status"))
	if v.Status == "" {
		v.Status = stored.Status
	}
	status, errKey := http.StatusUnprocessableEntity, ""
	var conflict []conflictRow
	if len(errs) == 0 {
		err := s.db.UpdateVisit(r.Context(), actorOf(currentUser(r)), &v)
		switch {
		case err == nil:
			key := "visit.saved"
			if v.Status == mtvp.VisitCancelled && stored.Status != mtvp.VisitCancelled {
				key = "visit.cancelled"
			}
			s.flash(r, key)
			http.Redirect(w, r, visitURL(reg, p.ID, v.ID), http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			status, errKey = http.StatusConflict, "visit.conflict"
			if stored, err = s.db.VisitByID(r.Context(), stored.ID); err != nil {
				return err
			}
			yours := v
			if yours.ConsultantID != stored.ConsultantID {
				yours.ConsultantName = "#" + idText(yours.ConsultantID)
				for _, o := range mustOptions(s.consultantOptions(r, reg, "")) {
					if o.Value == idText(yours.ConsultantID) {
						yours.ConsultantName = o.Label
					}
				}
			} else {
				yours.ConsultantName = stored.ConsultantName
			}
			conflict = s.visitConflict(r, "visit.field.", visitPlanFields, visitPlanValues(stored), visitPlanValues(yours), nil)
			f.Version = stored.Version
		case !mergeErrors(errs, err):
			return err
		}
	}
	return s.renderVisit(w, r, status, reg, p, stored, f, errs, errKey, conflict)
}

func mustOptions(o []option, _ error) []option { return o }

// visitConflict lists the fields changed since the form was opened (the
// orig_* fields) with the value now stored and the one typed. labels maps
// a key to its label; without one the key's message prefix+key is used.
func (s *Server) visitConflict(r *http.Request, prefix string, keys []string, now, yours map[string]string, labels map[string]string) []conflictRow {
	lang := s.lang(r)
	text := func(k, v string) string {
		switch {
		case v == "":
			return "—"
		case k == "status":
			return i18n.T(lang, "visit.status."+v)
		case k == "planned_on" || k == "visited_on":
			if d, err := mtvp.ParseDate(v); err == nil {
				return d.Short()
			}
		}
		return v
	}
	var rows []conflictRow
	for _, k := range keys {
		then := r.PostFormValue("orig_" + k)
		if then == now[k] {
			continue
		}
		label := labels[k]
		if label == "" {
			label = i18n.T(lang, prefix+k)
		}
		rows = append(rows, conflictRow{Label: label, Then: text(k, then), Now: text(k, now[k]), Yours: text(k, yours[k])})
	}
	return rows
}

// ---- recording the outcome ----

type findingForm struct {
	ID                                         int64
	Code, Title, Goal                          string
	Deployment, GoesWell, Obstacles, Solutions string
}

// Name is the form field name of one of the finding's texts.
func (f findingForm) Name(field string) string {
	return "finding." + strconv.FormatInt(f.ID, 10) + "." + field
}

type actionForm struct {
	Row                     int
	Description, Owner, Due string
	Done                    bool
}

func (a actionForm) Name(field string) string { return "action." + strconv.Itoa(a.Row) + "." + field }

type reportForm struct {
	VisitedOn string
	Judgement string
	Findings  []findingForm
	Actions   []actionForm
	Version   int
}

// blankActionRows are the empty action rows a form offers (no JS needed).
const blankActionRows = 3

var findingFields = []string{"deployment", "goes_well", "obstacles", "solutions"}

// reportFormOf builds the form from a stored visit along the plan's
// interventions: each plan item first (in plan order), then any stored
// finding for an intervention no longer in the plan.
func reportFormOf(v mtvp.Visit, items []mtvp.PlanItem, today mtvp.Date) reportForm {
	f := reportForm{VisitedOn: v.VisitedOn.String(), Judgement: v.Judgement, Version: v.Version}
	if f.VisitedOn == "" && v.Status == mtvp.VisitPlanned && !v.PlannedOn.After(today) {
		f.VisitedOn = v.PlannedOn.String()
	}
	stored := map[int64]mtvp.VisitFinding{}
	for _, x := range v.Findings {
		stored[x.InterventionID] = x
	}
	seen := map[int64]bool{}
	for _, it := range items {
		x := stored[it.InterventionID]
		f.Findings = append(f.Findings, findingForm{ID: it.InterventionID, Code: it.Code, Title: it.Title, Goal: it.Goal,
			Deployment: x.Deployment, GoesWell: x.GoesWell, Obstacles: x.Obstacles, Solutions: x.Solutions})
		seen[it.InterventionID] = true
	}
	for _, x := range v.Findings {
		if !seen[x.InterventionID] {
			f.Findings = append(f.Findings, findingForm{ID: x.InterventionID, Code: x.Code, Title: x.Title,
				Deployment: x.Deployment, GoesWell: x.GoesWell, Obstacles: x.Obstacles, Solutions: x.Solutions})
		}
	}
	for i, a := range v.Actions {
		f.Actions = append(f.Actions, actionForm{Row: i, Description: a.Description, Owner: a.Owner, Due: a.Due.String(), Done: a.Done})
	}
	f.addBlankActions()
	return f
}

func (f *reportForm) addBlankActions() {
	n := len(f.Actions)
	for i := 0; i < blankActionRows; i++ {
		f.Actions = append(f.Actions, actionForm{Row: n + i})
	}
}

// readReportForm reads the posted form; the findings keep the order and
// titles of the page (from the hidden finding ids and the plan).
func readReportForm(r *http.Request, shown []findingForm) reportForm {
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := reportForm{VisitedOn: g("visited_on"), Judgement: g("judgement"), Version: formVersion(r)}
	for _, x := range shown {
		x.Deployment, x.GoesWell, x.Obstacles, x.Solutions = g(x.Name("deployment")), g(x.Name("goes_well")), g(x.Name("obstacles")), g(x.Name("solutions"))
		f.Findings = append(f.Findings, x)
	}
	rows, _ := strconv.Atoi(r.PostFormValue("action_rows"))
	rows = min(max(rows, 0), mtvp.VisitActionsMax+blankActionRows)
	for i := 0; i < rows; i++ {
		a := actionForm{Row: i}
		a.Description, a.Owner, a.Due, a.Done = g(a.Name("description")), g(a.Name("owner")), g(a.Name("due")), r.PostFormValue(a.Name("done")) == "1"
		if a.Description == "" && a.Owner == "" && a.Due == "" && !a.Done {
			continue
		}
		f.Actions = append(f.Actions, a)
	}
	return f
}

// apply fills v's outcome and returns where each finding and action came
// from in the form, so the store's field errors (findings.N.x, actions.N.x)
// can be shown beside the right input.
func (f reportForm) apply(v *mtvp.Visit, errs mtvp.FieldErrors) (findingNames []findingForm, actionNames []actionForm) {
	d, err := mtvp.ParseDate(f.VisitedOn)
	if err != nil {
		errs.Add("visited_on", "err.date_format")
	}
	v.VisitedOn, v.Judgement, v.Version = d, f.Judgement, f.Version
	v.Findings, v.Actions = nil, nil
	for _, x := range f.Findings {
		vf := mtvp.VisitFinding{InterventionID: x.ID, Deployment: x.Deployment, GoesWell: x.GoesWell, Obstacles: x.Obstacles, Solutions: x.Solutions}
		if vf.Empty() {
			continue
		}
		v.Findings = append(v.Findings, vf)
		findingNames = append(findingNames, x)
	}
	for _, a := range f.Actions {
		due, err := mtvp.ParseDate(a.Due)
		if err != nil {
			errs.Add(a.Name("due"), "err.date_format")
		}
		v.Actions = append(v.Actions, mtvp.VisitAction{Description: a.Description, Owner: a.Owner, Due: due, Done: a.Done})
		actionNames = append(actionNames, a)
	}
	return findingNames, actionNames
}

// placeErrors renames the store's indexed field errors to the form's.
func placeErrors(errs mtvp.FieldErrors, err error, fs []findingForm, as []actionForm) bool {
	if mtvp.ErrorCode(err) != mtvp.EINVALID {
		return false
	}
	for k, key := range mtvp.FieldErrorsOf(err) {
		parts := strings.Split(k, ".")
		if len(parts) == 3 {
			n, _ := strconv.Atoi(parts[1])
			switch {
			case parts[0] == "findings" && n < len(fs):
				field := parts[2]
				if field == "intervention_id" {
					field = "deployment"
				}
				k = fs[n].Name(field)
			case parts[0] == "actions" && n < len(as):
				k = as[n].Name(parts[2])
			}
		}
		errs.Add(k, key)
	}
	return true
}

// reportValues are the form's values as text, for conflicts.
func reportValues(f reportForm) map[string]string {
	m := map[string]string{"visited_on": f.VisitedOn, "judgement": f.Judgement}
	for _, x := range f.Findings {
		m[x.Name("deployment")], m[x.Name("goes_well")], m[x.Name("obstacles")], m[x.Name("solutions")] = x.Deployment, x.GoesWell, x.Obstacles, x.Solutions
	}
	var acts []string
	for _, a := range f.Actions {
		if a.Description == "" && a.Owner == "" && a.Due == "" && !a.Done {
			continue
		}
		s := a.Description
		if a.Owner != "" {
			s += " (" + a.Owner + ")"
		}
		if a.Due != "" {
			if d, err := mtvp.ParseDate(a.Due); err == nil {
				s += " " + d.Short()
			}
		}
		if a.Done {
			s += " ✓"
		}
		acts = append(acts, s)
	}
	m["actions"] = strings.Join(acts, "; ")
	return m
}

type reportPageData struct {
	Region   mtvp.Region
	Practice mtvp.Practice
	Base     string
	URL      string
	Visit    mtvp.Visit
	Form     reportForm
	HasPlan  bool
	PlanURL  string
	Orig     []hiddenField
	Conflict []conflictRow
	Today    mtvp.Date
}

// planItems loads the items of the practice's current plan version for the
// visit's year (none without a plan).
func (s *Server) planItems(r *http.Request, p mtvp.Practice, year int) ([]mtvp.PlanItem, bool, error) {
	pl, err := s.db.Plan(r.Context(), p.ID, year)
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	cur := pl.Current()
	if cur == nil {
		return nil, false, nil
	}
	return cur.Content.Items, true, nil
}

// reportKeys lists a form's conflict keys in page order.
func reportKeys(f reportForm) []string {
	keys := []string{"visited_on"}
	for _, x := range f.Findings {
		for _, fld := range findingFields {
			keys = append(keys, x.Name(fld))
		}
	}
	return append(keys, "actions", "judgement")
}

func (s *Server) reportLabels(r *http.Request, f reportForm) map[string]string {
	lang := s.lang(r)
	labels := map[string]string{}
	for _, x := range f.Findings {
		for _, fld := range findingFields {
			labels[x.Name(fld)] = x.Code + " " + x.Title + ": " + i18n.T(lang, "visit.field."+fld)
		}
	}
	return labels
}

func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, p mtvp.Practice, vis mtvp.Visit, f reportForm, hasPlan bool, errs mtvp.FieldErrors, errKey string, conflict []conflictRow) error {
	d := reportPageData{Region: reg, Practice: p, Base: visitsURL(reg, p.ID), URL: visitURL(reg, p.ID, vis.ID), Visit: vis, Form: f,
		HasPlan: hasPlan, PlanURL: practiceURL(reg, p.ID) + "/plan/" + strconv.Itoa(vis.Year), Conflict: conflict, Today: s.today()}
	stored := reportValues(f)
	if r.Method == http.MethodGet || conflict != nil {
		items, _, err := s.planItems(r, p, vis.Year)
		if err != nil {
			return err
		}
		stored = reportValues(reportFormOf(vis, items, s.today()))
	}
	keys := reportKeys(f)
	sort.Strings(keys)
	for _, k := range keys {
		d.Orig = append(d.Orig, hiddenField{Name: "orig_" + k, Value: stored[k]})
	}
	if r.Method == http.MethodPost && conflict == nil {
		d.Orig = origFromPost(r, d.Orig)
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "practices"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "visit_report", v)
}

// reportVisit loads the visit for the report form: managers only, and
// never a cancelled visit.
func (s *Server) reportVisit(r *http.Request) (mtvp.Region, mtvp.Practice, mtvp.Visit, error) {
	reg, p, err := s.visitPracticeFor(r)
	if err != nil {
		return reg, p, mtvp.Visit{}, err
	}
	vis, err := s.visitOf(r, p)
	if err != nil {
		return reg, p, vis, err
	}
	if err := manageVisits(r, p); err != nil {
		return reg, p, vis, err
	}
	if vis.Status == mtvp.VisitCancelled {
		return reg, p, vis, &mtvp.Error{Code: mtvp.EINVALID, Message: "visit.err.cancelled"}
	}
	return reg, p, vis, nil
}

func (s *Server) getVisitReport(w http.ResponseWriter, r *http.Request) error {
	reg, p, vis, err := s.reportVisit(r)
	if err != nil {
		return err
	}
	items, hasPlan, err := s.planItems(r, p, vis.Year)
	if err != nil {
		return err
	}
	return s.renderReport(w, r, http.StatusOK, reg, p, vis, reportFormOf(vis, items, s.today()), hasPlan, nil, "", nil)
}

func (s *Server) postVisitReport(w http.ResponseWriter, r *http.Request) error {
	reg, p, stored, err := s.reportVisit(r)
	if err != nil {
		return err
	}
	items, hasPlan, err := s.planItems(r, p, stored.Year)
	if err != nil {
		return err
	}
	_ = r.ParseForm()
	shown := reportFormOf(stored, items, s.today()).Findings
	f := readReportForm(r, shown)
	errs := mtvp.FieldErrors{}
	v := stored
	fs, as := f.apply(&v, errs)
	status, errKey := http.StatusUnprocessableEntity, ""
	var conflict []conflictRow
	if len(errs) == 0 {
		err := s.db.RecordVisit(r.Context(), actorOf(currentUser(r)), &v)
		switch {
		case err == nil:
			s.flash(r, "visit.recorded")
			http.Redirect(w, r, visitURL(reg, p.ID, v.ID), http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			status, errKey = http.StatusConflict, "visit.conflict"
			if stored, err = s.db.VisitByID(r.Context(), stored.ID); err != nil {
				return err
			}
			now := reportFormOf(stored, items, s.today())
			conflict = s.visitConflict(r, "visit.field.", reportKeys(f), reportValues(now), reportValues(f), s.reportLabels(r, f))
			f.Version = stored.Version
		case !placeErrors(errs, err, fs, as):
			return err
		}
	}
	// Offer the typed rows again plus blank ones, renumbered.
	var acts []actionForm
	for i, a := range f.Actions {
		a.Row = i
		acts = append(acts, a)
	}
	if status != http.StatusConflict {
		// Keep field errors on the renumbered rows.
		renamed := mtvp.FieldErrors{}
		for k, key := range errs {
			for i, a := range f.Actions {
				for _, fld := range []string{"description", "owner", "due", "done"} {
					if k == a.Name(fld) {
						k = actionForm{Row: i}.Name(fld)
					}
				}
			}
			renamed.Add(k, key)
		}
		errs = renamed
	}
	f.Actions = acts
	f.addBlankActions()
	return s.renderReport(w, r, status, reg, p, stored, f, hasPlan, errs, errKey, conflict)
}
