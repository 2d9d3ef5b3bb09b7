package web

import "net/url"

// Route × role rows of the import: region admins only; other members of
// region A get 403, outsiders 404.
func init() {
	// A form post without a file: admins get the upload page again with a
	// message (422); nothing is changed for anyone.
	uploadA := expect{anon: 401, platform: 422, adminA: 422, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	// Confirming without a checked file sends admins back to the upload
	// page (303) and imports nothing.
	confirmA := uploadA.with(expect{platform: 303, adminA: 303})
	addRouteRows(
		routeRow{pattern: "GET /regio/{region}/import", path: "/regio/{region}/import", want: regionAdminA},
		routeRow{pattern: "GET /regio/{region}/import/sjabloon/{soort}", path: "/regio/{region}/import/sjabloon/intervisie", want: regionAdminA},
		routeRow{pattern: "GET /regio/{region}/import/voorbeeld.csv", path: "/regio/{region}/import/voorbeeld.csv", want: regionAdminA},
		routeRow{pattern: "POST /regio/{region}/import", path: "/regio/{region}/import", form: url.Values{"bestand": {"AGB;praktijknaam\n01000077;Praktijk Zeven\n"}}, want: uploadA},
		routeRow{pattern: "POST /regio/{region}/import/bevestigen", path: "/regio/{region}/import/bevestigen", want: confirmA},
	)
}
