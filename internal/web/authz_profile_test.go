package web

import "net/url"

func init() {
	const one = "/regio/{region}/praktijken/{practice}/profiel"
	// Saving: the practice, its own consultant and region admins; others
	// who cannot see P1 get 404.
	save := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 303, consultantA2: 404, practiceP1: 303, practiceP2: 404, facilitatorA: 404, funderA: 404}
	addRouteRows(
		routeRow{pattern: "GET " + one, path: one, want: practiceP1Page},
		routeRow{pattern: "POST " + one, path: one, form: url.Values{"version": {"0"}, "focus": {"Triage"}, "ambitions": {"Minder werkdruk"}}, want: save},
		routeRow{pattern: "GET " + one + ".pdf", path: one + ".pdf", want: practiceP1Page},
	)
}
