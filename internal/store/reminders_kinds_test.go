package store_test

import (
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// The two reminder kinds with a memory, on a real database: a place freed
// in a group and in a session moves the first waiting person up, which
// ReminderFacts lists until the reminder is remembered as written; inside
// the at-risk window the standings give a norm-at-risk reminder for the
// practice and its consultant, once per period.
func TestReminderFactsPromotionsAndNormAtRisk(t *testing.T) {
	db := newDB(t)
	day := today()
	reg := addRegion(t, db, "zio")
	consultant := addUser(t, db, "consulent@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: reg.ID})
	p := mtvp.Practice{RegionID: reg.ID, AGB: agb(1), Name: "Praktijk Een", City: "Maastricht", RegisteredPatients: 2095,
		Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-02-01"), ConsultantID: consultant.ID}
	must(t, db.CreatePractice(ctx, admin, &p))
	anna, _ := addStaff(t, db, p.ID, "Anna de Vries", "12345678901", mtvp.RolePraktijkhouder, 0.8, "2020-01-01")
	bert, _ := addStaff(t, db, p.ID, "Bert Jansen", "12345678902", mtvp.RoleVasteWaarnemer, 0.8, "2020-01-01")
	ekc := addUser(t, db, "ekc@zio.nl", mtvp.Grant{Role: mtvp.AccountFacilitator, RegionID: reg.ID})

	// Intervision: one place; Anna holds it, Bert waits; Anna leaves.
	g := mtvp.Group{RegionID: reg.ID, Year: day.Year(), Name: "Groep 1", FacilitatorID: ekc.ID, Place: "Maastricht", Weekday: 2, Capacity: 1}
	must(t, db.CreateGroup(ctx, admin, &g))
	a, err := db.SignUp(ctx, admin, g.ID, p.ID, anna.ID, day)
	must(t, err)
	if _, err := db.SignUp(ctx, admin, g.ID, p.ID, bert.ID, day); err != nil {
		t.Fatal(err)
	}
	promos, err := db.LeaveGroup(ctx, admin, a.Member.ID, day, a.Member.Version)
	must(t, err)
	if len(promos) != 1 || promos[0].Member.PersonID != bert.ID {
		t.Fatalf("promotions %+v", promos)
	}
	// Training: one place; Anna placed, Bert waits; Anna cancels.
	tr := mtvp.Training{RegionID: reg.ID, Title: "Het goede gesprek", Target: mtvp.TargetGPs, Themes: []string{mtvp.ThemePositiveHealth},
		Provider: "NHG", Register: mtvp.RegisterGAIA, Points: 4, Active: true}
	must(t, db.CreateTraining(ctx, admin, &tr))
	s := mtvp.TrainingSession{TrainingID: tr.ID, Dates: []mtvp.Date{day.AddDays(10)}, StartTime: "09:00", EndTime: "12:30", Place: "Maastricht", Capacity: 1}
	must(t, db.CreateSession(ctx, admin, &s))
	ea := mtvp.Enrolment{SessionID: s.ID, PersonID: anna.ID, PracticeID: p.ID}
	must(t, db.Enrol(ctx, admin, &ea))
	eb := mtvp.Enrolment{SessionID: s.ID, PersonID: bert.ID, PracticeID: p.ID}
	must(t, db.Enrol(ctx, admin, &eb))
	must(t, db.CancelEnrolment(ctx, admin, ea.ID, ea.Version))

	places := func() []mtvp.Reminder {
		t.Helper()
		due, err := db.DueRemindersOn(ctx, day)
		must(t, err)
		var out []mtvp.Reminder
		for _, r := range due {
			if r.Kind == mtvp.RemindGroupPlace || r.Kind == mtvp.RemindSessionPlace {
				out = append(out, r)
			}
		}
		return out
	}
	got := places()
	if len(got) != 2 || got[0].Kind != mtvp.RemindGroupPlace || got[0].Subject != promos[0].Member.ID || got[0].Recipient != bert.ID ||
		got[1].Kind != mtvp.RemindSessionPlace || got[1].Subject != eb.ID || got[1].PracticeID != p.ID || !got[1].Due.Equal(day.AddDays(7)) {
		t.Fatalf("place reminders %+v", got)
	}
	var mem []store.RememberedReminder
	for _, r := range got {
		for _, k := range r.Remember {
			mem = append(mem, store.RememberedReminder{Key: k, RegionID: r.RegionID, Until: r.Due})
		}
	}
	if _, err := db.EnqueueReminders(ctx, nil, mem); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EnqueueReminders(ctx, nil, mem); err != nil { // twice: no error, nothing new
		t.Fatal(err)
	}
	if got := places(); len(got) != 0 {
		t.Fatalf("remembered place reminders chosen again: %+v", got)
	}

	// Norms: five days before 31 December the practice is at risk (no
	// intervision attended, no GP training). Early in the year it is not.
	late := mtvp.YearEnd(day.Year()).AddDays(-5)
	facts, err := db.ReminderFacts(ctx, late)
	must(t, err)
	var risk []mtvp.Reminder
	for _, r := range mtvp.DueReminders(facts[0], late) {
		if r.Kind == mtvp.RemindNormAtRisk {
			risk = append(risk, r)
		}
	}
	if len(risk) != 1 || risk[0].Subject != p.ID || risk[0].ConsultantID != consultant.ID || len(risk[0].Norms) == 0 || len(risk[0].Remember) != len(risk[0].Norms) {
		t.Fatalf("norm at risk %+v (standings %d)", risk, len(facts[0].Standings))
	}
	mem = nil
	for _, k := range risk[0].Remember {
		mem = append(mem, store.RememberedReminder{Key: k, RegionID: reg.ID, Until: risk[0].Due})
	}
	_, err = db.EnqueueReminders(ctx, nil, mem)
	must(t, err)
	facts, err = db.ReminderFacts(ctx, late)
	must(t, err)
	for _, r := range mtvp.DueReminders(facts[0], late) {
		if r.Kind == mtvp.RemindNormAtRisk {
			t.Fatalf("norm at risk again in the same period: %+v", r)
		}
	}
	early := mtvp.NewDate(day.Year(), 1, 15)
	facts, err = db.ReminderFacts(ctx, early)
	must(t, err)
	if len(facts[0].Standings) != 0 {
		t.Fatalf("standings loaded outside the at-risk window: %d", len(facts[0].Standings))
	}
}

// DigestFacts on a real database: the practice's changes of the week
// (staff added), its pending work, and what BuildDigest makes of it for
// its consultant and for another consultant.
func TestDigestFacts(t *testing.T) {
	db := newDB(t)
	day := today()
	reg := addRegion(t, db, "zio")
	other := addRegion(t, db, "other")
	consultant := addUser(t, db, "consulent@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: reg.ID})
	p := mtvp.Practice{RegionID: reg.ID, AGB: agb(1), Name: "Praktijk Een", City: "Maastricht", RegisteredPatients: 2095,
		Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-02-01"), ConsultantID: consultant.ID}
	must(t, db.CreatePractice(ctx, admin, &p))
	addStaff(t, db, p.ID, "Anna de Vries", "12345678901", mtvp.RolePraktijkhouder, 0.8, "2020-01-01")
	q := addPractice(t, db, other.ID, agb(2), "Elders")
	addStaff(t, db, q.ID, "Cor Elders", "12345678903", mtvp.RolePraktijkhouder, 0.8, "2020-01-01")
	v := mtvp.Visit{RegionID: reg.ID, PracticeID: p.ID, Year: day.Year(), PlannedOn: day, ConsultantID: consultant.ID}
	must(t, db.CreateVisit(ctx, admin, &v))

	next := day.AddDays(1) // the digest of tomorrow looks back on today
	f, err := db.DigestFacts(ctx, reg.ID, next)
	must(t, err)
	if len(f.Practices) != 1 || f.Practices[0].ID != p.ID || f.Practices[0].ConsultantID != consultant.ID {
		t.Fatalf("practices %+v", f.Practices)
	}
	for _, c := range f.Changes {
		if c.PracticeID != p.ID {
			t.Fatalf("a change of another practice: %+v", c)
		}
	}
	if len(f.Changes) < 3 || len(f.Visits) != 1 { // practice, person/membership, visit
		t.Fatalf("changes %+v visits %+v", f.Changes, f.Visits)
	}
	d := mtvp.BuildDigest(f, mtvp.DigestRecipient{UserID: consultant.ID}, next)
	if d.Practices != 1 || d.Changes != len(f.Changes) || len(d.Changed) != 1 || d.Changed[0].Name != "Praktijk Een" || d.VisitsOverdue != 1 {
		t.Fatalf("digest %+v", d)
	}
	if d := mtvp.BuildDigest(f, mtvp.DigestRecipient{UserID: consultant.ID + 100}, next); !d.Empty() {
		t.Fatalf("another consultant's digest %+v", d)
	}
}
