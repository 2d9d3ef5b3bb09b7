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

// TestVisitPlannedRecordedAndCovered: a consultant plans the annual visit
// of their practice from "Mijn bezoeken" and records its report along the
// practice's plan; the region's coverage page then counts the practice as
// visited. Every page is checked with axe-core.
func TestVisitPlannedRecordedAndCovered(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	sys := mtvp.SystemActor
	today := mtvp.DateOf(clock.Now())
	year := today.Year()
	w := newWorld(t, a)
	must := w.must
	reg := w.Region
	consultant := w.user("consulent@zio.nl", "Carla Consulent", mtvp.AccountConsultant, 0)
	admin := w.user("manager@zio.nl", "Marieke Janssen", mtvp.AccountRegionAdmin, 0)
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400, ConsultantID: consultant.ID})
	w.practice(mtvp.Practice{AGB: "01061235", Name: "Huisartsenpraktijk Het Anker", City: "Meerssen"})
	rp := mtvp.Regioplan{RegionID: reg.ID, Year: year, Interventions: []mtvp.Intervention{
		{Code: "A.1", Element: mtvp.ElementA, Title: "Triagetraining", Mandatory: true},
	}}
	must(a.DB.SaveRegioplan(ctx, sys, &rp))
	content := mtvp.PlanContent{Ambition: "Meer tijd voor de patiënt"}
	pl, err := a.DB.SavePlan(ctx, sys, p.ID, year, 0, &content)
	must(err)
	a1 := pl.Current().Content.Items[0].InterventionID

	base := a.URL()
	coverage := fmt.Sprintf("%s/regio/zio/bezoeken?jaar=%d", base, year)

	m := browser(t)
	loginWithTOTP(t, m, base, admin.Email, testPassword)
	run(t, m, "coverage before", chromedp.Navigate(coverage), chromedp.WaitVisible(`#visit-summary`))
	if s := text(t, m, `#visit-summary`); !strings.Contains(s, "0 van 2 praktijken bezocht") {
		t.Fatalf("coverage before: %q", s)
	}
	checkA11y(t, m, "visit coverage")

	c := browser(t)
	loginWithTOTP(t, c, base, consultant.Email, testPassword)
	run(t, c, "my visits",
		chromedp.Navigate(base+"/regio/zio/mijn-bezoeken"),
		chromedp.WaitVisible(`//td/a[contains(normalize-space(.), "Inplannen: Huisartsenpraktijk De Linde")]`),
	)
	if body := text(t, c, `main`); strings.Contains(body, "Het Anker") {
		t.Fatalf("my visits lists another consultant's practice: %q", body)
	}
	checkA11y(t, c, "my visits")
	run(t, c, "plan form",
		chromedp.Click(`//td/a[contains(normalize-space(.), "Inplannen: Huisartsenpraktijk De Linde")]`),
		chromedp.WaitVisible(`#f-planned-on`),
	)
	checkA11y(t, c, "plan a visit")
	run(t, c, "plan",
		chromedp.SetValue(`#f-planned-on`, today.String()),
		chromedp.Submit(`#f-planned-on`),
		chromedp.WaitVisible(`//a[contains(., "Verslag vastleggen")]`),
	)
	checkA11y(t, c, "planned visit")
	finding := fmt.Sprintf("#f-finding-%d-", a1)
	run(t, c, "report form",
		chromedp.Click(`//a[contains(., "Verslag vastleggen")]`),
		chromedp.WaitVisible(finding+`obstacles`),
	)
	if body := text(t, c, `main`); !strings.Contains(body, "A.1 Triagetraining") {
		t.Fatalf("report form does not follow the plan: %q", body)
	}
	checkA11y(t, c, "report form")
	run(t, c, "report without judgement",
		chromedp.SetValue(finding+`deployment`, "Assistenten trieren met de NTS-wijzer"),
		chromedp.SetValue(finding+`obstacles`, "Te weinig tijd om te scholen"),
		chromedp.SetValue(`#f-action-0-description`, "Scholing plannen"),
		chromedp.SetValue(`#f-action-0-owner`, "Praktijkmanager"),
		chromedp.Submit(`#f-judgement`),
		chromedp.WaitVisible(`#f-judgement-error`),
	)
	checkA11y(t, c, "report form with errors")
	run(t, c, "report",
		chromedp.SetValue(`#f-judgement`, "Goed op weg; triage loopt."),
		chromedp.Submit(`#f-judgement`),
		chromedp.WaitVisible(`//*[contains(., "Het verslag is vastgelegd.")]`),
	)
	if body := text(t, c, `main`); !strings.Contains(body, "Goed op weg; triage loopt.") || !strings.Contains(body, "Te weinig tijd om te scholen") || !strings.Contains(body, "Scholing plannen") {
		t.Fatalf("report: %q", body)
	}
	checkA11y(t, c, "recorded visit")

	run(t, m, "coverage after", chromedp.Navigate(coverage), chromedp.WaitVisible(`#visit-summary`))
	if s := text(t, m, `#visit-summary`); !strings.Contains(s, "1 van 2 praktijken bezocht") {
		t.Fatalf("coverage after: %q", s)
	}
	if s := text(t, m, `#visit-count-bezocht`); !strings.Contains(s, "1") {
		t.Fatalf("visited count: %q", s)
	}
	checkA11y(t, m, "visit coverage after")
}
