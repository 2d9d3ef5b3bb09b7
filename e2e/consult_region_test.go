package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFunderSeesRegionConsultDuration: the insurers of the demo (CZ for
// ZIO, VGZ for PrimaCura) open the region's consult duration from the
// menu: quarters and weeks of the region, the early weeks of too few
// practices hidden, no practice named (a practice's own page stays closed
// to them: TestRegionConsultAsFunder). Checked with axe-core, and at 390 px
// nothing scrolls sideways but the tables.
func TestFunderSeesRegionConsultDuration(t *testing.T) {
	a := startApp(t, true)
	base := a.URL()
	for _, c := range []struct{ login, region string }{{"cz.zio", "zio"}, {"vgz.primacura", "primacura"}} {
		t.Run(c.login, func(t *testing.T) {
			b := browser(t)
			loginPassword(t, b, base, c.login+"@demo.meertijd.nl", "meertijd-demo-2026")
			run(t, b, "menu", chromedp.Navigate(base+"/regio/"+c.region+"/verantwoording"), chromedp.WaitVisible(chromedp.CSS(`nav a[href="/regio/`+c.region+`/consultduur"]`)))
			// The link sits in the menu's Resultaten group: open it first.
			run(t, b, "region consult duration",
				chromedp.Click(`//nav//details[.//a[@href="/regio/`+c.region+`/consultduur"]]/summary`),
				chromedp.Click(chromedp.CSS(`nav a[href="/regio/`+c.region+`/consultduur"]`)),
				chromedp.WaitVisible(chromedp.CSS(`#consult-quarters`)),
			)
			body := text(t, b, `main`)
			for _, want := range []string{"Consultduur in de regio", "minder dan 5 praktijken: niet getoond", "Consulten per fte huisarts per week"} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if strings.Contains(body, "Huisartsenpraktijk") || strings.Contains(body, "Huisartsengroep") {
				t.Errorf("the funder's page names a practice")
			}
			checkA11y(t, b, "region consult duration "+c.login)
			run(t, b, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#consult-weeks`)))
			fits, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= 390`))
			if err != nil || !fits {
				t.Errorf("the page scrolls sideways at 390 px (%v)", err)
			}
			normShot(t, b, "consult-region-390-"+c.region)
		})
	}
}
