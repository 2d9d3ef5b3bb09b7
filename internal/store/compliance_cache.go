package store

// The evaluated compliance standing of a region, cached by change (issue 14).
//
// Every audited write to a region's data bumps the region's change counter
// in the same transaction: a trigger on audit_log (migration 00010) does
// it, so every write path — the interactive methods through audit/auditAt,
// the bulk loaders through bulkAudit, and any method added later that
// writes its audit entry — gets the bump for free, with no code in the
// handlers. A write that does not write an audit entry with the region's
// id does not invalidate the cache: every write to region data must be
// audited (it must anyway, for the history).
//
// RegionStandings reads the counter (one indexed read) and answers from an
// in-memory LRU keyed by (region, year, reference date, counter); only on a
// miss does it load the facts (ComplianceFacts) and evaluate every
// practice. The counter lives in the database, so several app servers on
// one PostgreSQL each keep their own cache and never serve a standing older
// than the last committed write: the counter is read before the facts, so
// a cached value is at least as new as its counter.

import (
	"container/list"
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"

	"meertijd/internal/mtvp"
)

// DefaultStandingsCacheEntries bounds the cache: one entry per region, year
// and reference date (40 regions × a few dates fit many times over).
const DefaultStandingsCacheEntries = 256

// PracticeStanding is one practice with its evaluated standing.
type PracticeStanding struct {
	Practice mtvp.Practice
	Standing mtvp.Standing
}

// RegionStandings is the standing of every practice of a region (every
// status: callers apply mtvp.CountsInCompliance and their scope), ordered
// by practice name, for a programme year at a reference date, as of change
// Counter. Values are shared between requests: read them, never modify.
type RegionStandings struct {
	RegionID  int64
	Year      int
	Ref       mtvp.Date
	Counter   int64
	Settings  mtvp.NormSettings // the settings the standings were evaluated with
	Practices []PracticeStanding
	index     map[int64]int // practice id → position in Practices
}

// Practice returns one practice's standing; false when the region has no
// such practice.
func (r *RegionStandings) Practice(id int64) (PracticeStanding, bool) {
	i, ok := r.index[id]
	if !ok {
		return PracticeStanding{}, false
	}
	return r.Practices[i], true
}

// RegionChange returns the region's change counter (0 before its first
// audited write). It changes with every committed audited write to the
// region's data.
func (db *DB) RegionChange(ctx context.Context, regionID int64) (int64, error) {
	var n int64
	err := db.reads().QueryRowContext(ctx, `SELECT counter FROM region_changes WHERE region_id = $1`, regionID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, internal(err)
}

// RegionStandings returns the evaluated standing of every practice of the
// region for year at ref, from the cache when nothing in the region changed
// since it was evaluated. ENOTFOUND when the region does not exist.
func (db *DB) RegionStandings(ctx context.Context, regionID int64, year int, ref mtvp.Date) (*RegionStandings, error) {
	counter, err := db.RegionChange(ctx, regionID)
	if err != nil {
		return nil, err
	}
	return db.RegionStandingsAt(ctx, regionID, year, ref, counter)
}

// RegionStandingsAt is RegionStandings for a counter the caller has just
// read (RegionByCodeWithChange), saving the read.
func (db *DB) RegionStandingsAt(ctx context.Context, regionID int64, year int, ref mtvp.Date, counter int64) (*RegionStandings, error) {
	k := standingsKey{region: regionID, year: year, ref: ref}
	return db.standings.get(k, counter, func() (*RegionStandings, error) {
		// Others may wait for this evaluation: it does not stop when this
		// request goes away.
		return db.evaluateRegion(context.WithoutCancel(ctx), regionID, year, ref, counter)
	})
}

// evaluateRegion loads and evaluates the region (a cache miss). The region
// (its settings) and facts are read after counter, so they are at least as
// new as it.
func (db *DB) evaluateRegion(ctx context.Context, regionID int64, year int, ref mtvp.Date, counter int64) (*RegionStandings, error) {
	reg, err := db.RegionByID(ctx, regionID)
	if err != nil {
		return nil, err
	}
	facts, err := db.ComplianceFacts(ctx, regionID, year, ref)
	if err != nil {
		return nil, err
	}
	ids := SortedPracticeIDs(facts)
	out := &RegionStandings{RegionID: regionID, Year: year, Ref: ref, Counter: counter, Settings: reg.Settings,
		Practices: make([]PracticeStanding, len(ids)), index: make(map[int64]int, len(ids))}
	for i, id := range ids {
		f := facts[id]
		out.Practices[i] = PracticeStanding{Practice: f.Practice, Standing: mtvp.EvaluateCompliance(f, reg.Settings, year, ref)}
		out.index[id] = i
	}
	return out, nil
}

// StandingsCacheStats counts the cache's lookups.
type StandingsCacheStats struct {
	Hits, Misses, Entries int64
}

// StandingsCacheStats reports the cache's hits, misses (evaluations) and
// entries.
func (db *DB) StandingsCacheStats() StandingsCacheStats {
	c := db.standings
	c.mu.Lock()
	defer c.mu.Unlock()
	return StandingsCacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Entries: int64(c.lru.Len())}
}

// SetStandingsCacheEntries bounds the cache to n entries (at least 1),
// evicting the least recently used ones above it.
func (db *DB) SetStandingsCacheEntries(n int) {
	c := db.standings
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = max(1, n)
	c.evict()
}

// ResetStandingsCache empties the cache (the benchmarks of a cold start).
func (db *DB) ResetStandingsCache() {
	c := db.standings
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Init()
	clear(c.byKey)
}

// ---- the LRU ----

type standingsKey struct {
	region int64
	year   int
	ref    mtvp.Date
}

// standingsCache holds one value per key: the one of the newest counter
// seen. An older counter's value is replaced, never served for a newer one.
type standingsCache struct {
	mu       sync.Mutex
	max      int
	lru      *list.List // of *standingsEntry, most recent first
	byKey    map[standingsKey]*list.Element
	inflight map[standingsFlightKey]*standingsFlight
	hits     atomic.Int64
	misses   atomic.Int64
}

type standingsEntry struct {
	key standingsKey
	val *RegionStandings
}

type standingsFlightKey struct {
	standingsKey
	counter int64
}

// standingsFlight is one evaluation under way; concurrent requests for the
// same key and counter wait for it instead of evaluating again.
type standingsFlight struct {
	done chan struct{}
	val  *RegionStandings
	err  error
}

func newStandingsCache(n int) *standingsCache {
	return &standingsCache{max: n, lru: list.New(), byKey: map[standingsKey]*list.Element{},
		inflight: map[standingsFlightKey]*standingsFlight{}}
}

func (c *standingsCache) get(k standingsKey, counter int64, load func() (*RegionStandings, error)) (*RegionStandings, error) {
	c.mu.Lock()
	if el, ok := c.byKey[k]; ok {
		if e := el.Value.(*standingsEntry); e.val.Counter == counter {
			c.lru.MoveToFront(el)
			c.mu.Unlock()
			c.hits.Add(1)
			return e.val, nil
		}
	}
	fk := standingsFlightKey{k, counter}
	if f, ok := c.inflight[fk]; ok {
		c.mu.Unlock()
		<-f.done
		if f.err == nil {
			c.hits.Add(1)
		}
		return f.val, f.err
	}
	f := &standingsFlight{done: make(chan struct{})}
	c.inflight[fk] = f
	c.mu.Unlock()
	c.misses.Add(1)

	f.val, f.err = load()

	c.mu.Lock()
	delete(c.inflight, fk)
	if f.err == nil {
		c.put(k, f.val)
	}
	c.mu.Unlock()
	close(f.done)
	return f.val, f.err
}

// put stores v unless the cache holds a newer counter for k; c.mu is held.
func (c *standingsCache) put(k standingsKey, v *RegionStandings) {
	if el, ok := c.byKey[k]; ok {
		e := el.Value.(*standingsEntry)
		if e.val.Counter > v.Counter {
			return
		}
		e.val = v
		c.lru.MoveToFront(el)
		return
	}
	c.byKey[k] = c.lru.PushFront(&standingsEntry{key: k, val: v})
	c.evict()
}

func (c *standingsCache) evict() {
	for c.lru.Len() > c.max {
		el := c.lru.Back()
		c.lru.Remove(el)
		delete(c.byKey, el.Value.(*standingsEntry).key)
	}
}
