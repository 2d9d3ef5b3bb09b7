package e2e

import (
	"context"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestAxeEveryPageEveryRole (issue 17 §3): signed in as each role of the
// demo, the test follows every link it finds from the home page (breadth
// first, same origin, pages only: no downloads, no sign-out) and runs
// axe-core (WCAG 2.1 A and AA) on one page of every kind — the path with
// its ids and region code as placeholders and its query's names — at most
// MEERTIJD_E2E_CRAWL_PAGES kinds per role (default 150, more than any role
// reaches). Any violation fails, naming the page.
func TestAxeEveryPageEveryRole(t *testing.T) {
	if os.Getenv("MEERTIJD_TEST_POSTGRES") != "" && os.Getenv("MEERTIJD_E2E_CRAWL") == "" {
		t.Skip("the pages are the same HTML on PostgreSQL; the SQLite pass crawls them (MEERTIJD_E2E_CRAWL=1 crawls here too)")
	}
	limit := 150
	if n, err := strconv.Atoi(os.Getenv("MEERTIJD_E2E_CRAWL_PAGES")); err == nil && n > 0 {
		limit = n
	}
	a := startApp(t, true)
	base := a.URL()
	// A kind of page checked for one role is not checked again for the
	// next (its links are still followed): the widest role goes first.
	axed := map[string]bool{}
	for _, login := range []string{
		"beheer@demo.meertijd.nl", "manager.zio@demo.meertijd.nl", "consulent1.zio@demo.meertijd.nl",
		"praktijk.valkenburg@demo.meertijd.nl", "ekc.zio@demo.meertijd.nl", "cz.zio@demo.meertijd.nl",
	} {
		t.Run(strings.Split(login, "@")[0], func(t *testing.T) {
			b := browser(t)
			loginPassword(t, b, base, login, "meertijd-demo-2026")
			seen := map[string]bool{}
			queue := []string{base + "/"}
			kinds := map[string]string{base + "/": "home " + login}
			checked := 0
			for len(queue) > 0 && checked < limit {
				page := queue[0]
				queue = queue[1:]
				stepCtx, cancel := context.WithTimeout(b, 60*time.Second)
				err := chromedp.Do(stepCtx, chromedp.Navigate(page), chromedp.WaitReady(chromedp.CSS(`body`)))
				cancel()
				if err != nil && strings.Contains(err.Error(), "ERR_ABORTED") {
					continue // a download the path did not give away
				}
				if err != nil {
					t.Fatalf("open %s: %v", page, err)
				}
				kind, err := chromedp.Run(b, chromedp.Evaluate[string](`document.contentType`))
				if err != nil || kind != "text/html" {
					continue
				}
				checked++
				if k := kinds[page]; !axed[k] {
					axed[k] = true
					checkA11y(t, b, strings.TrimPrefix(page, base))
				}
				links, err := chromedp.Run(b, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('a[href]')).map(a => a.href)`))
				if err != nil {
					t.Fatal(err)
				}
				sort.Strings(links)
				for _, l := range links {
					if k, ok := crawlKind(base, l); ok && !seen[k] {
						seen[k] = true
						next := strings.SplitN(l, "#", 2)[0]
						kinds[next] = k
						queue = append(queue, next)
					}
				}
			}
			t.Logf("%s: %d kinds of page opened (%d found); axe on %d kinds in all so far", login, checked, len(seen), len(axed))
		})
	}
}

var crawlID = regexp.MustCompile(`^[0-9]+$`)

// crawlKind is the kind of page a link leads to (its path with numbers as
// {id} and the names of its query), and whether the crawl follows it.
func crawlKind(base, link string) (string, bool) {
	if !strings.HasPrefix(link, base+"/") {
		return "", false
	}
	u, err := url.Parse(link)
	if err != nil {
		return "", false
	}
	p := u.Path
	for _, skip := range []string{"/uitloggen", "/inloggen", "/api/", "/static/", "/debug/", "/metrics", "/healthz", "/readyz", "/export", "/download", "/bewijs", "/bijlage", ".ics", "/kalender", "/agenda/", "/sjabloon", "/pdf"} {
		if strings.Contains(p, skip) {
			return "", false
		}
	}
	for _, ext := range []string{".xlsx", ".pdf", ".csv", ".zip", ".png", ".svg", ".json", ".txt"} {
		if strings.HasSuffix(p, ext) {
			return "", false
		}
	}
	if u.Query().Has("formaat") || u.Query().Has("format") {
		return "", false
	}
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if crawlID.MatchString(s) || (i == 2 && parts[1] == "regio") {
			parts[i] = "{id}" // an id, or the region's code
		}
	}
	var names []string
	for k := range u.Query() {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(parts, "/") + "?" + strings.Join(names, "&"), true
}
