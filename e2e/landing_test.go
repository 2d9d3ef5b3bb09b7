package e2e

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestMenuButtonOnPhone: at 390 px the main menu folds behind one button
// (one row instead of five); the button opens and closes it, says so with
// aria-expanded, and the page stays axe clean open and closed.
func TestMenuButtonOnPhone(t *testing.T) {
	a := startApp(t, false)
	w := newWorld(t, a)
	p := w.practice(mtvp.Practice{AGB: "01012345", Name: "Huisartsenpraktijk De Linde", RegisteredPatients: 2400})
	u := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, p.ID)
	base := a.URL()
	b := browser(t)
	run(t, b, "phone", chromedp.EmulateViewport(390, 844))
	loginPassword(t, b, base, u.Email, testPassword)
	run(t, b, "region page", chromedp.Navigate(base+"/regio/zio"), chromedp.WaitVisible(`.site-nav__toggle`))
	visible := func(sel string) bool {
		t.Helper()
		v, err := chromedp.Run(b, chromedp.Evaluate[bool](`(() => { const e = document.querySelector('`+sel+`'); return !!e && e.offsetParent !== null })()`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	expanded := func() string {
		t.Helper()
		v, err := chromedp.Run(b, chromedp.AttributeValue(`.site-nav__toggle`, "aria-expanded"))
		if err != nil {
			t.Fatal(err)
		}
		return v.Value
	}
	if visible(`.site-nav__list`) || expanded() != "false" {
		t.Fatalf("menu open on a phone before the button is pressed (expanded %q)", expanded())
	}
	checkA11y(t, b, "phone, menu closed")
	run(t, b, "open menu", chromedp.Click(`.site-nav__toggle`), chromedp.WaitVisible(`.site-nav__list`))
	if expanded() != "true" {
		t.Errorf("aria-expanded %q after opening", expanded())
	}
	if nav := text(t, b, `.site-nav__list`); !strings.Contains(nav, "Intervisie") || !strings.Contains(nav, p.Name) {
		t.Errorf("open menu lacks links: %q", nav)
	}
	checkA11y(t, b, "phone, menu open")
	run(t, b, "close menu", chromedp.Click(`.site-nav__toggle`), chromedp.WaitNotVisible(`.site-nav__list`))

	// On a wide screen there is no button: the links show in one bar.
	run(t, b, "desktop", chromedp.EmulateViewport(1400, 900), chromedp.Reload(), chromedp.WaitVisible(`.site-nav__list`))
	if visible(`.site-nav__toggle`) {
		t.Error("menu button shown on a wide screen")
	}
}

// TestLandingPerRole: each role signs in and lands on its work — the
// programme manager on the region's standing, waiting work and trend; the
// consultant on an inbox with counts in the menu; the practice on its
// standing, plan and sign-ups; the facilitator on their groups and next
// meeting — with the counts the data gives, axe clean.
func TestLandingPerRole(t *testing.T) {
	a := startApp(t, false)
	w := newWorld(t, a)
	ctx, sys := w.ctx, mtvp.SystemActor
	today := mtvp.DateOf(clock.Now())
	consultant := w.user("consulent@zio.nl", "Ellen Hameleers", mtvp.AccountConsultant, 0)
	linde := w.practice(mtvp.Practice{AGB: "01012345", Name: "Huisartsenpraktijk De Linde", RegisteredPatients: 2400, ConsultantID: consultant.ID})
	w.practice(mtvp.Practice{AGB: "01012346", Name: "Huisartsen Oost", RegisteredPatients: 3100})
	gp := mtvp.Person{Name: "Anna de Vries", BIG: "12345678901"}
	m := mtvp.Membership{Role: mtvp.RolePraktijkhouder, FTE: 0.8, From: mtvp.MustDate("2020-01-01")}
	w.must(a.DB.AddStaff(ctx, sys, linde.ID, &gp, &m))
	claim := mtvp.Claim{PracticeID: linde.ID, PersonID: gp.ID, Title: "Positieve gezondheid", CompletedOn: mtvp.MustDate("2023-05-01"), Theme: mtvp.ThemePositiveHealth}
	w.must(a.DB.SubmitClaim(ctx, sys, &claim, &store.Evidence{Name: "certificaat.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}))
	content := mtvp.PlanContent{Ambition: "Meer tijd voor het goede gesprek"}
	plan, err := a.DB.SavePlan(ctx, sys, linde.ID, today.Year(), 0, &content)
	w.must(err)
	_, err = a.DB.PlanStep(ctx, sys, plan.ID, plan.Version, mtvp.StepShare)
	w.must(err)
	fac := w.user("ekc@zio.nl", "Ruud Ramakers", mtvp.AccountFacilitator, 0)
	group := mtvp.Group{RegionID: w.Region.ID, Year: today.Year(), Name: "Intervisiegroep Gulpen", FacilitatorID: fac.ID, Place: "Gulpen", Weekday: 2, Times: "19:00–21:30", Capacity: 8}
	w.must(a.DB.CreateGroup(ctx, sys, &group))
	meeting := mtvp.Meeting{GroupID: group.ID, Date: today, Start: "19:00", End: "21:30", Theme: "Regie op veelgebruikers"}
	w.must(a.DB.CreateMeeting(ctx, sys, &meeting))
	_, err = a.DB.SignUp(ctx, sys, group.ID, linde.ID, gp.ID, today)
	w.must(err)
	admin := w.user("manager@zio.nl", "Marieke Janssen", mtvp.AccountRegionAdmin, 0)
	practice := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, linde.ID)
	base := a.URL()

	b := browser(t)
	loginWithTOTP(t, b, base, admin.Email, testPassword)
	run(t, b, "manager home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#manager`))
	for id, want := range map[string]string{"#home-compliant": "0/2", "#home-not-compliant": "2", "#home-claims": "1", "#home-plans-discussion": "1", "#home-plans-missing": "1"} {
		if got := strings.TrimSpace(text(t, b, id)); got != want {
			t.Errorf("manager %s = %q, want %q", id, got, want)
		}
	}
	if rows := len(strings.Split(strings.TrimSpace(text(t, b, `#trend-table tbody`)), "\n")); rows != len(mtvp.TrendDates(today.Year(), today)) {
		t.Errorf("trend table has %d rows, want one per month end and today (%d)", rows, len(mtvp.TrendDates(today.Year(), today)))
	}
	if s := text(t, b, `#trend-summary`); !strings.Contains(s, "0 van 2") || !strings.Contains(s, "100%") {
		t.Errorf("trend summary %q", s)
	}
	checkA11y(t, b, "manager home")
	normShot(t, b, "landing-manager")

	c := browser(t)
	loginWithTOTP(t, c, base, consultant.Email, testPassword)
	run(t, c, "consultant home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#inbox`))
	inbox := text(t, c, `#inbox`)
	for _, want := range []string{"Aanvragen om te beoordelen (1)", "Anna de Vries — Positieve gezondheid", "Plannen om op te reageren (1)", linde.Name} {
		if !strings.Contains(inbox, want) {
			t.Errorf("consultant inbox lacks %q", want)
		}
	}
	if strings.Contains(inbox, "Huisartsen Oost") {
		t.Error("the inbox shows a practice of another consultant")
	}
	badges, err := chromedp.Run(c, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.site-nav .nav-badge')].map(e => e.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	if len(badges) < 2 || !strings.HasPrefix(badges[len(badges)-2], "1") || !strings.HasPrefix(badges[len(badges)-1], "1") {
		t.Errorf("menu badges %q: want plans 1 and claims 1", badges)
	}
	checkA11y(t, c, "consultant home")
	normShot(t, c, "landing-consultant")

	p := browser(t)
	loginPassword(t, p, base, practice.Email, testPassword)
	run(t, p, "practice home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#practice-`+strconv.FormatInt(linde.ID, 10)))
	sec := text(t, p, `#practice-`+strconv.FormatInt(linde.ID, 10))
	for _, want := range []string{"nog niet aan alle normen", "Wat nu te doen", "Het plan is in bespreking met het team.", "Intervisie: 1 met een plaats, 0 op de wachtlijst"} {
		if !strings.Contains(sec, want) {
			t.Errorf("practice home lacks %q", want)
		}
	}
	if strings.Contains(text(t, p, `main`), "De regio in cijfers") {
		t.Error("the practice lands on region figures")
	}
	checkA11y(t, p, "practice home")

	f := browser(t)
	loginPassword(t, f, base, fac.Email, testPassword)
	run(t, f, "facilitator home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#facilitator`))
	fs := text(t, f, `#facilitator`)
	for _, want := range []string{group.Name, "1 / 8", "Regie op veelgebruikers"} {
		if !strings.Contains(fs, want) {
			t.Errorf("facilitator home lacks %q: %s", want, fs)
		}
	}
	if strings.Contains(text(t, f, `main`), "De regio in cijfers") {
		t.Error("the facilitator lands on region figures")
	}
	checkA11y(t, f, "facilitator home")
	run(t, f, "phone", chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(`#facilitator`))
	checkA11y(t, f, "facilitator home on a phone")
}

// TestMenuGroups: the programme manager's menu folds training, results and
// administration into groups (details elements) so it stays one row at
// 1400 px; a group opens by click, closes by Escape, marks the section of
// the current page, and opens in place in the phone menu. Axe clean open.
func TestMenuGroups(t *testing.T) {
	a := startApp(t, false)
	w := newWorld(t, a)
	admin := w.user("manager@zio.nl", "Marlies Vaessen", mtvp.AccountRegionAdmin, 0)
	base := a.URL()
	b := browser(t)
	run(t, b, "wide", chromedp.EmulateViewport(1400, 900))
	loginWithTOTP(t, b, base, admin.Email, testPassword)
	run(t, b, "region page", chromedp.Navigate(base+"/regio/zio"), chromedp.WaitVisible(chromedp.CSS(`.site-nav__list`)))
	visible := func(sel string) bool {
		t.Helper()
		v, err := chromedp.Run(b, chromedp.Evaluate[bool](`(() => { const e = document.querySelector('`+sel+`'); return !!e && e.checkVisibility() })()`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	const accounts = `.site-nav__sub a[href="/regio/zio/accounts"]`
	rows, err := chromedp.Run(b, chromedp.Evaluate[int](`new Set([...document.querySelectorAll('.site-nav__list > li')].map(li => li.offsetTop)).size`))
	if err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Errorf("the programme manager's menu takes %d rows at 1400 px, want 1", rows)
	}
	if visible(accounts) {
		t.Fatal("administration links shown before the group is opened")
	}
	admGroup := `//nav//summary[starts-with(normalize-space(.), "Beheer")]`
	run(t, b, "open Beheer", chromedp.Click(admGroup))
	if !visible(accounts) {
		t.Fatal("Beheer opened, its links not shown")
	}
	checkA11y(t, b, "menu group open")
	// chromedp's WaitNotVisible reads the box model, which a closed details
	// element keeps for its content: ask the element instead.
	run(t, b, "Escape", chromedp.KeyEvent("\x1b"))
	if visible(accounts) {
		t.Error("Escape left the group open")
	}
	run(t, b, "open and follow", chromedp.Click(admGroup), chromedp.Click(chromedp.CSS(accounts)), chromedp.WaitVisible(chromedp.CSS(`details.site-nav__more[data-current]`)))
	if got := text(t, b, `details.site-nav__more[data-current] > summary`); !strings.Contains(got, "Beheer") {
		t.Errorf("current section marked on %q, want Beheer", got)
	}

	run(t, b, "phone", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/regio/zio"), chromedp.WaitVisible(chromedp.CSS(`.site-nav__toggle`)))
	run(t, b, "open menu and group", chromedp.Click(chromedp.CSS(`.site-nav__toggle`)), chromedp.WaitVisible(chromedp.CSS(`.site-nav__list`)),
		chromedp.Click(admGroup))
	if !visible(accounts) {
		t.Error("Beheer opened in the phone menu, its links not shown")
	}
	checkA11y(t, b, "phone menu group open")
}
