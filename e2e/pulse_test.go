package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/mtvp"
)

// TestPulseAnsweredByLink: the programme manager starts the quarter's
// job-satisfaction pulse; the practice finds the questionnaire link on its
// page; a staff member answers it in a browser without logging in (a
// wrong answer first gets the Dutch messages), four colleagues answer by
// the same link; nothing shows while the pulse is open, and after closing
// the practice's figures appear over its five answers. Every page is
// checked with axe-core.
func TestPulseAnsweredByLink(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	sys := mtvp.SystemActor
	w := newWorld(t, a)
	must := w.must
	admin := w.user("manager@zio.nl", "Marieke Janssen", mtvp.AccountRegionAdmin, 0)
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400})
	for _, name := range []string{"Anna de Vries", "Bram Jansen", "Carla Smeets", "Dina Peters", "Eva Claes", "Frank Dijk"} {
		person := mtvp.Person{Name: name}
		must(a.DB.AddStaff(ctx, sys, p.ID, &person, &mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.6, From: mtvp.MustDate("2020-01-01")}))
	}
	practice := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, p.ID)
	base := a.URL()

	m := browser(t)
	loginWithTOTP(t, m, base, admin.Email, testPassword)
	run(t, m, "pulse page", chromedp.Navigate(base+"/regio/zio/peiling"), chromedp.WaitVisible(`//button[contains(., "starten")]`))
	checkA11y(t, m, "pulse region page before the start")
	run(t, m, "start the pulse",
		chromedp.Click(`//button[contains(., "starten")]`),
		chromedp.WaitVisible(`//caption[contains(., "Gemiddelde scores")]`),
	)
	if body := text(t, m, `main`); !strings.Contains(body, "0 van 6") || !strings.Contains(body, "uitkomst volgt als de peiling gesloten is") {
		t.Fatalf("after the start: %q", body)
	}
	checkA11y(t, m, "pulse region page, open")

	pr := browser(t)
	loginPassword(t, pr, base, practice.Email, testPassword)
	run(t, pr, "practice pulse page", chromedp.Navigate(fmt.Sprintf("%s/regio/zio/praktijken/%d/peiling", base, p.ID)), chromedp.WaitVisible(`#pulse-link`))
	shown, err := chromedp.Run(pr, chromedp.Value(`#pulse-link`))
	if err != nil || !strings.Contains(shown, "/peiling/") {
		t.Fatalf("link %q %v", shown, err)
	}
	// The link is written with the configured address (BaseURL); the test
	// server listens on a port of its own.
	u, err := url.Parse(shown)
	must(err)
	link := base + u.Path
	checkA11y(t, pr, "pulse practice page, open")

	// A staff member, not logged in, on a phone: the eleven choices wrap,
	// nothing scrolls sideways.
	s := browser(t)
	run(t, s, "questionnaire", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(link), chromedp.WaitVisible(`#f-workload`))
	fits, err := chromedp.Run(s, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= 390`))
	if err != nil || !fits {
		t.Errorf("the questionnaire scrolls sideways at 390 px (%v)", err)
	}
	normShot(t, s, "pulse-questionnaire-390")
	checkA11y(t, s, "pulse questionnaire")
	run(t, s, "incomplete answer",
		chromedp.Click(`#f-workload-7`),
		chromedp.Submit(`#f-comment`),
		chromedp.WaitVisible(`.utrecht-alert--error`),
	)
	// Not logged in, the page follows the browser's language.
	if body := text(t, s, `main`); !strings.Contains(body, "Kies een getal van 0 tot en met 10.") && !strings.Contains(body, "Choose a number from 0 to 10.") {
		t.Fatalf("errors: %q", body)
	}
	checkA11y(t, s, "pulse questionnaire with errors")
	run(t, s, "answer",
		chromedp.Click(`#f-workload-7`),
		chromedp.Click(`#f-satisfaction-8`),
		chromedp.Click(`#f-time-for-patient-4`),
		chromedp.SendKeys(`#f-comment`, "Minder administratie graag"),
		chromedp.Submit(`#f-comment`),
		chromedp.WaitVisible(`.utrecht-alert--ok`),
	)
	checkA11y(t, s, "pulse thanks")
	// The same browser again: already answered.
	run(t, s, "again", chromedp.Navigate(link), chromedp.WaitVisible(`.utrecht-alert--warning`))

	// Four colleagues answer by the same link.
	for _, v := range []string{"5", "6", "8", "9"} {
		res, err := http.PostForm(link, url.Values{"workload": {v}, "satisfaction": {"6"}, "time_for_patient": {"5"}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("answer %s: %d", v, res.StatusCode)
		}
	}
	run(t, pr, "still open", chromedp.Reload(), chromedp.WaitVisible(`#pulse-response`))
	if body := text(t, pr, `main`); !strings.Contains(body, "5 van de 6") || strings.Contains(body, "7,0") {
		t.Fatalf("open pulse on the practice page: %q", body)
	}

	run(t, m, "close the pulse",
		chromedp.Navigate(base+"/regio/zio/peiling"),
		chromedp.Click(`//button[contains(., "sluiten")]`),
		chromedp.WaitVisible(`//div[@role="status"][contains(., "De peiling is gesloten")]`),
	)
	// Workload (7+5+6+8+9)/5 = 7,0; satisfaction (8+6+6+6+6)/5 = 6,4.
	if body := text(t, m, `main`); !strings.Contains(body, "7,0") || !strings.Contains(body, "6,4") {
		t.Fatalf("figures after closing: %q", body)
	}
	checkA11y(t, m, "pulse region page, closed")
	run(t, pr, "results", chromedp.Reload(), chromedp.WaitVisible(`#pulse-comments-h`))
	if body := text(t, pr, `main`); !strings.Contains(body, "7,0") || !strings.Contains(body, "Minder administratie graag") {
		t.Fatalf("practice results: %q", body)
	}
	checkA11y(t, pr, "pulse practice page, results")
	for _, b := range []struct {
		ctx  context.Context
		name string
	}{{m, "pulse-region"}, {pr, "pulse-practice"}} {
		run(t, b.ctx, "wide "+b.name, chromedp.EmulateViewport(1400, 1000), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`h1`)))
		normShot(t, b.ctx, b.name+"-1400")
		run(t, b.ctx, "phone "+b.name, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`h1`)))
		fits, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= 390`))
		if err != nil || !fits {
			t.Errorf("%s scrolls sideways at 390 px (%v)", b.name, err)
		}
		normShot(t, b.ctx, b.name+"-390")
		checkA11y(t, b.ctx, b.name+" at 390 px")
	}
}
