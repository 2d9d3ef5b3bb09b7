package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestControlCharactersRefused (issue 11, item 7): a string with NUL, ESC
// or another control character is refused with 422 naming the field, in
// the message and in fields, whatever the route, and nothing is saved; tab
// and new lines are text.
func TestControlCharactersRefused(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	const claims = "/api/v1/practices/{practice}/claims"
	count := func() int {
		rec := f.get(practiceP1, claims)
		wantStatus(t, rec, 200)
		return strings.Count(rec.Body.String(), `"title":`)
	}
	before, audits := count(), f.auditCount()
	for _, tc := range []struct{ name, method, path, body, field string }{
		{"NUL in a claim's title", "POST", claims, `{"person_id":{anna},"title":"PG\u0000x","completed_on":"2023-05-01","theme":"positieve gezondheid"}`, "title"},
		{"ESC in the evidence name", "POST", claims, `{"person_id":{anna},"title":"PG","completed_on":"2023-05-01","theme":"positieve gezondheid","evidence":{"name":"a\u001b[31m.pdf","content_base64":"JVBERi0xLjQK"}}`, "evidence.name"},
		{"BEL in a practice's name", "PUT", "/api/v1/practices/{practice}", `{"version":1,"name":"Praktijk\u0007 Een"}`, "name"},
		{"C1 in a key", "PUT", "/api/v1/practices/{practice}", `{"version":1,"na\u0085me":"x"}`, "na\u0085me"},
	} {
		rec := f.send(practiceP1, tc.method, tc.path, tc.body)
		if tc.method == "PUT" {
			rec = f.send(adminA, tc.method, tc.path, tc.body)
		}
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		code, msg, fields := errorOf(t, rec)
		if code != "invalid" || fields[tc.field] == nil || !strings.Contains(msg, "„"+tc.field+"”") || !strings.Contains(msg, "stuurteken") {
			t.Errorf("%s: %s %q %v", tc.name, code, msg, fields)
		}
	}
	if count() != before || f.auditCount() != audits {
		t.Errorf("something was saved")
	}
	if rec := f.get(adminA, "/api/v1/practices/{practice}"); !strings.Contains(rec.Body.String(), `"name":"Praktijk Een"`) {
		t.Errorf("practice changed: %s", rec.Body.String())
	}
	// Tabs and new lines are text.
	rec := f.send(practiceP1, "POST", claims, `{"person_id":{anna},"title":"PG\tdeel 1\r\nen 2","completed_on":"2023-05-01","theme":"positieve gezondheid"}`)
	wantStatus(t, rec, http.StatusCreated)
}

// TestQueryControlCharactersRefused (issue 11, item 7): query names and
// values get the same rule as bodies — a control character is a 400 naming
// the parameter, as is a query string that does not decode — on lists,
// single reads and writes alike, before anything is read or saved.
func TestQueryControlCharactersRefused(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	audits := f.auditCount()
	for _, tc := range []struct{ name, method, path, want string }{
		{"NUL in a filter value", "GET", "/api/v1/regions/{region}/practices?q=Een%00", `"q"`},
		{"ESC in a parameter name", "GET", "/api/v1/regions/{region}/practices?q%1b=x", `"q"`},
		{"C1 in a value of a single read", "GET", "/api/v1/practices/{practice}?x=%c2%85", `"x"`},
		{"control character on a write", "PUT", "/api/v1/practices/{practice}?v=%07", `"v"`},
		{"broken escape", "GET", "/api/v1/regions/{region}/practices?q=%zz", "gecodeerd"},
	} {
		rec := f.send(adminA, tc.method, tc.path, `{"version":1,"name":"Nieuw"}`)
		wantStatus(t, rec, http.StatusBadRequest)
		_, msg, _ := errorOf(t, rec)
		if !strings.Contains(msg, tc.want) || strings.ContainsAny(msg, "\x00\x1b\u0085\x07") {
			t.Errorf("%s: %q", tc.name, msg)
		}
	}
	if f.auditCount() != audits {
		t.Errorf("something was saved")
	}
	if rec := f.get(adminA, "/api/v1/practices/{practice}"); !strings.Contains(rec.Body.String(), `"name":"Praktijk Een"`) {
		t.Errorf("practice changed: %s", rec.Body.String())
	}
	// Tabs are text in a query too, and an ordinary search still works.
	wantStatus(t, f.get(adminA, "/api/v1/regions/{region}/practices?q=Een%09"), 200)
}

// TestEvidenceNameWithoutPath (issue 11, item 7): the API keeps only the
// file's own name, as the web does, for slash and backslash paths.
func TestEvidenceNameWithoutPath(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	for sent, want := range map[string]string{
		`C:\\Users\\anna\\bewijs.pdf`: "bewijs.pdf",
		`../../etc/passwd.pdf`:        "passwd.pdf",
		`map/sub\\gemengd.pdf`:        "gemengd.pdf",
	} {
		rec := f.send(practiceP1, "POST", "/api/v1/practices/{practice}/claims",
			`{"person_id":{anna},"title":"PG","completed_on":"2023-05-01","theme":"positieve gezondheid","evidence":{"name":"`+sent+`","content_base64":"JVBERi0xLjQK"}}`)
		wantStatus(t, rec, http.StatusCreated)
		if got := decodeBody(t, rec)["evidence_name"]; got != want {
			t.Errorf("%s stored as %v, want %s", sent, got, want)
		}
	}
}

// TestOtherRegionAnswersAsMissing (issue 11, item 7): an object of another
// region answers exactly like one that does not exist — same status, same
// body — so ids cannot be probed across regions.
func TestOtherRegionAnswersAsMissing(t *testing.T) {
	f := newFixture(t)
	const missing = 999999999
	for _, path := range []string{
		"/api/v1/practices/%d", "/api/v1/practices/%d/people", "/api/v1/practices/%d/memberships",
		"/api/v1/practices/%d/claims", "/api/v1/practices/%d/visits", "/api/v1/practices/%d/compliance",
	} {
		other := f.get(adminA, fmt.Sprintf(path, f.p3.ID))
		none := f.get(adminA, fmt.Sprintf(path, missing))
		if other.Code != none.Code || other.Body.String() != none.Body.String() || other.Code != http.StatusNotFound {
			t.Errorf("%s: other region %d %s, missing %d %s", path, other.Code, other.Body.String(), none.Code, none.Body.String())
		}
	}
	other := f.get(adminA, fmt.Sprintf("/api/v1/people/%d", f.carla.ID))
	none := f.get(adminA, fmt.Sprintf("/api/v1/people/%d", missing))
	if other.Code != none.Code || other.Body.String() != none.Body.String() {
		t.Errorf("person: other region %d %s, missing %d %s", other.Code, other.Body.String(), none.Code, none.Body.String())
	}
	other, none = f.get(adminA, "/api/v1/regions/regio-b/figures"), f.get(adminA, "/api/v1/regions/geen-regio/figures")
	if other.Code != none.Code || other.Body.String() != none.Body.String() {
		t.Errorf("region: other %d %s, missing %d %s", other.Code, other.Body.String(), none.Code, none.Body.String())
	}
}
