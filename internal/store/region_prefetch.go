package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync/atomic"

	"meertijd/internal/lru"
	"meertijd/internal/mtvp"
)

// Region prefetch: a request about one region (GET /regio/{region}/…,
// GET /api/v1/regions/{code}/…) reads who is asking (session or token,
// with the user and grants) and then the region with its change counter.
// That is two round trips on every such request, and on a national host
// the database's share of a cached dashboard is mostly those two
// (BenchmarkNationalLoad). WithRegionPrefetch names the region before the
// request authenticates; the session lookup (SessionStore.FindCtx) and the
// token lookup (UserByToken) then read it and its counter in the same
// statement, and RegionByCode / RegionByCodeWithChange answer from it.
//
// Meant for requests that write nothing (GET, HEAD). Should one write all
// the same (a token's first use is recorded), the write drops the prefetch
// (inTx), so a read after it reads anew and sees it.

type regionPrefetchKey struct{}

// regionPrefetch is the region a request named and, once the request's
// authentication read it, what it read. A request's goroutines may share
// its context, so what was read is swapped in and out whole.
type regionPrefetch struct {
	code string
	read atomic.Pointer[prefetchedRegion] // nil: not read (or forgotten)
}

// prefetchedRegion is what the authentication query read.
type prefetchedRegion struct {
	found   bool // the region exists
	region  mtvp.Region
	counter int64
}

// WithRegionPrefetch returns ctx with a prefetch of the region code.
func WithRegionPrefetch(ctx context.Context, code string) context.Context {
	code = normalizeRegionCode(code)
	if code == "" {
		return ctx
	}
	return context.WithValue(ctx, regionPrefetchKey{}, &regionPrefetch{code: code})
}

func normalizeRegionCode(code string) string { return strings.ToLower(strings.TrimSpace(code)) }

func prefetchOf(ctx context.Context) *regionPrefetch {
	p, _ := ctx.Value(regionPrefetchKey{}).(*regionPrefetch)
	return p
}

// forgetPrefetch drops what the prefetch read: the request writes (inTx),
// and reads after a write must see it.
func forgetPrefetch(ctx context.Context) {
	if p := prefetchOf(ctx); p != nil {
		p.read.Store(nil)
	}
}

// prefetched returns the region of code as the request's authentication
// read it (a copy the caller may change); ok is false when it did not
// (then read it).
func prefetched(ctx context.Context, code string) (reg mtvp.Region, counter int64, ok bool, err error) {
	p := prefetchOf(ctx)
	if p == nil || p.code != normalizeRegionCode(code) {
		return mtvp.Region{}, 0, false, nil
	}
	got := p.read.Load()
	if got == nil {
		return mtvp.Region{}, 0, false, nil
	}
	if !got.found {
		return mtvp.Region{}, 0, true, notFound()
	}
	return got.region.Clone(), got.counter, true, nil
}

// prefetchSQL returns the columns and joins that add the prefetched region
// to a query (empty without a prefetch), and their arguments, numbered from
// $argN. Scan the columns with regionPrefetchRow.dest.
//
// The region's text and JSON columns come only when this process has not
// decoded that version of it yet (regionMemo): a region changes seldom,
// and sending and decoding its settings was a tenth of a warm request.
func (db *DB) prefetchSQL(p *regionPrefetch, argN int) (cols, joins string, args []any) {
	if p == nil {
		return "", "", nil
	}
	knownID, knownVersion := db.regionMemo.version(p.code)
	code, id, version := "$"+strconv.Itoa(argN), "$"+strconv.Itoa(argN+1), "$"+strconv.Itoa(argN+2)
	same := `(pfr.id = ` + id + ` AND pfr.version = ` + version + `)`
	// Timestamps always: through CASE SQLite hands them over as text.
	cols = `, pfr.id, pfr.version, pfr.created_at, pfr.updated_at, pfc.counter, ` + same
	for _, c := range []string{"code", "name", "insurers", "programme_start", "settings", "share_participation"} {
		cols += `, CASE WHEN ` + same + ` THEN NULL ELSE pfr.` + c + ` END`
	}
	return cols, ` LEFT JOIN regions pfr ON pfr.code = ` + code + ` LEFT JOIN region_changes pfc ON pfc.region_id = pfr.id`,
		[]any{p.code, knownID, knownVersion}
}

// regionPrefetchRow receives prefetchSQL's columns (all NULL when the
// region does not exist; the region's own columns NULL when it is the
// version this process knows).
type regionPrefetchRow struct {
	row     regionRow
	counter sql.NullInt64
	known   sql.NullBool
}

func (r *regionPrefetchRow) dest() []any {
	x := &r.row
	return []any{&x.id, &x.version, &x.created, &x.updated, &r.counter, &r.known,
		&x.code, &x.name, &x.insurers, &x.start, &x.settings, &x.share}
}

// keep stores the row in p once the query has run.
func (r *regionPrefetchRow) keep(db *DB, p *regionPrefetch) error {
	if p == nil {
		return nil
	}
	if !r.row.id.Valid {
		p.read.Store(&prefetchedRegion{found: false})
		return nil
	}
	var reg mtvp.Region
	if r.known.Bool {
		known, ok := db.regionMemo.get(p.code)
		if !ok || known.ID != r.row.id.Int64 || known.Version != int(r.row.version.Int64) {
			return nil // forgotten meanwhile: the region is read by itself
		}
		// known is a copy (get); the reminder settings move updated_at,
		// not the version.
		reg = known
		reg.UpdatedAt = nullTime(r.row.updated)
	} else {
		var err error
		if reg, err = r.row.region(); err != nil {
			return err
		}
		db.regionMemo.put(p.code, reg.Clone())
	}
	p.read.Store(&prefetchedRegion{found: true, region: reg, counter: r.counter.Int64})
	return nil
}

// regionMemo keeps the last decoded version of each region by code, for
// prefetchSQL (a bounded LRU: a national host has 40 regions). It is only
// a shortcut: the database says in the same query whether the version is
// still the one kept.
type regionMemo struct {
	byCode *lru.Cache[string, mtvp.Region]
}

func newRegionMemo() regionMemo { return regionMemo{lru.New[string, mtvp.Region](1024)} }

// version returns the ID and version of the region kept for code (0, 0:
// none).
func (m regionMemo) version(code string) (id int64, version int) {
	r, _ := m.byCode.Get(code)
	return r.ID, r.Version
}

// get returns a copy of the region kept for code.
func (m regionMemo) get(code string) (mtvp.Region, bool) {
	r, ok := m.byCode.Get(code)
	return r.Clone(), ok
}

func (m regionMemo) put(code string, r mtvp.Region) { m.byCode.Add(code, r) }

// regionRow receives regionCols; every column may be NULL (a left join).
type regionRow struct {
	id, version        sql.NullInt64
	code, name         sql.NullString
	insurers, settings []byte
	start              mtvp.Date
	share              sql.NullBool
	created, updated   sql.NullTime
}

func (r *regionRow) dest() []any {
	return []any{&r.id, &r.code, &r.name, &r.insurers, &r.start, &r.settings, &r.share, &r.version, &r.created, &r.updated}
}

func (r *regionRow) region() (mtvp.Region, error) {
	reg := mtvp.Region{ID: r.id.Int64, Code: r.code.String, Name: r.name.String, ProgrammeStart: r.start,
		ShareParticipation: r.share.Bool, Version: int(r.version.Int64),
		CreatedAt: nullTime(r.created), UpdatedAt: nullTime(r.updated)}
	if err := jsonScan(r.insurers, &reg.Insurers); err != nil {
		return reg, err
	}
	return reg, jsonScan(r.settings, &reg.Settings)
}
