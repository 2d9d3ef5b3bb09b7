package web

import (
	"context"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// mailsOfKind lists the region's outbox mails of kind.
func mailsOfKind(t *testing.T, db *store.DB, region int64, kind string) []store.Mail {
	t.Helper()
	all, err := db.ListMail(context.Background(), region, 500)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Mail
	for _, m := range all {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

// byRecipient indexes mails by address.
func byRecipient(ms []store.Mail) map[string]store.Mail {
	out := map[string]store.Mail{}
	for _, m := range ms {
		out[m.To] = m
	}
	return out
}

// A place freed in a group goes to the first on the waiting list, who and
// whose practice hear of it once, with the date to decline by; a norm at
// risk reaches the practice (no opt-out) and its consultant (opt-out),
// once per period.
func TestQueueReminderPlaceAndNormAtRisk(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sys := mtvp.SystemActor
	today := mtvp.DateOf(clock.Now())
	bert := mtvp.Person{Name: "Bert Jansen", Email: "bert@praktijkeen.nl", BIG: "12345678902"}
	must(t, f.db.AddStaff(ctx, sys, f.p1.ID, &bert, &mtvp.Membership{Role: mtvp.RoleVasteWaarnemer, FTE: 0.5, From: mtvp.MustDate("2020-01-01")}))
	g := mtvp.Group{RegionID: f.regionA.ID, Year: today.Year(), Name: "Groep Noord", FacilitatorID: f.users[facilitatorA].ID, Place: "Maastricht", Weekday: 2, Capacity: 1}
	must(t, f.db.CreateGroup(ctx, sys, &g))
	b, err := f.db.SignUp(ctx, sys, g.ID, f.p1.ID, bert.ID, today)
	must(t, err)
	if _, err := f.db.SignUp(ctx, sys, g.ID, f.p1.ID, f.person.ID, today); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.LeaveGroup(ctx, sys, b.Member.ID, today, b.Member.Version); err != nil {
		t.Fatal(err)
	}
	// Norms at risk first off (today may lie in the at-risk window).
	st, err := f.db.ReminderSettings(ctx, f.regionA.ID)
	must(t, err)
	st.NormAtRisk.On = false
	must(t, f.db.SetReminderSettings(ctx, sys, f.regionA.ID, st))
	if _, err := f.srv.QueueReminders(ctx, today); err != nil {
		t.Fatal(err)
	}
	places := byRecipient(mailsOfKind(t, f.db, f.regionA.ID, mtvp.RemindGroupPlace))
	anna, practice := places["anna@praktijkeen.nl"], places[f.users[practiceP1].Email]
	decline := dateText("nl", today.AddDays(7))
	if len(places) != 2 || !strings.Contains(anna.Subject, "Groep Noord") || !strings.Contains(anna.Text, decline) || !strings.Contains(anna.Text, "u staat niet meer op de wachtlijst") ||
		!strings.Contains(practice.Text, "Anna de Vries") || anna.UnsubscribeURL != "" {
		t.Fatalf("place mails %d: %v\n%s", len(places), keys(places), anna.Text)
	}
	t.Logf("place mail:\nSubject: %s\n\n%s", anna.Subject, anna.Text)
	for _, day := range []mtvp.Date{today, today.AddDays(1)} {
		if _, err := f.srv.QueueReminders(ctx, day); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(mailsOfKind(t, f.db, f.regionA.ID, mtvp.RemindGroupPlace)); n != 2 {
		t.Fatalf("place mails after more runs: %d, want 2", n)
	}

	// Five days before the year's end the practice is at risk: no meeting
	// attended, no GP training.
	st.NormAtRisk.On = true
	must(t, f.db.SetReminderSettings(ctx, sys, f.regionA.ID, st))
	late := mtvp.YearEnd(today.Year()).AddDays(-5)
	if _, err := f.srv.QueueReminders(ctx, late); err != nil {
		t.Fatal(err)
	}
	risk := byRecipient(mailsOfPractice(mailsOfKind(t, f.db, f.regionA.ID, mtvp.RemindNormAtRisk), "Praktijk Een"))
	own, cons := risk[f.users[practiceP1].Email], risk[f.users[consultantA].Email]
	if len(risk) != 2 || !strings.Contains(own.Subject, "Praktijk Een") || !strings.Contains(own.Text, "Norm intervisie") ||
		own.UnsubscribeURL != "" || !strings.HasSuffix(cons.UnsubscribeURL, "/account/berichten") || !strings.Contains(cons.Text, "/normen") {
		t.Fatalf("norm-at-risk mails %d: %v", len(risk), keys(risk))
	}
	t.Logf("norm-at-risk mail (consultant):\nSubject: %s\n\n%s", cons.Subject, cons.Text)
	if _, err := f.srv.QueueReminders(ctx, late.AddDays(1)); err != nil {
		t.Fatal(err)
	}
	if n := len(mailsOfPractice(mailsOfKind(t, f.db, f.regionA.ID, mtvp.RemindNormAtRisk), "Praktijk Een")); n != 2 {
		t.Fatalf("norm-at-risk mails the next day: %d, want 2 (once per period)", n)
	}
	// The consultant switched it off: the next period brings the practice
	// its mail, not the consultant.
	must(t, f.db.SetOptOuts(ctx, mtvp.SystemActor, f.users[consultantA].ID, reminderOptOut, map[string]bool{mtvp.RemindNormAtRisk: true}))
	st.NormAtRisk.Days = 2
	must(t, f.db.SetReminderSettings(ctx, sys, f.regionA.ID, st))
	if _, err := f.srv.QueueReminders(ctx, late.AddDays(3)); err != nil {
		t.Fatal(err)
	}
	var toConsultant, toPractice int
	for _, m := range mailsOfPractice(mailsOfKind(t, f.db, f.regionA.ID, mtvp.RemindNormAtRisk), "Praktijk Een") {
		switch m.To {
		case f.users[consultantA].Email:
			toConsultant++
		case f.users[practiceP1].Email:
			toPractice++
		}
	}
	if toConsultant != 1 || toPractice != 2 {
		t.Fatalf("after the opt-out: consultant %d (want 1), practice %d (want 2)", toConsultant, toPractice)
	}
}

// The weekly digest reaches the region's programme manager and the
// practice's consultant once per ISO week, with counts and links; a
// consultant without changes or waiting work gets none; the other region's
// manager gets nothing of this region.
func TestQueueDigests(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	day := mtvp.DateOf(clock.Now()).AddDays(1) // looks back on today, when the fixture was made
	v := mtvp.Visit{RegionID: f.regionA.ID, PracticeID: f.p1.ID, Year: day.AddDays(-1).Year(), PlannedOn: day.AddDays(-1), ConsultantID: f.users[consultantA].ID}
	must(t, f.db.CreateVisit(ctx, mtvp.SystemActor, &v))
	// The programme manager reads English.
	adminUser, err := f.db.UserByID(ctx, f.users[adminA].ID)
	must(t, err)
	adminUser.Locale = "en"
	must(t, f.db.UpdateUser(ctx, mtvp.SystemActor, &adminUser))
	n, err := f.srv.QueueDigests(ctx, day)
	if err != nil || n != 2 {
		t.Fatalf("digests written: %d, %v (want 2)", n, err)
	}
	if again, err := f.srv.QueueDigests(ctx, day); err != nil || again != 0 {
		t.Fatalf("second run: %d, %v", again, err)
	}
	digests := byRecipient(mailsOfKind(t, f.db, f.regionA.ID, mtvp.KindDigest))
	adm, cons := digests[f.users[adminA].Email], digests[f.users[consultantA].Email]
	if len(digests) != 2 || adm.ID == 0 || cons.ID == 0 {
		t.Fatalf("digests to %v", digests)
	}
	for _, m := range []store.Mail{adm, cons} {
		if !strings.Contains(m.Text, "Praktijk Een") || !strings.Contains(m.Text, "/regio/regio-a/praktijken/") ||
			!strings.HasSuffix(m.UnsubscribeURL, "/account/berichten") ||
			!strings.Contains(m.HTML, `<a href="`) || !strings.Contains(m.Subject, "Regio A") {
			t.Errorf("digest to %s:\n%s\n%s", m.To, m.Subject, m.Text)
		}
	}
	if adm.Locale != "en" || !strings.HasPrefix(adm.Subject, "Weekly digest") || !strings.Contains(adm.Text, "Visits overdue: 1") ||
		cons.Locale != "nl" || !strings.Contains(cons.Text, "Bezoeken over datum: 1") {
		t.Errorf("languages: %s %q / %s %q", adm.Locale, adm.Subject, cons.Locale, cons.Subject)
	}
	t.Logf("digest mail (English):\nSubject: %s\n\n%s", adm.Subject, adm.Text)
	if !strings.Contains(adm.Text, "you follow (2)") || !strings.Contains(cons.Text, "die u volgt (1)") {
		t.Errorf("practices followed: admin %q consultant %q", adm.Text, cons.Text)
	}
	if other := mailsOfKind(t, f.db, f.regionB.ID, mtvp.KindDigest); len(other) != 0 {
		t.Errorf("region B digests %+v", other)
	}
	t.Logf("digest mail:\nSubject: %s\n\n%s", cons.Subject, cons.Text)
	// A week later, with the opt-out set, the consultant gets none.
	must(t, f.db.SetOptOuts(ctx, mtvp.SystemActor, f.users[consultantA].ID, reminderOptOut, map[string]bool{mtvp.KindDigest: true}))
	if _, err := f.srv.QueueDigests(ctx, day.AddDays(7)); err != nil {
		t.Fatal(err)
	}
	if n := len(mailsOfKind(t, f.db, f.regionA.ID, mtvp.KindDigest)); n != 3 {
		t.Fatalf("digests after a week: %d, want 3 (the manager's new one only)", n)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func keys(m map[string]store.Mail) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+": "+v.Subject)
	}
	return out
}

// mailsOfPractice keeps the mails whose subject names practice.
func mailsOfPractice(ms []store.Mail, practice string) []store.Mail {
	var out []store.Mail
	for _, m := range ms {
		if strings.Contains(m.Subject, practice) {
			out = append(out, m)
		}
	}
	return out
}
