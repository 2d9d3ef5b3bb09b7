package web

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// TestNumbersFollowLanguage: FTEs, patient counts and accreditation points
// use the reader's separators: 0,80 / 2,5 / 2.500 in Dutch, 0.80 / 2.5 /
// 2,500 in English.
func TestNumbersFollowLanguage(t *testing.T) {
	f := newFixture(t)
	tr := mtvp.Training{RegionID: f.regionA.ID, Title: "Triage", Target: mtvp.TargetBoth,
		Themes: []string{mtvp.ThemeGoodConversation}, Register: mtvp.RegisterGAIA, Points: 2.5, Active: true}
	if err := f.db.CreateTraining(context.Background(), mtvp.SystemActor, &tr); err != nil {
		t.Fatal(err)
	}
	get := func(english bool, path string) string { return pageIn(t, f, adminA, english, path) }
	for _, c := range []struct {
		english     bool
		path        string
		want, never string
	}{
		{false, "/regio/{region}/praktijken/{practice}", ">0,80<", ">0.80<"},
		{true, "/regio/{region}/praktijken/{practice}", ">0.80<", ">0,80<"},
		{false, "/regio/{region}/praktijken", ">2.500<", ">2,500<"},
		{true, "/regio/{region}/praktijken", ">2,500<", ">2.500<"},
		{false, "/regio/{region}/scholing", "2,5", "2.5 "},
		{true, "/regio/{region}/scholing", "2.5", "2,5"},
	} {
		body := get(c.english, c.path)
		if !strings.Contains(body, c.want) || strings.Contains(body, c.never) {
			t.Errorf("english=%v %s: want %q and never %q", c.english, c.path, c.want, c.never)
		}
	}
}

// pageIn GETs path as w, in English or Dutch, and returns the body (the
// status must be 200).
func pageIn(t *testing.T, f *fixture, w who, english bool, path string) string {
	t.Helper()
	req := httptest.NewRequest("GET", f.expand(path), nil)
	if english {
		req.AddCookie(englishCookie(t, f, w))
	} else {
		req.AddCookie(f.cookie(w))
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("%s: %d", path, rec.Code)
	}
	return rec.Body.String()
}
