package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"meertijd/internal/auth"
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
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	today := mtvp.DateOf(time.Now())
	year := today.Year()
	reg := mtvp.Region{Code: "zio", Name: "ZIO Maastricht-Heuvelland", Insurers: []string{"CZ"}, ProgrammeStart: mtvp.MustDate("2023-01-01"), Settings: mtvp.DefaultNormSettings()}
	must(a.DB.CreateRegion(ctx, sys, &reg))
	const password = "een lang wachtwoord voor de test"
	hash, err := auth.HashPassword(password)
	must(err)
	consultant := mtvp.User{Email: "consulent@zio.nl", Name: "Carla Consulent", Grants: []mtvp.Grant{{Role: mtvp.AccountConsultant, RegionID: reg.ID}}}
	must(a.DB.CreateUser(ctx, sys, &consultant, hash))
	admin := mtvp.User{Email: "manager@zio.nl", Name: "Marieke Janssen", Grants: []mtvp.Grant{{Role: mtvp.AccountRegionAdmin, RegionID: reg.ID}}}
	must(a.DB.CreateUser(ctx, sys, &admin, hash))
	p := mtvp.Practice{RegionID: reg.ID, AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400,
		Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-01-01"), ConsultantID: consultant.ID}
	must(a.DB.CreatePractice(ctx, sys, &p))
	other := mtvp.Practice{RegionID: reg.ID, AGB: "01061235", Name: "Huisartsenpraktijk Het Anker", City: "Meerssen", Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-01-01")}
	must(a.DB.CreatePractice(ctx, sys, &other))
	rp := mtvp.Regioplan{RegionID: reg.ID, Year: year, Interventions: []mtvp.Intervention{
		{Code: "A.1", Element: mtvp.ElementA, Title: "Triagetraining", Mandatory: true},
	}}
	must(a.DB.SaveRegioplan(ctx, sys, &rp))
	content := mtvp.PlanContent{Ambition: "Meer tijd voor de patiënt"}
	pl, err := a.DB.SavePlan(ctx, sys, p.ID, year, 0, &content)
	must(err)
	a1 := pl.Current().Content.Items[0].InterventionID

	base := a.URL()
	login := func(b context.Context, email string) {
		t.Helper()
		run(t, b, "login "+email,
			chromedp.Navigate(base+"/inloggen"),
			chromedp.WaitVisible(`#f-email`),
			chromedp.SendKeys(`#f-email`, email),
			chromedp.SendKeys(`#f-password`, password),
			chromedp.Submit(`#f-password`),
			chromedp.WaitNotPresent(`#f-password`),
			chromedp.WaitVisible(`code.secret`),
		)
		code, err := totp.GenerateCode(strings.TrimSpace(text(t, b, `code.secret`)), time.Now())
		must(err)
		run(t, b, "totp "+email,
			chromedp.SendKeys(`#f-code`, code),
			chromedp.Submit(`#f-code`),
			chromedp.WaitVisible(`.recovery-codes`),
		)
	}
	coverage := fmt.Sprintf("%s/regio/zio/bezoeken?jaar=%d", base, year)

	m := browser(t)
	login(m, admin.Email)
	run(t, m, "coverage before", chromedp.Navigate(coverage), chromedp.WaitVisible(`#visit-summary`))
	if s := text(t, m, `#visit-summary`); !strings.Contains(s, "0 van 2 praktijken bezocht") {
		t.Fatalf("coverage before: %q", s)
	}
	checkA11y(t, m, "visit coverage")

	c := browser(t)
	login(c, consultant.Email)
	run(t, c, "my visits",
		chromedp.Navigate(base+"/regio/zio/mijn-bezoeken"),
		chromedp.WaitVisible(`//a[contains(@aria-label, "Huisartsenpraktijk De Linde inplannen")]`),
	)
	if body := text(t, c, `main`); strings.Contains(body, "Het Anker") {
		t.Fatalf("my visits lists another consultant's practice: %q", body)
	}
	checkA11y(t, c, "my visits")
	run(t, c, "plan form",
		chromedp.Click(`//a[contains(@aria-label, "Huisartsenpraktijk De Linde inplannen")]`),
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
