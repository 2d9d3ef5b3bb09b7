package api

// Route × role rows of consult duration (issue 15 §1, §5): the practice,
// its consultant and region admins; funders and every other outsider 404.
func init() {
	upload := seesP1.with(expect{consultantA: 201, practiceP1: 201, adminA: 201, platform: 201})
	routeRows = append(routeRows,
		routeRow{pattern: "POST /api/v1/practices/{id}/agenda-uploads",
			path: "/api/v1/practices/{practice}/agenda-uploads?start=Begin&end=Eind&role=Rol&file_name=agenda.csv",
			body: "Patiënt;Begin;Eind;Rol\nP1;02-12-2026 08:30;02-12-2026 08:45;huisarts\n", want: upload},
		routeRow{pattern: "GET /api/v1/practices/{id}/consult-weeks", path: "/api/v1/practices/{practice}/consult-weeks?from=2026-W01", want: seesP1},
	)
}
