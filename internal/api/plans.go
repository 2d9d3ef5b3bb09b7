package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// planRoutes: a practice's plan van aanpak per year (get, save the text as
// a new version, list versions, move through the workflow, record the team
// discussion) and the region's plan overview.
func (a *API) planRoutes() []route {
	const one = "/api/v1/practices/{id}/plans/{year}"
	return []route{
		{"GET " + one, false, a.getPlan},
		{"PUT " + one, false, a.putPlan},
		{"GET " + one + "/versions", false, a.listPlanVersions},
		{"POST " + one + "/steps", false, a.postPlanStep},
		{"PUT " + one + "/agreement", false, a.putPlanAgreement},
		{"GET /api/v1/regions/{code}/plans", false, a.listRegionPlans},
	}
}

type planActionJSON struct {
	Description string            `json:"description"`
	Owner       string            `json:"owner"`
	Start       date              `json:"start"`
	End         date              `json:"end"`
	Status      mtvp.ActionStatus `json:"status"`
}

type planItemJSON struct {
	InterventionID int64            `json:"intervention_id"`
	Code           string           `json:"code"`
	Title          string           `json:"title"`
	Element        mtvp.Element     `json:"element"`
	Mandatory      bool             `json:"mandatory"`
	Current        string           `json:"current"`
	Goal           string           `json:"goal"`
	Actions        []planActionJSON `json:"actions"`
	Measure        string           `json:"measure"`
	Notes          string           `json:"notes"`
}

type agreementJSON struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
}

// planVersionJSON is one saved version; content only where asked for.
type planVersionJSON struct {
	Number      int             `json:"number"`
	Status      mtvp.PlanStatus `json:"status"`
	SavedBy     string          `json:"saved_by"`
	SavedAt     time.Time       `json:"saved_at"`
	DiscussedOn date            `json:"discussed_on"`
	Agreed      []agreementJSON `json:"agreed"`
	FinalisedBy string          `json:"finalised_by,omitempty"`
	FinalisedAt *time.Time      `json:"finalised_at,omitempty"`
	Ambition    *string         `json:"ambition,omitempty"`
	Items       []planItemJSON  `json:"items,omitempty"`
}

type planJSON struct {
	ID             int64             `json:"id"`
	PracticeID     int64             `json:"practice_id"`
	Year           int               `json:"year"`
	MTVPYear       int               `json:"mtvp_year"`
	Status         mtvp.PlanStatus   `json:"status"`
	CurrentVersion int               `json:"current_version"`
	Version        int               `json:"version"`
	Latest         planVersionJSON   `json:"latest"`
	Versions       []planVersionJSON `json:"versions"`
	UpdatedAt      time.Time         `json:"updated_at"`
}

func planVersionToJSON(v *mtvp.PlanVersion, content bool) planVersionJSON {
	j := planVersionJSON{Number: v.Number, Status: v.Status, SavedBy: v.SavedBy.Name, SavedAt: v.SavedAt.UTC(),
		DiscussedOn: dateOf(v.DiscussedOn), Agreed: []agreementJSON{}, FinalisedBy: v.FinalisedBy.Name}
	for _, ag := range v.Agreed {
		j.Agreed = append(j.Agreed, agreementJSON{PersonID: ag.PersonID, Name: ag.Name})
	}
	if !v.FinalisedAt.IsZero() {
		t := v.FinalisedAt.UTC()
		j.FinalisedAt = &t
	}
	if content {
		amb := v.Content.Ambition
		j.Ambition = &amb
		j.Items = []planItemJSON{}
		for _, it := range v.Content.Items {
			ij := planItemJSON{InterventionID: it.InterventionID, Code: it.Code, Title: it.Title, Element: it.Element, Mandatory: it.Mandatory,
				Current: it.Current, Goal: it.Goal, Measure: it.Measure, Notes: it.Notes, Actions: []planActionJSON{}}
			for _, ac := range it.Actions {
				ij.Actions = append(ij.Actions, planActionJSON{Description: ac.Description, Owner: ac.Owner, Start: dateOf(ac.Start), End: dateOf(ac.End), Status: ac.Status})
			}
			j.Items = append(j.Items, ij)
		}
	}
	return j
}

func planToJSON(pl mtvp.Plan, p *mtvp.Practice) planJSON {
	j := planJSON{ID: pl.ID, PracticeID: pl.PracticeID, Year: pl.Year, MTVPYear: mtvp.MTVPYear(p.JoinedOn, pl.Year),
		Status: pl.Status(), Version: pl.Version, UpdatedAt: pl.UpdatedAt.UTC(), Versions: []planVersionJSON{}}
	if c := pl.Current(); c != nil {
		j.CurrentVersion = c.Number
	}
	if l := pl.Latest(); l != nil {
		j.Latest = planVersionToJSON(l, true)
	}
	for i := range pl.Versions {
		j.Versions = append(j.Versions, planVersionToJSON(&pl.Versions[i], false))
	}
	return j
}

// planScope loads the practice ({id}, visible to the caller, else 404) and
// the {year}.
func (a *API) planScope(r *http.Request) (mtvp.Practice, int, error) {
	p, err := a.practiceFor(r)
	if err != nil {
		return p, 0, err
	}
	if !userOf(r).CanSeePlan(&p) {
		return p, 0, errNotFound
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2020 || year > 2100 {
		return p, 0, errNotFound
	}
	return p, year, nil
}

// editablePlan: the consultant reads but may not change (403).
func (a *API) editablePlan(r *http.Request) (mtvp.Practice, int, error) {
	p, year, err := a.planScope(r)
	if err != nil {
		return p, year, err
	}
	if !userOf(r).CanEditPlan(&p) {
		return p, year, errForbidden
	}
	return p, year, nil
}

func (a *API) getPlan(w http.ResponseWriter, r *http.Request) error {
	p, year, err := a.planScope(r)
	if err != nil {
		return err
	}
	pl, err := a.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, planToJSON(pl, &p))
	return nil
}

func (a *API) listPlanVersions(w http.ResponseWriter, r *http.Request) error {
	p, year, err := a.planScope(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	pl, err := a.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	items := make([]planVersionJSON, 0, len(pl.Versions))
	for i := range pl.Versions {
		items = append(items, planVersionToJSON(&pl.Versions[i], true))
	}
	writePage(w, pg, items)
	return nil
}

// planInput is the body of PUT: the plan's version as read (0 for a new
// plan) and the whole text.
type planInput struct {
	Version  *int           `json:"version"`
	Base     int            `json:"base"`
	Ambition string         `json:"ambition"`
	Items    []planItemJSON `json:"items"`
}

// stepError answers a refused workflow step with its reason.
func stepError(err error) error {
	if mtvp.ErrorCode(err) == mtvp.EINVALID && len(mtvp.FieldErrorsOf(err)) == 0 {
		args := mtvp.StepArgs(err)
		for i, a := range args {
			if st, ok := a.(string); ok && mtvp.PlanStatus(st).Valid() {
				args[i] = msgKey("plan.status." + st)
			}
		}
		return &apiError{status: http.StatusUnprocessableEntity, code: mtvp.EINVALID, key: mtvp.ErrorMessage(err), args: args}
	}
	return err
}

// putPlan saves the text as a new version (creating the plan when version
// is 0). A stale version is 409 with the plan as stored.
func (a *API) putPlan(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	p, year, err := a.editablePlan(r)
	if err != nil {
		return err
	}
	var in planInput
	var c mtvp.PlanContent
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) (err error) {
		c, err = a.planContentOf(r, p.RegionID, year, in, f)
		return err
	})
	if err != nil {
		return err
	}
	pl, err := a.db.SavePlan(r.Context(), actorOf(u), p.ID, year, version, &c)
	if err != nil {
		// stepError leaves writeFailed's 409 and 422 as they are.
		return stepError(writeFailed(err, asOnWire, func() error { return a.planConflict(r, &p, year, in.Base) }))
	}
	status := http.StatusOK
	if version == 0 {
		status = http.StatusCreated
	}
	writeJSON(w, status, planToJSON(pl, &p))
	return nil
}

// planContentOf builds the text of a plan from the body; a malformed date
// is a field error named as the store names its fields:
// items.CODE.actions.N.field (the intervention's code in the region's
// regioplan of the year, else its id).
func (a *API) planContentOf(r *http.Request, regionID int64, year int, in planInput, f mtvp.FieldErrors) (mtvp.PlanContent, error) {
	rules, err := a.db.PlanRules(r.Context(), regionID, year)
	if err != nil {
		return mtvp.PlanContent{}, err
	}
	codes := map[int64]string{}
	if rules.Regioplan != nil {
		for _, iv := range rules.Regioplan.Interventions {
			codes[iv.ID] = iv.Code
		}
	}
	c := mtvp.PlanContent{Ambition: in.Ambition}
	for _, it := range in.Items {
		pi := mtvp.PlanItem{InterventionID: it.InterventionID, Current: it.Current, Goal: it.Goal, Measure: it.Measure, Notes: it.Notes}
		code, ok := codes[it.InterventionID]
		if !ok {
			code = strconv.FormatInt(it.InterventionID, 10)
		}
		for n, ac := range it.Actions {
			field := "items." + code + ".actions." + strconv.Itoa(n) + "."
			pi.Actions = append(pi.Actions, mtvp.PlanAction{Description: ac.Description, Owner: ac.Owner,
				Start: ac.Start.check(f, field+"start"), End: ac.End.check(f, field+"end"), Status: ac.Status})
		}
		c.Items = append(c.Items, pi)
	}
	return c, nil
}

type planStepInput struct {
	Version *int          `json:"version"`
	Base    int           `json:"base"`
	Step    mtvp.PlanStep `json:"step"`
	// FinalisedOn is the real date of a finalisation recorded afterwards
	// (step "definitief" only; mtvp.RecordDate decides who may give it).
	FinalisedOn date `json:"finalised_on"`
}

// postPlanStep moves the plan: "delen", "terug", "definitief", "herzien";
// 201: the step is recorded (in the plan's history), the body is the plan.
// A refused step is 422 with the reason; a stale version 409.
func (a *API) postPlanStep(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	p, year, err := a.editablePlan(r)
	if err != nil {
		return err
	}
	var in planStepInput
	var on mtvp.Date
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		on = in.FinalisedOn.check(f, "finalised_on")
		if !on.IsZero() && in.Step != mtvp.StepFinalise {
			f.Add("finalised_on", "history.err.finalised_on_step")
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !on.IsZero() {
		if on, err = mtvp.RecordDate(mtvp.RecorderFor(u, p.RegionID), on, mtvp.DateOf(clock.Now()), year, "finalised_on"); err != nil {
			return err
		}
	}
	stored, err := a.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	pl, err := a.db.PlanStepOn(r.Context(), actorOf(u), stored.ID, version, in.Step, on)
	if err != nil {
		return stepError(writeFailed(err, nil, func() error { return a.planConflict(r, &p, year, in.Base) }))
	}
	writeJSON(w, http.StatusCreated, planToJSON(pl, &p))
	return nil
}

type planAgreementInput struct {
	Version     *int    `json:"version"`
	Base        int     `json:"base"`
	DiscussedOn date    `json:"discussed_on"`
	Agreed      []int64 `json:"agreed"`
}

// putPlanAgreement records (replaces) the record of when the team discussed the plan (in
// bespreking) and which current staff agreed.
func (a *API) putPlanAgreement(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	p, year, err := a.editablePlan(r)
	if err != nil {
		return err
	}
	var in planAgreementInput
	var discussed mtvp.Date
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		discussed = in.DiscussedOn.check(f, "discussed_on")
		return nil
	})
	if err != nil {
		return err
	}
	stored, err := a.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	pl, err := a.db.RecordPlanAgreement(r.Context(), actorOf(u), stored.ID, version, discussed, in.Agreed)
	if err != nil {
		return stepError(writeFailed(err, asOnWire, func() error { return a.planConflict(r, &p, year, in.Base) }))
	}
	writeJSON(w, http.StatusOK, planToJSON(pl, &p))
	return nil
}

// planChangeJSON is one change made meanwhile, for a 409: the field as
// people read it (label, in the caller's language) with its old and new
// value.
type planChangeJSON struct {
	mtvp.PlanChange
	Label string `json:"label"`
}

// planConflict is the 409 of a plan write with a stale version: a message
// naming the plan's status and version now, the plan as stored and, when
// the client named the version number it started from (base), what changed
// since then: the version and the text field by field.
func (a *API) planConflict(r *http.Request, p *mtvp.Practice, year, base int) error {
	stored, err := a.db.Plan(r.Context(), p.ID, year)
	if err != nil {
		return err
	}
	ae := conflict(planToJSON(stored, p))
	latest := stored.Latest()
	if latest == nil {
		return ae
	}
	// The message says where the plan stands now.
	ae.key = "api.err.plan_conflict"
	ae.args = []any{msgKey("plan.status." + string(latest.Status)), latest.Number}
	from := stored.VersionByNumber(base)
	if from == nil {
		return ae
	}
	lang := langOf(r)
	t := func(k string, args ...any) string { return i18n.T(lang, k, args...) }
	status := func(v *mtvp.PlanVersion) string {
		return t("plan.status."+string(v.Status)) + " (" + t("plan.version") + " " + strconv.Itoa(v.Number) + ")"
	}
	changes := []planChangeJSON{}
	if from.Number != latest.Number {
		changes = append(changes, planChangeJSON{PlanChange: mtvp.PlanChange{Field: "status", Old: status(from), New: status(latest)}, Label: t("plan.status_label")})
	}
	for _, c := range mtvp.DiffPlan(from.Content, latest.Content) {
		label := t("plan.field." + c.Field)
		switch {
		case c.Field == "item":
			label = t("plan.diff.item")
		case c.Action > 0:
			label = t("plan.diff.action", c.Action, t("plan.field."+c.Field))
			if c.Field == "status" {
				c.Old, c.New = actionStatusText(lang, c.Old), actionStatusText(lang, c.New)
			}
		}
		if c.Section != "" {
			label = strings.TrimSpace(c.Section+" "+c.Title) + " · " + label
		}
		changes = append(changes, planChangeJSON{PlanChange: c, Label: label})
	}
	ae.changes = changes
	return ae
}

func actionStatusText(lang, s string) string {
	if s == "" {
		return ""
	}
	return i18n.T(lang, "plan.action_status."+s)
}

type planSummaryJSON struct {
	PracticeID   int64      `json:"practice_id"`
	PracticeName string     `json:"practice_name"`
	AGB          string     `json:"agb"`
	PlanID       *int64     `json:"plan_id"`
	Status       string     `json:"status"`
	Version      int        `json:"version"`
	HasFinal     bool       `json:"has_final"`
	LastChange   *time.Time `json:"last_change"`
}

// listRegionPlans: per practice the plan status for ?year= (default this
// year); region admins see all, consultants their own practices.
func (a *API) listRegionPlans(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	if !u.CanListPlans(reg.ID) {
		return errForbidden
	}
	pg, err := pageParams(r, "year")
	if err != nil {
		return err
	}
	year, err := queryYear(r.URL.Query(), "year", clock.Now().Year())
	if err != nil {
		return err
	}
	var only int64
	if !u.CanAdminRegion(reg.ID) {
		only = u.ID
	}
	rows, err := a.db.PlanOverview(r.Context(), reg.ID, year, only)
	if err != nil {
		return err
	}
	items := make([]planSummaryJSON, 0, len(rows))
	for _, s := range rows {
		j := planSummaryJSON{PracticeID: s.PracticeID, PracticeName: s.PracticeName, AGB: s.PracticeAGB, Status: string(s.Status), Version: s.Number, HasFinal: s.HasFinal}
		if s.Status == mtvp.PlanNone {
			j.Status = "geen"
		}
		if s.PlanID != 0 {
			id := s.PlanID
			j.PlanID = &id
		}
		if !s.LastChange.IsZero() {
			t := s.LastChange.UTC()
			j.LastChange = &t
		}
		items = append(items, j)
	}
	writePage(w, pg, items)
	return nil
}
