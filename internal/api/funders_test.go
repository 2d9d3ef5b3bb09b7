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
	// P1, P2 and five new practices take part: 7. The 5 that started in
	// Q1 are withheld ("x"): with the running totals beside them they
	// would give away the "< 5" of an earlier quarter (P1 and P2 started in
	// 2024, one per quarter).
	if j.TakingPart.Value == nil || *j.TakingPart.Value != 7 || j.Quarters[0].Started.Value != nil || !j.Quarters[0].Started.Complementary || j.Quarters[0].Started.Display != "x" {
		t.Errorf("taking part %+v, Q1 started %+v", j.TakingPart, j.Quarters[0].Started)
	}
	// No practice started in Q2: a flow of 0 is shown.
	if q := j.Quarters[1].Started; q.Suppressed || q.Value == nil || *q.Value != 0 || q.Display != "0" {
		t.Errorf("Q2 started 0: %+v", q)
	}
	if p := j.TakingPartPatients; p.Value == nil || *p.Value != 12000 || p.RoundedTo != 1000 {
		t.Errorf("patients (2500 + 4100 + 5 × 1000 = 11600, rounded): %+v", p)
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
		"FunderCount":                 countJSON{RoundedTo: 1000},
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

// TestFiguresResistSubtraction: the attack of issue 11 over the figures
// API. In the year before last, 6 practices start in Q1 and one in Q3; a
// funder fetches every year it may and subtracts: consecutive running
// totals for a quarter's starters, the practices taking part minus the
// other plan statuses. Nothing hidden comes out.
func TestFiguresResistSubtraction(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	year := clock.Now().Year() - 1
	for i, joined := range []mtvp.Date{mtvp.NewDate(year, 1, 1), mtvp.NewDate(year, 1, 1), mtvp.NewDate(year, 2, 1), mtvp.NewDate(year, 2, 1),
		mtvp.NewDate(year, 3, 1), mtvp.NewDate(year, 3, 1), mtvp.NewDate(year, 8, 1)} {
		p := mtvp.Practice{RegionID: f.regionA.ID, AGB: fmt.Sprintf("0600000%d", i), Name: fmt.Sprintf("Extra %d", i), RegisteredPatients: 2000 + 100*i,
			Status: mtvp.PracticeActive, JoinedOn: joined}
		if err := f.db.CreatePractice(ctx, mtvp.SystemActor, &p); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := f.db.Participants(ctx, f.regionA.ID)
	if err != nil {
		t.Fatal(err)
	}
	type quarter struct {
		q       mtvp.Quarter
		fig     quarterJSON
		started int // the truth
		stopped bool
	}
	var qs []quarter
	attempts := 0
	for y := 2023; y <= clock.Now().Year()+1; y++ {
		rec := f.get(funderA, fmt.Sprintf("/api/v1/regions/{region}/figures?year=%d", y))
		wantStatus(t, rec, 200)
		var j figuresJSON
		if err := json.Unmarshal(rec.Body.Bytes(), &j); err != nil {
			t.Fatal(err)
		}
		for i, q := range mtvp.QuartersOf(y) {
			x := quarter{q: q, fig: j.Quarters[i]}
			for _, p := range ps {
				if p.TakesPartIn(q) && mtvp.QuarterOf(p.JoinedOn) == q {
					x.started++
				}
				if len(qs) > 0 && p.TakesPartIn(qs[len(qs)-1].q) && !p.TakesPartIn(q) {
					x.stopped = true
				}
			}
			qs = append(qs, x)
		}
		// Plan statuses add up to the practices taking part.
		hidden, sum := -1, 0
		for k, s := range j.PlanStatuses {
			if s.Count.Value == nil {
				if hidden >= 0 {
					hidden = -2
				} else if hidden == -1 {
					hidden = k
				}
			} else {
				sum += *s.Count.Value
			}
		}
		if hidden >= 0 && j.TakingPart.Value != nil {
			t.Errorf("%d: plan status %s = %d − %d", y, j.PlanStatuses[hidden].Status, *j.TakingPart.Value, sum)
		}
	}
	for i := 1; i < len(qs); i++ {
		a, b := qs[i-1].fig.TakingPart.Value, qs[i].fig.TakingPart.Value
		if !qs[i].fig.Started.Suppressed || a == nil || b == nil || qs[i].stopped {
			continue
		}
		if *b-*a == qs[i].started {
			t.Errorf("%s: %d started, shown as %q, = %d − %d", qs[i].q, qs[i].started, qs[i].fig.Started.Display, *b, *a)
		}
		attempts++
	}
	// The attack has something to attack: small starters exist.
	small := 0
	for _, q := range qs {
		if q.started > 0 && q.started < 5 {
			small++
			if !q.fig.Started.Suppressed {
				t.Errorf("%s: %d started shown", q.q, q.started)
			}
		}
	}
	if small < 3 {
		t.Fatalf("only %d quarters with 1–4 starters", small)
	}
	t.Logf("%d quarters with 1–4 starters, %d of them beside two shown running totals", small, attempts)
}
