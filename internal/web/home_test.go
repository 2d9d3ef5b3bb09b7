package web

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// homeWorld gives region A's P1 (consultant A's practice) one pending
// claim, a plan shared for discussion this year and a planned visit (past
// when the year allows, so overdue; else today, so due). P2 has no
// consultant and nothing.
func homeWorld(t *testing.T, f *fixture) (plan mtvp.Plan) {
	t.Helper()
	ctx := context.Background()
	sys := mtvp.SystemActor
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	today := mtvp.DateOf(clock.Now())
	if today.Year() != f.year { // the fixture's regioplan is for f.year
		rp := mtvp.Regioplan{RegionID: f.regionA.ID, Year: today.Year()}
		must(f.db.SaveRegioplan(ctx, sys, &rp))
	}
	c := mtvp.Claim{PracticeID: f.p1.ID, PersonID: f.person.ID, Title: "Positieve gezondheid", CompletedOn: mtvp.MustDate("2023-05-01"), Theme: mtvp.ThemePositiveHealth}
	must(f.db.SubmitClaim(ctx, sys, &c, &store.Evidence{Name: "certificaat.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}))
	content := mtvp.PlanContent{Ambition: "Meer tijd voor het goede gesprek"}
	p, err := f.db.SavePlan(ctx, sys, f.p1.ID, today.Year(), 0, &content)
	must(err)
	p, err = f.db.PlanStep(ctx, sys, p.ID, p.Version, mtvp.StepShare)
	must(err)
	on := today.AddDays(-1)
	if on.Year() != today.Year() {
		on = today
	}
	v := mtvp.Visit{PracticeID: f.p1.ID, Year: today.Year(), PlannedOn: on}
	must(f.db.CreateVisit(ctx, sys, &v))
	return p
}

// byID returns the text of the element with id in body ("" if absent).
func byID(body, id string) string {
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.TrimSpace(m[1])
}

// TestHomeCounts: each role's home page and the consultant's menu count
// what waits, and the counts follow the work (a comment takes the plan
// out of the consultant's inbox).
func TestHomeCounts(t *testing.T) {
	f := newFixture(t)
	plan := homeWorld(t, f)
	today := mtvp.DateOf(clock.Now())

	// Everyone lands on the region's home page (funders on theirs).
	for w, want := range map[who]string{adminA: "/regio/regio-a", consultantA: "/regio/regio-a", practiceP1: "/regio/regio-a",
		facilitatorA: "/regio/regio-a", funderA: "/regio/regio-a/verantwoording", platform: "/regios"} {
		if got := f.do(w, http.MethodGet, "/", nil).Header().Get("Location"); got != want {
			t.Errorf("%s lands on %q, want %q", w, got, want)
		}
	}

	// Programme manager: the region's standing and waiting work.
	body := f.do(adminA, http.MethodGet, "/regio/{region}", nil).Body.String()
	overdue := "1" // P1's visit is planned before today …
	if on := today.AddDays(-1); on.Year() != today.Year() {
		overdue = "0" // … except on January 1
	}
	if mtvp.DaysLeft(today.Year(), today) < f.regionA.Settings.AtRiskDays {
		overdue = map[string]string{"1": "2", "0": "1"}[overdue] // P2 has no visit planned late in the year
	}
	for id, want := range map[string]string{"home-compliant": "0/2", "home-not-compliant": "2", "home-claims": "1",
		"home-plans-discussion": "1", "home-plans-missing": "1", "home-visits-overdue": overdue} {
		if got := byID(body, id); got != want {
			t.Errorf("manager %s = %q, want %q", id, got, want)
		}
	}
	if !strings.Contains(body, `id="trend-table"`) || !strings.Contains(body, `role="img"`) {
		t.Error("manager home lacks the compliance trend (chart and table)")
	}
	if strings.Contains(body, `id="setup"`) {
		t.Error("an established region shows the first steps")
	}

	// Consultant: the inbox and the menu's counts.
	rec := f.do(consultantA, http.MethodGet, "/regio/{region}", nil)
	body = rec.Body.String()
	for _, want := range []string{"Aanvragen om te beoordelen (1)", "Anna de Vries — Positieve gezondheid", "Plannen om op te reageren (1)",
		"Jaarbezoeken die nu aandacht vragen (1)", "Praktijk Een"} {
		if !strings.Contains(body, want) {
			t.Errorf("consultant inbox lacks %q", want)
		}
	}
	nav := body[strings.Index(body, `class="site-nav"`):strings.Index(body, "</nav>")]
	if n := strings.Count(nav, `class="nav-badge">1<`); n != 3 {
		t.Errorf("consultant menu shows %d badges of 1, want 3 (claims, plans, visits): %s", n, nav)
	}
	// Another consultant has nothing waiting, and no badges.
	if body := f.do(consultantA2, http.MethodGet, "/regio/{region}/praktijken", nil).Body.String(); strings.Contains(body, "nav-badge") {
		t.Error("a consultant without work sees badges")
	}
	// A comment on the shared version takes the plan out of the inbox.
	c := mtvp.PlanComment{PlanID: plan.ID, Section: mtvp.PlanSectionAmbition, Body: "Mooi plan", AuthorRole: mtvp.AccountConsultant}
	if err := f.db.AddPlanComment(context.Background(), mtvp.Actor{UserID: f.users[consultantA].ID, Name: "Consulent"}, &c); err != nil {
		t.Fatal(err)
	}
	body = f.do(consultantA, http.MethodGet, "/regio/{region}", nil).Body.String()
	if !strings.Contains(body, "Plannen om op te reageren (0)") {
		t.Error("a commented plan stays in the inbox")
	}

	// Practice: its standing, plan and sign-ups; no region figures.
	body = f.do(practiceP1, http.MethodGet, "/regio/{region}", nil).Body.String()
	for _, want := range []string{"Praktijk Een", "nog niet aan alle normen", "Wat nu te doen", "Het plan is in bespreking met het team.",
		"Intervisie: 0 met een plaats, 0 op de wachtlijst"} {
		if !strings.Contains(body, want) {
			t.Errorf("practice home lacks %q", want)
		}
	}
	if strings.Contains(body, "De regio in cijfers") || strings.Contains(body, "Praktijk Twee") {
		t.Error("the practice sees region figures or another practice")
	}

	// Facilitator: their groups, not the region's figures.
	body = f.do(facilitatorA, http.MethodGet, "/regio/{region}", nil).Body.String()
	if !strings.Contains(body, "Uw intervisiegroepen in") || strings.Contains(body, "De regio in cijfers") {
		t.Error("facilitator home: want their groups and no region figures")
	}
	if !strings.Contains(body, "Bijeenkomsten om af te ronden (0)") {
		t.Error("facilitator home: want an empty list of meetings to complete")
	}
	// Last year's group: one meeting without attendance, one with
	// attendance but not in GAIA; both are the facilitator's work until
	// done (December's lists go to GAIA in January).
	ctx, sys := context.Background(), mtvp.SystemActor
	must := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	last := today.Year() - 1
	g := mtvp.Group{RegionID: f.regionA.ID, Year: last, Name: "Heuvelland", FacilitatorID: f.users[facilitatorA].ID, Place: "Gulpen", Weekday: 2, Capacity: 8}
	must(t, f.db.CreateGroup(ctx, sys, &g))
	res, err := f.db.SignUp(ctx, sys, g.ID, f.p1.ID, f.person.ID, mtvp.NewDate(last, time.January, 10))
	must(t, err)
	nov, dec := mtvp.Meeting{GroupID: g.ID, Date: mtvp.NewDate(last, time.November, 10), Start: "19:00", End: "21:30"},
		mtvp.Meeting{GroupID: g.ID, Date: mtvp.NewDate(last, time.December, 15), Start: "19:00", End: "21:30"}
	must(t, f.db.CreateMeeting(ctx, sys, &nov))
	must(t, f.db.CreateMeeting(ctx, sys, &dec))
	must(t, f.db.SetAttendance(ctx, sys, nov.ID, map[int64]mtvp.AttendanceStatus{res.Member.ID: mtvp.AttendPresent}))
	body = f.do(facilitatorA, http.MethodGet, "/regio/{region}", nil).Body.String()
	for _, want := range []string{"Bijeenkomsten om af te ronden (2)", "nog niet in GAIA gezet", "aanwezigheid nog niet vastgelegd",
		"/bijeenkomsten/" + strconv.FormatInt(dec.ID, 10) + "#aanwezigheid"} {
		if !strings.Contains(body, want) {
			t.Errorf("facilitator home lacks %q", want)
		}
	}
	nov.GAIASubmitted = mtvp.NewDate(last, time.November, 20)
	must(t, f.db.UpdateMeeting(ctx, sys, &nov))
	body = f.do(facilitatorA, http.MethodGet, "/regio/{region}", nil).Body.String()
	if !strings.Contains(body, "Bijeenkomsten om af te ronden (1)") || strings.Contains(body, "nog niet in GAIA gezet") {
		t.Error("a meeting submitted to GAIA is still listed")
	}
	// Another facilitator's or the manager's home does not list them.
	if body := f.do(adminA, http.MethodGet, "/regio/{region}", nil).Body.String(); strings.Contains(body, "Bijeenkomsten om af te ronden") {
		t.Error("the manager sees the facilitator's list")
	}
}

// TestHomeNewRegion: a new region's manager gets the first steps, ticked as
// they are done.
func TestHomeNewRegion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	reg := mtvp.Region{Code: "nieuw", Name: "Nieuwe regio", Settings: mtvp.DefaultNormSettings()}
	if err := f.db.CreateRegion(ctx, mtvp.SystemActor, &reg); err != nil {
		t.Fatal(err)
	}
	u := mtvp.User{Email: "pm@nieuw.nl", Name: "PM Nieuw", Grants: []mtvp.Grant{{Role: mtvp.AccountRegionAdmin, RegionID: reg.ID}}}
	if err := f.db.CreateUser(ctx, mtvp.SystemActor, &u, ""); err != nil {
		t.Fatal(err)
	}
	f.users["pm nieuw"] = &u
	done := func() int {
		t.Helper()
		body := f.do("pm nieuw", http.MethodGet, "/regio/nieuw", nil).Body.String()
		if !strings.Contains(body, `id="setup"`) {
			t.Fatal("no first steps on a new region")
		}
		for _, link := range []string{"/regio/nieuw/regioplan", "/regio/nieuw/instellingen", "/regio/nieuw/import", "/regio/nieuw/accounts"} {
			if !strings.Contains(body, `href="`+link+`"`) {
				t.Errorf("first steps lack %s", link)
			}
		}
		return strings.Count(body, "checklist__step--done")
	}
	if n := done(); n != 0 {
		t.Errorf("%d steps done in a new region", n)
	}
	p := mtvp.Practice{RegionID: reg.ID, AGB: "09000001", Name: "Eerste praktijk", Status: mtvp.PracticeInterested}
	if err := f.db.CreatePractice(ctx, mtvp.SystemActor, &p); err != nil {
		t.Fatal(err)
	}
	if n := done(); n != 1 {
		t.Errorf("%d steps done after adding a practice, want 1", n)
	}
}
