package web

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

// fixture is a small world for authorisation tests: region A with
// practices P1 (consultant A) and P2, region B with P3, a person working at
// P1, a regioplan for A, and one login per `who`.
type fixture struct {
	t          testing.TB
	db         *store.DB
	srv        *Server
	handler    http.Handler
	regionA    mtvp.Region
	regionB    mtvp.Region
	p1, p2, p3 mtvp.Practice
	person     mtvp.Person
	membership mtvp.Membership
	users      map[who]*mtvp.User
	year       int
	// vars are extra path and form placeholders a row's setup defines,
	// e.g. "{group}" → "3".
	vars map[string]string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.New(t)
	key := make([]byte, 32)
	rand.Read(key)
	srv, err := New(db, Config{SecretKey: key})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, srv: srv, handler: srv.Handler(), users: map[who]*mtvp.User{}, year: 2026, vars: map[string]string{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	sys := mtvp.SystemActor
	f.regionA = mtvp.Region{Code: "regio-a", Name: "Regio A", Insurers: []string{"CZ"}, ProgrammeStart: mtvp.MustDate("2024-01-01"), Settings: mtvp.DefaultNormSettings()}
	f.regionB = mtvp.Region{Code: "regio-b", Name: "Regio B", Insurers: []string{"VGZ"}, ProgrammeStart: mtvp.MustDate("2024-01-01"), Settings: mtvp.DefaultNormSettings()}
	must(db.CreateRegion(ctx, sys, &f.regionA))
	must(db.CreateRegion(ctx, sys, &f.regionB))
	addUser := func(w who, grants ...mtvp.Grant) *mtvp.User {
		u := &mtvp.User{Email: strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(strings.ToLower(string(w))) + "@example.nl", Name: string(w), Grants: grants}
		must(db.CreateUser(ctx, sys, u, ""))
		f.users[w] = u
		return u
	}
	ra, rb := f.regionA.ID, f.regionB.ID
	consultant := addUser(consultantA, mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: ra})
	addUser(consultantA2, mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: ra})
	f.p1 = mtvp.Practice{RegionID: ra, AGB: "01000001", Name: "Praktijk Een", City: "Maastricht", RegisteredPatients: 2500, ConsultantID: consultant.ID, Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-04-01")}
	f.p2 = mtvp.Practice{RegionID: ra, AGB: "01000002", Name: "Praktijk Twee", City: "Meerssen", RegisteredPatients: 4100, Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-07-01")}
	f.p3 = mtvp.Practice{RegionID: rb, AGB: "01000003", Name: "Praktijk Drie", City: "Tilburg", RegisteredPatients: 3000, Status: mtvp.PracticeInterested}
	must(db.CreatePractice(ctx, sys, &f.p1))
	must(db.CreatePractice(ctx, sys, &f.p2))
	must(db.CreatePractice(ctx, sys, &f.p3))
	f.person = mtvp.Person{Name: "Anna de Vries", Email: "anna@praktijkeen.nl", BIG: "12345678901"}
	f.membership = mtvp.Membership{Role: mtvp.RolePraktijkhouder, FTE: 0.8, From: mtvp.MustDate("2020-01-01")}
	must(db.AddStaff(ctx, sys, f.p1.ID, &f.person, &f.membership))
	plan := mtvp.Regioplan{RegionID: ra, Year: f.year, Interventions: []mtvp.Intervention{{Code: "A.1", Element: mtvp.ElementA, Title: "Triagetraining", Mandatory: true}}}
	must(db.SaveRegioplan(ctx, sys, &plan))
	addUser(platform, mtvp.Grant{Role: mtvp.AccountPlatformAdmin})
	addUser(adminA, mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: ra})
	addUser(adminB, mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: rb})
	addUser(practiceP1, mtvp.Grant{Role: mtvp.AccountPractice, RegionID: ra, PracticeID: f.p1.ID})
	addUser(practiceP2, mtvp.Grant{Role: mtvp.AccountPractice, RegionID: ra, PracticeID: f.p2.ID})
	addUser(facilitatorA, mtvp.Grant{Role: mtvp.AccountFacilitator, RegionID: ra})
	addUser(funderA, mtvp.Grant{Role: mtvp.AccountFunder, RegionID: ra})
	return f
}

// cookie signs w in directly through the session store (the login flow
// itself has its own tests).
func (f *fixture) cookie(w who) *http.Cookie {
	f.t.Helper()
	if w == anon {
		return nil
	}
	ctx, err := f.srv.sessions.Load(context.Background(), "")
	if err != nil {
		f.t.Fatal(err)
	}
	u, err := f.db.UserByID(context.Background(), f.users[w].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	f.srv.sessions.Put(ctx, sessUserID, u.ID)
	f.srv.sessions.Put(ctx, sessEpoch, u.SessionEpoch)
	f.srv.sessions.Put(ctx, sessMFADone, true)
	token, _, err := f.srv.sessions.Commit(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return &http.Cookie{Name: f.srv.sessions.Cookie.Name, Value: token}
}

// expand fills the placeholders of a row path.
func (f *fixture) expand(path string) string {
	pairs := []string{}
	for k, v := range f.vars {
		pairs = append(pairs, k, v)
	}
	return strings.NewReplacer(append(pairs,
		"{region}", f.regionA.Code,
		"{practice}", strconv.FormatInt(f.p1.ID, 10),
		"{membership}", strconv.FormatInt(f.membership.ID, 10),
		"{person}", strconv.FormatInt(f.person.ID, 10),
		"{user}", strconv.FormatInt(f.users[practiceP1].ID, 10),
		"{year}", strconv.Itoa(f.year),
	)...).Replace(path)
}

// do makes one request as w and returns the response.
func (f *fixture) do(w who, method, path string, form url.Values) *httptest.ResponseRecorder {
	f.t.Helper()
	var req *http.Request
	if method == http.MethodGet {
		req = httptest.NewRequest(method, f.expand(path), nil)
	} else {
		// Form names and values may hold placeholders too.
		expanded := url.Values{}
		for k, vs := range form {
			for _, v := range vs {
				expanded.Add(f.expand(k), f.expand(v))
			}
		}
		req = httptest.NewRequest(method, f.expand(path), strings.NewReader(expanded.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if c := f.cookie(w); c != nil {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

func (f *fixture) auditCount() int64 {
	n, err := f.db.AuditCount(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func init() {
	var none = expect{}
	for _, w := range everyone {
		none[w] = 0
	}
	all := func(status int) expect {
		e := expect{}
		for _, w := range everyone {
			e[w] = status
		}
		return e
	}
	signedInRedirect := all(303)
	addRouteRows(
		routeRow{pattern: "GET /static/", path: "/static/app.css", want: all(200)},
		routeRow{pattern: "GET /healthz", path: "/healthz", want: all(200)},
		routeRow{pattern: "GET /readyz", path: "/readyz", want: all(200)},
		routeRow{pattern: "GET /inloggen", path: "/inloggen", want: signedInRedirect.with(expect{anon: 200})},
		routeRow{pattern: "POST /inloggen", path: "/inloggen", form: url.Values{"email": {"niemand@example.nl"}, "password": {"verkeerd wachtwoord"}}, want: all(401), fresh: true},
		routeRow{pattern: "GET /inloggen/tweestaps", path: "/inloggen/tweestaps", want: all(303)},
		routeRow{pattern: "POST /inloggen/tweestaps", path: "/inloggen/tweestaps", form: url.Values{"code": {"123456"}}, want: all(303).with(expect{anon: 401})},
		routeRow{pattern: "POST /uitloggen", path: "/uitloggen", want: all(303)},
		routeRow{pattern: "POST /taal", path: "/taal", form: url.Values{"lang": {"en"}, "next": {"/"}}, want: all(303)},
		routeRow{pattern: "GET /{$}", path: "/", want: all(303)},
		// The catch-all: styled 404 and 405 pages, English addresses
		// redirected to their Dutch page.
		routeRow{pattern: "GET /", path: "/bestaat-niet", want: all(404)},
		routeRow{pattern: "POST /", path: "/bestaat-niet", want: all(404)},
		routeRow{pattern: "GET /account", path: "/account", want: anySignedIn},
		routeRow{pattern: "POST /account/tweestaps", path: "/account/tweestaps", want: all(303).with(expect{anon: 401})},
		routeRow{pattern: "POST /account/wachtwoord", path: "/account/wachtwoord", form: url.Values{"current": {"fout"}, "new": {"kort"}, "confirm": {"anders"}}, want: all(422).with(expect{anon: 401})},
	)
	_ = none
}

// TestRouteRoleMatrix: every registered route has a row, every row a
// registered route, and every login gets exactly the expected status; a
// refused request changes nothing.
func TestRouteRoleMatrix(t *testing.T) {
	f := newFixture(t)
	registered := map[string]bool{}
	for _, p := range f.srv.Patterns() {
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
		t.Errorf("route %q has no row in the route × role test", p)
	}
	for _, row := range routeRows {
		method := strings.SplitN(row.pattern, " ", 2)[0]
		for _, w := range everyone {
			want, ok := row.want[w]
			if !ok {
				t.Errorf("%s: no expectation for %s", row.pattern, w)
				continue
			}
			// A request that succeeds may change data; later logins get a
			// fresh world so each expectation is checked on the same data.
			world := f
			if row.fresh || (method != http.MethodGet && want < 400) {
				world = newFixture(t)
			}
			if row.setup != nil {
				row.setup(world)
			}
			before := world.auditCount()
			rec := world.do(w, method, row.path, row.form)
			if rec.Code != want {
				t.Errorf("%s as %s: status %d, want %d (body: %.200s)", row.pattern, w, rec.Code, want, strings.TrimSpace(rec.Body.String()))
			}
			if rec.Code >= 400 || method == http.MethodGet {
				if after := world.auditCount(); after != before {
					t.Errorf("%s as %s: status %d but %d audit entries were written", row.pattern, w, rec.Code, after-before)
				}
			}
			if world != f {
				// Free the fresh world's connections now (PostgreSQL has
				// a limit); its database is dropped at the end.
				world.db.Close()
			}
		}
	}
}
