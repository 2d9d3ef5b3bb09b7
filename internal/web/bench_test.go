package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"meertijd/internal/mtvp"
)

// BenchmarkPracticeList200 renders the practice overview of a region with
// 200 practices and about 8 staff each, as its programme manager sees it.
// Target: median under 20 ms on the 2-core CI machine.
func BenchmarkPracticeList200(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	roles := []mtvp.StaffRole{mtvp.RolePraktijkhouder, mtvp.RolePraktijkhouder, mtvp.RoleVasteWaarnemer, mtvp.RoleDoktersassistent,
		mtvp.RoleDoktersassistent, mtvp.RoleDoktersassistent, mtvp.RolePOHSomatiek, mtvp.RolePOHGGZ}
	for i := 0; i < 198; i++ { // plus P1 and P2
		p := mtvp.Practice{RegionID: f.regionA.ID, AGB: fmt.Sprintf("0110%04d", i), Name: fmt.Sprintf("Huisartsenpraktijk %03d", i),
			City: "Maastricht", RegisteredPatients: 2000 + 37*i, Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-01-01"),
			ConsultantID: f.users[consultantA].ID}
		if err := f.db.CreatePractice(ctx, mtvp.SystemActor, &p); err != nil {
			b.Fatal(err)
		}
		for j, r := range roles {
			person := mtvp.Person{Name: fmt.Sprintf("Medewerker %d-%d", i, j)}
			m := mtvp.Membership{Role: r, FTE: 0.8, From: mtvp.MustDate("2023-01-01")}
			if err := f.db.AddStaff(ctx, mtvp.SystemActor, p.ID, &person, &m); err != nil {
				b.Fatal(err)
			}
		}
	}
	cookie := f.cookie(adminA)
	req := httptest.NewRequest(http.MethodGet, "/regio/regio-a/praktijken", nil)
	req.AddCookie(cookie)
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
