package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// Hostile input (issue 17): whatever body a client sends to the write
// endpoints, the answer is a success or a 4xx with a JSON error naming
// what is wrong, never a 500 or a panic. CI runs it for a short while
// (.ci/run); the long form is
//
//	go test -run '^$' -fuzz '^FuzzWriteBodies$' -fuzztime 10m ./internal/api/
func FuzzWriteBodies(f *testing.F) {
	endpoints := []struct{ method, path string }{
		{"POST", "/api/v1/practices/{practice}/people"},
		{"POST", "/api/v1/practices/{practice}/memberships"},
		{"PUT", "/api/v1/memberships/{membership}"},
		{"PUT", "/api/v1/practices/{practice}"},
		{"PUT", "/api/v1/regions/{region}/regioplans/2026"},
	}
	for i, body := range []string{
		`{"name":"Nina Nieuw","membership":{"role":"doktersassistent","fte":0.5,"from":"2026-01-01"}}`,
		`{"person_id":{anna},"role":"hidha","fte":0.1,"from":"2026-01-01"}`,
		`{"version":1,"to":"2026-06-30"}`,
		`{"version":1,"name":"Praktijk Een","registered_patients":-5}`,
		`{"version":0,"interventions":[{"code":"A.1","element":"A","title":"x","mandatory":true}]}`,
		`{"name":"\u0000\u001b[31m","membership":{"from":"31-02-2026"}}`,
		`{"fte":1e309}`, `[]`, `null`, `{"a":`, `{"version":1}{"version":2}`,
	} {
		f.Add(uint8(i), body)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		fx.t = t // the fixture reports through this input's test
		e := endpoints[int(which)%len(endpoints)]
		rec := fx.send(adminA, e.method, e.path, body)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", e.method, e.path, body, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			var out struct {
				Error struct {
					Code, Message string
				} `json:"error"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Error.Code == "" || out.Error.Message == "" ||
				strings.Contains(out.Error.Message, "%!") {
				t.Fatalf("%s %s %q: %d without a clear error: %s", e.method, e.path, body, rec.Code, rec.Body)
			}
		}
	})
}
