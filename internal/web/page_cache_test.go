package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// The norms dashboard comes from the whole-page cache while the region does
// not change: the same bytes, gzipped for a client that accepts it, and a
// new rendering after any write in the region; a page with a flash message
// is neither served from nor stored in the cache.
func TestDashboardPageCache(t *testing.T) {
	f := newFixture(t)
	get := func(gz bool) (string, *httptest.ResponseRecorder) {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, f.expand("/regio/{region}/normen"), nil)
		req.AddCookie(f.cookie(adminA))
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("dashboard: %d", rec.Code)
		}
		body := rec.Body.Bytes()
		if rec.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		} else if gz {
			t.Fatal("a client accepting gzip got the page uncompressed")
		}
		return string(body), rec
	}
	first, _ := get(false)
	if !strings.Contains(first, "0 van 2 praktijken voldoen aan alle normen") {
		t.Fatalf("dashboard: %.300s", first)
	}
	if n := f.srv.pageCache.Len(); n != 1 {
		t.Fatalf("%d pages cached, want 1", n)
	}
	again, _ := get(true)
	if again != first {
		t.Error("the cached page differs from the first rendering")
	}

	// A write in the region (a practice joins) shows at once.
	p := mtvp.Practice{RegionID: f.regionA.ID, AGB: "01000009", Name: "Praktijk Negen", City: "Gulpen", RegisteredPatients: 1800,
		Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-01-01")}
	if err := f.db.CreatePractice(context.Background(), mtvp.SystemActor, &p); err != nil {
		t.Fatal(err)
	}
	after, _ := get(true)
	if !strings.Contains(after, "Praktijk Negen") || !strings.Contains(after, "0 van 3 praktijken") {
		t.Error("the dashboard did not change after a practice joined")
	}

	// A flash message is shown once, and the page without it comes back.
	ctx, err := f.srv.sessions.Load(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := f.db.UserByID(context.Background(), f.users[adminA].ID)
	f.srv.sessions.Put(ctx, sessUserID, u.ID)
	f.srv.sessions.Put(ctx, sessEpoch, u.SessionEpoch)
	f.srv.sessions.Put(ctx, sessMFADone, true)
	f.srv.sessions.Put(ctx, sessFlash, "plan.flash.saved")
	token, _, err := f.srv.sessions.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cookie := &http.Cookie{Name: f.srv.sessions.Cookie.Name, Value: token}
	for i, want := range []bool{true, false} {
		req := httptest.NewRequest(http.MethodGet, f.expand("/regio/{region}/normen"), nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		flashText := "utrecht-alert--ok"
		if got := strings.Contains(rec.Body.String(), flashText); got != want {
			t.Errorf("request %d: flash shown %v, want %v", i+1, got, want)
		}
	}
}
