package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

// who is a fixture login. Region A holds practices P1 (consultant:
// consultantA) and P2; region B holds P3.
type who string

const (
	anon         who = "anonymous"
	platform     who = "platform-admin"
	adminA       who = "region-admin A"
	adminB       who = "region-admin B" // other region: sees nothing of A
	consultantA  who = "consultant A (P1)"
	consultantA2 who = "consultant A (not P1)"
	practiceP1   who = "practice P1"
	practiceP2   who = "practice P2" // other practice: sees nothing of P1
	facilitatorA who = "facilitator A"
	funderA      who = "funder A"
)

// everyone in request order: logins that must be refused come first, so a
// refusal is checked against untouched data.
var everyone = []who{anon, adminB, practiceP2, funderA, facilitatorA, consultantA2, consultantA, practiceP1, adminA, platform}

// fixture is a small world on a real database:
//
//	region A: P1 (consultant A) with Anna (praktijkhouder) and Lotte (a
//	          locum, also at P2); P2 with Bert (doktersassistent) and Lotte
//	region B: P3 with Carla
type fixture struct {
	t                    testing.TB
	db                   *store.DB
	api                  *API
	handler              http.Handler
	regionA, regionB     mtvp.Region
	p1, p2, p3           mtvp.Practice
	anna, bert, lotte    mtvp.Person
	carla                mtvp.Person
	annaM, bertM, carlaM mtvp.Membership
	lotteM1, lotteM2     mtvp.Membership
	users                map[who]*mtvp.User
	tokens               map[who]string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.New(t)
	a := New(db, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	f := &fixture{t: t, db: db, api: a, handler: a.Handler(), users: map[who]*mtvp.User{}, tokens: map[who]string{}}
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
	ra, rb := f.regionA.ID, f.regionB.ID
	consultant := f.addUser(consultantA, mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: ra})
	f.addUser(consultantA2, mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: ra})
	f.p1 = mtvp.Practice{RegionID: ra, AGB: "01000001", Name: "Praktijk Een", City: "Maastricht", RegisteredPatients: 2500, ConsultantID: consultant.ID, Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-04-01")}
	f.p2 = mtvp.Practice{RegionID: ra, AGB: "01000002", Name: "Praktijk Twee", City: "Meerssen", RegisteredPatients: 4100, Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-07-01")}
	f.p3 = mtvp.Practice{RegionID: rb, AGB: "01000003", Name: "Praktijk Drie", City: "Tilburg", RegisteredPatients: 3000, Status: mtvp.PracticeInterested}
	must(db.CreatePractice(ctx, sys, &f.p1))
	must(db.CreatePractice(ctx, sys, &f.p2))
	must(db.CreatePractice(ctx, sys, &f.p3))
	staff := func(p *mtvp.Practice, person *mtvp.Person, m *mtvp.Membership) {
		t.Helper()
		person.RegionID = p.RegionID
		m.PracticeID = p.ID
		must(db.AddStaff(ctx, sys, p.ID, person, m))
	}
	f.anna = mtvp.Person{Name: "Anna de Vries", Email: "anna@praktijkeen.nl", BIG: "12345678901"}
	f.annaM = mtvp.Membership{Role: mtvp.RolePraktijkhouder, FTE: 0.8, From: mtvp.MustDate("2020-01-01")}
	staff(&f.p1, &f.anna, &f.annaM)
	f.bert = mtvp.Person{Name: "Bert Jansen", Email: "bert@praktijktwee.nl"}
	f.bertM = mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.6, From: mtvp.MustDate("2021-03-01")}
	staff(&f.p2, &f.bert, &f.bertM)
	f.lotte = mtvp.Person{Name: "Lotte Smeets", BIG: "98765432109"}
	f.lotteM1 = mtvp.Membership{Role: mtvp.RoleVasteWaarnemer, FTE: 0.4, From: mtvp.MustDate("2022-01-01")}
	staff(&f.p1, &f.lotte, &f.lotteM1)
	f.lotteM2 = mtvp.Membership{PersonID: f.lotte.ID, PracticeID: f.p2.ID, Role: mtvp.RoleVasteWaarnemer, FTE: 0.3, From: mtvp.MustDate("2022-01-01")}
	must(db.CreateMembership(ctx, sys, &f.lotteM2))
	f.carla = mtvp.Person{Name: "Carla Peters"}
	f.carlaM = mtvp.Membership{Role: mtvp.RolePraktijkhouder, FTE: 1, From: mtvp.MustDate("2019-01-01")}
	staff(&f.p3, &f.carla, &f.carlaM)
	f.addUser(platform, mtvp.Grant{Role: mtvp.AccountPlatformAdmin})
	f.addUser(adminA, mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: ra})
	f.addUser(adminB, mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: rb})
	f.addUser(practiceP1, mtvp.Grant{Role: mtvp.AccountPractice, RegionID: ra, PracticeID: f.p1.ID})
	f.addUser(practiceP2, mtvp.Grant{Role: mtvp.AccountPractice, RegionID: ra, PracticeID: f.p2.ID})
	f.addUser(facilitatorA, mtvp.Grant{Role: mtvp.AccountFacilitator, RegionID: ra})
	f.addUser(funderA, mtvp.Grant{Role: mtvp.AccountFunder, RegionID: ra})
	return f
}

// addUser creates a login with a token, directly in the store.
func (f *fixture) addUser(w who, grants ...mtvp.Grant) *mtvp.User {
	f.t.Helper()
	ctx := context.Background()
	email := strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(strings.ToLower(string(w))) + "@example.nl"
	u := &mtvp.User{Email: email, Name: string(w), Grants: grants}
	if err := f.db.CreateUser(ctx, mtvp.SystemActor, u, ""); err != nil {
		f.t.Fatal(err)
	}
	token, hash := auth.NewAPIToken()
	if _, err := f.db.CreateAPIToken(ctx, mtvp.SystemActor, u.ID, "test", hash); err != nil {
		f.t.Fatal(err)
	}
	f.users[w], f.tokens[w] = u, token
	return u
}

// expand fills a path's placeholders: {region} is A's code, {practice}
// P1, {person} Anna (at P1), {membership} Anna's membership.
func (f *fixture) expand(path string) string {
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return strings.NewReplacer(
		"{region}", f.regionA.Code,
		"{practice}", id(f.p1.ID),
		"{person}", id(f.anna.ID),
		"{membership}", id(f.annaM.ID),
		"{anna}", id(f.anna.ID),
		"{bert}", id(f.bert.ID),
		"{lotte}", id(f.lotte.ID),
	).Replace(path)
}

// request is one call to the API.
type request struct {
	method, path, body string
	header             map[string]string
}

// do sends req as w (anon: without a token) and returns the answer.
func (f *fixture) do(w who, req request) *httptest.ResponseRecorder {
	f.t.Helper()
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(f.expand(req.body))
	}
	r := httptest.NewRequest(req.method, f.expand(req.path), body)
	if req.body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if w != anon {
		r.Header.Set("Authorization", "Bearer "+f.tokens[w])
	}
	for k, v := range req.header {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, r)
	return rec
}

func (f *fixture) get(w who, path string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(w, request{method: http.MethodGet, path: path})
}

func (f *fixture) send(w who, method, path, body string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(w, request{method: method, path: path, body: body})
}

func (f *fixture) auditCount() int64 {
	f.t.Helper()
	n, err := f.db.AuditCount(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// decodeBody parses a JSON answer into a generic map.
func decodeBody(t testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %s", err, rec.Body.String())
	}
	return m
}

// errorOf returns error.code, error.message and error.fields of an answer.
func errorOf(t testing.TB, rec *httptest.ResponseRecorder) (code, message string, fields map[string]any) {
	t.Helper()
	var b struct {
		Error struct {
			Code    string         `json:"code"`
			Message string         `json:"message"`
			Fields  map[string]any `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil || b.Error.Code == "" {
		t.Fatalf("answer %d is not an error body: %s", rec.Code, rec.Body.String())
	}
	return b.Error.Code, b.Error.Message, b.Error.Fields
}

// fieldKey returns fields[name].key of an error body.
func fieldKey(fields map[string]any, name string) (key, message string) {
	fe, _ := fields[name].(map[string]any)
	key, _ = fe["key"].(string)
	message, _ = fe["message"].(string)
	return key, message
}

// wantStatus fails when the answer's status differs.
func wantStatus(t testing.TB, rec *httptest.ResponseRecorder, want int) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("status %d, want %d: %s", rec.Code, want, strings.TrimSpace(rec.Body.String()))
	}
}
