package web

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// ivSetup adds intervision data to a fixture world (idempotent): in region
// A group G1 (facilitator A, 2 places: Anna of P1 and Piet of P2, Carla of
// P1 waiting) with a meeting and an uploaded year plan, group G2 of another
// facilitator, and an empty group G3 as a move target. Daan of P1 is in no
// group.
func ivSetup(f *fixture) {
	if f.vars["{group}"] != "" {
		return
	}
	ctx := context.Background()
	sys := mtvp.SystemActor
	must := func(err error) {
		f.t.Helper()
		if err != nil {
			f.t.Fatal(err)
		}
	}
	year := clock.Now().Year()
	ra := f.regionA.ID
	other := &mtvp.User{Email: "ekc-ander@example.nl", Name: "EKC Ander", Grants: []mtvp.Grant{{Role: mtvp.AccountFacilitator, RegionID: ra}}}
	must(f.db.CreateUser(ctx, sys, other, ""))
	fac := f.users[facilitatorA].ID
	g1 := mtvp.Group{RegionID: ra, Year: year, Name: "Heuvelland", FacilitatorID: fac, Place: "Gulpen", Weekday: 2, Times: "19:00–21:30", Capacity: 2}
	g2 := mtvp.Group{RegionID: ra, Year: year, Name: "Maasvallei", FacilitatorID: other.ID, Place: "Maastricht", Weekday: 4, Capacity: 8}
	g3 := mtvp.Group{RegionID: ra, Year: year, Name: "Mergelland", FacilitatorID: fac, Place: "Meerssen", Weekday: 1, Capacity: 8}
	for _, g := range []*mtvp.Group{&g1, &g2, &g3} {
		must(f.db.CreateGroup(ctx, sys, g))
	}
	staff := func(practice int64, name string) mtvp.Person {
		p := mtvp.Person{Name: name}
		m := mtvp.Membership{Role: mtvp.RolePraktijkhouder, FTE: 1, From: mtvp.MustDate("2020-01-01")}
		must(f.db.AddStaff(ctx, sys, practice, &p, &m))
		return p
	}
	piet, carla, daan := staff(f.p2.ID, "Piet Peters"), staff(f.p1.ID, "Carla Claessens"), staff(f.p1.ID, "Daan Dirksen")
	jan1 := mtvp.NewDate(year, time.January, 1) // never after today, even on 1 January
	anna, err := f.db.SignUp(ctx, sys, g1.ID, f.p1.ID, f.person.ID, jan1)
	must(err)
	pr, err := f.db.SignUp(ctx, sys, g1.ID, f.p2.ID, piet.ID, jan1)
	must(err)
	_, err = f.db.SignUp(ctx, sys, g1.ID, f.p1.ID, carla.ID, jan1)
	must(err)
	mt := mtvp.Meeting{GroupID: g1.ID, Date: mtvp.NewDate(year, time.March, 10), Start: "19:00", End: "21:30", Theme: "Regie op veelgebruikers"}
	must(f.db.CreateMeeting(ctx, sys, &mt))
	file := mtvp.GroupFile{GroupID: g1.ID, Kind: mtvp.DocYearPlan, Name: "jaarplan.pdf", Data: []byte("%PDF-1.4\n%test\n")}
	must(f.db.SaveGroupFile(ctx, sys, &file))
	tok, err := f.db.GroupCalendarToken(ctx, g1.ID)
	must(err)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	f.vars["{group}"], f.vars["{group2}"], f.vars["{group3}"] = id(g1.ID), id(g2.ID), id(g3.ID)
	f.vars["{member}"], f.vars["{member2}"] = id(anna.Member.ID), id(pr.Member.ID)
	f.vars["{meeting}"], f.vars["{token}"] = id(mt.ID), tok
	f.vars["{newperson}"], f.vars["{facilitator}"] = id(daan.ID), id(fac)
	f.vars["{ivyear}"] = strconv.Itoa(year)
}

func init() {
	const base = "/regio/{region}/intervisie"
	const g = base + "/{group}"
	// Pages of a group: region A roles except funders; facilitator A runs G1.
	seeGroup := expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 200, consultantA2: 200, practiceP1: 200, practiceP2: 200, facilitatorA: 200, funderA: 404}
	// The facilitator's work (GET): admins and the group's facilitator.
	runGroup := seeGroup.with(expect{consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403})
	runPost := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 303, funderA: 404}
	// Group administration (region admins).
	manageGroup := runGroup.with(expect{facilitatorA: 403})
	managePost := runPost.with(expect{facilitatorA: 403})
	adminPostA := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	// Signing P1's people up or off: P1 itself and region admins; P1's
	// consultant sees them but may not; others do not see P1's people.
	p1Post := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 404, practiceP1: 303, practiceP2: 404, facilitatorA: 404, funderA: 404}
	public := expect{}
	for _, w := range everyone {
		public[w] = 200
	}
	s := ivSetup
	addRouteRows(
		routeRow{pattern: "GET " + base, path: base + "?jaar={ivyear}&plaats=Gulpen&dag=2&vrij=1", want: regionMembersA.with(expect{funderA: 404}), setup: s},
		routeRow{pattern: "GET " + base + "/nieuw", path: base + "/nieuw", want: regionAdminA, setup: s},
		routeRow{pattern: "POST " + base, path: base, setup: s,
			form: url.Values{"name": {"Nieuwe groep"}, "year": {"{ivyear}"}, "facilitator": {"{facilitator}"}, "place": {"Vaals"}, "weekday": {"3"}, "capacity": {"6"}},
			want: adminPostA},
		routeRow{pattern: "GET " + g, path: g, want: seeGroup, setup: s},
		// Another facilitator's group: facilitator A does not see it.
		routeRow{pattern: "GET " + g, path: base + "/{group2}", want: seeGroup.with(expect{facilitatorA: 404}), setup: s},
		routeRow{pattern: "GET " + g + "/bewerken", path: g + "/bewerken", want: manageGroup, setup: s},
		routeRow{pattern: "POST " + g, path: g, setup: s,
			form: url.Values{"version": {"1"}, "name": {"Heuvelland Zuid"}, "facilitator": {"{facilitator}"}, "place": {"Gulpen"}, "weekday": {"2"}, "capacity": {"3"}},
			want: managePost},
		routeRow{pattern: "POST " + g + "/aanmelden", path: g + "/aanmelden", setup: s,
			form: url.Values{"practice": {"{practice}"}, "person": {"{newperson}"}}, want: p1Post},
		routeRow{pattern: "POST " + g + "/leden/{member}/afmelden", path: g + "/leden/{member}/afmelden", setup: s,
			form: url.Values{"version": {"1"}}, want: p1Post.with(expect{facilitatorA: 403})},
		routeRow{pattern: "POST " + g + "/leden/{member}/verplaatsen", path: g + "/leden/{member}/verplaatsen", setup: s,
			form: url.Values{"version": {"1"}, "to_group": {"{group3}"}, "reason.{member}": {"Verhuisd naar Meerssen"}}, want: managePost},
		routeRow{pattern: "GET " + g + "/bijeenkomsten/nieuw", path: g + "/bijeenkomsten/nieuw", want: runGroup, setup: s},
		routeRow{pattern: "GET " + g + "/bijeenkomsten/nieuw", path: base + "/{group2}/bijeenkomsten/nieuw", want: runGroup.with(expect{facilitatorA: 404}), setup: s},
		routeRow{pattern: "POST " + g + "/bijeenkomsten", path: g + "/bijeenkomsten", setup: s,
			form: url.Values{"date": {"{ivyear}-04-14"}, "start": {"19:00"}, "end": {"21:30"}, "theme": {"Time-out verwijzingen"}}, want: runPost},
		routeRow{pattern: "GET " + g + "/bijeenkomsten/{meeting}", path: g + "/bijeenkomsten/{meeting}", want: runGroup, setup: s},
		routeRow{pattern: "POST " + g + "/bijeenkomsten/{meeting}", path: g + "/bijeenkomsten/{meeting}", setup: s,
			form: url.Values{"version": {"1"}, "date": {"{ivyear}-03-10"}, "start": {"19:30"}, "end": {"21:30"}, "gaia_submitted": {"{ivyear}-03-20"}}, want: runPost},
		routeRow{pattern: "POST " + g + "/bijeenkomsten/{meeting}/aanwezigheid", path: g + "/bijeenkomsten/{meeting}/aanwezigheid", setup: s,
			form: url.Values{"member.{member}": {"aanwezig"}, "member.{member2}": {"afgemeld"}}, want: runPost},
		routeRow{pattern: "GET " + g + "/jaarstukken", path: g + "/jaarstukken", want: runGroup, setup: s},
		routeRow{pattern: "POST " + g + "/jaarstukken", path: g + "/jaarstukken", setup: s,
			form: url.Values{"version": {"1"}, "year_plan": {"Zes bijeenkomsten over regie en verwijzen."}}, want: runPost},
		// Year documents: also the practices whose people are members
		// (P1 and P2 in G1), read-only; not in G3, which has no members.
		routeRow{pattern: "GET " + g + "/bestanden/{kind}", path: g + "/bestanden/jaarplan", want: runGroup.with(expect{practiceP1: 200, practiceP2: 200}), setup: s},
		routeRow{pattern: "GET " + g + "/bestanden/{kind}", path: base + "/{group3}/bestanden/jaarplan", want: runGroup.with(expect{adminA: 404, platform: 404, facilitatorA: 404}), setup: s},
		routeRow{pattern: "POST " + g + "/agenda/nieuwe-link", path: g + "/agenda/nieuwe-link", want: runPost, setup: s},
		routeRow{pattern: "GET " + g + "/accreditatie.xlsx", path: g + "/accreditatie.xlsx", want: runGroup, setup: s},
		routeRow{pattern: "GET " + g + "/accreditatie.pdf", path: g + "/accreditatie.pdf", want: runGroup, setup: s},
		routeRow{pattern: "GET /regio/{region}/praktijken/{practice}/intervisie", path: "/regio/{region}/praktijken/{practice}/intervisie", want: practiceP1Page, setup: s},
		routeRow{pattern: "POST /regio/{region}/praktijken/{practice}/intervisie", path: "/regio/{region}/praktijken/{practice}/intervisie", setup: s,
			form: url.Values{"group": {"{group}"}, "person": {"{newperson}"}}, want: p1Post},
		routeRow{pattern: "GET /intervisie/agenda/{token}", path: "/intervisie/agenda/{token}", want: public, setup: s},
	)
}
