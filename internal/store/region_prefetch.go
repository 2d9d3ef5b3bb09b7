package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

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
// authentication read it, the region and its counter.
type regionPrefetch struct {
	code    string
	read    bool // the authentication query ran with it
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
	if p := prefetchOf(ctx); p != nil && p.read {
		*p = regionPrefetch{code: p.code, read: false}
	}
}

// prefetched returns the region of code as the request's authentication
// read it; ok is false when it did not (then read it).
func prefetched(ctx context.Context, code string) (reg mtvp.Region, counter int64, ok bool, err error) {
	p := prefetchOf(ctx)
	if p == nil || !p.read || p.code != normalizeRegionCode(code) {
		return mtvp.Region{}, 0, false, nil
	}
	if !p.found {
		return mtvp.Region{}, 0, true, notFound()
	}
	return p.region, p.counter, true, nil
}

// prefetchSQL returns the columns and joins that add the prefetched region
// to a query (empty without a prefetch); the code is argument $argN.
// Scan the columns with regionPrefetchRow.dest.
func prefetchSQL(p *regionPrefetch, argN int) (cols, joins string) {
	if p == nil {
		return "", ""
	}
	return `, pfr.id, pfr.code, pfr.name, pfr.insurers, pfr.programme_start, pfr.settings, pfr.share_participation, pfr.version, pfr.created_at, pfr.updated_at, pfc.counter`,
		` LEFT JOIN regions pfr ON pfr.code = $` + strconv.Itoa(argN) + ` LEFT JOIN region_changes pfc ON pfc.region_id = pfr.id`
}

// regionPrefetchRow receives prefetchSQL's columns (all NULL when the
// region does not exist).
type regionPrefetchRow struct {
	row     regionRow
	counter sql.NullInt64
}

func (r *regionPrefetchRow) dest() []any { return append(r.row.dest(), &r.counter) }

// keep stores the row in p once the query has run.
func (r *regionPrefetchRow) keep(p *regionPrefetch) error {
	if p == nil {
		return nil
	}
	p.read, p.found = true, r.row.id.Valid
	if !p.found {
		return nil
	}
	reg, err := r.row.region()
	if err != nil {
		return err
	}
	p.region, p.counter = reg, r.counter.Int64
	return nil
}

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
