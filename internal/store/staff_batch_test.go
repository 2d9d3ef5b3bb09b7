package store_test

import (
	"reflect"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func batchRow(name, big string, role mtvp.StaffRole, fte float64, from string) store.StaffRow {
	return store.StaffRow{
		Person:     &mtvp.Person{Name: name, BIG: big},
		Membership: &mtvp.Membership{Role: role, FTE: fte, From: mtvp.MustDate(from)},
	}
}

// AddStaffBatch: a practice's staff in one transaction, new people created,
// a stored person (by ID or by BIG) linked, each row audited as AddStaff.
func TestAddStaffBatch(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "primacura")
	a := addPractice(t, db, r.ID, agb(1), "Praktijk A")
	b := addPractice(t, db, r.ID, agb(2), "Praktijk B")

	rows := []store.StaffRow{
		batchRow("  Anna   de Vries ", "123 456 789 01", mtvp.RolePraktijkhouder, 1, "2020-01-01"),
		batchRow("Bert Jansen", "", mtvp.RoleDoktersassistent, 0.555, "2021-03-01"),
		batchRow("Lotte Locum", "98765432109", mtvp.RoleVasteWaarnemer, 0.3, "2022-01-01"),
	}
	must(t, db.AddStaffBatch(ctx, admin, a.ID, rows))
	for i, row := range rows {
		p, m := row.Person, row.Membership
		if p.ID == 0 || p.RegionID != r.ID || p.Version != 1 || m.ID == 0 || m.PersonID != p.ID || m.PracticeID != a.ID || m.Version != 1 {
			t.Fatalf("row %d: %+v %+v", i, p, m)
		}
		got, err := db.MembershipByID(ctx, m.ID)
		must(t, err)
		if !reflect.DeepEqual(got, *m) {
			t.Fatalf("row %d roundtrip\n got %+v\nwant %+v", i, got, *m)
		}
		for _, e := range []struct {
			entity string
			id     int64
		}{{store.EntityPerson, p.ID}, {store.EntityMembership, m.ID}} {
			h, err := db.History(ctx, e.entity, e.id)
			must(t, err)
			if len(h) != 1 || h[0].Action != store.ActionCreate || h[0].RegionID != r.ID {
				t.Fatalf("row %d %s history %+v", i, e.entity, h)
			}
		}
	}
	if rows[0].Person.Name != "Anna de Vries" || rows[0].Person.BIG != "12345678901" || rows[1].Membership.FTE != 0.56 {
		t.Fatalf("not normalised: %+v %+v", rows[0].Person, rows[1].Membership)
	}

	// Practice B: the locum by ID (their second practice), Anna by BIG
	// under another spelling, and one new person.
	locum := rows[2].Person
	byID := store.StaffRow{Person: &mtvp.Person{ID: locum.ID}, Membership: &mtvp.Membership{Role: mtvp.RoleWaarnemer, FTE: 0.1, From: mtvp.MustDate("2023-01-01")}}
	byBIG := batchRow("A. de Vries", "12345678901", mtvp.RoleHidha, 0.2, "2023-01-01")
	audit := auditCount(t, db)
	must(t, db.AddStaffBatch(ctx, admin, b.ID, []store.StaffRow{byID, byBIG, batchRow("Cor Nieuw", "", mtvp.RolePOHGGZ, 0.4, "2023-01-01")}))
	if byID.Person.Name != "Lotte Locum" || byBIG.Person.ID != rows[0].Person.ID || byBIG.Person.Name != "Anna de Vries" {
		t.Fatalf("not linked: %+v %+v", byID.Person, byBIG.Person)
	}
	if n := auditCount(t, db) - audit; n != 4 { // three memberships, one person
		t.Fatalf("%d audit entries, want 4", n)
	}
	people, err := db.ListPeople(ctx, r.ID, "", 0)
	must(t, err)
	if len(people) != 4 {
		t.Fatalf("%d people, want 4", len(people))
	}
	staff, err := db.Staff(ctx, b.ID, false)
	must(t, err)
	if len(staff) != 3 {
		t.Fatalf("staff of B: %+v", staff)
	}

	// Refusals change nothing and name the row.
	audit = auditCount(t, db)
	nothing := func(what string) {
		t.Helper()
		if n := auditCount(t, db); n != audit {
			t.Fatalf("%s: %d audit entries written", what, n-audit)
		}
		if people, _ := db.ListPeople(ctx, r.ID, "Dirk", 0); len(people) != 0 {
			t.Fatalf("%s: person created", what)
		}
	}
	bad := []store.StaffRow{
		batchRow("Dirk Goed", "", mtvp.RoleOverig, 0.2, "2024-01-01"),
		batchRow("", "1", "arts", 2, "2024-01-01"),
	}
	err = db.AddStaffBatch(ctx, admin, a.ID, bad)
	for field, key := range map[string]string{"staff.1.name": "err.required", "staff.1.big": "err.big_format",
		"staff.1.role": "err.role_unknown", "staff.1.fte": "err.fte_range"} {
		wantField(t, err, field, key)
	}
	if len(mtvp.FieldErrorsOf(err)) != 4 {
		t.Fatalf("errors %v", mtvp.FieldErrorsOf(err))
	}
	nothing("invalid row")

	// A later row failing in the database rolls back the earlier ones.
	elsewhere := mtvp.Person{RegionID: other.ID, Name: "Els Elders"}
	must(t, db.CreatePerson(ctx, admin, &elsewhere))
	audit = auditCount(t, db)
	err = db.AddStaffBatch(ctx, admin, a.ID, []store.StaffRow{
		batchRow("Dirk Goed", "", mtvp.RoleOverig, 0.2, "2024-01-01"),
		{Person: &mtvp.Person{ID: elsewhere.ID}, Membership: &mtvp.Membership{Role: mtvp.RoleOverig, FTE: 0.1, From: mtvp.MustDate("2024-01-01")}},
	})
	wantField(t, err, "staff.1.person", "err.region_mismatch")
	nothing("person of another region")
	dupe := batchRow("Lotte Locum", "98765432109", mtvp.RoleVasteWaarnemer, 0.3, "2022-01-01")
	first := batchRow("Dirk Goed", "", mtvp.RoleOverig, 0.2, "2024-01-01")
	err = db.AddStaffBatch(ctx, admin, a.ID, []store.StaffRow{first, dupe})
	wantField(t, err, "staff.1.role", "err.membership_exists")
	nothing("same membership again")
	if first.Person.ID != 0 || first.Membership.ID != 0 || dupe.Person.ID != 0 {
		t.Fatalf("rows keep IDs of rolled-back inserts: %+v %+v %+v", first.Person, first.Membership, dupe.Person)
	}
	wantCode(t, db.AddStaffBatch(ctx, admin, 999, []store.StaffRow{batchRow("Dirk Goed", "", mtvp.RoleOverig, 0.2, "2024-01-01")}), mtvp.ENOTFOUND)
	nothing("unknown practice")
	wantCode(t, db.AddStaffBatch(ctx, admin, a.ID, []store.StaffRow{{Person: &mtvp.Person{ID: 999999}, Membership: &mtvp.Membership{Role: mtvp.RoleOverig, FTE: 0.1, From: mtvp.MustDate("2024-01-01")}}}), mtvp.ENOTFOUND)
	nothing("unknown person")
	must(t, db.AddStaffBatch(ctx, admin, a.ID, nil))
}

func auditCount(t testing.TB, db *store.DB) int64 {
	t.Helper()
	n, err := db.AuditCount(ctx)
	must(t, err)
	return n
}
