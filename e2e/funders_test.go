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

// TestFunderLandsOnAccountability: an insurer logs in with its second
// factor, lands on the region's accountability page, sees region figures
// with small counts suppressed and no practice names, and is refused a
// practice page; the region admin sees the same page with the region's
// downloads. Pages are checked with axe-core.
func TestFunderLandsOnAccountability(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	sys := mtvp.SystemActor
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	reg := mtvp.Region{Code: "primacura", Name: "PrimaCura", Insurers: []string{"CZ", "VGZ"}, ProgrammeStart: mtvp.MustDate("2023-01-01"), Settings: mtvp.DefaultNormSettings()}
	must(a.DB.CreateRegion(ctx, sys, &reg))
	year := time.Now().Year()
	var first mtvp.Practice
	for i := 0; i < 6; i++ {
		p := mtvp.Practice{RegionID: reg.ID, AGB: fmt.Sprintf("0107000%d", i), Name: fmt.Sprintf("Huisartsenpraktijk Breda %d", i), RegisteredPatients: 2100,
			Status: mtvp.PracticeActive, JoinedOn: mtvp.NewDate(year, time.January, 1)}
		must(a.DB.CreatePractice(ctx, sys, &p))
		if i == 0 {
			first = p
		}
	}
	const password = "een lang wachtwoord voor de test"
	hash, err := auth.HashPassword(password)
	must(err)
	funder := mtvp.User{Email: "bas@cz.nl", Name: "Bas van Loon (CZ)", Grants: []mtvp.Grant{{Role: mtvp.AccountFunder, RegionID: reg.ID}}}
	must(a.DB.CreateUser(ctx, sys, &funder, hash))
	admin := mtvp.User{Email: "beheer@primacura.nl", Name: "Petra Beheer", Grants: []mtvp.Grant{{Role: mtvp.AccountRegionAdmin, RegionID: reg.ID}}}
	must(a.DB.CreateUser(ctx, sys, &admin, hash))
	base := a.URL()

	login := func(b context.Context, who string, email string) {
		t.Helper()
		run(t, b, who+" login",
			chromedp.Navigate(base+"/inloggen"),
			chromedp.WaitVisible(`#f-email`),
			chromedp.SendKeys(`#f-email`, email),
			chromedp.SendKeys(`#f-password`, password),
			chromedp.Submit(`#f-password`),
			chromedp.WaitVisible(`code.secret`),
		)
		code, err := totp.GenerateCode(strings.TrimSpace(text(t, b, `code.secret`)), time.Now())
		must(err)
		run(t, b, who+" totp",
			chromedp.SendKeys(`#f-code`, code),
			chromedp.Submit(`#f-code`),
			chromedp.WaitVisible(`.recovery-codes`),
		)
	}

	b := browser(t)
	login(b, "funder", funder.Email)
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
	if strings.Contains(body, "Huisartsenpraktijk Breda") || strings.Contains(body, "jaarverslag") {
		t.Errorf("funder page names a practice or offers the region's downloads")
	}
	checkA11y(t, b, "funder accountability page")
	run(t, b, "practice page refused",
		chromedp.Navigate(fmt.Sprintf("%s/regio/primacura/praktijken/%d", base, first.ID)),
		chromedp.WaitVisible(`h1`),
	)
	if body := text(t, b, `main`); strings.Contains(body, first.Name) {
		t.Errorf("funder reaches a practice page")
	}

	c := browser(t)
	login(c, "admin", admin.Email)
	run(t, c, "admin page", chromedp.Navigate(base+"/regio/primacura/verantwoording"), chromedp.WaitVisible(`#f-kwartaal`))
	if body := text(t, c, `main`); !strings.Contains(body, "Jaarverslag (PDF)") || !strings.Contains(body, "zoals de zorgverzekeraars") {
		t.Errorf("admin page: %q", body)
	}
	checkA11y(t, c, "admin accountability page")
}
