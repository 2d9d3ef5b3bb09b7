package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// notPaged are GET routes whose answer has "items" but is one record with
// its own counts, not a list to page.
var notPaged = map[string]bool{
	"GET /api/v1/intervision-groups/{id}/members": true, // items + members/waiting counts
}

// TestEveryListPages: every GET route that answers {"items": …} pages
// through the one helper: total, limit/offset, a next link that leads to
// the following page, and 400 for a bad limit/offset or an unknown
// parameter; the OpenAPI document names limit and offset for exactly
// these routes.
func TestEveryListPages(t *testing.T) {
	f := newFixture(t)
	_, ops := parseOpenAPI(t)
	var doc map[string]any
	json.Unmarshal(openAPI, &doc)
	lists := 0
	for _, row := range routeRows {
		if !strings.HasPrefix(row.pattern, "GET ") {
			continue
		}
		if row.setup != nil {
			row.setup(f)
		}
		rec := f.get(platform, row.path)
		if rec.Code != http.StatusOK {
			t.Errorf("%s as platform admin: %d", row.pattern, rec.Code)
			continue
		}
		var body map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			continue // not an object (e.g. a file)
		}
		documented := documentsParam(ops[row.pattern].raw(t, doc, row.pattern), "Limit")
		if _, ok := body["items"]; !ok || notPaged[row.pattern] {
			if documented {
				t.Errorf("%s: documents limit but is not a paged list", row.pattern)
			}
			continue
		}
		lists++
		if !documented {
			t.Errorf("%s: a list without limit/offset in the OpenAPI document", row.pattern)
		}
		var whole pageJSON[json.RawMessage]
		json.Unmarshal(rec.Body.Bytes(), &whole)
		if whole.Total != len(whole.Items) || whole.Next != "" {
			t.Errorf("%s: total %d, %d items, next %q on one page", row.pattern, whole.Total, len(whole.Items), whole.Next)
		}
		sep := "?"
		if strings.Contains(row.path, "?") {
			sep = "&"
		}
		// Walk the list one item at a time along the next links.
		var walked []string
		next := row.path + sep + "limit=1"
		for i := 0; next != "" && i <= whole.Total; i++ {
			r := f.get(platform, next)
			if r.Code != http.StatusOK {
				t.Fatalf("%s: %s: %d %s", row.pattern, next, r.Code, r.Body.String())
			}
			var pg pageJSON[json.RawMessage]
			json.Unmarshal(r.Body.Bytes(), &pg)
			if pg.Total != whole.Total || len(pg.Items) > 1 {
				t.Errorf("%s: page %s: total %d, %d items", row.pattern, next, pg.Total, len(pg.Items))
			}
			for _, it := range pg.Items {
				walked = append(walked, string(it))
			}
			if pg.Next != "" && r.Header().Get("Link") != "<"+pg.Next+`>; rel="next"` {
				t.Errorf("%s: Link header %q", row.pattern, r.Header().Get("Link"))
			}
			next = pg.Next
		}
		if len(walked) != len(whole.Items) {
			t.Errorf("%s: walked %d items, the whole list has %d", row.pattern, len(walked), len(whole.Items))
		}
		for i := range walked {
			if i < len(whole.Items) && walked[i] != string(whole.Items[i]) {
				t.Errorf("%s: item %d differs when paged", row.pattern, i)
			}
		}
		for _, bad := range []string{"limit=0", "limit=1001", "limit=x", "offset=-1", "offset=", "bogus=1"} {
			r := f.get(platform, row.path+sep+bad)
			if r.Code != http.StatusBadRequest {
				t.Errorf("%s?%s: %d, want 400", row.pattern, bad, r.Code)
				continue
			}
			_, msg, _ := errorOf(t, r)
			name, _, _ := strings.Cut(bad, "=")
			if !strings.Contains(msg, `"`+name+`"`) {
				t.Errorf("%s?%s: message %q does not name the parameter", row.pattern, bad, msg)
			}
		}
	}
	if lists < 15 {
		t.Errorf("only %d paged lists found", lists)
	}
}

// raw returns the operation's JSON as a map (for its parameters).
func (openAPIOperation) raw(t *testing.T, doc map[string]any, pattern string) map[string]any {
	method, path, _ := strings.Cut(pattern, " ")
	path = strings.TrimPrefix(path, strings.TrimSuffix(Prefix, "/"))
	item, _ := doc["paths"].(map[string]any)[path].(map[string]any)
	op, _ := item[strings.ToLower(method)].(map[string]any)
	return op
}

func documentsParam(op map[string]any, name string) bool {
	ps, _ := op["parameters"].([]any)
	for _, p := range ps {
		m, _ := p.(map[string]any)
		if m["$ref"] == "#/components/parameters/"+name {
			return true
		}
	}
	return false
}

// TestPageNextKeepsFilters: the next link keeps the list's own parameters.
func TestPageNextKeepsFilters(t *testing.T) {
	f := newFixture(t)
	rec := f.get(adminA, "/api/v1/regions/{region}/practices?status=actief&limit=1")
	wantStatus(t, rec, http.StatusOK)
	var pg pageJSON[practiceJSON]
	json.Unmarshal(rec.Body.Bytes(), &pg)
	if pg.Total != 2 || len(pg.Items) != 1 || pg.Next == "" {
		t.Fatalf("page: %+v", pg)
	}
	u, err := url.Parse(pg.Next)
	if err != nil || u.Query().Get("status") != "actief" || u.Query().Get("offset") != "1" || u.Query().Get("limit") != "1" {
		t.Fatalf("next %q", pg.Next)
	}
	rec = f.get(adminA, pg.Next)
	var pg2 pageJSON[practiceJSON]
	json.Unmarshal(rec.Body.Bytes(), &pg2)
	if len(pg2.Items) != 1 || pg2.Items[0].ID == pg.Items[0].ID || pg2.Next != "" {
		t.Fatalf("second page: %+v", pg2)
	}
	// Past the end: an empty page, no next.
	rec = f.get(adminA, "/api/v1/regions/{region}/practices?offset=50")
	wantStatus(t, rec, http.StatusOK)
	if b := rec.Body.String(); !strings.Contains(b, `"items":[]`) || strings.Contains(b, "next") {
		t.Fatalf("past the end: %s", b)
	}
}
