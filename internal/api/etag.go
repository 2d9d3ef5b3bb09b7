package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/gzipmw"
)

// ETags and 304 Not Modified (issue 14). A handler that can tell cheaply
// whether its answer changed (the region compliance: the region's change
// counter) sets its own ETag and calls notModified before building the
// body; every other GET answer gets an ETag from a hash of its body in
// wrap (etagWriter), which saves the wire, not the work.

// etagHash is a short hash of parts, for the opaque part of an ETag.
func etagHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:9])
}

// etagMatches reports whether If-None-Match names etag (weak comparison:
// W/ is ignored on both sides; "*" matches anything).
func etagMatches(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, c := range strings.Split(ifNoneMatch, ",") {
		c = strings.TrimSpace(c)
		if c == "*" || strings.TrimPrefix(c, "W/") == want {
			return true
		}
	}
	return false
}

// notModified sets the ETag and, when the request's If-None-Match names
// it, answers 304 and reports true. A client may keep the answer but must
// ask again each time (private, no-cache): the data is personal.
func notModified(w http.ResponseWriter, r *http.Request, etag string) bool {
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	h.Add("Vary", "Authorization, Accept-Language")
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

// etagWriter holds a GET answer so wrap can give it an ETag from its body
// and answer 304 when the client has it already. An answer whose handler
// set its own ETag (notModified) goes through as written, unheld.
type etagWriter struct {
	http.ResponseWriter
	status int
	direct bool // the handler set the ETag: pass the answer on
	body   []byte
}

func (e *etagWriter) WriteHeader(status int) {
	if e.status != 0 {
		return
	}
	e.status = status
	if e.ResponseWriter.Header().Get("ETag") != "" {
		e.direct = true
		e.ResponseWriter.WriteHeader(status)
	}
}

func (e *etagWriter) Write(b []byte) (int, error) {
	if e.status == 0 {
		e.WriteHeader(http.StatusOK)
	}
	if e.direct {
		return e.ResponseWriter.Write(b)
	}
	e.body = append(e.body, b...)
	return len(b), nil
}

// finish sends the held answer: 304 when it is a 200 whose body the client
// has (If-None-Match), else as written, with an ETag on every 200.
func (e *etagWriter) finish(r *http.Request) {
	w := e.ResponseWriter
	if e.status == 0 || e.direct {
		return
	}
	if e.status == http.StatusOK {
		sum := sha256.Sum256(e.body)
		if notModified(w, r, `W/"b`+hex.EncodeToString(sum[:12])+`"`) {
			return
		}
	}
	w.WriteHeader(e.status)
	w.Write(e.body)
}

// bodyCacheEntries bounds API.bodies.
const bodyCacheEntries = 256

// cachedBody is an answer kept by its ETag, as JSON and gzip-compressed.
type cachedBody struct {
	plain, gz []byte
	next      string // the Link to the next page, if any
}

// newCachedBody encodes v once in both forms.
func newCachedBody(v any) (*cachedBody, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	plain = append(plain, '\n')
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzipmw.Level)
	zw.Write(plain)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &cachedBody{plain: plain, gz: buf.Bytes()}, nil
}

// write sends the body as 200, compressed when the client accepts gzip
// (the gzip middleware leaves an answer with a Content-Encoding alone).
func (c *cachedBody) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if c.next != "" {
		h.Add("Link", "<"+c.next+`>; rel="next"`)
	}
	body := c.plain
	if gzipmw.Accepts(r) && len(c.plain) >= gzipmw.MinSize {
		h.Set("Content-Encoding", "gzip")
		body = c.gz
	}
	// With its length the answer goes out in one piece, not chunked.
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
