package mtvp

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Region is a regional GP organisation (RHO/ROS) running MTVP with its
// insurers. Regions never see each other's data.
type Region struct {
	ID             int64
	Code           string // short, URL-safe: "zio", "primacura"
	Name           string
	Insurers       []string // "CZ", "VGZ"
	ProgrammeStart Date
	Settings       NormSettings
	// ShareParticipation lets funders see the intervision and training
	// participation lists (names); off by default.
	ShareParticipation bool
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

var regionCodePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,30}$`)

// Normalize trims input before validation.
func (r *Region) Normalize() {
	r.Code = strings.ToLower(strings.TrimSpace(r.Code))
	r.Name = strings.TrimSpace(r.Name)
	var ins []string
	for _, i := range r.Insurers {
		if i = strings.TrimSpace(i); i != "" {
			ins = append(ins, i)
		}
	}
	r.Insurers = ins
}

// Validate checks a region and its settings.
func (r *Region) Validate() error {
	f := FieldErrors{}
	if !regionCodePattern.MatchString(r.Code) {
		f.Add("code", "err.region_code")
	}
	if r.Name == "" {
		f.Add("name", "err.required")
	}
	r.Settings.validate(f)
	return f.Err()
}

// Requirement identifies one thing a practice must meet in a year.
type Requirement string

const (
	ReqIntervision       Requirement = "intervisie"
	ReqAssistantTraining Requirement = "scholing_assistenten"
	ReqGPTraining        Requirement = "scholing_huisartsen"
	ReqFinalPlan         Requirement = "plan_definitief"
	ReqAnnualVisit       Requirement = "jaarbezoek"
)

// AllRequirements in display order.
var AllRequirements = []Requirement{ReqIntervision, ReqAssistantTraining, ReqGPTraining, ReqFinalPlan, ReqAnnualVisit}

// NormSettings are the region's agreements with its insurers. The defaults
// (DefaultNormSettings) are PrimaCura's, as pinned down in domain.md.
type NormSettings struct {
	IntervisionThreshold       float64 `json:"intervision_threshold"`
	AssistantTrainingThreshold float64 `json:"assistant_training_threshold"`
	GPTrainingThreshold        float64 `json:"gp_training_threshold"`
	// Roles counted in each norm's denominator.
	IntervisionRoles       []StaffRole `json:"intervision_roles"`
	AssistantTrainingRoles []StaffRole `json:"assistant_training_roles"`
	GPTrainingRoles        []StaffRole `json:"gp_training_roles"`
	// Themes on which prior learning qualifies, per norm.
	AssistantThemes []string `json:"assistant_themes"`
	GPThemes        []string `json:"gp_themes"`
	// PriorLearningCutoff: prior learning completed before it never counts.
	PriorLearningCutoff Date `json:"prior_learning_cutoff"`
	// Requirements that apply in this region.
	Requirements []Requirement `json:"requirements"`
	// MinPerElement: minimum number of interventions a practice chooses per
	// core element and year, e.g. {"A":1,"D":1}. Empty means no minimum.
	MinPerElement map[Element]int `json:"min_per_element,omitempty"`
	// InflowQuotaPercent: at most this share of practices may start per
	// quarter; 0 means all may start at once.
	InflowQuotaPercent int `json:"inflow_quota_percent"`
	// AtRiskDays: a practice not meeting a norm with fewer days left in the
	// year than this is listed as at risk.
	AtRiskDays int `json:"at_risk_days"`
	// VisitsRecordedFrom: the region records consultant visits in meertijd
	// from this date. Before it the annual visit is "not recorded" (it
	// does not block); from it a missing visit is "not met". Zero: the
	// region does not record visits here (yet).
	VisitsRecordedFrom Date `json:"visits_recorded_from"`
}

// Clone returns a copy of s that shares no slice or map with it.
func (s NormSettings) Clone() NormSettings {
	c := s
	c.IntervisionRoles = slices.Clone(s.IntervisionRoles)
	c.AssistantTrainingRoles = slices.Clone(s.AssistantTrainingRoles)
	c.GPTrainingRoles = slices.Clone(s.GPTrainingRoles)
	c.AssistantThemes = slices.Clone(s.AssistantThemes)
	c.GPThemes = slices.Clone(s.GPThemes)
	c.Requirements = slices.Clone(s.Requirements)
	c.MinPerElement = maps.Clone(s.MinPerElement)
	return c
}

// Clone returns a copy of r that shares no slice or map with it.
func (r Region) Clone() Region {
	c := r
	c.Insurers = slices.Clone(r.Insurers)
	c.Settings = r.Settings.Clone()
	return c
}

// VisitsRecordedOn reports whether the annual visit is judged at ref: the
// region records visits from a date on or before ref.
func (s NormSettings) VisitsRecordedOn(ref Date) bool {
	return !s.VisitsRecordedFrom.IsZero() && !ref.Before(s.VisitsRecordedFrom)
}

// DefaultNormSettings returns the defaults of domain.md.
func DefaultNormSettings() NormSettings {
	return NormSettings{
		IntervisionThreshold:       0.5,
		AssistantTrainingThreshold: 0.5,
		GPTrainingThreshold:        0.5,
		IntervisionRoles:           []StaffRole{RolePraktijkhouder, RoleVasteWaarnemer},
		AssistantTrainingRoles:     []StaffRole{RoleDoktersassistent},
		GPTrainingRoles:            []StaffRole{RolePraktijkhouder, RoleVasteWaarnemer},
		AssistantThemes:            []string{ThemeSOH, ThemePositiveHealth, ThemeTriage, ThemeDifficultPatients},
		GPThemes:                   []string{ThemePositiveHealth},
		PriorLearningCutoff:        NewDate(2022, time.September, 1),
		Requirements:               append([]Requirement(nil), AllRequirements...),
		InflowQuotaPercent:         0,
		AtRiskDays:                 60,
	}
}

// Themes of the training menu that the default rules name.
const (
	ThemeTriage            = "triage"
	ThemePositiveHealth    = "positieve gezondheid"
	ThemeSOH               = "SOH"
	ThemeDifficultPatients = "omgaan met lastige patiënten"
	ThemeSOLK              = "SOLK"
	ThemeGoodConversation  = "het goede gesprek"
)

// Applies reports whether requirement q is switched on.
func (s NormSettings) Applies(q Requirement) bool {
	for _, r := range s.Requirements {
		if r == q {
			return true
		}
	}
	return false
}

func (s *NormSettings) validate(f FieldErrors) {
	for name, v := range map[string]float64{
		"intervision_threshold":        s.IntervisionThreshold,
		"assistant_training_threshold": s.AssistantTrainingThreshold,
		"gp_training_threshold":        s.GPTrainingThreshold,
	} {
		if v < 0 || v > 1 {
			f.Add(name, "err.threshold_range")
		}
	}
	for name, roles := range map[string][]StaffRole{
		"intervision_roles":        s.IntervisionRoles,
		"assistant_training_roles": s.AssistantTrainingRoles,
		"gp_training_roles":        s.GPTrainingRoles,
	} {
		for _, r := range roles {
			if !r.Valid() {
				f.Add(name, "err.role_unknown")
			}
		}
	}
	for _, q := range s.Requirements {
		if !q.Valid() {
			f.Add("requirements", "err.requirement_unknown")
		}
	}
	for e, n := range s.MinPerElement {
		if !e.Valid() || n < 0 || n > 20 {
			f.Add("min_per_element", "err.min_per_element")
		}
	}
	if s.InflowQuotaPercent < 0 || s.InflowQuotaPercent > 100 {
		f.Add("inflow_quota_percent", "err.percent_range")
	}
	if s.AtRiskDays < 0 || s.AtRiskDays > 366 {
		f.Add("at_risk_days", "err.at_risk_days")
	}
	if d := s.VisitsRecordedFrom; !d.IsZero() && (d.Year() < 2000 || d.Year() > 2100) {
		f.Add("visits_recorded_from", "err.visits_recorded_from")
	}
}

// Valid reports whether q is a known requirement.
func (q Requirement) Valid() bool {
	for _, r := range AllRequirements {
		if r == q {
			return true
		}
	}
	return false
}
