package api

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
	// The figures: the region's funders and admins; other members 403.
	figures := all(403).with(expect{anon: 401, adminB: 404, adminA: 200, platform: 200, funderA: 200})
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/regions/{code}/figures", path: "/api/v1/regions/{region}/figures", want: figures},
	)
}

// personalRoute: API routes about one practice, person, membership,
// group's members, meeting's attendance, claim, enrolment or visit.
var personalRoute = regexp.MustCompile(`^/api/v1/(practices|people|memberships|intervision-members|claims|enrolments|visits)/\{id\}|` +
	`^/api/v1/intervision-groups/\{id\}/members|^/api/v1/intervision-meetings/\{id\}/attendance|^/api/v1/sessions/\{id\}/(enrolments|completions)`)

// listsPeopleRoute: region lists of practices or people.
var listsPeopleRoute = regexp.MustCompile(`^/api/v1/regions/\{code\}/(practices|plans|visits|compliance)$`)

// TestFunderWalksWholeAPI walks the FULL route table of the API as a
// funder of region A (every route has a row; TestRouteRoleMatrix enforces
// that), on a world holding every area's data:
//   - a route about one practice, person, membership, member, meeting's
//     attendance, claim, enrolment or visit answers 403 or 404;
//   - a region list of practices or people answers 403 or 404;
//   - every other answer names no practice and no person;
//   - every write is refused.
func TestFunderWalksWholeAPI(t *testing.T) {
	f := newFixture(t)
	registered := map[string]bool{}
	for _, p := range f.api.Patterns() {
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
	for _, p := range patterns {
		if s := rows[p].setup; s != nil {
			s(f)
		}
	}
	secrets := apiSecrets(t, f)
	checked := map[string]int{}
	for _, p := range patterns {
		row := rows[p]
		method, rest, _ := strings.Cut(p, " ")
		rec := f.do(funderA, request{method: method, path: row.path, body: row.body})
		code := rec.Code
		switch {
		case method != http.MethodGet:
			checked["write"]++
			if code < 400 {
				t.Errorf("funder %s: status %d, a funder changes nothing", p, code)
			}
		case personalRoute.MatchString(rest):
			checked["personal"]++
			if code != 403 && code != 404 {
				t.Errorf("funder %s (%s): status %d, want 403 or 404", p, f.expand(row.path), code)
			}
		case listsPeopleRoute.MatchString(rest):
			checked["list"]++
			if code != 403 && code != 404 {
				t.Errorf("funder %s: status %d, want 403 or 404", p, code)
			}
		default:
			checked["other"]++
		}
		if code < 300 {
			for _, s := range secrets {
				if strings.Contains(rec.Body.String(), s) {
					t.Errorf("funder %s shows %q", p, s)
				}
			}
		}
	}
	t.Logf("funder API walk: %v over %d routes", checked, len(patterns))
	if checked["personal"] < 15 || checked["write"] < 15 {
		t.Errorf("the walk checked too little: %v", checked)
	}
	if body := f.get(adminA, "/api/v1/regions/{region}/practices").Body.String(); !strings.Contains(body, f.p1.Name) {
		t.Errorf("the detector would miss practice names")
	}
}

// apiSecrets: names and numbers of every practice and person, and every
// login's name and address except the funder's.
func apiSecrets(t *testing.T, f *fixture) []string {
	t.Helper()
	var logins []string
	for w, u := range f.users {
		if w != funderA {
			logins = append(logins, u.Email, u.Name)
		}
	}
	return storetest.PersonalData(t, f.db, []mtvp.Region{f.regionA, f.regionB}, logins...)
}
