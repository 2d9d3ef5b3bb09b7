package web

import (
	"context"
	"net/http"

	"meertijd/internal/mtvp"
)

// The region's change counter, read once per request (issue 14 review).
//
// A region page reads the counter to serve cached work: the standings
// (store.RegionStandingsAt), the consultant's menu counts (badgeKey) and
// the whole-page cache (pageKey). regionFor reads the region and its
// counter in one query and keeps the counter for the request; every later
// use takes it from there instead of reading it again.
//
// Only requests that write nothing keep it (GET and HEAD): a request that
// writes region data and then renders must see its own write, so it reads
// the counter anew each time it needs it.

// regionChangeMemo is the counter of the region the request is about.
type regionChangeMemo struct {
	regionID, counter int64
}

// withRegionChangeMemo gives a reading request (GET, HEAD) a place to keep
// its region's change counter.
func withRegionChangeMemo(r *http.Request) *http.Request {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return r
	}
	return r.WithContext(context.WithValue(r.Context(), regionChangeKey, &regionChangeMemo{}))
}

// regionByCode reads the region of code, with its change counter when the
// request keeps one (one query either way).
func (s *Server) regionByCode(r *http.Request, code string) (mtvp.Region, error) {
	m, _ := r.Context().Value(regionChangeKey).(*regionChangeMemo)
	if m == nil {
		return s.db.RegionByCode(r.Context(), code)
	}
	reg, counter, err := s.db.RegionByCodeWithChange(r.Context(), code)
	if err == nil {
		*m = regionChangeMemo{regionID: reg.ID, counter: counter}
	}
	return reg, err
}

// regionChange returns the region's change counter: the one this request
// read with the region, else read now.
func (s *Server) regionChange(ctx context.Context, regionID int64) (int64, error) {
	m, _ := ctx.Value(regionChangeKey).(*regionChangeMemo)
	if m != nil && m.regionID == regionID && regionID != 0 {
		return m.counter, nil
	}
	counter, err := s.db.RegionChange(ctx, regionID)
	if err == nil && m != nil {
		*m = regionChangeMemo{regionID: regionID, counter: counter}
	}
	return counter, err
}
