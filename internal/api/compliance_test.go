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
	done := mtvp.DateOf(clock.Now()).AddDays(-19)
	year := done.Year() // the programme year of the completion (early January: last year)
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
	if ps[0].(map[string]any)["requirements"].([]any)[0].(map[string]any)["people"] != nil {
		t.Fatal("names without include=people")
	}
	withNames := decodeBody(t, f.get(adminA, "/api/v1/regions/{region}/compliance?include=people&year="+itoa(int64(year))+"&date="+done.String()))
	if withNames["practices"].([]any)[0].(map[string]any)["requirements"].([]any)[0].(map[string]any)["people"] == nil {
		t.Fatal("region admin gets names with include=people")
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
		"include=names":             "include",
		"include=people&include=x":  "include",
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
		"RegionCompliance":            regionComplianceJSON{Next: "/api/v1/regions/zio/compliance?limit=50&offset=50"},
		"ComplianceTotals":            complianceTotalsJSON{},
		"ComplianceRequirementTotals": requirementTotalsJSON{},
	})
}

// The region's standing pages through its practices with the totals of
// all of them, and answers 304 to a client that has the current answer:
// until a write to the region changes the ETag.
func TestRegionComplianceWire(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	path := "/api/v1/regions/{region}/compliance"
	first := f.get(adminA, path+"?limit=1")
	wantStatus(t, first, http.StatusOK)
	body := decodeBody(t, first)
	next, _ := body["next"].(string)
	if len(body["practices"].([]any)) != 1 || body["total"].(float64) != 2 || body["totals"].(map[string]any)["practices"].(float64) != 2 ||
		!strings.Contains(next, "offset=1") || !strings.Contains(next, "limit=1") || !strings.Contains(first.Header().Get("Link"), `rel="next"`) {
		t.Fatalf("first page: %v (Link %q)", body, first.Header().Get("Link"))
	}
	if again := f.get(adminA, path+"?limit=1"); again.Body.String() != first.Body.String() || again.Header().Get("Link") != first.Header().Get("Link") {
		t.Fatalf("the same page again (from the body cache): %q, Link %q", again.Body.String(), again.Header().Get("Link"))
	}
	gz := f.do(adminA, request{method: http.MethodGet, path: path + "?limit=1", header: map[string]string{"Accept-Encoding": "gzip"}})
	if first.Body.Len() >= 1024 && gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("no gzip for %d bytes", first.Body.Len())
	}
	second := decodeBody(t, f.get(adminA, next))
	if ps := second["practices"].([]any); len(ps) != 1 || second["next"] != nil || second["total"].(float64) != 2 ||
		ps[0].(map[string]any)["practice_id"] == body["practices"].([]any)[0].(map[string]any)["practice_id"] {
		t.Fatalf("second page: %v", second)
	}
	if all := decodeBody(t, f.get(adminA, path)); len(all["practices"].([]any)) != 2 || all["next"] != nil {
		t.Fatalf("default page: %v", all)
	}

	etag := first.Header().Get("ETag")
	if !strings.HasPrefix(etag, `W/"c`) {
		t.Fatalf("ETag %q", etag)
	}
	again := f.do(adminA, request{method: http.MethodGet, path: path + "?limit=1", header: map[string]string{"If-None-Match": etag}})
	wantStatus(t, again, http.StatusNotModified)
	if again.Body.Len() != 0 {
		t.Fatalf("304 with a body: %q", again.Body.String())
	}
	// Another window, language or caller is another answer.
	for _, r := range []struct {
		w      who
		path   string
		header map[string]string
	}{
		{adminA, path + "?limit=2", nil},
		{adminA, path + "?limit=1", map[string]string{"Accept-Language": "en"}},
		{consultantA, path + "?limit=1", nil},
	} {
		h := map[string]string{"If-None-Match": etag}
		for k, v := range r.header {
			h[k] = v
		}
		wantStatus(t, f.do(r.w, request{method: http.MethodGet, path: r.path, header: h}), http.StatusOK)
	}
	// A write to the region: the old ETag no longer matches.
	if err := f.db.RecordCompletions(context.Background(), mtvp.SystemActor, 2, []mtvp.Completion{{PersonID: f.lotte.ID, CompletedOn: mtvp.DateOf(clock.Now())}}); err != nil {
		t.Fatal(err)
	}
	after := f.do(adminA, request{method: http.MethodGet, path: path + "?limit=1", header: map[string]string{"If-None-Match": etag}})
	wantStatus(t, after, http.StatusOK)
	if after.Header().Get("ETag") == etag {
		t.Fatal("ETag unchanged after a write")
	}

	// Every other GET answer has an ETag from its body and answers 304 too.
	list := f.get(adminA, "/api/v1/regions/{region}/practices")
	wantStatus(t, list, http.StatusOK)
	le := list.Header().Get("ETag")
	if le == "" {
		t.Fatal("list without ETag")
	}
	wantStatus(t, f.do(adminA, request{method: http.MethodGet, path: "/api/v1/regions/{region}/practices", header: map[string]string{"If-None-Match": le}}), http.StatusNotModified)
}

// TestCompliancePendingSignUpAndVisitSetting: a place in a session of the
// year makes a person pending in the API as on the page (one domain
// function); the region's visits_recorded_from, set through the API, turns
// a missing visit from "niet_geregistreerd" into "niet_voldaan".
func TestCompliancePendingSignUpAndVisitSetting(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	ctx := context.Background()
	today := mtvp.DateOf(clock.Now())
	ses := mtvp.TrainingSession{TrainingID: 1, Dates: []mtvp.Date{today}, Place: "Gulpen", Capacity: 5}
	if err := f.db.CreateSession(ctx, mtvp.SystemActor, &ses); err != nil {
		t.Fatal(err)
	}
	e := mtvp.Enrolment{SessionID: ses.ID, PersonID: f.lotte.ID, PracticeID: f.p1.ID}
	if err := f.db.Enrol(ctx, mtvp.SystemActor, &e); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/practices/{practice}/compliance"
	gp := complianceReq(t, decodeBody(t, f.get(adminA, path)), "scholing_huisartsen")
	var lotte map[string]any
	for _, p := range gp["people"].([]any) {
		if m := p.(map[string]any); m["name"] == "Lotte Smeets" {
			lotte = m
		}
	}
	if lotte == nil || lotte["pending"] != true || lotte["met"] == true {
		t.Fatalf("Lotte with a place this year: %v", gp)
	}
	if v := complianceReq(t, decodeBody(t, f.get(adminA, path)), "jaarbezoek"); v["status"] != "niet_geregistreerd" {
		t.Fatalf("visit before the setting: %v", v)
	}
	rec := f.send(adminA, "PUT", "/api/v1/regions/{region}", `{"version":1,"settings":{"visits_recorded_from":"`+mtvp.NewDate(today.Year(), 1, 1).String()+`"}}`)
	wantStatus(t, rec, http.StatusOK)
	if s := decodeBody(t, rec)["settings"].(map[string]any); s["visits_recorded_from"] != mtvp.NewDate(today.Year(), 1, 1).String() {
		t.Fatalf("settings: %v", s)
	}
	if v := complianceReq(t, decodeBody(t, f.get(adminA, path)), "jaarbezoek"); v["status"] != "niet_voldaan" {
		t.Fatalf("visit after the setting: %v", v)
	}
	rec = f.send(adminA, "PUT", "/api/v1/regions/{region}", `{"version":2,"settings":{"visits_recorded_from":"1.1.2026"}}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if _, _, fields := errorOf(t, rec); fields["settings.visits_recorded_from"] == nil {
		t.Fatalf("bad date: %s", rec.Body.String())
	}
}
