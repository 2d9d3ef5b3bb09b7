package api

// The region's consult duration (issue 15 §5): its practices' agenda
// aggregates summed per week and quarter for one consult role
// (mtvp.BuildRegionConsult), suppressed as the funders' other figures. The
// region's funders and admins; other members 403, outsiders 404.

import (
	"math"
	"net/http"

	"meertijd/internal/mtvp"
)

type regionConsultFigureJSON struct {
	Week    string `json:"week,omitempty"`
	Quarter string `json:"quarter"`
	// State: "shown", "small" (fewer than 5 practices) or "complementary"
	// (hidden so that a small one cannot be computed back); every figure
	// is null unless shown.
	State            string    `json:"state"`
	Practices        *int      `json:"practices"`
	Consults         *int64    `json:"consults"`
	MeanMinutes      *float64  `json:"mean_minutes"`
	BucketShares     []float64 `json:"bucket_shares"`
	DoubleShare      *float64  `json:"double_share"`
	ConsultsPerGPFTE *float64  `json:"consults_per_gp_fte_per_week"`
	MeetsGoal        *bool     `json:"meets_goal"`
}

type regionConsultJSON struct {
	Region        string                    `json:"region"`
	Role          mtvp.ConsultRole          `json:"role"`
	GoalMinutes   int                       `json:"goal_minutes"`
	SuppressBelow int                       `json:"suppress_below"`
	Buckets       []string                  `json:"buckets"`
	Weeks         []regionConsultFigureJSON `json:"weeks"`
	Quarters      []regionConsultFigureJSON `json:"quarters"`
}

func regionConsultFigureOf(f mtvp.RegionConsultFigure) regionConsultFigureJSON {
	j := regionConsultFigureJSON{Quarter: f.Quarter.String(), BucketShares: []float64{}}
	if f.Week.Valid() {
		j.Week = f.Week.String()
	}
	switch f.State {
	case mtvp.Shown:
		j.State = "shown"
	case mtvp.Complementary:
		j.State = "complementary"
		return j
	default:
		j.State = "small"
		return j
	}
	n, c, mean, dbl, goal := f.Practices, f.Consults, round2(f.Mean), round2(f.DoubleShare), f.MeetsGoal
	j.Practices, j.Consults, j.MeanMinutes, j.DoubleShare, j.MeetsGoal = &n, &c, &mean, &dbl, &goal
	for _, s := range f.BucketShares {
		j.BucketShares = append(j.BucketShares, round2(s))
	}
	if !math.IsNaN(f.PerGPFTE) {
		v := round2(f.PerGPFTE)
		j.ConsultsPerGPFTE = &v
	}
	return j
}

// getRegionConsult: ?role= one consult role (default huisarts).
func (a *API) getRegionConsult(w http.ResponseWriter, r *http.Request) error {
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	if !userOf(r).CanSeeRegionConsult(reg.ID) {
		return errForbidden
	}
	role := mtvp.ConsultHuisarts
	for name, v := range r.URL.Query() {
		if name != "role" {
			return badRequest("api.err.query_unknown", name)
		}
		if role = mtvp.ConsultRole(v[0]); !role.Valid() {
			return badRequest("api.err.query_value", name)
		}
	}
	ctx := r.Context()
	figs, err := a.db.RegionConsultFigures(ctx, reg.ID, role)
	if err != nil {
		return err
	}
	rc := mtvp.BuildRegionConsult(figs, role)
	out := regionConsultJSON{Region: reg.Code, Role: role, GoalMinutes: mtvp.ConsultGoalMinutes, SuppressBelow: mtvp.SuppressBelow,
		Buckets: mtvp.ConsultBucketLabels[:], Weeks: []regionConsultFigureJSON{}, Quarters: []regionConsultFigureJSON{}}
	for _, f := range rc.Weeks {
		out.Weeks = append(out.Weeks, regionConsultFigureOf(f))
	}
	for _, f := range rc.Quarters {
		out.Quarters = append(out.Quarters, regionConsultFigureOf(f))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
