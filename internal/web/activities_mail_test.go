package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"meertijd/internal/mail"
	"meertijd/internal/mail/mailtest"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestActivityChangeMailsOverSMTP: moving an activity on the edit form
// writes a change mail to the person signed up, a new description does
// not, cancelling writes the cancellation; both reach the person through a
// real SMTP server with their calendar part (same UID, higher SEQUENCE,
// REQUEST then CANCEL); afterwards the activity's .ics says CANCELLED, to
// the region only.
func TestActivityChangeMailsOverSMTP(t *testing.T) {
	f := newFixture(t)
	activityWorld(f)
	ctx := context.Background()
	const one = "/regio/{region}/activiteiten/1"
	a, err := f.db.ActivityByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	to := strings.ToLower(f.person.Email)
	outbox := func() []store.Mail {
		ms, err := f.db.ListMail(ctx, f.regionA.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	form := func(version, start, place, description string) url.Values {
		return url.Values{"version": {version}, "title": {a.Title}, "date": {a.Date.String()}, "start_time": {start}, "end_time": {"21:00"},
			"place": {place}, "capacity": {"10"}, "description": {description}, "orig_title": {a.Title}, "orig_date": {a.Date.String()},
			"orig_start_time": {"19:00"}, "orig_end_time": {"21:00"}, "orig_place": {"Maastricht"}, "orig_capacity": {"10"}}
	}
	if body := f.do(consultantA, "GET", one+"/wijzigen", nil).Body.String(); !strings.Contains(body, "dan krijgt iedereen die is ingeschreven of op de wachtlijst staat daarvan bericht per e-mail") {
		t.Errorf("the edit form does not say who is told: %.400s", body)
	}
	if rec := f.do(consultantA, "POST", one+"/wijzigen", form("1", "19:00", "Maastricht", "Neem uw vragen mee")); rec.Code != 303 {
		t.Fatalf("description edit: %d %.300s", rec.Code, rec.Body.String())
	}
	if ms := outbox(); len(ms) != 0 {
		t.Fatalf("a description edit mailed %d", len(ms))
	}
	if rec := f.do(consultantA, "POST", one+"/wijzigen", form("2", "19:30", "Sittard", "Neem uw vragen mee")); rec.Code != 303 {
		t.Fatalf("move: %d %.300s", rec.Code, rec.Body.String())
	}
	ms := outbox()
	if len(ms) != 1 || ms[0].To != to || ms[0].Kind != mail.KindActivityChanged {
		t.Fatalf("after the move: %+v", ms)
	}
	rec := f.do(practiceP1, "GET", one+"/agenda.ics", nil)
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "SEQUENCE:3") || !strings.Contains(body, "METHOD:PUBLISH") || !strings.Contains(body, "LOCATION:Sittard") {
		t.Fatalf("download after the move: %d %s", rec.Code, body)
	}
	if rec := f.do(adminA, "POST", one+"/schrappen", url.Values{"version": {"3"}, "confirm": {"1"}}); rec.Code != 303 {
		t.Fatalf("cancel: %d %.300s", rec.Code, rec.Body.String())
	}
	if ms := outbox(); len(ms) != 2 || ms[0].Kind != mail.KindActivityCancelled || ms[0].To != to {
		t.Fatalf("after cancelling: %+v", ms)
	}

	// The .ics of the cancelled activity: CANCEL, to those who saw it.
	rec = f.do(practiceP1, "GET", one+"/agenda.ics", nil)
	body := rec.Body.String()
	for _, want := range []string{"METHOD:CANCEL", "STATUS:CANCELLED", "UID:activity-1@meertijd", "SEQUENCE:4", "SUMMARY:Netwerkavond", "LOCATION:Sittard"} {
		if rec.Code != 200 || !strings.Contains(body, want+"\r\n") {
			t.Errorf("cancelled download lacks %q: %d %s", want, rec.Code, body)
		}
	}
	for _, u := range []who{adminB, funderA} {
		if rec := f.do(u, "GET", one+"/agenda.ics", nil); rec.Code != 404 {
			t.Errorf("%s: cancelled download %d", u, rec.Code)
		}
	}
	// Region B's admin asking for it under region B's own address.
	if rec := f.do(adminB, "GET", "/regio/"+f.regionB.Code+"/activiteiten/1/agenda.ics", nil); rec.Code != 404 {
		t.Errorf("cancelled download under another region: %d", rec.Code)
	}
	if rec := f.do(adminA, "GET", "/regio/{region}/activiteiten/999/agenda.ics", nil); rec.Code != 404 {
		t.Errorf("unknown activity's download: %d", rec.Code)
	}
	if rec := f.do(adminA, "GET", one, nil); rec.Code != 404 {
		t.Errorf("cancelled activity's page: %d", rec.Code)
	}

	// Through a real SMTP server.
	srv := mailtest.Start(t)
	sender := &mail.Sender{DB: f.db, SMTP: mail.SMTP{Host: srv.Host, Port: srv.Port, Security: "none", From: "meertijd <noreply@meertijd.test>"},
		Backoff: 20 * time.Millisecond, MaxBackoff: 80 * time.Millisecond, Interval: 10 * time.Millisecond}
	if n, err := sender.SendDue(ctx); err != nil || n != 2 {
		t.Fatalf("sent %d, %v", n, err)
	}
	got := srv.To(to)
	if len(got) != 2 {
		t.Fatalf("%s received %d", to, len(got))
	}
	calendarOf := func(m mailtest.Received) string {
		for _, p := range m.Parts {
			if strings.HasPrefix(p.ContentType, "text/calendar") {
				return string(p.Body)
			}
		}
		t.Fatalf("no calendar part in %q", m.Header.Get("Subject"))
		return ""
	}
	day := dutchWeekday(a.Date) + " " + a.Date.Dutch()
	changed, cancelled := got[0], got[1]
	if s := changed.Header.Get("Subject"); s != "Gewijzigd: Netwerkavond op "+day {
		t.Errorf("change subject %q", s)
	}
	for _, want := range []string{"Beste Anna de Vries,", "Tijd: 19:00–21:00 → 19:30–21:00", "Plaats: Maastricht → Sittard", "U hebt een plaats."} {
		if !strings.Contains(changed.Text, want) {
			t.Errorf("change mail lacks %q:\n%s", want, changed.Text)
		}
	}
	if strings.Contains(changed.Text, "Datum:") {
		t.Errorf("the date did not change but the mail says so:\n%s", changed.Text)
	}
	cal := calendarOf(changed)
	for _, want := range []string{"METHOD:REQUEST", "UID:activity-1@meertijd", "SEQUENCE:3", "LOCATION:Sittard", "DESCRIPTION:Neem uw vragen mee"} {
		if !strings.Contains(cal, want+"\r\n") {
			t.Errorf("change calendar lacks %q:\n%s", want, cal)
		}
	}
	if s := cancelled.Header.Get("Subject"); s != "Gaat niet door: Netwerkavond op "+day {
		t.Errorf("cancellation subject %q", s)
	}
	if !strings.Contains(cancelled.Text, "De activiteit „Netwerkavond” op "+day+" van 19:30 tot 21:00, in Sittard, gaat helaas niet door.") {
		t.Errorf("cancellation text:\n%s", cancelled.Text)
	}
	cal = calendarOf(cancelled)
	for _, want := range []string{"METHOD:CANCEL", "STATUS:CANCELLED", "UID:activity-1@meertijd", "SEQUENCE:4"} {
		if !strings.Contains(cal, want+"\r\n") {
			t.Errorf("cancellation calendar lacks %q:\n%s", want, cal)
		}
	}
	t.Logf("received over SMTP:\nSubject: %s\n\n%s\n--- %s\n%s", changed.Header.Get("Subject"), changed.Text, "calendar part", cal)
}

func dutchWeekday(d mtvp.Date) string {
	return [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}[d.Time().Weekday()]
}
