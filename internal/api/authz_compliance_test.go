package api

// Route × role rows of the compliance routes. The practice's standing (with
// names) goes to those who see the practice; the region's to region admins
// and consultants (their own practices). Funders, facilitators and other
// practices get 404 on both.

var seesRegionCompliance = all(404).with(expect{anon: 401, adminA: 200, platform: 200, consultantA: 200, consultantA2: 200})

func init() {
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/practices/{id}/compliance", path: "/api/v1/practices/{practice}/compliance?year=2026&date=2026-06-30", want: seesP1},
		routeRow{pattern: "GET /api/v1/regions/{code}/compliance", path: "/api/v1/regions/{region}/compliance?year=2026&date=2026-06-30", want: seesRegionCompliance},
	)
}
