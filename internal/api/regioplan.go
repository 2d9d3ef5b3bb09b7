package api

import (
	"net/http"
	"strconv"
	"time"

	"meertijd/internal/mtvp"
)

// The regioplan per programme year: its core elements' interventions
// (code, title, description, mandatory), the minimum conditions and the
// learning offers; the region's minimum per core element comes with it
// (read-only here: it is a region setting, settings.min_per_element of
// PUT /regions/{code}). Every member of the region reads it; region
// admins write it. A stale version is 409 with the plan as stored.
func (a *API) regioplanRoutes() []route {
	const one = "/api/v1/regions/{code}/regioplans/{year}"
	return []route{
		{"GET " + one, false, a.getRegioplan},
		{"PUT " + one, false, a.putRegioplan},
	}
}

type interventionJSON struct {
	ID          int64        `json:"id"`
	Code        string       `json:"code"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Element     mtvp.Element `json:"element"`
	Mandatory   bool         `json:"mandatory"`
}

type regioplanJSON struct {
	Region         string               `json:"region"`
	Year           int                  `json:"year"`
	Conditions     map[string]string    `json:"conditions"`
	LearningOffers []string             `json:"learning_offers"`
	Interventions  []interventionJSON   `json:"interventions"`
	MinPerElement  map[mtvp.Element]int `json:"min_per_element"`
	Version        *int                 `json:"version"`
	UpdatedAt      *time.Time           `json:"updated_at,omitempty"`
}

// regioplanInput is what a PUT sends; version 0 creates the year's plan.
type regioplanInput struct {
	Version        *int               `json:"version"`
	Conditions     map[string]string  `json:"conditions"`
	LearningOffers []string           `json:"learning_offers"`
	Interventions  []interventionJSON `json:"interventions"`
}

func regioplanToJSON(reg mtvp.Region, p mtvp.Regioplan) regioplanJSON {
	j := regioplanJSON{Region: reg.Code, Year: p.Year, Conditions: map[string]string{}, LearningOffers: nonNil(p.LearningOffers),
		Interventions: []interventionJSON{}, MinPerElement: map[mtvp.Element]int{}, Version: intPtr(p.Version)}
	for k, v := range p.Conditions {
		j.Conditions[k] = v
	}
	for _, iv := range p.Interventions {
		j.Interventions = append(j.Interventions, interventionJSON{ID: iv.ID, Code: iv.Code, Title: iv.Title, Description: iv.Description, Element: iv.Element, Mandatory: iv.Mandatory})
	}
	for k, v := range reg.Settings.MinPerElement {
		j.MinPerElement[k] = v
	}
	if !p.UpdatedAt.IsZero() {
		t := p.UpdatedAt.UTC()
		j.UpdatedAt = &t
	}
	return j
}

// regioplanScope reads {code} and {year} (a bad year is not found).
func (a *API) regioplanScope(r *http.Request) (mtvp.Region, int, error) {
	reg, err := a.regionFor(r)
	if err != nil {
		return reg, 0, err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 2020 || year > 2100 {
		return reg, 0, errNotFound
	}
	if !userOf(r).CanSeeRegioplan(reg.ID) {
		return reg, 0, errNotFound
	}
	return reg, year, nil
}

func (a *API) getRegioplan(w http.ResponseWriter, r *http.Request) error {
	reg, year, err := a.regioplanScope(r)
	if err != nil {
		return err
	}
	p, err := a.db.Regioplan(r.Context(), reg.ID, year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, regioplanToJSON(reg, p))
	return nil
}

// putRegioplan replaces the year's plan: interventions with an id are
// updated, without one added, missing ones removed; version 0 creates
// the plan (201). Region admins only.
func (a *API) putRegioplan(w http.ResponseWriter, r *http.Request) error {
	reg, year, err := a.regioplanScope(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanAdminRegion(reg.ID) {
		return errForbidden
	}
	var in regioplanInput
	version, err := decodeVersioned(r, &in, &in.Version, nil)
	if err != nil {
		return err
	}
	p := mtvp.Regioplan{RegionID: reg.ID, Year: year, Conditions: in.Conditions, LearningOffers: in.LearningOffers, Version: version}
	for _, iv := range in.Interventions {
		p.Interventions = append(p.Interventions, mtvp.Intervention{ID: iv.ID, Code: iv.Code, Title: iv.Title, Description: iv.Description, Element: iv.Element, Mandatory: iv.Mandatory})
	}
	current := func() (any, error) {
		cur, err := a.db.Regioplan(r.Context(), reg.ID, year)
		if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
			return nil, nil
		}
		return regioplanToJSON(reg, cur), err
	}
	stored, err := a.db.Regioplan(r.Context(), reg.ID, year)
	switch {
	case err == nil:
		if version != stored.Version {
			cur, _ := current()
			return conflict(cur)
		}
		p.ID = stored.ID
	case mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
		return err
	case version != 0:
		return conflict(nil)
	}
	status := http.StatusOK
	if p.ID == 0 {
		status = http.StatusCreated
	}
	if err := a.db.SaveRegioplan(r.Context(), actorOf(u), &p); err != nil {
		if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
			return invalid(mtvp.FieldErrors{"interventions": "api.err.intervention_unknown"})
		}
		return writeFailed(err, asOnWire, func() error {
			cur, err := current()
			if err != nil {
				return err
			}
			return conflict(cur)
		})
	}
	saved, err := a.db.Regioplan(r.Context(), reg.ID, year)
	if err != nil {
		return err
	}
	writeJSON(w, status, regioplanToJSON(reg, saved))
	return nil
}
