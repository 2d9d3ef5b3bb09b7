package web

import "net/url"

// Route × role rows of the consult-duration page (issue 15 §1, §5): the
// practice, its own consultant and the region's admins; funders never see
// practice figures (404 like every outsider).
func init() {
	const p1 = "/regio/{region}/praktijken/{practice}/consultduur"
	// A form post without a file: those who may upload get the page again
	// with a message (422); nothing is stored for anyone.
	upload := expect{anon: 401, platform: 422, adminA: 422, adminB: 404, consultantA: 422, consultantA2: 404, practiceP1: 422, practiceP2: 404, facilitatorA: 404, funderA: 404}
	addRouteRows(
		routeRow{pattern: "GET " + p1, path: p1, want: practiceP1Page},
		routeRow{pattern: "POST " + p1, path: p1, form: url.Values{"bestand": {"Begintijd;Eindtijd;Rol\n02-12-2026 08:30;02-12-2026 08:45;huisarts\n"}}, want: upload},
	)
}
