package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestEnrolWarnsWhenTrainingDoesNotCount: signing an assistant up for a
// GPs' training asks first, naming the role and the training's target
// group; nothing is saved until confirmed. A training that counts signs up
// at once.
func TestEnrolWarnsWhenTrainingDoesNotCount(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	ctx := context.Background()
	today := mtvp.DateOf(clock.Now())
	gp := mtvp.Training{RegionID: f.regionA.ID, Title: "SOLK voor huisartsen", Target: mtvp.TargetGPs, Themes: []string{mtvp.ThemeSOLK}, Register: mtvp.RegisterGAIA, Points: 2, Active: true}
	if err := f.db.CreateTraining(ctx, mtvp.SystemActor, &gp); err != nil {
		t.Fatal(err)
	}
	ses := mtvp.TrainingSession{TrainingID: gp.ID, Dates: []mtvp.Date{laterThisYear(today, 10)}, Place: "Maastricht", Capacity: 5}
	if err := f.db.CreateSession(ctx, mtvp.SystemActor, &ses); err != nil {
		t.Fatal(err)
	}
	const path = "/regio/{region}/praktijken/{practice}/scholing/inschrijvingen"
	sid, bert := strconv.FormatInt(ses.ID, 10), f.staffID("Bert Jansen")
	enrolled := func() int {
		es, err := f.db.SessionEnrolments(ctx, ses.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	page := f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}/scholing", nil).Body.String()
	if !strings.Contains(page, "SOLK voor huisartsen — "+ses.FirstDate().Short()+" · doelgroep: Huisartsen") {
		t.Errorf("the session choice does not say whom the training is for")
	}
	before := f.auditCount()
	rec := f.do(practiceP1, "POST", path, url.Values{"session": {sid}, "enrol_person": {bert}})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `id="enrol-not-counting"`) || !strings.Contains(body, "Bert Jansen werkt hier als doktersassistent") ||
		!strings.Contains(body, "Deze scholing is voor: Huisartsen") || !strings.Contains(body, `name="confirm_not_counting" value="1"`) {
		t.Fatalf("no warning: %d %s", rec.Code, trExcerpt(body, `id="enrol"`))
	}
	if enrolled() != 0 || f.auditCount() != before {
		t.Fatal("the warning saved the sign-up")
	}
	rec = f.do(practiceP1, "POST", path, url.Values{"session": {sid}, "enrol_person": {bert}, "confirm_not_counting": {"1"}})
	if rec.Code != 303 || enrolled() != 1 {
		t.Fatalf("confirmed: %d, %d enrolled", rec.Code, enrolled())
	}
	// Anna is a praktijkhouder: the GPs' training counts, no question.
	rec = f.do(practiceP1, "POST", path, url.Values{"session": {sid}, "enrol_person": {f.staffID(f.person.Name)}})
	if rec.Code != 303 || enrolled() != 2 {
		t.Fatalf("counting sign-up: %d %s", rec.Code, trExcerpt(rec.Body.String(), `id="enrol"`))
	}
}
