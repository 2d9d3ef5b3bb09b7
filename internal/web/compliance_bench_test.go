package web

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"testing"

	"meertijd/internal/demo"
	"meertijd/internal/demo/nationalbench"
	"meertijd/internal/mtvp"
)

// BenchmarkComplianceDashboard200 renders the norms dashboard of a
// 200-practice region of the national data set (nationalbench: 40
// regions, 5,000 practices, about 80,000 people) as its region admin sees
// it: the facts in a fixed number of queries, the standing of every
// practice, the table, the counts and the at-risk list. Target: under
// 50 ms.
//
//	go test -run '^$' -bench ComplianceDashboard200 -benchtime 20x ./internal/web/
//	MEERTIJD_TEST_POSTGRES=postgres://… go test -run '^$' -bench ComplianceDashboard200 -benchtime 20x ./internal/web/
func BenchmarkComplianceDashboard200(b *testing.B) {
	db := nationalbench.DB(b)
	ctx := context.Background()
	reg, err := db.RegionByCode(ctx, demo.NationalRegionCode(0))
	if err != nil {
		b.Fatal(err)
	}
	users, err := db.ListUsers(ctx, reg.ID)
	if err != nil {
		b.Fatal(err)
	}
	var admin *mtvp.User
	for i := range users {
		if users[i].HasRole(mtvp.AccountRegionAdmin) {
			admin = &users[i]
			break
		}
	}
	if admin == nil {
		b.Fatal("no region admin in the national data set")
	}
	key := make([]byte, 32)
	rand.Read(key)
	srv, err := New(db, Config{SecretKey: key})
	if err != nil {
		b.Fatal(err)
	}
	sctx, err := srv.sessions.Load(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	srv.sessions.Put(sctx, sessUserID, admin.ID)
	srv.sessions.Put(sctx, sessMFADone, true)
	token, _, err := srv.sessions.Commit(sctx)
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	req := httptest.NewRequest(http.MethodGet, "/regio/"+reg.Code+"/normen", nil)
	req.AddCookie(&http.Cookie{Name: srv.sessions.Cookie.Name, Value: token})
	cpu := nationalbench.StartCPU()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
		}
	}
	cpu.ReportPerOp(b)
}
