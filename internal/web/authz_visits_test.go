package web

import (
	"context"
	"net/url"
	"strconv"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// visitWorld adds, once per world, two visits of P1 (consultant A): visit 1
// planned for today (this year) and visit 2 recorded last year. Only this
// setup writes the visit tables, so the ids are fixed.
func visitWorld(f *fixture) {
	ctx := context.Background()
	vs, err := f.db.ListVisits(ctx, store.VisitFilter{PracticeID: f.p1.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(vs) > 0 {
		return
	}
	must := func(err error) {
		f.t.Helper()
		if err != nil {
			f.t.Fatal(err)
		}
	}
	sys := mtvp.SystemActor
	today := mtvp.DateOf(clock.Now())
	planned := mtvp.Visit{PracticeID: f.p1.ID, Year: today.Year(), PlannedOn: today}
	must(f.db.CreateVisit(ctx, sys, &planned))
	last := today.Year() - 1
	done := mtvp.Visit{PracticeID: f.p1.ID, Year: last, PlannedOn: mtvp.NewDate(last, 6, 1)}
	must(f.db.CreateVisit(ctx, sys, &done))
	done.VisitedOn, done.Judgement = mtvp.NewDate(last, 6, 1), "Goed op weg"
	done.Actions = []mtvp.VisitAction{{Description: "Triageprotocol bijwerken", Owner: "Praktijkmanager"}}
	must(f.db.RecordVisit(ctx, sys, &done))
}

func init() {
	today := mtvp.DateOf(clock.Now())
	const base = "/regio/{region}"
	const p1 = base + "/praktijken/{practice}/bezoeken"
	// Managing a P1 visit: region admins and P1's consultant; the practice
	// itself may read reports but never write (403), and a planned visit
	// is invisible to it (404); everyone else 404.
	manageGet := practiceP1Page.with(expect{practiceP1: 403})
	managePost := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 303, consultantA2: 404, practiceP1: 403, practiceP2: 404, facilitatorA: 404, funderA: 404}
	plannedGet := practiceP1Page.with(expect{practiceP1: 404})
	plannedPost := managePost.with(expect{practiceP1: 404})
	mine := regionAdminA.with(expect{consultantA: 200, consultantA2: 200})
	next := strconv.Itoa(today.Year()+1) + "-03-01"
	addRouteRows(
		routeRow{pattern: "GET " + base + "/bezoeken", path: base + "/bezoeken?jaar={year}", want: regionAdminA, setup: visitWorld},
		routeRow{pattern: "GET " + base + "/bezoeken/lijst.xlsx", path: base + "/bezoeken/lijst.xlsx?jaar={year}", want: regionAdminA, setup: visitWorld},
		routeRow{pattern: "GET " + base + "/bezoeken/lijst.csv", path: base + "/bezoeken/lijst.csv?jaar={year}", want: regionAdminA, setup: visitWorld},
		routeRow{pattern: "GET " + base + "/mijn-bezoeken", path: base + "/mijn-bezoeken", want: mine, setup: visitWorld},
		routeRow{pattern: "GET " + p1, path: p1, want: practiceP1Page, setup: visitWorld},
		routeRow{pattern: "GET " + p1 + "/nieuw", path: p1 + "/nieuw", want: manageGet, setup: visitWorld},
		routeRow{pattern: "POST " + p1, path: p1, form: url.Values{"planned_on": {next}}, want: managePost, setup: visitWorld},
		routeRow{pattern: "GET " + p1 + "/{visit}", path: p1 + "/2", want: practiceP1Page, setup: visitWorld},
		routeRow{pattern: "POST " + p1 + "/{visit}", path: p1 + "/1", form: url.Values{"version": {"1"}, "planned_on": {today.String()}, "status": {"gepland"}},
			want: plannedPost, setup: visitWorld},
		routeRow{pattern: "GET " + p1 + "/{visit}/verslag", path: p1 + "/1/verslag", want: plannedGet.with(expect{practiceP1: 404}), setup: visitWorld},
		routeRow{pattern: "POST " + p1 + "/{visit}/verslag", path: p1 + "/1/verslag",
			form: url.Values{"version": {"1"}, "visited_on": {today.String()}, "judgement": {"Prima bezoek"}, "action_rows": {"1"}, "action.0.description": {"Evalueren"}},
			want: plannedPost, setup: visitWorld},
	)
}
