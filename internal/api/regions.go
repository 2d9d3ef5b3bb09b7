package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"meertijd/internal/mtvp"
)

// regionJSON is a Region on the wire. id, created_at and updated_at are
// read-only (ignored when sent); code is fixed after creation.
type regionJSON struct {
	ID                 int64        `json:"id"`
	Code               string       `json:"code"`
	Name               string       `json:"name"`
	Insurers           []string     `json:"insurers"`
	ProgrammeStart     date         `json:"programme_start"`
	Settings           settingsJSON `json:"settings"`
	ShareParticipation bool         `json:"share_participation"`
	Version            *int         `json:"version"`
	CreatedAt          time.Time    `json:"created_at"`
	UpdatedAt          time.Time    `json:"updated_at"`
}

// settingsJSON is mtvp.NormSettings on the wire (thresholds are fractions
// 0–1). Sent objects merge onto the current settings; arrays and
// min_per_element replace.
type settingsJSON struct {
	IntervisionThreshold       float64            `json:"intervision_threshold"`
	AssistantTrainingThreshold float64            `json:"assistant_training_threshold"`
	GPTrainingThreshold        float64            `json:"gp_training_threshold"`
	IntervisionRoles           []mtvp.StaffRole   `json:"intervision_roles"`
	AssistantTrainingRoles     []mtvp.StaffRole   `json:"assistant_training_roles"`
	GPTrainingRoles            []mtvp.StaffRole   `json:"gp_training_roles"`
	AssistantThemes            []string           `json:"assistant_themes"`
	GPThemes                   []string           `json:"gp_themes"`
	PriorLearningCutoff        date               `json:"prior_learning_cutoff"`
	Requirements               []mtvp.Requirement `json:"requirements"`
	MinPerElement              elementMinimums    `json:"min_per_element"`
	InflowQuotaPercent         int                `json:"inflow_quota_percent"`
	AtRiskDays                 int                `json:"at_risk_days"`
	VisitsRecordedFrom         date               `json:"visits_recorded_from"`
}

// elementMinimums replaces (never merges) on decoding.
type elementMinimums map[mtvp.Element]int

func (m *elementMinimums) UnmarshalJSON(b []byte) error {
	var fresh map[mtvp.Element]int
	if err := json.Unmarshal(b, &fresh); err != nil {
		return badRequest("api.err.json_type", "settings.min_per_element", "object")
	}
	*m = fresh
	return nil
}

func regionToJSON(r mtvp.Region) regionJSON {
	s := r.Settings
	ins := slices.Clone(r.Insurers)
	if ins == nil {
		ins = []string{}
	}
	var mins elementMinimums
	if len(s.MinPerElement) > 0 {
		mins = elementMinimums{}
		for k, v := range s.MinPerElement {
			mins[k] = v
		}
	}
	return regionJSON{
		ID: r.ID, Code: r.Code, Name: r.Name, Insurers: ins, ProgrammeStart: dateOf(r.ProgrammeStart),
		Settings: settingsJSON{
			IntervisionThreshold:       s.IntervisionThreshold,
			AssistantTrainingThreshold: s.AssistantTrainingThreshold,
			GPTrainingThreshold:        s.GPTrainingThreshold,
			IntervisionRoles:           nonNil(s.IntervisionRoles),
			AssistantTrainingRoles:     nonNil(s.AssistantTrainingRoles),
			GPTrainingRoles:            nonNil(s.GPTrainingRoles),
			AssistantThemes:            nonNil(s.AssistantThemes),
			GPThemes:                   nonNil(s.GPThemes),
			PriorLearningCutoff:        dateOf(s.PriorLearningCutoff),
			Requirements:               nonNil(s.Requirements),
			MinPerElement:              mins,
			InflowQuotaPercent:         s.InflowQuotaPercent,
			AtRiskDays:                 s.AtRiskDays,
			VisitsRecordedFrom:         dateOf(s.VisitsRecordedFrom),
		},
		ShareParticipation: r.ShareParticipation,
		Version:            intPtr(r.Version),
		CreatedAt:          r.CreatedAt.UTC(),
		UpdatedAt:          r.UpdatedAt.UTC(),
	}
}

// nonNil copies a slice so that decoding into the copy never touches the
// original, and gives [] rather than null for an empty one.
func nonNil[T any](s []T) []T {
	out := make([]T, len(s))
	copy(out, s)
	return out
}

// apply copies the writable fields onto r, collecting date format errors.
func (j regionJSON) apply(r *mtvp.Region, f mtvp.FieldErrors) {
	r.Name = j.Name
	r.Insurers = slices.Clone(j.Insurers)
	r.ProgrammeStart = j.ProgrammeStart.check(f, "programme_start")
	r.ShareParticipation = j.ShareParticipation
	s := j.Settings
	r.Settings = mtvp.NormSettings{
		IntervisionThreshold:       s.IntervisionThreshold,
		AssistantTrainingThreshold: s.AssistantTrainingThreshold,
		GPTrainingThreshold:        s.GPTrainingThreshold,
		IntervisionRoles:           slices.Clone(s.IntervisionRoles),
		AssistantTrainingRoles:     slices.Clone(s.AssistantTrainingRoles),
		GPTrainingRoles:            slices.Clone(s.GPTrainingRoles),
		AssistantThemes:            slices.Clone(s.AssistantThemes),
		GPThemes:                   slices.Clone(s.GPThemes),
		PriorLearningCutoff:        s.PriorLearningCutoff.check(f, "settings.prior_learning_cutoff"),
		Requirements:               slices.Clone(s.Requirements),
		InflowQuotaPercent:         s.InflowQuotaPercent,
		AtRiskDays:                 s.AtRiskDays,
		VisitsRecordedFrom:         s.VisitsRecordedFrom.check(f, "settings.visits_recorded_from"),
	}
	if len(s.MinPerElement) > 0 {
		r.Settings.MinPerElement = map[mtvp.Element]int{}
		for k, v := range s.MinPerElement {
			r.Settings.MinPerElement[k] = v
		}
	}
}

// settingsFields are the names mtvp uses for settings errors; on the wire
// they live under "settings.".
var settingsFields = map[string]bool{
	"intervision_threshold": true, "assistant_training_threshold": true, "gp_training_threshold": true,
	"intervision_roles": true, "assistant_training_roles": true, "gp_training_roles": true,
	"requirements": true, "min_per_element": true, "inflow_quota_percent": true, "at_risk_days": true,
	"visits_recorded_from": true,
}

// regionInvalid moves settings errors under "settings.".
func regionInvalid(f mtvp.FieldErrors, err error) bool {
	return mergeInvalidAs(f, err, func(k string) string {
		if settingsFields[k] {
			return "settings." + k
		}
		return k
	})
}

// regionFor loads {code} and checks the caller may see the region.
func (a *API) regionFor(r *http.Request) (mtvp.Region, error) {
	reg, err := a.db.RegionByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return reg, err
	}
	if !userOf(r).CanSeeRegion(reg.ID) {
		return reg, errNotFound
	}
	return reg, nil
}

func (a *API) listRegions(w http.ResponseWriter, r *http.Request) error {
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	all, err := a.db.ListRegions(r.Context())
	if err != nil {
		return err
	}
	u := userOf(r)
	items := []regionJSON{}
	for _, reg := range all {
		if u.CanSeeRegion(reg.ID) {
			items = append(items, regionToJSON(reg))
		}
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) getRegion(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, regionToJSON(reg))
	return nil
}

// createRegion: platform admins only. Settings left out get the defaults
// of domain.md; sent settings merge onto those defaults.
func (a *API) createRegion(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	if !u.CanManagePlatform() {
		return errForbidden
	}
	in := regionToJSON(mtvp.Region{Settings: mtvp.DefaultNormSettings()})
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	reg := mtvp.Region{Code: in.Code}
	in.apply(&reg, f)
	reg.Normalize()
	regionInvalid(f, reg.Validate())
	if len(f) > 0 {
		return invalid(f)
	}
	if err := a.db.CreateRegion(r.Context(), actorOf(u), &reg); err != nil {
		if regionInvalid(f, err) {
			return invalid(f)
		}
		return err
	}
	saved, err := a.db.RegionByID(r.Context(), reg.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/regions/"+saved.Code)
	writeJSON(w, http.StatusCreated, regionToJSON(saved))
	return nil
}

// updateRegion: region admins. The body is merged onto the stored region;
// version is required; the code cannot change.
func (a *API) updateRegion(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	stored, err := a.regionFor(r)
	if err != nil {
		return err
	}
	if !u.CanAdminRegion(stored.ID) {
		return errForbidden
	}
	in := regionToJSON(stored)
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		if in.Code != stored.Code {
			f.Add("code", "api.err.immutable")
		}
		return nil
	})
	if err != nil {
		return err
	}
	if version != stored.Version {
		return conflict(regionToJSON(stored))
	}
	reg := stored
	f := mtvp.FieldErrors{}
	in.apply(&reg, f)
	reg.Normalize()
	regionInvalid(f, reg.Validate())
	if len(f) > 0 {
		return invalid(f)
	}
	cur := storedAs(r.Context(), a.db.RegionByID, stored.ID, regionToJSON)
	if err := a.db.UpdateRegion(r.Context(), actorOf(u), &reg); err != nil {
		return writeFailed(err, regionInvalid, cur.conflict)
	}
	return cur.write(w, http.StatusOK)
}

// listJSON wraps every collection: {"items": [...]}.
type listJSON[T any] struct {
	Items []T `json:"items"`
}

func list[T any](items []T) listJSON[T] { return listJSON[T]{Items: items} }
