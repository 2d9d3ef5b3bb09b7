package store_test

import (
	"testing"

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
	k, err := db.QueueNewsletter(ctx, admin, reg.ID, "2026-12", []*store.Mail{mail()})
	must(t, err)
	m2 := mail()
	m2.MessageID = "<other>"
	k2, err := db.QueueNewsletter(ctx, admin, reg.ID, "2026-12", []*store.Mail{m2})
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
