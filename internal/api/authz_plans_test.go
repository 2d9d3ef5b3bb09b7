package api

import (
	"context"

	"meertijd/internal/mtvp"
)

// planWorld gives practice P1 a plan for 2026 (concept, plan version 1)
// and one for 2025 in bespreking (plan version 2); idempotent.
func planWorld(f *fixture) {
	f.t.Helper()
	ctx := context.Background()
	for year, status := range map[int]mtvp.PlanStatus{2026: mtvp.PlanConcept, 2025: mtvp.PlanDiscussion} {
		if _, err := f.db.Plan(ctx, f.p1.ID, year); err == nil {
			continue
		}
		c := mtvp.PlanContent{Ambition: "Meer tijd voor het goede gesprek"}
		p, err := f.db.SavePlan(ctx, mtvp.SystemActor, f.p1.ID, year, 0, &c)
		if err != nil {
			f.t.Fatal(err)
		}
		if status == mtvp.PlanDiscussion {
			if _, err := f.db.PlanStep(ctx, mtvp.SystemActor, p.ID, p.Version, mtvp.StepShare); err != nil {
				f.t.Fatal(err)
			}
		}
	}
}

func init() {
	w := planWorld
	const one = "/api/v1/practices/{practice}/plans/"
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/practices/{id}/plans/{year}", path: one + "2026", want: seesP1, setup: w},
		routeRow{pattern: "PUT /api/v1/practices/{id}/plans/{year}", path: one + "2026",
			body: `{"version":1,"ambition":"Rust in de praktijk","items":[]}`, want: editsP1Staff(200), setup: w},
		routeRow{pattern: "GET /api/v1/practices/{id}/plans/{year}/versions", path: one + "2026/versions", want: seesP1, setup: w},
		routeRow{pattern: "POST /api/v1/practices/{id}/plans/{year}/steps", path: one + "2026/steps",
			body: `{"version":1,"step":"delen"}`, want: editsP1Staff(201), setup: w},
		routeRow{pattern: "PUT /api/v1/practices/{id}/plans/{year}/agreement", path: one + "2025/agreement",
			body: `{"version":2,"discussed_on":"2025-06-01","agreed":[{anna}]}`, want: editsP1Staff(200), setup: w},
		routeRow{pattern: "GET /api/v1/regions/{code}/plans", path: "/api/v1/regions/{region}/plans?year=2026",
			want: adminsA(200).with(expect{consultantA: 200, consultantA2: 200}), setup: w},
	)
}
