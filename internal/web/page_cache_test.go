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

// A consultant's warm dashboard request reads the region's change counter
// once, with the region, and serves the cached page with its menu counts:
// one statement (the session with its user and their grants, the region
// and its counter: store.WithRegionPrefetch). A write in the region shows in the counts at once.
// Not parallel: it counts the statements of its own database.
func TestConsultantDashboardQueries(t *testing.T) {
	f := newCountingFixture(t)
	plan := homeWorld(t, f)
	badges := func(body string) int {
		t.Helper()
		i := strings.Index(body, `class="site-nav"`)
		if i < 0 {
			t.Fatalf("no menu: %.300s", body)
		}
		nav := body[i:]
		return strings.Count(nav[:strings.Index(nav, "</nav>")], `class="nav-badge">1<`)
	}
	cookie := f.cookie(consultantA) // one browser session
	dashboard := func() (string, int64) {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, f.expand("/regio/{region}/normen"), nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		before := f.db.Queries()
		f.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("dashboard: %d", rec.Code)
		}
		return rec.Body.String(), f.db.Queries() - before
	}
	first, _ := dashboard()
	if n := badges(first); n != 3 {
		t.Fatalf("consultant menu shows %d badges of 1, want 3", n)
	}
	again, n := dashboard()
	if again != first {
		t.Error("the cached page differs from the first rendering")
	}
	if n != 1 {
		t.Errorf("a warm dashboard request sent %d statements, want 1 (the session with its user, grants, region and counter)", n)
	}
	// A comment on the shared plan takes it out of the consultant's work.
	c := mtvp.PlanComment{PlanID: plan.ID, Section: mtvp.PlanSectionAmbition, Body: "Mooi plan", AuthorRole: mtvp.AccountConsultant}
	if err := f.db.AddPlanComment(context.Background(), mtvp.Actor{UserID: f.users[consultantA].ID, Name: "Consulent"}, &c); err != nil {
		t.Fatal(err)
	}
	if after, _ := dashboard(); badges(after) != 2 {
		t.Errorf("after the comment the menu shows %d badges of 1, want 2", badges(after))
	}
}
