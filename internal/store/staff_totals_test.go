package store_test

import (
	"reflect"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// StaffTotals counts the memberships active on the day at the region's
// active practices only, per role, with each person counted once.
func TestStaffTotals(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "primacura")
	a := addPractice(t, db, r.ID, agb(1), "Praktijk A")
	b := addPractice(t, db, r.ID, agb(2), "Praktijk B")
	waiting := mtvp.Practice{RegionID: r.ID, AGB: agb(3), Name: "Praktijk Wacht", Status: mtvp.PracticeInterested}
	must(t, db.CreatePractice(ctx, admin, &waiting))
	x := addPractice(t, db, other.ID, agb(4), "Praktijk X")
	const at = "2025-06-30"

	empty, err := db.StaffTotals(ctx, r.ID, mtvp.MustDate(at))
	must(t, err)
	if len(empty.Roles) != 0 || empty.Total != (store.RoleTotal{}) {
		t.Fatalf("no staff: %+v", empty)
	}

	anna, _ := addStaff(t, db, a.ID, "Anna de Vries", "12345678901", mtvp.RolePraktijkhouder, 1.0, "2020-01-01")
	addStaff(t, db, b.ID, "Anna de Vries", "12345678901", mtvp.RolePraktijkhouder, 0.1, "2024-01-01") // linked by BIG
	lotte, _ := addStaff(t, db, a.ID, "Lotte Locum", "98765432109", mtvp.RoleVasteWaarnemer, 0.3, "2023-01-01")
	addStaff(t, db, b.ID, "Lotte Locum", "98765432109", mtvp.RoleWaarnemer, 0.2, at) // starts on the day: counts
	_, bertM := addStaff(t, db, a.ID, "Bert Jansen", "", mtvp.RoleDoktersassistent, 0.6, "2021-01-01")
	must(t, db.EndMembership(ctx, admin, bertM.ID, mtvp.MustDate(at), bertM.Version)) // ends on the day: counts
	_, carlaM := addStaff(t, db, a.ID, "Carla Oud", "", mtvp.RoleDoktersassistent, 0.4, "2015-01-01")
	must(t, db.EndMembership(ctx, admin, carlaM.ID, mtvp.MustDate("2025-06-29"), carlaM.Version)) // ended before
	addStaff(t, db, a.ID, "Dirk Later", "", mtvp.RolePOHGGZ, 0.5, "2025-07-01")                   // starts after
	addStaff(t, db, waiting.ID, "Wim Wacht", "", mtvp.RolePraktijkhouder, 1.0, "2020-01-01")      // practice not active
	addStaff(t, db, x.ID, "Xander Elders", "", mtvp.RolePraktijkhouder, 1.0, "2020-01-01")        // other region
	if anna.ID == 0 || lotte.ID == 0 {
		t.Fatal("staff not added")
	}

	got, err := db.StaffTotals(ctx, r.ID, mtvp.MustDate(at))
	must(t, err)
	want := store.StaffTotals{
		Roles: []store.RoleTotal{
			{Role: mtvp.RolePraktijkhouder, Memberships: 2, FTE: 1.1, People: 1},
			{Role: mtvp.RoleVasteWaarnemer, Memberships: 1, FTE: 0.3, People: 1},
			{Role: mtvp.RoleWaarnemer, Memberships: 1, FTE: 0.2, People: 1},
			{Role: mtvp.RoleDoktersassistent, Memberships: 1, FTE: 0.6, People: 1},
		},
		Total: store.RoleTotal{Memberships: 5, FTE: 2.2, People: 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("totals\n got %+v\nwant %+v", got, want)
	}

	// A day later Bert has left and Dirk has not started yet.
	got, err = db.StaffTotals(ctx, r.ID, mtvp.MustDate("2025-07-01"))
	must(t, err)
	if got.Total != (store.RoleTotal{Memberships: 5, FTE: 2.1, People: 3}) || got.Roles[len(got.Roles)-1].Role != mtvp.RolePOHGGZ {
		t.Fatalf("next day: %+v", got)
	}
}
