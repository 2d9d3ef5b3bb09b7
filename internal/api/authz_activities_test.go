package api

import (
	"context"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// activityWorld adds, once per world, a network meeting of region A
// (activity 1) without sign-ups.
func activityWorld(f *fixture) {
	ctx := context.Background()
	if list, err := f.db.Activities(ctx, store.ActivityFilter{RegionID: f.regionA.ID}); err != nil || len(list) > 0 {
		if err != nil {
			f.t.Fatal(err)
		}
		return
	}
	x := mtvp.Activity{RegionID: f.regionA.ID, Kind: mtvp.KindNetwork, Title: "Netwerkavond", Date: mtvp.DateOf(clock.Now()).AddDays(20),
		StartTime: "19:00", EndTime: "21:00", Place: "Maastricht", Capacity: 10}
	if err := f.db.CreateActivity(ctx, mtvp.SystemActor, &x); err != nil {
		f.t.Fatal(err)
	}
}

func init() {
	works := seesRegionA.with(expect{funderA: 403})
	create := all(403).with(expect{anon: 401, adminB: 404, adminA: 201, platform: 201, consultantA: 201, consultantA2: 201, funderA: 403})
	signUp := all(422).with(expect{anon: 401, adminB: 404, funderA: 403, practiceP1: 201, adminA: 201, platform: 201, consultantA: 201})
	update := create.with(expect{adminA: 200, platform: 200, consultantA: 200, consultantA2: 200})
	w := activityWorld
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/regions/{code}/activities", path: "/api/v1/regions/{region}/activities?kind=netwerk", want: works, setup: w},
		routeRow{pattern: "POST /api/v1/regions/{code}/activities", path: "/api/v1/regions/{region}/activities",
			body: `{"kind":"netwerk","title":"Netwerkavond","date":"2099-03-10","start_time":"19:00","end_time":"21:00","place":"Sittard","capacity":20}`, want: create},
		routeRow{pattern: "PUT /api/v1/activities/{id}", path: "/api/v1/activities/1",
			body: `{"title":"Netwerkavond sociaal domein","capacity":12,"version":1}`, want: update, setup: w},
		routeRow{pattern: "DELETE /api/v1/activities/{id}", path: "/api/v1/activities/1?version=1", want: update, setup: w},
		routeRow{pattern: "GET /api/v1/activities/{id}/signups", path: "/api/v1/activities/1/signups", want: works, setup: w},
		routeRow{pattern: "POST /api/v1/activities/{id}/signups", path: "/api/v1/activities/1/signups",
			body: `{"practice_id":{practice},"person_id":{anna}}`, want: signUp, setup: w},
	)
}
