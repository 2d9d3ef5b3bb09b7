package store_test

import (
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

var activityComposer = mail.Composer{BaseURL: "https://meertijd.test", Organizer: "noreply@meertijd.test"}

// outboxByRecipient indexes the outbox by recipient and kind ("anna@x.nl activity.changed").
func outboxByRecipient(t *testing.T, db *store.DB, regionID int64) map[string][]store.Mail {
	t.Helper()
	ms, err := db.ListMail(ctx, regionID, 100)
	must(t, err)
	out := map[string][]store.Mail{}
	for _, m := range ms {
		out[m.To+" "+m.Kind] = append(out[m.To+" "+m.Kind], m)
	}
	return out
}

// dutchDay is how the mails write a day ("donderdag 17 december 2026").
func dutchDay(d mtvp.Date) string {
	return [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}[d.Time().Weekday()] + " " + d.Dutch()
}

func wantICS(t *testing.T, m store.Mail, wants ...string) {
	t.Helper()
	cal := string(m.Attachment)
	for _, w := range wants {
		if !strings.Contains(cal, w+"\r\n") {
			t.Errorf("%s to %s: calendar lacks %q:\n%s", m.Kind, m.To, w, cal)
		}
	}
}

type notifyWorld struct {
	db                         *store.DB
	region                     mtvp.Region
	practice                   mtvp.Practice
	act                        mtvp.Activity
	anna, bep, cor, dirk       mtvp.ActivitySignUp
	practiceLogin, annaEN      mtvp.User
	annaMail, corMail, bepMail string
}

// newNotifyWorld: an activity with two places: Anna (a login in English)
// and Bep placed, Cor and Dirk (no address) waiting; the practice has a
// login of its own.
func newNotifyWorld(t *testing.T) notifyWorld {
	db := newDB(t)
	w := notifyWorld{db: db, region: addRegion(t, db, "zio")}
	w.practice = addPractice(t, db, w.region.ID, agb(1), "De Linde")
	w.practiceLogin = addUser(t, db, "praktijk@delinde.nl", mtvp.Grant{Role: mtvp.AccountPractice, RegionID: w.region.ID, PracticeID: w.practice.ID})
	// Anna's login works for another practice (she helps out there).
	other := addPractice(t, db, w.region.ID, agb(2), "Het Anker")
	w.annaEN = mtvp.User{Email: "Anna@DeLinde.nl", Name: "Anna Smith", Locale: "en", Grants: []mtvp.Grant{{Role: mtvp.AccountPractice, RegionID: w.region.ID, PracticeID: other.ID}}}
	must(t, db.CreateUser(ctx, admin, &w.annaEN, "hash"))
	w.act = mtvp.Activity{RegionID: w.region.ID, Kind: mtvp.KindNetwork, Title: "Netwerkavond", Description: "Over samenwerken", Date: today().AddDays(14),
		StartTime: "19:00", EndTime: "21:00", Place: "Maastricht", Capacity: 2}
	must(t, db.CreateActivity(ctx, admin, &w.act))
	w.annaMail, w.bepMail, w.corMail = "anna@delinde.nl", "bep@delinde.nl", "cor@delinde.nl"
	sign := func(name, email string) mtvp.ActivitySignUp {
		p := mtvp.Person{Name: name, Email: email}
		m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.8, From: mtvp.MustDate("2020-01-01")}
		must(t, db.AddStaff(ctx, admin, w.practice.ID, &p, &m))
		x := mtvp.ActivitySignUp{ActivityID: w.act.ID, PersonID: p.ID, PracticeID: w.practice.ID}
		must(t, db.SignUpForActivity(ctx, admin, &x))
		return x
	}
	w.anna, w.bep, w.cor, w.dirk = sign("Anna Smit", "Anna@DeLinde.nl"), sign("Bep Bakker", w.bepMail), sign("Cor Claassen", w.corMail), sign("Dirk Dekker", "")
	return w
}

// An activity's edit mails everyone signed up when the date, a time or
// the place changed, not for a new description; each mail names what
// changed and carries the calendar entry with the same UID and a higher
// SEQUENCE; a place given by a raised capacity gets the waiting-list
// place mail (person and practice); a rolled-back edit writes nothing; the
// same notice written again adds nothing.
func TestActivityEditMails(t *testing.T) {
	w := newNotifyWorld(t)
	db := w.db
	uid := "UID:activity-" + strconv.FormatInt(w.act.ID, 10) + "@meertijd"

	// A new description only: saved, no mail.
	e := w.act
	e.Description = "Over samenwerken in de wijk"
	must(t, db.UpdateActivity(ctx, admin, &e, activityComposer.ActivityMails))
	if box := outboxByRecipient(t, db, w.region.ID); len(box) != 0 {
		t.Fatalf("a description edit mailed: %v", box)
	}

	// A mail that cannot be written rolls the edit back: nothing saved,
	// nothing in the outbox.
	broken := func(n store.ActivityNotice) ([]*store.Mail, error) {
		ms, err := activityComposer.ActivityMails(n)
		if len(ms) > 1 {
			ms[1].To = ""
		}
		return ms, err
	}
	moved := e
	moved.Date, moved.StartTime, moved.EndTime, moved.Place, moved.Capacity = w.act.Date.AddDays(2), "19:30", "21:30", "Sittard, Rijksweg 1", 3
	tryMoved := moved
	if err := db.UpdateActivity(ctx, admin, &tryMoved, broken); err == nil {
		t.Fatal("an edit whose mail cannot be written was saved")
	}
	if got, _ := db.ActivityByID(ctx, w.act.ID); got.Place != "Maastricht" || got.Version != e.Version {
		t.Fatalf("rolled-back edit saved: %+v", got)
	}
	if box := outboxByRecipient(t, db, w.region.ID); len(box) != 0 {
		t.Fatalf("rolled-back edit mailed: %v", box)
	}

	// Date, time and place moved and one more place: Anna (English), Bep
	// and Cor are told; Cor also gets the place, and so does the practice
	// (Dirk has no address).
	must(t, db.UpdateActivity(ctx, admin, &moved, activityComposer.ActivityMails))
	box := outboxByRecipient(t, db, w.region.ID)
	seq := "SEQUENCE:" + strconv.Itoa(moved.Version)
	for _, to := range []string{w.annaMail, w.bepMail, w.corMail} {
		ms := box[to+" "+mail.KindActivityChanged]
		if len(ms) != 1 {
			t.Fatalf("%s got %d change mails (outbox %v)", to, len(ms), box)
		}
		wantICS(t, ms[0], "METHOD:REQUEST", uid, seq, "STATUS:CONFIRMED", "LOCATION:Sittard\\, Rijksweg 1", "ORGANIZER;CN=meertijd:mailto:noreply@meertijd.test")
		if ms[0].AttachmentType != "text/calendar; charset=utf-8; method=REQUEST" {
			t.Errorf("attachment type %q", ms[0].AttachmentType)
		}
	}
	en := box[w.annaMail+" "+mail.KindActivityChanged][0]
	if en.Locale != "en" || !strings.HasPrefix(en.Subject, "Changed: Netwerkavond on ") || !strings.Contains(en.Text, "Place: Maastricht → Sittard, Rijksweg 1") ||
		!strings.Contains(en.Text, "Time: 19:00–21:00 → 19:30–21:30") || !strings.Contains(en.Text, "Dear Anna Smith") {
		t.Errorf("English change mail:\n%s\n%s", en.Subject, en.Text)
	}
	nl := box[w.bepMail+" "+mail.KindActivityChanged][0]
	wantDate := "Datum: " + dutchDay(w.act.Date) + " → " + dutchDay(moved.Date)
	for _, want := range []string{"Beste Bep Bakker", "De activiteit „Netwerkavond”, waarvoor u bent aangemeld, is gewijzigd:", wantDate,
		"Tijd: 19:00–21:00 → 19:30–21:30", "Plaats: Maastricht → Sittard, Rijksweg 1", "Nieuwe gegevens: " + dutchDay(moved.Date) + " van 19:30 tot 21:30, in Sittard, Rijksweg 1.", "U hebt een plaats.",
		"https://meertijd.test/regio/zio/activiteiten/" + strconv.FormatInt(w.act.ID, 10)} {
		if !strings.Contains(nl.Text, want) {
			t.Errorf("Dutch change mail lacks %q:\n%s", want, nl.Text)
		}
	}
	if nl.Subject != "Gewijzigd: Netwerkavond op "+dutchDay(moved.Date) {
		t.Errorf("subject %q", nl.Subject)
	}
	t.Logf("change mail as written:\nSubject: %s\n\n%s", nl.Subject, nl.Text)
	if cor := box[w.corMail+" "+mail.KindActivityChanged][0]; !strings.Contains(cor.Text, "U hebt een plaats.") {
		t.Errorf("Cor moved up in this edit but is told otherwise:\n%s", cor.Text)
	}
	for _, to := range []string{w.corMail, w.practiceLogin.Email} {
		ms := box[to+" "+mtvp.RemindActivityPlace]
		if len(ms) != 1 || ms[0].Subject != "Plaats vrijgekomen: Netwerkavond" {
			t.Fatalf("%s: place mails %+v", to, ms)
		}
	}
	self, practice := box[w.corMail+" "+mtvp.RemindActivityPlace][0], box[w.practiceLogin.Email+" "+mtvp.RemindActivityPlace][0]
	if !strings.Contains(self.Text, "u staat niet meer op de wachtlijst maar bent nu geplaatst voor de activiteit Netwerkavond op "+dutchDay(moved.Date)+" (aangemeld door De Linde)") ||
		!strings.Contains(self.Text, "Meld de plaats dan uiterlijk") {
		t.Errorf("place mail to Cor:\n%s", self.Text)
	}
	if !strings.Contains(practice.Text, "Cor Claassen staat niet meer op de wachtlijst") {
		t.Errorf("place mail to the practice:\n%s", practice.Text)
	}
	if n := len(box); n != 5 {
		t.Errorf("%d recipient/kind pairs, want 5: %v", n, box)
	}
	t.Logf("place mail as written:\nSubject: %s\n\n%s", self.Subject, self.Text)

	// The same change written again (a retry) adds nothing.
	again, err := activityComposer.ActivityMails(store.ActivityNotice{Region: w.region, Old: w.act, New: moved, Sequence: moved.Version,
		People: []store.ActivityAddressee{{SignUp: w.bep, To: store.Addressee{Email: w.bepMail, Name: "Bep Bakker", Locale: "nl"}}}})
	must(t, err)
	if n, err := db.EnqueueMail(ctx, again...); err != nil || n != 0 {
		t.Fatalf("a retried change mail was written again: %d, %v", n, err)
	}

	// Moved into the past (the record corrected after the day): told, as
	// their calendars hold it; another correction while it stays in the
	// past is nobody's news.
	before := len(outboxMails(t, db, w.region.ID))
	past := moved
	past.Date = today().AddDays(-3)
	must(t, db.UpdateActivity(ctx, admin, &past, activityComposer.ActivityMails))
	afterMove := len(outboxMails(t, db, w.region.ID))
	if afterMove != before+3 {
		t.Fatalf("moving into the past wrote %d mails, want 3", afterMove-before)
	}
	past.Place = "Heerlen"
	must(t, db.UpdateActivity(ctx, admin, &past, activityComposer.ActivityMails))
	if n := len(outboxMails(t, db, w.region.ID)); n != afterMove {
		t.Fatalf("correcting a past activity's place wrote %d mails", n-afterMove)
	}
}

func outboxMails(t *testing.T, db *store.DB, regionID int64) []store.Mail {
	t.Helper()
	ms, err := db.ListMail(ctx, regionID, 100)
	must(t, err)
	return ms
}

// Cancelling an activity mails everyone signed up (placed or waiting) with
// the calendar cancellation (same UID, higher SEQUENCE) and keeps what the
// .ics needs; a cancelled sign-up that frees a place mails the one moved
// up and their practice; with the region's place mails off, none.
func TestActivityCancelMails(t *testing.T) {
	w := newNotifyWorld(t)
	db := w.db

	// Bep gives back the place: Cor moves up and is told, with the practice.
	must(t, db.CancelActivitySignUp(ctx, admin, w.bep.ID, w.bep.Version, activityComposer.ActivityMails))
	box := outboxByRecipient(t, db, w.region.ID)
	if len(box[w.corMail+" "+mtvp.RemindActivityPlace]) != 1 || len(box[w.practiceLogin.Email+" "+mtvp.RemindActivityPlace]) != 1 || len(box) != 2 {
		t.Fatalf("after Bep gave back the place: %v", box)
	}

	// With the region's place mails off, Anna's place goes to Dirk unmailed.
	s, err := db.ReminderSettings(ctx, w.region.ID)
	must(t, err)
	s.PlaceFree.On = false
	must(t, db.SetReminderSettings(ctx, admin, w.region.ID, s))
	anna, _ := db.ActivitySignUpByID(ctx, w.anna.ID)
	must(t, db.CancelActivitySignUp(ctx, admin, anna.ID, anna.Version, activityComposer.ActivityMails))
	if dirk, _ := db.ActivitySignUpByID(ctx, w.dirk.ID); dirk.Status != mtvp.EnrolmentPlaced {
		t.Fatalf("Dirk %v", dirk.Status)
	}
	if box := outboxByRecipient(t, db, w.region.ID); len(box) != 2 {
		t.Fatalf("place mail written while the region sends none: %v", box)
	}

	// Anna signs up again (waiting now); then the activity is cancelled.
	again := mtvp.ActivitySignUp{ActivityID: w.act.ID, PersonID: anna.PersonID, PracticeID: w.practice.ID}
	must(t, db.SignUpForActivity(ctx, admin, &again))
	act, err := db.ActivityByID(ctx, w.act.ID)
	must(t, err)
	wantCode(t, db.DeleteActivity(ctx, admin, act.ID, act.Version-1, activityComposer.ActivityMails), mtvp.ECONFLICT)
	must(t, db.DeleteActivity(ctx, admin, act.ID, act.Version, activityComposer.ActivityMails))
	box = outboxByRecipient(t, db, w.region.ID)
	seq := "SEQUENCE:" + strconv.Itoa(act.Version+1)
	for _, to := range []string{w.annaMail, w.corMail} {
		ms := box[to+" "+mail.KindActivityCancelled]
		if len(ms) != 1 {
			t.Fatalf("%s got %d cancellation mails: %v", to, len(ms), box)
		}
		wantICS(t, ms[0], "METHOD:CANCEL", "STATUS:CANCELLED", "UID:activity-"+strconv.FormatInt(act.ID, 10)+"@meertijd", seq)
	}
	if ms := box[w.bepMail+" "+mail.KindActivityCancelled]; len(ms) != 0 {
		t.Errorf("Bep, no longer signed up, was told: %v", ms)
	}
	cor := box[w.corMail+" "+mail.KindActivityCancelled][0]
	if !strings.HasPrefix(cor.Subject, "Gaat niet door: Netwerkavond op ") || !strings.Contains(cor.Text, "De activiteit „Netwerkavond” op "+dutchDay(act.Date)+" van 19:00 tot 21:00, in Maastricht, gaat helaas niet door.") ||
		!strings.Contains(cor.Text, "Uw aanmelding vervalt daarmee") {
		t.Errorf("cancellation mail:\n%s\n%s", cor.Subject, cor.Text)
	}
	if en := box[w.annaMail+" "+mail.KindActivityCancelled][0]; en.Locale != "en" || !strings.Contains(en.Text, "You were on the waiting list") {
		t.Errorf("Anna's (waiting, English) cancellation:\n%s", en.Text)
	}
	t.Logf("cancellation mail as written:\nSubject: %s\n\n%s", cor.Subject, cor.Text)
	c, err := db.ActivityCancellationByID(ctx, act.ID)
	must(t, err)
	if c.RegionID != w.region.ID || c.Sequence != act.Version+1 || c.Title != "Netwerkavond" || c.Place != "Maastricht" || !c.Date.Equal(act.Date) {
		t.Fatalf("cancellation kept %+v", c)
	}
	_, err = db.ActivityCancellationByID(ctx, act.ID+1000)
	wantCode(t, err, mtvp.ENOTFOUND)
}
