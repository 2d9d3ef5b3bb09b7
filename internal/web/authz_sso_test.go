package web

import (
	"net/url"

	"meertijd/internal/mtvp"
	"meertijd/internal/oidctest"
)

func init() {
	regionAdminA := expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	adminPostA := regionAdminA.with(expect{anon: 401, platform: 303, adminA: 303})
	settings := url.Values{"version": {"0"}, "name": {"Microsoft"}, "issuer": {"https://login.microsoftonline.com/tenant/v2.0"},
		"client_id": {"app"}, "client_secret": {"geheim"}, "domains": {"example.nl"}, "enabled": {"1"}}
	all := func(status int) expect {
		e := expect{}
		for _, w := range everyone {
			e[w] = status
		}
		return e
	}
	addRouteRows(
		// Anyone may start a single sign-on and come back from one; a
		// callback without its state is refused for everyone alike.
		routeRow{pattern: "GET /inloggen/sso/{provider}", path: "/inloggen/sso/host", want: all(303), setup: ssoHostSetup},
		routeRow{pattern: "GET /inloggen/sso/{provider}/terug", path: "/inloggen/sso/host/terug?state=onbekend&code=x", want: all(400), setup: ssoHostSetup},
		routeRow{pattern: "GET /regio/{region}/instellingen/sso", path: "/regio/{region}/instellingen/sso", want: regionAdminA},
		routeRow{pattern: "POST /regio/{region}/instellingen/sso", path: "/regio/{region}/instellingen/sso", form: settings, want: adminPostA, fresh: true},
	)
}

// ssoHostSetup gives the world's server a host provider: an OpenID
// provider running in the test process.
func ssoHostSetup(f *fixture) {
	if f.srv.cfg.SSO != nil {
		return
	}
	idp := oidctest.New(f.t)
	f.srv.cfg.SSO = &mtvp.SSOProvider{Name: "Test-IdP", Issuer: idp.Issuer, ClientID: idp.ClientID, Domains: []string{"example.nl"}, Enabled: true}
	f.srv.cfg.SSOClientSecret = idp.ClientSecret
}
