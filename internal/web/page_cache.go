package web

import (
	"bytes"
	"compress/gzip"
	"net/http"

	"meertijd/internal/gzipmw"
)

// Whole-page cache: a page whose every byte follows from a cache key (the
// norms dashboard: region change counter, year, peildatum, filters, user,
// language) is rendered and compressed once per key, and served from here
// until the region changes. Rendering the layout around the dashboard and
// compressing 250 KB of table for every request was two thirds of its
// server time (BenchmarkNationalPage). A page with a one-time flash message
// is neither served from nor stored in the cache.

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
