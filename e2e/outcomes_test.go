package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/mtvp"
)

// TestOutcomesImportedAndCharted: a region admin imports a quarterly
// indicator list (preview, confirm), then the practice's Uitkomsten page
// shows the run chart with its signal and start line beside its table and
// summary, and the region's page the funnel of its practices. Pages are
// checked with axe-core at 1400 and 390 px.
func TestOutcomesImportedAndCharted(t *testing.T) {
	a := startApp(t, false)
	w := newWorld(t, a)
	admin := w.user("beheer@zio.nl", "Petra Programma", mtvp.AccountRegionAdmin, 0)
	p := w.practice(mtvp.Practice{AGB: "01061234", Name: "Huisartsenpraktijk De Linde", City: "Maastricht", RegisteredPatients: 2400,
		JoinedOn: mtvp.MustDate("2024-04-01")})
	w.practice(mtvp.Practice{AGB: "01061235", Name: "Huisartsenpraktijk Het Anker", City: "Meerssen", RegisteredPatients: 4100})

	// De Linde: nine quarters around 1,30 before its start in 2024-Q2,
	// then seven lower ones; Het Anker only in 2025-Q4.
	values := []string{"1,31", "1,29", "1,32", "1,28", "1,30", "1,33", "1,27", "1,31", "1,29", "1,15", "1,12", "1,10", "1,08", "1,09", "1,05", "1,04"}
	var sb strings.Builder
	sb.WriteString("niveau;AGB-code praktijk;indicator;kwartaal;waarde;bron;datum bron\n")
	for i, v := range values {
		q := mtvp.Quarter{Year: 2022 + i/4, Q: i%4 + 1}
		fmt.Fprintf(&sb, "praktijk;01061234;consulten per verzekerde;%d-K%d;%s;Vektis;%s\n", q.Year, q.Q, v, q.End().Short())
		fmt.Fprintf(&sb, "regio;;consulten per verzekerde;%d-K%d;1,25;CZ;%s\n", q.Year, q.Q, q.End().Short())
		fmt.Fprintf(&sb, "landelijk;;consulten per verzekerde;%d-K%d;1,2;Vektis landelijk;%s\n", q.Year, q.Q, q.End().Short())
	}
	sb.WriteString("praktijk;01061235;consulten per verzekerde;2025-K4;1,47;Vektis;31-12-2025\n")
	list := filepath.Join(t.TempDir(), "indicatoren.csv")
	w.must(os.WriteFile(list, []byte(sb.String()), 0o600))

	base := a.URL()
	b := browser(t)
	loginWithTOTP(t, b, base, admin.Email, testPassword)
	run(t, b, "import page", chromedp.Navigate(base+"/regio/zio/import?soort=indicatoren"), chromedp.WaitVisible(`#f-soort`))
	run(t, b, "preview",
		chromedp.SetUploadFiles(`#f-bestand`, []string{list}),
		chromedp.Submit(`#f-bestand`),
		chromedp.WaitVisible(`//button[contains(., "Import bevestigen")]`),
	)
	body := text(t, b, `main`)
	for _, want := range []string{"Indicatoren per kwartaal", "17 nieuwe praktijkcijfers", "16 nieuwe regiocijfers", "16 nieuwe landelijke cijfers",
		"nieuw: Huisartsenpraktijk De Linde, consulten per verzekerde 2022-Q1 = 1,31"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	checkA11y(t, b, "indicator preview")
	run(t, b, "confirm",
		chromedp.Click(`//button[contains(., "Import bevestigen")]`),
		chromedp.WaitVisible(`//*[contains(., "Geïmporteerd: 49 rijen")]`),
	)

	practice := fmt.Sprintf("%s/regio/zio/praktijken/%d/uitkomsten", base, p.ID)
	for _, vp := range []struct {
		name string
		act  chromedp.Action[chromedp.Void]
	}{
		{"1400", chromedp.EmulateViewport(1400, 1000)},
		{"390", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)},
	} {
		run(t, b, "practice outcomes "+vp.name, vp.act, chromedp.Navigate(practice), chromedp.WaitVisible(`#ind-consulten_per_verzekerde-summary`))
		summary := text(t, b, `#ind-consulten_per_verzekerde-summary`)
		for _, want := range []string{"Signaal: 8 kwartalen op rij", "vóór de start van MTVP", "regio 1,25"} {
			if !strings.Contains(summary, want) {
				t.Errorf("%s: summary lacks %q: %q", vp.name, want, summary)
			}
		}
		if n := count(t, b, `figure.outcome__chart svg[role="img"]`); n != 1 {
			t.Errorf("%s: %d charts on the practice page, want 1", vp.name, n)
		}
		normShot(t, b, "outcomes-practice-"+vp.name)
		checkA11y(t, b, "practice outcomes at "+vp.name+" px")

		run(t, b, "region outcomes "+vp.name, chromedp.Navigate(base+"/regio/zio/uitkomsten"), chromedp.WaitVisible(`#ind-consulten_per_verzekerde-funnel-summary`))
		if body := text(t, b, `main`); !strings.Contains(body, "Huisartsenpraktijk Het Anker") || !strings.Contains(body, "boven de 99,8%-grens") {
			t.Errorf("%s: funnel table: %q", vp.name, body)
		}
		normShot(t, b, "outcomes-region-"+vp.name)
		checkA11y(t, b, "region outcomes at "+vp.name+" px")
	}
}

// count returns how many elements match a CSS selector.
func count(t *testing.T, b context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('`+sel+`').length`))
	if err != nil {
		t.Fatalf("count %s: %v", sel, err)
	}
	return n
}
