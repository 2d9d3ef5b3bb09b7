package demo

// The demo's activity — plans, intervision and training — is built in
// memory from what a region holds (practices, staff, logins, regioplans;
// read in a handful of queries) and written with the store's bulk methods,
// one transaction per area. The same builders fill the national data set
// (national.go), region by region.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// regionInput is what the activity builders read of one region.
type regionInput struct {
	reg          mtvp.Region
	practices    []practiceInput // by name
	facilitators []mtvp.User
	rules        map[int]mtvp.PlanRules // by year
	// advanced: most practices are on track (the national set); the demo
	// shows more practices still under way.
	advanced bool
}

type practiceInput struct {
	p     mtvp.Practice
	staff []mtvp.StaffMember // memberships not ended by today
}

// readRegion reads a region's practices with their staff, facilitators
// and the plan rules of year and the year before.
func readRegion(ctx context.Context, db *store.DB, reg mtvp.Region, today mtvp.Date) (*regionInput, error) {
	in := &regionInput{reg: reg, rules: map[int]mtvp.PlanRules{}}
	practices, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return nil, err
	}
	staff, err := db.RegionStaff(ctx, reg.ID)
	if err != nil {
		return nil, err
	}
	for _, ps := range practices {
		pi := practiceInput{p: ps.Practice}
		for _, s := range staff[ps.ID] {
			if s.To.IsZero() || !s.To.Before(today) {
				pi.staff = append(pi.staff, s)
			}
		}
		in.practices = append(in.practices, pi)
	}
	if in.facilitators, err = db.Facilitators(ctx, reg.ID); err != nil {
		return nil, err
	}
	for _, y := range []int{today.Year() - 1, today.Year()} {
		if in.rules[y], err = db.PlanRules(ctx, reg.ID, y); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// readRegions reads every region.
func readRegions(ctx context.Context, db *store.DB, today mtvp.Date) ([]*regionInput, error) {
	regions, err := ownRegions(ctx, db)
	if err != nil {
		return nil, err
	}
	var out []*regionInput
	for _, reg := range regions {
		in, err := readRegion(ctx, db, reg, today)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// ownRegions lists the small demo's regions (ZIO, PrimaCura) as stored.
// The loaders of plans, intervision, training, visits, activities and news
// fill only these: `serve --demo` adds the demo beside whatever regions the
// database already holds (the national data set, which has its own), and
// must not write into them.
func ownRegions(ctx context.Context, db *store.DB) ([]mtvp.Region, error) {
	all, err := db.ListRegions(ctx)
	if err != nil {
		return nil, err
	}
	own := map[string]bool{zioSpec().code: true, primacuraSpec().code: true}
	var out []mtvp.Region
	for _, r := range all {
		if own[r.Code] {
			out = append(out, r)
		}
	}
	return out, nil
}

// timeline spreads moments over a period that ends no later than now:
// at(f) is the moment a fraction f (0…1) into it.
type timeline struct{ from, to time.Time }

func newTimeline(from mtvp.Date, to time.Time) timeline {
	start := from.Time().Add(9 * time.Hour)
	if !start.Before(to) {
		start = to.Add(-24 * time.Hour)
	}
	return timeline{start, to}
}

func (t timeline) at(f float64) time.Time {
	return t.from.Add(time.Duration(f * float64(t.to.Sub(t.from)))).UTC().Truncate(time.Second)
}

// yearTimeline runs from 10 January of year to the end of that year, or to
// now (a minute before) when that is earlier.
func yearTimeline(year int, now time.Time) timeline {
	end := mtvp.NewDate(year, time.December, 31).Time().Add(17 * time.Hour)
	if n := now.Add(-time.Minute); n.Before(end) {
		end = n
	}
	return newTimeline(mtvp.NewDate(year, time.January, 10), end)
}

// loadActivity writes the plans, intervision and training of every region
// (LoadAll): the regions are read once, each area is one transaction.
func loadActivity(ctx context.Context, db *store.DB, now time.Time) (plans, groups, trainings int, err error) {
	today := mtvp.DateOf(now)
	regions, err := readRegions(ctx, db, today)
	if err != nil {
		return 0, 0, 0, err
	}
	pb, ib, tb := &store.PlanBatch{}, &store.IntervisionBatch{}, &store.TrainingBatch{}
	for ri, in := range regions {
		pb.Plans = append(pb.Plans, buildPlans(in, now)...)
		buildIntervision(ib, in, now, rand.New(rand.NewPCG(uint64(ri)+4, 2026)), 7)
		buildTraining(tb, in, now, 12)
	}
	if err := db.BulkPlans(ctx, mtvp.SystemActor, pb); err != nil {
		return 0, 0, 0, fmt.Errorf("demo: plans: %w", err)
	}
	if err := db.BulkIntervision(ctx, mtvp.SystemActor, ib); err != nil {
		return 0, 0, 0, fmt.Errorf("demo: intervision: %w", err)
	}
	if err := db.BulkTraining(ctx, mtvp.SystemActor, tb); err != nil {
		return 0, 0, 0, fmt.Errorf("demo: training: %w", err)
	}
	return len(pb.Plans), len(ib.Groups), len(tb.Trainings), nil
}
