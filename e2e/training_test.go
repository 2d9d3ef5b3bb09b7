package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/clock"
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
	w := newWorld(t, a)
	must := w.must
	consultant := w.user("consulent@zio.nl", "Carla Consulent", mtvp.AccountConsultant, 0)
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400, ConsultantID: consultant.ID})
	anna := mtvp.Person{Name: "Anna Smeets"}
	m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2021-01-01")}
	must(a.DB.AddStaff(ctx, sys, p.ID, &anna, &m))
	practice := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, p.ID)
	cert := filepath.Join(t.TempDir(), "certificaat.pdf")
	must(os.WriteFile(cert, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o600))

	base := a.URL()
	page := fmt.Sprintf("%s/regio/zio/praktijken/%d/scholing", base, p.ID)
	b := browser(t)
	loginPassword(t, b, base, practice.Email, testPassword)
	run(t, b, "training page",
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
	loginWithTOTP(t, c, base, consultant.Email, testPassword)
	run(t, c, "claim queue",
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
	w := newWorld(t, a)
	must := w.must
	admin := w.user("manager@zio.nl", "Marieke Janssen", mtvp.AccountRegionAdmin, 0)
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde"})
	anna := mtvp.Person{Name: "Anna Smeets", KABIZ: "K12345"}
	m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2021-01-01")}
	must(a.DB.AddStaff(ctx, sys, p.ID, &anna, &m))

	base := a.URL()
	b := browser(t)
	loginWithTOTP(t, b, base, admin.Email, testPassword)
	run(t, b, "training menu",
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
	past := mtvp.DateOf(clock.Now()).AddDays(-7).Short()
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
		chromedp.SetValue(`#f-completed-on`, mtvp.DateOf(clock.Now()).AddDays(-7).String()),
		chromedp.Submit(`#f-completed-on`),
		chromedp.WaitVisible(`#f-person-error`),
	)
	checkA11y(t, b, "completion form with errors")

	list := filepath.Join(t.TempDir(), "presentielijst.csv")
	must(os.WriteFile(list, []byte("Naam;KABIZ-nummer\nAnna Smeets;K12345\n"), 0o600))
	run(t, b, "attendance preview",
		chromedp.SetUploadFiles(`#f-bestand`, []string{list}),
		chromedp.Submit(`#f-bestand`),
		chromedp.WaitVisible(`//button[contains(., "Afrondingen vastleggen (1)")]`),
	)
	checkA11y(t, b, "attendance preview")
	run(t, b, "attendance confirm",
		chromedp.Click(`//button[contains(., "Afrondingen vastleggen (1)")]`),
		chromedp.WaitVisible(`//table//th[contains(., "Anna Smeets")]`),
	)
}
