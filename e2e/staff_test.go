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

// TestRegionAdminAddsStaff: a programme manager logs in (enrolling TOTP on
// first login, as the product demands), opens a practice, adds a staff
// member, and sees them listed. Pages visited are checked with axe-core.
func TestRegionAdminAddsStaff(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	reg := mtvp.Region{Code: "zio", Name: "ZIO Maastricht-Heuvelland", Insurers: []string{"CZ", "VGZ"}, ProgrammeStart: mtvp.MustDate("2023-01-01"), Settings: mtvp.DefaultNormSettings()}
	if err := a.DB.CreateRegion(ctx, mtvp.SystemActor, &reg); err != nil {
		t.Fatal(err)
	}
	p := mtvp.Practice{RegionID: reg.ID, AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", Postcode: "6211 AB", RegisteredPatients: 2400, Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-01-01")}
	if err := a.DB.CreatePractice(ctx, mtvp.SystemActor, &p); err != nil {
		t.Fatal(err)
	}
	const password = "een lang wachtwoord voor de test"
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	admin := mtvp.User{Email: "manager@zio.nl", Name: "Marieke Janssen", Grants: []mtvp.Grant{{Role: mtvp.AccountRegionAdmin, RegionID: reg.ID}}}
	if err := a.DB.CreateUser(ctx, mtvp.SystemActor, &admin, hash); err != nil {
		t.Fatal(err)
	}

	b := browser(t)
	base := a.URL()
	run(t, b, "login",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#f-email`),
	)
	checkA11y(t, b, "login")
	run(t, b, "password",
		chromedp.SendKeys(`#f-email`, admin.Email),
		chromedp.SendKeys(`#f-password`, password),
		chromedp.Submit(`#f-password`),
		chromedp.WaitVisible(chromedp.CSS(`code.secret`)),
	)
	secret := text(t, b, `code.secret`)
	checkA11y(t, b, "totp enrolment")
	code, err := totp.GenerateCode(strings.TrimSpace(secret), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	run(t, b, "totp",
		chromedp.SendKeys(`#f-code`, code),
		chromedp.Submit(`#f-code`),
		chromedp.WaitVisible(`.recovery-codes`),
	)
	recovery := text(t, b, `.recovery-codes`)
	if n := len(strings.Fields(recovery)); n != 10 {
		t.Fatalf("want 10 recovery codes, got %d: %q", n, recovery)
	}
	run(t, b, "practice list",
		chromedp.Navigate(base+"/regio/zio/praktijken"),
		chromedp.WaitVisible(`//a[contains(., "De Linde")]`),
	)
	checkA11y(t, b, "practice list")
	run(t, b, "open practice",
		chromedp.Click(`//a[contains(., "De Linde")]`),
		chromedp.WaitVisible(`//h1[contains(., "De Linde")]`),
	)
	checkA11y(t, b, "practice page")
	run(t, b, "open staff form",
		chromedp.Click(`//a[contains(@href, "/medewerkers/nieuw")]`),
		chromedp.WaitVisible(`#f-name`),
	)
	checkA11y(t, b, "staff form")
	run(t, b, "add staff",
		chromedp.SendKeys(`#f-name`, "Sanne Bakker"),
		chromedp.SendKeys(`#f-email`, "sanne@delinde.nl"),
		chromedp.SetValue(`#f-role`, "doktersassistent"),
		chromedp.SetValue(`#f-fte`, "0,8"),
		chromedp.SetValue(`#f-from`, "2025-02-01"),
		chromedp.Submit(`#f-name`),
		chromedp.WaitVisible(`//table//*[contains(text(), "Sanne Bakker")]`),
	)
	page := text(t, b, `main`)
	if !strings.Contains(page, "Doktersassistent") {
		t.Errorf("staff list does not show the role: %q", page)
	}

	// A form with errors keeps what was typed and names the fields.
	run(t, b, "staff form with errors",
		chromedp.Click(`//a[contains(@href, "/medewerkers/nieuw")]`),
		chromedp.WaitVisible(`#f-name`),
		chromedp.SendKeys(`#f-name`, "Piet Fout"),
		chromedp.SendKeys(`#f-big`, "123"),
		chromedp.SetValue(`#f-role`, "praktijkhouder"),
		chromedp.SetValue(`#f-fte`, "2"),
		chromedp.SetValue(`#f-from`, "2025-02-01"),
		chromedp.Submit(`#f-name`),
		chromedp.WaitVisible(`#f-big-error`),
	)
	errText := text(t, b, `main`)
	for _, want := range []string{"Een BIG-nummer bestaat uit precies 11 cijfers", "Vul een FTE in tussen 0 en 1,5"} {
		if !strings.Contains(errText, want) {
			t.Errorf("error page lacks %q", want)
		}
	}
	checkA11y(t, b, "staff form with errors")

	// The other pages a programme manager uses, each checked for accessibility.
	for _, pg := range []struct{ name, path, wait string }{
		{"region home", "/regio/zio", "h1"},
		{"practice edit", fmt.Sprintf("/regio/zio/praktijken/%d/bewerken", p.ID), "#f-name"},
		{"practice history", fmt.Sprintf("/regio/zio/praktijken/%d/historie", p.ID), "h1"},
		{"regioplan", "/regio/zio/regioplan", "h1"},
		{"accounts", "/regio/zio/accounts", "h1"},
		{"new account", "/regio/zio/accounts/nieuw", "h1"},
		{"settings", "/regio/zio/instellingen", "h1"},
		{"import", "/regio/zio/import", "h1"},
		{"account", "/account", "h1"},
		{"region history", "/regio/zio/historie", "h1"},
	} {
		run(t, b, pg.name, chromedp.Navigate(base+pg.path), chromedp.WaitVisible(pg.wait))
		checkA11y(t, b, pg.name)
	}
	history := text(t, b, `main`)
	if !strings.Contains(history, "Sanne Bakker") {
		t.Errorf("region history does not show the added staff member")
	}
}

// run performs one step's actions; on failure it shows the page.
func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	// A ceiling, not a pace: on a busy 2-core CI machine (the PostgreSQL
	// pass runs the web tests beside these) a page load has taken over 20 s.
	stepCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx, actions...); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		t.Fatalf("%s: %v\npage: %.2000s", step, err, html)
	}
}

// text returns the visible text of the first element matching the CSS
// selector sel. CSS, not chromedp's default search: that also matches plain
// text, so "main" or "h1" would match a random link token that contains it.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}
