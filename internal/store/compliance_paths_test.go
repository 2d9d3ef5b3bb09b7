package store_test

import (
	"reflect"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
)

// The region loader (every practice of a region in a fixed set of queries,
// behind RegionStandings) and the per-practice path (PracticeComplianceFacts,
// as the practice page and API use it) give every practice of the demo set
// — plans, intervision, training and claims included — the same standing,
// this year and last.
// So does evaluating with the completions as the training pages read them
// (TrainingFacts: with names and times), which the compliance loader leaves
// out.
func TestRegionStandingsMatchPerPractice(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	now := clock.Now()
	if _, err := demo.LoadAll(ctx, db, func(pw string) (string, error) { return "x$" + pw, nil }, now); err != nil {
		t.Fatal(err)
	}
	regions, err := db.ListRegions(ctx)
	must(t, err)
	today := mtvp.DateOf(now)
	var practices, compliant, withCompletions, withIntervision, withPlan int
	// This year at today and last year as closed: on 1 January this year
	// has nothing done yet, last year has the mix.
	for _, year := range []int{today.Year() - 1, today.Year()} {
		ref := mtvp.ReferenceDate(year, today)
		for _, reg := range regions {
			rs, err := db.RegionStandings(ctx, reg.ID, year, ref)
			must(t, err)
			full, err := db.TrainingFacts(ctx, reg.ID, 0)
			must(t, err)
			for _, ps := range rs.Practices {
				practices++
				if ps.Standing.Compliant {
					compliant++
				}
				f, err := db.PracticeComplianceFacts(ctx, ps.Practice.ID, year, ref)
				must(t, err)
				if !reflect.DeepEqual(f.Practice, ps.Practice) {
					t.Errorf("%s: practice differs:\n%+v\n%+v", ps.Practice.Name, f.Practice, ps.Practice)
				}
				alone := mtvp.EvaluateCompliance(f, reg.Settings, year, ref)
				if !reflect.DeepEqual(alone, ps.Standing) {
					t.Errorf("%s: per practice\n%+v\nregion\n%+v", ps.Practice.Name, alone, ps.Standing)
				}
				if len(f.Completions) > 0 {
					withCompletions++
				}
				if len(f.Intervision) > 0 {
					withIntervision++
				}
				if f.Plan != nil && f.Plan.Number > 0 {
					withPlan++
				}
				g := f
				g.Completions = full[ps.Practice.ID].Completions
				if len(g.Completions) != len(f.Completions) {
					t.Errorf("%s: %d completions for the norms, %d listed", ps.Practice.Name, len(f.Completions), len(g.Completions))
				}
				if listed := mtvp.EvaluateCompliance(g, reg.Settings, year, ref); !reflect.DeepEqual(listed, alone) {
					t.Errorf("%s: with listed completions\n%+v\nfor the norms\n%+v", ps.Practice.Name, listed, alone)
				}
			}
		}
	}
	// The set has something to compare.
	if practices < 100 || withCompletions == 0 || withIntervision == 0 || withPlan == 0 || compliant == 0 || compliant == practices {
		t.Fatalf("demo set: %d practices, %d compliant, %d with completions, %d with intervision, %d with a final plan",
			practices, compliant, withCompletions, withIntervision, withPlan)
	}
	t.Logf("%d practices compared, %d compliant, %d with completions, %d with intervision, %d with a final plan",
		practices, compliant, withCompletions, withIntervision, withPlan)
}
