package mtvp

import (
	"testing"
	"time"
)

func TestActivityValidate(t *testing.T) {
	day := NewDate(2026, time.December, 10)
	ok := func() Activity {
		return Activity{Kind: KindNetwork, Title: "Netwerkavond sociaal domein", Date: day, StartTime: "19:00", EndTime: "21:00", Place: "Maastricht", Capacity: 20}
	}
	for _, c := range []struct {
		name  string
		edit  func(*Activity)
		field string
	}{
		{"ok", func(*Activity) {}, ""},
		{"no title", func(a *Activity) { a.Title = " " }, "title"},
		{"no date", func(a *Activity) { a.Date = Date{} }, "date"},
		{"bad time", func(a *Activity) { a.StartTime = "7 uur" }, "start_time"},
		{"end before start", func(a *Activity) { a.EndTime = "18:00" }, "end_time"},
		{"no place", func(a *Activity) { a.Place = "" }, "place"},
		{"capacity 0", func(a *Activity) { a.Capacity = 0 }, "capacity"},
		{"shadowing without host", func(a *Activity) { a.Kind = KindShadowing }, "host_practice"},
		{"shadowing with host", func(a *Activity) { a.Kind, a.HostPracticeID = KindShadowing, 4 }, ""},
		{"scan without who", func(a *Activity) { a.Kind, a.HostPracticeID = KindScan, 4 }, "scan_by"},
		{"scan by external party", func(a *Activity) { a.Kind, a.HostPracticeID, a.ScanBy = KindScan, 4, "Bureau X" }, ""},
		{"scan by consultant", func(a *Activity) { a.Kind, a.HostPracticeID, a.ScanConsultantID = KindScan, 4, 9 }, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := ok()
			c.edit(&a)
			a.Normalize()
			fe := FieldErrorsOf(a.Validate())
			if c.field == "" && len(fe) > 0 {
				t.Fatalf("unexpected errors %v", fe)
			}
			if c.field != "" && fe[c.field] == "" {
				t.Fatalf("want error on %s, got %v", c.field, fe)
			}
		})
	}
}

func TestShadowingAndSignUpRules(t *testing.T) {
	today := NewDate(2026, time.December, 3)
	future, past := NewDate(2026, time.December, 10), NewDate(2026, time.November, 1)
	sh := Activity{Kind: KindShadowing, HostPracticeID: 4, Date: future}
	sh.Normalize()
	if sh.HostStatus != HostAsked {
		t.Fatalf("new shadowing starts as %q, want asked", sh.HostStatus)
	}
	for _, c := range []struct {
		name   string
		a      Activity
		accept bool
		want   HostStatus
		err    bool
	}{
		{"accept", sh, true, HostAccepted, false},
		{"decline", sh, false, HostDeclined, false},
		{"past", Activity{Kind: KindShadowing, HostPracticeID: 4, Date: past, HostStatus: HostAsked}, true, "", true},
		{"not shadowing", Activity{Kind: KindNetwork, Date: future}, true, "", true},
	} {
		got, err := c.a.DecideHost(c.accept, today)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("%s: DecideHost = %q, %v; want %q, err %v", c.name, got, err, c.want, c.err)
		}
	}
	declined := sh
	declined.HostStatus = HostDeclined
	scan := Activity{Kind: KindScan, HostPracticeID: 4, Date: future}
	for _, c := range []struct {
		name     string
		a        Activity
		practice int64
		field    string
	}{
		{"network ok", Activity{Kind: KindNetwork, Date: future}, 7, ""},
		{"network today ok", Activity{Kind: KindNetwork, Date: today}, 7, ""},
		{"network past", Activity{Kind: KindNetwork, Date: past}, 7, "activity"},
		{"shadowing visitor", sh, 7, ""},
		{"shadowing at own host", sh, 4, "person"},
		{"shadowing declined", declined, 7, "activity"},
		{"scan own practice", scan, 4, ""},
		{"scan other practice", scan, 7, "person"},
	} {
		fe := FieldErrorsOf(c.a.SignUpAllowed(c.practice, today))
		if (c.field == "" && len(fe) > 0) || (c.field != "" && fe[c.field] == "") {
			t.Errorf("%s: SignUpAllowed errors %v, want field %q", c.name, fe, c.field)
		}
	}
}

func TestKindCodeAndValidate(t *testing.T) {
	for in, want := range map[string]string{"Intervisie-plus dag": "intervisie-plus-dag", "  Lunch & Leer  ": "lunch-leer", "!!": ""} {
		if got := KindCode(in); got != want {
			t.Errorf("KindCode(%q) = %q, want %q", in, got, want)
		}
	}
	k := ActivityKind{Code: KindCode("Lunch & Leer"), Name: "Lunch & Leer"}
	if err := k.Validate(); err != nil {
		t.Errorf("valid kind: %v", err)
	}
	for _, k := range []ActivityKind{{Code: "netwerk", Name: "Netwerk"}, {Name: ""}, {Code: "x-y", Name: "x y", Counts: "iets"}} {
		if err := k.Validate(); err == nil {
			t.Errorf("kind %+v: want error", k)
		}
	}
	if (&ActivityKind{Builtin: true, Code: KindScan, Counts: CountsRegioplan}).Validate() != nil {
		t.Error("builtin setting should validate")
	}
}
