package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestTrainingProposalAccepted: a practice proposes a training that is not
// on the menu, the region accepts it as counting, it is then on the menu
// and the practice sees the status. Pages are checked with axe-core and
// shot at 1400 and 390 px (MEERTIJD_E2E_SHOTS).
func TestTrainingProposalAccepted(t *testing.T) {
	a := startApp(t, false)
	w := newWorld(t, a)
	admin := w.user("manager@zio.nl", "Marieke Janssen", mtvp.AccountRegionAdmin, 0)
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde"})
	practice := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, p.ID)
	base := a.URL()
	list := base + "/regio/zio/scholing/voorstellen"

	b := browser(t)
	loginPassword(t, b, base, practice.Email, testPassword)
	run(t, b, "new proposal form",
		chromedp.EmulateViewport(1400, 900),
		chromedp.Navigate(list+"/nieuw"),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
	)
	checkA11y(t, b, "new proposal form")
	run(t, b, "proposal with errors",
		chromedp.SetValue(chromedp.CSS(`#f-title`), "Telefonische triage bij kinderen"),
		chromedp.Submit(chromedp.CSS(`#f-title`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-provider-error`)),
	)
	checkA11y(t, b, "proposal form with errors")
	run(t, b, "proposal",
		chromedp.SetValue(chromedp.CSS(`#f-provider`), "Triage Academie"),
		chromedp.SetValue(chromedp.CSS(`#f-theme`), mtvp.ThemeTriage),
		chromedp.SetValue(chromedp.CSS(`#f-target`), "assistenten"),
		chromedp.SetValue(chromedp.CSS(`#f-why`), "Veel vragen over kinderen met koorts."),
		chromedp.Submit(chromedp.CSS(`#f-title`)),
		chromedp.WaitVisible(chromedp.CSS(`.proposal--ingediend`)),
	)
	normShot(t, b, "proposal-practice-1400")
	checkA11y(t, b, "proposal page (practice)")

	c := browser(t)
	loginWithTOTP(t, c, base, admin.Email, testPassword)
	run(t, c, "proposal list",
		chromedp.EmulateViewport(1400, 900),
		chromedp.Navigate(list),
		chromedp.WaitVisible(`//a[contains(., "Telefonische triage bij kinderen")]`),
	)
	normShot(t, c, "proposals-admin-1400")
	checkA11y(t, c, "proposal list (admin)")
	run(t, c, "open proposal",
		chromedp.Click(`//a[contains(., "Telefonische triage bij kinderen")]`),
		chromedp.WaitVisible(chromedp.CSS(`#f-decision-accept`)),
	)
	normShot(t, c, "proposal-admin-1400")
	checkA11y(t, c, "proposal page (admin)")
	run(t, c, "decline without a reason",
		chromedp.Click(chromedp.CSS(`#f-decision-decline`)),
		chromedp.Submit(chromedp.CSS(`#f-reason`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-reason-error`)),
	)
	run(t, c, "accept as counting",
		chromedp.Click(chromedp.CSS(`#f-decision-accept`)),
		chromedp.Click(chromedp.CSS(`#f-counts`)),
		chromedp.Submit(chromedp.CSS(`#f-reason`)),
		chromedp.WaitVisible(chromedp.CSS(`.proposal--geaccepteerd`)),
	)
	run(t, c, "on the menu",
		chromedp.Navigate(base+"/regio/zio/scholing"),
		chromedp.WaitVisible(`//a[contains(., "Telefonische triage bij kinderen")]`),
	)

	run(t, b, "practice sees the status",
		chromedp.Navigate(list),
		chromedp.WaitVisible(chromedp.CSS(`.proposal--geaccepteerd`)),
	)
	normShot(t, b, "proposals-practice-1400")
	run(t, b, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	fits, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= 390`))
	if err != nil || !fits {
		t.Errorf("proposal list wider than 390 px (%v)", err)
	}
	normShot(t, b, "proposals-practice-390")
	checkA11y(t, b, "proposal list at 390 px")
}

// TestNewsPublishedAndReadOnce: a programme manager publishes news for the
// practices; a practice user sees it on the home page once: after
// "gelezen" it is gone, also after a reload.
func TestNewsPublishedAndReadOnce(t *testing.T) {
	a := startApp(t, false)
	w := newWorld(t, a)
	admin := w.user("manager@zio.nl", "Marieke Janssen", mtvp.AccountRegionAdmin, 0)
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde"})
	practice := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, p.ID)
	base := a.URL()

	c := browser(t)
	loginWithTOTP(t, c, base, admin.Email, testPassword)
	run(t, c, "news form",
		chromedp.EmulateViewport(1400, 900),
		chromedp.Navigate(base+"/regio/zio/nieuws/nieuw"),
		chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
	)
	checkA11y(t, c, "news form")
	run(t, c, "publish",
		chromedp.SetValue(chromedp.CSS(`#f-title`), "Nieuwe data triagetraining"),
		chromedp.SetValue(chromedp.CSS(`#f-body`), "Er zijn **nieuwe data**.\n\n- ochtend\n- avond\n\n<script>alert(1)</script>"),
		chromedp.Click(`//label[contains(., "Praktijk")]/input`),
		chromedp.Submit(chromedp.CSS(`#f-title`)),
		chromedp.WaitVisible(`//a[contains(., "Nieuwe data triagetraining")]`),
	)
	normShot(t, c, "news-admin-1400")
	checkA11y(t, c, "news list")
	run(t, c, "newsletter", chromedp.Navigate(base+"/regio/zio/nieuwsbrief/"+mtvp.MonthOf(mtvp.DateOf(clock.Now())).String()),
		chromedp.WaitVisible(`//h2[contains(., "Nieuwe data triagetraining")]`))
	normShot(t, c, "newsletter-1400")
	checkA11y(t, c, "newsletter page")
	run(t, c, "send newsletter", chromedp.Submit(chromedp.CSS(`form[action$="/versturen"] button`)),
		chromedp.WaitVisible(`//*[contains(., "De nieuwsbrief staat in de berichtenbox.")]`))

	b := browser(t)
	loginPassword(t, b, base, practice.Email, testPassword)
	run(t, b, "home with news",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(base+"/regio/zio"),
		chromedp.WaitVisible(chromedp.CSS(`.news__item`)),
	)
	body := text(t, b, `.news__item`)
	if !strings.Contains(body, "Nieuwe data triagetraining") || !strings.Contains(body, "<script>") {
		t.Fatalf("news item: %q", body)
	}
	if n, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('.news__item strong, .news__item li').length`)); err != nil || n != 3 {
		t.Errorf("markup not rendered: %d elements (%v)", n, err)
	}
	normShot(t, b, "home-news-390")
	checkA11y(t, b, "home with news at 390 px")
	run(t, b, "gelezen",
		chromedp.Submit(chromedp.CSS(`.news__item form button`)),
		chromedp.WaitVisible(chromedp.CSS(`h1`)),
	)
	run(t, b, "reload", chromedp.Navigate(base+"/regio/zio"), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if n, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('.news__item').length`)); err != nil || n != 0 {
		t.Errorf("news still shown after gelezen: %d (%v)", n, err)
	}
	mails, err := a.DB.ListMail(context.Background(), w.Region.ID, 10)
	w.must(err)
	got := false
	for _, m := range mails {
		got = got || (m.Kind == "newsletter" && m.To == practice.Email && strings.Contains(m.Text, "Nieuwe data triagetraining"))
	}
	if !got {
		t.Errorf("no newsletter mail for the practice in the outbox")
	}
}
