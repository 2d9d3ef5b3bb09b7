package store_test

import (
	"fmt"
	"reflect"
	"sync"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func TestPersonsCRUD(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "primacura")

	p := mtvp.Person{RegionID: r.ID, Name: "  Anna   de Vries ", Email: " Anna@Praktijk.NL ", BIG: "123 456 789 01", KABIZ: "K123"}
	must(t, db.CreatePerson(ctx, admin, &p))
	if p.ID == 0 || p.Version != 1 || p.Name != "Anna de Vries" || p.Email != "anna@praktijk.nl" || p.BIG != "12345678901" {
		t.Fatalf("created %+v", p)
	}
	got, err := db.PersonByID(ctx, p.ID)
	must(t, err)
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("roundtrip\n got %+v\nwant %+v", got, p)
	}
	got, err = db.PersonByBIG(ctx, r.ID, "12345678901")
	must(t, err)
	if got.ID != p.ID {
		t.Fatal("by BIG")
	}
	_, err = db.PersonByBIG(ctx, other.ID, "12345678901")
	wantCode(t, err, mtvp.ENOTFOUND)
	_, err = db.PersonByBIG(ctx, r.ID, "")
	wantCode(t, err, mtvp.ENOTFOUND)
	_, err = db.PersonByID(ctx, 999)
	wantCode(t, err, mtvp.ENOTFOUND)

	bad := mtvp.Person{RegionID: r.ID, Name: "", Email: "geen-mail", BIG: "123"}
	err = db.CreatePerson(ctx, admin, &bad)
	wantField(t, err, "name", "err.required")
	wantField(t, err, "email", "err.email_format")
	wantField(t, err, "big", "err.big_format")
	dup := mtvp.Person{RegionID: r.ID, Name: "Iemand Anders", BIG: "12345678901"}
	wantField(t, db.CreatePerson(ctx, admin, &dup), "big", "err.big_taken")
	// The same BIG in another region is another region's business.
	dup.RegionID = other.ID
	must(t, db.CreatePerson(ctx, admin, &dup))

	for _, n := range []string{"Bram Bakker", "Ürsula Özdemir", "annemiek jansen"} {
		q := mtvp.Person{RegionID: r.ID, Name: n}
		must(t, db.CreatePerson(ctx, admin, &q))
	}
	list, err := db.ListPeople(ctx, r.ID, "ANN", 10)
	must(t, err)
	if len(list) != 2 || list[0].Name != "Anna de Vries" || list[1].Name != "annemiek jansen" {
		t.Fatalf("people %+v", list)
	}
	list, err = db.ListPeople(ctx, r.ID, "özd", 10)
	must(t, err)
	if len(list) != 1 || list[0].Name != "Ürsula Özdemir" {
		t.Fatalf("unicode search %+v", list)
	}
	list, err = db.ListPeople(ctx, r.ID, "", 2)
	must(t, err)
	if len(list) != 2 {
		t.Fatalf("limit: %d", len(list))
	}

	p.Name = "Anna de Vries-Jansen"
	p.BIG = ""
	must(t, db.UpdatePerson(ctx, admin, &p))
	if p.Version != 2 {
		t.Fatalf("version %d", p.Version)
	}
	got, err = db.PersonByID(ctx, p.ID)
	must(t, err)
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("after update\n got %+v\nwant %+v", got, p)
	}
	stale := p
	stale.Version = 1
	wantCode(t, db.UpdatePerson(ctx, admin, &stale), mtvp.ECONFLICT)
	missing := p
	missing.ID = 999
	wantCode(t, db.UpdatePerson(ctx, admin, &missing), mtvp.ENOTFOUND)
	invalidUpd := p
	invalidUpd.Email = "x@"
	wantField(t, db.UpdatePerson(ctx, admin, &invalidUpd), "email", "err.email_format")
	holder := mtvp.Person{RegionID: r.ID, Name: "Houder BIG", BIG: "11122233344"}
	must(t, db.CreatePerson(ctx, admin, &holder))
	takenUpd := p
	takenUpd.BIG = holder.BIG
	wantField(t, db.UpdatePerson(ctx, admin, &takenUpd), "big", "err.big_taken")

	h, err := db.History(ctx, store.EntityPerson, p.ID)
	must(t, err)
	if len(h) != 2 || len(h[0].Changes) != 2 {
		t.Fatalf("history %+v", h)
	}
}

func TestStaffAndMemberships(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "primacura")
	a := addPractice(t, db, r.ID, agb(1), "Praktijk A")
	b := addPractice(t, db, r.ID, agb(2), "Praktijk B")
	x := addPractice(t, db, other.ID, agb(3), "Praktijk X")

	// A locum working at two practices is one person, found by BIG.
	locum := mtvp.Person{Name: "Lotte Waarnemer", BIG: "98765432109", Email: "lotte@example.nl"}
	m1 := mtvp.Membership{Role: mtvp.RoleVasteWaarnemer, FTE: 0.5, From: mtvp.MustDate("2024-01-01")}
	must(t, db.AddStaff(ctx, admin, a.ID, &locum, &m1))
	if locum.ID == 0 || locum.RegionID != r.ID || m1.PersonID != locum.ID || m1.PracticeID != a.ID || m1.Version != 1 {
		t.Fatalf("first: %+v %+v", locum, m1)
	}
	again := mtvp.Person{Name: "L. Waarnemer (typo)", BIG: "987 6543 2109"}
	m2 := mtvp.Membership{Role: mtvp.RoleWaarnemer, FTE: 0.333, From: mtvp.MustDate("2024-03-01")}
	must(t, db.AddStaff(ctx, admin, b.ID, &again, &m2))
	if again.ID != locum.ID || again.Name != "Lotte Waarnemer" || m2.FTE != 0.33 {
		t.Fatalf("BIG not reused: %+v %+v", again, m2)
	}
	people, err := db.ListPeople(ctx, r.ID, "", 0)
	must(t, err)
	if len(people) != 1 {
		t.Fatalf("%d people", len(people))
	}
	ms, err := db.MembershipsOfPerson(ctx, locum.ID)
	must(t, err)
	if len(ms) != 2 || ms[0].ID != m1.ID || ms[1].ID != m2.ID {
		t.Fatalf("memberships %+v", ms)
	}

	// Reuse by ID, and AddStaff validating person and membership together.
	byID := mtvp.Person{ID: locum.ID}
	m3 := mtvp.Membership{Role: mtvp.RoleOverig, FTE: 0.1, From: mtvp.MustDate("2024-05-01")}
	must(t, db.AddStaff(ctx, admin, a.ID, &byID, &m3))
	if byID.Name != "Lotte Waarnemer" {
		t.Fatalf("by id %+v", byID)
	}
	badP := mtvp.Person{Name: "", BIG: "1"}
	badM := mtvp.Membership{Role: "arts", FTE: 2, From: mtvp.MustDate("2024-05-01"), To: mtvp.MustDate("2024-01-01")}
	err = db.AddStaff(ctx, admin, a.ID, &badP, &badM)
	for field, key := range map[string]string{"name": "err.required", "big": "err.big_format", "role": "err.role_unknown",
		"fte": "err.fte_range", "to": "err.to_before_from"} {
		wantField(t, err, field, key)
	}
	newP := mtvp.Person{Name: "Nieuw"}
	okM := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2024-01-01")}
	wantCode(t, db.AddStaff(ctx, admin, 999, &newP, &okM), mtvp.ENOTFOUND)
	if people, _ := db.ListPeople(ctx, r.ID, "Nieuw", 0); len(people) != 0 {
		t.Fatal("person created although the practice does not exist")
	}
	// A person of another region cannot join.
	otherP := mtvp.Person{RegionID: other.ID, Name: "Elders"}
	must(t, db.CreatePerson(ctx, admin, &otherP))
	cross := mtvp.Membership{PersonID: otherP.ID, PracticeID: a.ID, Role: mtvp.RoleOverig, From: mtvp.MustDate("2024-01-01")}
	wantField(t, db.CreateMembership(ctx, admin, &cross), "person", "err.region_mismatch")
	crossAdd := mtvp.Person{ID: otherP.ID}
	wantField(t, db.AddStaff(ctx, admin, a.ID, &crossAdd, &okM), "person", "err.region_mismatch")
	// The same membership twice is refused.
	twice := mtvp.Membership{PersonID: locum.ID, PracticeID: a.ID, Role: mtvp.RoleVasteWaarnemer, FTE: 0.2, From: mtvp.MustDate("2024-01-01")}
	wantField(t, db.CreateMembership(ctx, admin, &twice), "role", "err.membership_exists")
	xm := mtvp.Membership{PersonID: otherP.ID, PracticeID: x.ID, Role: mtvp.RolePraktijkhouder, FTE: 1, From: mtvp.MustDate("2023-01-01")}
	must(t, db.CreateMembership(ctx, admin, &xm))

	// Staff of A: the locum twice (two roles), ordered by role.
	staff, err := db.Staff(ctx, a.ID, false)
	must(t, err)
	if len(staff) != 2 || staff[0].Role != mtvp.RoleVasteWaarnemer || staff[1].Role != mtvp.RoleOverig {
		t.Fatalf("staff %+v", staff)
	}
	if staff[0].Person.ID != locum.ID || staff[0].OtherPractices != 1 || staff[0].Person.Email != "lotte@example.nl" {
		t.Fatalf("staff member %+v", staff[0])
	}

	// Update and end.
	got, err := db.MembershipByID(ctx, m1.ID)
	must(t, err)
	if !reflect.DeepEqual(got, m1) {
		t.Fatalf("roundtrip\n got %+v\nwant %+v", got, m1)
	}
	m1.FTE = 0.6
	m1.Role = mtvp.RolePraktijkhouder
	m1.PracticeID = b.ID // ignored: a membership stays at its practice
	must(t, db.UpdateMembership(ctx, admin, &m1))
	if m1.Version != 2 || m1.PracticeID != a.ID {
		t.Fatalf("updated %+v", m1)
	}
	stale := m1
	stale.Version = 1
	wantCode(t, db.UpdateMembership(ctx, admin, &stale), mtvp.ECONFLICT)
	missing := m1
	missing.ID = 999
	wantCode(t, db.UpdateMembership(ctx, admin, &missing), mtvp.ENOTFOUND)
	_, err = db.MembershipByID(ctx, 999)
	wantCode(t, err, mtvp.ENOTFOUND)

	wantField(t, db.EndMembership(ctx, admin, m2.ID, mtvp.MustDate("2023-12-31"), m2.Version), "to", "err.to_before_from")
	wantField(t, db.EndMembership(ctx, admin, m2.ID, mtvp.Date{}, m2.Version), "to", "err.required")
	wantCode(t, db.EndMembership(ctx, admin, m2.ID, mtvp.MustDate("2024-06-30"), m2.Version+1), mtvp.ECONFLICT)
	wantCode(t, db.EndMembership(ctx, admin, 999, mtvp.MustDate("2024-06-30"), 1), mtvp.ENOTFOUND)
	must(t, db.EndMembership(ctx, admin, m2.ID, mtvp.MustDate("2024-06-30"), m2.Version))
	ended, err := db.MembershipByID(ctx, m2.ID)
	must(t, err)
	if ended.To != mtvp.MustDate("2024-06-30") || ended.Version != 2 {
		t.Fatalf("ended %+v", ended)
	}
	cur, err := db.Staff(ctx, b.ID, false)
	must(t, err)
	all, err := db.Staff(ctx, b.ID, true)
	must(t, err)
	if len(cur) != 0 || len(all) != 1 || all[0].To.String() != "2024-06-30" {
		t.Fatalf("staff of B after end: current %d, all %+v", len(cur), all)
	}
	// The locum's ended work at B no longer counts as another practice.
	staff, err = db.Staff(ctx, a.ID, false)
	must(t, err)
	if staff[0].OtherPractices != 0 {
		t.Fatalf("other practices %d", staff[0].OtherPractices)
	}

	h, err := db.History(ctx, store.EntityMembership, m2.ID)
	must(t, err)
	if len(h) != 2 || h[0].Action != store.ActionEnd || h[0].RegionID != r.ID ||
		len(h[0].Changes) != 1 || h[0].Changes[0] != (mtvp.Change{Field: "To", New: "2024-06-30"}) {
		t.Fatalf("history %+v", h)
	}
}

// Two practices add the same new locum at the same moment: one person, two
// memberships, no error.
func TestAddStaffSameNewPersonConcurrently(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	a := addPractice(t, db, r.ID, agb(1), "Praktijk A")
	b := addPractice(t, db, r.ID, agb(2), "Praktijk B")
	for round := 0; round < 5; round++ {
		big := fmt.Sprintf("%011d", 12345678900+round)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, practice := range []int64{a.ID, b.ID} {
			wg.Add(1)
			go func(i int, practice int64) {
				defer wg.Done()
				p := mtvp.Person{Name: "Lotte Locum", BIG: big}
				m := mtvp.Membership{Role: mtvp.RoleWaarnemer, FTE: 0.4, From: mtvp.MustDate("2024-01-01")}
				errs[i] = db.AddStaff(ctx, admin, practice, &p, &m)
			}(i, practice)
		}
		wg.Wait()
		for _, err := range errs {
			must(t, err)
		}
		p, err := db.PersonByBIG(ctx, r.ID, big)
		must(t, err)
		ms, err := db.MembershipsOfPerson(ctx, p.ID)
		must(t, err)
		if len(ms) != 2 {
			t.Fatalf("round %d: %d memberships", round, len(ms))
		}
		h, err := db.History(ctx, store.EntityPerson, p.ID)
		must(t, err)
		if len(h) != 1 {
			t.Fatalf("person created %d times", len(h))
		}
	}
	people, err := db.ListPeople(ctx, r.ID, "", 0)
	must(t, err)
	if len(people) != 5 {
		t.Fatalf("%d people", len(people))
	}
}
