package api

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// versionInRow finds the version a route row sends: "version":N in its
// body or version=N in its query.
var versionInRow = regexp.MustCompile(`"version":(\d+)|version=(\d+)`)

// TestStaleVersionEveryWrite: every versioned write of the route × role
// table, sent by a login it lets through but with a version that is no
// longer the stored one, is 409 "conflict" carrying the record as stored
// (its version is the one the row sends) and writes nothing.
func TestStaleVersionEveryWrite(t *testing.T) {
	f := newFixture(t)
	n := 0
	for _, row := range routeRows {
		method := strings.SplitN(row.pattern, " ", 2)[0]
		m := versionInRow.FindStringSubmatch(row.body + " " + row.path)
		if method == http.MethodGet || m == nil {
			continue
		}
		version := m[1] + m[2]
		if version == "0" {
			continue // creates the record
		}
		var caller who
		for _, w := range everyone {
			if row.want[w] >= 200 && row.want[w] < 300 {
				caller = w
				break
			}
		}
		if caller == "" {
			t.Errorf("%s: no login may send it", row.pattern)
			continue
		}
		if row.setup != nil {
			row.setup(f)
		}
		stale := strings.Replace(m[0], version, "9"+version, 1)
		req := request{method: method, path: strings.Replace(row.path, m[0], stale, 1), body: strings.Replace(row.body, m[0], stale, 1)}
		before := f.auditCount()
		rec := f.do(caller, req)
		n++
		if rec.Code != http.StatusConflict {
			t.Errorf("%s as %s with version 9%s: status %d, want 409 (%.300s)", row.pattern, caller, version, rec.Code, rec.Body.String())
			continue
		}
		body := decodeBody(t, rec)
		if code, _, _ := errorOf(t, rec); code != "conflict" {
			t.Errorf("%s: error code %q", row.pattern, code)
		}
		cur, _ := body["current"].(map[string]any)
		if got, _ := cur["version"].(float64); strconv.Itoa(int(got)) != version {
			t.Errorf("%s: current %v, want the stored record (version %s)", row.pattern, body["current"], version)
		}
		if f.auditCount() != before {
			t.Errorf("%s: a stale write changed data", row.pattern)
		}
	}
	if n < 20 {
		t.Fatalf("only %d versioned writes tried", n)
	}
}
