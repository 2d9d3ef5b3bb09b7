package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// complianceOf returns the requirement code's object of a practice answer.
func complianceReq(t *testing.T, practice map[string]any, code string) map[string]any {
	t.Helper()
	for _, r := range practice["requirements"].([]any) {
		if m := r.(map[string]any); m["code"] == code {
			return m
		}
	}
	t.Fatalf("no requirement %s in %v", code, practice)
	return nil
}

func TestComplianceAPI(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f) // a pending claim of Anna (GP, positive health); past session 2 of a training for both menus
	ctx := context.Background()
	year := clock.Now().Year()
	done := mtvp.DateOf(clock.Now()).AddDays(-19)
	// Lotte, a locum at P1 and P2, completes the training: it counts at both.
	if err := f.db.RecordCompletions(ctx, mtvp.SystemActor, 2, []mtvp.Completion{{PersonID: f.lotte.ID, CompletedOn: done}}); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/practices/{practice}/compliance?year=" + itoa(int64(year)) + "&date=" + done.String()

	body := decodeBody(t, f.get(practiceP1, path))
	if body["practice_id"].(float64) != float64(f.p1.ID) || body["year"].(float64) != float64(year) || body["date"] != done.String() || body["compliant"] != false {
		t.Fatalf("practice: %v", body)
	}
	gp := complianceReq(t, body, "scholing_huisartsen")
	if gp["status"] != "voldaan" || gp["required"].(float64) != 1 || gp["actual"].(float64) != 1 || gp["pending"].(float64) != 1 ||
		gp["explanation"] != "Voldaan: 1 van 2 huisartsen geschoold in het goede gesprek, 1 nodig" {
		t.Fatalf("GP training: %v", gp)
	}
	people := gp["people"].([]any)
	if len(people) != 2 || people[0].(map[string]any)["name"] != "Anna de Vries" || people[0].(map[string]any)["pending"] != true ||
		people[1].(map[string]any)["name"] != "Lotte Smeets" || people[1].(map[string]any)["met"] != true {
		t.Fatalf("people: %v", people)
	}
	as := complianceReq(t, body, "scholing_assistenten")
	if as["status"] != "nvt" || as["required"].(float64) != 0 || as["explanation"] != "Niet van toepassing: geen assistenten in de praktijk op de peildatum" {
		t.Fatalf("assistants: %v", as)
	}
	iv := complianceReq(t, body, "intervisie")
	if iv["status"] != "niet_voldaan" || iv["explanation"] != "Nog 1 huisarts naar intervisie: 0 van 2 namen deel, 1 nodig" ||
		len(iv["next"].([]any)) != 1 || iv["next"].([]any)[0] != "Meld nog 1 huisarts aan voor een intervisiegroep" {
		t.Fatalf("intervision: %v", iv)
	}
	if v := complianceReq(t, body, "jaarbezoek"); v["status"] != "niet_geregistreerd" {
		t.Fatalf("visit: %v", v)
	}
	if pl := complianceReq(t, body, "plan_definitief"); pl["status"] != "niet_voldaan" || pl["explanation"] != "Er is nog geen plan van aanpak "+itoa(int64(year)) {
		t.Fatalf("plan: %v", pl)
	}
	// English on request.
	rec := f.do(consultantA, request{method: http.MethodGet, path: path, header: map[string]string{"Accept-Language": "en"}})
	wantStatus(t, rec, http.StatusOK)
	if e := complianceReq(t, decodeBody(t, rec), "intervisie")["explanation"]; e != "1 more GP to intervision: 0 of 2 took part, 1 needed" {
		t.Fatalf("English: %v", e)
	}
	// The locum counts at P2 too.
	p2 := decodeBody(t, f.get(practiceP2, strings.Replace(path, "{practice}", itoa(f.p2.ID), 1)))
	if gp := complianceReq(t, p2, "scholing_huisartsen"); gp["status"] != "voldaan" || gp["actual"].(float64) != 1 || gp["required"].(float64) != 1 {
		t.Fatalf("P2 GP training: %v", gp)
	}
	// Before Lotte's completion it does not count.
	before := decodeBody(t, f.get(adminA, "/api/v1/practices/{practice}/compliance?date="+done.AddDays(-1).String()))
	if gp := complianceReq(t, before, "scholing_huisartsen"); gp["actual"].(float64) != 0 || gp["status"] != "niet_voldaan" {
		t.Fatalf("before the completion: %v", gp)
	}

	// The region: admins see both practices of A; consultants their own.
	region := decodeBody(t, f.get(adminA, "/api/v1/regions/{region}/compliance?year="+itoa(int64(year))+"&date="+done.String()))
	ps := region["practices"].([]any)
	totals := region["totals"].(map[string]any)
	if region["region"] != f.regionA.Code || len(ps) != 2 || ps[0].(map[string]any)["practice_name"] != "Praktijk Een" ||
		totals["practices"].(float64) != 2 || totals["compliant"].(float64) != 0 {
		t.Fatalf("region: %v", region)
	}
	var gpTotals map[string]any
	for _, x := range totals["requirements"].([]any) {
		if m := x.(map[string]any); m["code"] == "scholing_huisartsen" {
			gpTotals = m
		}
	}
	if gpTotals["met"].(float64) != 2 || gpTotals["not_met"].(float64) != 0 {
		t.Fatalf("GP totals: %v", gpTotals)
	}
	if ps[0].(map[string]any)["requirements"].([]any)[0].(map[string]any)["people"] == nil {
		t.Fatal("region admin gets names")
	}
	mine := decodeBody(t, f.get(consultantA, "/api/v1/regions/{region}/compliance"))["practices"].([]any)
	if len(mine) != 1 || mine[0].(map[string]any)["practice_id"].(float64) != float64(f.p1.ID) {
		t.Fatalf("consultant A: %v", mine)
	}
	if other := decodeBody(t, f.get(consultantA2, "/api/v1/regions/{region}/compliance"))["practices"].([]any); len(other) != 0 {
		t.Fatalf("consultant of other practices: %v", other)
	}

	// Funders: 404 on both, whatever practice.
	for _, p := range []string{path, "/api/v1/practices/" + itoa(f.p2.ID) + "/compliance", "/api/v1/regions/{region}/compliance"} {
		wantStatus(t, f.get(funderA, p), http.StatusNotFound)
	}

	// Bad parameters: 400 naming the parameter.
	for q, param := range map[string]string{
		"year=26":                   "year",
		"year=abcd":                 "year",
		"year=1999":                 "year",
		"date=2026-13-01":           "date",
		"date=30-06-2026":           "date",
		"year=2025&date=2026-06-30": "date",
		"date=":                     "date",
		"peildatum=2026-06-30":      "peildatum",
		"year=2026&date=2026-02-30": "date",
	} {
		for _, p := range []string{"/api/v1/practices/{practice}/compliance?", "/api/v1/regions/{region}/compliance?"} {
			rec := f.get(adminA, p+q)
			wantStatus(t, rec, http.StatusBadRequest)
			if _, msg, _ := errorOf(t, rec); !strings.Contains(msg, `"`+param+`"`) {
				t.Errorf("%s%s: message %q does not name %s", p, q, msg, param)
			}
		}
	}
	// A past year defaults to its last day.
	if b := decodeBody(t, f.get(adminA, "/api/v1/practices/{practice}/compliance?year=2025")); b["date"] != "2025-12-31" {
		t.Fatalf("default date of a past year: %v", b["date"])
	}
}

// The compliance schemas list exactly the fields the API writes.
func TestComplianceSchemasMatchJSON(t *testing.T) {
	people := []compliancePersonJSON{}
	id := int64(4)
	checkSchemasMatchJSON(t, map[string]any{
		"PracticeCompliance":          practiceComplianceJSON{ConsultantID: &id},
		"ComplianceRequirement":       complianceRequirementJSON{People: &people},
		"CompliancePerson":            compliancePersonJSON{},
		"RegionCompliance":            regionComplianceJSON{},
		"ComplianceTotals":            complianceTotalsJSON{},
		"ComplianceRequirementTotals": requirementTotalsJSON{},
	})
}
