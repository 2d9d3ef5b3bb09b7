package web

import "net/url"

// who is a fixture login in the route × role test (see authz_test.go).
// Region A holds practices P1 (consultant: consultantA) and P2; region B
// holds P3.
type who string

const (
	anon         who = "anonymous"
	platform     who = "platform-admin"
	adminA       who = "region-admin A"
	adminB       who = "region-admin B" // other region: must see nothing of A
	consultantA  who = "consultant A (P1)"
	consultantA2 who = "consultant A (not P1)"
	practiceP1   who = "practice P1"
	practiceP2   who = "practice P2" // other practice: must see nothing of P1
	facilitatorA who = "facilitator A"
	funderA      who = "funder A"
)

// everyone in the order requests are made: logins that should be refused
// come first, so a refused request is checked against untouched data.
var everyone = []who{anon, adminB, practiceP2, funderA, facilitatorA, consultantA2, consultantA, practiceP1, adminA, platform}

// expect maps each login to the status it must get.
type expect map[who]int

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
// Path placeholders: {region} (A's code), {practice} (P1), {membership}
// (a membership at P1), {person} (its person), {user} (a practice user of
// P1), {year} (the fixture's regioplan year).
type routeRow struct {
	pattern string // exactly as registered, e.g. "GET /regio/{region}/praktijken"
	path    string // request path with placeholders
	form    url.Values
	want    expect
	// fresh: every login gets a new world, for routes whose answer depends
	// on earlier requests (login throttling).
	fresh bool
	// setup, when set, prepares data the route needs (e.g. a plan) in the
	// world before each request; it must be idempotent and may write audit
	// entries (they are counted before the request).
	setup func(f *fixture)
}

var routeRows []routeRow

func addRouteRows(rows ...routeRow) { routeRows = append(routeRows, rows...) }

// Common expectations. Signed-out GETs are sent to the login page (303);
// signed-out POSTs get 401. Outsiders get 404, region members without the
// right get 403.
var (
	// Pages for any signed-in user.
	anySignedIn = expect{anon: 303, platform: 200, adminA: 200, adminB: 200, consultantA: 200, consultantA2: 200, practiceP1: 200, practiceP2: 200, facilitatorA: 200, funderA: 200}
	// Region A pages every role in region A may see.
	regionMembersA = expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 200, consultantA2: 200, practiceP1: 200, practiceP2: 200, facilitatorA: 200, funderA: 200}
	// Region A administration (GET).
	regionAdminA = expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	// Practice P1's pages with personal data (GET).
	practiceP1Page = expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 200, consultantA2: 404, practiceP1: 200, practiceP2: 404, facilitatorA: 404, funderA: 404}
	// Region overview of practices (GET): admins and consultants.
	practiceListA = expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 200, consultantA2: 200, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
)
