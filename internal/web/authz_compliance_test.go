package web

import (
	"context"
	"net/url"
	"strconv"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// complianceWorld freezes one snapshot of region A (once per world) and
// names it {snapshot}.
func complianceWorld(f *fixture) {
	ctx := context.Background()
	list, err := f.db.ListComplianceSnapshots(ctx, f.regionA.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(list) == 0 {
		today := mtvp.DateOf(clock.Now())
		facts, err := f.db.ComplianceFacts(ctx, f.regionA.ID, today.Year(), today)
		if err != nil {
			f.t.Fatal(err)
		}
		standings := map[int64]mtvp.Standing{}
		for id, fa := range facts {
			standings[id] = mtvp.EvaluateCompliance(fa, f.regionA.Settings, today.Year(), today)
		}
		snap := mtvp.NewComplianceSnapshot(f.regionA.ID, today.Year(), today, "Jaargesprek", f.regionA.Settings, []mtvp.Practice{f.p1, f.p2}, standings)
		if err := f.db.CreateComplianceSnapshot(ctx, mtvp.SystemActor, &snap); err != nil {
			f.t.Fatal(err)
		}
		list = append(list, snap)
	}
	f.vars["{snapshot}"] = strconv.FormatInt(list[0].ID, 10)
}

func init() {
	// Funders get aggregates elsewhere (issue 7), never this per-practice
	// standing: 403 inside their region, like every other non-listing role.
	freeze := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	today := mtvp.DateOf(clock.Now())
	form := url.Values{"jaar": {strconv.Itoa(today.Year())}, "peildatum": {today.String()}, "notitie": {"Jaargesprek CZ/VGZ"}}
	const base = "/regio/{region}/normen"
	const snap = base + "/momentopnamen/{snapshot}"
	addRouteRows(
		routeRow{pattern: "GET " + base, path: base + "?status=niet-voldaan&sorteer=intervisie", want: practiceListA},
		routeRow{pattern: "GET " + base + "/stand.xlsx", path: base + "/stand.xlsx?status=niet-voldaan", want: practiceListA},
		routeRow{pattern: "GET " + base + "/stand.csv", path: base + "/stand.csv", want: practiceListA},
		routeRow{pattern: "GET " + base + "/momentopnamen", path: base + "/momentopnamen", want: regionAdminA, setup: complianceWorld},
		routeRow{pattern: "POST " + base + "/momentopnamen", path: base + "/momentopnamen", form: form, want: freeze, setup: complianceWorld},
		routeRow{pattern: "GET " + snap, path: snap, want: regionAdminA, setup: complianceWorld},
		routeRow{pattern: "GET " + snap + "/normen.xlsx", path: snap + "/normen.xlsx", want: regionAdminA, setup: complianceWorld},
		routeRow{pattern: "GET " + snap + "/normen.csv", path: snap + "/normen.csv", want: regionAdminA, setup: complianceWorld},
		routeRow{pattern: "GET " + snap + "/normen.pdf", path: snap + "/normen.pdf", want: regionAdminA, setup: complianceWorld},
		routeRow{pattern: "GET /regio/{region}/praktijken/{practice}/normen", path: "/regio/{region}/praktijken/{practice}/normen", want: practiceP1Page},
	)
}
