package mtvp

import (
	"testing"
	"time"
)

func TestPracticeValidation(t *testing.T) {
	cases := []struct {
		name  string
		p     Practice
		field string
		key   string
	}{
		{"ok", Practice{AGB: "01012345", Name: "De Linde", Postcode: "6211ab", Status: PracticeInterested}, "", ""},
		{"agb short", Practice{AGB: "0101234", Name: "X"}, "agb", "err.agb_format"},
		{"agb letters", Practice{AGB: "0101234a", Name: "X"}, "agb", "err.agb_format"},
		{"agb missing", Practice{Name: "X"}, "agb", "err.required"},
		{"name missing", Practice{AGB: "01012345"}, "name", "err.required"},
		{"postcode", Practice{AGB: "01012345", Name: "X", Postcode: "62111"}, "postcode", "err.postcode_format"},
		{"patients", Practice{AGB: "01012345", Name: "X", RegisteredPatients: -1}, "registered_patients", "err.patients_range"},
		{"wave", Practice{AGB: "01012345", Name: "X", InflowWave: "2024Q5"}, "inflow_wave", "err.wave_format"},
		{"active needs start", Practice{AGB: "01012345", Name: "X", Status: PracticeActive}, "joined_on", "err.joined_required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.p.Normalize()
			err := c.p.Validate()
			if c.field == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			if got := FieldErrorsOf(err)[c.field]; got != c.key {
				t.Fatalf("field %s: got %q, want %q (all: %v)", c.field, got, c.key, err)
			}
		})
	}
	p := Practice{AGB: " 0101 2345 ", Name: "X", Postcode: "6211ab", JoinedOn: MustDate("2024-05-02"), Status: PracticeActive}
	p.Normalize()
	if p.AGB != "01012345" || p.Postcode != "6211 AB" || p.InflowWave != "2024-Q2" {
		t.Fatalf("normalize: %+v", p)
	}
}

func TestStaffValidation(t *testing.T) {
	p := Person{Name: " Anna  de Vries ", Email: "Anna@Praktijk.NL", BIG: "1234567890"}
	m := Membership{Role: "chirurg", FTE: 1.6, From: MustDate("2024-02-01"), To: MustDate("2024-01-01")}
	p.Normalize()
	err := ValidateStaff(&p, &m)
	f := FieldErrorsOf(err)
	for field, key := range map[string]string{"big": "err.big_format", "role": "err.role_unknown", "fte": "err.fte_range", "to": "err.to_before_from"} {
		if f[field] != key {
			t.Errorf("%s: got %q want %q", field, f[field], key)
		}
	}
	if p.Name != "Anna de Vries" || p.Email != "anna@praktijk.nl" {
		t.Errorf("normalize: %+v", p)
	}
	if _, bad := f["email"]; bad {
		t.Error("valid e-mail refused")
	}
	for _, bad := range []string{"anna", "anna@", "anna@praktijk", "Anna <a@b.nl>"} {
		if ValidEmail(bad) {
			t.Errorf("ValidEmail(%q) = true", bad)
		}
	}
}

func TestParseStaffRole(t *testing.T) {
	for in, want := range map[string]StaffRole{
		"Doktersassistente": RoleDoktersassistent, "POH-GGZ": RolePOHGGZ, "Vaste waarnemer": RoleVasteWaarnemer,
		"HIDHA": RoleHidha, "praktijkhouder": RolePraktijkhouder, "POH-S": RolePOHSomatiek,
	} {
		if got, ok := ParseStaffRole(in); !ok || got != want {
			t.Errorf("ParseStaffRole(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseStaffRole("chirurg"); ok {
		t.Error("unknown role accepted")
	}
}

func TestMembershipActiveOn(t *testing.T) {
	m := Membership{From: MustDate("2024-01-01"), To: MustDate("2024-06-30")}
	for d, want := range map[string]bool{"2023-12-31": false, "2024-01-01": true, "2024-06-30": true, "2024-07-01": false} {
		if got := m.ActiveOn(MustDate(d)); got != want {
			t.Errorf("ActiveOn(%s) = %v", d, got)
		}
	}
	open := Membership{From: MustDate("2024-01-01")}
	if !open.ActiveOn(MustDate("2030-01-01")) {
		t.Error("open-ended membership not active")
	}
}

func TestDates(t *testing.T) {
	for in, want := range map[string]string{"2024-03-05": "2024-03-05", "05-03-2024": "2024-03-05", "5-3-2024": "2024-03-05", "": ""} {
		d, err := ParseDate(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDate(%q) = %v, %v", in, d, err)
		}
	}
	if _, err := ParseDate("31-02-2024"); err == nil {
		t.Error("impossible date accepted")
	}
	if got := MustDate("2022-09-01").Dutch(); got != "1 september 2022" {
		t.Errorf("Dutch: %q", got)
	}
	var d Date
	if err := d.Scan(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)); err != nil || d.String() != "2024-02-29" {
		t.Errorf("scan time: %v %v", d, err)
	}
	if err := d.Scan("2024-02-28 00:00:00+00:00"); err != nil || d.String() != "2024-02-28" {
		t.Errorf("scan string: %v %v", d, err)
	}
	if WaveOf(MustDate("2024-11-30")) != "2024-Q4" {
		t.Error("wave")
	}
}

// The access policy: the union of grants, never more.
func TestAccessPolicy(t *testing.T) {
	const regionA, regionB = 1, 2
	p1 := &Practice{ID: 10, RegionID: regionA, ConsultantID: 100}
	p2 := &Practice{ID: 11, RegionID: regionA}
	p3 := &Practice{ID: 12, RegionID: regionB}
	consultant := &User{ID: 100, Grants: []Grant{{Role: AccountConsultant, RegionID: regionA}}}
	practice := &User{ID: 101, Grants: []Grant{{Role: AccountPractice, RegionID: regionA, PracticeID: 11}}}
	ekcAndGP := &User{ID: 102, Grants: []Grant{{Role: AccountFacilitator, RegionID: regionA}, {Role: AccountPractice, RegionID: regionB, PracticeID: 12}}}
	funder := &User{ID: 103, Grants: []Grant{{Role: AccountFunder, RegionID: regionA}}}
	admin := &User{ID: 104, Grants: []Grant{{Role: AccountRegionAdmin, RegionID: regionA}}}
	platform := &User{ID: 105, Grants: []Grant{{Role: AccountPlatformAdmin}}}

	check := func(name string, got, want bool) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("consultant sees own practice", consultant.CanSeePractice(p1), true)
	check("consultant sees other practice", consultant.CanSeePractice(p2), false)
	check("consultant edits staff", consultant.CanEditStaff(p1), false)
	check("practice sees itself", practice.CanSeePractice(p2), true)
	check("practice sees other", practice.CanSeePractice(p1), false)
	check("practice edits own staff", practice.CanEditStaff(p2), true)
	check("practice edits admin fields", practice.CanEditPracticeAdmin(p2), false)
	check("ekc+gp sees own practice in B", ekcAndGP.CanSeePractice(p3), true)
	check("ekc+gp sees region A practice", ekcAndGP.CanSeePractice(p1), false)
	check("ekc+gp sees region A", ekcAndGP.CanSeeRegion(regionA), true)
	check("funder sees region", funder.CanSeeRegion(regionA), true)
	check("funder lists practices", funder.CanListPractices(regionA), false)
	check("funder sees practice", funder.CanSeePractice(p1), false)
	check("admin sees region B", admin.CanSeeRegion(regionB), false)
	check("admin sees practice in B", admin.CanSeePractice(p3), false)
	check("admin edits staff in A", admin.CanEditStaff(p2), true)
	check("platform sees all", platform.CanSeePractice(p3) && platform.CanAdminRegion(regionB), true)
	check("nil user", (*User)(nil).CanSeePractice(p1), false)

	f, ok := consultant.PracticeScope(PracticeFilter{RegionID: regionA})
	check("consultant scope", ok && f.OnlyConsultant == 100, true)
	_, ok = funder.PracticeScope(PracticeFilter{RegionID: regionA})
	check("funder scope", ok, false)
	check("TOTP for admin", admin.NeedsTOTP(), true)
	check("TOTP for practice", practice.NeedsTOTP(), false)
}

func TestGrantValidation(t *testing.T) {
	bad := []Grant{
		{Role: "root"},
		{Role: AccountPlatformAdmin, RegionID: 1},
		{Role: AccountRegionAdmin},
		{Role: AccountPractice, RegionID: 1},
		{Role: AccountConsultant, RegionID: 1, PracticeID: 2},
	}
	for _, g := range bad {
		if g.Validate() == nil {
			t.Errorf("grant %+v accepted", g)
		}
	}
	if (Grant{Role: AccountPractice, RegionID: 1, PracticeID: 2}).Validate() != nil {
		t.Error("valid practice grant refused")
	}
}

func TestRegioplanValidation(t *testing.T) {
	p := Regioplan{Year: 2026, Interventions: []Intervention{
		{Code: "a.1", Element: ElementA, Title: "Triage"},
		{Code: "A.1", Element: ElementA, Title: "Dubbel"},
		{Code: "B.1", Element: ElementA, Title: "Verkeerd element"},
		{Code: "X", Element: ElementA, Title: ""},
	}}
	f := FieldErrorsOf(p.Validate())
	want := map[string]string{
		"interventions.1.code":  "err.duplicate",
		"interventions.2.code":  "err.intervention_element",
		"interventions.3.code":  "err.intervention_code",
		"interventions.3.title": "err.required",
	}
	for k, v := range want {
		if f[k] != v {
			t.Errorf("%s: got %q want %q", k, f[k], v)
		}
	}
	if _, bad := f["interventions.0.code"]; bad || p.Interventions[0].Code != "A.1" {
		t.Error("lower-case code not normalised")
	}
}

func TestDiff(t *testing.T) {
	old := Practice{ID: 1, Name: "A", RegisteredPatients: 100, Version: 1}
	new := old
	new.Name, new.RegisteredPatients, new.Version = "B", 200, 2
	ch := Diff(&old, &new)
	if len(ch) != 2 || ch[0].Field != "Name" || ch[0].Old != "A" || ch[0].New != "B" {
		t.Fatalf("diff: %+v", ch)
	}
	if len(Diff(nil, &new)) == 0 {
		t.Fatal("creation diff empty")
	}
}
