package mtvp

import (
	"strings"
	"testing"
)

// The fast path for stored dates reads exactly what ParseDate reads, and
// leaves everything else to it.
func TestParseISODateMatchesParseDate(t *testing.T) {
	var inputs []string
	for d := NewDate(1999, 12, 25); d.Year() < 2031; d = d.AddDays(1) {
		inputs = append(inputs, d.String())
	}
	inputs = append(inputs, "2026-02-29", "2024-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00",
		"2026-1-01", "2026/01/01", "20260101xx", "2026-01-0a", "+026-01-01", "2026-01-01T00", "01-02-2026", "0000-01-01", "")
	for _, s := range inputs {
		fast, ok := parseISODate(s)
		slow, err := ParseDate(s)
		if ok && (err != nil || fast != slow) {
			t.Errorf("%q: fast %v, ParseDate %v %v", s, fast, slow, err)
		}
		if !ok && err == nil && len(s) == 10 && s[4] == '-' && s[7] == '-' && !strings.ContainsAny(s, "+ ") {
			t.Errorf("%q: ParseDate reads it (%v), the fast path does not", s, slow)
		}
	}
	var d Date
	if err := d.Scan("2026-02-30"); err == nil {
		t.Errorf("Scan accepted 2026-02-30: %v", d)
	}
	if err := d.Scan([]byte("2026-03-01 00:00:00")); err != nil || d != NewDate(2026, 3, 1) {
		t.Errorf("Scan bytes: %v %v", d, err)
	}
}
