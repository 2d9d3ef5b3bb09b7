package web

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store/storetest"
)

func init() {
	// The accountability page: the region's funders and admins.
	funderPage := expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 200}
	const base = "/regio/{region}/verantwoording"
	addRouteRows(
		routeRow{pattern: "GET " + base, path: base + "?jaar={year}", want: funderPage},
		// The quarterly list names practices: the region sends it; funders 403.
		routeRow{pattern: "GET " + base + "/deelnemers.csv", path: base + "/deelnemers.csv?kwartaal=2026-Q2", want: regionAdminA},
		routeRow{pattern: "GET " + base + "/deelnemers.xlsx", path: base + "/deelnemers.xlsx", want: regionAdminA},
		// Named lists: funders only when shared (off in the fixture; see
		// TestFunderSharingSwitch for on).
		routeRow{pattern: "GET " + base + "/intervisie-deelname.csv", path: base + "/intervisie-deelname.csv", want: regionAdminA, setup: ivSetup},
		routeRow{pattern: "GET " + base + "/intervisie-deelname.xlsx", path: base + "/intervisie-deelname.xlsx", want: regionAdminA, setup: ivSetup},
		// The annual report: region figures only; funders get their own
		// edition of any year (TestFunderAnnualReportPDF).
		routeRow{pattern: "GET " + base + "/jaarverslag.pdf", path: base + "/jaarverslag.pdf?jaar={year}", want: funderPage},
	)
}

// personalPlaceholders in a route pattern name one practice, person,
// login, group of people or record about them.
var personalPlaceholders = []string{"{practice}", "{person}", "{membership}", "{member}", "{user}", "{claim}", "{enrolment}",
	"{completion}", "{visit}", "{snapshot}", "{group}", "{meeting}"}

// listsPeople: routes without such a placeholder that list practices or
// people by name (or their records).
var listsPeople = regexp.MustCompile(`/(praktijken|accounts|historie|plannen|normen|bezoeken|mijn-bezoeken|import)(/|$)|` +
	`/scholing/(stand|aanvragen)(/lijst\.(csv|xlsx))?$|/verantwoording/deelnemers\.|/momentopnamen$`)

// sharedLists: the named participation lists a funder gets only when the
// region shares them.
var sharedLists = regexp.MustCompile(`/scholing/deelname\.(csv|xlsx)$|/verantwoording/intervisie-deelname\.(csv|xlsx)$`)

// ownAccount: a funder's own session and login.
var ownAccount = map[string]bool{"POST /inloggen": true, "POST /inloggen/tweestaps": true, "POST /uitloggen": true, "POST /taal": true,
	"POST /account/wachtwoord": true, "POST /account/tweestaps": true,
	// Asking for a reset link is open to anyone and answers the same page
	// whoever asks (issue 13).
	"POST /wachtwoord-vergeten": true, "POST /account/berichten": true, "POST /account/kalender": true,
	// "Gelezen" on a news item marks the funder's own read state only
	// (issue 16 §4).
	"POST /regio/{region}/nieuws/{news}/gelezen": true}

// byLink: routes a link from a mail opens, for whoever holds the link and
// whatever their role (a pulse questionnaire answers anonymously by link).
// The link, not the signed-in role, is the permission; the pulse tests
// check what such a page shows.
var byLink = map[string]bool{"GET /peiling/{token}": true, "POST /peiling/{token}": true}

// TestFunderReachesNothingPersonal walks the FULL route table (every
// registered route has a row, TestRouteRoleMatrix enforces that) as a
// funder of region A, on a world holding every area's data:
//   - a route naming a practice, person, login, group, meeting, session,
//     visit, snapshot or claim answers 403 or 404;
//   - a route listing practices or people answers 403 or 404;
//   - a named participation list answers 403 while the region does not
//     share its lists;
//   - every other page the funder may open names no practice and no
//     person (names, AGB codes, e-mail addresses, BIG numbers);
//   - the funder changes nothing: every write but its own session's is
//     refused.
func TestFunderReachesNothingPersonal(t *testing.T) {
	f := newFixture(t)
	registered := map[string]bool{}
	for _, p := range f.srv.Patterns() {
		registered[p] = true
	}
	rows := map[string]routeRow{}
	for _, row := range routeRows {
		if _, seen := rows[row.pattern]; !seen {
			rows[row.pattern] = row
		}
	}
	var patterns []string
	for p := range registered {
		if _, ok := rows[p]; !ok {
			t.Errorf("route %q has no row: the walk cannot check it", p)
			continue
		}
		patterns = append(patterns, p)
	}
	sort.Strings(patterns)
	// Every area's data in one world.
	for _, p := range patterns {
		if s := rows[p].setup; s != nil {
			s(f)
		}
	}
	secrets := funderSecrets(t, f)
	checked := map[string]int{}
	for _, p := range patterns {
		row := rows[p]
		method, rest, _ := strings.Cut(p, " ")
		rec := f.do(funderA, method, row.path, row.form)
		code := rec.Code
		personal := false
		for _, ph := range personalPlaceholders {
			if strings.Contains(rest, ph) {
				personal = true
			}
		}
		switch {
		case byLink[p]:
			checked["link"]++
		case method != http.MethodGet:
			checked["write"]++
			if !ownAccount[p] && code < 400 {
				t.Errorf("funder %s: status %d, a funder changes nothing", p, code)
			}
		case personal:
			checked["personal"]++
			if code != 403 && code != 404 {
				t.Errorf("funder GET %s (%s): status %d, want 403 or 404", rest, f.expand(row.path), code)
			}
		case listsPeople.MatchString(rest):
			checked["list"]++
			if code != 403 && code != 404 {
				t.Errorf("funder GET %s: status %d, want 403 or 404 (lists practices or people)", rest, code)
			}
		case sharedLists.MatchString(rest):
			checked["shared"]++
			if code != 403 {
				t.Errorf("funder GET %s: status %d while the region does not share its lists, want 403", rest, code)
			}
		default:
			checked["other"]++
			if code >= 200 && code < 300 {
				body := rec.Body.String()
				for _, s := range secrets {
					if strings.Contains(body, s) {
						t.Errorf("funder GET %s shows %q", rest, s)
					}
				}
			}
		}
	}
	// The detector works: an admin's practice list shows the names.
	if body := f.do(adminA, http.MethodGet, "/regio/{region}/praktijken", nil).Body.String(); !strings.Contains(body, f.p1.Name) || !strings.Contains(body, f.p1.AGB) {
		t.Errorf("the practice list shows no practice names: the check would miss them")
	}
	t.Logf("funder walk: %v over %d routes", checked, len(patterns))
	if checked["personal"] < 30 || checked["write"] < 30 || checked["other"] < 5 {
		t.Errorf("the walk checked too little: %v", checked)
	}
}

// funderSecrets are the names and numbers of every practice and person of
// both regions, and the names and addresses of every login except the
// funder itself (consultants and facilitators included).
func funderSecrets(t *testing.T, f *fixture) []string {
	t.Helper()
	var logins []string
	for w, u := range f.users {
		if w != funderA {
			logins = append(logins, u.Email, u.Name)
		}
	}
	return storetest.PersonalData(t, f.db, []mtvp.Region{f.regionA, f.regionB}, logins...)
}
