package web

import (
	"context"
	"net/url"

	"meertijd/internal/mtvp"
)

// ensurePlan gives practice P1 a plan for year in the given status (once
// per world): version 1 in concept, shared when status is in bespreking.
func ensurePlan(f *fixture, year int, status mtvp.PlanStatus) mtvp.Plan {
	f.t.Helper()
	ctx := context.Background()
	if p, err := f.db.Plan(ctx, f.p1.ID, year); err == nil {
		return p
	}
	c := mtvp.PlanContent{Ambition: "Meer tijd voor het goede gesprek"}
	p, err := f.db.SavePlan(ctx, mtvp.SystemActor, f.p1.ID, year, 0, &c)
	if err != nil {
		f.t.Fatal(err)
	}
	if status == mtvp.PlanDiscussion {
		if p, err = f.db.PlanStep(ctx, mtvp.SystemActor, p.ID, p.Version, mtvp.StepShare); err != nil {
			f.t.Fatal(err)
		}
	}
	return p
}

func init() {
	concept := func(f *fixture) { ensurePlan(f, 2026, mtvp.PlanConcept) }
	discussed := func(f *fixture) { ensurePlan(f, 2025, mtvp.PlanDiscussion) }
	// P1's plan (GET): who sees the practice; the consultant may not edit.
	seeP1 := practiceP1Page
	editP1 := practiceP1Page.with(expect{consultantA: 403})
	redirectP1 := practiceP1Page.with(expect{platform: 303, adminA: 303, consultantA: 303, practiceP1: 303})
	// Changing P1's plan (POST).
	editP1Post := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 404, practiceP1: 303, practiceP2: 404, facilitatorA: 404, funderA: 404}
	// Commenting: the consultant takes part.
	commentP1 := editP1Post.with(expect{consultantA: 303})

	const base = "/regio/{region}/praktijken/{practice}/plan"
	const pat = "/regio/{region}/praktijken/{practice}/plan/{year}"
	addRouteRows(
		routeRow{pattern: "GET " + base, path: base, want: redirectP1},
		routeRow{pattern: "GET " + pat, path: base + "/2026?van=1&naar=1", want: seeP1, setup: concept},
		routeRow{pattern: "GET " + pat + "/bewerken", path: base + "/2026/bewerken", want: editP1, setup: concept},
		routeRow{pattern: "GET " + pat + "/pdf", path: base + "/2026/pdf?versie=1", want: seeP1, setup: concept},
		routeRow{pattern: "GET " + pat + "/stap/{step}", path: base + "/2026/stap/delen", want: editP1, setup: concept},
		routeRow{pattern: "POST " + pat, path: base + "/2026", setup: concept,
			form: url.Values{"version": {"1"}, "base": {"1"}, "ambition": {"Rust in de praktijk"}, "items.A.1.current": {"Telefoon loopt vol"}, "items.A.1.count": {"1"},
				"items.A.1.actions.0.description": {"Training volgen"}, "items.A.1.actions.0.owner": {"Assistenten"}, "items.A.1.actions.0.status": {"gepland"}},
			want: editP1Post},
		routeRow{pattern: "POST " + pat + "/stap/{step}", path: base + "/2026/stap/delen", setup: concept,
			form: url.Values{"version": {"1"}}, want: editP1Post},
		routeRow{pattern: "POST " + pat + "/instemming", path: base + "/2025/instemming", setup: discussed,
			form: url.Values{"version": {"2"}, "discussed_on": {"2025-06-01"}, "agreed": {"1"}}, want: editP1Post},
		routeRow{pattern: "POST " + pat + "/opmerkingen", path: base + "/2026/opmerkingen", setup: concept,
			form: url.Values{"section": {"algemeen"}, "body": {"Mooi plan; hoe betrekken jullie de assistenten?"}}, want: commentP1},
		routeRow{pattern: "POST " + pat + "/teamoverleg", path: base + "/2026/teamoverleg", setup: concept,
			form: url.Values{"held_on": {"2026-01-10"}, "works": {"Triage aan de telefoon"}, "needs": {"Tijd voor overleg"}}, want: editP1Post},
		routeRow{pattern: "POST " + pat + "/overnemen", path: base + "/2027/overnemen", setup: concept, want: editP1Post},
		routeRow{pattern: "GET /regio/{region}/plannen", path: "/regio/{region}/plannen?jaar=2026&status=concept", want: practiceListA, setup: concept},
		routeRow{pattern: "GET /regio/{region}/plannen/lijst.xlsx", path: "/regio/{region}/plannen/lijst.xlsx?jaar=2026&status=concept", want: practiceListA, setup: concept},
		routeRow{pattern: "GET /regio/{region}/plannen/lijst.csv", path: "/regio/{region}/plannen/lijst.csv", want: practiceListA, setup: concept},
	)
}
