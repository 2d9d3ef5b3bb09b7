package api

import (
	"context"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// ivYear is the intervision fixtures' programme year: this year on
// meertijd's calendar, so a practice may still sign up (a past year is
// closed to practices) whatever day the suite runs on.
var ivYear = clock.Now().Year()

// ivPast is month/day of ivYear, or today when that day is still ahead:
// on 1 January every other day of the year is in the future.
func ivPast(m time.Month, d int) mtvp.Date {
	day, today := mtvp.NewDate(ivYear, m, d), mtvp.DateOf(clock.Now())
	if day.After(today) {
		return today
	}
	return day
}

// ivy writes ivYear where a body or path says {ivyear}.
func ivy(s string) string {
	return strings.ReplaceAll(s, "{ivyear}", strconv.Itoa(ivYear))
}

// intervisionWorld adds, once per world, three groups of ivYear in region A:
// G1 (id 1; facilitator A; 2 places: Anna of P1 = member 1, Lotte of P2 =
// member 2, Daan of P1 waiting = member 3) with meeting 1, G2 (id 2) of
// another facilitator, and G3 (id 3; facilitator A) with room. Only this
// setup writes the intervision tables, so the ids are fixed.
func intervisionWorld(f *fixture) {
	ctx := context.Background()
	if gs, err := f.db.ListGroups(ctx, mtvp.GroupFilter{RegionID: f.regionA.ID, Year: ivYear}); err != nil || len(gs) > 0 {
		if err != nil {
			f.t.Fatal(err)
		}
		return
	}
	must := func(err error) {
		f.t.Helper()
		if err != nil {
			f.t.Fatal(err)
		}
	}
	sys := mtvp.SystemActor
	if f.users[facilitatorA].ID != 8 {
		f.t.Fatalf("facilitator A has id %d; the rows' bodies assume 8", f.users[facilitatorA].ID)
	}
	other := &mtvp.User{Email: "ekc-ander@example.nl", Name: "EKC Ander", Grants: []mtvp.Grant{{Role: mtvp.AccountFacilitator, RegionID: f.regionA.ID}}}
	must(f.db.CreateUser(ctx, sys, other, ""))
	fac := f.users[facilitatorA].ID
	for _, g := range []mtvp.Group{
		{Name: "Heuvelland", FacilitatorID: fac, Place: "Gulpen", Weekday: 2, Capacity: 2},
		{Name: "Maasvallei", FacilitatorID: other.ID, Place: "Maastricht", Weekday: 4, Capacity: 8},
		{Name: "Mergelland", FacilitatorID: fac, Place: "Meerssen", Weekday: 1, Capacity: 8},
	} {
		g.RegionID, g.Year = f.regionA.ID, ivYear
		must(f.db.CreateGroup(ctx, sys, &g))
	}
	daan := mtvp.Person{Name: "Daan Dirksen"}
	must(f.db.AddStaff(ctx, sys, f.p1.ID, &daan, &mtvp.Membership{Role: mtvp.RolePraktijkhouder, FTE: 1, From: mtvp.MustDate("2020-01-01")}))
	on := mtvp.NewDate(ivYear, time.January, 1)
	for _, s := range [][2]int64{{f.p1.ID, f.anna.ID}, {f.p2.ID, f.lotte.ID}, {f.p1.ID, daan.ID}} {
		_, err := f.db.SignUp(ctx, sys, 1, s[0], s[1], on)
		must(err)
	}
	m := mtvp.Meeting{GroupID: 1, Date: ivPast(time.March, 10), Start: "19:00", End: "21:30"}
	must(f.db.CreateMeeting(ctx, sys, &m))
}

func init() {
	s := intervisionWorld
	// A group's pages: region A roles except funders (facilitator A runs G1).
	seesGroup := all(200).with(expect{anon: 401, adminB: 404, funderA: 404})
	runsGroup := func(ok int) expect {
		return seesGroup.with(expect{consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, adminA: ok, platform: ok, facilitatorA: ok})
	}
	managesGroup := func(ok int) expect { return runsGroup(ok).with(expect{facilitatorA: 403}) }
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/regions/{code}/intervision-groups", path: ivy("/api/v1/regions/{region}/intervision-groups?year={ivyear}&weekday=2&free=true"), want: seesRegionA, setup: s},
		routeRow{pattern: "POST /api/v1/regions/{code}/intervision-groups", path: "/api/v1/regions/{region}/intervision-groups",
			body: ivy(`{"year":{ivyear},"name":"Vaals","facilitator_id":8,"place":"Vaals","weekday":3,"capacity":6}`), want: adminsA(201), setup: s},
		routeRow{pattern: "GET /api/v1/intervision-groups/{id}", path: "/api/v1/intervision-groups/1", want: seesGroup, setup: s},
		// Another facilitator's group is not found for facilitator A.
		routeRow{pattern: "GET /api/v1/intervision-groups/{id}", path: "/api/v1/intervision-groups/2", want: seesGroup.with(expect{facilitatorA: 404}), setup: s},
		routeRow{pattern: "PUT /api/v1/intervision-groups/{id}", path: "/api/v1/intervision-groups/1", body: `{"version":1,"name":"Heuvelland Zuid"}`, want: managesGroup(200), setup: s},
		routeRow{pattern: "GET /api/v1/intervision-groups/{id}/members", path: "/api/v1/intervision-groups/1/members", want: seesGroup, setup: s},
		// P1 signs Lotte (who also works at P1) up for G3.
		routeRow{pattern: "POST /api/v1/intervision-groups/{id}/members", path: "/api/v1/intervision-groups/3/members",
			body: `{"practice_id":{practice},"person_id":{lotte}}`,
			want: seesGroup.with(expect{adminA: 201, platform: 201, practiceP1: 201, consultantA: 403, consultantA2: 422, practiceP2: 422, facilitatorA: 422}), setup: s},
		routeRow{pattern: "PUT /api/v1/intervision-members/{id}/leave", path: "/api/v1/intervision-members/1/leave", body: `{"version":1}`,
			want: seesP1.with(expect{consultantA: 403, facilitatorA: 403}), setup: s},
		routeRow{pattern: "POST /api/v1/intervision-members/{id}/move", path: "/api/v1/intervision-members/1/move",
			body: `{"version":1,"to_group_id":3,"reason":"Verhuisd naar Meerssen"}`, want: managesGroup(201), setup: s},
		routeRow{pattern: "GET /api/v1/intervision-groups/{id}/meetings", path: "/api/v1/intervision-groups/1/meetings", want: seesGroup, setup: s},
		routeRow{pattern: "POST /api/v1/intervision-groups/{id}/meetings", path: "/api/v1/intervision-groups/1/meetings",
			body: ivy(`{"date":"{ivyear}-04-14","start":"19:00","end":"21:30","theme":"Time-out verwijzingen"}`), want: runsGroup(201), setup: s},
		routeRow{pattern: "PUT /api/v1/intervision-meetings/{id}", path: "/api/v1/intervision-meetings/1", body: `{"version":1,"gaia_submitted":"` + ivPast(time.March, 20).String() + `"}`, want: runsGroup(200), setup: s},
		routeRow{pattern: "GET /api/v1/intervision-meetings/{id}/attendance", path: "/api/v1/intervision-meetings/1/attendance", want: runsGroup(200), setup: s},
		routeRow{pattern: "PUT /api/v1/intervision-meetings/{id}/attendance", path: "/api/v1/intervision-meetings/1/attendance",
			body: `{"attendance":[{"member_id":1,"status":"aanwezig"},{"member_id":2,"status":"afgemeld"}]}`, want: runsGroup(200), setup: s},
	)
}
