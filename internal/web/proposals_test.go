package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// TestProposalPagesScopeAndConflict: a practice lists only its own
// proposals; a stale advice or decision is 409 with the current state and
// changes nothing; a decline without a reason is 422 naming the field.
func TestProposalPagesScopeAndConflict(t *testing.T) {
	f := newFixture(t)
	proposalWorld(f)
	const base = "/regio/{region}/scholing/voorstellen"
	if body := f.do(practiceP2, "GET", base, nil).Body.String(); strings.Contains(body, "Omgaan met agressie") {
		t.Errorf("P2 sees P1's proposal")
	}
	if body := f.do(practiceP1, "GET", base, nil).Body.String(); !strings.Contains(body, "Omgaan met agressie") {
		t.Errorf("P1 does not see its proposal")
	}
	if body := f.do(funderA, "GET", base, nil).Body.String(); strings.Contains(body, "Omgaan met agressie") || !strings.Contains(body, "&lt; 5") {
		t.Errorf("funder page: %.500s", body)
	}
	rec := f.do(consultantA, "POST", base+"/1/advies", url.Values{"version": {"1"}, "advice": {"positief"}, "advice_text": {"Goed"}})
	if rec.Code != 303 {
		t.Fatalf("advice: %d", rec.Code)
	}
	rec = f.do(adminA, "POST", base+"/1/besluit", url.Values{"version": {"1"}, "decision": {"accepteren"}})
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "intussen gewijzigd") {
		t.Fatalf("stale decision: %d %.300s", rec.Code, rec.Body.String())
	}
	rec = f.do(adminA, "POST", base+"/1/besluit", url.Values{"version": {"2"}, "decision": {"afwijzen"}})
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), `id="f-reason-error"`) {
		t.Fatalf("decline without reason: %d", rec.Code)
	}
	p, err := f.db.ProposalByID(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != mtvp.ProposalAdvised || p.Version != 2 {
		t.Fatalf("changed by refused requests: %+v", p)
	}
	rec = f.do(consultantA, "POST", base+"/1/advies", url.Values{"version": {"2"}, "advice": {"negatief"}, "advice_text": {"Toch niet"}})
	if rec.Code != 409 {
		t.Fatalf("second advice: %d", rec.Code)
	}
}

// TestNewsEditConflict: saving an announcement with a stale version is 409
// and keeps the other edit.
func TestNewsEditConflict(t *testing.T) {
	f := newFixture(t)
	newsWorld(f)
	form := url.Values{"version": {"1"}, "title": {"Eerste wijziging"}, "body": {"Tekst"}, "publish_on": {"2026-12-01"}}
	if rec := f.do(adminA, "POST", "/regio/{region}/nieuws/1", form); rec.Code != 303 {
		t.Fatalf("first edit: %d %.300s", rec.Code, rec.Body.String())
	}
	form.Set("title", "Tweede wijziging")
	rec := f.do(adminA, "POST", "/regio/{region}/nieuws/1", form)
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "Eerste wijziging") {
		t.Fatalf("stale edit: %d", rec.Code)
	}
	form.Set("version", "2")
	form.Set("expires_on", "2026-11-01")
	rec = f.do(adminA, "POST", "/regio/{region}/nieuws/1", form)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "f-expires-on-error") {
		t.Fatalf("expiry before publishing: %d", rec.Code)
	}
}
