package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/app"
	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestIntervisionSignUpAndAttendance: a practice finds a group with room
// on the "where is still room" overview and signs its GP up; the group's
// facilitator schedules a meeting and records attendance; the pages are
// checked with axe-core.
func TestIntervisionSignUpAndAttendance(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	sys := mtvp.SystemActor
	w := newWorld(t, a, func(r *mtvp.Region) { r.Insurers = nil })
	must := w.must
	reg := w.Region
	p1 := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht"})
	p2 := w.practice(mtvp.Practice{AGB: "01061235", Name: "Praktijk Gulpen", City: "Gulpen"})
	gp := func(p mtvp.Practice, name string) mtvp.Person {
		person := mtvp.Person{Name: name}
		must(a.DB.AddStaff(ctx, sys, p.ID, &person, &mtvp.Membership{Role: mtvp.RolePraktijkhouder, FTE: 1, From: mtvp.MustDate("2020-01-01")}))
		return person
	}
	gp(p1, "Anna de Vries")
	piet := gp(p2, "Piet Peters")
	practice := w.user("linde@example.nl", "Praktijk De Linde", mtvp.AccountPractice, p1.ID)
	ekc := w.user("ekc@example.nl", "Els Kessels", mtvp.AccountFacilitator, 0)
	today := mtvp.DateOf(clock.Now())
	full := mtvp.Group{RegionID: reg.ID, Year: today.Year(), Name: "Groep Vol", FacilitatorID: ekc.ID, Place: "Gulpen", Weekday: 2, Capacity: 1}
	room := mtvp.Group{RegionID: reg.ID, Year: today.Year(), Name: "Groep Heuvelland", FacilitatorID: ekc.ID, Place: "Valkenburg", Weekday: 4, Times: "19:00–21:30", Capacity: 6}
	must(a.DB.CreateGroup(ctx, sys, &full))
	must(a.DB.CreateGroup(ctx, sys, &room))
	_, err := a.DB.SignUp(ctx, sys, full.ID, p2.ID, piet.ID, today)
	must(err)
	_, err = a.DB.SignUp(ctx, sys, room.ID, p2.ID, piet.ID, today)
	must(err)

	base := a.URL() + "/regio/zio/intervisie"

	// The practice: only groups with room, then sign Anna up.
	b := browser(t)
	loginPassword(t, b, a.URL(), practice.Email, testPassword)
	run(t, b, "where is room",
		chromedp.Navigate(fmt.Sprintf("%s?jaar=%d&vrij=1", base, today.Year())),
		chromedp.WaitVisible(`//a[contains(., "Groep Heuvelland")]`),
	)
	if strings.Contains(text(t, b, "main"), "Groep Vol") {
		t.Error("a full group is listed under 'only groups with room'")
	}
	checkA11y(t, b, "intervision overview")
	run(t, b, "open group",
		chromedp.Click(`//a[contains(., "Groep Heuvelland")]`),
		chromedp.WaitVisible(`#f-person`),
	)
	if page := text(t, b, "main"); strings.Contains(page, "Piet Peters") || !strings.Contains(page, "1 leden") {
		t.Errorf("group page shows another practice's member or lacks the count: %q", page)
	}
	checkA11y(t, b, "group page (practice)")
	run(t, b, "sign up",
		chromedp.SetValue(`#f-person`, fmt.Sprint(mustPersonID(t, a, p1.ID, "Anna de Vries"))),
		chromedp.Submit(`#f-person`),
		chromedp.WaitVisible(`//table//*[contains(text(), "Anna de Vries")]`),
	)
	// The full group: Anna goes on the waiting list, from the practice page.
	run(t, b, "practice intervision page",
		chromedp.Navigate(fmt.Sprintf("%s/regio/zio/praktijken/%d/intervisie", a.URL(), p1.ID)),
		chromedp.WaitVisible(`#f-group`),
		chromedp.SetValue(`#f-group`, fmt.Sprint(full.ID)),
		chromedp.SetValue(`#f-person`, fmt.Sprint(mustPersonID(t, a, p1.ID, "Anna de Vries"))),
		chromedp.Submit(`#f-person`),
		chromedp.WaitVisible(`//td[contains(., "wachtlijst, plaats 1")]`),
	)
	checkA11y(t, b, "practice intervision page")

	// The facilitator: schedule today's meeting and record attendance.
	f := browser(t)
	loginPassword(t, f, a.URL(), ekc.Email, testPassword)
	run(t, f, "new meeting",
		chromedp.Navigate(fmt.Sprintf("%s/%d/bijeenkomsten/nieuw", base, room.ID)),
		chromedp.WaitVisible(`#f-date`),
		chromedp.SetValue(`#f-date`, today.String()),
		chromedp.SetValue(`#f-theme`, "Regie op veelgebruikers"),
		chromedp.Submit(`#f-date`),
		chromedp.WaitVisible(`//legend[contains(., "Aanwezigheid")]`),
	)
	checkA11y(t, f, "meeting and attendance form")
	// The shortcuts: everyone present in one submit, then one click turns
	// a person's status (a radio group per person).
	meetingURL, err := chromedp.Run(f, chromedp.Evaluate[string](`location.href`))
	if err != nil {
		t.Fatal(err)
	}
	run(t, f, "everyone present",
		chromedp.Click(`#all-present`),
		chromedp.WaitNotPresent(`#all-present`),
		chromedp.WaitVisible(`#aanwezigheid`),
		chromedp.Navigate(meetingURL),
		chromedp.WaitVisible(`#all-present`),
	)
	ids, err := chromedp.Run(f, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('fieldset.att-row')).map(s => s.id)`))
	if err != nil || len(ids) != 2 {
		t.Fatalf("attendance rows %v %v", ids, err)
	}
	present, err := chromedp.Run(f, chromedp.Evaluate[int](`document.querySelectorAll('fieldset.att-row input[value="aanwezig"]:checked').length`))
	if err != nil || present != 2 {
		t.Fatalf("after 'Iedereen aanwezig' %d present (%v), want 2", present, err)
	}
	run(t, f, "record attendance",
		chromedp.Click("#"+ids[1]+` input[value="afgemeld"]`),
		chromedp.Click(`//form[contains(@class, "attendance-form")]//button[not(@name)]`),
		// Both pages have #aanwezigheid: wait until the form page is gone.
		chromedp.WaitNotPresent(`#all-present`),
		chromedp.WaitVisible(`#aanwezigheid`),
	)
	grid := text(t, f, "main")
	for _, want := range []string{"Anna de Vries", "Piet Peters", "aanwezig", "afgemeld", "Presentielijst (Excel)"} {
		if !strings.Contains(grid, want) {
			t.Errorf("group page after attendance lacks %q", want)
		}
	}
	checkA11y(t, f, "group page (facilitator)")
	for _, pg := range []struct{ name, path, wait string }{
		{"year documents", fmt.Sprintf("%s/%d/jaarstukken", base, room.ID), "#f-year-plan"},
	} {
		run(t, f, pg.name, chromedp.Navigate(pg.path), chromedp.WaitVisible(pg.wait))
		checkA11y(t, f, pg.name)
	}
	// The region admin: the group form, a move with a reason.
	admin := w.user("manager@zio.nl", "Marieke Janssen", mtvp.AccountRegionAdmin, 0)
	m := browser(t)
	loginWithTOTP(t, m, a.URL(), admin.Email, testPassword)
	run(t, m, "new group with errors",
		chromedp.Navigate(fmt.Sprintf("%s/nieuw?jaar=%d", base, today.Year())),
		chromedp.WaitVisible(`#f-name`),
		chromedp.SetValue(`#f-capacity`, "40"),
		chromedp.Submit(`#f-name`),
		chromedp.WaitVisible(`#f-capacity-error`),
	)
	if page := text(t, m, "main"); !strings.Contains(page, "Een groep heeft 1 tot 30 plaatsen") || !strings.Contains(page, "Kies een dag") {
		t.Errorf("group form errors missing: %q", page)
	}
	checkA11y(t, m, "group form with errors")
	run(t, m, "create group",
		chromedp.SendKeys(`#f-name`, "Groep Mergelland"),
		chromedp.SetValue(`#f-facilitator`, fmt.Sprint(ekc.ID)),
		chromedp.SendKeys(`#f-place`, "Meerssen"),
		chromedp.SetValue(`#f-weekday`, "1"),
		chromedp.SetValue(`#f-capacity`, "8"),
		chromedp.Submit(`#f-name`),
		chromedp.WaitVisible(`//h1[contains(., "Groep Mergelland")]`),
	)
	run(t, m, "open group with members",
		chromedp.Navigate(fmt.Sprintf("%s/%d", base, room.ID)),
		chromedp.WaitVisible(`//summary[contains(., "Verplaatsen")]`),
	)
	checkA11y(t, m, "group page (region admin)")

	facts, err := a.DB.IntervisionFacts(ctx, reg.ID, today.Year())
	must(err)
	anna := mustPersonID(t, a, p1.ID, "Anna de Vries")
	if !mtvp.TookPartInIntervision(facts, anna, today.Year(), today) {
		t.Error("Anna's attendance does not count for the norm")
	}
}

func mustPersonID(t *testing.T, a *app.App, practiceID int64, name string) int64 {
	t.Helper()
	staff, err := a.DB.Staff(context.Background(), practiceID, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range staff {
		if s.Person.Name == name {
			return s.PersonID
		}
	}
	t.Fatalf("%s not at practice %d", name, practiceID)
	return 0
}
