package store

// The compliance trend of a region: the share of its practices meeting
// every requirement at a series of reference dates (the month ends of a
// year, mtvp.TrendDates), for the programme manager's home page.
//
// Of the facts ComplianceFacts loads only two depend on the reference
// date: the final plan in force and the intervision waiting lists; the
// rest is dated and mtvp.EvaluateCompliance applies the date. So a series
// loads the facts once, plus every final plan version and waiting-list
// place of the year with their dates, and picks each date's plan and
// waiting list in Go: ComplianceFacts' queries plus two, whatever the
// number of dates. TestComplianceFactsSeries proves each date's facts
// equal ComplianceFacts at that date.

import (
	"context"
	"database/sql"
	"runtime"
	"slices"
	"sync"
	"time"

	"meertijd/internal/mtvp"
)

// ComplianceFactsSeries returns the facts of every practice of the region
// for programme year at each of refs (ascending), as ComplianceFacts
// would at each date. The maps share their slices: read them, never
// modify.
func (db *DB) ComplianceFactsSeries(ctx context.Context, regionID int64, year int, refs []mtvp.Date) ([]map[int64]mtvp.ComplianceFacts, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	if !slices.IsSortedFunc(refs, func(a, b mtvp.Date) int { return a.Time().Compare(b.Time()) }) {
		return nil, mtvp.Errorf(mtvp.EINVALID, "reference dates out of order")
	}
	last := len(refs) - 1
	var (
		base    map[int64]mtvp.ComplianceFacts
		plans   map[int64][]mtvp.PlanFinalFact
		waiting []waitingPlace
		errs    [3]error
		wg      sync.WaitGroup
	)
	wg.Add(3)
	go func() { defer wg.Done(); base, errs[0] = db.complianceFacts(ctx, regionID, 0, year, refs[last]) }()
	go func() { defer wg.Done(); plans, errs[1] = db.planFinalHistory(ctx, regionID, year) }()
	go func() { defer wg.Done(); waiting, errs[2] = db.waitingHistory(ctx, regionID, year) }()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	practicesOf := staffPractices(base)
	out := make([]map[int64]mtvp.ComplianceFacts, len(refs))
	out[last] = base
	for i, ref := range refs[:last] {
		end := mtvp.EndOfDay(ref, time.UTC)
		m := make(map[int64]mtvp.ComplianceFacts, len(base))
		for pid, f := range base {
			f.Plan, f.IntervisionWaiting = nil, nil
			if versions, ok := plans[pid]; ok {
				pf := mtvp.PlanFinalFact{PracticeID: pid, Year: year}
				for _, v := range versions { // ascending by number
					if !v.FinalisedAt.IsZero() && v.FinalisedAt.Before(end) {
						pf = v
					}
				}
				f.Plan = &pf
			}
			m[pid] = f
		}
		seen := map[int64]bool{}
		for _, w := range waiting {
			if seen[w.person] || !w.signedUp.Before(end) || (!w.left.IsZero() && w.left.Before(ref)) {
				continue
			}
			seen[w.person] = true
			for _, pid := range practicesOf[w.person] {
				f := m[pid]
				f.IntervisionWaiting = append(f.IntervisionWaiting, w.person)
				m[pid] = f
			}
		}
		out[i] = m
	}
	return out, nil
}

// staffPractices maps each person to the practices where they have a
// membership (ended ones included), as complianceFacts fans out
// intervision facts.
func staffPractices(facts map[int64]mtvp.ComplianceFacts) map[int64][]int64 {
	out := map[int64][]int64{}
	for pid, f := range facts {
		seen := map[int64]bool{}
		for _, m := range f.Staff {
			if !seen[m.PersonID] {
				seen[m.PersonID] = true
				out[m.PersonID] = append(out[m.PersonID], pid)
			}
		}
	}
	return out
}

// planFinalHistory returns every plan of the region's year with its final
// versions ascending by number (an empty list for a plan without one), in
// one query. A version's Interventions are read as PlanFinalFacts reads
// them.
func (db *DB) planFinalHistory(ctx context.Context, regionID int64, year int) (map[int64][]mtvp.PlanFinalFact, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT pl.practice_id, COALESCE(v.number, 0), v.finalised_at, COALESCE(v.content, '{}')
		FROM plans pl
		LEFT JOIN plan_versions v ON v.plan_id = pl.id AND v.status = 'definitief'
		WHERE pl.region_id = $1 AND pl.year = $2
		ORDER BY pl.practice_id, v.number`, regionID, year)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := map[int64][]mtvp.PlanFinalFact{}
	for rows.Next() {
		f := mtvp.PlanFinalFact{Year: year}
		var fin sql.NullTime
		var content []byte
		if err := rows.Scan(&f.PracticeID, &f.Number, &fin, &content); err != nil {
			return nil, internal(err)
		}
		if _, ok := out[f.PracticeID]; !ok {
			out[f.PracticeID] = nil
		}
		if f.Number == 0 {
			continue
		}
		f.FinalisedAt = nullTime(fin)
		f.Interventions = planInterventionIDs(content)
		out[f.PracticeID] = append(out[f.PracticeID], f)
	}
	return out, internal(rows.Err())
}

// waitingPlace is a waiting-list place of the year with its dates.
type waitingPlace struct {
	person   int64
	signedUp time.Time
	left     mtvp.Date
}

// waitingHistory returns the waiting-list places of the region's groups
// of year (intervisionWaiting's rows without the date filter), in one
// query.
func (db *DB) waitingHistory(ctx context.Context, regionID int64, year int) ([]waitingPlace, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT m.person_id, m.signed_up_at, m.left_on
		FROM intervision_members m JOIN intervision_groups g ON g.id = m.group_id
		WHERE g.region_id = $1 AND g.year = $2 AND m.status = 'wachtlijst'`, regionID, year)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []waitingPlace
	for rows.Next() {
		var w waitingPlace
		if err := rows.Scan(&w.person, &w.signedUp, &w.left); err != nil {
			return nil, internal(err)
		}
		out = append(out, w)
	}
	return out, internal(rows.Err())
}

// ComplianceTrend returns the share of the region's practices meeting
// every requirement at each reference date of mtvp.TrendDates(year,
// today). It is cached like RegionStandings: by region, year, today and
// the region's change counter, so a write in the region is seen at once.
func (db *DB) ComplianceTrend(ctx context.Context, regionID int64, year int, today mtvp.Date) ([]mtvp.TrendPoint, error) {
	counter, err := db.RegionChange(ctx, regionID)
	if err != nil {
		return nil, err
	}
	k := trendKey{region: regionID, year: year, today: today}
	db.trends.mu.Lock()
	if e, ok := db.trends.m[k]; ok && e.counter == counter {
		db.trends.mu.Unlock()
		return e.points, nil
	}
	db.trends.mu.Unlock()

	reg, err := db.RegionByID(ctx, regionID)
	if err != nil {
		return nil, err
	}
	refs := mtvp.TrendDates(year, today)
	series, err := db.ComplianceFactsSeries(ctx, regionID, year, refs)
	if err != nil {
		return nil, err
	}
	// The dates are evaluated at once, one goroutine per core.
	points := make([]mtvp.TrendPoint, len(refs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, ref := range refs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			p := mtvp.TrendPoint{Ref: ref}
			for _, f := range series[i] {
				if !mtvp.CountsInCompliance(f.Practice, year) {
					continue
				}
				p.Counted++
				if mtvp.EvaluateCompliance(f, reg.Settings, year, ref).Compliant {
					p.Compliant++
				}
			}
			points[i] = p
		}()
	}
	wg.Wait()

	db.trends.mu.Lock()
	defer db.trends.mu.Unlock()
	if db.trends.m == nil || len(db.trends.m) >= maxTrendEntries {
		db.trends.m = map[trendKey]trendEntry{} // small: start over rather than track use
	}
	if e, ok := db.trends.m[k]; !ok || e.counter <= counter {
		db.trends.m[k] = trendEntry{counter: counter, points: points}
	}
	return points, nil
}

// maxTrendEntries bounds the trend cache (one entry per region and day).
const maxTrendEntries = 128

type trendKey struct {
	region int64
	year   int
	today  mtvp.Date
}

type trendEntry struct {
	counter int64
	points  []mtvp.TrendPoint
}

// trendCache holds the newest trend per key.
type trendCache struct {
	mu sync.Mutex
	m  map[trendKey]trendEntry
}

// DropComplianceCaches empties the standings and trend caches, so the next
// request evaluates afresh (benchmarks of the uncached case).
func (db *DB) DropComplianceCaches() {
	db.trends.mu.Lock()
	db.trends.m = nil
	db.trends.mu.Unlock()
	c := db.standings
	c.mu.Lock()
	c.lru.Init()
	clear(c.byKey)
	c.mu.Unlock()
}
