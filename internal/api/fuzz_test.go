package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// Hostile input (issue 17): whatever body a client sends to a write
// endpoint, the answer is a success or a 4xx with a JSON error naming what
// is wrong, never a 500 or a panic. The endpoints are every write route of
// the route × role table (so a new route is fuzzed without a line here),
// called as the platform admin on the row's own record. CI runs it for a
// fixed number of inputs (.ci/run); the long form is
//
//	go test -run '^$' -fuzz '^FuzzWriteBodies$' -fuzztime 10m ./internal/api/
func FuzzWriteBodies(f *testing.F) {
	rows := writeRows()
	// Each row's own body, then hostile ones (the fuzzer moves them to other
	// routes by varying which).
	for i, row := range rows {
		f.Add(uint8(i), row.body)
	}
	for i, body := range []string{
		`{"name":"Nina Nieuw","membership":{"role":"doktersassistent","fte":0.5,"from":"2026-01-01"}}`,
		`{"person_id":{anna},"role":"hidha","fte":0.1,"from":"2026-01-01"}`,
		`{"version":1,"to":"2026-06-30"}`,
		`{"version":1,"name":"Praktijk Een","registered_patients":-5}`,
		`{"version":0,"interventions":[{"code":"A.1","element":"A","title":"x","mandatory":true}]}`,
		`{"name":"\u0000\u001b[31m","membership":{"from":"31-02-2026"}}`,
		`{"version":1,"dates":["2026-02-30"],"capacity":-1,"points":1e309}`,
		`{"version":9223372036854775807,"id":-1,"person_id":0,"practice_id":-9223372036854775808}`,
		`{"status":"onbekend","decision":"","reason":"` + strings.Repeat("x", 5000) + `"}`,
		`{"attendance":{"1":"aanwezig","x":"?"},"members":[{"person_id":"1"}]}`,
		`{"fte":1e309}`, `[]`, `null`, `{"a":`, `{"version":1}{"version":2}`, `"string"`, `{"version":"1"}`,
	} {
		f.Add(uint8(i*5), body) // rows in turn; the fuzzer varies which
	}
	fx := newFixture(f)
	for _, row := range routeRows {
		if row.setup != nil {
			row.setup(fx)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		fx.t = t // the fixture reports through this input's test
		row := rows[int(which)%len(rows)]
		method, _, _ := strings.Cut(row.pattern, " ")
		rec := fx.send(platform, method, row.path, body)
		checkAnswer(t, method+" "+row.path+" "+body, rec)
	})
}

// writeRows are the route table's rows of write routes, in table order.
func writeRows() []routeRow {
	var out []routeRow
	for _, row := range routeRows {
		if !strings.HasPrefix(row.pattern, "GET ") {
			out = append(out, row)
		}
	}
	return out
}

// checkAnswer fails on a 5xx, and on a 4xx that is not a JSON error with a
// code and a message.
func checkAnswer(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("%q: %d %s", what, rec.Code, rec.Body)
	}
	if rec.Code >= 400 {
		var out struct {
			Error struct {
				Code, Message string
			} `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Error.Code == "" || out.Error.Message == "" ||
			strings.Contains(out.Error.Message, "%!") {
			t.Fatalf("%q: %d without a clear error: %s", what, rec.Code, rec.Body)
		}
	}
}

// TestWriteRoutesFuzzed: every write route of the API is one of
// FuzzWriteBodies' endpoints.
func TestWriteRoutesFuzzed(t *testing.T) {
	fx := newFixture(t)
	fuzzed := map[string]bool{}
	for _, row := range writeRows() {
		fuzzed[row.pattern] = true
	}
	for _, p := range fx.api.Patterns() {
		if !strings.HasPrefix(p, "GET ") && !fuzzed[p] {
			t.Errorf("write route %s is not fuzzed", p)
		}
	}
}

// FuzzAgendaUpload: a practice's agenda export sent to the API, with any
// query (column mapping, practitioner roles, file name) and any body: a
// 201, or a 4xx with a JSON error; never a 500 or a panic.
//
//	go test -run '^$' -fuzz '^FuzzAgendaUpload$' -fuzztime 10m ./internal/api/
func FuzzAgendaUpload(f *testing.F) {
	csv := "Patiënt;Begin;Eind;Rol\nP1;02-12-2026 08:30;02-12-2026 08:45;huisarts\nP2;02-12-2026 08:45;02-12-2026 09:05;Dr. Jansen\n"
	fhir := `{"resourceType":"Appointment","status":"fulfilled","start":"2026-12-02T08:30:00+01:00","end":"2026-12-02T08:40:00+01:00","participant":[{"actor":{"display":"huisarts"}}]}` + "\n"
	for _, c := range []struct{ query, body string }{
		{"start=Begin&end=Eind&role=Rol&file_name=agenda.csv", csv},
		{"start=Begin&duration=Eind&default_role=huisarts", csv},
		{"start=Begin&end=Eind&role=Rol&practitioner=Dr.+Jansen:huisarts", csv},
		{"practitioner=:huisarts&practitioner=x:onbekend", csv},
		{"file_name=" + strings.Repeat("a", 200), csv},
		{"start=Begin&end=Eind&default_role=%00", "Begin;Eind\n\"02-12-2026 08:30\n"},
		{"", fhir},
		{"default_role=poh-s", fhir + "{\n[]\nnull\n"},
		{"onbekend=1", csv},
		{"%zz", csv},
		{"", ""},
	} {
		f.Add(c.query, []byte(c.body))
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, query string, body []byte) {
		fx.t = t
		r := httptest.NewRequest(http.MethodPost, "/api/v1/practices/"+strconv.FormatInt(fx.p1.ID, 10)+"/agenda-uploads", strings.NewReader(string(body)))
		r.URL.RawQuery = query
		r.Header.Set("Authorization", "Bearer "+fx.tokens[practiceP1])
		rec := httptest.NewRecorder()
		fx.handler.ServeHTTP(rec, r)
		checkAnswer(t, "agenda upload ?"+query, rec)
	})
}

// FuzzQueries: any query string on any GET route of the route table (years,
// dates, ISO weeks, quarters, filters, paging): a 2xx/3xx, or a 4xx with a
// JSON error; never a 500 or a panic.
//
//	go test -run '^$' -fuzz '^FuzzQueries$' -fuzztime 10m ./internal/api/
func FuzzQueries(f *testing.F) {
	var rows []routeRow
	for _, row := range routeRows {
		if strings.HasPrefix(row.pattern, "GET ") {
			rows = append(rows, row)
		}
	}
	for i, row := range rows {
		if _, q, ok := strings.Cut(row.path, "?"); ok {
			f.Add(uint8(i), q)
		}
	}
	for i, q := range []string{"year=0000", "year=99999999999999999999", "year=2026&date=2026-02-30", "date=0001-01-01",
		"from=2026-W99&to=0000-W01", "from=2026-W53", "quarter=0000-Q1", "quarter=2026-Q9", "limit=-1&offset=9223372036854775807",
		"limit=0", "cursor=%00", "%zz", "role=onbekend", "status=;DROP", "year=2026&year=2027", "weekday=8&free=ja"} {
		f.Add(uint8(i*3), q)
	}
	fx := newFixture(f)
	for _, row := range routeRows {
		if row.setup != nil {
			row.setup(fx)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		fx.t = t
		row := rows[int(which)%len(rows)]
		path, _, _ := strings.Cut(fx.expand(row.path), "?")
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.URL.RawQuery = query
		r.Header.Set("Authorization", "Bearer "+fx.tokens[platform])
		rec := httptest.NewRecorder()
		fx.handler.ServeHTTP(rec, r)
		checkAnswer(t, path+"?"+query, rec)
	})
}
