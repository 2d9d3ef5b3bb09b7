package web

import (
	"context"
	"net/url"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// activityWorld adds, once per world: a network meeting (activity 1, P1's
// Anna placed: sign-up 1), a shadowing request hosted by P2 (activity 2)
// and a practice scan of P1 with its result (activity 3), and P1's Bert to
// sign up.
func activityWorld(f *fixture) {
	ctx := context.Background()
	if list, err := f.db.Activities(ctx, store.ActivityFilter{RegionID: f.regionA.ID}); err != nil || len(list) > 0 {
		return
	}
	must := func(err error) {
		f.t.Helper()
		if err != nil {
			f.t.Fatal(err)
		}
	}
	sys := mtvp.SystemActor
	day := laterThisYear(mtvp.DateOf(clock.Now()), 20)
	net := mtvp.Activity{RegionID: f.regionA.ID, Kind: mtvp.KindNetwork, Title: "Netwerkavond", Date: day, StartTime: "19:00", EndTime: "21:00", Place: "Maastricht", Capacity: 10}
	must(f.db.CreateActivity(ctx, sys, &net))
	sh := mtvp.Activity{RegionID: f.regionA.ID, Kind: mtvp.KindShadowing, Title: "Meelopen", Date: day, StartTime: "08:00", EndTime: "12:00", Place: "Meerssen", Capacity: 1, HostPracticeID: f.p2.ID}
	must(f.db.CreateActivity(ctx, sys, &sh))
	scan := mtvp.Activity{RegionID: f.regionA.ID, Kind: mtvp.KindScan, Title: "Praktijkscan", Date: day, StartTime: "13:00", EndTime: "16:00", Place: "Maastricht", Capacity: 3, HostPracticeID: f.p1.ID, ScanBy: "Bureau X"}
	must(f.db.CreateActivity(ctx, sys, &scan))
	must(f.db.SetActivityResult(ctx, sys, scan.ID, scan.Version, store.Evidence{Name: "scan.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}))
	x := mtvp.ActivitySignUp{ActivityID: net.ID, PersonID: f.person.ID, PracticeID: f.p1.ID}
	must(f.db.SignUpForActivity(ctx, sys, &x))
	bert := mtvp.Person{Name: "Bert Jansen"}
	m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.6, From: mtvp.MustDate("2021-01-01")}
	must(f.db.AddStaff(ctx, sys, f.p1.ID, &bert, &m))
}

func init() {
	members := regionMembersA.with(expect{funderA: 404})
	manageGet := expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 200, consultantA2: 200, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 404}
	managePost := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 303, consultantA2: 303, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 404}
	kindPost := managePost.with(expect{consultantA: 403, consultantA2: 403})
	signUp := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 303, consultantA2: 404, practiceP1: 303, practiceP2: 404, facilitatorA: 404, funderA: 404}
	cancel := signUp.with(expect{consultantA2: 303})
	attendance := cancel.with(expect{practiceP1: 403})
	answer := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 303, facilitatorA: 403, funderA: 404}
	result := managePost.with(expect{platform: 422, adminA: 422, consultantA: 422, consultantA2: 422})
	resultGet := expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 200, consultantA2: 200, practiceP1: 200, practiceP2: 404, facilitatorA: 404, funderA: 404}

	const base = "/regio/{region}/activiteiten"
	day := laterThisYear(mtvp.DateOf(clock.Now()), 30).String()
	newForm := url.Values{"kind": {"netwerk"}, "title": {"Netwerkavond sociaal domein"}, "date": {day}, "start_time": {"19:00"}, "end_time": {"21:00"}, "place": {"Gulpen"}, "capacity": {"25"}}
	editForm := url.Values{"version": {"1"}, "title": {"Netwerkavond sociaal domein"}, "date": {day}, "start_time": {"19:00"}, "end_time": {"21:00"}, "place": {"Gulpen"}, "capacity": {"12"}}
	signUpForm := url.Values{}
	withBert := func(f *fixture) {
		activityWorld(f)
		signUpForm.Set("person", "{practice}:"+f.staffID("Bert Jansen"))
	}
	addRouteRows(
		routeRow{pattern: "GET " + base, path: base + "?soort=netwerk", want: members, setup: activityWorld},
		routeRow{pattern: "GET " + base + "/nieuw", path: base + "/nieuw", want: manageGet},
		routeRow{pattern: "POST " + base, path: base, form: newForm, want: managePost},
		routeRow{pattern: "POST " + base + "/soorten", path: base + "/soorten", form: url.Values{"code": {"praktijkscan"}, "counts": {"regioplan"}, "version": {"0"}}, want: kindPost},
		routeRow{pattern: "GET " + base + "/{activity}", path: base + "/1", want: members, setup: activityWorld},
		routeRow{pattern: "GET " + base + "/{activity}/agenda.ics", path: base + "/1/agenda.ics", want: members, setup: activityWorld},
		routeRow{pattern: "GET " + base + "/{activity}/wijzigen", path: base + "/1/wijzigen", want: manageGet, setup: activityWorld},
		routeRow{pattern: "POST " + base + "/{activity}/wijzigen", path: base + "/1/wijzigen", form: editForm, want: managePost, setup: activityWorld},
		routeRow{pattern: "POST " + base + "/{activity}/schrappen", path: base + "/1/schrappen", form: url.Values{"version": {"1"}, "confirm": {"1"}}, want: managePost, setup: activityWorld},
		routeRow{pattern: "POST " + base + "/{activity}/inschrijvingen", path: base + "/1/inschrijvingen", form: signUpForm, want: signUp, setup: withBert},
		routeRow{pattern: "POST " + base + "/{activity}/inschrijvingen/{signup}/afmelden", path: base + "/1/inschrijvingen/1/afmelden", form: url.Values{"version": {"1"}}, want: cancel, setup: activityWorld},
		routeRow{pattern: "POST " + base + "/{activity}/inschrijvingen/{signup}/aanwezigheid", path: base + "/1/inschrijvingen/1/aanwezigheid", form: url.Values{"version": {"1"}, "attended": {"1"}}, want: attendance, setup: activityWorld},
		routeRow{pattern: "POST " + base + "/{activity}/antwoord", path: base + "/2/antwoord", form: url.Values{"version": {"1"}, "answer": {"accept"}}, want: answer, setup: activityWorld},
		routeRow{pattern: "POST " + base + "/{activity}/resultaat", path: base + "/3/resultaat", form: url.Values{"version": {"2"}}, want: result, setup: activityWorld},
		routeRow{pattern: "GET " + base + "/{activity}/resultaat", path: base + "/3/resultaat", want: resultGet, setup: activityWorld},
	)
}
