package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/mtvp"
)

// TestMenuButtonOnPhone: at 390 px the main menu folds behind one button
// (one row instead of five); the button opens and closes it, says so with
// aria-expanded, and the page stays axe clean open and closed.
func TestMenuButtonOnPhone(t *testing.T) {
	a := startApp(t, false)
	w := newWorld(t, a)
	p := w.practice(mtvp.Practice{AGB: "01012345", Name: "Huisartsenpraktijk De Linde", RegisteredPatients: 2400})
	u := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, p.ID)
	base := a.URL()
	b := browser(t)
	run(t, b, "phone", chromedp.EmulateViewport(390, 844))
	loginPassword(t, b, base, u.Email, testPassword)
	run(t, b, "region page", chromedp.Navigate(base+"/regio/zio"), chromedp.WaitVisible(`.site-nav__toggle`))
	visible := func(sel string) bool {
		t.Helper()
		v, err := chromedp.Run(b, chromedp.Evaluate[bool](`(() => { const e = document.querySelector('`+sel+`'); return !!e && e.offsetParent !== null })()`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	expanded := func() string {
		t.Helper()
		v, err := chromedp.Run(b, chromedp.AttributeValue(`.site-nav__toggle`, "aria-expanded"))
		if err != nil {
			t.Fatal(err)
		}
		return v.Value
	}
	if visible(`.site-nav__list`) || expanded() != "false" {
		t.Fatalf("menu open on a phone before the button is pressed (expanded %q)", expanded())
	}
	checkA11y(t, b, "phone, menu closed")
	run(t, b, "open menu", chromedp.Click(`.site-nav__toggle`), chromedp.WaitVisible(`.site-nav__list`))
	if expanded() != "true" {
		t.Errorf("aria-expanded %q after opening", expanded())
	}
	if nav := text(t, b, `.site-nav__list`); !strings.Contains(nav, "Intervisie") || !strings.Contains(nav, p.Name) {
		t.Errorf("open menu lacks links: %q", nav)
	}
	checkA11y(t, b, "phone, menu open")
	run(t, b, "close menu", chromedp.Click(`.site-nav__toggle`), chromedp.WaitNotVisible(`.site-nav__list`))

	// On a wide screen there is no button: the links show in one bar.
	run(t, b, "desktop", chromedp.EmulateViewport(1400, 900), chromedp.Reload(), chromedp.WaitVisible(`.site-nav__list`))
	if visible(`.site-nav__toggle`) {
		t.Error("menu button shown on a wide screen")
	}
}
