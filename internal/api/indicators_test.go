package api

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// indicatorWorld stores, once per world, one figure each of P1, P2, region
// A and the country (as region A's reference), and one of region B.
func indicatorWorld(f *fixture) {
	ctx := context.Background()
	vs, err := f.db.IndicatorValues(ctx, store.IndicatorFilter{RegionID: f.regionA.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(vs) > 0 {
		return
	}
	q := mtvp.Quarter{Year: 2025, Q: 4}
	fig := func(level mtvp.IndicatorLevel, practice int64, v float64) *mtvp.IndicatorValue {
		return &mtvp.IndicatorValue{Level: level, PracticeID: practice, Indicator: mtvp.IndConsultsPerInsured, Quarter: q, Value: v,
			Source: "Vektis", SourceDate: mtvp.NewDate(2025, 12, 31)}
	}
	put := func(reg mtvp.Region, vs ...*mtvp.IndicatorValue) {
		h, err := f.db.BeginHistoryImport(ctx, mtvp.SystemActor, reg.ID, "indicatoren.csv")
		if err != nil {
			f.t.Fatal(err)
		}
		defer h.Rollback()
		if err := h.Indicators(vs, nil); err != nil {
			f.t.Fatal(err)
		}
		if err := h.Commit("indicatoren", nil); err != nil {
			f.t.Fatal(err)
		}
	}
	put(f.regionA, fig(mtvp.LevelPractice, f.p1.ID, 1.1), fig(mtvp.LevelPractice, f.p2.ID, 1.4), fig(mtvp.LevelRegion, 0, 1.25), fig(mtvp.LevelCountry, 0, 1.2))
	put(f.regionB, fig(mtvp.LevelRegion, 0, 9.99))
}

func init() {
	// The region's list: admins, consultants and funders; P1, P2 and the
	// facilitator 403; other regions 404.
	regionList := adminsA(200).with(expect{consultantA: 200, consultantA2: 200, funderA: 200})
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/regions/{code}/indicators", path: "/api/v1/regions/{region}/indicators", want: regionList, setup: indicatorWorld},
		routeRow{pattern: "GET /api/v1/practices/{id}/indicators", path: "/api/v1/practices/{practice}/indicators", want: seesP1, setup: indicatorWorld},
	)
}

// TestIndicatorsWhoSeesWhat: each login gets exactly the figures of §5 —
// funders no practice figure, a consultant only their practices', nobody
// region B's.
func TestIndicatorsWhoSeesWhat(t *testing.T) {
	f := newFixture(t)
	indicatorWorld(f)
	list := func(w who, path string) []string {
		t.Helper()
		rec := f.get(w, path)
		if rec.Code != 200 {
			t.Fatalf("%s %s: %d %s", w, path, rec.Code, rec.Body)
		}
		var page struct {
			Items []struct {
				Level      string  `json:"level"`
				PracticeID int64   `json:"practice_id"`
				Value      float64 `json:"value"`
				Source     string  `json:"source"`
				SourceDate string  `json:"source_date"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range page.Items {
			if it.Source != "Vektis" || it.SourceDate != "2025-12-31" {
				t.Errorf("item without its source: %+v", it)
			}
			out = append(out, fmt.Sprintf("%s%d=%v", it.Level, it.PracticeID, it.Value))
		}
		return out
	}
	region := "/api/v1/regions/regio-a/indicators"
	p1, p2 := fmt.Sprint(f.p1.ID), fmt.Sprint(f.p2.ID)
	for _, c := range []struct {
		who  who
		path string
		want string
	}{
		{adminA, region, "[landelijk0=1.2 praktijk" + p1 + "=1.1 praktijk" + p2 + "=1.4 regio0=1.25]"},
		{consultantA, region, "[landelijk0=1.2 praktijk" + p1 + "=1.1 regio0=1.25]"},
		{consultantA2, region, "[landelijk0=1.2 regio0=1.25]"},
		{funderA, region, "[landelijk0=1.2 regio0=1.25]"},
		{practiceP1, "/api/v1/practices/" + p1 + "/indicators", "[landelijk0=1.2 praktijk" + p1 + "=1.1 regio0=1.25]"},
		{adminA, region + "?indicator=wachttijd_dagen", "[]"},
	} {
		if got := fmt.Sprint(list(c.who, c.path)); got != c.want && !(c.want == "[]" && got == "[]") {
			t.Errorf("%s %s: %s, want %s", c.who, c.path, got, c.want)
		}
	}
	if rec := f.get(adminA, region+"?indicator=tevredenheid"); rec.Code != 400 {
		t.Errorf("unknown indicator: %d", rec.Code)
	}
}
