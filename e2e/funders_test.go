package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestFunderLandsOnAccountability: an insurer logs in with its second
// factor, lands on the region's accountability page, sees region figures
// with small counts suppressed and no practice names, and is refused a
// practice page; the region admin sees the same page with the region's
// downloads. Pages are checked with axe-core.
func TestFunderLandsOnAccountability(t *testing.T) {
	a := startApp(t, false)
	w := newWorld(t, a, func(r *mtvp.Region) {
		r.Code, r.Name, r.Insurers = "primacura", "PrimaCura", []string{"CZ", "VGZ"}
	})
	year := clock.Now().Year()
	var first mtvp.Practice
	for i := 0; i < 6; i++ {
		p := w.practice(mtvp.Practice{AGB: fmt.Sprintf("0107000%d", i), Name: fmt.Sprintf("Huisartsenpraktijk Breda %d", i), RegisteredPatients: 2100,
			JoinedOn: mtvp.NewDate(year, time.January, 1)})
		if i == 0 {
			first = p
		}
	}
	funder := w.user("bas@cz.nl", "Bas van Loon (CZ)", mtvp.AccountFunder, 0)
	admin := w.user("beheer@primacura.nl", "Petra Beheer", mtvp.AccountRegionAdmin, 0)
	base := a.URL()

	b := browser(t)
	loginWithTOTP(t, b, base, funder.Email, testPassword)
	run(t, b, "funder home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#funders-quarters`))
	body := text(t, b, `main`)
	for _, want := range []string{"Verantwoording " + fmt.Sprint(year), "Deelname en instroom", "< 5", "Resultaten per norm", "Jaarbezoeken", "niet met de zorgverzekeraars"} {
		if !strings.Contains(body, want) {
			t.Errorf("funder page lacks %q", want)
		}
	}
	if got := strings.TrimSpace(text(t, b, `#funders-taking-part`)); got != "6" {
		t.Errorf("taking part %q, want 6", got)
	}
	// Funders get the annual report of every year (aggregates), never the
	// region's lists that name practices.
	if !strings.Contains(body, "Jaarverslag "+fmt.Sprint(year)+" (PDF") {
		t.Errorf("funder page lacks this year's annual report")
	}
	if strings.Contains(body, "Huisartsenpraktijk Breda") || strings.Contains(body, "Deelnemerslijst per kwartaal") {
		t.Errorf("funder page names a practice or offers the region's downloads")
	}
	checkA11y(t, b, "funder accountability page")
	run(t, b, "practice page refused",
		chromedp.Navigate(fmt.Sprintf("%s/regio/primacura/praktijken/%d", base, first.ID)),
		chromedp.WaitVisible(chromedp.CSS(`h1`)),
	)
	if body := text(t, b, `main`); strings.Contains(body, first.Name) {
		t.Errorf("funder reaches a practice page")
	}

	c := browser(t)
	loginWithTOTP(t, c, base, admin.Email, testPassword)
	run(t, c, "admin page", chromedp.Navigate(base+"/regio/primacura/verantwoording"), chromedp.WaitVisible(`#f-kwartaal`))
	if body := text(t, c, `main`); !strings.Contains(body, "Jaarverslag "+fmt.Sprint(year)+" (PDF") || !strings.Contains(body, "Deelnemerslijst per kwartaal") || !strings.Contains(body, "zoals de zorgverzekeraars") {
		t.Errorf("admin page: %q", body)
	}
	checkA11y(t, c, "admin accountability page")
}
