package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Two saves of the same profile version: the second gets 409, sees the
// newest text and keeps its own in the form; nothing is overwritten.
func TestProfileConflict(t *testing.T) {
	f := newFixture(t)
	const path = "/regio/{region}/praktijken/{practice}/profiel"
	rec := f.do(practiceP1, http.MethodPost, path, url.Values{"version": {"0"}, "focus": {"Triage"}, "ambitions": {"Minder werkdruk"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("first save: %d %s", rec.Code, rec.Body)
	}
	rec = f.do(consultantA, http.MethodPost, path, url.Values{"version": {"0"}, "focus": {"Veelgebruikers"}, "ambitions": {""}})
	if rec.Code != http.StatusConflict {
		t.Fatalf("stale save: %d", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "Triage") || !strings.Contains(body, "Veelgebruikers") {
		t.Fatalf("conflict page lacks theirs or mine: %.3000s", body)
	}
	rec = f.do(practiceP1, http.MethodGet, path, nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Triage") || strings.Contains(rec.Body.String(), "Veelgebruikers") {
		t.Fatalf("after conflict: %d", rec.Code)
	}
	rec = f.do(practiceP1, http.MethodPost, path, url.Values{"version": {"1"}, "focus": {strings.Repeat("x", 4001)}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "f-focus-error") {
		t.Fatalf("too long: %d", rec.Code)
	}
	rec = f.do(practiceP1, http.MethodGet, path+".pdf", nil)
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), "%PDF") {
		t.Fatalf("pdf: %d", rec.Code)
	}
}
