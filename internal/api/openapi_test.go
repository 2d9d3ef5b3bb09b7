package api

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// openAPIDoc is the part of an OpenAPI 3.1 document the tests read.
type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Servers []struct {
		URL string `json:"url"`
	} `json:"servers"`
	Security   []map[string][]string                 `json:"security"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		SecuritySchemes map[string]struct {
			Type   string `json:"type"`
			Scheme string `json:"scheme"`
		} `json:"securitySchemes"`
		Schemas map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

type openAPIOperation struct {
	OperationID string                     `json:"operationId"`
	Security    *[]map[string][]string     `json:"security"`
	Responses   map[string]json.RawMessage `json:"responses"`
	RequestBody json.RawMessage            `json:"requestBody"`
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true, "head": true, "options": true, "trace": true}

func parseOpenAPI(t *testing.T) (openAPIDoc, map[string]openAPIOperation) {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi %q, want 3.1.x", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL+"/" != Prefix {
		t.Fatalf("servers %v, want %s", doc.Servers, Prefix)
	}
	ops := map[string]openAPIOperation{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if !httpMethods[method] {
				continue // "parameters", "summary", …
			}
			var op openAPIOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			ops[strings.ToUpper(method)+" "+strings.TrimSuffix(Prefix, "/")+path] = op
		}
	}
	return doc, ops
}

// TestOpenAPIMatchesRoutes: the document's (method, path) pairs are exactly
// the registered patterns, in both directions.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	_, ops := parseOpenAPI(t)
	a := New(nil, Options{})
	var documented, registered []string
	for k := range ops {
		documented = append(documented, k)
	}
	registered = a.Patterns()
	sort.Strings(documented)
	sort.Strings(registered)
	for _, p := range registered {
		if _, ok := ops[p]; !ok {
			t.Errorf("route %q is not in openapi.json", p)
		}
	}
	for _, d := range documented {
		if !slices.Contains(registered, d) {
			t.Errorf("openapi.json documents %q, which is not a route", d)
		}
	}
	if len(registered) < 17 {
		t.Fatalf("only %d routes registered", len(registered))
	}
}

// TestOpenAPIDocumentsResponses: every operation documents its answers:
// a success, 401 unless public, 404 where a path names a record, 400, 403,
// 413 and 422 for writes, 409 for updates; every $ref resolves; the
// schemas the brief names exist; bearer is the security scheme.
func TestOpenAPIDocumentsResponses(t *testing.T) {
	doc, ops := parseOpenAPI(t)
	var all map[string]any
	json.Unmarshal(openAPI, &all)
	for _, s := range []string{"Region", "NormSettings", "Practice", "Person", "Membership", "Error"} {
		if _, ok := doc.Components.Schemas[s]; !ok {
			t.Errorf("schema %s missing", s)
		}
	}
	if b := doc.Components.SecuritySchemes["bearer"]; b.Type != "http" || b.Scheme != "bearer" {
		t.Errorf("bearer scheme: %+v", b)
	}
	if len(doc.Security) != 1 || doc.Security[0]["bearer"] == nil {
		t.Errorf("global security: %v", doc.Security)
	}
	public := map[string]bool{}
	a := New(nil, Options{})
	for _, rt := range a.routes {
		public[rt.pattern] = rt.public
	}
	ids := map[string]bool{}
	for key, op := range ops {
		method := strings.SplitN(key, " ", 2)[0]
		if op.OperationID == "" || ids[op.OperationID] {
			t.Errorf("%s: operationId %q missing or repeated", key, op.OperationID)
		}
		ids[op.OperationID] = true
		if len(op.Responses) == 0 {
			t.Errorf("%s: no responses", key)
			continue
		}
		want := []string{}
		switch method {
		case http.MethodGet:
			want = append(want, "200")
		case http.MethodPost:
			want = append(want, "201", "400", "403", "413", "422")
		case http.MethodPut:
			want = append(want, "200", "400", "403", "409", "413", "422")
		}
		if public[key] {
			if op.Security == nil || len(*op.Security) != 0 {
				t.Errorf("%s: public route must have security: []", key)
			}
		} else {
			want = append(want, "401")
		}
		if strings.Contains(key, "{") {
			want = append(want, "404")
		}
		for _, status := range want {
			if _, ok := op.Responses[status]; !ok {
				t.Errorf("%s: response %s not documented", key, status)
			}
		}
		for status, raw := range op.Responses {
			var r map[string]any
			json.Unmarshal(raw, &r)
			if r["$ref"] == nil && r["description"] == nil {
				t.Errorf("%s %s: response has no description", key, status)
			}
		}
		if (method == http.MethodPost || method == http.MethodPut) && len(op.RequestBody) == 0 {
			t.Errorf("%s: no requestBody", key)
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if !resolves(all, ref) {
					t.Errorf("$ref %s does not resolve", ref)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(all)
}

func resolves(doc map[string]any, ref string) bool {
	if !strings.HasPrefix(ref, "#/") {
		return false
	}
	var cur any = doc
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}

// TestOpenAPISchemasMatchJSON: every field the API writes is a property of
// its schema and the other way round, so the document cannot drift from the
// wire format.
func TestOpenAPISchemasMatchJSON(t *testing.T) {
	one, half := 1, 0.5
	n := int64(3)
	p := practiceJSON{ConsultantID: &n, StaffCount: &one, GPFTE: &half}
	checkSchemasMatchJSON(t, map[string]any{
		"Region":       regionJSON{},
		"NormSettings": settingsJSON{},
		"Practice":     p,
		"Person":       personJSON{},
		"Membership":   membershipJSON{},
		"StaffCreated": staffCreatedJSON{},
		"Regioplan":    regioplanJSON{UpdatedAt: &time.Time{}},
		"Intervention": interventionJSON{},
		"Account":      accountJSON{Password: "x"},
		"Error":        errorBody{Current: map[string]any{}, Changes: []planChangeJSON{}},
	})
}

// checkSchemasMatchJSON checks that each value (an answer's JSON type, with
// its optional fields filled) writes exactly the properties of the named
// schema in the OpenAPI document, so the document cannot drift from the
// wire format.
func checkSchemasMatchJSON(t *testing.T, values map[string]any) {
	t.Helper()
	doc, _ := parseOpenAPI(t)
	for name, v := range values {
		var s struct {
			Properties map[string]any `json:"properties"`
		}
		if err := json.Unmarshal(doc.Components.Schemas[name], &s); err != nil || len(s.Properties) == 0 {
			t.Errorf("schema %s: no properties in the document (%v)", name, err)
			continue
		}
		want := slices.Sorted(maps.Keys(s.Properties))
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("schema %s: %v", name, err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("schema %s: %v", name, err)
		}
		if got := slices.Sorted(maps.Keys(m)); !slices.Equal(got, want) {
			t.Errorf("schema %s: JSON has %v, document has %v", name, got, want)
		}
	}
}
