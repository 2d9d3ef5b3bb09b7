package web

import (
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// Region settings: the region's details and the norms agreed with its
// insurers (thresholds, who counts, prior learning, requirements, inflow).

// stForm is the settings form as typed. Field names equal the keys of
// mtvp's validation errors so messages land beside the right field.
type stForm struct {
	Version        int
	Name           string
	Insurers       string
	ProgrammeStart string
	Share          bool
	Thresholds     map[string]string // "intervision_threshold" → "50"
	Roles          map[string][]string
	Themes         map[string]string // "assistant_themes" → lines
	Cutoff         string
	Requirements   []string
	MinPer         map[string]string // "A" → "1"
	Inflow         string
	AtRisk         string
	VisitsFrom     string
}

// The three norms and their field names.
var stNorms = []struct{ Key, Threshold, Roles, Themes string }{
	{"intervision", "intervision_threshold", "intervision_roles", ""},
	{"assistant_training", "assistant_training_threshold", "assistant_training_roles", "assistant_themes"},
	{"gp_training", "gp_training_threshold", "gp_training_roles", "gp_themes"},
}

func stFormOf(reg mtvp.Region) stForm {
	st := reg.Settings
	f := stForm{
		Version: reg.Version, Name: reg.Name, Insurers: strings.Join(reg.Insurers, ", "),
		ProgrammeStart: admDateInput(reg.ProgrammeStart), Share: reg.ShareParticipation,
		Thresholds: map[string]string{
			"intervision_threshold":        admPercent(st.IntervisionThreshold),
			"assistant_training_threshold": admPercent(st.AssistantTrainingThreshold),
			"gp_training_threshold":        admPercent(st.GPTrainingThreshold),
		},
		Roles: map[string][]string{
			"intervision_roles":        stRoleStrings(st.IntervisionRoles),
			"assistant_training_roles": stRoleStrings(st.AssistantTrainingRoles),
			"gp_training_roles":        stRoleStrings(st.GPTrainingRoles),
		},
		Themes: map[string]string{
			"assistant_themes": strings.Join(st.AssistantThemes, "\n"),
			"gp_themes":        strings.Join(st.GPThemes, "\n"),
		},
		Cutoff:     admDateInput(st.PriorLearningCutoff),
		MinPer:     map[string]string{},
		Inflow:     strconv.Itoa(st.InflowQuotaPercent),
		AtRisk:     strconv.Itoa(st.AtRiskDays),
		VisitsFrom: admDateInput(st.VisitsRecordedFrom),
	}
	for _, q := range st.Requirements {
		f.Requirements = append(f.Requirements, string(q))
	}
	for _, e := range mtvp.Elements {
		if n := st.MinPerElement[e]; n > 0 {
			f.MinPer[string(e)] = strconv.Itoa(n)
		}
	}
	return f
}

func stRoleStrings(rs []mtvp.StaffRole) []string {
	var out []string
	for _, r := range rs {
		out = append(out, string(r))
	}
	return out
}

func readSettingsForm(r *http.Request) stForm {
	f := stForm{
		Version:        formVersion(r),
		Name:           strings.TrimSpace(r.PostFormValue("name")),
		Insurers:       strings.TrimSpace(r.PostFormValue("insurers")),
		ProgrammeStart: strings.TrimSpace(r.PostFormValue("programme_start")),
		Share:          r.PostFormValue("share_participation") != "",
		Thresholds:     map[string]string{},
		Roles:          map[string][]string{},
		Themes:         map[string]string{},
		Cutoff:         strings.TrimSpace(r.PostFormValue("prior_learning_cutoff")),
		Requirements:   admFormList(r, "requirements"),
		MinPer:         map[string]string{},
		Inflow:         strings.TrimSpace(r.PostFormValue("inflow_quota_percent")),
		AtRisk:         strings.TrimSpace(r.PostFormValue("at_risk_days")),
		VisitsFrom:     strings.TrimSpace(r.PostFormValue("visits_recorded_from")),
	}
	for _, n := range stNorms {
		f.Thresholds[n.Threshold] = strings.TrimSpace(r.PostFormValue(n.Threshold))
		f.Roles[n.Roles] = admFormList(r, n.Roles)
		if n.Themes != "" {
			f.Themes[n.Themes] = r.PostFormValue(n.Themes)
		}
	}
	for _, e := range mtvp.Elements {
		f.MinPer[string(e)] = strings.TrimSpace(r.PostFormValue("min_per_element." + string(e)))
	}
	return f
}

// apply writes the typed settings into reg; parse errors go to errs.
func (f stForm) apply(r *http.Request, reg *mtvp.Region, errs mtvp.FieldErrors) {
	reg.Version = f.Version
	reg.Name = f.Name
	reg.Insurers = admSplitComma(f.Insurers)
	reg.ProgrammeStart = formDate(r, "programme_start", errs)
	if reg.ProgrammeStart.IsZero() {
		errs.Add("programme_start", "err.required")
	}
	reg.ShareParticipation = f.Share
	st := &reg.Settings
	st.IntervisionThreshold = admFormPercent(r, "intervision_threshold", errs)
	st.AssistantTrainingThreshold = admFormPercent(r, "assistant_training_threshold", errs)
	st.GPTrainingThreshold = admFormPercent(r, "gp_training_threshold", errs)
	roles := func(name string) []mtvp.StaffRole {
		var out []mtvp.StaffRole
		for _, v := range f.Roles[name] {
			out = append(out, mtvp.StaffRole(v))
		}
		return out
	}
	st.IntervisionRoles = roles("intervision_roles")
	st.AssistantTrainingRoles = roles("assistant_training_roles")
	st.GPTrainingRoles = roles("gp_training_roles")
	st.AssistantThemes = admSplitLines(f.Themes["assistant_themes"])
	st.GPThemes = admSplitLines(f.Themes["gp_themes"])
	st.PriorLearningCutoff = formDate(r, "prior_learning_cutoff", errs)
	if st.PriorLearningCutoff.IsZero() {
		errs.Add("prior_learning_cutoff", "err.required")
	}
	st.Requirements = nil
	for _, q := range f.Requirements {
		st.Requirements = append(st.Requirements, mtvp.Requirement(q))
	}
	st.MinPerElement = map[mtvp.Element]int{}
	for _, e := range mtvp.Elements {
		name := "min_per_element." + string(e)
		if n := formInt(r, name, errs); n != 0 {
			if n < 0 || n > 20 {
				errs.Add(name, "err.min_per_element")
			}
			st.MinPerElement[e] = n
		}
	}
	if len(st.MinPerElement) == 0 {
		st.MinPerElement = nil
	}
	st.InflowQuotaPercent = stRequiredInt(r, "inflow_quota_percent", errs)
	st.AtRiskDays = stRequiredInt(r, "at_risk_days", errs)
	// Optional: empty means the region does not record visits here.
	st.VisitsRecordedFrom = formDate(r, "visits_recorded_from", errs)
}

func stRequiredInt(r *http.Request, name string, errs mtvp.FieldErrors) int {
	if strings.TrimSpace(r.PostFormValue(name)) == "" {
		errs.Add(name, "err.required")
		return 0
	}
	return formInt(r, name, errs)
}

type stNormView struct {
	Key       string // message key suffix
	Threshold string // field names
	Roles     string
	Themes    string
	Value     string
	RoleOpts  []admChoice
	ThemeText string
}

type stData struct {
	Region       mtvp.Region
	Form         stForm
	Norms        []stNormView
	Requirements []admChoice
	Elements     []mtvp.Element
	Action       string
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, f stForm, errs mtvp.FieldErrors, errKey string) error {
	lang := s.lang(r)
	d := stData{Region: reg, Form: f, Elements: mtvp.Elements, Action: admRegionURL(reg) + "/instellingen"}
	for _, n := range stNorms {
		nv := stNormView{Key: n.Key, Threshold: n.Threshold, Roles: n.Roles, Themes: n.Themes, Value: f.Thresholds[n.Threshold], ThemeText: f.Themes[n.Themes]}
		for _, role := range mtvp.StaffRoles {
			nv.RoleOpts = append(nv.RoleOpts, admChoice{Value: string(role), Label: i18n.T(lang, "role."+string(role)), Selected: admHas(f.Roles[n.Roles], string(role))})
		}
		d.Norms = append(d.Norms, nv)
	}
	for _, q := range mtvp.AllRequirements {
		d.Requirements = append(d.Requirements, admChoice{Value: string(q), Label: i18n.T(lang, "admin.requirement."+string(q)), Selected: admHas(f.Requirements, string(q))})
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "settings"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "admin_settings", v)
}

func (s *Server) getRegionSettings(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	return s.renderSettings(w, r, http.StatusOK, reg, stFormOf(reg), nil, "")
}

func (s *Server) postRegionSettings(w http.ResponseWriter, r *http.Request) error {
	stored, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	f := readSettingsForm(r)
	if f.Version != stored.Version {
		f.Version = stored.Version
		return s.renderSettings(w, r, http.StatusConflict, stored, f, nil, "admin.settings.conflict")
	}
	errs := mtvp.FieldErrors{}
	reg := stored
	f.apply(r, &reg, errs)
	reg.Normalize()
	mergeErrors(errs, reg.Validate())
	if len(errs) == 0 {
		err = s.db.UpdateRegion(r.Context(), actorOf(currentUser(r)), &reg)
		switch {
		case err == nil:
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			if cur, lerr := s.db.RegionByID(r.Context(), stored.ID); lerr == nil {
				f.Version = cur.Version
			}
			return s.renderSettings(w, r, http.StatusConflict, stored, f, nil, "admin.settings.conflict")
		case !mergeErrors(errs, err):
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderSettings(w, r, http.StatusUnprocessableEntity, stored, f, errs, "")
	}
	s.flash(r, "admin.settings.saved")
	http.Redirect(w, r, admRegionURL(reg)+"/instellingen", http.StatusSeeOther)
	return nil
}
