package api

import (
	"net/http"
	"sort"
	"strings"
	"testing"
)

// expect maps each login to the status it must get.
type expect map[who]int

func all(status int) expect {
	e := expect{}
	for _, w := range everyone {
		e[w] = status
	}
	return e
}

// with returns a copy with some logins changed.
func (e expect) with(changes expect) expect {
	out := expect{}
	for k, v := range e {
		out[k] = v
	}
	for k, v := range changes {
		out[k] = v
	}
	return out
}

// routeRow is one route with the request to make and what each login gets.
type routeRow struct {
	pattern string // exactly as registered
	path    string // with placeholders (see fixture.expand)
	body    string
	want    expect
	// setup, when set, prepares data the route needs in the world before
	// each request; it must be idempotent.
	setup func(f *fixture)
}

// Expectations shared by many rows. Outsiders (other region, other
// practice, a consultant of other practices, facilitators, funders) get
// 404 for a practice's records; insiders without the right get 403.
var (
	signedIn = all(200).with(expect{anon: 401})
	// seesRegionA: any grant in region A.
	seesRegionA = all(200).with(expect{anon: 401, adminB: 404})
	// seesP1: region admins, P1's consultant and P1's own login.
	seesP1 = all(404).with(expect{anon: 401, consultantA: 200, practiceP1: 200, adminA: 200, platform: 200})
	// editsP1Staff: P1's login and region admins; P1's consultant may only look.
	editsP1Staff = func(ok int) expect {
		return seesP1.with(expect{consultantA: 403, practiceP1: ok, adminA: ok, platform: ok})
	}
	// adminsA: region admins of A; other members of A 403.
	adminsA = func(ok int) expect {
		return all(403).with(expect{anon: 401, adminB: 404, adminA: ok, platform: ok})
	}
)

var routeRows = []routeRow{
	{pattern: "GET /api/v1/openapi.json", path: "/api/v1/openapi.json", want: all(200)},

	{pattern: "GET /api/v1/regions", path: "/api/v1/regions", want: signedIn},
	{pattern: "POST /api/v1/regions", path: "/api/v1/regions", body: `{"code":"nieuw","name":"Nieuwe regio"}`,
		want: all(403).with(expect{anon: 401, platform: 201})},
	{pattern: "GET /api/v1/regions/{code}", path: "/api/v1/regions/{region}", want: seesRegionA},
	{pattern: "PUT /api/v1/regions/{code}", path: "/api/v1/regions/{region}", body: `{"version":1,"name":"Regio A (nieuw)"}`,
		want: adminsA(200)},

	{pattern: "GET /api/v1/regions/{code}/practices", path: "/api/v1/regions/{region}/practices",
		want: adminsA(200).with(expect{consultantA: 200, consultantA2: 200})},
	{pattern: "POST /api/v1/regions/{code}/practices", path: "/api/v1/regions/{region}/practices", body: `{"agb":"01000099","name":"Praktijk Nieuw"}`,
		want: adminsA(201)},
	{pattern: "GET /api/v1/practices/{id}", path: "/api/v1/practices/{practice}", want: seesP1},
	{pattern: "PUT /api/v1/practices/{id}", path: "/api/v1/practices/{practice}", body: `{"version":1,"name":"Praktijk Een BV"}`,
		want: editsP1Staff(200)},

	{pattern: "GET /api/v1/practices/{id}/people", path: "/api/v1/practices/{practice}/people", want: seesP1},
	{pattern: "POST /api/v1/practices/{id}/people", path: "/api/v1/practices/{practice}/people",
		body: `{"name":"Nina Nieuw","membership":{"role":"doktersassistent","fte":0.5,"from":"2026-01-01"}}`,
		want: editsP1Staff(201)},
	{pattern: "GET /api/v1/people/{id}", path: "/api/v1/people/{person}", want: seesP1},
	{pattern: "PUT /api/v1/people/{id}", path: "/api/v1/people/{person}", body: `{"version":1,"email":"anna@example.nl"}`,
		want: editsP1Staff(200)},

	{pattern: "GET /api/v1/practices/{id}/memberships", path: "/api/v1/practices/{practice}/memberships", want: seesP1},
	{pattern: "POST /api/v1/practices/{id}/memberships", path: "/api/v1/practices/{practice}/memberships",
		body: `{"person_id":{anna},"role":"hidha","fte":0.2,"from":"2025-01-01"}`,
		want: editsP1Staff(201)},
	{pattern: "GET /api/v1/memberships/{id}", path: "/api/v1/memberships/{membership}", want: seesP1},
	{pattern: "PUT /api/v1/memberships/{id}", path: "/api/v1/memberships/{membership}", body: `{"version":1,"fte":0.6}`,
		want: editsP1Staff(200)},
}

// TestRouteRoleMatrix: every registered route has a row and every row a
// route; each login gets exactly the expected status; a refused request
// (and any GET) writes nothing.
func TestRouteRoleMatrix(t *testing.T) {
	f := newFixture(t)
	registered := map[string]bool{}
	for _, p := range f.api.Patterns() {
		registered[p] = true
	}
	covered := map[string]bool{}
	for _, row := range routeRows {
		covered[row.pattern] = true
		if !registered[row.pattern] {
			t.Errorf("row for %q, but no such route is registered", row.pattern)
		}
	}
	var missing []string
	for p := range registered {
		if !covered[p] {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	for _, p := range missing {
		t.Errorf("route %q has no row in the route × role table", p)
	}
	for _, row := range routeRows {
		method := strings.SplitN(row.pattern, " ", 2)[0]
		for _, w := range everyone {
			want, ok := row.want[w]
			if !ok {
				t.Errorf("%s: no expectation for %s", row.pattern, w)
				continue
			}
			// A write that succeeds changes data: later logins get a fresh
			// world so every expectation is checked on the same data.
			world := f
			if method != http.MethodGet && want < 400 {
				world = newFixture(t)
			}
			if row.setup != nil {
				row.setup(world)
			}
			before := world.auditCount()
			rec := world.do(w, request{method: method, path: row.path, body: row.body})
			if rec.Code != want {
				t.Errorf("%s as %s: status %d, want %d (%.300s)", row.pattern, w, rec.Code, want, strings.TrimSpace(rec.Body.String()))
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s as %s: Content-Type %q", row.pattern, w, ct)
			}
			after := world.auditCount()
			if (rec.Code >= 400 || method == http.MethodGet) && after != before {
				t.Errorf("%s as %s: status %d but %d audit entries were written", row.pattern, w, rec.Code, after-before)
			}
			if method != http.MethodGet && rec.Code < 300 && after == before {
				t.Errorf("%s as %s: status %d but no audit entry was written", row.pattern, w, rec.Code)
			}
			if world != f {
				// Free the fresh world's connections now (PostgreSQL has
				// a limit); its database is dropped at the end.
				world.db.Close()
			}
		}
	}
}

// TestFunderSeesNothingPersonal: no practice, person or membership route
// answers a funder with 2xx, whatever record it names.
func TestFunderSeesNothingPersonal(t *testing.T) {
	f := newFixture(t)
	paths := map[string][]string{
		"{practice}":   {"{practice}", itoa(f.p2.ID), itoa(f.p3.ID)},
		"{person}":     {"{anna}", "{bert}", "{lotte}", itoa(f.carla.ID)},
		"{membership}": {"{membership}", itoa(f.bertM.ID), itoa(f.lotteM2.ID), itoa(f.carlaM.ID)},
	}
	n := 0
	for _, row := range routeRows {
		if !strings.Contains(row.pattern, "/practices") && !strings.Contains(row.pattern, "/people") && !strings.Contains(row.pattern, "/memberships") {
			continue
		}
		method := strings.SplitN(row.pattern, " ", 2)[0]
		variants := []string{row.path}
		for ph, ids := range paths {
			if strings.Contains(row.path, ph) {
				variants = nil
				for _, id := range ids {
					variants = append(variants, strings.Replace(row.path, ph, id, 1))
				}
			}
		}
		for _, p := range variants {
			n++
			rec := f.do(funderA, request{method: method, path: p, body: row.body})
			if rec.Code < 300 {
				t.Errorf("funder %s %s: status %d: %.200s", method, f.expand(p), rec.Code, rec.Body.String())
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d funder requests made", n)
	}
}
