package web

import (
	"context"
	"net/url"
	"strconv"

	"meertijd/internal/auth"
	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// pulseWorld starts, once per world, this quarter's pulse of region A: P1
// with a shared link ("p1-pulse") for ten staff and a personal link
// ("anna-pulse") for the person of P1.
func pulseWorld(f *fixture) {
	if f.vars["{round}"] != "" {
		return
	}
	today := mtvp.DateOf(clock.Now())
	st := &store.PulseStart{Round: &mtvp.PulseRound{RegionID: f.regionA.ID, Quarter: mtvp.QuarterOf(today), OpenedOn: today},
		Practices: []store.PulsePractice{{PracticeID: f.p1.ID, LinkToken: "p1-pulse", Staff: 10}},
		Invites:   []store.PulseInvite{{PracticeID: f.p1.ID, PersonID: f.person.ID, TokenHash: auth.HashToken("anna-pulse")}}}
	if err := f.db.StartPulse(context.Background(), mtvp.SystemActor, st); err != nil {
		f.t.Fatal(err)
	}
	f.vars["{round}"] = strconv.FormatInt(st.Round.ID, 10)
}

func init() {
	const base = "/regio/{region}/peiling"
	// The region's page: its admins and consultants (their practices) and
	// funders (region figures only); practices and facilitators 403.
	regionPage := regionAdminA.with(expect{consultantA: 200, consultantA2: 200, funderA: 200})
	manage := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	public := expect{}
	for _, w := range everyone {
		public[w] = 200
	}
	answer := url.Values{"workload": {"6"}, "satisfaction": {"7"}, "time_for_patient": {"5"}, "comment": {"Goed zo"}}
	addRouteRows(
		routeRow{pattern: "GET " + base, path: base, want: regionPage, setup: pulseWorld},
		routeRow{pattern: "POST " + base, path: base, want: manage},
		routeRow{pattern: "POST " + base + "/{round}/sluiten", path: base + "/{round}/sluiten", form: url.Values{"version": {"1"}}, want: manage, setup: pulseWorld},
		routeRow{pattern: "GET /regio/{region}/praktijken/{practice}/peiling", path: "/regio/{region}/praktijken/{practice}/peiling", want: practiceP1Page, setup: pulseWorld},
		routeRow{pattern: "GET /peiling/{token}", path: "/peiling/p1-pulse", want: public, setup: pulseWorld},
		routeRow{pattern: "POST /peiling/{token}", path: "/peiling/anna-pulse", form: answer, want: public, setup: pulseWorld},
	)
}
