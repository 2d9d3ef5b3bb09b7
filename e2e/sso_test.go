package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"meertijd/internal/app"
	"meertijd/internal/mtvp"
	"meertijd/internal/oidctest"
)

// TestSingleSignOn: the host's OpenID provider (started in the test
// process) is a button on the login page; a consultant whose provider
// asserted MFA clicks it and lands on the region's home without a TOTP
// step; an address without an account gets the refusal (in the
// browser's language) and stays
// signed out.
func TestSingleSignOn(t *testing.T) {
	chromiumPath(t)
	idp := oidctest.New(t)
	addr := freeAddr(t)
	a := startAppConfig(t, app.Config{Addr: addr, BaseURL: "http://" + addr, SSOClientSecret: idp.ClientSecret,
		SSO: &mtvp.SSOProvider{Name: "Organisatie-IdP", Issuer: idp.Issuer, ClientID: idp.ClientID, Domains: []string{"zio.nl"}, Enabled: true}})
	w := newWorld(t, a)
	consultant := w.user("consulent@zio.nl", "Carla Consulent", mtvp.AccountConsultant, 0)
	base := a.URL()

	b := browser(t)
	run(t, b, "login page", chromedp.Navigate(base+"/inloggen"), chromedp.WaitVisible(chromedp.CSS(`a.sso-button`)))
	if got := strings.TrimSpace(text(t, b, `a.sso-button`)); got != "Inloggen met Organisatie-IdP" && got != "Sign in with Organisatie-IdP" {
		t.Fatalf("button %q", got)
	}
	checkA11y(t, b, "login page with single sign-on")

	idp.SignInAs(oidctest.Identity{Email: consultant.Email, EmailVerified: true, Name: consultant.Name, AMR: []string{"pwd", "mfa"}})
	run(t, b, "click the button",
		chromedp.Click(chromedp.CSS(`a.sso-button`)),
		chromedp.WaitNotPresent(chromedp.CSS(`a.sso-button`)),
		chromedp.WaitVisible(chromedp.CSS(`h1`)),
	)
	loc, err := chromedp.Run(b, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(loc, base+"/regio/zio") {
		t.Fatalf("landed on %s, want the region's home", loc)
	}
	if body := text(t, b, `body`); !strings.Contains(body, consultant.Name) {
		t.Fatalf("not signed in as %s: %.500s", consultant.Name, body)
	}

	c := browser(t)
	idp.SignInAs(oidctest.Identity{Email: "onbekend@zio.nl", EmailVerified: true})
	run(t, c, "unknown address",
		chromedp.Navigate(base+"/inloggen"),
		chromedp.WaitVisible(chromedp.CSS(`a.sso-button`)),
		chromedp.Click(chromedp.CSS(`a.sso-button`)),
		chromedp.WaitVisible(chromedp.CSS(`[role="alert"]`)),
	)
	if msg := text(t, c, `[role="alert"]`); !containsAny(msg, "geen account en geen openstaande uitnodiging", "no account and no open invitation") {
		t.Fatalf("refusal %q", msg)
	}
	checkA11y(t, c, "login page after a refused single sign-on")
}
