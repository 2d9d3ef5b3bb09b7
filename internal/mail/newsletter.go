package mail

import (
	"context"
	"html/template"
	"net/url"
	"strconv"
	"time"

	"meertijd/internal/markup"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// The monthly newsletter of a region: its announcements of the month and
// the sessions starting then or the month after. One gathering serves the
// printable page (internal/web) and the mails (SendNewsletter).

// Newsletter is a region's newsletter of a month, for everyone; Filter
// narrows it to one reader.
type Newsletter struct {
	Region     mtvp.Region
	Month      mtvp.Month
	Items      []NewsletterItem
	Sessions   []mtvp.TrainingSession
	Activities []mtvp.Activity // open to the whole region
}

// NewsletterItem is an announcement with its body rendered and its links
// resolved.
type NewsletterItem struct {
	mtvp.NewsItem
	HTML  template.HTML
	Text  string
	Links []NewsletterLink
}

// NewsletterLink is a link of an announcement to a session or group.
type NewsletterLink struct {
	Label string
	Path  string // on this site: "/regio/zio/scholing/sessies/3"
}

// GatherNewsletter reads the month's announcements and its sessions and
// learning activities still to come on today.
func GatherNewsletter(ctx context.Context, db *store.DB, reg mtvp.Region, m mtvp.Month, today mtvp.Date) (Newsletter, error) {
	nl := Newsletter{Region: reg, Month: m}
	all, err := db.ListNews(ctx, reg.ID)
	if err != nil {
		return nl, err
	}
	for _, n := range mtvp.NewsletterItems(all, m, nil) {
		it, err := RenderNews(ctx, db, reg, n)
		if err != nil {
			return nl, err
		}
		nl.Items = append(nl.Items, it)
	}
	ss, err := db.ListSessions(ctx, reg.ID, m.First())
	if err != nil {
		return nl, err
	}
	nl.Sessions = mtvp.NewsletterSessions(ss, m, today)
	acts, err := db.Activities(ctx, store.ActivityFilter{RegionID: reg.ID, From: m.First()})
	if err != nil {
		return nl, err
	}
	nl.Activities = mtvp.NewsletterActivities(acts, m, today)
	return nl, nil
}

// RenderNews renders an announcement's body and resolves its links (a
// link to a session or group that no longer exists is left out).
func RenderNews(ctx context.Context, db *store.DB, reg mtvp.Region, n mtvp.NewsItem) (NewsletterItem, error) {
	it := NewsletterItem{NewsItem: n, HTML: markup.Render(n.Body), Text: markup.Text(n.Body)}
	base := "/regio/" + url.PathEscape(reg.Code)
	for _, l := range n.Links {
		switch l.Kind {
		case mtvp.NewsLinkSession:
			s, err := db.SessionByID(ctx, l.ID)
			if mtvp.ErrorCode(err) == mtvp.ENOTFOUND || err == nil && s.RegionID != reg.ID {
				continue
			}
			if err != nil {
				return it, err
			}
			it.Links = append(it.Links, NewsletterLink{Label: s.TrainingTitle + " · " + s.FirstDate().Dutch(), Path: base + "/scholing/sessies/" + strconv.FormatInt(s.ID, 10)})
		case mtvp.NewsLinkGroup:
			g, err := db.GroupByID(ctx, l.ID)
			if mtvp.ErrorCode(err) == mtvp.ENOTFOUND || err == nil && g.RegionID != reg.ID {
				continue
			}
			if err != nil {
				return it, err
			}
			it.Links = append(it.Links, NewsletterLink{Label: g.Name, Path: base + "/intervisie/" + strconv.FormatInt(g.ID, 10)})
		}
	}
	return it, nil
}

// Filter is the newsletter as reader r receives it.
func (nl Newsletter) Filter(r mtvp.NewsReader) Newsletter {
	out := nl
	out.Items = nil
	for _, it := range nl.Items {
		if it.For(r) {
			out.Items = append(out.Items, it)
		}
	}
	return out
}

// newsletterMail is what the newsletter templates get.
type newsletterMail struct {
	Newsletter
	MonthText string
	Page      string
	URL       func(string) string
}

// SendNewsletter queues the month's newsletter to every enabled login with
// a grant in the region that did not switch it off, each with the
// announcements addressed to it (a login with neither news nor sessions
// gets none), in one transaction with the record of the send. A recipient
// already sent this month's newsletter is skipped (dedupe key), so sending
// again mails only new recipients. Every mail carries its recipient's own
// unsubscribe link (mail_links, like invitations): in the footer and as
// one-click List-Unsubscribe (RFC 8058).
func (c Composer) SendNewsletter(ctx context.Context, db *store.DB, reg mtvp.Region, m mtvp.Month, today mtvp.Date, by mtvp.Actor) (int, error) {
	nl, err := GatherNewsletter(ctx, db, reg, m, today)
	if err != nil {
		return 0, err
	}
	users, err := db.ListUsers(ctx, reg.ID)
	if err != nil {
		return 0, err
	}
	waves, err := db.PracticeWaves(ctx, reg.ID)
	if err != nil {
		return 0, err
	}
	optedOut, err := db.OptOutsIn(ctx, reg.ID, mtvp.KindNewsletter)
	if err != nil {
		return 0, err
	}
	page := c.URL("/regio/" + url.PathEscape(reg.Code) + "/nieuwsbrief/" + m.String())
	now := time.Now()
	var mails []store.NewsletterMail
	for _, u := range users {
		if u.Disabled || u.Email == "" || optedOut[u.ID] {
			continue
		}
		mine := nl.Filter(u.ReaderIn(reg.ID, waves))
		if len(mine.Items) == 0 && len(mine.Sessions) == 0 && len(mine.Activities) == 0 {
			continue
		}
		lang := u.Locale
		if lang != "en" {
			lang = "nl"
		}
		data := newsletterMail{Newsletter: mine, MonthText: m.Text(lang), Page: page, URL: c.URL}
		token, hash := NewLinkToken()
		ml, err := c.Compose(mtvp.KindNewsletter, reg.ID, Recipient{Email: u.Email, Name: u.Name, Locale: lang, UserID: u.ID}, data, UnsubscribePath(token))
		if err != nil {
			return 0, err
		}
		ml.UnsubscribeOneClick = true
		ml.DedupeKey = "newsletter:" + strconv.FormatInt(reg.ID, 10) + ":" + m.String() + ":" + strconv.FormatInt(u.ID, 10)
		link := store.Link{UserID: u.ID, Email: u.Email, Name: u.Name, Locale: lang, Grant: mtvp.Grant{RegionID: reg.ID},
			CreatedAt: now, ExpiresAt: now.Add(mtvp.UnsubscribeLinkValidity)}
		mails = append(mails, store.NewsletterMail{Mail: ml, Link: link, TokenHash: hash})
	}
	return db.QueueNewsletter(ctx, by, reg.ID, m.String(), mails)
}

// UnsubscribePath is the page of a newsletter unsubscribe token: GET asks
// to confirm, POST (the page's button, or a mail provider's one-click
// unsubscribe) switches the newsletter off.
func UnsubscribePath(token string) string { return "/nieuwsbrief/afmelden/" + url.PathEscape(token) }
