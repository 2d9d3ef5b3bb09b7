package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// Every list endpoint pages the same way, through these two functions:
//
//	p, err := pageParams(r, "year", "status") // the list's own parameters
//	if err != nil { return err }               // unknown parameter, bad limit/offset: 400
//	…
//	writePage(w, p, items)                      // {"items": […], "total": n, "next": "…"}
//
// ?limit=N (1…MaxPageLimit, default DefaultPageLimit) and ?offset=M (≥ 0)
// choose the window; "next" is the path and query of the following page
// (the same parameters with offset moved on), absent on the last page. A
// list that can compute only the window's items cheaply uses p.window and
// writeWindow instead of writePage.

const (
	// DefaultPageLimit is the page size without ?limit=.
	DefaultPageLimit = 100
	// MaxPageLimit is the largest ?limit= accepted.
	MaxPageLimit = 1000
)

// page is the window a list request asked for.
type page struct {
	Limit  int
	Offset int
	path   string
	query  url.Values
}

// pageParams reads ?limit= and ?offset= and checks that every other query
// parameter is one of known (the list's own filters); anything else is a
// 400 naming the parameter, as is a limit or offset that is not a number
// in range.
func pageParams(r *http.Request, known ...string) (page, error) {
	q := r.URL.Query()
	p := page{Limit: DefaultPageLimit, path: r.URL.Path, query: q}
	for name := range q {
		if name == "limit" || name == "offset" {
			continue
		}
		ok := false
		for _, k := range known {
			ok = ok || name == k
		}
		if !ok {
			return p, badRequest("api.err.query_unknown", name)
		}
	}
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 || n > MaxPageLimit {
			return p, badRequest("api.err.query_limit", MaxPageLimit)
		}
		p.Limit = n
	}
	if q.Has("offset") {
		n, err := strconv.Atoi(q.Get("offset"))
		if err != nil || n < 0 {
			return p, badRequest("api.err.query_offset")
		}
		p.Offset = n
	}
	return p, nil
}

// checkQuery refuses a query string that does not parse (url.Values would
// silently drop the broken pair) or whose names or values hold a control
// character: the same rule as for request bodies, so a NUL or escape never
// reaches a filter, a log line or a "next" link.
func checkQuery(raw string) error {
	if raw == "" {
		return nil
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return badRequest("api.err.query_malformed")
	}
	for name, values := range q {
		if _, bad := mtvp.ControlChar(name); bad {
			return badRequest("api.err.query_control_char", strings.ToValidUTF8(strings.Map(printableRune, name), "?"))
		}
		for _, v := range values {
			if _, bad := mtvp.ControlChar(v); bad {
				return badRequest("api.err.query_control_char", name)
			}
		}
	}
	return nil
}

// printableRune drops control characters from a name before it is echoed.
func printableRune(r rune) rune {
	if _, bad := mtvp.ControlChar(string(r)); bad {
		return -1
	}
	return r
}

// window is the part [lo, hi) of a list of total items on this page.
func (p page) window(total int) (lo, hi int) {
	lo = min(p.Offset, total)
	hi = min(lo+p.Limit, total)
	return lo, hi
}

// next is the link to the page after a window ending at hi, or "".
func (p page) next(hi, total int) string {
	if hi >= total {
		return ""
	}
	q := url.Values{}
	for k, v := range p.query {
		q[k] = v
	}
	q.Set("limit", strconv.Itoa(p.Limit))
	q.Set("offset", strconv.Itoa(hi))
	return p.path + "?" + q.Encode()
}

// pageJSON is the body of every list answer.
type pageJSON[T any] struct {
	Items []T    `json:"items"`
	Total int    `json:"total"`
	Next  string `json:"next,omitempty"`
}

// writePage answers the page's window of items (the whole list, in order).
func writePage[T any](w http.ResponseWriter, p page, items []T) {
	lo, hi := p.window(len(items))
	writeWindow(w, p, items[lo:hi], len(items))
}

// writeWindow answers items that are already the page's window (as cut by
// p.window(total)) of a list of total items.
func writeWindow[T any](w http.ResponseWriter, p page, items []T, total int) {
	if items == nil {
		items = []T{}
	}
	_, hi := p.window(total)
	if next := p.next(hi, total); next != "" {
		w.Header().Add("Link", "<"+next+`>; rel="next"`)
		writeJSON(w, http.StatusOK, pageJSON[T]{Items: items, Total: total, Next: next})
		return
	}
	writeJSON(w, http.StatusOK, pageJSON[T]{Items: items, Total: total})
}

// queryYear reads an optional year parameter (2000…2100); without it def.
func queryYear(q url.Values, name string, def int) (int, error) {
	if !q.Has(name) {
		return def, nil
	}
	s := q.Get(name)
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 || y < 2000 || y > 2100 {
		return 0, badRequest("api.err.query_value", name)
	}
	return y, nil
}

// queryDate reads an optional date parameter (YYYY-MM-DD); a malformed
// value is a 400 that says so (a date outside the programme year has its
// own message: see inYear).
func queryDate(q url.Values, name string) (mtvp.Date, error) {
	if !q.Has(name) {
		return mtvp.Date{}, nil
	}
	t, err := time.Parse("2006-01-02", q.Get(name))
	if err != nil {
		return mtvp.Date{}, badRequest("api.err.query_date_format", name)
	}
	return mtvp.NewDate(t.Year(), t.Month(), t.Day()), nil
}

// inYear is a 400 naming the parameter when d lies outside year.
func inYear(name string, d mtvp.Date, year int) error {
	if !d.IsZero() && d.Year() != year {
		return badRequest("api.err.query_date_year", name, year)
	}
	return nil
}
