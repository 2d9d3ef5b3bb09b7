package store_test

import (
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestNewsSaveReadAndNewsletter: an announcement is saved, updated with a
// version (stale: conflict), read once per user, and a newsletter queued
// twice mails nobody twice.
func TestNewsSaveReadAndNewsletter(t *testing.T) {
	db := newDB(t)
	reg := addRegion(t, db, "zio")
	u := addUser(t, db, "praktijk@zio.nl", mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: reg.ID})
	bad := mtvp.NewsItem{RegionID: reg.ID, Title: "", Body: "x", PublishOn: mtvp.MustDate("2026-12-01")}
	wantField(t, db.SaveNews(ctx, admin, &bad), "title", "err.required")
	n := mtvp.NewsItem{RegionID: reg.ID, Title: "Nieuwe data", Body: "**Let op**", PublishOn: mtvp.MustDate("2026-12-01"),
		Roles: []mtvp.AccountRole{mtvp.AccountPractice}, Waves: []string{"2025-q1"}, Links: []mtvp.NewsLink{{Kind: mtvp.NewsLinkSession, ID: 3}}}
	must(t, db.SaveNews(ctx, admin, &n))
	if n.ID == 0 || n.Version != 1 || n.Waves[0] != "2025-Q1" || n.Links[0].ID != 3 || !n.ExpiresOn.IsZero() {
		t.Fatalf("saved %+v", n)
	}
	stale := n
	n.ExpiresOn = mtvp.MustDate("2026-12-31")
	must(t, db.SaveNews(ctx, admin, &n))
	if n.Version != 2 || n.ExpiresOn.String() != "2026-12-31" {
		t.Fatalf("updated %+v", n)
	}
	stale.Title = "Oud"
	wantCode(t, db.SaveNews(ctx, admin, &stale), mtvp.ECONFLICT)
	list, err := db.ListNews(ctx, reg.ID)
	must(t, err)
	if len(list) != 1 || list[0].Title != "Nieuwe data" {
		t.Fatalf("list %+v", list)
	}
	must(t, db.MarkNewsRead(ctx, n.ID, u.ID))
	must(t, db.MarkNewsRead(ctx, n.ID, u.ID))
	read, err := db.NewsRead(ctx, reg.ID, u.ID)
	must(t, err)
	if !read[n.ID] || len(read) != 1 {
		t.Fatalf("read %v", read)
	}
	mail := func() *store.Mail {
		return &store.Mail{MessageID: "<" + t.Name() + mtvp.NewDate(2026, 12, 1).String() + ">", Kind: "newsletter", RegionID: reg.ID, To: "a@b.nl", Subject: "Nieuwsbrief",
			Text: "x", DedupeKey: "newsletter:zio:2026-12:a@b.nl"}
	}
	k, err := db.QueueNewsletter(ctx, admin, reg.ID, "2026-12", []store.NewsletterMail{{Mail: mail()}})
	must(t, err)
	m2 := mail()
	m2.MessageID = "<other>"
	k2, err := db.QueueNewsletter(ctx, admin, reg.ID, "2026-12", []store.NewsletterMail{{Mail: m2}})
	must(t, err)
	if k != 1 || k2 != 0 {
		t.Fatalf("queued %d then %d", k, k2)
	}
	sends, err := db.NewsletterSends(ctx, reg.ID, "2026-12")
	must(t, err)
	if len(sends) != 2 {
		t.Fatalf("sends %+v", sends)
	}
}

// TestNewsletterUnsubscribeLink: a queued newsletter mail stores its
// recipient's unsubscribe link (a mail skipped as a duplicate stores
// none); the link switches the newsletter off once, in the login's
// history, and works again without a second entry; an expired or unknown
// link does nothing; a login that opted out gets no newsletter, also when
// the mail was written before it did.
func TestNewsletterUnsubscribeLink(t *testing.T) {
	db := newDB(t)
	reg := addRegion(t, db, "zio")
	u := addUser(t, db, "praktijk@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: reg.ID})
	now := time.Now()
	letter := func(id, month, hash string, expires time.Time) store.NewsletterMail {
		return store.NewsletterMail{
			Mail: &store.Mail{MessageID: "<" + id + "@test>", Kind: mtvp.KindNewsletter, RegionID: reg.ID, UserID: u.ID, To: u.Email, Subject: "Nieuwsbrief",
				Text: "x", DedupeKey: "newsletter:" + month + ":" + id, UnsubscribeURL: "https://meertijd.test/nieuwsbrief/afmelden/t", UnsubscribeOneClick: true},
			Link:      store.Link{UserID: u.ID, Email: u.Email, Name: u.Name, Locale: "nl", Grant: mtvp.Grant{RegionID: reg.ID}, CreatedAt: now, ExpiresAt: expires},
			TokenHash: hash}
	}
	k, err := db.QueueNewsletter(ctx, admin, reg.ID, "2026-12", []store.NewsletterMail{letter("a", "2026-12", "hash-a", now.Add(time.Hour))})
	must(t, err)
	dup := letter("a", "2026-12", "hash-dup", now.Add(time.Hour))
	dup.Mail.MessageID = "<dup@test>"
	k2, err := db.QueueNewsletter(ctx, admin, reg.ID, "2026-12", []store.NewsletterMail{dup})
	must(t, err)
	if k != 1 || k2 != 0 {
		t.Fatalf("queued %d then %d", k, k2)
	}
	if _, err := db.LinkByToken(ctx, store.LinkUnsubscribe, "hash-dup"); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Fatalf("link of a skipped mail stored: %v", err)
	}
	l, err := db.LinkByToken(ctx, store.LinkUnsubscribe, "hash-a")
	must(t, err)
	if l.UserID != u.ID || l.Grant.RegionID != reg.ID || l.StateAt(now) != mtvp.LinkOpen {
		t.Fatalf("link %+v", l)
	}
	mails, err := db.ListMail(ctx, reg.ID, 10)
	must(t, err)
	if len(mails) != 1 || !mails[0].UnsubscribeOneClick {
		t.Fatalf("outbox %+v", mails)
	}

	// Expired and unknown links change nothing.
	_, err = db.QueueNewsletter(ctx, admin, reg.ID, "2027-01", []store.NewsletterMail{letter("old", "2027-01", "hash-old", now.Add(time.Hour))})
	must(t, err)
	before, err := db.AuditCount(ctx)
	must(t, err)
	for _, h := range []string{"hash-old", "onbekend"} {
		at := now
		if h == "hash-old" {
			at = now.Add(2 * time.Hour)
		}
		if _, err := db.UnsubscribeByLink(ctx, h, at); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
			t.Fatalf("%s: %v", h, err)
		}
	}
	out, err := db.OptOuts(ctx, u.ID)
	must(t, err)
	if out[mtvp.KindNewsletter] {
		t.Fatal("an expired link unsubscribed")
	}

	// The link works twice, the second time changing nothing.
	for i := range 2 {
		got, err := db.UnsubscribeByLink(ctx, "hash-a", now)
		must(t, err)
		if got.UserID != u.ID || got.Email != u.Email {
			t.Fatalf("unsubscribed %+v", got)
		}
		after, err := db.AuditCount(ctx)
		must(t, err)
		if after != before+1 {
			t.Fatalf("run %d: %d audit entries, want 1", i+1, after-before)
		}
	}
	out, err = db.OptOuts(ctx, u.ID)
	must(t, err)
	if !out[mtvp.KindNewsletter] {
		t.Fatal("not opted out")
	}
	hist, err := db.RegionHistory(ctx, reg.ID, 5)
	must(t, err)
	var entry mtvp.AuditEntry
	for _, e := range hist {
		if e.Entity == store.EntityUser && e.EntityID == u.ID {
			entry = e
			break
		}
	}
	if entry.Actor.UserID != u.ID || len(entry.Changes) != 1 || entry.Changes[0] != (mtvp.Change{Field: store.AuditFieldMail + mtvp.KindNewsletter, Old: "ja", New: "nee"}) {
		t.Fatalf("history entry %+v", entry)
	}
	optedOut, err := db.OptOutsIn(ctx, reg.ID, mtvp.KindNewsletter)
	must(t, err)
	if !optedOut[u.ID] || len(optedOut) != 1 {
		t.Fatalf("opted out in region: %v", optedOut)
	}
	k3, err := db.QueueNewsletter(ctx, admin, reg.ID, "2027-02", []store.NewsletterMail{letter("feb", "2027-02", "hash-feb", now.Add(time.Hour))})
	must(t, err)
	if k3 != 0 {
		t.Fatalf("opted-out login queued %d", k3)
	}
	if _, err := db.LinkByToken(ctx, store.LinkUnsubscribe, "hash-feb"); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Fatalf("link of an unsent mail stored: %v", err)
	}
	// Switched on again on the preferences page: in the history too.
	must(t, db.SetOptOuts(ctx, mtvp.Actor{UserID: u.ID, Name: u.Name}, u.ID, []string{mtvp.KindNewsletter}, map[string]bool{}))
	hist, err = db.RegionHistory(ctx, reg.ID, 1)
	must(t, err)
	if len(hist) != 1 || len(hist[0].Changes) != 1 || hist[0].Changes[0].New != "ja" {
		t.Fatalf("switched on again: %+v", hist)
	}
}
