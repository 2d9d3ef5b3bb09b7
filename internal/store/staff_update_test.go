package store_test

import (
	"reflect"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// UpdateStaff: person and membership change together or not at all.
func TestUpdateStaff(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	a := addPractice(t, db, r.ID, agb(1), "Praktijk A")
	anna, annaM := addStaff(t, db, a.ID, "Anna de Vries", "12345678901", mtvp.RolePraktijkhouder, 0.8, "2020-01-01")
	bert, bertM := addStaff(t, db, a.ID, "Bert Jansen", "98765432109", mtvp.RoleHidha, 0.5, "2021-01-01")

	reload := func() (mtvp.Person, mtvp.Membership) {
		t.Helper()
		p, err := db.PersonByID(ctx, anna.ID)
		must(t, err)
		m, err := db.MembershipByID(ctx, annaM.ID)
		must(t, err)
		return p, m
	}
	history := func(entity string, id int64) []mtvp.AuditEntry {
		t.Helper()
		h, err := db.History(ctx, entity, id)
		must(t, err)
		return h
	}

	// Both parts change: both written, both audited, in the region.
	p, m := anna, annaM
	p.Email = " Anna@Praktijk.NL "
	m.FTE = 0.904
	m.PracticeID, m.PersonID = 999, 999 // ignored: never change
	must(t, db.UpdateStaff(ctx, admin, &p, &m))
	if p.Version != 2 || m.Version != 2 || p.Email != "anna@praktijk.nl" || m.FTE != 0.9 || m.PracticeID != a.ID || m.PersonID != anna.ID {
		t.Fatalf("after update: %+v %+v", p, m)
	}
	gotP, gotM := reload()
	if !reflect.DeepEqual(gotP, p) || !reflect.DeepEqual(gotM, m) {
		t.Fatalf("roundtrip\n got %+v %+v\nwant %+v %+v", gotP, gotM, p, m)
	}
	for _, h := range [][]mtvp.AuditEntry{history(store.EntityPerson, anna.ID), history(store.EntityMembership, annaM.ID)} {
		if len(h) != 2 || h[0].Action != store.ActionUpdate || h[0].RegionID != r.ID || len(h[0].Changes) != 1 {
			t.Fatalf("history %+v", h)
		}
	}

	// Only the membership changes: the person is not written.
	m.Role = mtvp.RoleHidha
	must(t, db.UpdateStaff(ctx, admin, &p, &m))
	if p.Version != 2 || m.Version != 3 {
		t.Fatalf("versions %d %d", p.Version, m.Version)
	}
	if h := history(store.EntityPerson, anna.ID); len(h) != 2 {
		t.Fatalf("unchanged person audited: %+v", h)
	}

	// Refusals: nothing written, neither part.
	audit := auditCount(t, db)
	wantNothing := func(what string) {
		t.Helper()
		if n := auditCount(t, db); n != audit {
			t.Fatalf("%s: %d audit entries written", what, n-audit)
		}
		if nowP, nowM := reload(); !reflect.DeepEqual(nowP, p) || !reflect.DeepEqual(nowM, m) {
			t.Fatalf("%s changed the data\n got %+v %+v\nwant %+v %+v", what, nowP, nowM, p, m)
		}
	}
	try := func(edit func(p *mtvp.Person, m *mtvp.Membership)) error {
		p2, m2 := p, m
		p2.Name, m2.FTE = "Anna de Vries-Jansen", 1.0 // a valid change of both
		edit(&p2, &m2)
		return db.UpdateStaff(ctx, admin, &p2, &m2)
	}

	wantCode(t, try(func(p *mtvp.Person, m *mtvp.Membership) { p.Version-- }), mtvp.ECONFLICT)
	wantNothing("stale person")
	wantCode(t, try(func(p *mtvp.Person, m *mtvp.Membership) { m.Version-- }), mtvp.ECONFLICT)
	wantNothing("stale membership")

	err := try(func(p *mtvp.Person, m *mtvp.Membership) { p.Email, m.FTE = "geen-mail", 2 })
	wantField(t, err, "email", "err.email_format")
	wantField(t, err, "fte", "err.fte_range")
	wantNothing("invalid input")

	// Refused by the database after the person was written: rolled back.
	wantField(t, try(func(p *mtvp.Person, m *mtvp.Membership) { p.BIG = bert.BIG }), "big", "err.big_taken")
	wantNothing("BIG number of another person")
	twin := mtvp.Membership{PersonID: anna.ID, PracticeID: a.ID, Role: mtvp.RoleOverig, FTE: 0.1, From: mtvp.MustDate("2020-01-01")}
	must(t, db.CreateMembership(ctx, admin, &twin))
	audit = auditCount(t, db)
	wantField(t, try(func(p *mtvp.Person, m *mtvp.Membership) { m.Role = mtvp.RoleOverig }), "role", "err.membership_exists")
	wantNothing("same membership twice")

	// A membership of someone else, or none at all.
	wantCode(t, try(func(p *mtvp.Person, m *mtvp.Membership) { *m = bertM; m.FTE = 0.6 }), mtvp.ENOTFOUND)
	wantNothing("membership of another person")
	wantCode(t, try(func(p *mtvp.Person, m *mtvp.Membership) { m.ID = 999999 }), mtvp.ENOTFOUND)
	wantCode(t, try(func(p *mtvp.Person, m *mtvp.Membership) { p.ID = 999999 }), mtvp.ENOTFOUND)
	wantNothing("missing rows")
}
