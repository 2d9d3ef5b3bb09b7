package store

import (
	"context"
	"errors"
	"sort"
	"sync"

	"meertijd/internal/mtvp"
)

// Loading what mtvp.EvaluateCompliance needs, for all practices of a region
// (or one) in a fixed number of queries, whatever the number of practices:
//
//	practices                      1
//	TrainingFacts                  3 (memberships+people, completions, claims)
//	IntervisionFacts               1
//	intervision waiting lists      1
//	PlanFinalFacts                 1
//	Regioplan                      2 (0 when the region has none for the year: 1)
//	visitFacts                     see compliance_visits.go
//	activityFacts                  1 (compliance_activities.go)
//
// The loaders of the areas are reused as they are: each is region-bulk.

// ComplianceFacts returns the facts of every practice of the region (every
// status; callers decide whether to show stopped practices), keyed by
// practice id, for programme year at reference date ref (plan facts are
// read for ref; the rest is dated and EvaluateCompliance applies ref).
// Completions carry what the norms read, not the person's name or the
// creation time (TrainingFacts has them, for lists).
func (db *DB) ComplianceFacts(ctx context.Context, regionID int64, year int, ref mtvp.Date) (map[int64]mtvp.ComplianceFacts, error) {
	return db.complianceFacts(ctx, regionID, 0, year, ref)
}

// PracticeComplianceFacts returns the facts of one practice; ENOTFOUND when
// it does not exist.
func (db *DB) PracticeComplianceFacts(ctx context.Context, practiceID int64, year int, ref mtvp.Date) (mtvp.ComplianceFacts, error) {
	p, err := db.PracticeByID(ctx, practiceID)
	if err != nil {
		return mtvp.ComplianceFacts{}, err
	}
	m, err := db.complianceFacts(ctx, p.RegionID, practiceID, year, ref)
	if err != nil {
		return mtvp.ComplianceFacts{}, err
	}
	f, ok := m[practiceID]
	if !ok {
		return mtvp.ComplianceFacts{}, notFound()
	}
	return f, nil
}

// RegionComplianceFacts are one region's settings and practice facts.
type RegionComplianceFacts struct {
	Region    mtvp.Region
	Practices map[int64]mtvp.ComplianceFacts
}

// NationalComplianceFacts returns the facts of every practice of every
// region (regions by name), for the national overview and the benchmark of
// all practices. It runs ComplianceFacts per region, a few regions at a
// time on the read pool: 1 + regions × ComplianceFacts' queries.
func (db *DB) NationalComplianceFacts(ctx context.Context, year int, ref mtvp.Date) ([]RegionComplianceFacts, error) {
	regions, err := db.ListRegions(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]RegionComplianceFacts, len(regions))
	errs := make([]error, len(regions))
	workers := 4
	if db.engine == EnginePostgres {
		workers = 8
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, r := range regions {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i].Region = r
			out[i].Practices, errs[i] = db.ComplianceFacts(ctx, r.ID, year, ref)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// SortedPracticeIDs returns the keys of facts ordered by practice name (then
// id), the order lists show.
func SortedPracticeIDs(facts map[int64]mtvp.ComplianceFacts) []int64 {
	ids := make([]int64, 0, len(facts))
	for id := range facts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := facts[ids[i]].Practice, facts[ids[j]].Practice
		return lessName(a.Name, b.Name, a.ID, b.ID)
	})
	return ids
}

func (db *DB) complianceFacts(ctx context.Context, regionID, practiceID int64, year int, ref mtvp.Date) (map[int64]mtvp.ComplianceFacts, error) {
	// The loaders are independent: they run at once, each on its own read
	// connection, and are joined below. The number of queries stays the
	// same; the wall time is that of the slowest (issue 6 benchmark).
	var (
		tf      map[int64]mtvp.TrainingFacts
		iv      []mtvp.IntervisionFact
		waiting []int64
		plans   map[int64]mtvp.PlanFinalFact
		rp      *mtvp.Regioplan
		visits  []mtvp.VisitFact
		acts    []mtvp.ActivityFact
		errs    [7]error
		wg      sync.WaitGroup
	)
	run := func(i int, fn func() error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn()
		}()
	}
	run(0, func() (err error) { tf, err = db.trainingFacts(ctx, regionID, practiceID, true); return err })
	run(1, func() (err error) { iv, err = db.IntervisionFacts(ctx, regionID, year); return err })
	run(2, func() (err error) { waiting, err = db.intervisionWaiting(ctx, regionID, year, ref); return err })
	run(3, func() (err error) { plans, err = db.PlanFinalFacts(ctx, regionID, year, ref); return err })
	run(4, func() error {
		switch p, err := db.Regioplan(ctx, regionID, year); {
		case err == nil:
			rp = &p
		case mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
			return err
		}
		return nil
	})
	run(5, func() (err error) { visits, err = db.visitFacts(ctx, regionID, practiceID, year); return err })
	run(6, func() (err error) { acts, err = db.activityFacts(ctx, regionID, year); return err })

	// Filled in place (a practice's facts are a large value), copied into
	// the map returned at the end.
	facts := map[int64]*mtvp.ComplianceFacts{}
	// Practices.
	q, args := `SELECT `+practiceCols+practiceFrom+` WHERE p.region_id = $1`, []any{regionID}
	if practiceID != 0 {
		q += ` AND p.id = $2`
		args = append(args, practiceID)
	}
	err := func() error {
		rows, err := db.reads().QueryContext(ctx, q, args...)
		if err != nil {
			return internal(err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanPractice(rows)
			if err != nil {
				return internal(err)
			}
			facts[p.ID] = &mtvp.ComplianceFacts{Practice: p}
		}
		return internal(rows.Err())
	}()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	out := make(map[int64]mtvp.ComplianceFacts, len(facts))
	if len(facts) == 0 {
		return out, nil
	}

	// Staff, completions, claims.
	n := 0
	for _, t := range tf {
		n += len(t.Staff)
	}
	practicesOf := make(map[int64][]int64, n) // person → practices (with a membership)
	for pid, t := range tf {
		f, ok := facts[pid]
		if !ok {
			continue
		}
		f.Staff, f.Completions, f.Claims, f.Places = t.Staff, t.Completions, t.Claims, t.Places
		// A practice's staff are handled together: a person already
		// recorded for this practice has it last.
		for _, m := range t.Staff {
			if ps := practicesOf[m.PersonID]; len(ps) == 0 || ps[len(ps)-1] != pid {
				practicesOf[m.PersonID] = append(ps, pid)
			}
		}
	}

	// Intervision: places and attendance, and waiting lists.
	for _, x := range iv {
		for _, pid := range practicesOf[x.PersonID] {
			f := facts[pid]
			f.Intervision = append(f.Intervision, x)
		}
	}
	for _, person := range waiting {
		for _, pid := range practicesOf[person] {
			f := facts[pid]
			f.IntervisionWaiting = append(f.IntervisionWaiting, person)
		}
	}

	// Attendance at activities whose kind counts towards a norm: like
	// intervision, a person's counts at every practice they work at.
	for _, x := range acts {
		for _, pid := range practicesOf[x.PersonID] {
			f := facts[pid]
			f.Activities = append(f.Activities, x)
		}
	}

	// Plans and the regioplan's mandatory interventions.
	for pid, pf := range plans {
		if f, ok := facts[pid]; ok {
			pf := pf
			f.Plan = &pf
		}
	}

	// Visits.
	byPractice := map[int64][]mtvp.VisitFact{}
	for _, v := range visits {
		byPractice[v.PracticeID] = append(byPractice[v.PracticeID], v)
	}
	for pid, f := range facts {
		f.Regioplan = rp
		f.Visits = byPractice[pid]
		out[pid] = *f
	}
	return out, nil
}

// intervisionWaiting returns the people on the waiting list of a group of
// the region's year at the end of day ref (signed up by then, not left
// before it): pending for the intervision norm. One query.
func (db *DB) intervisionWaiting(ctx context.Context, regionID int64, year int, ref mtvp.Date) ([]int64, error) {
	rows, err := db.reads().QueryContext(ctx, `SELECT DISTINCT m.person_id
		FROM intervision_members m JOIN intervision_groups g ON g.id = m.group_id
		WHERE g.region_id = $1 AND g.year = $2 AND m.status = 'wachtlijst'
		AND m.signed_up_at < $3 AND (m.left_on IS NULL OR m.left_on >= $4)`,
		regionID, year, mtvp.EndOfDay(ref, nil), ref)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, internal(err)
		}
		out = append(out, id)
	}
	return out, internal(rows.Err())
}
