package web

import (
	"net/http"
	"net/url"
	"testing"
)

// Open-redirect attacks on the next parameter (issue 11, item 5): each
// would send a signed-in user to another host.
var openRedirectAttacks = []string{
	"//evil.example",
	"///evil.example",
	"/\\evil.example",
	"\\\\evil.example",
	"/\t/evil.example",
	"/\n/evil.example",
	"/\r\n/evil.example",
	"/\x00/evil.example",
	"/\x0b/evil.example",
	"/\x7f/evil.example",
	"\t//evil.example",
	"/\u2028/evil.example",
	"https://evil.example",
	"https:/evil.example",
	"http:evil.example",
	"javascript:alert(1)",
	"evil.example",
	" //evil.example",
	"",
}

func TestSafeNextRefusesAttacks(t *testing.T) {
	for _, next := range openRedirectAttacks {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", next, got)
		}
	}
	// After decoding the query the way the server does, "/%09/host" is one
	// of the cases above.
	q, _ := url.ParseQuery("next=/%09/evil.example")
	if got := safeNext(q.Get("next")); got != "/" {
		t.Errorf("safeNext of /%%09/evil.example = %q", got)
	}
}

func TestSafeNextKeepsOwnPaths(t *testing.T) {
	for next, want := range map[string]string{
		"/":                         "/",
		"/account":                  "/account",
		"/regio/zio/praktijken?q=a": "/regio/zio/praktijken?q=a",
		"/regio/zio#norm":           "/regio/zio#norm",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// The login form and the language switch both redirect through safeNext.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	f := newFixture(t)
	setPassword(t, f, practiceP1)
	for _, next := range []string{"/\t/evil.example", "/\\evil.example", "//evil.example"} {
		b := newBrowser(t, f)
		resp, _ := b.post("/inloggen", url.Values{"email": {f.users[practiceP1].Email}, "password": {testPassword}, "next": {next}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Errorf("login next=%q: %d %q", next, resp.StatusCode, resp.Header.Get("Location"))
		}
		// Signed in, GET /inloggen?next=… redirects straight away.
		resp, _ = b.get("/inloggen?next=" + url.QueryEscape(next))
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Errorf("signed-in GET next=%q: %q", next, loc)
		}
		resp, _ = b.post("/taal", url.Values{"lang": {"en"}, "next": {next}})
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Errorf("language next=%q: %q", next, loc)
		}
	}
}
