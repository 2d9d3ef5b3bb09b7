package web

import "net/url"

// Route × role rows of the region home, the practice overview, the practice
// page with its staff, and the practice history.
func init() {
	// Region administration (POST): only admins of region A succeed.
	adminPostA := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	// Changing P1 (details, staff) as a page: P1's consultant sees it but
	// may not change it.
	editP1 := practiceP1Page.with(expect{consultantA: 403})
	// Changing P1 (POST).
	editP1Post := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 404, practiceP1: 303, practiceP2: 404, facilitatorA: 404, funderA: 404}

	const p1 = "/regio/{region}/praktijken/{practice}"
	addRouteRows(
		routeRow{pattern: "GET /regio/{region}", path: "/regio/{region}", want: regionMembersA.with(expect{funderA: 303})},
		routeRow{pattern: "GET /regio/{region}/praktijken", path: "/regio/{region}/praktijken?q=een&sorteer=patienten", want: practiceListA},
		routeRow{pattern: "GET /regio/{region}/praktijken/lijst.xlsx", path: "/regio/{region}/praktijken/lijst.xlsx?q=een", want: practiceListA},
		routeRow{pattern: "GET /regio/{region}/praktijken/lijst.csv", path: "/regio/{region}/praktijken/lijst.csv?q=een", want: practiceListA},
		routeRow{pattern: "GET /regio/{region}/praktijken/nieuw", path: "/regio/{region}/praktijken/nieuw", want: regionAdminA},
		routeRow{pattern: "POST /regio/{region}/praktijken", path: "/regio/{region}/praktijken",
			form: url.Values{"agb": {"01000099"}, "name": {"Nieuwe Praktijk"}, "city": {"Gulpen"}, "registered_patients": {"1800"}, "status": {"aangemeld"}},
			want: adminPostA},
		routeRow{pattern: "GET /regio/{region}/praktijken/{practice}", path: p1, want: practiceP1Page},
		routeRow{pattern: "GET /regio/{region}/praktijken/{practice}/bewerken", path: p1 + "/bewerken", want: editP1},
		routeRow{pattern: "POST /regio/{region}/praktijken/{practice}", path: p1,
			form: url.Values{"version": {"1"}, "name": {"Praktijk Een"}, "city": {"Maastricht"}, "registered_patients": {"2600"},
				"agb": {"01000001"}, "status": {"actief"}, "joined_on": {"2024-04-01"}},
			want: editP1Post},
		routeRow{pattern: "GET /regio/{region}/praktijken/{practice}/historie", path: p1 + "/historie", want: regionAdminA},
		routeRow{pattern: "GET /regio/{region}/praktijken/{practice}/medewerkers/nieuw", path: p1 + "/medewerkers/nieuw", want: editP1},
		routeRow{pattern: "POST /regio/{region}/praktijken/{practice}/medewerkers", path: p1 + "/medewerkers",
			form: url.Values{"name": {"Bert Jansen"}, "role": {"doktersassistent"}, "fte": {"0,6"}, "from": {"2025-01-01"}},
			want: editP1Post},
		routeRow{pattern: "GET /regio/{region}/praktijken/{practice}/medewerkers/{membership}/bewerken", path: p1 + "/medewerkers/{membership}/bewerken", want: editP1},
		routeRow{pattern: "POST /regio/{region}/praktijken/{practice}/medewerkers/{membership}", path: p1 + "/medewerkers/{membership}",
			form: url.Values{"version": {"1"}, "person_version": {"1"}, "name": {"Anna de Vries"}, "email": {"anna@praktijkeen.nl"}, "big": {"12345678901"},
				"role": {"praktijkhouder"}, "fte": {"0,9"}, "from": {"2020-01-01"}},
			want: editP1Post},
		routeRow{pattern: "POST /regio/{region}/praktijken/{practice}/medewerkers/{membership}/beeindigen", path: p1 + "/medewerkers/{membership}/beeindigen",
			form: url.Values{"version": {"1"}, "end_on": {"2025-12-31"}},
			want: editP1Post},
	)
}
