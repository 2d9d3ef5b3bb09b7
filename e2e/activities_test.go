package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestActivitySignUpNetworkMeeting: a practice signs one of its people up
// for a network meeting with one place left, then a second one who lands
// on the waiting list; cancelling the first moves the second up. The
// practice profile then counts the meeting and keeps a typed focus. The
// list, detail and profile pages pass axe-core.
func TestActivitySignUpNetworkMeeting(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	sys := mtvp.SystemActor
	w := newWorld(t, a)
	must := w.must
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400})
	var ids []int64
	for _, n := range []string{"Anna Smeets", "Bram Hendriks"} {
		pe := mtvp.Person{Name: n}
		m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2021-01-01")}
		must(a.DB.AddStaff(ctx, sys, p.ID, &pe, &m))
		ids = append(ids, pe.ID)
	}
	practice := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, p.ID)
	act := mtvp.Activity{RegionID: w.Region.ID, Kind: mtvp.KindNetwork, Title: "Netwerkavond sociaal domein",
		Date: mtvp.DateOf(clock.Now()).AddDays(14), StartTime: "19:00", EndTime: "21:00", Place: "Gulpen", Capacity: 1}
	must(a.DB.CreateActivity(ctx, sys, &act))

	base := a.URL()
	b := browser(t)
	loginPassword(t, b, base, practice.Email, testPassword)
	run(t, b, "activities",
		chromedp.Navigate(base+"/regio/zio/activiteiten?soort=netwerk"),
		chromedp.WaitVisible(`//a[contains(., "Netwerkavond sociaal domein")]`),
	)
	checkA11y(t, b, "activities list")
	run(t, b, "open activity",
		chromedp.Click(`//a[contains(., "Netwerkavond sociaal domein")]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-person`)),
	)
	checkA11y(t, b, "activity page")
	signUp := func(person int64, wait string) {
		run(t, b, "sign up",
			chromedp.SetValue(chromedp.CSS(`#f-person`), fmt.Sprintf("%d:%d", p.ID, person)),
			chromedp.Submit(chromedp.CSS(`#f-person`)),
			chromedp.WaitVisible(wait),
		)
	}
	signUp(ids[0], `//*[contains(., "De inschrijving is vastgelegd.")]`)
	if body := text(t, b, `main`); !strings.Contains(body, "Anna Smeets") || !strings.Contains(body, "Geplaatst") {
		t.Fatalf("after sign-up: %q", body)
	}
	signUp(ids[1], `//*[contains(., "de inschrijving staat op de wachtlijst")]`)
	if body := text(t, b, `main`); !strings.Contains(body, "Wachtlijst (1)") {
		t.Fatalf("waiting list not shown: %q", body)
	}
	checkA11y(t, b, "activity page with sign-ups")
	run(t, b, "cancel Anna",
		chromedp.Click(chromedp.CSS(`button[aria-label="Afmelden: Anna Smeets"]`)),
		chromedp.WaitVisible(`//*[contains(., "De inschrijving is afgemeld.")]`),
	)
	xs, err := a.DB.ActivitySignUps(ctx, act.ID, 0)
	must(err)
	status := map[string]mtvp.EnrolmentStatus{}
	for _, x := range xs {
		status[x.PersonName] = x.Status
	}
	if status["Bram Hendriks"] != mtvp.EnrolmentPlaced || status["Anna Smeets"] != mtvp.EnrolmentCancelled {
		t.Fatalf("after cancel: %v", status)
	}
	// The practice profile counts the meeting and keeps the focus.
	run(t, b, "profile",
		chromedp.Navigate(fmt.Sprintf("%s/regio/zio/praktijken/%d/profiel", base, p.ID)),
		chromedp.WaitVisible(chromedp.CSS(`#f-focus`)),
	)
	checkA11y(t, b, "practice profile")
	run(t, b, "save focus",
		chromedp.SetValue(chromedp.CSS(`#f-focus`), "Triage en het goede gesprek"),
		chromedp.Submit(chromedp.CSS(`#f-focus`)),
		chromedp.WaitVisible(`//*[contains(., "Het profiel is opgeslagen.")]`),
	)
	if body := text(t, b, `main`); !strings.Contains(body, "Netwerkbijeenkomst\n1") || !strings.Contains(body, "Versie 1") {
		t.Fatalf("profile: %q", body)
	}
	pt, err := a.DB.PracticeProfileText(ctx, p.ID)
	must(err)
	if pt.Focus != "Triage en het goede gesprek" {
		t.Fatalf("focus saved: %q", pt.Focus)
	}
}
