package web

import (
	"bytes"
	"compress/gzip"
	"net/http"

	"meertijd/internal/gzipmw"
	"meertijd/internal/mtvp"
)

// Whole-page cache: a page whose every byte follows from a cache key (the
// norms dashboard: region change counter, year, peildatum, filters, user,
// language) is rendered and compressed once per key, and served from here
// until the region changes. Rendering the layout around the dashboard and
// compressing 250 KB of table for every request was two thirds of its
// server time (BenchmarkNationalPage). A page with a one-time flash message
// is neither served from nor stored in the cache.

// regionPageKey is the start of every whole-page cache key of a region
// page: what every such page depends on — the region's data as of its
// change counter, the caller (their scope and menu counts), the language
// and the day. A page adds what else it shows (the dashboard: its period
// and filters) and hands the key to its view (view.cacheAs).
func (s *Server) regionPageKey(r *http.Request, reg mtvp.Region, counter int64) normCacheKey {
	k := normCacheKey{region: reg.ID, counter: counter, lang: s.lang(r), today: s.today()}
	if u := currentUser(r); u != nil {
		k.user = u.ID
	}
	return k
}

// cacheAs says every byte of the page follows from k (regionPageKey):
// render serves it from, and stores it in, the whole-page cache.
func (v *view) cacheAs(k normCacheKey) { v.cacheKey = &k }

// pageKey is the page's key in the whole-page cache, and whether it may be
// cached: only when its view has a key (cacheAs) and the answer is a plain
// 200 without a one-time message or errors.
func (v *view) pageKey(r *http.Request, status int, page, block string) (pageKey, bool) {
	if v.cacheKey == nil || status != http.StatusOK || v.Flash != "" || len(v.Errors) > 0 || v.ErrorKey != "" {
		return pageKey{}, false
	}
	return pageKey{norm: *v.cacheKey, page: page, path: r.URL.Path, fragment: block == "fragment"}, true
}

// pageCacheEntries bounds the cache: a few pages per user and region.
const pageCacheEntries = 128

// pageKey names one rendering of a page.
type pageKey struct {
	norm     normCacheKey
	page     string // template and block ("layout" or "fragment")
	path     string
	fragment bool
}

// cachedPage is a rendered page, as it is and gzipped.
type cachedPage struct {
	html, gz []byte
}

func newCachedPage(html []byte) cachedPage {
	var z bytes.Buffer
	// Compressed once per key: the best ratio is worth it here.
	gw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	gw.Write(html)
	gw.Close()
	return cachedPage{html: html, gz: z.Bytes()}
}

// write sends the page, gzipped when the client accepts it (the gzip
// middleware leaves an answer with a Content-Encoding alone).
func (p cachedPage) write(w http.ResponseWriter, r *http.Request) error {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	body := p.html
	if gzipmw.Accepts(r) {
		h.Set("Content-Encoding", "gzip")
		body = p.gz
	}
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err
}
