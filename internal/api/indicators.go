package api

// Indicators over time (issue 15) over the API: the figures a login may
// see, as the outcome pages show them. A region's list holds the region's
// and the country's figures, plus the practice figures of the practices
// the caller may list (admins all, consultants their own, funders none);
// a practice's list holds its own figures beside the region's and the
// country's.

import (
	"net/http"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func (a *API) indicatorRoutes() []route {
	return []route{
		{"GET /api/v1/regions/{code}/indicators", false, a.listRegionIndicators},
		{"GET /api/v1/practices/{id}/indicators", false, a.listPracticeIndicators},
	}
}

type indicatorJSON struct {
	Level      mtvp.IndicatorLevel `json:"level"`
	PracticeID int64               `json:"practice_id,omitempty"`
	Indicator  mtvp.Indicator      `json:"indicator"`
	Year       int                 `json:"year"`
	Quarter    int                 `json:"quarter"`
	Value      float64             `json:"value"`
	Source     string              `json:"source"`
	SourceDate date                `json:"source_date"`
}

func indicatorToJSON(v mtvp.IndicatorValue) indicatorJSON {
	return indicatorJSON{Level: v.Level, PracticeID: v.PracticeID, Indicator: v.Indicator, Year: v.Quarter.Year, Quarter: v.Quarter.Q,
		Value: v.Value, Source: v.Source, SourceDate: dateOf(v.SourceDate)}
}

// indicatorQuery reads the page and ?indicator=.
func indicatorQuery(r *http.Request) (page, mtvp.Indicator, error) {
	pg, err := pageParams(r, "indicator")
	if err != nil {
		return pg, "", err
	}
	ind := mtvp.Indicator(r.URL.Query().Get("indicator"))
	if ind != "" && !ind.Valid() {
		return pg, "", badRequest("api.err.query_value", "indicator")
	}
	return pg, ind, nil
}

func (a *API) listRegionIndicators(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	if !u.CanSeeRegionOutcomes(reg.ID) {
		return errForbidden
	}
	pg, ind, err := indicatorQuery(r)
	if err != nil {
		return err
	}
	f := store.IndicatorFilter{RegionID: reg.ID, Indicator: ind}
	visible := map[int64]bool{}
	if u.CanSeeOutcomePractices(reg.ID) {
		pf, _ := u.PracticeScope(mtvp.PracticeFilter{RegionID: reg.ID})
		ps, err := a.db.ListPractices(r.Context(), pf)
		if err != nil {
			return err
		}
		for _, p := range ps {
			visible[p.ID] = true
		}
	} else {
		f.Levels = []mtvp.IndicatorLevel{mtvp.LevelRegion, mtvp.LevelCountry}
	}
	vs, err := a.db.IndicatorValues(r.Context(), f)
	if err != nil {
		return err
	}
	items := []indicatorJSON{}
	for _, v := range vs {
		if v.Level == mtvp.LevelPractice && !visible[v.PracticeID] {
			continue
		}
		items = append(items, indicatorToJSON(v))
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) listPracticeIndicators(w http.ResponseWriter, r *http.Request) error {
	p, err := a.practiceFor(r)
	if err != nil {
		return err
	}
	if !userOf(r).CanSeePracticeOutcomes(&p) {
		return errNotFound
	}
	pg, ind, err := indicatorQuery(r)
	if err != nil {
		return err
	}
	vs, err := a.db.IndicatorValues(r.Context(), store.IndicatorFilter{RegionID: p.RegionID, PracticeID: p.ID, Indicator: ind})
	if err != nil {
		return err
	}
	items := make([]indicatorJSON, 0, len(vs))
	for _, v := range vs {
		items = append(items, indicatorToJSON(v))
	}
	writePage(w, pg, items)
	return nil
}
