package web

import (
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// The regioplan: what the region offers per core element in a programme
// (calendar) year, the minimum conditions and the learning environment.
// Every role in the region reads it; region admins edit it.

const maxPlanRows = 200 // interventions in one plan form

func rpURL(reg mtvp.Region, year int) string {
	return admRegionURL(reg) + "/regioplan/" + strconv.Itoa(year)
}

// admPathYear parses {year}; anything outside the plan's range is not found.
func admPathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 2020 || y > 2100 {
		return 0, notFound
	}
	return y, nil
}

// getRegioplanCurrent sends the reader to this year's plan, or else to the
// newest plan there is.
func (s *Server) getRegioplanCurrent(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	years, err := s.db.RegioplanYears(r.Context(), reg.ID)
	if err != nil {
		return err
	}
	year := s.cfg.Now().In(amsterdam).Year()
	if len(years) > 0 && !admHasInt(years, year) {
		year = years[len(years)-1]
	}
	http.Redirect(w, r, rpURL(reg, year), http.StatusSeeOther)
	return nil
}

func admHasInt(list []int, n int) bool {
	for _, x := range list {
		if x == n {
			return true
		}
	}
	return false
}

// loadRegioplan returns the plan of a year; exists is false (and the plan
// empty) when the region has none for it yet.
func (s *Server) loadRegioplan(r *http.Request, reg mtvp.Region, year int) (plan mtvp.Regioplan, exists bool, err error) {
	plan, err = s.db.Regioplan(r.Context(), reg.ID, year)
	switch mtvp.ErrorCode(err) {
	case "":
		return plan, true, nil
	case mtvp.ENOTFOUND:
		return mtvp.Regioplan{RegionID: reg.ID, Year: year}, false, nil
	}
	return plan, false, err
}

type rpElement struct {
	Element       mtvp.Element
	Name          string
	Interventions []mtvp.Intervention
	Minimum       int // the region's minimum choices per practice and year
}

type rpCondition struct {
	Key, Label, Text string
	// Learning: the learning-environment condition, under which the
	// activity kinds counting towards it are listed (Kinds, read-only).
	Learning bool
	Kinds    []rpKindHeld
}

// rpKindHeld is an activity kind counting towards the learning-environment
// minimum with the number of its activities held in the year.
type rpKindHeld struct {
	Label string
	Held  int
}

// learningKinds lists the region's activity kinds that count towards the
// learning-environment minimum, with the activities held in year up to
// today.
func (s *Server) learningKinds(r *http.Request, reg mtvp.Region, year int) ([]rpKindHeld, error) {
	kinds, err := s.db.ActivityKinds(r.Context(), reg.ID)
	if err != nil {
		return nil, err
	}
	held, err := s.db.ActivitiesHeld(r.Context(), reg.ID, year, mtvp.DateOf(s.cfg.Now()))
	if err != nil {
		return nil, err
	}
	lang := s.lang(r)
	var out []rpKindHeld
	for _, k := range kinds {
		if k.Counts == mtvp.CountsRegioplan {
			out = append(out, rpKindHeld{Label: kindLabel(lang, kinds, k.Code), Held: held[k.Code]})
		}
	}
	return out, nil
}

type rpPageData struct {
	Region     mtvp.Region
	Year       int
	Exists     bool
	Plan       mtvp.Regioplan
	Elements   []rpElement
	Conditions []rpCondition
	Offers     []string // translated names of the offers switched on
	Mandatory  int
	Years      []int
	CanEdit    bool
	CopyYear   int // year a copy would start; 0 when it may not be copied
	Base       string
}

func (s *Server) getRegioplan(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	year, err := admPathYear(r)
	if err != nil {
		return err
	}
	plan, exists, err := s.loadRegioplan(r, reg, year)
	if err != nil {
		return err
	}
	years, err := s.db.RegioplanYears(ctx, reg.ID)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	d := rpPageData{Region: reg, Year: year, Exists: exists, Plan: plan, Years: years,
		CanEdit: currentUser(r).CanAdminRegion(reg.ID), Mandatory: len(plan.Mandatory()), Base: admRegionURL(reg) + "/regioplan"}
	for _, e := range mtvp.Elements {
		d.Elements = append(d.Elements, rpElement{Element: e, Name: e.Name(), Interventions: plan.ByElement(e), Minimum: reg.Settings.MinPerElement[e]})
	}
	for _, c := range mtvp.Conditions {
		rc := rpCondition{Key: c, Label: i18n.T(lang, "admin.condition."+c), Text: plan.Conditions[c], Learning: c == mtvp.ConditionLearningEnvironment}
		if rc.Learning {
			if rc.Kinds, err = s.learningKinds(r, reg, year); err != nil {
				return err
			}
		}
		d.Conditions = append(d.Conditions, rc)
	}
	for _, o := range mtvp.LearningOffers {
		if admHas(plan.LearningOffers, o) {
			d.Offers = append(d.Offers, i18n.T(lang, "admin.offer."+o))
		}
	}
	if d.CanEdit && exists && !admHasInt(years, year+1) && year+1 <= 2100 {
		d.CopyYear = year + 1
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "regioplan"
	return s.render(w, r, http.StatusOK, "admin_regioplan", v)
}

// ---- Editor ----

// rpRow is one intervention row of the editor as typed.
type rpRow struct {
	Index       int
	ID          int64
	Code        string
	Element     string
	Title       string
	Description string
	Mandatory   bool
	Remove      bool
}

// rpForm is the whole editor as typed.
type rpForm struct {
	Version    int
	Rows       []rpRow
	Conditions map[string]string
	Offers     []string
	Added      int // 1 + index of a row just added (focused); 0 = none
}

func rpFormOf(p mtvp.Regioplan) rpForm {
	f := rpForm{Version: p.Version, Conditions: map[string]string{}, Offers: append([]string(nil), p.LearningOffers...)}
	for k, v := range p.Conditions {
		f.Conditions[k] = v
	}
	for i, iv := range p.Interventions {
		f.Rows = append(f.Rows, rpRow{Index: i, ID: iv.ID, Code: iv.Code, Element: string(iv.Element), Title: iv.Title, Description: iv.Description, Mandatory: iv.Mandatory})
	}
	return f
}

func rpRowField(i int, field string) string {
	return "interventions." + strconv.Itoa(i) + "." + field
}

// readRegioplanForm reads the editor. Rows are numbered 0..rows-1; unless
// keepEmpty, a row with nothing typed and no ID is dropped (an unused
// "add row").
func readRegioplanForm(r *http.Request, keepEmpty bool) rpForm {
	f := rpForm{Version: formVersion(r), Conditions: map[string]string{}}
	n, _ := strconv.Atoi(r.PostFormValue("rows"))
	if n < 0 {
		n = 0
	}
	if n > maxPlanRows {
		n = maxPlanRows
	}
	for i := 0; i < n; i++ {
		get := func(field string) string { return r.PostFormValue(rpRowField(i, field)) }
		id, _ := strconv.ParseInt(get("id"), 10, 64)
		row := rpRow{
			ID:          max(id, 0),
			Code:        strings.TrimSpace(get("code")),
			Element:     strings.TrimSpace(get("element")),
			Title:       strings.TrimSpace(get("title")),
			Description: strings.TrimSpace(get("description")),
			Mandatory:   get("mandatory") != "",
			Remove:      get("remove") != "",
		}
		if !keepEmpty && row.ID == 0 && row.Code == "" && row.Title == "" && row.Description == "" && !row.Mandatory {
			continue
		}
		row.Index = len(f.Rows)
		f.Rows = append(f.Rows, row)
	}
	for _, c := range mtvp.Conditions {
		if t := strings.TrimSpace(r.PostFormValue("conditions." + c)); t != "" {
			f.Conditions[c] = t
		}
	}
	for _, o := range admFormList(r, "learning_offers") {
		f.Offers = append(f.Offers, o)
	}
	return f
}

// plan builds the plan to save from the form: removed rows left out, IDs
// that are not the stored plan's treated as new rows. rowOf maps the plan's
// intervention index back to the form row, for error messages.
func (f rpForm) plan(stored mtvp.Regioplan) (p mtvp.Regioplan, rowOf []int) {
	known := map[int64]bool{}
	for _, iv := range stored.Interventions {
		known[iv.ID] = true
	}
	p = stored
	p.Version = f.Version
	p.Conditions = f.Conditions
	p.LearningOffers = f.Offers
	p.Interventions = nil
	for _, row := range f.Rows {
		if row.Remove {
			continue
		}
		id := row.ID
		if !known[id] {
			id = 0
		}
		elem := mtvp.Element(row.Element)
		if elem == "" && row.Code != "" {
			elem = mtvp.Element(strings.ToUpper(row.Code[:1]))
		}
		p.Interventions = append(p.Interventions, mtvp.Intervention{
			ID: id, Code: row.Code, Element: elem, Title: row.Title,
			Description: row.Description, Mandatory: row.Mandatory, Position: len(p.Interventions) + 1,
		})
		rowOf = append(rowOf, row.Index)
	}
	return p, rowOf
}

// rpRowErrors renames the plan's "interventions.N.field" errors to the form's
// row numbers.
func rpRowErrors(err error, rowOf []int, errs mtvp.FieldErrors) bool {
	fe := mtvp.FieldErrorsOf(err)
	if mtvp.ErrorCode(err) != mtvp.EINVALID {
		return false
	}
	for k, v := range fe {
		if rest, ok := strings.CutPrefix(k, "interventions."); ok {
			if num, field, ok := strings.Cut(rest, "."); ok {
				if n, err := strconv.Atoi(num); err == nil && n >= 0 && n < len(rowOf) {
					k = rpRowField(rowOf[n], field)
				}
			}
		}
		errs.Add(k, v)
	}
	return true
}

type rpEditData struct {
	Region     mtvp.Region
	Year       int
	IsNew      bool
	Form       rpForm
	Elements   []admChoice // for the element select (Selected unused)
	Conditions []rpCondition
	Offers     []admChoice
	Action     string
	Cancel     string
	RowErrors  map[int]bool
}

func (s *Server) renderRegioplanForm(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, year int, isNew bool, f rpForm, errs mtvp.FieldErrors, errKey string) error {
	lang := s.lang(r)
	d := rpEditData{Region: reg, Year: year, IsNew: isNew, Form: f, Action: rpURL(reg, year), Cancel: rpURL(reg, year), RowErrors: map[int]bool{}}
	for _, e := range mtvp.Elements {
		d.Elements = append(d.Elements, admChoice{Value: string(e), Label: string(e) + " · " + e.Name()})
	}
	for _, c := range mtvp.Conditions {
		d.Conditions = append(d.Conditions, rpCondition{Key: c, Label: i18n.T(lang, "admin.condition."+c), Text: f.Conditions[c]})
	}
	for _, o := range mtvp.LearningOffers {
		d.Offers = append(d.Offers, admChoice{Value: o, Label: i18n.T(lang, "admin.offer."+o), Selected: admHas(f.Offers, o)})
	}
	for k := range errs {
		if rest, ok := strings.CutPrefix(k, "interventions."); ok {
			num, _, _ := strings.Cut(rest, ".")
			if n, err := strconv.Atoi(num); err == nil {
				d.RowErrors[n] = true
			}
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "regioplan"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "admin_regioplan_edit", v)
}

func (s *Server) getEditRegioplan(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	year, err := admPathYear(r)
	if err != nil {
		return err
	}
	plan, exists, err := s.loadRegioplan(r, reg, year)
	if err != nil {
		return err
	}
	f := rpFormOf(plan)
	if len(f.Rows) == 0 {
		f.Rows = []rpRow{{Index: 0}}
	}
	return s.renderRegioplanForm(w, r, http.StatusOK, reg, year, !exists, f, nil, "")
}

// postRegioplan saves the editor, or (action=add) shows it again with one
// more empty row, saving nothing.
func (s *Server) postRegioplan(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	year, err := admPathYear(r)
	if err != nil {
		return err
	}
	stored, exists, err := s.loadRegioplan(r, reg, year)
	if err != nil {
		return err
	}
	adding := r.PostFormValue("action") == "add"
	f := readRegioplanForm(r, adding)
	if adding {
		if len(f.Rows) < maxPlanRows {
			f.Rows = append(f.Rows, rpRow{Index: len(f.Rows)})
			f.Added = len(f.Rows)
		}
		return s.renderRegioplanForm(w, r, http.StatusOK, reg, year, !exists, f, nil, "")
	}
	errs := mtvp.FieldErrors{}
	if exists && f.Version != stored.Version {
		f.Version = stored.Version
		return s.renderRegioplanForm(w, r, http.StatusConflict, reg, year, false, f, nil, "admin.regioplan.conflict")
	}
	if !exists && f.Version != 0 {
		// The plan was there when the form was opened; it is gone now.
		f.Version = 0
		return s.renderRegioplanForm(w, r, http.StatusConflict, reg, year, true, f, nil, "admin.regioplan.conflict")
	}
	plan, rowOf := f.plan(stored)
	if err := plan.Validate(); err != nil {
		rpRowErrors(err, rowOf, errs)
		return s.renderRegioplanForm(w, r, http.StatusUnprocessableEntity, reg, year, !exists, f, errs, "")
	}
	err = s.db.SaveRegioplan(ctx, actorOf(currentUser(r)), &plan)
	switch {
	case err == nil:
	case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
		if cur, ok, lerr := s.loadRegioplan(r, reg, year); lerr == nil && ok {
			f.Version = cur.Version
		}
		return s.renderRegioplanForm(w, r, http.StatusConflict, reg, year, !exists, f, nil, "admin.regioplan.conflict")
	case rpRowErrors(err, rowOf, errs):
		return s.renderRegioplanForm(w, r, http.StatusUnprocessableEntity, reg, year, !exists, f, errs, "")
	default:
		return err
	}
	s.flash(r, "admin.regioplan.saved")
	http.Redirect(w, r, rpURL(reg, year), http.StatusSeeOther)
	return nil
}

// postCopyRegioplan starts next year's plan as a copy of this year's:
// interventions, conditions and learning offers.
func (s *Server) postCopyRegioplan(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	year, err := admPathYear(r)
	if err != nil {
		return err
	}
	src, err := s.db.Regioplan(ctx, reg.ID, year)
	if err != nil {
		return err
	}
	next := year + 1
	if _, exists, err := s.loadRegioplan(r, reg, next); err != nil {
		return err
	} else if exists || next > 2100 {
		s.renderError(w, r, http.StatusConflict, "admin.regioplan.copy_exists")
		return nil
	}
	cp := mtvp.Regioplan{RegionID: reg.ID, Year: next, Conditions: map[string]string{}, LearningOffers: append([]string(nil), src.LearningOffers...)}
	for k, v := range src.Conditions {
		cp.Conditions[k] = v
	}
	for _, iv := range src.Interventions {
		iv.ID = 0
		cp.Interventions = append(cp.Interventions, iv)
	}
	err = s.db.SaveRegioplan(ctx, actorOf(currentUser(r)), &cp)
	if mtvp.ErrorCode(err) == mtvp.ECONFLICT {
		s.renderError(w, r, http.StatusConflict, "admin.regioplan.copy_exists")
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "admin.regioplan.copied")
	http.Redirect(w, r, rpURL(reg, next)+"/bewerken", http.StatusSeeOther)
	return nil
}
