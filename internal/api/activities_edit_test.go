package api

import (
	"strings"
	"testing"
)

// TestActivityUpdateDelete: PUT edits (a partial body keeps the rest), 422
// names the field, a stale version is 409 with the current activity; DELETE
// needs the current version and removes the activity.
func TestActivityUpdateDelete(t *testing.T) {
	f := newFixture(t)
	activityWorld(f)
	rec := f.send(consultantA, "PUT", "/api/v1/activities/1", `{"title":"Netwerkavond nieuw","capacity":12,"version":1}`)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"capacity":12`) || !strings.Contains(rec.Body.String(), `"place":"Maastricht"`) || !strings.Contains(rec.Body.String(), `"version":2`) {
		t.Fatalf("update: %d %s", rec.Code, rec.Body)
	}
	rec = f.send(consultantA, "PUT", "/api/v1/activities/1", `{"title":"Anders","version":1}`)
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), `"title":"Netwerkavond nieuw"`) {
		t.Fatalf("stale: %d %s", rec.Code, rec.Body)
	}
	rec = f.send(consultantA, "PUT", "/api/v1/activities/1", `{"end_time":"18:00","version":2}`)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), `"end_time"`) {
		t.Fatalf("invalid: %d %s", rec.Code, rec.Body)
	}
	rec = f.send(consultantA, "PUT", "/api/v1/activities/1", `{"kind":"meelopen","version":2}`)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), `"kind"`) {
		t.Fatalf("kind change: %d %s", rec.Code, rec.Body)
	}
	if rec := f.send(consultantA, "DELETE", "/api/v1/activities/1", ""); rec.Code != 422 {
		t.Fatalf("delete without version: %d %s", rec.Code, rec.Body)
	}
	if rec := f.send(consultantA, "DELETE", "/api/v1/activities/1?version=1", ""); rec.Code != 409 {
		t.Fatalf("stale delete: %d %s", rec.Code, rec.Body)
	}
	if rec := f.send(consultantA, "DELETE", "/api/v1/activities/1?version=2", ""); rec.Code != 200 {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	if rec := f.send(consultantA, "GET", "/api/v1/activities/1/signups", ""); rec.Code != 404 {
		t.Fatalf("after delete: %d", rec.Code)
	}
}
