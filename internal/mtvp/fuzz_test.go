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
