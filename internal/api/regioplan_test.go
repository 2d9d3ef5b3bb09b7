package api

import (
	"context"
	"net/http"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// regioplanWorld gives region A a regioplan for this year (version 1) once.
func regioplanWorld(f *fixture) {
	ctx := context.Background()
	year := clock.Now().Year()
	if _, err := f.db.Regioplan(ctx, f.regionA.ID, year); err == nil {
		return
	}
	p := mtvp.Regioplan{RegionID: f.regionA.ID, Year: year, Interventions: []mtvp.Intervention{
		{Code: "A.1", Title: "Triagetraining", Element: mtvp.ElementA},
		{Code: "D.1", Title: "Positieve gezondheid", Element: mtvp.ElementD},
	}}
	if err := f.db.SaveRegioplan(ctx, mtvp.SystemActor, &p); err != nil {
		f.t.Fatal(err)
	}
}

func init() {
	path := "/api/v1/regions/{region}/regioplans/" + itoa(int64(clock.Now().Year()))
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/regions/{code}/regioplans/{year}", path: path, want: seesRegionA, setup: regioplanWorld},
		routeRow{pattern: "PUT /api/v1/regions/{code}/regioplans/{year}", path: path,
			body: `{"version":1,"interventions":[{"id":1,"code":"A.1","title":"Triage","element":"A","mandatory":true}]}`,
			want: adminsA(200), setup: regioplanWorld},
	)
}

// TestRegioplanAPI: create a year's plan (201), change it (mandatory,
// removal by omission), a stale version is 409 with the plan as stored,
// bad rows 422 by row, nothing half-saved; the minimums come along.
func TestRegioplanAPI(t *testing.T) {
	f := newFixture(t)
	next := itoa(int64(clock.Now().Year() + 1))
	path := "/api/v1/regions/{region}/regioplans/" + next
	wantStatus(t, f.get(adminA, path), http.StatusNotFound)
	wantStatus(t, f.send(adminA, http.MethodPut, path, `{"version":3,"interventions":[]}`), http.StatusConflict)
	rec := f.send(adminA, http.MethodPut, path, `{"version":0,"conditions":{"lerende_omgeving":"Intervisie in vaste groepen"},"learning_offers":["meelopen"],
		"interventions":[{"code":"A.1","title":"Triagetraining","element":"A","mandatory":true},{"code":"B.2","title":"Wijkteam","element":"B"}]}`)
	wantStatus(t, rec, http.StatusCreated)
	body := decodeBody(t, rec)
	ivs := body["interventions"].([]any)
	if body["version"].(float64) != 1 || len(ivs) != 2 || ivs[0].(map[string]any)["mandatory"] != true || body["learning_offers"].([]any)[0] != "meelopen" {
		t.Fatalf("created: %v", body)
	}
	a1 := itoa(int64(ivs[0].(map[string]any)["id"].(float64)))
	// Bad rows: 422 per row, nothing saved.
	rec = f.send(adminA, http.MethodPut, path, `{"version":1,"interventions":[{"id":`+a1+`,"code":"A.1","title":"Triage","element":"A"},{"code":"B.1","title":"","element":"A"}]}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if _, _, fields := errorOf(t, rec); fields["interventions.1.title"] == nil || fields["interventions.1.code"] == nil {
		t.Fatalf("bad rows: %s", rec.Body.String())
	}
	rec = f.send(adminA, http.MethodPut, path, `{"version":1,"interventions":[{"id":99999,"code":"A.1","title":"Triage","element":"A"}]}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if got := decodeBody(t, f.get(consultantA, path)); got["version"].(float64) != 1 || len(got["interventions"].([]any)) != 2 {
		t.Fatalf("half-saved: %v", got)
	}
	// Keep A.1 (no longer mandatory), drop B.2, add D.1.
	rec = f.send(adminA, http.MethodPut, path, `{"version":1,"interventions":[{"id":`+a1+`,"code":"A.1","title":"Triagetraining","element":"A","mandatory":false},{"code":"D.1","title":"Positieve gezondheid","element":"D","mandatory":true}]}`)
	wantStatus(t, rec, http.StatusOK)
	body = decodeBody(t, rec)
	ivs = body["interventions"].([]any)
	if body["version"].(float64) != 2 || len(ivs) != 2 || ivs[0].(map[string]any)["mandatory"] != false || ivs[1].(map[string]any)["code"] != "D.1" {
		t.Fatalf("updated: %v", body)
	}
	// Someone who read version 1 is refused with the plan as it is now.
	rec = f.send(adminA, http.MethodPut, path, `{"version":1,"interventions":[]}`)
	wantStatus(t, rec, http.StatusConflict)
	if cur := decodeBody(t, rec)["current"].(map[string]any); cur["version"].(float64) != 2 {
		t.Fatalf("409 current: %v", cur)
	}
	// The minimums per element are the region's setting.
	wantStatus(t, f.send(adminA, http.MethodPut, "/api/v1/regions/{region}", `{"version":1,"settings":{"min_per_element":{"A":1,"D":1}}}`), http.StatusOK)
	if m := decodeBody(t, f.get(practiceP1, path))["min_per_element"].(map[string]any); m["A"].(float64) != 1 || m["D"].(float64) != 1 {
		t.Fatalf("minimums: %v", m)
	}
	wantStatus(t, f.send(practiceP1, http.MethodPut, path, `{"version":2,"interventions":[]}`), http.StatusForbidden)
	wantStatus(t, f.get(adminB, path), http.StatusNotFound)
}
