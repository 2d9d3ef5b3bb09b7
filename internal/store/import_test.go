package store_test

import (
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// snapshot counts what an import may touch.
func snapshot(t *testing.T, db *store.DB, region int64) [4]int {
	t.Helper()
	ps, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: region})
	must(t, err)
	people, err := db.ListPeople(ctx, region, "", 100000)
	must(t, err)
	audit, err := db.AuditCount(ctx)
	must(t, err)
	staff := 0
	for _, p := range ps {
		s, err := db.Staff(ctx, p.ID, true)
		must(t, err)
		staff += len(s)
	}
	return [4]int{len(ps), len(people), staff, int(audit)}
}

func staffRow(row int, agb, name, email, big string, role mtvp.StaffRole, from string) mtvp.ImportStaff {
	return mtvp.ImportStaff{Row: row, PracticeAGB: agb,
		Person:     mtvp.Person{Name: name, Email: email, BIG: big},
		Membership: mtvp.Membership{Role: role, FTE: 0.5, From: mtvp.MustDate(from)}}
}

func TestApplyImport(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	existing := addPractice(t, db, r.ID, "01000001", "Bestaande Praktijk")
	known, _ := addStaff(t, db, existing.ID, "Karel Bekend", "", mtvp.RolePraktijkhouder, 1, "2020-01-01")

	b := &mtvp.ImportBatch{
		Practices: []mtvp.Practice{
			{AGB: "01000001", Name: "Bestaande Praktijk B.V.", City: "Gulpen"}, // update, patients kept
			{AGB: "01000002", Name: "Nieuwe Praktijk", City: "Vaals", RegisteredPatients: 3000, Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-07-01")},
		},
		Staff: []mtvp.ImportStaff{
			staffRow(2, "01000001", "Karel Bekend", "", "", mtvp.RolePraktijkhouder, "2020-01-01"),                      // same membership: skipped
			staffRow(3, "01000001", "karel bekend", "karel@example.nl", "", mtvp.RoleOverig, "2024-01-01"),              // name match, email filled in
			staffRow(4, "01000002", "Lotte Locum", "lotte@example.nl", "98765432109", mtvp.RoleWaarnemer, "2024-07-01"), // new
			staffRow(5, "01000001", "Lotte L.", "", "98765432109", mtvp.RoleWaarnemer, "2024-07-01"),                    // BIG match
			staffRow(6, "01000002", "Lotte", "LOTTE@example.nl", "", mtvp.RoleOverig, "2024-08-01"),                     // email match
			staffRow(7, "01000002", "Karel Bekend", "", "", mtvp.RoleOverig, "2024-08-01"),                              // name elsewhere: new person
		},
	}
	res, err := db.ApplyImport(ctx, admin, r.ID, b)
	must(t, err)
	want := mtvp.ImportResult{PracticesCreated: 1, PracticesUpdated: 1, PeopleCreated: 2, PeopleMatched: 4,
		MembershipsCreated: 5, MembershipsSkipped: 1}
	if res != want {
		t.Fatalf("result %+v, want %+v", res, want)
	}
	p, err := db.PracticeByAGB(ctx, r.ID, "01000001")
	must(t, err)
	if p.Name != "Bestaande Praktijk B.V." || p.City != "Gulpen" || p.RegisteredPatients != 2095 || p.Version != 2 {
		t.Fatalf("updated practice %+v", p)
	}
	np, err := db.PracticeByAGB(ctx, r.ID, "01000002")
	must(t, err)
	if np.Status != mtvp.PracticeActive || np.InflowWave != "2024-Q3" {
		t.Fatalf("new practice %+v", np)
	}
	k, err := db.PersonByID(ctx, known.ID)
	must(t, err)
	if k.Email != "karel@example.nl" {
		t.Fatalf("matched person not completed: %+v", k)
	}
	lotte, err := db.PersonByBIG(ctx, r.ID, "98765432109")
	must(t, err)
	ms, err := db.MembershipsOfPerson(ctx, lotte.ID)
	must(t, err)
	if len(ms) != 3 {
		t.Fatalf("Lotte has %d memberships", len(ms))
	}
	h, err := db.History(ctx, store.EntityPractice, np.ID)
	must(t, err)
	if len(h) != 1 || h[0].Action != store.ActionImport {
		t.Fatalf("history %+v", h)
	}

	// Applying the same batch again adds nothing.
	before := snapshot(t, db, r.ID)
	res, err = db.ApplyImport(ctx, admin, r.ID, b)
	must(t, err)
	if res != (mtvp.ImportResult{PeopleMatched: 6, MembershipsSkipped: 6}) {
		t.Fatalf("second result %+v", res)
	}
	if after := snapshot(t, db, r.ID); after != before {
		t.Fatalf("second import changed %v → %v", before, after)
	}
}

func TestApplyImportRollsBack(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	addPractice(t, db, r.ID, "01000001", "Bestaande Praktijk")
	good := []mtvp.Practice{{AGB: "01000001", Name: "Hernoemd"}, {AGB: "01000002", Name: "Nieuw"}}
	goodStaff := []mtvp.ImportStaff{staffRow(2, "01000002", "Anna", "", "", mtvp.RoleDoktersassistent, "2024-01-01")}

	cases := []struct {
		name  string
		batch mtvp.ImportBatch
		field string
		key   string
	}{
		{"bad practice", mtvp.ImportBatch{Practices: append(append([]mtvp.Practice{}, good...), mtvp.Practice{AGB: "01000003", Name: ""}), Staff: goodStaff},
			"practices.01000003.name", "err.required"},
		{"bad staff row", mtvp.ImportBatch{Practices: good, Staff: append(append([]mtvp.ImportStaff{}, goodStaff...),
			staffRow(9, "01000002", "Bob", "", "123", mtvp.RoleOverig, "2024-01-01"))},
			"staff.9.big", "err.big_format"},
		{"unknown practice", mtvp.ImportBatch{Practices: good, Staff: append(append([]mtvp.ImportStaff{}, goodStaff...),
			staffRow(4, "09999999", "Bob", "", "", mtvp.RoleOverig, "2024-01-01"))},
			"staff.4.agb", "import.err.practice_unknown"},
		{"unknown role", mtvp.ImportBatch{Practices: good, Staff: append(append([]mtvp.ImportStaff{}, goodStaff...),
			staffRow(5, "01000001", "Bob", "", "", "chirurg", "2024-01-01"))},
			"staff.5.role", "err.role_unknown"},
	}
	for _, c := range cases {
		before := snapshot(t, db, r.ID)
		res, err := db.ApplyImport(ctx, admin, r.ID, &c.batch)
		wantField(t, err, c.field, c.key)
		if res != (mtvp.ImportResult{}) {
			t.Errorf("%s: result %+v", c.name, res)
		}
		if after := snapshot(t, db, r.ID); after != before {
			t.Errorf("%s: changed %v → %v", c.name, before, after)
		}
		p, err := db.PracticeByAGB(ctx, r.ID, "01000001")
		must(t, err)
		if p.Name != "Bestaande Praktijk" {
			t.Errorf("%s: practice renamed", c.name)
		}
	}
	_, err := db.ApplyImport(ctx, admin, 999, &mtvp.ImportBatch{Practices: good})
	wantCode(t, err, mtvp.ENOTFOUND)
}

func TestRegionHistory(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "primacura")
	p := addPractice(t, db, r.ID, agb(1), "Praktijk A")
	addPractice(t, db, other.ID, agb(2), "Praktijk X")
	actor := mtvp.Actor{UserID: 42, Name: "Marieke Manager"}
	_, m := addStaff(t, db, p.ID, "Anna", "", mtvp.RoleDoktersassistent, 0.8, "2024-01-01")
	must(t, db.EndMembership(ctx, actor, m.ID, mtvp.MustDate("2024-12-31"), m.Version))

	h, err := db.RegionHistory(ctx, r.ID, 0)
	must(t, err)
	// region, practice, person, membership, end
	if len(h) != 5 {
		t.Fatalf("%d entries: %+v", len(h), h)
	}
	if h[0].Entity != store.EntityMembership || h[0].Action != store.ActionEnd || h[0].Actor != actor || h[0].EntityID != m.ID {
		t.Fatalf("newest %+v", h[0])
	}
	for i := 1; i < len(h); i++ {
		if h[i].At.After(h[i-1].At) || h[i].At.Equal(h[i-1].At) && h[i].ID > h[i-1].ID {
			t.Fatal("not newest first")
		}
		if h[i].RegionID != r.ID {
			t.Fatalf("entry of another region: %+v", h[i])
		}
	}
	h, err = db.RegionHistory(ctx, r.ID, 2)
	must(t, err)
	if len(h) != 2 {
		t.Fatalf("limit: %d", len(h))
	}
	n, err := db.AuditCount(ctx)
	must(t, err)
	if n != 7 {
		t.Fatalf("audit count %d", n)
	}
}
