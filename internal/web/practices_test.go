package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// practicesTestClient makes requests as one login, keeping its session
// cookie so a flash set by a POST is seen on the next page.
type practicesTestClient struct {
	f      *fixture
	cookie *http.Cookie
}

func practicesTestLogin(f *fixture, w who) *practicesTestClient {
	return &practicesTestClient{f: f, cookie: f.cookie(w)}
}

func (c *practicesTestClient) req(method, path string, form url.Values, header map[string]string) *httptest.ResponseRecorder {
	c.f.t.Helper()
	var req *http.Request
	if method == http.MethodGet {
		req = httptest.NewRequest(method, c.f.expand(path), nil)
	} else {
		req = httptest.NewRequest(method, c.f.expand(path), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	rec := httptest.NewRecorder()
	c.f.handler.ServeHTTP(rec, req)
	return rec
}

func (c *practicesTestClient) get(path string) *httptest.ResponseRecorder {
	return c.req(http.MethodGet, path, nil, nil)
}

func (c *practicesTestClient) post(path string, form url.Values) *httptest.ResponseRecorder {
	return c.req(http.MethodPost, path, form, nil)
}

// body returns the response text with HTML entities decoded.
func practicesTestBody(rec *httptest.ResponseRecorder) string {
	return html.UnescapeString(rec.Body.String())
}

func practicesTestWant(t *testing.T, rec *httptest.ResponseRecorder, status int, contains ...string) string {
	t.Helper()
	body := practicesTestBody(rec)
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body: %.600s", rec.Code, status, body)
	}
	for _, s := range contains {
		if !strings.Contains(body, s) {
			t.Errorf("body lacks %q", s)
		}
	}
	return body
}

func practicesTestCount(t *testing.T, f *fixture) int {
	t.Helper()
	ps, err := f.db.ListPractices(context.Background(), mtvp.PracticeFilter{RegionID: f.regionA.ID})
	if err != nil {
		t.Fatal(err)
	}
	return len(ps)
}

func TestPracticeCreateBadInput(t *testing.T) {
	f := newFixture(t)
	admin := practicesTestLogin(f, adminA)
	before, audit := practicesTestCount(t, f), f.auditCount()
	rec := admin.post("/regio/{region}/praktijken", url.Values{
		"agb": {"1234"}, "name": {"Huisartsen Wittevrouwen"}, "postcode": {"6211"}, "registered_patients": {"veel"}, "status": {"actief"},
	})
	body := practicesTestWant(t, rec, http.StatusUnprocessableEntity,
		"Een AGB-code bestaat uit precies 8 cijfers.",
		"Vul een postcode in als 6211 AB.",
		"Vul een getal in.",
		"Een deelnemende praktijk heeft een startdatum.",
		`value="Huisartsen Wittevrouwen"`, `value="1234"`, `value="veel"`,
		`aria-invalid="true"`, `href="#f-agb"`)
	if !strings.Contains(body, `id="f-agb-error"`) {
		t.Error("the AGB error is not beside the field")
	}
	if n := practicesTestCount(t, f); n != before {
		t.Errorf("practices: %d, want %d", n, before)
	}
	if a := f.auditCount(); a != audit {
		t.Errorf("audit entries written: %d", a-audit)
	}

	// A duplicate AGB code in the region is refused by the store the same way.
	rec = admin.post("/regio/{region}/praktijken", url.Values{"agb": {f.p2.AGB}, "name": {"Dubbel"}, "status": {"aangemeld"}})
	practicesTestWant(t, rec, http.StatusUnprocessableEntity, "Er is al een praktijk met deze AGB-code in deze regio.", `value="Dubbel"`)
	if n := practicesTestCount(t, f); n != before {
		t.Errorf("practices after duplicate: %d, want %d", n, before)
	}

	// A consultant who is not one of the region's is refused.
	rec = admin.post("/regio/{region}/praktijken", url.Values{"agb": {"01000077"}, "name": {"Vreemd"}, "status": {"aangemeld"},
		"consultant": {fmt.Sprint(f.users[adminB].ID)}})
	practicesTestWant(t, rec, http.StatusUnprocessableEntity, "Kies een consulent uit de lijst.")
}

func TestPracticeCreate(t *testing.T) {
	f := newFixture(t)
	admin := practicesTestLogin(f, adminA)
	rec := admin.post("/regio/{region}/praktijken", url.Values{
		"agb": {"01000077"}, "name": {"Gezondheidscentrum Heer"}, "postcode": {"6221ab"}, "city": {"Maastricht"},
		"registered_patients": {"6.300"}, "consultant": {fmt.Sprint(f.users[consultantA].ID)},
		"joined_on": {"2025-02-01"}, "status": {"actief"},
	})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	p, err := f.db.PracticeByAGB(context.Background(), f.regionA.ID, "01000077")
	if err != nil {
		t.Fatal(err)
	}
	if p.RegisteredPatients != 6300 || p.ConsultantID != f.users[consultantA].ID || p.InflowWave != "2025-Q1" || p.Postcode != "6221 AB" {
		t.Errorf("stored %+v", p)
	}
	if loc := rec.Header().Get("Location"); loc != practiceURL(f.regionA, p.ID) {
		t.Errorf("redirect to %q", loc)
	}
	practicesTestWant(t, admin.get(rec.Header().Get("Location")), http.StatusOK, "De praktijk is toegevoegd.", "Gezondheidscentrum Heer", "6.300")
}

func TestPracticeEditByPracticeKeepsAdminFields(t *testing.T) {
	f := newFixture(t)
	pc := practicesTestLogin(f, practiceP1)
	// The practice's form has no admin fields.
	body := practicesTestWant(t, pc.get("/regio/{region}/praktijken/{practice}/bewerken"), http.StatusOK, `name="registered_patients"`)
	if strings.Contains(body, `name="agb"`) || strings.Contains(body, `name="status"`) {
		t.Error("a practice login is offered admin fields")
	}
	rec := pc.post("/regio/{region}/praktijken/{practice}", url.Values{
		"version": {"1"}, "name": {"Praktijk Een"}, "city": {"Maastricht"}, "registered_patients": {"2700"},
		"agb": {"09999999"}, "status": {"gestopt"}, "consultant": {""}, "inflow_wave": {"2030-Q1"},
	})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("status %d: %.500s", rec.Code, rec.Body.String())
	}
	p, err := f.db.PracticeByID(context.Background(), f.p1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.RegisteredPatients != 2700 {
		t.Errorf("details not saved: %d", p.RegisteredPatients)
	}
	if p.AGB != f.p1.AGB || p.Status != f.p1.Status || p.ConsultantID != f.p1.ConsultantID || p.InflowWave != "2024-Q2" {
		t.Errorf("admin fields changed by a practice login: %+v", p)
	}
}

func TestPracticeVersionConflict(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := practicesTestLogin(f, adminA)
	body := practicesTestWant(t, admin.get("/regio/{region}/praktijken/{practice}/bewerken"), http.StatusOK)
	form := practicesTestHidden(body)
	// Someone else saves first.
	other, err := f.db.PracticeByID(ctx, f.p1.ID)
	if err != nil {
		t.Fatal(err)
	}
	other.City = "Valkenburg"
	if err := f.db.UpdatePractice(ctx, mtvp.Actor{Name: "collega"}, &other); err != nil {
		t.Fatal(err)
	}
	audit := f.auditCount()
	form.Set("name", "Praktijk Een BV")
	form.Set("city", "Maastricht")
	form.Set("agb", f.p1.AGB)
	form.Set("status", "actief")
	form.Set("joined_on", "2024-04-01")
	form.Set("registered_patients", "2500")
	form.Set("consultant", fmt.Sprint(f.users[consultantA].ID))
	rec := admin.post("/regio/{region}/praktijken/{practice}", form)
	body = practicesTestWant(t, rec, http.StatusConflict,
		"Iemand anders heeft deze praktijk gewijzigd",
		"Wat er intussen is gewijzigd", "Valkenburg",
		`value="Praktijk Een BV"`)
	if a := f.auditCount(); a != audit {
		t.Errorf("a conflicting save wrote %d audit entries", a-audit)
	}
	p, _ := f.db.PracticeByID(ctx, f.p1.ID)
	if p.Name != "Praktijk Een" || p.City != "Valkenburg" {
		t.Errorf("conflict overwrote: %+v", p)
	}
	// The re-rendered form carries the current version: saving again is a
	// deliberate overwrite and succeeds.
	again := practicesTestHidden(body)
	if again.Get("version") != fmt.Sprint(p.Version) {
		t.Fatalf("form version %q, want %d", again.Get("version"), p.Version)
	}
	form.Set("version", again.Get("version"))
	if rec := admin.post("/regio/{region}/praktijken/{practice}", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("second save: %d %.300s", rec.Code, rec.Body.String())
	}
	p, _ = f.db.PracticeByID(ctx, f.p1.ID)
	if p.Name != "Praktijk Een BV" || p.City != "Maastricht" {
		t.Errorf("after second save: %+v", p)
	}
	// History shows the change readably.
	practicesTestWant(t, admin.get("/regio/{region}/praktijken/{practice}/historie"), http.StatusOK,
		"Historie van Praktijk Een BV", "Plaats: Valkenburg → Maastricht", "collega")
}

// practicesTestHidden collects the hidden inputs of a page.
func practicesTestHidden(body string) url.Values {
	v := url.Values{}
	for _, part := range strings.Split(body, `<input type="hidden" name="`)[1:] {
		name, rest, _ := strings.Cut(part, `"`)
		_, rest, ok := strings.Cut(rest, `value="`)
		if !ok {
			continue
		}
		val, _, _ := strings.Cut(rest, `"`)
		if !v.Has(name) {
			v.Set(name, val)
		}
	}
	return v
}

func TestStaffAddBadInput(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pc := practicesTestLogin(f, practiceP1)
	audit := f.auditCount()
	before, err := f.db.Staff(ctx, f.p1.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	rec := pc.post("/regio/{region}/praktijken/{practice}/medewerkers", url.Values{
		"name": {"Carla Smeets"}, "email": {"carla@"}, "big": {"1234"}, "role": {"doktersassistent"},
		"fte": {"2,0"}, "from": {"2025-03-01"}, "to": {"2025-01-01"},
	})
	practicesTestWant(t, rec, http.StatusUnprocessableEntity,
		"Een BIG-nummer bestaat uit precies 11 cijfers.",
		"Vul een FTE in tussen 0 en 1,5.",
		"De einddatum ligt vóór de begindatum.",
		"Vul een geldig e-mailadres in",
		`value="Carla Smeets"`, `value="2,0"`, `value="1234"`)
	// Unknown role and a missing start date.
	rec = pc.post("/regio/{region}/praktijken/{practice}/medewerkers", url.Values{"name": {"Carla Smeets"}, "role": {"tandarts"}, "fte": {"0,5"}})
	practicesTestWant(t, rec, http.StatusUnprocessableEntity, "Onbekende functie.", "Dit veld is verplicht.")
	after, err := f.db.Staff(ctx, f.p1.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("staff %d, want %d", len(after), len(before))
	}
	if a := f.auditCount(); a != audit {
		t.Errorf("audit entries written: %d", a-audit)
	}
}

func TestStaffAddLinksPersonByBIG(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pc := practicesTestLogin(f, practiceP2)
	p2 := practiceURL(f.regionA, f.p2.ID)
	rec := pc.post(p2+"/medewerkers", url.Values{
		"name": {"A. de Vries"}, "big": {f.person.BIG}, "role": {"waarnemer"}, "fte": {"0,2"}, "from": {"2026-01-01"},
	})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("status %d: %.500s", rec.Code, rec.Body.String())
	}
	body := practicesTestWant(t, pc.get(p2), http.StatusOK, "die persoon is aan deze praktijk gekoppeld", "Anna de Vries", "Waarnemer")
	if strings.Contains(body, f.p1.Name) {
		t.Error("practice P2 sees the name of the other practice")
	}
	staff, err := f.db.Staff(ctx, f.p2.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(staff) != 1 || staff[0].PersonID != f.person.ID {
		t.Fatalf("P2 staff: %+v", staff)
	}
	// P1's page marks Anna as also working elsewhere, without naming it.
	body = practicesTestWant(t, practicesTestLogin(f, practiceP1).get("/regio/{region}/praktijken/{practice}"), http.StatusOK,
		"Ja, bij 1 andere praktijk")
	if strings.Contains(body, f.p2.Name) {
		t.Error("practice P1 sees the name of the other practice")
	}
}

func TestStaffAddAndEdit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pc := practicesTestLogin(f, practiceP1)
	rec := pc.post("/regio/{region}/praktijken/{practice}/medewerkers", url.Values{
		"name": {"  Bert   Jansen "}, "email": {"Bert@PraktijkEen.nl"}, "role": {"doktersassistent"}, "fte": {"0,6"}, "from": {"2025-01-01"},
	})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("status %d: %.500s", rec.Code, rec.Body.String())
	}
	practicesTestWant(t, pc.get("/regio/{region}/praktijken/{practice}"), http.StatusOK, "De medewerker is toegevoegd.", "Bert Jansen", "bert@praktijkeen.nl", "0,60")

	// Edit: change FTE and e-mail, version-checked.
	body := practicesTestWant(t, pc.get("/regio/{region}/praktijken/{practice}/medewerkers/{membership}/bewerken"), http.StatusOK, `value="Anna de Vries"`)
	form := practicesTestHidden(body)
	for k, v := range map[string]string{"name": "Anna de Vries", "email": "a.devries@praktijkeen.nl", "big": f.person.BIG, "role": "praktijkhouder", "fte": "1,0", "from": "2020-01-01"} {
		form.Set(k, v)
	}
	rec = pc.post("/regio/{region}/praktijken/{practice}/medewerkers/{membership}", form)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("edit: %d %.500s", rec.Code, rec.Body.String())
	}
	m, _ := f.db.MembershipByID(ctx, f.membership.ID)
	person, _ := f.db.PersonByID(ctx, f.person.ID)
	if m.FTE != 1.0 || person.Email != "a.devries@praktijkeen.nl" {
		t.Errorf("after edit: %+v %+v", m, person)
	}

	// The same stale form again is a conflict: 409, nothing saved.
	audit := f.auditCount()
	form.Set("fte", "0,4")
	rec = pc.post("/regio/{region}/praktijken/{practice}/medewerkers/{membership}", form)
	practicesTestWant(t, rec, http.StatusConflict, "Iemand anders heeft deze medewerker gewijzigd", "a.devries@praktijkeen.nl", `value="0,4"`)
	if a := f.auditCount(); a != audit {
		t.Errorf("conflict wrote %d audit entries", a-audit)
	}
	if m2, _ := f.db.MembershipByID(ctx, f.membership.ID); m2.FTE != 1.0 {
		t.Errorf("conflict changed FTE to %v", m2.FTE)
	}

	// Bad input on edit: 422, nothing saved, typed values kept.
	rec = pc.post("/regio/{region}/praktijken/{practice}/medewerkers/{membership}", url.Values{
		"version": {fmt.Sprint(m.Version)}, "person_version": {fmt.Sprint(person.Version)},
		"name": {""}, "big": {"999"}, "role": {"praktijkhouder"}, "fte": {"-1"}, "from": {"2020-01-01"},
	})
	practicesTestWant(t, rec, http.StatusUnprocessableEntity, "Dit veld is verplicht.", "Een BIG-nummer bestaat uit precies 11 cijfers.", "Vul een FTE in tussen 0 en 1,5.", `value="999"`)
	if a := f.auditCount(); a != audit {
		t.Errorf("bad input wrote %d audit entries", a-audit)
	}
}

func TestStaffEndMembership(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pc := practicesTestLogin(f, practiceP1)
	path := "/regio/{region}/praktijken/{practice}/medewerkers/{membership}/beeindigen"
	// Before the start date: refused.
	audit := f.auditCount()
	rec := pc.post(path, url.Values{"version": {"1"}, "end_on": {"2019-12-31"}})
	practicesTestWant(t, rec, http.StatusUnprocessableEntity, "De einddatum ligt vóór de begindatum.", `value="2019-12-31"`)
	if a := f.auditCount(); a != audit {
		t.Errorf("refused end wrote %d audit entries", a-audit)
	}
	// A stale version: 409.
	rec = pc.post(path, url.Values{"version": {"7"}, "end_on": {"2025-06-30"}})
	practicesTestWant(t, rec, http.StatusConflict, "Het is niet beëindigd")

	rec = pc.post(path, url.Values{"version": {"1"}, "end_on": {"2025-06-30"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("end: %d %.500s", rec.Code, rec.Body.String())
	}
	m, err := f.db.MembershipByID(ctx, f.membership.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.To != mtvp.MustDate("2025-06-30") {
		t.Errorf("to = %v", m.To)
	}
	body := practicesTestWant(t, pc.get("/regio/{region}/praktijken/{practice}"), http.StatusOK, "Het dienstverband is beëindigd.")
	if strings.Contains(body, "Anna de Vries") {
		t.Error("an ended membership is listed as current")
	}
	practicesTestWant(t, pc.get("/regio/{region}/praktijken/{practice}?beeindigd=1"), http.StatusOK, "Anna de Vries", "30-06-2025", "beëindigd")
}

func TestStaffMembershipOfOtherPractice(t *testing.T) {
	f := newFixture(t)
	admin := practicesTestLogin(f, adminA)
	p2 := practiceURL(f.regionA, f.p2.ID)
	// P1's membership under P2's address is not found, for every action.
	if rec := admin.get(p2 + "/medewerkers/{membership}/bewerken"); rec.Code != http.StatusNotFound {
		t.Errorf("edit page: %d", rec.Code)
	}
	if rec := admin.post(p2+"/medewerkers/{membership}/beeindigen", url.Values{"version": {"1"}}); rec.Code != http.StatusNotFound {
		t.Errorf("end: %d", rec.Code)
	}
	if rec := admin.get("/regio/{region}/praktijken/{practice}/medewerkers/999999/bewerken"); rec.Code != http.StatusNotFound {
		t.Errorf("unknown membership: %d", rec.Code)
	}
	// Region B's admin cannot reach region A's practice through region B.
	if rec := practicesTestLogin(f, adminB).get(fmt.Sprintf("/regio/%s/praktijken/%d", f.regionB.Code, f.p1.ID)); rec.Code != http.StatusNotFound {
		t.Errorf("practice through another region: %d", rec.Code)
	}
}

func TestPracticeListSearchFilterSort(t *testing.T) {
	f := newFixture(t)
	admin := practicesTestLogin(f, adminA)
	list := func(c *practicesTestClient, query string) string {
		t.Helper()
		return practicesTestWant(t, c.get("/regio/{region}/praktijken"+query), http.StatusOK)
	}
	has := func(body string, want, notWant []string) {
		t.Helper()
		for _, s := range want {
			if !strings.Contains(body, s) {
				t.Errorf("missing %q", s)
			}
		}
		for _, s := range notWant {
			if strings.Contains(body, s) {
				t.Errorf("unexpected %q", s)
			}
		}
	}
	one, two, three := f.p1.Name, f.p2.Name, f.p3.Name
	has(list(admin, ""), []string{one, two, "Nieuwe praktijk", "2 praktijken"}, []string{three})
	has(list(admin, "?q=twee"), []string{two, "1 van 2 praktijken gevonden"}, []string{">" + one + "<"})
	has(list(admin, "?q=01000001"), []string{one}, []string{">" + two + "<"})
	has(list(admin, "?q=meerssen"), []string{two}, []string{">" + one + "<"})
	has(list(admin, "?instroom=2024-Q3"), []string{two}, []string{">" + one + "<"})
	has(list(admin, fmt.Sprintf("?consulent=%d", f.users[consultantA].ID)), []string{one}, []string{">" + two + "<"})
	has(list(admin, "?status=gestopt"), []string{"Geen praktijken gevonden"}, []string{">" + one + "<", ">" + two + "<"})

	// Sorting by patients, largest first: P2 (4.100) before P1 (2.500).
	body := list(admin, "?sorteer=patienten&volgorde=af")
	if strings.Index(body, ">"+two+"<") > strings.Index(body, ">"+one+"<") {
		t.Error("not sorted by patients descending")
	}
	if !strings.Contains(body, `aria-sort="descending"`) {
		t.Error("sorted column lacks aria-sort")
	}
	body = list(admin, "?sorteer=patienten")
	if strings.Index(body, ">"+one+"<") > strings.Index(body, ">"+two+"<") {
		t.Error("not sorted by patients ascending")
	}

	// A consultant sees only their own practices, whatever the filter says.
	has(list(practicesTestLogin(f, consultantA), fmt.Sprintf("?consulent=%d", f.users[consultantA2].ID)), []string{one}, []string{">" + two + "<", "Nieuwe praktijk"})
	has(list(practicesTestLogin(f, consultantA2), ""), []string{"0 praktijken"}, []string{">" + one + "<", ">" + two + "<"})
}

func TestPracticeListFragment(t *testing.T) {
	f := newFixture(t)
	admin := practicesTestLogin(f, adminA)
	rec := admin.req(http.MethodGet, "/regio/{region}/praktijken?q=twee&sorteer=fte", nil,
		map[string]string{"HX-Request": "true", "HX-Target": "practice-results"})
	body := practicesTestWant(t, rec, http.StatusOK, f.p2.Name, `hx-swap-oob="true"`, `name="sorteer" value="fte"`)
	if !strings.HasPrefix(strings.TrimSpace(body), `<div id="practice-results">`) {
		t.Errorf("fragment starts with %.80q", body)
	}
	if strings.Contains(body, "<html") || strings.Contains(body, "site-header") || strings.Contains(body, ">"+f.p1.Name+"<") {
		t.Error("fragment holds more than the results")
	}
	// Without htmx the same address is a whole page with the form.
	body = practicesTestWant(t, admin.get("/regio/{region}/praktijken?q=twee"), http.StatusOK, "<html", `hx-get=`, `value="twee"`)
	_ = body
}

func TestRegionHomeFigures(t *testing.T) {
	f := newFixture(t)
	// The region's figures are for the RHO staff; practices and
	// facilitators land on their own work instead (issue 10).
	for _, w := range []who{adminA, consultantA} {
		practicesTestWant(t, practicesTestLogin(f, w).get("/regio/{region}"), http.StatusOK, f.regionA.Name, "CZ", "2024-Q2", "2024-Q3", "6.600", "Praktijkhouder")
	}
	for _, w := range []who{facilitatorA, practiceP1} {
		body := practicesTestWant(t, practicesTestLogin(f, w).get("/regio/{region}"), http.StatusOK, f.regionA.Name)
		if strings.Contains(body, "De regio in cijfers") || strings.Contains(body, "2024-Q2") {
			t.Errorf("%s sees the region's figures", w)
		}
		for _, secret := range []string{f.p2.Name, f.p1.AGB} {
			if strings.Contains(body, secret) {
				t.Errorf("%s sees %q on the region page", w, secret)
			}
		}
	}
	// Funders see only suppressed figures (issue 7): the region page, with
	// counts under 5, sends them to their accountability page.
	rec := f.do(funderA, http.MethodGet, "/regio/{region}", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/regio/regio-a/verantwoording" {
		t.Errorf("funder on the region page: %d → %q", rec.Code, rec.Header().Get("Location"))
	}
}
