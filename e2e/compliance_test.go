package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/mtvp"
)

// TestComplianceDashboardFilter: a region admin opens the norms dashboard,
// filters by consultant and by status, and sees the rows and the totals
// change; the snapshots page and a consultant's own view are checked too.
// Pages are checked with axe-core.
func TestComplianceDashboardFilter(t *testing.T) {
	a := startApp(t, false)
	ctx := context.Background()
	sys := mtvp.SystemActor
	// Only the assistants' norm applies: a practice without assistants
	// meets it (not applicable), one with an untrained assistant does not.
	w := newWorld(t, a, func(r *mtvp.Region) {
		r.Insurers = []string{"CZ", "VGZ"}
		r.Settings.Requirements = []mtvp.Requirement{mtvp.ReqAssistantTraining}
	})
	must := w.must
	admin := w.user("beheer@zio.nl", "Petra Programma", mtvp.AccountRegionAdmin, 0)
	carla := w.user("carla@zio.nl", "Carla Consulent", mtvp.AccountConsultant, 0)
	dirk := w.user("dirk@zio.nl", "Dirk Consulent", mtvp.AccountConsultant, 0)
	practice := func(agb, name string, consultant int64, assistants int) {
		p := w.practice(mtvp.Practice{AGB: agb, Name: name, City: "Maastricht", RegisteredPatients: 2400, ConsultantID: consultant})
		for i := 0; i < assistants; i++ {
			person := mtvp.Person{Name: fmt.Sprintf("Assistent %s %d", name, i+1)}
			m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2022-01-01")}
			must(a.DB.AddStaff(ctx, sys, p.ID, &person, &m))
		}
	}
	practice("01061234", "Huisartsenpraktijk De Linde", carla.ID, 1)
	practice("01061235", "Praktijk Het Anker", carla.ID, 0)
	practice("01061236", "Gezondheidscentrum De Heeg", dirk.ID, 2)

	base := a.URL()
	dash := base + "/regio/zio/normen"
	b := browser(t)
	loginWithTOTP(t, b, base, admin.Email, testPassword)
	run(t, b, "dashboard",
		chromedp.Navigate(dash),
		chromedp.WaitVisible(`#norm-table`),
	)
	total := func() string { return strings.TrimSpace(text(t, b, `#norm-total`)) }
	rows := func() string { return text(t, b, `#norm-table tbody`) }
	if got := total(); !strings.Contains(got, "1 van 3 praktijken voldoen aan alle normen") {
		t.Fatalf("total: %q", got)
	}
	for _, name := range []string{"De Linde", "Het Anker", "De Heeg"} {
		if !strings.Contains(rows(), name) {
			t.Errorf("row %q missing", name)
		}
	}
	checkA11y(t, b, "norms dashboard")
	normShot(t, b, "dashboard")

	// The button submits through htmx (only the dashboard is replaced and
	// the address follows); Submit below posts the form without it.
	run(t, b, "filter by consultant",
		chromedp.SetValue(`#f-consulent`, fmt.Sprint(dirk.ID)),
		chromedp.Click(`//form[@role="search"]//button[@type="submit"]`),
		chromedp.WaitVisible(`//p[@id="norm-total"][contains(., "0 van 1 praktijken")]`),
	)
	if loc, err := chromedp.Run(b, chromedp.Location()); err != nil || !strings.Contains(loc, fmt.Sprintf("consulent=%d", dirk.ID)) {
		t.Errorf("address after filtering: %q (%v)", loc, err)
	}
	if r := rows(); !strings.Contains(r, "De Heeg") || strings.Contains(r, "De Linde") || strings.Contains(r, "Het Anker") {
		t.Errorf("rows for Dirk: %q", r)
	}
	if got := text(t, b, `#norm-at-risk, #norm-at-risk-none`); got == "" {
		t.Error("no at-risk section")
	}
	checkA11y(t, b, "norms dashboard filtered by consultant")

	run(t, b, "filter by status",
		chromedp.SetValue(`#f-consulent`, ""),
		chromedp.SetValue(`#f-status`, "voldaan"),
		chromedp.Submit(`#f-status`),
		chromedp.WaitVisible(`//p[@id="norm-total"][contains(., "1 van 1 praktijken")]`),
	)
	if r := rows(); !strings.Contains(r, "Het Anker") || strings.Contains(r, "De Heeg") {
		t.Errorf("rows that meet: %q", r)
	}
	run(t, b, "filter not met, sorted",
		chromedp.SetValue(`#f-status`, "niet-voldaan"),
		chromedp.Submit(`#f-status`),
		chromedp.WaitVisible(`//p[@id="norm-total"][contains(., "0 van 2 praktijken")]`),
		chromedp.Click(`//th/a[contains(., "Praktijk")]`),
		chromedp.WaitVisible(`//th[@aria-sort="descending"]`),
	)
	if r := rows(); strings.Index(r, "De Linde") > strings.Index(r, "De Heeg") {
		t.Errorf("not sorted Z–A: %q", r)
	}
	checkA11y(t, b, "norms dashboard filtered by status")

	run(t, b, "practice standing",
		chromedp.Click(`//a[contains(., "De Heeg")]`),
		chromedp.WaitVisible(`#standing-summary`),
	)
	if body := text(t, b, `main`); !strings.Contains(body, "Nog 1 assistent scholen: 0 van 2 geschoold, 1 nodig") || !strings.Contains(body, "Assistent Gezondheidscentrum De Heeg 1") {
		t.Errorf("practice standing: %q", body)
	}
	checkA11y(t, b, "practice standing")
	normShot(t, b, "practice")

	run(t, b, "snapshots",
		chromedp.Navigate(dash+"/momentopnamen"),
		chromedp.WaitVisible(`#f-notitie`),
		chromedp.SetValue(`#f-notitie`, "Jaargesprek CZ en VGZ"),
		chromedp.Submit(`#f-notitie`),
		chromedp.WaitVisible(`#snapshot-total`),
	)
	if got := text(t, b, `#snapshot-total`); !strings.Contains(got, "1 van 3 praktijken") {
		t.Errorf("snapshot total: %q", got)
	}
	checkA11y(t, b, "snapshot")
	normShot(t, b, "snapshot")
	run(t, b, "snapshot list", chromedp.Navigate(dash+"/momentopnamen"), chromedp.WaitVisible(`#snapshot-list`))
	checkA11y(t, b, "snapshot list")

	// A consultant sees only their own practices, from the menu.
	c := browser(t)
	loginWithTOTP(t, c, base, carla.Email, testPassword)
	run(t, c, "consultant dashboard",
		chromedp.Navigate(base+"/regio/zio"),
		chromedp.Click(`//nav//a[normalize-space(.)="Normen"]`),
		chromedp.WaitVisible(`#norm-table`),
	)
	if got := text(t, c, `#norm-total`); !strings.Contains(got, "1 van 2 praktijken") || strings.Contains(text(t, c, `main`), "De Heeg") {
		t.Errorf("consultant: %q", text(t, c, `main`))
	}
	checkA11y(t, c, "consultant norms dashboard")

	// At 1920 px the "Alle normen" column stays in view; at 390 px the
	// table becomes cards (no sideways scrolling) and stays axe clean.
	run(t, b, "wide dashboard", chromedp.EmulateViewport(1920, 1000), chromedp.Navigate(dash), chromedp.WaitVisible(`#norm-table`))
	inView, err := chromedp.Run(b, chromedp.Evaluate[bool](`(() => { const th = document.querySelector('#norm-table thead th:last-child'); const r = th.getBoundingClientRect(); return r.right <= window.innerWidth && r.width > 0 })()`))
	if err != nil || !inView {
		t.Errorf("'Alle normen' out of view at 1920 px (%v)", err)
	}
	run(t, b, "phone dashboard", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(dash), chromedp.WaitVisible(`#norm-table`))
	cards, err := chromedp.Run(b, chromedp.Evaluate[bool](`(() => { const td = document.querySelector('#norm-table tbody td[data-label]'); return getComputedStyle(td).display !== 'table-cell' && document.documentElement.scrollWidth <= 390 })()`))
	if err != nil || !cards {
		t.Errorf("the norms table is not cards at 390 px (%v)", err)
	}
	normShot(t, b, "norms-390")
	checkA11y(t, b, "norms dashboard at 390 px")
}

// normShot saves a screenshot when MEERTIJD_E2E_SHOTS names a folder.
func normShot(t *testing.T, b context.Context, name string) {
	dir := os.Getenv("MEERTIJD_E2E_SHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	_ = os.WriteFile(dir+"/"+name+".png", png, 0o600)
}
