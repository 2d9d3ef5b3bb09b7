package web

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// The day's reminders reach the outbox once, however often the job runs;
// a meeting reminder carries its iCal event; an opted-out login gets none.
func TestQueueRemindersOnce(t *testing.T) { queueMeetingReminder(t, false) }

// A login that opted out of meeting reminders gets none; one that did not
// gets a List-Unsubscribe link to its preferences.
func TestQueueRemindersOptOut(t *testing.T) {
	queueMeetingReminder(t, true)
}

func queueMeetingReminder(t *testing.T, optOut bool) {
	f := newFixture(t)
	ctx := context.Background()
	anna := &mtvp.User{Email: "anna@praktijkeen.nl", Name: "Anna de Vries", Locale: "en", Grants: []mtvp.Grant{{Role: mtvp.AccountPractice, RegionID: f.regionA.ID, PracticeID: f.p1.ID}}}
	if err := f.db.CreateUser(ctx, mtvp.SystemActor, anna, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetOptOuts(ctx, mtvp.SystemActor, anna.ID, reminderOptOut, map[string]bool{mtvp.RemindMeeting: optOut}); err != nil {
		t.Fatal(err)
	}
	today := mtvp.DateOf(clock.Now())
	tomorrow := today.AddDays(1)
	g := mtvp.Group{RegionID: f.regionA.ID, Year: tomorrow.Year(), Name: "Groep Noord", FacilitatorID: f.users[facilitatorA].ID, Place: "Maastricht", Weekday: 2, Capacity: 10}
	if err := f.db.CreateGroup(ctx, mtvp.SystemActor, &g); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SignUp(ctx, mtvp.SystemActor, g.ID, f.p1.ID, f.person.ID, today); err != nil {
		t.Fatal(err)
	}
	m := mtvp.Meeting{GroupID: g.ID, Date: tomorrow, Start: "19:00", End: "21:30", Place: "Huis voor de Sport"}
	if err := f.db.CreateMeeting(ctx, mtvp.SystemActor, &m); err != nil {
		t.Fatal(err)
	}
	n, err := f.srv.QueueReminders(ctx, today)
	if optOut {
		mails, _ := f.db.ListMail(ctx, f.regionA.ID, 100)
		for _, ml := range mails {
			if ml.Kind == mtvp.RemindMeeting {
				t.Fatalf("opted-out login got a meeting reminder")
			}
		}
		return
	}
	if err != nil || n == 0 {
		t.Fatalf("first run: %d, %v", n, err)
	}
	if again, err := f.srv.QueueReminders(ctx, today); err != nil || again != 0 {
		t.Fatalf("second run wrote %d more, %v", again, err)
	}
	mails, _ := f.db.ListMail(ctx, f.regionA.ID, 100)
	var meeting int
	for _, ml := range mails {
		if ml.Kind == mtvp.RemindMeeting {
			meeting++
			if ml.To != "anna@praktijkeen.nl" || !strings.Contains(ml.Subject, "Groep Noord") || !strings.Contains(string(ml.Attachment), "BEGIN:VEVENT") ||
				!strings.Contains(ml.Text, "19:00") || ml.Locale != "en" || !strings.HasSuffix(ml.UnsubscribeURL, "/account/berichten") {
				t.Errorf("meeting mail: to %s subject %q ics %d unsubscribe %q", ml.To, ml.Subject, len(ml.Attachment), ml.UnsubscribeURL)
			}
		}
	}
	if meeting != 1 {
		t.Fatalf("%d meeting reminders, want 1", meeting)
	}
	// The practice without a final plan hears of it only on its day; the
	// plan reminder is a programme duty (no opt-out, no unsubscribe link).
	for _, ml := range mails {
		if ml.Kind == mtvp.RemindPlanNotFinal && ml.UnsubscribeURL != "" {
			t.Errorf("plan reminder with an unsubscribe link")
		}
	}
}

// The personal feed lists the member's meeting; a new URL stops the old.
func TestPersonalCalendarFeed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	anna := &mtvp.User{Email: "Anna@praktijkeen.nl", Name: "Anna de Vries", Grants: []mtvp.Grant{{Role: mtvp.AccountPractice, RegionID: f.regionA.ID, PracticeID: f.p1.ID}}}
	if err := f.db.CreateUser(ctx, mtvp.SystemActor, anna, ""); err != nil {
		t.Fatal(err)
	}
	f.users["anna"] = anna
	today := mtvp.DateOf(clock.Now())
	g := mtvp.Group{RegionID: f.regionA.ID, Year: today.AddDays(3).Year(), Name: "Groep Zuid", FacilitatorID: f.users[facilitatorA].ID, Place: "Heerlen", Weekday: 2, Capacity: 10}
	if err := f.db.CreateGroup(ctx, mtvp.SystemActor, &g); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SignUp(ctx, mtvp.SystemActor, g.ID, f.p1.ID, f.person.ID, today); err != nil {
		t.Fatal(err)
	}
	m := mtvp.Meeting{GroupID: g.ID, Date: today.AddDays(3), Start: "19:00", End: "21:30"}
	if err := f.db.CreateMeeting(ctx, mtvp.SystemActor, &m); err != nil {
		t.Fatal(err)
	}
	feedURL := func() string {
		rec := f.do("anna", "POST", "/account/kalender", nil)
		u := regexp.MustCompile(`/kalender/[A-Za-z0-9_-]+`).FindString(rec.Body.String())
		if rec.Code != 200 || u == "" {
			t.Fatalf("make feed: %d", rec.Code)
		}
		return u
	}
	first := feedURL()
	rec := f.do(anon, "GET", first, nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Intervisie Groep Zuid") || !strings.Contains(rec.Body.String(), "LOCATION:Heerlen") {
		t.Fatalf("feed: %d %s", rec.Code, rec.Body)
	}
	second := feedURL()
	if rec := f.do(anon, "GET", first, nil); rec.Code != 404 {
		t.Fatalf("old feed after rotation: %d", rec.Code)
	}
	if rec := f.do(anon, "GET", second, nil); rec.Code != 200 {
		t.Fatalf("new feed: %d", rec.Code)
	}
}
