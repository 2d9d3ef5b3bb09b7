package mtvp

import "testing"

func TestControlChar(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want rune
		bad  bool
	}{
		{"gewone tekst, met é en €", 0, false},
		{"regel één\r\nregel twee\tmet tab", 0, false},
		{"nul\x00teken", 0, true},
		{"bel\x07", 7, true},
		{"escape \x1b[31m", 0x1b, true},
		{"del\x7f", 0x7f, true},
		{"c1 \u0085", 0x85, true},
		{"", 0, false},
	} {
		r, bad := ControlChar(tc.in)
		if bad != tc.bad || r != tc.want {
			t.Errorf("ControlChar(%q) = %U %v, want %U %v", tc.in, r, bad, tc.want, tc.bad)
		}
	}
}

func TestBaseName(t *testing.T) {
	for in, want := range map[string]string{
		"bewijs.pdf":               "bewijs.pdf",
		`C:\Users\anna\bewijs.pdf`: "bewijs.pdf",
		"../../etc/passwd":         "passwd",
		`..\..\windows\win.ini`:    "win.ini",
		"/tmp/x/":                  "",
		"..":                       "",
		" certificaat 2026.pdf ":   "certificaat 2026.pdf",
		"map/sub\\gemengd.docx":    "gemengd.docx",
	} {
		if got := BaseName(in); got != want {
			t.Errorf("BaseName(%q) = %q, want %q", in, got, want)
		}
	}
}
