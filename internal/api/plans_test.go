package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPlanAPI(t *testing.T) {
	f := newFixture(t)
	path := "/api/v1/practices/{practice}/plans/2026"
	do := func(w who, method, p, body string, want int) map[string]any {
		t.Helper()
		rec := f.do(w, request{method: method, path: p, body: body})
		if rec.Code != want {
			t.Fatalf("%s %s as %s: %d, want %d: %s", method, p, w, rec.Code, want, rec.Body.String())
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	do(practiceP1, "GET", path, "", 404)
	created := do(practiceP1, "PUT", path, `{"version":0,"ambition":"Meer tijd"}`, 201)
	if created["version"].(float64) != 1 || created["status"] != "concept" {
		t.Fatalf("created %v", created)
	}
	// The consultant reads but may not write.
	do(consultantA, "GET", path, "", 200)
	do(consultantA, "PUT", path, `{"version":1,"ambition":"Anders"}`, 403)
	// A stale version: 409 with the plan as stored; nothing saved.
	do(practiceP1, "PUT", path, `{"version":1,"ambition":"Versie twee"}`, 200)
	c := do(adminA, "PUT", path, `{"version":1,"ambition":"Overschreven?"}`, 409)
	cur := c["current"].(map[string]any)
	if cur["latest"].(map[string]any)["ambition"] != "Versie twee" || cur["version"].(float64) != 2 {
		t.Fatalf("conflict body %v", c)
	}
	// Naming the version the client started from (base) lists what changed.
	c = do(adminA, "PUT", path, `{"version":1,"base":1,"ambition":"Overschreven?"}`, 409)
	ch := c["changes"].([]any)
	if len(ch) != 2 || ch[0].(map[string]any)["label"] != "Status" || ch[0].(map[string]any)["new"] != "concept (Versie 2)" ||
		ch[1].(map[string]any)["field"] != "ambition" || ch[1].(map[string]any)["old"] != "Meer tijd" || ch[1].(map[string]any)["new"] != "Versie twee" {
		t.Fatalf("conflict changes %v", c["changes"])
	}
	vs := do(consultantA, "GET", path+"/versions", "", 200)["items"].([]any)
	if len(vs) != 2 || vs[0].(map[string]any)["ambition"] != "Meer tijd" {
		t.Fatalf("versions %v", vs)
	}
	// Finalising a concept is refused with the reason.
	e := do(practiceP1, "POST", path+"/steps", `{"version":2,"step":"definitief"}`, 422)
	if msg := e["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "in bespreking") {
		t.Fatalf("reason %q", msg)
	}
	do(practiceP1, "POST", path+"/steps", `{"version":2,"step":"delen"}`, 201)
	// Statuses in messages are words, never codes.
	e = do(practiceP1, "POST", path+"/steps", `{"version":3,"step":"delen"}`, 422)
	if msg := e["error"].(map[string]any)["message"].(string); strings.Contains(msg, "in_bespreking") || !strings.Contains(msg, "in bespreking") {
		t.Fatalf("reason %q", msg)
	}
	// A stale step: the message says where the plan stands now.
	e = do(practiceP1, "POST", path+"/steps", `{"version":2,"base":2,"step":"delen"}`, 409)
	if msg := e["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "in bespreking (versie 2)") {
		t.Fatalf("step conflict message %q", msg)
	}
	if ch := e["changes"].([]any); len(ch) != 0 {
		t.Fatalf("step conflict changes %v", ch)
	}
	e = do(practiceP1, "POST", path+"/steps", `{"version":3,"step":"definitief"}`, 422)
	if msg := e["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "team") {
		t.Fatalf("reason %q", msg)
	}
	do(practiceP1, "PUT", path+"/agreement", `{"version":3,"discussed_on":"2026-02-01","agreed":[{bert}]}`, 422) // bert works at P2
	do(practiceP1, "PUT", path+"/agreement", `{"version":3,"discussed_on":"2026-02-01","agreed":[{anna}]}`, 200)
	final := do(practiceP1, "POST", path+"/steps", `{"version":4,"step":"definitief"}`, 201)
	if final["status"] != "definitief" || final["current_version"].(float64) != 2 {
		t.Fatalf("final %v", final)
	}
	rows := do(adminA, "GET", "/api/v1/regions/{region}/plans?year=2026", "", 200)["items"].([]any)
	found := false
	for _, r := range rows {
		m := r.(map[string]any)
		if m["practice_name"] == f.p1.Name {
			found = m["status"] == "definitief"
		}
	}
	if !found {
		t.Fatalf("region rows %v", rows)
	}
	do(funderA, "GET", path, "", 404)
	do(practiceP2, "GET", path, "", 404)
}
