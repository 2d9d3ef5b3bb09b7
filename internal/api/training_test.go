package api

import (
	"net/http"
	"testing"
)

// Claims over the API: refused with the reason, decided once by the
// practice's consultant, counted in the practice's norm.
func TestTrainingClaimsAPI(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	const claims = "/api/v1/practices/{practice}/claims"
	rec := f.send(practiceP1, "POST", claims, `{"person_id":{anna},"title":"PG","completed_on":"2022-08-31","theme":"positieve gezondheid"}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	_, _, fields := errorOf(t, rec)
	if key, _ := fieldKey(fields, "completed_on"); key != "training.err.claim_before_cutoff" {
		t.Fatalf("before cut-off: %v", fields)
	}
	rec = f.send(practiceP1, "POST", claims, `{"person_id":{anna},"title":"Triage","completed_on":"2023-08-31","theme":"triage"}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if _, _, fields := errorOf(t, rec); fields["theme"] == nil {
		t.Fatalf("theme for a GP: %v", fields)
	}
	rec = f.send(practiceP1, "POST", claims, `{"person_id":{bert},"title":"SOH","completed_on":"2023-08-31","theme":"SOH"}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if _, _, fields := errorOf(t, rec); fields["person_id"] == nil {
		t.Fatalf("person of another practice: %v", fields)
	}
	// The pending claim shows in the norm.
	body := decodeBody(t, f.get(practiceP1, "/api/v1/practices/{practice}/training"))
	gp := body["norms"].([]any)[1].(map[string]any)
	if gp["norm"] != "scholing_huisartsen" || gp["pending"].(float64) != 1 || gp["actual"].(float64) != 0 || gp["denominator"].(float64) != 2 {
		t.Fatalf("GP norm: %v", gp)
	}
	wantStatus(t, f.send(consultantA, "PUT", "/api/v1/claims/1/decision", `{"version":1,"decision":"afgewezen"}`), http.StatusUnprocessableEntity)
	wantStatus(t, f.send(consultantA, "PUT", "/api/v1/claims/1/decision", `{"version":1,"decision":"goedgekeurd","reason":"klopt"}`), http.StatusOK)
	rec = f.send(consultantA, "PUT", "/api/v1/claims/1/decision", `{"version":1,"decision":"afgewezen","reason":"toch niet"}`)
	wantStatus(t, rec, http.StatusConflict)
	body = decodeBody(t, f.get(practiceP1, "/api/v1/practices/{practice}/training?peildatum=2026-06-30"))
	gp = body["norms"].([]any)[1].(map[string]any)
	if gp["actual"].(float64) != 1 || gp["required"].(float64) != 1 || gp["met"] != true {
		t.Fatalf("GP norm after approval: %v", gp)
	}
}

// A practice sees only its own sign-ups of a session; region admins all.
func TestTrainingEnrolmentsAPI(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f) // Anna of P1 placed in session 1 (capacity 5)
	count := func(w who) int {
		return len(decodeBody(t, f.get(w, "/api/v1/sessions/1/enrolments"))["items"].([]any))
	}
	if count(practiceP1) != 1 || count(practiceP2) != 0 || count(adminA) != 1 || count(consultantA2) != 0 {
		t.Fatalf("visibility: P1 %d, P2 %d, admin %d, other consultant %d", count(practiceP1), count(practiceP2), count(adminA), count(consultantA2))
	}
	wantStatus(t, f.send(practiceP2, "POST", "/api/v1/sessions/1/enrolments", `{"person_id":{bert},"practice_id":`+itoa(f.p2.ID)+`}`), http.StatusCreated)
	rec := f.send(practiceP2, "POST", "/api/v1/sessions/1/enrolments", `{"person_id":{bert},"practice_id":`+itoa(f.p2.ID)+`}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if count(practiceP2) != 1 || count(adminA) != 2 {
		t.Fatalf("after P2's sign-up: P2 %d, admin %d", count(practiceP2), count(adminA))
	}
}
