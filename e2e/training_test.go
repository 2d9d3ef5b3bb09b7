package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

// TestTrainingClaimSubmittedAndApproved: a practice submits a
// prior-learning claim with a certificate for its assistant (a refused one
// first, showing the reason), and the practice's consultant approves it;
// the practice then sees the assistant counted. Pages are checked with
// axe-core.
func TestTrainingClaimSubmittedAndApproved(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	sys := mtvp.SystemActor
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	reg := mtvp.Region{Code: "zio", Name: "ZIO Maastricht-Heuvelland", Insurers: []string{"CZ"}, ProgrammeStart: mtvp.MustDate("2023-01-01"), Settings: mtvp.DefaultNormSettings()}
	must(a.DB.CreateRegion(ctx, sys, &reg))
	const password = "een lang wachtwoord voor de test"
	hash, err := auth.HashPassword(password)
	must(err)
	consultant := mtvp.User{Email: "consulent@zio.nl", Name: "Carla Consulent", Grants: []mtvp.Grant{{Role: mtvp.AccountConsultant, RegionID: reg.ID}}}
	must(a.DB.CreateUser(ctx, sys, &consultant, hash))
	p := mtvp.Practice{RegionID: reg.ID, AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400,
		Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-01-01"), ConsultantID: consultant.ID}
	must(a.DB.CreatePractice(ctx, sys, &p))
	anna := mtvp.Person{Name: "Anna Smeets"}
	m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2021-01-01")}
	must(a.DB.AddStaff(ctx, sys, p.ID, &anna, &m))
	practice := mtvp.User{Email: "praktijk@delinde.nl", Name: "Praktijk De Linde", Grants: []mtvp.Grant{{Role: mtvp.AccountPractice, RegionID: reg.ID, PracticeID: p.ID}}}
	must(a.DB.CreateUser(ctx, sys, &practice, hash))
	cert := filepath.Join(t.TempDir(), "certificaat.pdf")
	must(os.WriteFile(cert, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o600))

	base := a.URL()
	page := fmt.Sprintf("%s/regio/zio/praktijken/%d/scholing", base, p.ID)
	b := browser(t)
	run(t, b, "practice login",
		chromedp.Navigate(base+"/inloggen"),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, practice.Email),
		chromedp.SendKeys(`#f-password`, password),
		chromedp.Submit(`#f-password`),
		// The login page has an h1 too: wait until it is gone, or the
		// next Navigate aborts the login's own navigation.
		chromedp.WaitNotPresent(`#f-password`),
		chromedp.WaitVisible(`h1`),
		chromedp.Navigate(page),
		chromedp.WaitVisible(`#f-title`),
	)
	if body := text(t, b, `main`); !strings.Contains(body, "0 van 1 geschoold (1 nodig)") {
		t.Fatalf("norm before: %q", body)
	}
	checkA11y(t, b, "practice training page")
	fill := func(date string, then chromedp.Action[chromedp.Void]) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(`#f-person`, fmt.Sprint(anna.ID)),
			chromedp.SetValue(`#f-title`, "SOH-scholing Zuyd"),
			chromedp.SetValue(`#f-provider`, "Zuyd Hogeschool"),
			chromedp.SetValue(`#f-completed-on`, date),
			chromedp.SetValue(`#f-theme`, mtvp.ThemeSOH),
			chromedp.SetUploadFiles(`#f-evidence`, []string{cert}),
			chromedp.Submit(`#f-title`),
			then,
		}
	}
	run(t, b, "claim before the cut-off", fill("2022-05-01", chromedp.WaitVisible(`#f-completed-on-error`))...)
	if msg := text(t, b, `#f-completed-on-error`); !strings.Contains(msg, "peildatum") {
		t.Fatalf("reason: %q", msg)
	}
	checkA11y(t, b, "claim form with errors")
	run(t, b, "claim", fill("2023-03-01", chromedp.WaitVisible(`//td[contains(., "In behandeling")]`))...)
	if body := text(t, b, `main`); !strings.Contains(body, "1 aanvraag in behandeling") {
		t.Fatalf("pending not shown: %q", body)
	}

	c := browser(t)
	run(t, c, "consultant login",
		chromedp.Navigate(base+"/inloggen"),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, consultant.Email),
		chromedp.SendKeys(`#f-password`, password),
		chromedp.Submit(`#f-password`),
		chromedp.WaitVisible(`code.secret`),
	)
	code, err := totp.GenerateCode(strings.TrimSpace(text(t, c, `code.secret`)), time.Now())
	must(err)
	run(t, c, "consultant totp",
		chromedp.SendKeys(`#f-code`, code),
		chromedp.Submit(`#f-code`),
		chromedp.WaitVisible(`.recovery-codes`),
		chromedp.Navigate(base+"/regio/zio/scholing/aanvragen"),
		chromedp.WaitVisible(`//a[contains(., "SOH-scholing Zuyd")]`),
	)
	checkA11y(t, c, "claim queue")
	run(t, c, "open claim",
		chromedp.Click(`//a[contains(., "SOH-scholing Zuyd")]`),
		chromedp.WaitVisible(`#f-decision-approve`),
	)
	if body := text(t, c, `main`); !strings.Contains(body, "certificaat.pdf") || !strings.Contains(body, "telt mee voor de functie") {
		t.Fatalf("claim page: %q", body)
	}
	checkA11y(t, c, "claim page")
	run(t, c, "approve",
		chromedp.Click(`#f-decision-approve`),
		chromedp.SetValue(`#f-reason`, "Certificaat gecontroleerd"),
		chromedp.Submit(`#f-reason`),
		chromedp.WaitVisible(`//*[contains(., "De aanvraag is goedgekeurd.")]`),
	)
	checkA11y(t, c, "claim queue after decision")

	run(t, b, "practice sees the approval",
		chromedp.Navigate(page),
		chromedp.WaitVisible(`//td[contains(., "Goedgekeurd")]`),
	)
	if body := text(t, b, `main`); !strings.Contains(body, "1 van 1 geschoold (1 nodig)") || !strings.Contains(body, "Certificaat gecontroleerd") {
		t.Fatalf("after approval: %q", body)
	}
	for _, pg := range []struct{ name, path, wait string }{
		{"training menu", "/regio/zio/scholing", "h1"},
	} {
		run(t, b, pg.name, chromedp.Navigate(base+pg.path), chromedp.WaitVisible(pg.wait))
		checkA11y(t, b, pg.name)
	}
}

// TestTrainingMenuAdmin: a programme manager adds a training and a session
// to the menu, a form with errors names the fields, and the admin pages of
// the menu pass axe-core.
func TestTrainingMenuAdmin(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	sys := mtvp.SystemActor
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	reg := mtvp.Region{Code: "zio", Name: "ZIO Maastricht-Heuvelland", Insurers: []string{"CZ"}, ProgrammeStart: mtvp.MustDate("2023-01-01"), Settings: mtvp.DefaultNormSettings()}
	must(a.DB.CreateRegion(ctx, sys, &reg))
	const password = "een lang wachtwoord voor de test"
	hash, err := auth.HashPassword(password)
	must(err)
	admin := mtvp.User{Email: "manager@zio.nl", Name: "Marieke Janssen", Grants: []mtvp.Grant{{Role: mtvp.AccountRegionAdmin, RegionID: reg.ID}}}
	must(a.DB.CreateUser(ctx, sys, &admin, hash))
	p := mtvp.Practice{RegionID: reg.ID, AGB: "01061234", Name: "Huisartsenpraktijk De Linde", Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-01-01")}
	must(a.DB.CreatePractice(ctx, sys, &p))
	anna := mtvp.Person{Name: "Anna Smeets", KABIZ: "K12345"}
	m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2021-01-01")}
	must(a.DB.AddStaff(ctx, sys, p.ID, &anna, &m))

	base := a.URL()
	b := browser(t)
	run(t, b, "login",
		chromedp.Navigate(base+"/inloggen"),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, admin.Email),
		chromedp.SendKeys(`#f-password`, password),
		chromedp.Submit(`#f-password`),
		chromedp.WaitVisible(`code.secret`),
	)
	code, err := totp.GenerateCode(strings.TrimSpace(text(t, b, `code.secret`)), time.Now())
	must(err)
	run(t, b, "totp",
		chromedp.SendKeys(`#f-code`, code),
		chromedp.Submit(`#f-code`),
		chromedp.WaitVisible(`.recovery-codes`),
		chromedp.Navigate(base+"/regio/zio/scholing"),
		chromedp.WaitVisible(`#f-themes`),
	)
	checkA11y(t, b, "training menu (admin)")
	run(t, b, "new training form",
		chromedp.Click(`//a[contains(@href, "/scholing/nieuw")]`),
		chromedp.WaitVisible(`#f-title`),
	)
	checkA11y(t, b, "new training form")
	run(t, b, "training with errors",
		chromedp.SetValue(`#f-target`, "assistenten"),
		chromedp.SetValue(`#f-register`, "geen"),
		chromedp.SetValue(`#f-points`, "4"),
		chromedp.Submit(`#f-title`),
		chromedp.WaitVisible(`#f-title-error`),
	)
	if body := text(t, b, `main`); !strings.Contains(body, "Punten horen bij een register") || !strings.Contains(body, "Kies minstens één thema") {
		t.Fatalf("errors: %q", body)
	}
	checkA11y(t, b, "training form with errors")
	run(t, b, "training",
		chromedp.SetValue(`#f-title`, "Triage voor doktersassistenten"),
		chromedp.SetValue(`#f-register`, "KABIZ"),
		chromedp.Click(`//label[contains(., "triage")]/input`),
		chromedp.Submit(`#f-title`),
		chromedp.WaitVisible(`#f-dates`),
	)
	checkA11y(t, b, "training page (admin)")
	past := mtvp.DateOf(time.Now()).AddDays(-7).Short()
	run(t, b, "session",
		chromedp.SetValue(`#f-dates`, past),
		chromedp.SetValue(`#f-start-time`, "09:00"),
		chromedp.SetValue(`#f-end-time`, "12:00"),
		chromedp.SetValue(`#f-place`, "Maastricht"),
		chromedp.SetValue(`#f-capacity`, "10"),
		chromedp.Submit(`#f-dates`),
		chromedp.WaitVisible(`#completions`),
	)
	checkA11y(t, b, "session page (admin)")
	run(t, b, "completion",
		chromedp.SetValue(`#f-completed-on`, mtvp.DateOf(time.Now()).AddDays(-7).String()),
		chromedp.Submit(`#f-completed-on`),
		chromedp.WaitVisible(`#f-person-error`),
	)
	checkA11y(t, b, "completion form with errors")

	list := filepath.Join(t.TempDir(), "presentielijst.csv")
	must(os.WriteFile(list, []byte("Naam;KABIZ-nummer\nAnna Smeets;K12345\n"), 0o600))
	run(t, b, "attendance preview",
		chromedp.SetUploadFiles(`#f-bestand`, []string{list}),
		chromedp.Submit(`#f-bestand`),
		chromedp.WaitVisible(`//button[contains(., "1 afronding(en) vastleggen")]`),
	)
	checkA11y(t, b, "attendance preview")
	run(t, b, "attendance confirm",
		chromedp.Click(`//button[contains(., "1 afronding(en) vastleggen")]`),
		chromedp.WaitVisible(`//table//th[contains(., "Anna Smeets")]`),
	)
}
