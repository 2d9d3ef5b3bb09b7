package mtvp

import (
	"math"
	"testing"
)

func TestConsultBucket(t *testing.T) {
	cases := map[float64]int{0.5: 0, 9.99: 0, 10: 1, 14.9: 1, 15: 2, 19.99: 2, 20: 3, 29.5: 3, 30: 4, 240: 4}
	for m, want := range cases {
		if got := ConsultBucket(m); got != want {
			t.Errorf("ConsultBucket(%v) = %d (%s), want %d", m, got, ConsultBucketLabels[got], want)
		}
	}
}

func TestIsDoubleConsult(t *testing.T) {
	cases := []struct {
		typ  string
		min  float64
		want bool
	}{
		{"Dubbel consult", 12, true},
		{"C2 dubbelconsult", 30, true},
		{"Consult", 25, true}, // says nothing: two standard consults long
		{"Consult", 19, false},
		{"Enkel consult", 25, false},
		{"Lang consult", 10, true},
		{"", 20, true},
	}
	for _, c := range cases {
		if got := IsDoubleConsult(c.typ, c.min); got != c.want {
			t.Errorf("IsDoubleConsult(%q, %v) = %v", c.typ, c.min, got)
		}
	}
}

func TestParseConsultRole(t *testing.T) {
	cases := map[string]ConsultRole{
		"Huisarts": ConsultHuisarts, "praktijkhouder": ConsultHuisarts, "HIDHA": ConsultHuisarts, "Vaste waarnemer": ConsultHuisarts,
		"GP": ConsultHuisarts, "general practitioner": ConsultHuisarts, "Huisarts Jansen": ConsultHuisarts,
		"POH": ConsultPOHSom, "POH-S": ConsultPOHSom, "Praktijkondersteuner somatiek": ConsultPOHSom,
		"POH-GGZ": ConsultPOHGGZ, "praktijkondersteuner ggz": ConsultPOHGGZ,
		"Doktersassistente": ConsultAssistent, "assistent": ConsultAssistent, "Triagist": ConsultAssistent,
		"Praktijkmanager": ConsultOverigRole,
	}
	for in, want := range cases {
		if got, ok := ParseConsultRole(in); !ok || got != want {
			t.Errorf("ParseConsultRole(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "Dr. Jansen", "ATND", "Pieter"} {
		if got, ok := ParseConsultRole(in); ok {
			t.Errorf("ParseConsultRole(%q) = %q, want unknown", in, got)
		}
	}
}

func TestWeek(t *testing.T) {
	cases := []struct {
		w      Week
		monday string
	}{
		{Week{2026, 1}, "2025-12-29"},
		{Week{2026, 53}, "2026-12-28"},
		{Week{2027, 1}, "2027-01-04"},
		{Week{2020, 53}, "2020-12-28"},
	}
	for _, c := range cases {
		if got := c.w.Monday().String(); got != c.monday || !c.w.Valid() || WeekOf(c.w.Monday().AddDays(6)) != c.w {
			t.Errorf("%v: Monday %s, want %s", c.w, got, c.monday)
		}
	}
	if (Week{2025, 53}).Valid() || (Week{2026, 0}).Valid() {
		t.Error("a week that does not exist is valid")
	}
	if w, ok := ParseISOWeek("2026-W09"); !ok || w != (Week{2026, 9}) || w.String() != "2026-W09" {
		t.Errorf("ParseISOWeek = %v %v", w, ok)
	}
	if (Week{2027, 1}).Index()-(Week{2026, 52}).Index() != 2 {
		t.Error("Index does not count weeks")
	}
}

func TestConsultWeekFigures(t *testing.T) {
	var c ConsultWeek
	if !math.IsNaN(c.MeanMinutes()) || c.MeetsGoal() {
		t.Error("empty week has a mean")
	}
	c.Add(600, false)
	c.Add(1200, true)
	c.Add(900, false)
	if c.MeanMinutes() != 15 || !c.MeetsGoal() || c.DoubleShare() != 1.0/3 || c.Buckets != [ConsultBuckets]int64{0, 1, 1, 1, 0} {
		t.Errorf("%+v mean %v", c, c.MeanMinutes())
	}
	ms := []Membership{
		{Role: RolePraktijkhouder, FTE: 0.8, From: NewDate(2020, 1, 1)},
		{Role: RoleHidha, FTE: 0.5, From: NewDate(2026, 12, 6)}, // Sunday of week 49
		{Role: RoleWaarnemer, FTE: 0.2, From: NewDate(2020, 1, 1), To: NewDate(2026, 11, 29)},
		{Role: RolePOHSomatiek, FTE: 1, From: NewDate(2020, 1, 1)},
	}
	if got := GPFTE(ms, Week{2026, 49}); got != 1.3 {
		t.Errorf("GPFTE = %v, want 1.3", got)
	}
	if got := GPFTE(ms, Week{2026, 48}); got != 1.0 {
		t.Errorf("GPFTE week 48 = %v, want 1.0", got)
	}
	if got := ConsultsPerGPFTE(130, 1.3); math.Abs(got-100) > 1e-9 || !math.IsNaN(ConsultsPerGPFTE(5, 0)) {
		t.Errorf("ConsultsPerGPFTE = %v", got)
	}
}
