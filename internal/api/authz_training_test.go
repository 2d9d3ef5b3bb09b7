package api

import (
	"context"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// trainingWorld adds, once per world, a training (id 1) with an upcoming
// session (id 1; Anna of P1 placed: enrolment 1) and a past session (id
// 2), and a pending claim of P1 for Anna (claim 1). Only this setup writes
// the training tables, so the ids are fixed.
func trainingWorld(f *fixture) {
	ctx := context.Background()
	if trs, err := f.db.ListTrainings(ctx, f.regionA.ID, true); err != nil || len(trs) > 0 {
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
	today := mtvp.DateOf(clock.Now())
	t := mtvp.Training{RegionID: f.regionA.ID, Title: "Het goede gesprek", Target: mtvp.TargetBoth,
		Themes: []string{mtvp.ThemeGoodConversation}, Register: mtvp.RegisterGAIA, Points: 4, Active: true}
	must(f.db.CreateTraining(ctx, sys, &t))
	next := mtvp.TrainingSession{TrainingID: t.ID, Dates: []mtvp.Date{today.AddDays(30)}, Place: "Maastricht", Capacity: 5}
	must(f.db.CreateSession(ctx, sys, &next))
	past := mtvp.TrainingSession{TrainingID: t.ID, Dates: []mtvp.Date{today.AddDays(-20)}, Online: true, Capacity: 5}
	must(f.db.CreateSession(ctx, sys, &past))
	e := mtvp.Enrolment{SessionID: next.ID, PersonID: f.anna.ID, PracticeID: f.p1.ID}
	must(f.db.Enrol(ctx, sys, &e))
	c := mtvp.Claim{PracticeID: f.p1.ID, PersonID: f.anna.ID, Title: "Positieve gezondheid", CompletedOn: mtvp.MustDate("2023-05-01"), Theme: mtvp.ThemePositiveHealth}
	must(f.db.SubmitClaim(ctx, sys, &c, &store.Evidence{Name: "certificaat.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}))
}

func init() {
	done := mtvp.DateOf(clock.Now()).AddDays(-19).String()
	enrol := all(422).with(expect{anon: 401, adminB: 404, consultantA: 403, practiceP1: 201, adminA: 201, platform: 201})
	decide := seesP1.with(expect{consultantA: 200, practiceP1: 403, adminA: 403, platform: 403})
	w := trainingWorld
	routeRows = append(routeRows,
		routeRow{pattern: "GET /api/v1/regions/{code}/trainings", path: "/api/v1/regions/{region}/trainings", want: seesRegionA, setup: w},
		routeRow{pattern: "POST /api/v1/regions/{code}/trainings", path: "/api/v1/regions/{region}/trainings",
			body: `{"title":"Triage","target":"assistenten","themes":["triage"],"register":"KABIZ","points":3}`, want: adminsA(201), setup: w},
		routeRow{pattern: "GET /api/v1/trainings/{id}", path: "/api/v1/trainings/1", want: seesRegionA, setup: w},
		routeRow{pattern: "PUT /api/v1/trainings/{id}", path: "/api/v1/trainings/1", body: `{"version":1,"title":"Het goede gesprek (nieuw)"}`, want: adminsA(200), setup: w},
		routeRow{pattern: "GET /api/v1/trainings/{id}/sessions", path: "/api/v1/trainings/1/sessions", want: seesRegionA, setup: w},
		routeRow{pattern: "POST /api/v1/trainings/{id}/sessions", path: "/api/v1/trainings/1/sessions",
			body: `{"dates":["2099-03-10","2099-03-17"],"start_time":"09:00","end_time":"12:00","place":"Sittard","capacity":12}`, want: adminsA(201), setup: w},
		routeRow{pattern: "GET /api/v1/sessions/{id}", path: "/api/v1/sessions/1", want: seesRegionA, setup: w},
		routeRow{pattern: "PUT /api/v1/sessions/{id}", path: "/api/v1/sessions/1", body: `{"version":1,"capacity":6}`, want: adminsA(200), setup: w},
		routeRow{pattern: "GET /api/v1/sessions/{id}/enrolments", path: "/api/v1/sessions/1/enrolments", want: seesRegionA.with(expect{funderA: 403}), setup: w},
		routeRow{pattern: "POST /api/v1/sessions/{id}/enrolments", path: "/api/v1/sessions/1/enrolments",
			body: `{"person_id":{lotte},"practice_id":{practice}}`, want: enrol, setup: w},
		routeRow{pattern: "PUT /api/v1/enrolments/{id}", path: "/api/v1/enrolments/1", body: `{"version":1,"status":"geannuleerd"}`, want: editsP1Staff(200), setup: w},
		routeRow{pattern: "GET /api/v1/sessions/{id}/completions", path: "/api/v1/sessions/2/completions", want: adminsA(200), setup: w},
		routeRow{pattern: "POST /api/v1/sessions/{id}/completions", path: "/api/v1/sessions/2/completions",
			body: `{"completions":[{"person_id":{anna},"completed_on":"` + done + `"}]}`, want: adminsA(201), setup: w},
		routeRow{pattern: "GET /api/v1/practices/{id}/training", path: "/api/v1/practices/{practice}/training", want: seesP1, setup: w},
		routeRow{pattern: "GET /api/v1/practices/{id}/claims", path: "/api/v1/practices/{practice}/claims", want: seesP1, setup: w},
		routeRow{pattern: "POST /api/v1/practices/{id}/claims", path: "/api/v1/practices/{practice}/claims",
			body: `{"person_id":{anna},"title":"Positieve gezondheid II","completed_on":"2024-01-10","theme":"positieve gezondheid","evidence":{"name":"c.pdf","content_base64":"JVBERi0xLjQK"}}`,
			want: editsP1Staff(201), setup: w},
		routeRow{pattern: "GET /api/v1/claims/{id}", path: "/api/v1/claims/1", want: seesP1, setup: w},
		routeRow{pattern: "PUT /api/v1/claims/{id}/decision", path: "/api/v1/claims/1/decision", body: `{"version":1,"decision":"goedgekeurd"}`, want: decide, setup: w},
	)
}

// completionWorld is trainingWorld with Lotte's completion of the past
// session (completion 1), once per world.
func completionWorld(f *fixture) {
	trainingWorld(f)
	ctx := context.Background()
	cs, err := f.db.SessionCompletions(ctx, 2)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(cs) > 0 {
		return
	}
	done := mtvp.DateOf(clock.Now()).AddDays(-20)
	if err := f.db.RecordCompletions(ctx, mtvp.SystemActor, 2, []mtvp.Completion{{PersonID: f.lotte.ID, CompletedOn: done}}); err != nil {
		f.t.Fatal(err)
	}
}

func init() {
	routeRows = append(routeRows,
		routeRow{pattern: "POST /api/v1/claims/{id}/withdrawal", path: "/api/v1/claims/1/withdrawal", body: `{"version":1,"reason":"Dubbel ingevoerd"}`,
			want: seesP1.with(expect{consultantA: 403, practiceP1: 201, adminA: 201, platform: 201}), setup: trainingWorld},
		routeRow{pattern: "POST /api/v1/completions/{id}/undo", path: "/api/v1/completions/1/undo", body: `{"reason":"Verkeerde persoon afgevinkt"}`,
			want: adminsA(201), setup: completionWorld},
	)
}
