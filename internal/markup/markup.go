// Package markup renders the small, safe text markup of region news:
// paragraphs (separated by a blank line), **bold**, lists (lines starting
// with "- " or "* ", with or without a blank line before) and links [text](https://…). Everything else is
// escaped; a link goes only to http(s), mailto or a path on this site.
package markup

import (
	"html"
	"html/template"
	"net/url"
	"strings"
)

// Render turns src into safe HTML.
func Render(src string) template.HTML {
	var b strings.Builder
	for _, block := range blocks(src) {
		if isList(block) {
			b.WriteString("<ul>")
			for _, l := range block {
				b.WriteString("<li>")
				b.WriteString(inline(strings.TrimSpace(l[2:])))
				b.WriteString("</li>")
			}
			b.WriteString("</ul>\n")
			continue
		}
		b.WriteString("<p>")
		for i, l := range block {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(inline(l))
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // every piece of input went through html.EscapeString
}

// Text is src without markup: for plain-text mail.
func Text(src string) string {
	var out []string
	for _, block := range blocks(src) {
		var lines []string
		for _, l := range block {
			lines = append(lines, plain(l))
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n\n")
}

// blocks splits src into blocks of non-empty, right-trimmed lines.
func blocks(src string) [][]string {
	src = strings.ReplaceAll(strings.ReplaceAll(src, "\r\n", "\n"), "\r", "\n")
	var out [][]string
	var cur []string
	for _, l := range strings.Split(src, "\n") {
		l = strings.TrimRight(l, " \t")
		if strings.TrimSpace(l) == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		l = strings.TrimLeft(l, " \t")
		// A list may follow a line of text directly ("Schrijf in:\n- a"),
		// and text may follow a list: each is its own block.
		if len(cur) > 0 && isItem(cur[len(cur)-1]) != isItem(l) {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

func isItem(l string) bool { return strings.HasPrefix(l, "- ") || strings.HasPrefix(l, "* ") }

func isList(block []string) bool {
	for _, l := range block {
		if !isItem(l) {
			return false
		}
	}
	return true
}

// inline renders **bold** and [text](url) in one line, escaping the rest.
func inline(s string) string {
	var b strings.Builder
	bold := false
	for len(s) > 0 {
		switch {
		case strings.HasPrefix(s, "**"):
			if bold {
				b.WriteString("</strong>")
			} else if strings.Contains(s[2:], "**") {
				b.WriteString("<strong>")
			} else {
				b.WriteString("**")
				s = s[2:]
				continue
			}
			bold = !bold
			s = s[2:]
		case s[0] == '[':
			if text, href, rest, ok := link(s); ok {
				b.WriteString(`<a href="` + html.EscapeString(href) + `">` + html.EscapeString(text) + `</a>`)
				s = rest
				continue
			}
			b.WriteString("[")
			s = s[1:]
		default:
			n := strings.IndexAny(s, "*[")
			if n == 0 {
				b.WriteString(html.EscapeString(s[:1]))
				s = s[1:]
				continue
			}
			if n < 0 {
				n = len(s)
			}
			b.WriteString(html.EscapeString(s[:n]))
			s = s[n:]
		}
	}
	if bold {
		b.WriteString("</strong>")
	}
	return b.String()
}

// plain is inline without markup: "[tekst](url)" becomes "tekst (url)".
func plain(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		if s[0] == '[' {
			if text, href, rest, ok := link(s); ok {
				b.WriteString(text + " (" + href + ")")
				s = rest
				continue
			}
		}
		if strings.HasPrefix(s, "**") {
			s = s[2:]
			continue
		}
		b.WriteByte(s[0])
		s = s[1:]
	}
	return b.String()
}

// link parses "[text](href)" at the start of s with a safe href.
func link(s string) (text, href, rest string, ok bool) {
	end := strings.Index(s, "](")
	if end < 0 {
		return "", "", s, false
	}
	close := strings.IndexByte(s[end+2:], ')')
	if close < 0 {
		return "", "", s, false
	}
	text, href = s[1:end], strings.TrimSpace(s[end+2:end+2+close])
	if text == "" || strings.ContainsAny(text, "[]") || !SafeURL(href) {
		return "", "", s, false
	}
	return text, href, s[end+2+close+1:], true
}

// SafeURL allows http(s), mailto and paths on this site ("/…", not "//…").
func SafeURL(href string) bool {
	if href == "" || strings.ContainsAny(href, " \t\n\"'<>`\\") {
		return false
	}
	if strings.HasPrefix(href, "/") {
		return !strings.HasPrefix(href, "//")
	}
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}
