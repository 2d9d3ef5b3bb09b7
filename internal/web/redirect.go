package web

import (
	"net/url"
	"strings"
	"unicode"
)

// safeNext keeps a post-login (or language switch) redirect on this site.
// Browsers drop tabs and newlines from a URL and read a backslash as a
// slash, so "/\t/evil.example" or "/\\evil.example" would leave the site
// as "//evil.example". The value is cleaned the way a browser cleans it
// first, then parsed: only a path that starts with exactly one "/" and
// has no scheme, host or user is accepted; anything else goes home ("/").
func safeNext(next string) string {
	cleaned := strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), r == '\u2028', r == '\u2029', r == unicode.ReplacementChar:
			return -1
		case r == '\\':
			return '/'
		}
		return r
	}, next)
	if cleaned != next {
		// Nothing legitimate of ours carries control characters or
		// backslashes: refuse rather than guess.
		return "/"
	}
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return u.RequestURI() + fragment(u)
}

func fragment(u *url.URL) string {
	if u.Fragment == "" {
		return ""
	}
	return "#" + u.EscapedFragment()
}
