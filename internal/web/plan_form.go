package web

import (
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// The plan's edit form. Field names follow mtvp.ValidatePlan's error names
// ("ambition", "items.CODE.goal", "items.CODE.actions.N.owner") so each
// message appears beside its input. "Add action" is a submit button that
// re-renders the form with one more row, so it works without JavaScript.

type planFormAction struct {
	Prefix                                 string // "items.A.1.actions.0."
	N                                      int    // 1-based, for labels
	Description, Owner, Start, End, Status string
}

type planFormItem struct {
	Iv                            mtvp.Intervention
	Prefix                        string // "items.A.1."
	Chosen                        bool
	Current, Goal, Measure, Notes string
	Actions                       []planFormAction
	Open                          bool // shown unfolded (an action was just added)
}

// HasContent: the intervention has text or actions (an unchosen one is
// then shown unfolded, so nothing typed is hidden).
func (it planFormItem) HasContent() bool {
	if it.Open || it.Current != "" || it.Goal != "" || it.Measure != "" || it.Notes != "" {
		return true
	}
	for _, a := range it.Actions {
		if !a.blank() {
			return true
		}
	}
	return false
}

// AnyChosen: the element holds a chosen or mandatory intervention.
func (e planFormElement) AnyChosen() bool {
	for _, it := range e.Items {
		if it.Chosen || it.Iv.Mandatory {
			return true
		}
	}
	return false
}

func (a planFormAction) blank() bool {
	return a.Description == "" && a.Owner == "" && a.Start == "" && a.End == ""
}

type planFormElement struct {
	Element mtvp.Element
	Name    string
	Min     int
	Items   []planFormItem
}

type planFormData struct {
	Region         mtvp.Region
	Practice       mtvp.Practice
	Base           string
	Year           int
	MTVPYear       int
	Version        int // plans.version the form was opened with
	BaseNumber     int // the version number the text started from
	Ambition       string
	Elements       []planFormElement
	ActionStatuses []mtvp.ActionStatus
	NoRegioplan    bool
	Locked         string // why the text cannot be edited now ("" = editable)
	LockedStep     mtvp.PlanStep
	Conflict       []planDiffRow
	Minimums       string
}

// Unchosen: some intervention is neither chosen nor mandatory (offered
// under "add interventions").
func (d planFormData) Unchosen() bool {
	for _, e := range d.Elements {
		for _, it := range e.Items {
			if !it.Chosen && !it.Iv.Mandatory {
				return true
			}
		}
	}
	return false
}

// planFormFrom fills the form from stored content.
func planFormFrom(rules mtvp.PlanRules, c mtvp.PlanContent, lang string) []planFormElement {
	byID := map[int64]mtvp.PlanItem{}
	for _, it := range c.Items {
		byID[it.InterventionID] = it
	}
	var items []planFormItem
	if rules.Regioplan != nil {
		for _, iv := range rules.Regioplan.Interventions {
			it, chosen := byID[iv.ID]
			fi := planFormItem{Iv: iv, Prefix: "items." + iv.Code + ".", Chosen: chosen || iv.Mandatory,
				Current: it.Current, Goal: it.Goal, Measure: it.Measure, Notes: it.Notes}
			for _, a := range it.Actions {
				fi.Actions = append(fi.Actions, planFormAction{Description: a.Description, Owner: a.Owner,
					Start: a.Start.String(), End: a.End.String(), Status: string(a.Status)})
			}
			items = append(items, fi)
		}
	}
	return planFormGroup(items, rules, "")
}

// planFormGroup numbers the action rows, adds one empty row per item (and
// one more for the item whose "add action" was pressed) and groups the
// items per core element.
func planFormGroup(items []planFormItem, rules mtvp.PlanRules, addTo string) []planFormElement {
	var out []planFormElement
	for _, e := range mtvp.Elements {
		el := planFormElement{Element: e, Name: e.Name(), Min: rules.MinPerElement[e]}
		for _, it := range items {
			if it.Iv.Element != e {
				continue
			}
			extra := 1
			if it.Iv.Code == addTo {
				extra = 2
				it.Open = true
			}
			for i := 0; i < extra; i++ {
				it.Actions = append(it.Actions, planFormAction{Status: string(mtvp.ActionPlanned)})
			}
			for n := range it.Actions {
				it.Actions[n].Prefix = it.Prefix + "actions." + strconv.Itoa(n) + "."
				it.Actions[n].N = n + 1
			}
			el.Items = append(el.Items, it)
		}
		if len(el.Items) > 0 {
			out = append(out, el)
		}
	}
	return out
}

// readPlanForm reads the posted form: typed items (blank action rows
// dropped) and the content they make, with date parse errors.
func readPlanForm(r *http.Request, rules mtvp.PlanRules, errs mtvp.FieldErrors) (string, []planFormItem, mtvp.PlanContent) {
	g := func(k string) string { return r.PostFormValue(k) }
	ambition := g("ambition")
	c := mtvp.PlanContent{Ambition: ambition}
	var items []planFormItem
	if rules.Regioplan == nil {
		return ambition, nil, c
	}
	for _, iv := range rules.Regioplan.Interventions {
		p := "items." + iv.Code + "."
		fi := planFormItem{Iv: iv, Prefix: p, Chosen: iv.Mandatory || g(p+"chosen") == "1",
			Current: g(p + "current"), Goal: g(p + "goal"), Measure: g(p + "measure"), Notes: g(p + "notes")}
		n, _ := strconv.Atoi(g(p + "count"))
		if n > 60 {
			n = 60
		}
		for i := 0; i < n; i++ {
			ap := p + "actions." + strconv.Itoa(i) + "."
			a := planFormAction{Description: strings.TrimSpace(g(ap + "description")), Owner: strings.TrimSpace(g(ap + "owner")),
				Start: strings.TrimSpace(g(ap + "start")), End: strings.TrimSpace(g(ap + "end")), Status: g(ap + "status")}
			if !a.blank() {
				fi.Actions = append(fi.Actions, a)
			}
		}
		it := mtvp.PlanItem{InterventionID: iv.ID, Current: fi.Current, Goal: fi.Goal, Measure: fi.Measure, Notes: fi.Notes}
		for i, a := range fi.Actions {
			ap := p + "actions." + strconv.Itoa(i) + "."
			start, err := mtvp.ParseDate(a.Start)
			if err != nil && fi.Chosen {
				errs.Add(ap+"start", "err.date_format")
			}
			end, err := mtvp.ParseDate(a.End)
			if err != nil && fi.Chosen {
				errs.Add(ap+"end", "err.date_format")
			}
			it.Actions = append(it.Actions, mtvp.PlanAction{Description: a.Description, Owner: a.Owner, Start: start, End: end, Status: mtvp.ActionStatus(a.Status)})
		}
		if fi.Chosen {
			c.Items = append(c.Items, it)
		}
		items = append(items, fi)
	}
	return ambition, items, c
}

func (s *Server) planFormBase(r *http.Request, reg mtvp.Region, p mtvp.Practice, year int) (planFormData, mtvp.Plan, mtvp.PlanRules, error) {
	pl, err := s.loadPlan(r, p, year)
	if err != nil {
		return planFormData{}, pl, mtvp.PlanRules{}, err
	}
	rules, err := s.db.PlanRules(r.Context(), reg.ID, year)
	if err != nil {
		return planFormData{}, pl, rules, err
	}
	lang := s.lang(r)
	d := planFormData{Region: reg, Practice: p, Base: planURL(reg, p.ID, year), Year: year, MTVPYear: mtvp.MTVPYear(p.JoinedOn, year),
		Version: pl.Version, ActionStatuses: mtvp.ActionStatuses, NoRegioplan: rules.Regioplan == nil}
	if l := pl.Latest(); l != nil {
		d.BaseNumber = l.Number
		if l.Status != mtvp.PlanConcept {
			d.Locked = i18n.T(lang, "plan.locked."+string(l.Status))
			d.LockedStep = mtvp.StepBack
			if l.Status == mtvp.PlanFinal {
				d.LockedStep = mtvp.StepRevise
			}
		}
	}
	var mins []string
	for _, e := range mtvp.Elements {
		if m := rules.MinPerElement[e]; m > 0 {
			mins = append(mins, i18n.T(lang, "plan.min_element", string(e), e.Name(), m))
		}
	}
	d.Minimums = strings.Join(mins, "; ")
	return d, pl, rules, nil
}

func (s *Server) getEditPlan(w http.ResponseWriter, r *http.Request) error {
	reg, p, year, err := s.editablePlan(r)
	if err != nil {
		return err
	}
	d, pl, rules, err := s.planFormBase(r, reg, p, year)
	if err != nil {
		return err
	}
	var c mtvp.PlanContent
	if l := pl.Latest(); l != nil {
		c = l.Content
	}
	d.Ambition = c.Ambition
	d.Elements = planFormFrom(rules, c, s.lang(r))
	return s.renderPlanForm(w, r, http.StatusOK, d, nil, "")
}

func (s *Server) postPlan(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, p, year, err := s.editablePlan(r)
	if err != nil {
		return err
	}
	d, pl, rules, err := s.planFormBase(r, reg, p, year)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	errs := mtvp.FieldErrors{}
	ambition, items, c := readPlanForm(r, rules, errs)
	d.Ambition = ambition
	// The form's own version and base, not the stored ones: a conflict is
	// judged against what the user started from.
	d.Version = formVersion(r)
	d.BaseNumber, _ = strconv.Atoi(r.PostFormValue("base"))
	if add := r.PostFormValue("add_action"); add != "" {
		d.Elements = planFormGroup(items, rules, add)
		return s.renderPlanForm(w, r, http.StatusOK, d, nil, "")
	}
	if len(errs) == 0 {
		saved, err := s.db.SavePlan(ctx, actorOf(currentUser(r)), p.ID, year, d.Version, &c)
		switch {
		case err == nil:
			// Show the version just saved, not the final one in force.
			s.flash(r, "plan.flash.saved")
			to := planURL(reg, p.ID, year)
			if v := saved.Latest(); v != nil {
				to += "?versie=" + strconv.Itoa(v.Number)
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			// Show what changed since the user's base version; the next
			// save (with the new version) is a deliberate overwrite.
			var from mtvp.PlanContent
			if v := pl.VersionByNumber(d.BaseNumber); v != nil {
				from = v.Content
			}
			if l := pl.Latest(); l != nil {
				d.Conflict = planDiffRows(lang, mtvp.DiffPlan(from, l.Content))
				d.BaseNumber = l.Number
			}
			d.Version = pl.Version
			d.Elements = planFormGroup(items, rules, "")
			return s.renderPlanForm(w, r, http.StatusConflict, d, nil, i18n.T(lang, "plan.conflict"))
		case len(mtvp.FieldErrorsOf(err)) == 0 && mtvp.ErrorCode(err) == mtvp.EINVALID:
			d.Elements = planFormGroup(items, rules, "")
			return s.renderPlanForm(w, r, http.StatusUnprocessableEntity, d, nil, planErrorText(lang, err))
		case !mergeErrors(errs, err):
			return err
		}
	}
	d.Elements = planFormGroup(items, rules, "")
	return s.renderPlanForm(w, r, http.StatusUnprocessableEntity, d, errs, "")
}

func (s *Server) renderPlanForm(w http.ResponseWriter, r *http.Request, status int, d planFormData, errs mtvp.FieldErrors, text string) error {
	v := s.newView(r, d)
	v.Region = &d.Region
	v.Nav = navForPractice(v.User, d.Practice)
	v.Errors = errs
	v.StatusMsg = text
	return s.render(w, r, status, "plan_form", v)
}
