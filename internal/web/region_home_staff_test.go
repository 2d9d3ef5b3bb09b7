package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// The region page's staff figures: memberships current today at the
// region's active practices, a person at two practices counted once.
func TestRegionHomeStaffFigures(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sys := mtvp.SystemActor
	today := mtvp.DateOf(clock.Now())
	add := func(practice int64, p mtvp.Person, role mtvp.StaffRole, fte float64, from mtvp.Date) {
		t.Helper()
		m := mtvp.Membership{Role: role, FTE: fte, From: from}
		if err := f.db.AddStaff(ctx, sys, practice, &p, &m); err != nil {
			t.Fatal(err)
		}
	}
	lotte := mtvp.Person{Name: "Lotte Locum", BIG: "98765432109"}
	add(f.p1.ID, lotte, mtvp.RolePOHGGZ, 0.5, mtvp.MustDate("2023-01-01"))
	add(f.p2.ID, lotte, mtvp.RolePOHGGZ, 0.3, mtvp.MustDate("2024-01-01"))                          // the same person (BIG)
	add(f.p2.ID, mtvp.Person{Name: "Dirk Later"}, mtvp.RoleDoktersassistent, 0.6, today.AddDays(1)) // not started
	add(f.p3.ID, mtvp.Person{Name: "Bram Elders"}, mtvp.RoleDoktersassistent, 0.9, mtvp.MustDate("2023-01-01"))

	body := practicesTestWant(t, practicesTestLogin(f, adminA).get("/regio/{region}"), http.StatusOK,
		"2 verschillende personen", "Praktijkhouder", "POH-GGZ", "0,80", "1,60")
	if strings.Contains(body, "Doktersassistent") {
		t.Error("a membership that has not started, or one of another region, is counted")
	}
}
