package mtvp

import "testing"

// Dates from forms, files and JSON (issue 17): ParseDate never panics, and
// what it accepts it writes back the same way.
//
//	go test -run '^$' -fuzz '^FuzzParseDate$' -fuzztime 10m ./internal/mtvp/
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-12-02", "2026-02-29", "2024-02-29", "31-12-2026", "0000-01-01", "9999-12-31", " 2026-1-2 ", "2026-13-01", "", "2026-12-02T10:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		back, err := ParseDate(d.String())
		if err != nil || !back.Equal(d) {
			t.Fatalf("%q parsed as %s, which reads back as %s (%v)", s, d, back, err)
		}
	})
}

// Periods people type or send (issue 17): quarters ("2026-Q1", "K1 2026",
// "kwartaal 3" beside a year column) and ISO weeks ("2026-W49"). No panic;
// what is accepted is a valid period that reads back the same from its
// canonical text, and its first day is not after its last.
//
//	go test -run '^$' -fuzz '^FuzzParsePeriods$' -fuzztime 10m ./internal/mtvp/
func FuzzParsePeriods(f *testing.F) {
	for _, s := range []string{"2026-Q1", "2026-q4", " 2026-Q2 ", "0000-Q1", "9999-Q4", "2026-Q5", "K1 2026", "kwartaal 3", "Q2-2026", "2026/3", "3",
		"2026-W49", "2026-W53", "2020-W53", "2026-W00", "-1-W1", "99999999999-W1", "2026-W1x", ""} {
		f.Add(s, 0)
		f.Add(s, 2026)
	}
	f.Fuzz(func(t *testing.T, s string, year int) {
		if q, ok := ParseQuarter(s); ok {
			checkQuarter(t, s, q)
		}
		if q, ok := ParseQuarterText(s, year); ok {
			checkQuarter(t, s, q)
			if year != 0 && q.Year != year {
				t.Fatalf("ParseQuarterText(%q, %d) = %v: another year", s, year, q)
			}
		}
		if w, ok := ParseISOWeek(s); ok {
			if !w.Valid() {
				t.Fatalf("ParseISOWeek(%q) = %v, not a week", s, w)
			}
			back, ok := ParseISOWeek(w.String())
			if !ok || back != w {
				t.Fatalf("ParseISOWeek(%q) = %v, which reads back as %v (%v)", s, w, back, ok)
			}
		}
		ParseConsultRole(s)
		ParseStaffRole(s)
		ParseIndicator(s)
		ParseIndicatorLevel(s)
	})
}

func checkQuarter(t *testing.T, s string, q Quarter) {
	t.Helper()
	if !q.Valid() {
		t.Fatalf("%q read as %v, not a valid quarter", s, q)
	}
	back, ok := ParseQuarter(q.String())
	if !ok || back != q {
		t.Fatalf("%q read as %v, which reads back as %v (%v)", s, q, back, ok)
	}
	if q.End().Before(q.Start()) {
		t.Fatalf("%v: ends %s before it starts %s", q, q.End(), q.Start())
	}
}
