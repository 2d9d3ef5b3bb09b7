package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestNavLinksByRole: the main menu offers the area pages to exactly the
// roles that may open them, and marks the current one.
func TestNavLinksByRole(t *testing.T) {
	f := newFixture(t)
	const (
		plans      = `href="/regio/regio-a/plannen"`
		intervisie = `href="/regio/regio-a/intervisie"`
		scholing   = `href="/regio/regio-a/scholing"`
		claims     = `href="/regio/regio-a/scholing/aanvragen"`
		funders    = `href="/regio/regio-a/verantwoording"`
	)
	cases := []struct {
		w          who
		want, deny []string
	}{
		{adminA, []string{plans, intervisie, scholing, claims, funders}, nil},
		{platform, []string{plans, intervisie, scholing, claims}, nil},
		{consultantA, []string{plans, intervisie, scholing, claims}, []string{funders}},
		{practiceP1, []string{intervisie, scholing}, []string{plans, claims, funders}},
		{facilitatorA, []string{intervisie, scholing}, []string{plans, claims, funders}},
		{funderA, []string{scholing, funders}, []string{plans, claims, intervisie}},
	}
	for _, c := range cases {
		page := "/regio/{region}"
		if c.w == funderA {
			page += "/verantwoording" // a funder's region page (issue 7)
		}
		rec := f.do(c.w, http.MethodGet, page, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", c.w, rec.Code)
		}
		nav := rec.Body.String()
		if i := strings.Index(nav, `class="site-nav`); i >= 0 {
			nav = nav[i:]
			if j := strings.Index(nav, "</nav>"); j >= 0 {
				nav = nav[:j]
			}
		}
		for _, l := range c.want {
			if !strings.Contains(nav, l) {
				t.Errorf("%s: menu lacks %s", c.w, l)
			}
		}
		for _, l := range c.deny {
			if strings.Contains(nav, l) {
				t.Errorf("%s: menu offers %s", c.w, l)
			}
		}
	}
	// The current page is marked.
	for path, link := range map[string]string{
		"/regio/{region}/plannen":            plans,
		"/regio/{region}/intervisie":         intervisie,
		"/regio/{region}/scholing":           scholing,
		"/regio/{region}/scholing/aanvragen": claims,
	} {
		rec := f.do(adminA, http.MethodGet, path, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		if !strings.Contains(rec.Body.String(), link+` aria-current="page"`) {
			t.Errorf("%s: menu item not marked current", path)
		}
	}
	// The practice page links to the practice's intervision and training.
	body := f.do(practiceP1, http.MethodGet, "/regio/{region}/praktijken/{practice}", nil).Body.String()
	for _, l := range []string{"/intervisie\"", "/scholing\""} {
		if !strings.Contains(body, f.expand("/regio/{region}/praktijken/{practice}")+l) {
			t.Errorf("practice page lacks link %s", l)
		}
	}
}

// TestAccountNamesRegions: the account page names the regions of the
// user's roles, not their codes.
func TestAccountNamesRegions(t *testing.T) {
	f := newFixture(t)
	body := f.do(practiceP1, http.MethodGet, "/account", nil).Body.String()
	if !strings.Contains(body, "· Regio A · Praktijk Een") || strings.Contains(body, "· regio-a") {
		t.Errorf("account page roles:\n%.2000s", body[strings.Index(body, "<main"):])
	}
}

// TestPlanYearLinksStayInRange: the plan page offers no year outside
// 2020–2100 (those answer 404).
func TestPlanYearLinksStayInRange(t *testing.T) {
	f := newFixture(t)
	body := f.do(practiceP1, http.MethodGet, "/regio/{region}/praktijken/{practice}/plan/2020", nil).Body.String()
	if strings.Contains(body, "/plan/2019") || !strings.Contains(body, "/plan/2021") {
		t.Error("2020: year links")
	}
	body = f.do(practiceP1, http.MethodGet, "/regio/{region}/praktijken/{practice}/plan/2100", nil).Body.String()
	if strings.Contains(body, "/plan/2101") || !strings.Contains(body, "/plan/2099") {
		t.Error("2100: year links")
	}
}
