package store_test

import (
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store/storetest"
)

// ReminderFacts on a real database: a meeting tomorrow reminds its member;
// a practice without a final plan is listed; a region that switches the
// meeting reminder off gets none.
func TestReminderFactsAndSettings(t *testing.T) {
	db := storetest.New(t)
	today := mtvp.DateOf(clock.Now())
	tomorrow := today.AddDays(1)
	reg := addRegion(t, db, "zio")
	other := addRegion(t, db, "other")
	p := addPractice(t, db, reg.ID, agb(1), "Praktijk Een")
	addPractice(t, db, other.ID, agb(2), "Praktijk Twee")
	person, _ := addStaff(t, db, p.ID, "Anna de Vries", "12345678901", mtvp.RolePraktijkhouder, 0.8, "2020-01-01")
	ekc := addUser(t, db, "ekc@example.nl", mtvp.Grant{Role: mtvp.AccountFacilitator, RegionID: reg.ID})
	g := mtvp.Group{RegionID: reg.ID, Year: tomorrow.Year(), Name: "Groep 1", FacilitatorID: ekc.ID, Place: "Maastricht", Weekday: 2, Capacity: 10}
	must(t, db.CreateGroup(ctx, admin, &g))
	if _, err := db.SignUp(ctx, admin, g.ID, p.ID, person.ID, today); err != nil {
		t.Fatal(err)
	}
	m := mtvp.Meeting{GroupID: g.ID, Date: tomorrow, Start: "19:00", End: "21:00", Place: "Maastricht"}
	must(t, db.CreateMeeting(ctx, admin, &m))

	due, err := db.DueRemindersOn(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	var meeting, plan int
	for _, r := range due {
		switch {
		case r.Kind == mtvp.RemindMeeting && r.Subject == m.ID && r.Recipient == person.ID && r.RegionID == reg.ID:
			meeting++
		case r.Kind == mtvp.RemindMeeting:
			t.Errorf("unexpected meeting reminder %+v", r)
		case r.Kind == mtvp.RemindPlanNotFinal:
			plan++
		}
	}
	if meeting != 1 {
		t.Fatalf("meeting reminders %d, want 1 (all: %+v)", meeting, due)
	}
	// The plans are loaded on the day the plan reminder falls (14 days
	// before 31 March), and only then.
	planDay := mtvp.NewDate(today.Year(), 3, 17)
	facts, err := db.ReminderFacts(ctx, planDay)
	if err != nil || len(facts) != 2 || len(facts[0].Plans) != 1 || facts[0].Plans[0].Final || facts[0].Plans[0].PracticeID != p.ID {
		t.Fatalf("facts %+v, %v", facts, err)
	}
	if facts, err := db.ReminderFacts(ctx, planDay.AddDays(1)); err != nil || len(facts[0].Plans) != 0 {
		t.Fatalf("plans loaded on another day: %+v, %v", facts, err)
	}

	s, err := db.ReminderSettings(ctx, reg.ID)
	if err != nil || s != mtvp.DefaultReminderSettings() {
		t.Fatalf("default settings %+v, %v", s, err)
	}
	s.Meeting.On = false
	s.ClaimWaiting.Days = 21
	must(t, db.SetReminderSettings(ctx, admin, reg.ID, s))
	if got, _ := db.ReminderSettings(ctx, reg.ID); got != s {
		t.Fatalf("settings read back %+v, want %+v", got, s)
	}
	due, _ = db.DueRemindersOn(ctx, today)
	for _, r := range due {
		if r.Kind == mtvp.RemindMeeting {
			t.Fatalf("meeting reminder with the setting off: %+v", r)
		}
	}
}
