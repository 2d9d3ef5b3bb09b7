package web

import (
	"context"
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
	if err := f.db.SetOptOuts(ctx, anna.ID, reminderOptOut, map[string]bool{mtvp.RemindMeeting: optOut}); err != nil {
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
