package store_test

import (
	"reflect"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func TestPracticesCRUD(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "primacura")
	cons := addUser(t, db, "consulent@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})
	foreign := addUser(t, db, "consulent@pc.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: other.ID})

	p := mtvp.Practice{RegionID: r.ID, AGB: " 0101 2345 ", Name: " Huisartsenpraktijk De Linde ", Street: "Markt 1",
		Postcode: "6211ab", City: "Maastricht", RegisteredPatients: 4190, ConsultantID: cons.ID,
		JoinedOn: mtvp.MustDate("2024-04-15"), Status: mtvp.PracticeActive}
	must(t, db.CreatePractice(ctx, admin, &p))
	if p.ID == 0 || p.Version != 1 || p.AGB != "01012345" || p.Postcode != "6211 AB" || p.InflowWave != "2024-Q2" || p.ConsultantName != cons.Name {
		t.Fatalf("created %+v", p)
	}
	got, err := db.PracticeByID(ctx, p.ID)
	must(t, err)
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("roundtrip\n got %+v\nwant %+v", got, p)
	}
	got, err = db.PracticeByAGB(ctx, r.ID, "01012345")
	must(t, err)
	if got.ID != p.ID {
		t.Fatal("by AGB")
	}
	_, err = db.PracticeByAGB(ctx, other.ID, "01012345")
	wantCode(t, err, mtvp.ENOTFOUND)
	_, err = db.PracticeByID(ctx, 12345)
	wantCode(t, err, mtvp.ENOTFOUND)

	// Validation, unique AGB per region (another region may reuse it).
	bad := mtvp.Practice{RegionID: r.ID, AGB: "123", Name: ""}
	err = db.CreatePractice(ctx, admin, &bad)
	wantField(t, err, "agb", "err.agb_format")
	wantField(t, err, "name", "err.required")
	dup := mtvp.Practice{RegionID: r.ID, AGB: "01012345", Name: "Dubbel"}
	wantField(t, db.CreatePractice(ctx, admin, &dup), "agb", "err.agb_taken")
	elsewhere := mtvp.Practice{RegionID: other.ID, AGB: "01012345", Name: "Elders"}
	must(t, db.CreatePractice(ctx, admin, &elsewhere))
	// A consultant of another region cannot be assigned.
	wrong := mtvp.Practice{RegionID: r.ID, AGB: "01099999", Name: "X", ConsultantID: foreign.ID}
	wantField(t, db.CreatePractice(ctx, admin, &wrong), "consultant", "practice.err.consultant_unknown")
	noRegion := mtvp.Practice{RegionID: 999, AGB: "01099999", Name: "X"}
	wantField(t, db.CreatePractice(ctx, admin, &noRegion), "region", "err.not_found")

	// Update: version, duplicate AGB, not found.
	second := addPractice(t, db, r.ID, "01054321", "Gezondheidscentrum Heer")
	p.Name = "HAP De Linde"
	p.ConsultantID = 0
	must(t, db.UpdatePractice(ctx, admin, &p))
	if p.Version != 2 || p.ConsultantName != "" {
		t.Fatalf("updated %+v", p)
	}
	got, err = db.PracticeByID(ctx, p.ID)
	must(t, err)
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("after update\n got %+v\nwant %+v", got, p)
	}
	stale := p
	stale.Version = 1
	wantCode(t, db.UpdatePractice(ctx, admin, &stale), mtvp.ECONFLICT)
	second.AGB = "01012345"
	wantField(t, db.UpdatePractice(ctx, admin, &second), "agb", "err.agb_taken")
	gone := p
	gone.ID = 4242
	wantCode(t, db.UpdatePractice(ctx, admin, &gone), mtvp.ENOTFOUND)
	invalidUpd := p
	invalidUpd.Status = "weg"
	wantField(t, db.UpdatePractice(ctx, admin, &invalidUpd), "status", "err.status_unknown")

	// History of the practice: create then update, with the changed fields.
	h, err := db.History(ctx, store.EntityPractice, p.ID)
	must(t, err)
	if len(h) != 2 || h[0].Action != "update" || h[1].Action != "create" {
		t.Fatalf("history %+v", h)
	}
	changed := map[string]mtvp.Change{}
	for _, c := range h[0].Changes {
		changed[c.Field] = c
	}
	if c := changed["Name"]; c.Old != "Huisartsenpraktijk De Linde" || c.New != "HAP De Linde" {
		t.Fatalf("changes %+v", h[0].Changes)
	}
	if _, ok := changed["ConsultantName"]; !ok {
		t.Fatalf("consultant change missing: %+v", h[0].Changes)
	}
	if len(changed) != 3 { // Name, ConsultantID, ConsultantName
		t.Fatalf("changes %+v", h[0].Changes)
	}
	created := map[string]string{}
	for _, c := range h[1].Changes {
		created[c.Field] = c.New
	}
	if created["AGB"] != "01012345" || created["JoinedOn"] != "2024-04-15" || created["Status"] != "actief" {
		t.Fatalf("create entry %+v", h[1].Changes)
	}

	waves, err := db.InflowWaves(ctx, r.ID)
	must(t, err)
	if !reflect.DeepEqual(waves, []string{"2024-Q1", "2024-Q2"}) {
		t.Fatalf("waves %v", waves)
	}
}

func TestListPractices(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "primacura")
	c1 := addUser(t, db, "c1@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})
	c2 := addUser(t, db, "c2@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})

	mk := func(agb, name, city string, status mtvp.PracticeStatus, joined string, cons int64) mtvp.Practice {
		p := mtvp.Practice{RegionID: r.ID, AGB: agb, Name: name, City: city, Status: status,
			JoinedOn: mtvp.MustDate(joined), ConsultantID: cons, RegisteredPatients: 4000}
		must(t, db.CreatePractice(ctx, admin, &p))
		return p
	}
	linde := mk("01000001", "De Linde", "Maastricht", mtvp.PracticeActive, "2024-01-10", c1.ID)
	eik := mk("01000002", "de Eik", "Gulpen", mtvp.PracticeActive, "2024-04-10", c2.ID)
	zon := mk("01000003", "Zonnehuis", "Éijsden", mtvp.PracticeInterested, "2024-04-20", 0)
	mk("01000004", "Ándere Praktijk", "Vaals", mtvp.PracticeStopped, "2024-07-01", c1.ID)
	addPractice(t, db, other.ID, "01000005", "Andere regio")

	// Staff at De Linde: two GPs (1.0 + 0.6), a hidha 0.4, a locum (no GP
	// FTE), an assistant; one ended and one future membership.
	addStaff(t, db, linde.ID, "Dr. A", "12345678901", mtvp.RolePraktijkhouder, 1.0, "2020-01-01")
	addStaff(t, db, linde.ID, "Dr. B", "", mtvp.RoleVasteWaarnemer, 0.6, "2021-01-01")
	addStaff(t, db, linde.ID, "Dr. C", "", mtvp.RoleHidha, 0.4, "2021-01-01")
	addStaff(t, db, linde.ID, "Dr. D", "", mtvp.RoleWaarnemer, 0.5, "2021-01-01")
	addStaff(t, db, linde.ID, "Assistent E", "", mtvp.RoleDoktersassistent, 0.8, "2021-01-01")
	_, ended := addStaff(t, db, linde.ID, "Oud F", "", mtvp.RolePraktijkhouder, 1.0, "2010-01-01")
	must(t, db.EndMembership(ctx, admin, ended.ID, mtvp.MustDate("2015-12-31"), ended.Version))
	addStaff(t, db, linde.ID, "Nieuw G", "", mtvp.RolePraktijkhouder, 1.0, "2099-01-01")
	addStaff(t, db, eik.ID, "Dr. H", "", mtvp.RolePraktijkhouder, 0.9, "2022-01-01")

	names := func(list []mtvp.PracticeSummary) []string {
		var out []string
		for _, p := range list {
			out = append(out, p.Name)
		}
		return out
	}
	list, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: r.ID})
	must(t, err)
	if want := []string{"Ándere Praktijk", "de Eik", "De Linde", "Zonnehuis"}; !reflect.DeepEqual(names(list), want) {
		// Ordered case-insensitively by name; "Á" sorts after ASCII letters.
		if want2 := []string{"de Eik", "De Linde", "Zonnehuis", "Ándere Praktijk"}; !reflect.DeepEqual(names(list), want2) {
			t.Fatalf("order %v", names(list))
		}
	}
	byName := map[string]mtvp.PracticeSummary{}
	for _, p := range list {
		byName[p.Name] = p
	}
	if l := byName["De Linde"]; l.StaffCount != 5 || l.GPFTE != 2.0 || l.ConsultantName != c1.Name || l.InflowWave != "2024-Q1" {
		t.Fatalf("De Linde summary %+v", l)
	}
	if e := byName["de Eik"]; e.StaffCount != 1 || e.GPFTE != 0.9 {
		t.Fatalf("de Eik summary %+v", e)
	}
	if z := byName["Zonnehuis"]; z.StaffCount != 0 || z.GPFTE != 0 || z.ConsultantID != 0 {
		t.Fatalf("Zonnehuis summary %+v", z)
	}

	cases := []struct {
		name string
		f    mtvp.PracticeFilter
		want []string
	}{
		{"query name any case", mtvp.PracticeFilter{Query: "LINDE"}, []string{"De Linde"}},
		{"query city with accent", mtvp.PracticeFilter{Query: "éijs"}, []string{"Zonnehuis"}},
		{"query capital accent", mtvp.PracticeFilter{Query: "ÁNDERE"}, []string{"Ándere Praktijk"}},
		{"query agb", mtvp.PracticeFilter{Query: "1000002"}, []string{"de Eik"}},
		{"query wildcard is literal", mtvp.PracticeFilter{Query: "%"}, nil},
		{"status", mtvp.PracticeFilter{Status: mtvp.PracticeActive}, []string{"de Eik", "De Linde"}},
		{"consultant", mtvp.PracticeFilter{ConsultantID: c1.ID}, []string{"Ándere Praktijk", "De Linde"}},
		{"only consultant", mtvp.PracticeFilter{OnlyConsultant: c2.ID}, []string{"de Eik"}},
		{"wave", mtvp.PracticeFilter{InflowWave: "2024-Q2"}, []string{"de Eik", "Zonnehuis"}},
		{"only practices", mtvp.PracticeFilter{OnlyPractices: []int64{zon.ID, eik.ID}}, []string{"de Eik", "Zonnehuis"}},
		{"only practices empty", mtvp.PracticeFilter{OnlyPractices: []int64{}}, nil},
		{"combined", mtvp.PracticeFilter{Status: mtvp.PracticeActive, ConsultantID: c1.ID, Query: "maas"}, []string{"De Linde"}},
	}
	for _, c := range cases {
		c.f.RegionID = r.ID
		list, err := db.ListPractices(ctx, c.f)
		must(t, err)
		got := map[string]bool{}
		for _, n := range names(list) {
			got[n] = true
		}
		want := map[string]bool{}
		for _, n := range c.want {
			want[n] = true
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v, want %v", c.name, names(list), c.want)
		}
	}
}

func TestPracticeConsultantLosesRole(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	c := addUser(t, db, "c@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})
	p := addPractice(t, db, r.ID, agb(1), "Praktijk")
	p.ConsultantID = c.ID
	must(t, db.UpdatePractice(ctx, admin, &p))
	c.Grants = []mtvp.Grant{{Role: mtvp.AccountFunder, RegionID: r.ID}}
	must(t, db.UpdateUser(ctx, admin, &c))
	// Other edits still work and keep the consultant shown.
	p.Name = "Praktijk Centrum"
	must(t, db.UpdatePractice(ctx, admin, &p))
	got, err := db.PracticeByID(ctx, p.ID)
	must(t, err)
	if got.ConsultantID != c.ID || got.ConsultantName != c.Name || got.Name != "Praktijk Centrum" {
		t.Fatalf("practice %+v", got)
	}
	// Assigning someone without the role is refused.
	other := addPractice(t, db, r.ID, agb(2), "Andere")
	other.ConsultantID = c.ID
	wantField(t, db.UpdatePractice(ctx, admin, &other), "consultant", "practice.err.consultant_unknown")
}
