package mtvp

import (
	"strings"
	"unicode"
)

// ControlChar returns the first control character in s that no text field
// holds: NUL and the other C0 and C1 control characters and DEL. Tab, line
// feed and carriage return (a textarea sends CR LF) are text. Web forms
// and API bodies refuse such input (issue 11).
func ControlChar(s string) (rune, bool) {
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) {
			return r, true
		}
	}
	return 0, false
}

// BaseName keeps only the last part of an uploaded file's name: browsers
// and API clients may send a full path ("C:\\Users\\anna\\bewijs.pdf",
// "../../etc/passwd"), and a stored name never holds a directory. "." and
// ".." become "".
func BaseName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		return ""
	}
	return name
}
