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

// TestActivityEditAndCancel: a consultant raises a full meeting's places
// (the waiting sign-up is placed), sees the other's change when a colleague
// saved first (409), then cancels the activity after the confirmation
// step. The edit form, the conflict and the confirmation pass axe-core at
// 1400 and 390 px.
func TestActivityEditAndCancel(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	sys := mtvp.SystemActor
	w := newWorld(t, a)
	must := w.must
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400})
	carla := w.user("carla@zio.nl", "Carla Consulent", mtvp.AccountConsultant, 0)
	act := mtvp.Activity{RegionID: w.Region.ID, Kind: mtvp.KindNetwork, Title: "Netwerkavond sociaal domein",
		Date: mtvp.DateOf(clock.Now()).AddDays(14), StartTime: "19:00", EndTime: "21:00", Place: "Gulpen", Capacity: 1}
	must(a.DB.CreateActivity(ctx, sys, &act))
	var xs []mtvp.ActivitySignUp
	for _, n := range []string{"Anna Smeets", "Bram Hendriks"} {
		pe := mtvp.Person{Name: n}
		m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2021-01-01")}
		must(a.DB.AddStaff(ctx, sys, p.ID, &pe, &m))
		x := mtvp.ActivitySignUp{ActivityID: act.ID, PersonID: pe.ID, PracticeID: p.ID}
		must(a.DB.SignUpForActivity(ctx, sys, &x))
		xs = append(xs, x)
	}
	base := a.URL()
	page := fmt.Sprintf("%s/regio/zio/activiteiten/%d", base, act.ID)
	b := browser(t)
	loginWithTOTP(t, b, base, carla.Email, testPassword)
	run(t, b, "edit form", chromedp.EmulateViewport(1400, 900), chromedp.Navigate(page),
		chromedp.Click(chromedp.CSS(`a[href$="/wijzigen"]`)), chromedp.WaitVisible(chromedp.CSS(`#f-capacity`)))
	normShot(t, b, "activity-edit-1400")
	checkA11y(t, b, "activity edit form")
	run(t, b, "raise capacity",
		chromedp.SetValue(chromedp.CSS(`#f-capacity`), "2"),
		chromedp.Submit(chromedp.CSS(`#f-capacity`)),
		chromedp.WaitVisible(`//*[contains(., "De activiteit is gewijzigd.")]`),
	)
	if x, err := a.DB.ActivitySignUpByID(ctx, xs[1].ID); err != nil || x.Status != mtvp.EnrolmentPlaced {
		t.Fatalf("Bram not placed: %+v %v", x, err)
	}
	// A colleague saves while Carla has the form open.
	run(t, b, "open again", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(page+"/wijzigen"), chromedp.WaitVisible(chromedp.CSS(`#f-place`)))
	cur, err := a.DB.ActivityByID(ctx, act.ID)
	must(err)
	cur.Place = "Sittard"
	must(a.DB.UpdateActivity(ctx, sys, &cur, nil))
	run(t, b, "stale save",
		chromedp.SetValue(chromedp.CSS(`#f-title`), "Netwerkavond zorg en welzijn"),
		chromedp.Submit(chromedp.CSS(`#f-title`)),
		chromedp.WaitVisible(`//*[contains(., "Iemand anders heeft deze activiteit intussen gewijzigd")]`),
	)
	if body := text(t, b, `main`); !strings.Contains(body, "Sittard") {
		t.Fatalf("conflict does not show the other's change: %q", body)
	}
	normShot(t, b, "activity-conflict-390")
	checkA11y(t, b, "activity conflict at 390 px")
	if got, _ := a.DB.ActivityByID(ctx, act.ID); got.Title != "Netwerkavond sociaal domein" {
		t.Fatalf("stale edit saved: %q", got.Title)
	}
	run(t, b, "cancel asks first", chromedp.EmulateViewport(1400, 900), chromedp.Navigate(page),
		chromedp.Click(chromedp.CSS(`form[action$="/schrappen"] button`)),
		chromedp.WaitVisible(`//h1[contains(., "Activiteit schrappen?")]`))
	normShot(t, b, "activity-cancel-confirm-1400")
	checkA11y(t, b, "activity cancel confirmation")
	run(t, b, "confirm",
		chromedp.Click(chromedp.CSS(`main form[action$="/schrappen"] button[type="submit"]`)),
		chromedp.WaitVisible(`//*[contains(., "De activiteit is geschrapt")]`),
	)
	if _, err := a.DB.ActivityByID(ctx, act.ID); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Fatalf("not cancelled: %v", err)
	}
}
