package api

// Route × role rows of consult duration (issue 15 §1, §5): a practice's
// figures for the practice, its consultant and region admins, funders and
// every other outsider 404; the region's aggregates for its funders and
// admins.
func init() {
	upload := seesP1.with(expect{consultantA: 201, practiceP1: 201, adminA: 201, platform: 201})
	routeRows = append(routeRows,
		routeRow{pattern: "POST /api/v1/practices/{id}/agenda-uploads",
			path: "/api/v1/practices/{practice}/agenda-uploads?start=Begin&end=Eind&role=Rol&file_name=agenda.csv",
			body: "Patiënt;Begin;Eind;Rol\nP1;02-12-2026 08:30;02-12-2026 08:45;huisarts\n", want: upload},
		routeRow{pattern: "GET /api/v1/practices/{id}/consult-weeks", path: "/api/v1/practices/{practice}/consult-weeks?from=2026-W01", want: seesP1},
		// The region's aggregates (issue 15 §5): its funders and admins.
		routeRow{pattern: "GET /api/v1/regions/{code}/consult-weeks", path: "/api/v1/regions/{region}/consult-weeks?role=huisarts",
			want: all(403).with(expect{anon: 401, adminB: 404, adminA: 200, platform: 200, funderA: 200})},
	)
}
