package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

func shareRegion(t *testing.T, f *fixture, on bool) {
	t.Helper()
	ctx := context.Background()
	reg, err := f.db.RegionByCode(ctx, f.regionA.Code)
	if err != nil {
		t.Fatal(err)
	}
	reg.ShareParticipation = on
	if err := f.db.UpdateRegion(ctx, actorOf(f.users[adminA]), &reg); err != nil {
		t.Fatal(err)
	}
}

// TestFigures: suppressed counts, the quarters of the year, and the named
// lists only while the region shares them.
func TestFigures(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	ctx := context.Background()
	year := clock.Now().Year()
	for i := 0; i < 5; i++ {
		p := mtvp.Practice{RegionID: f.regionA.ID, AGB: fmt.Sprintf("0500000%d", i), Name: fmt.Sprintf("Extra %d", i), RegisteredPatients: 1000,
			Status: mtvp.PracticeActive, JoinedOn: mtvp.NewDate(year, time.January, 1)}
		if err := f.db.CreatePractice(ctx, mtvp.SystemActor, &p); err != nil {
			t.Fatal(err)
		}
	}
	rec := f.get(funderA, "/api/v1/regions/{region}/figures")
	wantStatus(t, rec, 200)
	var j figuresJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Region != "regio-a" || j.Year != year || j.SuppressionThreshold != 5 || len(j.Quarters) != 4 || j.Quarters[0].Quarter != fmt.Sprintf("%d-Q1", year) {
		t.Errorf("figures header %+v", j)
	}
	// P1, P2 and five new practices take part: 7; 5 started in Q1.
	if j.TakingPart.Value == nil || *j.TakingPart.Value != 7 || j.Quarters[0].Started.Value == nil || *j.Quarters[0].Started.Value != 5 {
		t.Errorf("taking part %+v, Q1 started %+v", j.TakingPart, j.Quarters[0].Started)
	}
	if !j.Quarters[1].Started.Suppressed || j.Quarters[1].Started.Value != nil || j.Quarters[1].Started.Display != "< 5" {
		t.Errorf("Q2 started 0 must be suppressed: %+v", j.Quarters[1].Started)
	}
	if j.Participation != nil || j.ShareParticipation || strings.Contains(rec.Body.String(), `"participation":`) {
		t.Errorf("lists present while not shared")
	}
	if strings.Contains(rec.Body.String(), f.anna.Name) || strings.Contains(rec.Body.String(), f.p1.Name) {
		t.Errorf("figures name a person or practice")
	}

	shareRegion(t, f, true)
	rec = f.get(funderA, "/api/v1/regions/{region}/figures?year="+fmt.Sprint(year))
	wantStatus(t, rec, 200)
	j = figuresJSON{}
	json.Unmarshal(rec.Body.Bytes(), &j)
	if !j.ShareParticipation || j.Participation == nil || j.Participation.Intervision == nil || j.Participation.Training == nil {
		t.Fatalf("lists absent while shared: %s", rec.Body.String())
	}
	shareRegion(t, f, false)
	if body := f.get(funderA, "/api/v1/regions/{region}/figures").Body.String(); strings.Contains(body, `"participation":`) {
		t.Errorf("lists present after sharing was turned off")
	}

	for _, bad := range []string{"?year=26", "?year=abc", "?jaar=2026", fmt.Sprintf("?year=%d", year+2)} {
		if rec := f.get(funderA, "/api/v1/regions/{region}/figures"+bad); rec.Code != 400 {
			t.Errorf("%s: %d", bad, rec.Code)
		}
	}
	if rec := f.get(funderA, "/api/v1/regions/regio-b/figures"); rec.Code != 404 {
		t.Errorf("other region: %d", rec.Code)
	}
}

// TestFiguresSchemaMatchesJSON: every field the figures answer writes is a
// property of its schema in openapi/funders.json and the other way round.
func TestFiguresSchemaMatchesJSON(t *testing.T) {
	n := 3
	full := figuresJSON{Participation: &participationListsJSON{}}
	checkSchemasMatchJSON(t, map[string]any{
		"RegionFigures":               full,
		"FunderCount":                 countJSON{},
		"FunderShare":                 shareJSON{Above: &n},
		"FunderQuarter":               quarterJSON{},
		"FunderPlanStatus":            planStatusJSON{},
		"FunderNorm":                  normFigureJSON{},
		"FunderVisits":                visitFiguresJSON{},
		"FunderSnapshot":              snapshotFigureJSON{},
		"FunderTraining":              trainingFigureJSON{},
		"FunderParticipationTotals":   participationTotalsJSON{},
		"FunderObstacle":              obstacleJSON{},
		"FunderInterventionObstacles": interventionObstaclesJSON{},
		"FunderIntervisionPlace":      intervisionPlaceJSON{},
		"FunderTrainingParticipation": trainingParticipationJSON{},
		"FunderParticipationLists":    participationListsJSON{},
	})
}
