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

// TestPlanWrittenSharedFinalised: a practice writes its plan van aanpak
// (adding an action row without JavaScript's help), shares it with the
// team, records who agreed and makes it final; its consultant sees the
// region's plan overview change from "geen plan" to "definitief" and
// comments on the plan. Pages are checked with axe-core.
func TestPlanWrittenSharedFinalised(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	sys := mtvp.SystemActor
	year := clock.Now().Year()
	today := mtvp.DateOf(clock.Now()).String()
	w := newWorld(t, a)
	must := w.must
	reg := w.Region
	rp := mtvp.Regioplan{RegionID: reg.ID, Year: year, Interventions: []mtvp.Intervention{
		{Code: "A.1", Title: "Triagetraining", Element: mtvp.ElementA, Mandatory: true},
		{Code: "B.2", Title: "Samenwerking met het wijkteam", Element: mtvp.ElementB},
	}}
	must(a.DB.SaveRegioplan(ctx, sys, &rp))
	consultant := w.user("consulent@zio.nl", "Carla Consulent", mtvp.AccountConsultant, 0)
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400, ConsultantID: consultant.ID})
	anna := mtvp.Person{Name: "Anna Smeets"}
	must(a.DB.AddStaff(ctx, sys, p.ID, &anna, &mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2021-01-01")}))
	practice := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, p.ID)

	base := a.URL()
	overview := fmt.Sprintf("%s/regio/zio/plannen?jaar=%d", base, year)

	// The consultant sees no plan yet.
	c := browser(t)
	loginWithTOTP(t, c, base, consultant.Email, testPassword)
	run(t, c, "overview before",
		chromedp.Navigate(overview),
		chromedp.WaitVisible(`#plan-rows`),
	)
	if row := text(t, c, `#plan-rows tbody`); !strings.Contains(row, "De Linde") || !strings.Contains(row, "geen plan") {
		t.Fatalf("overview before: %q", row)
	}
	checkA11y(t, c, "plan overview")

	// The practice writes its plan.
	b := browser(t)
	loginPassword(t, b, base, practice.Email, testPassword)
	run(t, b, "practice page",
		chromedp.Navigate(fmt.Sprintf("%s/regio/zio/praktijken/%d", base, p.ID)),
		chromedp.WaitVisible(fmt.Sprintf(`//a[contains(., "Plan van aanpak %d")]`, year)),
		chromedp.Click(fmt.Sprintf(`//a[contains(., "Plan van aanpak %d")]`, year)),
		chromedp.WaitVisible(`//a[contains(., "Plan schrijven")]`),
	)
	checkA11y(t, b, "plan without versions")
	run(t, b, "open the form",
		chromedp.Click(`//a[contains(., "Plan schrijven")]`),
		chromedp.WaitVisible(`#f-ambition`),
		chromedp.SetValue(`#f-ambition`, "Meer tijd voor het goede gesprek met onze patiënten"),
		chromedp.SetValue(`#f-items-A-1-current`, "De telefoon loopt elke ochtend vol"),
		chromedp.SetValue(`#f-items-A-1-goal`, "Assistenten triëren zelfstandig"),
		chromedp.SetValue(`#f-items-A-1-actions-0-description`, "Triagetraining volgen"),
		chromedp.SetValue(`#f-items-A-1-actions-0-owner`, "Anna Smeets"),
		chromedp.Click(chromedp.CSS(`button[name="add_action"][value="A.1"]`)),
		chromedp.WaitVisible(`#f-items-A-1-actions-1-description`),
	)
	checkA11y(t, b, "plan form")
	run(t, b, "second action and save",
		chromedp.SetValue(`#f-items-A-1-actions-1-description`, "Evaluatie in het teamoverleg"),
		chromedp.SetValue(`#f-items-A-1-actions-1-end`, fmt.Sprintf("%d-12-15", year)),
		chromedp.Click(`//button[contains(., "Opslaan als nieuwe versie")]`),
		chromedp.WaitVisible(`//*[contains(., "Het plan is opgeslagen als nieuwe versie.")]`),
	)
	if body := text(t, b, `main`); !strings.Contains(body, "Triagetraining volgen") || !strings.Contains(body, "Evaluatie in het teamoverleg") || !strings.Contains(body, "concept") {
		t.Fatalf("plan page: %q", body)
	}
	checkA11y(t, b, "plan page")

	// Share, record the discussion, make final.
	run(t, b, "share",
		chromedp.Click(`//a[contains(., "Delen met het team")]`),
		chromedp.WaitVisible(`//button[contains(., "bevestigen")]`),
	)
	checkA11y(t, b, "confirm step")
	run(t, b, "confirm share",
		chromedp.Click(`//button[contains(., "bevestigen")]`),
		chromedp.WaitVisible(`#f-discussed-on`),
		chromedp.SetValue(`#f-discussed-on`, today),
		chromedp.Click(fmt.Sprintf(`#agree-%d`, anna.ID)),
		chromedp.Click(`//button[contains(., "Bespreking vastleggen")]`),
		chromedp.WaitVisible(`//*[contains(., "De bespreking is vastgelegd.")]`),
	)
	checkA11y(t, b, "plan in bespreking")
	run(t, b, "finalise",
		chromedp.Click(`//a[contains(., "Definitief maken")]`),
		chromedp.WaitVisible(`//button[contains(., "bevestigen")]`),
		chromedp.Click(`//button[contains(., "bevestigen")]`),
		chromedp.WaitVisible(`//*[contains(., "Het plan is definitief.")]`),
	)
	if body := text(t, b, `main`); !strings.Contains(body, "Definitief gemaakt door") || !strings.Contains(body, "Praktijk De Linde") {
		t.Fatalf("final plan: %q", body)
	}

	// The region view changed; the consultant comments on the plan.
	run(t, c, "overview after",
		chromedp.Navigate(overview),
		chromedp.WaitVisible(`#plan-rows`),
	)
	if row := text(t, c, `#plan-rows tbody`); !strings.Contains(row, "definitief") {
		t.Fatalf("overview after: %q", row)
	}
	run(t, c, "comment",
		chromedp.Click(`//a[contains(., "De Linde")]`),
		chromedp.WaitVisible(`#s-A\.1`),
		chromedp.Click(`#s-A\.1 ~ .plan-comments .plan-comment-form summary`),
		chromedp.SetValue(`#f-body-A\.1`, "Hoe meten jullie of de triage werkt?"),
		chromedp.Submit(`#f-body-A\.1`),
		chromedp.WaitVisible(`//*[contains(., "Uw opmerking is geplaatst.")]`),
	)
	if body := text(t, c, `main`); !strings.Contains(body, "Hoe meten jullie of de triage werkt?") || strings.Contains(body, "Plan bewerken") {
		t.Fatalf("consultant's plan page: %q", body)
	}
	checkA11y(t, c, "plan with a comment")

	// The editor of a revision shows the chosen interventions in full and
	// folds the others; one is added on demand. After saving, the page
	// shows the version just saved, not the final one still in force.
	edit := fmt.Sprintf("%s/regio/zio/praktijken/%d/plan/%d/bewerken", base, p.ID, year)
	run(t, b, "revise the final plan",
		chromedp.Navigate(edit),
		chromedp.WaitVisible(`//a[contains(., "Herzien")]`),
		chromedp.Click(`//a[contains(., "Herzien")]`),
		chromedp.WaitVisible(`//button[contains(., "bevestigen")]`),
		chromedp.Click(`//button[contains(., "bevestigen")]`),
		chromedp.WaitNotPresent(`//button[contains(., "bevestigen")]`),
	)
	run(t, b, "open the editor of a revision",
		chromedp.Navigate(edit),
		chromedp.WaitVisible(`#f-items-A-1-current`),
	)
	// Folded: inside a closed <details> (Chromium hides its content with
	// content-visibility, so offsetParent says nothing here).
	hidden, err := chromedp.Run(b, chromedp.Evaluate[bool](`(() => { const d = document.querySelector('#f-items-B-2-current').closest('details.plan-add'); return d !== null && !d.open })()`))
	if err != nil {
		t.Fatal(err)
	}
	if !hidden {
		t.Error("an intervention not chosen is shown unfolded")
	}
	checkA11y(t, b, "plan editor with folded interventions")
	run(t, b, "add B.2 and save",
		chromedp.Click(`//details[contains(@class, "plan-add")]/summary[contains(., "B.2")]`),
		chromedp.WaitVisible(`#f-items-B-2-current`),
		chromedp.Click(chromedp.CSS(`input[name="items.B.2.chosen"]`)),
		chromedp.SetValue(`#f-items-B-2-current`, "Het wijkteam is slecht bereikbaar"),
		chromedp.Click(`//button[contains(., "Opslaan als nieuwe versie")]`),
		chromedp.WaitVisible(`//*[contains(., "Het plan is opgeslagen als nieuwe versie.")]`),
	)
	if body := text(t, b, `main`); !strings.Contains(body, "Het wijkteam is slecht bereikbaar") {
		t.Fatalf("after saving the page shows another version than the saved one: %q", body)
	}
	run(t, b, "the editor again: B.2 is now chosen and unfolded",
		chromedp.Navigate(edit),
		chromedp.WaitVisible(`#f-items-B-2-current`),
	)
}
