package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestVisitsOverAPI: P1's consultant plans and records a visit along P1's
// plan; errors name the field; a stale version is 409 with the current
// visit; the practice lists only recorded reports.
func TestVisitsOverAPI(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	today := mtvp.DateOf(clock.Now())
	year := today.Year()
	rp := mtvp.Regioplan{RegionID: f.regionA.ID, Year: year, Interventions: []mtvp.Intervention{{Code: "A.1", Element: mtvp.ElementA, Title: "Triagetraining", Mandatory: true}}}
	if err := f.db.SaveRegioplan(ctx, mtvp.SystemActor, &rp); err != nil {
		t.Fatal(err)
	}
	c := mtvp.PlanContent{}
	pl, err := f.db.SavePlan(ctx, mtvp.SystemActor, f.p1.ID, year, 0, &c)
	if err != nil {
		t.Fatal(err)
	}
	a1 := strconv.FormatInt(pl.Current().Content.Items[0].InterventionID, 10)

	rec := f.send(consultantA, http.MethodPost, "/api/v1/practices/{practice}/visits", `{"planned_on":"morgen"}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if _, _, fields := errorOf(t, rec); fields["planned_on"] == nil {
		t.Fatalf("no planned_on error: %s", rec.Body.String())
	}
	rec = f.send(consultantA, http.MethodPost, "/api/v1/practices/{practice}/visits", `{"planned_on":"`+today.String()+`"}`)
	wantStatus(t, rec, http.StatusCreated)
	loc := rec.Header().Get("Location")
	v := decodeBody(t, rec)
	if v["status"] != "gepland" || v["consultant_name"] != string(consultantA) || v["year"] != float64(year) {
		t.Fatalf("created: %v", v)
	}
	// The practice does not see the planned visit.
	wantStatus(t, f.get(practiceP1, loc), http.StatusNotFound)
	rec = f.get(practiceP1, "/api/v1/practices/{practice}/visits")
	wantStatus(t, rec, http.StatusOK)
	if strings.Contains(rec.Body.String(), `"id"`) {
		t.Fatalf("practice lists a planned visit: %s", rec.Body.String())
	}

	rec = f.send(consultantA, http.MethodPut, loc+"/outcome", `{"version":1,"visited_on":"`+today.String()+`","judgement":"Goed op weg",
		"findings":[{"intervention_id":999999,"deployment":"x"}]}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	_, _, fields := errorOf(t, rec)
	if key, _ := fieldKey(fields, "findings.0.intervention_id"); key != "visit.err.intervention_not_in_plan" {
		t.Fatalf("intervention error: %s", rec.Body.String())
	}
	rec = f.send(consultantA, http.MethodPut, loc+"/outcome", `{"version":1,"visited_on":"`+today.String()+`","judgement":"Goed op weg",
		"findings":[{"intervention_id":`+a1+`,"obstacles":"Te weinig tijd"}],"actions":[{"description":"Scholing plannen","owner":"Praktijkmanager","due":"`+today.String()+`"}]}`)
	wantStatus(t, rec, http.StatusOK)
	v = decodeBody(t, rec)
	fs, _ := v["findings"].([]any)
	if v["status"] != "afgerond" || len(fs) != 1 || fs[0].(map[string]any)["code"] != "A.1" || v["version"] != float64(2) {
		t.Fatalf("recorded: %v", v)
	}
	// A stale save: 409 with the current visit.
	rec = f.send(adminA, http.MethodPut, loc+"/outcome", `{"version":1,"judgement":"Anders"}`)
	wantStatus(t, rec, http.StatusConflict)
	if cur, _ := decodeBody(t, rec)["current"].(map[string]any); cur["judgement"] != "Goed op weg" {
		t.Fatalf("conflict: %s", rec.Body.String())
	}
	// Now the practice reads it.
	rec = f.get(practiceP1, loc)
	wantStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), "Te weinig tijd") {
		t.Fatalf("practice's report: %s", rec.Body.String())
	}
	rec = f.get(adminA, "/api/v1/regions/{region}/visits?year="+strconv.Itoa(year)+"&status=afgerond")
	wantStatus(t, rec, http.StatusOK)
	if items, _ := decodeBody(t, rec)["items"].([]any); len(items) != 1 {
		t.Fatalf("region list: %s", rec.Body.String())
	}
	wantStatus(t, f.get(adminA, "/api/v1/regions/{region}/visits?jaar=2026"), http.StatusBadRequest)
}

// TestVisitConsultantOnlyByRegion: a consultant cannot hand a visit to a
// colleague; a region admin can.
func TestVisitConsultantOnlyByRegion(t *testing.T) {
	f := newFixture(t)
	visitWorld(f)
	other := strconv.FormatInt(f.users[consultantA2].ID, 10)
	rec := f.send(consultantA, http.MethodPut, "/api/v1/visits/1", `{"version":1,"consultant_id":`+other+`}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if _, _, fields := errorOf(t, rec); fields["consultant_id"] == nil {
		t.Fatalf("no consultant_id error: %s", rec.Body.String())
	}
	rec = f.send(adminA, http.MethodPut, "/api/v1/visits/1", `{"version":1,"consultant_id":`+other+`}`)
	wantStatus(t, rec, http.StatusOK)
	if v := decodeBody(t, rec); v["consultant_name"] != string(consultantA2) {
		t.Fatalf("reassigned: %v", v)
	}
}
