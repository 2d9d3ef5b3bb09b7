package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// trainingWorld adds the training data the rows need, once per world: a
// training (id 1) with an upcoming session (id 1, P1's Anna placed:
// enrolment 1) and a past session (id 2, Anna completed: completion 1),
// a second P1 staff member to sign up, and a pending claim of P1 for Anna
// (claim 1, with a PDF). Every id is 1 or 2 because only this setup writes
// the training tables of a world.
func trainingWorld(f *fixture) {
	ctx := context.Background()
	trs, err := f.db.ListTrainings(ctx, f.regionA.ID, true)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(trs) > 0 {
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
	t := mtvp.Training{RegionID: f.regionA.ID, Title: "Het goede gesprek", Target: mtvp.TargetBoth,
		Themes: []string{mtvp.ThemeGoodConversation, mtvp.ThemePositiveHealth}, Register: mtvp.RegisterGAIA, Points: 4, Active: true}
	must(f.db.CreateTraining(ctx, sys, &t))
	next := mtvp.TrainingSession{TrainingID: t.ID, Dates: []mtvp.Date{laterThisYear(today, 30)}, Place: "Maastricht", Capacity: 5}
	must(f.db.CreateSession(ctx, sys, &next))
	past := mtvp.TrainingSession{TrainingID: t.ID, Dates: []mtvp.Date{today.AddDays(-20)}, Online: true, Capacity: 5}
	must(f.db.CreateSession(ctx, sys, &past))
	e := mtvp.Enrolment{SessionID: next.ID, PersonID: f.person.ID, PracticeID: f.p1.ID}
	must(f.db.Enrol(ctx, sys, &e))
	must(f.db.RecordCompletions(ctx, sys, past.ID, []mtvp.Completion{{PersonID: f.person.ID, CompletedOn: today.AddDays(-20)}}))
	bert := mtvp.Person{Name: "Bert Jansen"}
	m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.6, From: mtvp.MustDate("2021-01-01")}
	must(f.db.AddStaff(ctx, sys, f.p1.ID, &bert, &m))
	c := mtvp.Claim{PracticeID: f.p1.ID, PersonID: f.person.ID, Title: "Positieve gezondheid", CompletedOn: mtvp.MustDate("2023-05-01"), Theme: mtvp.ThemePositiveHealth}
	must(f.db.SubmitClaim(ctx, sys, &c, &store.Evidence{Name: "certificaat.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}))
}

// laterThisYear is days after today, but no later than 31 December: an
// upcoming session that must fall in this programme year (on 31 December
// it is today).
func laterThisYear(today mtvp.Date, days int) mtvp.Date {
	d := today.AddDays(days)
	if d.Year() > today.Year() {
		return mtvp.MustDate(fmt.Sprintf("%d-12-31", today.Year()))
	}
	return d
}

// staffID returns the person id of a P1 staff member by name.
func (f *fixture) staffID(name string) string {
	staff, err := f.db.Staff(context.Background(), f.p1.ID, false)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, m := range staff {
		if m.Person.Name == name {
			return strconv.FormatInt(m.PersonID, 10)
		}
	}
	f.t.Fatalf("no staff member %q", name)
	return ""
}

func init() {
	adminPost := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 403, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	adminPost422 := adminPost.with(expect{platform: 422, adminA: 422})
	editP1Post := expect{anon: 401, platform: 303, adminA: 303, adminB: 404, consultantA: 403, consultantA2: 404, practiceP1: 303, practiceP2: 404, facilitatorA: 404, funderA: 404}
	queue := expect{anon: 303, platform: 200, adminA: 200, adminB: 404, consultantA: 200, consultantA2: 200, practiceP1: 403, practiceP2: 403, facilitatorA: 403, funderA: 403}
	decide := expect{anon: 401, platform: 403, adminA: 403, adminB: 404, consultantA: 303, consultantA2: 404, practiceP1: 403, practiceP2: 404, facilitatorA: 404, funderA: 404}
	today := mtvp.DateOf(clock.Now())

	const base = "/regio/{region}/scholing"
	const p1 = "/regio/{region}/praktijken/{practice}/scholing"
	trainingForm := url.Values{"version": {"1"}, "title": {"Het goede gesprek"}, "target": {"beide"}, "register": {"GAIA"}, "points": {"4"},
		"themes": {mtvp.ThemeGoodConversation}, "active": {"1"}}
	sessionForm := url.Values{"version": {"1"}, "dates": {today.AddDays(40).Short()}, "start_time": {"09:00"}, "end_time": {"12:00"}, "place": {"Sittard"}, "capacity": {"8"}}
	enrolForm := url.Values{"session": {"1"}}
	claimForm := url.Values{"title": {"Positieve gezondheid"}, "completed_on": {"2024-02-01"}, "theme": {mtvp.ThemePositiveHealth}}
	withPeople := func(f *fixture) {
		trainingWorld(f)
		enrolForm.Set("enrol_person", f.staffID("Bert Jansen"))
		claimForm.Set("person", f.staffID("Anna de Vries"))
	}
	addRouteRows(
		routeRow{pattern: "GET " + base, path: base, want: regionMembersA, setup: trainingWorld},
		routeRow{pattern: "POST " + base + "/themas", path: base + "/themas", form: url.Values{"themes": {"triage\nSOH\npositieve gezondheid\nhet goede gesprek\nmindfulness"}}, want: adminPost, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/nieuw", path: base + "/nieuw", want: regionAdminA},
		routeRow{pattern: "POST " + base, path: base, form: trainingForm, want: adminPost, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/trainingen/{training}", path: base + "/trainingen/1", want: regionMembersA, setup: trainingWorld},
		routeRow{pattern: "POST " + base + "/trainingen/{training}", path: base + "/trainingen/1", form: trainingForm, want: adminPost, setup: trainingWorld},
		routeRow{pattern: "POST " + base + "/trainingen/{training}/sessies", path: base + "/trainingen/1/sessies", form: sessionForm, want: adminPost, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/sessies/{session}", path: base + "/sessies/1", want: regionMembersA, setup: trainingWorld},
		routeRow{pattern: "POST " + base + "/sessies/{session}", path: base + "/sessies/1", form: sessionForm, want: adminPost, setup: trainingWorld},
		routeRow{pattern: "POST " + base + "/sessies/{session}/afgerond", path: base + "/sessies/2/afgerond", form: url.Values{"person": {"1"}, "completed_on": {today.AddDays(-19).String()}}, want: adminPost, setup: trainingWorld},
		routeRow{pattern: "POST " + base + "/sessies/{session}/afgerond/{completion}/verwijderen", path: base + "/sessies/2/afgerond/1/verwijderen", want: adminPost, setup: trainingWorld},
		routeRow{pattern: "POST " + base + "/sessies/{session}/presentielijst", path: base + "/sessies/2/presentielijst", want: adminPost422, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/sessies/{session}/register.xlsx", path: base + "/sessies/2/register.xlsx", want: regionAdminA, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/stand", path: base + "/stand", want: queue, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/aanvragen", path: base + "/aanvragen?status=alle", want: queue, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/aanvragen/lijst.xlsx", path: base + "/aanvragen/lijst.xlsx?status=alle", want: queue, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/aanvragen/lijst.csv", path: base + "/aanvragen/lijst.csv", want: queue, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/aanvragen/{claim}", path: base + "/aanvragen/1", want: practiceP1Page, setup: trainingWorld},
		routeRow{pattern: "POST " + base + "/aanvragen/{claim}", path: base + "/aanvragen/1", form: url.Values{"version": {"1"}, "decision": {"goedgekeurd"}}, want: decide, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/aanvragen/{claim}/bewijs", path: base + "/aanvragen/1/bewijs", want: practiceP1Page, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/deelname.csv", path: base + "/deelname.csv", want: regionAdminA, setup: trainingWorld},
		routeRow{pattern: "GET " + base + "/deelname.xlsx", path: base + "/deelname.xlsx", want: regionAdminA, setup: trainingWorld},
		routeRow{pattern: "GET " + p1, path: p1, want: practiceP1Page, setup: trainingWorld},
		routeRow{pattern: "POST " + p1 + "/inschrijvingen", path: p1 + "/inschrijvingen", form: enrolForm, want: editP1Post, setup: withPeople},
		routeRow{pattern: "POST " + p1 + "/inschrijvingen/{enrolment}/annuleren", path: p1 + "/inschrijvingen/1/annuleren", form: url.Values{"version": {"1"}, "confirm": {"1"}}, want: editP1Post, setup: trainingWorld},
		routeRow{pattern: "POST " + p1 + "/aanvragen", path: p1 + "/aanvragen", form: claimForm, want: editP1Post, setup: withPeople},
		routeRow{pattern: "GET " + p1 + "/deelname.csv", path: p1 + "/deelname.csv", want: practiceP1Page, setup: trainingWorld},
		routeRow{pattern: "GET " + p1 + "/deelname.xlsx", path: p1 + "/deelname.xlsx", want: practiceP1Page, setup: trainingWorld},
	)
}
