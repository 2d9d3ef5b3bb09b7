package api

import (
	"context"
	"strconv"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// visitWorld adds, once per world, two visits of P1 (consultant A): visit 1
// planned today, visit 2 recorded last year. Only this setup writes the
// visit tables, so the ids are fixed.
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
	must(f.db.RecordVisit(ctx, sys, &done))
}

func init() {
	today := mtvp.DateOf(clock.Now())
	next := strconv.Itoa(today.Year()+1) + "-03-01"
	moved := today.AddDays(-1)
	if moved.Year() != today.Year() {
		moved = today.AddDays(1)
	}
	// Region list: admins and consultants (their own practices); other
	// members of A 403, funders included.
	regionList := adminsA(200).with(expect{consultantA: 200, consultantA2: 200})
	// Managing P1's visits: admins and P1's consultant; P1 itself 403.
	manage := func(ok int) expect {
		return seesP1.with(expect{consultantA: ok, adminA: ok, platform: ok, practiceP1: 403})
	}
	// Visit 1 is planned: P1 itself does not see it (404).
	planned := func(ok int) expect { return manage(ok).with(expect{practiceP1: 404}) }
	w := visitWorld
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/regions/{code}/visits", path: "/api/v1/regions/{region}/visits", want: regionList, setup: w},
		routeRow{pattern: "GET /api/v1/practices/{id}/visits", path: "/api/v1/practices/{practice}/visits", want: seesP1, setup: w},
		routeRow{pattern: "POST /api/v1/practices/{id}/visits", path: "/api/v1/practices/{practice}/visits", body: `{"planned_on":"` + next + `"}`, want: manage(201), setup: w},
		routeRow{pattern: "GET /api/v1/visits/{id}", path: "/api/v1/visits/2", want: seesP1, setup: w},
		routeRow{pattern: "PUT /api/v1/visits/{id}", path: "/api/v1/visits/1", body: `{"version":1,"planned_on":"` + moved.String() + `"}`, want: planned(200), setup: w},
		routeRow{pattern: "PUT /api/v1/visits/{id}/outcome", path: "/api/v1/visits/1/outcome",
			body: `{"version":1,"visited_on":"` + today.String() + `","judgement":"Prima","actions":[{"description":"Evalueren","owner":"Praktijkmanager"}]}`, want: planned(200), setup: w},
	)
}
