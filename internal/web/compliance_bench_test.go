package web

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meertijd/internal/demo"
	"meertijd/internal/demo/nationalbench"
	"meertijd/internal/mtvp"
)

// BenchmarkComplianceDashboard200 renders the compliance dashboard of a
// 200-practice region of the national data set (demo.LoadNational, cached
// by nationalbench) as its programme manager sees it. Target (issue 6):
// under 50 ms on the 2-core machine.
//
//	go test -run '^$' -bench ComplianceDashboard200 -benchtime 20x ./internal/web/
func BenchmarkComplianceDashboard200(b *testing.B) {
	db := nationalbench.DB(b)
	ctx := context.Background()
	key := make([]byte, 32)
	rand.Read(key)
	srv, err := New(db, Config{SecretKey: key})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	code := demo.NationalRegionCode(0)
	u, err := db.UserByEmail(ctx, "manager."+code+"@"+mtvp.DemoEmailDomain)
	if err != nil {
		b.Fatal(err)
	}
	sctx, err := srv.sessions.Load(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	srv.sessions.Put(sctx, sessUserID, u.ID)
	srv.sessions.Put(sctx, sessMFADone, true)
	token, _, err := srv.sessions.Commit(sctx)
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/regio/"+code+"/normen", nil)
	req.AddCookie(&http.Cookie{Name: srv.sessions.Cookie.Name, Value: token})
	cpu := nationalbench.StartCPU()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "praktijken") {
			b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
		}
	}
	cpu.ReportPerOp(b)
}
