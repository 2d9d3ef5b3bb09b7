package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mail"
	"meertijd/internal/mail/mailtest"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// unsubscribeWorld gives region A an announcement for everyone this month,
// so its newsletter goes to every login of the region.
func unsubscribeWorld(t *testing.T, f *fixture) mtvp.Month {
	t.Helper()
	m := mtvp.MonthOf(mtvp.DateOf(clock.Now()))
	n := mtvp.NewsItem{RegionID: f.regionA.ID, Title: "Nieuwe data triagetraining", Body: "Er zijn **nieuwe data**.", PublishOn: m.First()}
	if err := f.db.SaveNews(context.Background(), mtvp.SystemActor, &n); err != nil {
		t.Fatal(err)
	}
	return m
}

// deliverTo sends the outbox to srv and returns the mails to address.
func deliverTo(t *testing.T, f *fixture, srv *mailtest.Server, address string) []mailtest.Received {
	t.Helper()
	s := &mail.Sender{DB: f.db, SMTP: mail.SMTP{Host: srv.Host, Port: srv.Port, Security: "none", From: "meertijd <noreply@meertijd.test>"},
		Backoff: 20 * time.Millisecond, MaxBackoff: 80 * time.Millisecond, Interval: 10 * time.Millisecond}
	if _, err := s.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	return srv.To(address)
}

// TestNewsletterUnsubscribeByMail: the newsletter travels over SMTP with a
// personal unsubscribe link in its footer and as one-click
// List-Unsubscribe; opening the link (as a link scanner would) only asks;
// the mail provider's one-click POST, from outside and without a session,
// switches the newsletter off (in the history, as the person's own
// change); the next newsletter goes to everyone else but not to them.
func TestNewsletterUnsubscribeByMail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := unsubscribeWorld(t, f)
	srv := mailtest.Start(t)
	today := mtvp.DateOf(clock.Now())
	carla := f.users[consultantA]
	if _, err := f.srv.mail.SendNewsletter(ctx, f.db, f.regionA, m, today, mtvp.SystemActor); err != nil {
		t.Fatal(err)
	}
	got := deliverTo(t, f, srv, carla.Email)
	if len(got) != 1 {
		t.Fatalf("%s got %d mails", carla.Email, len(got))
	}
	ml := got[0]
	if os.Getenv("NEWSLETTER_DUMP") != "" {
		os.WriteFile(os.Getenv("NEWSLETTER_DUMP"), ml.Raw, 0o644)
	}
	link := ml.Link("/nieuwsbrief/afmelden/")
	base := f.srv.cfg.BaseURL + "/nieuwsbrief/afmelden/"
	if !strings.HasPrefix(link, base) || len(link) < len(base)+40 {
		t.Fatalf("no personal unsubscribe link in the text:\n%s", ml.Text)
	}
	if h := ml.Header.Get("List-Unsubscribe"); h != "<"+link+">" {
		t.Errorf("List-Unsubscribe %q, want <%s>", h, link)
	}
	if h := ml.Header.Get("List-Unsubscribe-Post"); h != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", h)
	}
	if !strings.Contains(ml.Text, "Afmelden voor de nieuwsbrief: "+link) || !strings.Contains(ml.HTML, `href="`+link+`"`) ||
		!strings.Contains(ml.HTML, ">Afmelden voor de nieuwsbrief</a>") {
		t.Errorf("footer without the link:\n%s\n%s", ml.Text, ml.HTML)
	}
	// Each recipient has their own link.
	other := deliverTo(t, f, srv, f.users[practiceP1].Email)
	if len(other) != 1 || other[0].Link("/nieuwsbrief/afmelden/") == link || other[0].Link("/nieuwsbrief/afmelden/") == "" {
		t.Fatalf("practice's mail: %d mails, same link or none", len(other))
	}

	web := httptest.NewServer(f.handler)
	t.Cleanup(web.Close)
	target := web.URL + strings.TrimPrefix(link, f.srv.cfg.BaseURL)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	optedOut := func() bool {
		out, err := f.db.OptOuts(ctx, carla.ID)
		if err != nil {
			t.Fatal(err)
		}
		return out[mtvp.KindNewsletter]
	}
	before := f.auditCount()
	resp, err := client.Get(target)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	if resp.StatusCode != 200 || !strings.Contains(page, "Afmelden voor de nieuwsbrief") || !strings.Contains(page, carla.Email) ||
		!strings.Contains(page, `method="post"`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("GET: %d %s", resp.StatusCode, page)
	}
	if optedOut() || f.auditCount() != before {
		t.Fatal("opening the link unsubscribed")
	}

	// The mail provider's one-click POST (RFC 8058): no cookie, no Origin.
	resp, err = client.Post(target, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "U bent afgemeld") || !strings.Contains(string(body), `href="/account/berichten"`) {
		t.Fatalf("one-click POST: %d %s", resp.StatusCode, body)
	}
	if !optedOut() {
		t.Fatal("one-click POST did not unsubscribe")
	}
	hist, err := f.db.RegionHistory(ctx, f.regionA.ID, 1)
	if err != nil || len(hist) != 1 || hist[0].Entity != store.EntityUser || hist[0].EntityID != carla.ID || hist[0].Actor.UserID != carla.ID {
		t.Fatalf("history: %+v %v", hist, err)
	}
	if p := f.do(adminA, "GET", "/regio/{region}/historie", nil).Body.String(); !strings.Contains(p, "E-mail: Maandelijkse nieuwsbrief van de regio") {
		t.Errorf("history page does not name the change")
	}
	// Posting again (a provider retries, the person clicks twice) answers
	// the same and writes nothing more.
	n := f.auditCount()
	if rec := f.do(anon, "POST", strings.TrimPrefix(link, f.srv.cfg.BaseURL), url.Values{}); rec.Code != 200 || f.auditCount() != n {
		t.Fatalf("second POST: %d, %d audit entries", rec.Code, f.auditCount()-n)
	}
	// The preferences page shows it off.
	if p := f.do(consultantA, "GET", "/account/berichten", nil).Body.String(); !strings.Contains(p, `name="newsletter" value="1">`) {
		t.Errorf("preferences page: newsletter not shown as off")
	}

	// The next newsletter (next month) goes to the others, not to Carla.
	next := m.Next()
	n2 := mtvp.NewsItem{RegionID: f.regionA.ID, Title: "Volgende maand", Body: "Meer nieuws.", PublishOn: next.First()}
	if err := f.db.SaveNews(ctx, mtvp.SystemActor, &n2); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.mail.SendNewsletter(ctx, f.db, f.regionA, next, today, mtvp.SystemActor); err != nil {
		t.Fatal(err)
	}
	if got := deliverTo(t, f, srv, carla.Email); len(got) != 1 {
		t.Errorf("unsubscribed consultant got %d mails, want only the first", len(got))
	}
	if got := deliverTo(t, f, srv, f.users[practiceP1].Email); len(got) != 2 {
		t.Errorf("practice got %d newsletters, want 2", len(got))
	}
}

// TestNewsletterOptOutOnPrefsPage: the newsletter is an opt-out on the
// preferences page for whoever can receive it (a login of a region), not
// for a platform admin without a region; switching it off there is in the
// history and stops the newsletter.
func TestNewsletterOptOutOnPrefsPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := unsubscribeWorld(t, f)
	if p := f.do(practiceP1, "GET", "/account/berichten", nil).Body.String(); !strings.Contains(p, `name="newsletter" value="1" checked>`) ||
		!strings.Contains(p, "Maandelijkse nieuwsbrief van de regio") {
		t.Fatalf("practice's preferences without the newsletter (on)")
	}
	if p := f.do(platform, "GET", "/account/berichten", nil).Body.String(); strings.Contains(p, `name="newsletter"`) {
		t.Fatalf("platform admin without a region offered the newsletter")
	}
	before := f.auditCount()
	// Every reminder left on, the newsletter off.
	rec := f.do(practiceP1, "POST", "/account/berichten", url.Values{mtvp.RemindMeeting: {"1"}, mtvp.RemindSession: {"1"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("save: %d", rec.Code)
	}
	if f.auditCount() != before+1 {
		t.Fatalf("%d audit entries, want 1", f.auditCount()-before)
	}
	if _, err := f.srv.mail.SendNewsletter(ctx, f.db, f.regionA, m, mtvp.DateOf(clock.Now()), mtvp.SystemActor); err != nil {
		t.Fatal(err)
	}
	mails, err := f.db.ListMail(ctx, f.regionA.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, ml := range mails {
		if ml.Kind == mtvp.KindNewsletter {
			to = append(to, ml.To)
			if ml.To == f.users[practiceP1].Email {
				t.Errorf("opted-out practice got the newsletter")
			}
			if !ml.UnsubscribeOneClick || !strings.Contains(ml.UnsubscribeURL, "/nieuwsbrief/afmelden/") {
				t.Errorf("newsletter to %s: unsubscribe %q one-click %v", ml.To, ml.UnsubscribeURL, ml.UnsubscribeOneClick)
			}
		}
	}
	if len(to) == 0 {
		t.Fatal("nobody got the newsletter")
	}
}

// TestUnsubscribeLinkGone: an unknown link is a Dutch 404, an expired one
// a Dutch 410 pointing at the preferences; neither changes anything.
func TestUnsubscribeLinkGone(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.users[practiceP1]
	token, hash := mail.NewLinkToken()
	past := time.Now().Add(-2 * mtvp.UnsubscribeLinkValidity)
	ml := &store.Mail{MessageID: "<oud@test>", Kind: mtvp.KindNewsletter, RegionID: f.regionA.ID, UserID: u.ID, To: u.Email, Subject: "Nieuwsbrief", Text: "x"}
	if _, err := f.db.QueueNewsletter(ctx, mtvp.SystemActor, f.regionA.ID, "2020-01", []store.NewsletterMail{{Mail: ml, TokenHash: hash,
		Link: store.Link{UserID: u.ID, Email: u.Email, Grant: mtvp.Grant{RegionID: f.regionA.ID}, CreatedAt: past, ExpiresAt: past.Add(mtvp.UnsubscribeLinkValidity)}}}); err != nil {
		t.Fatal(err)
	}
	before := f.auditCount()
	for _, c := range []struct {
		path   string
		status int
		text   string
	}{
		{mail.UnsubscribePath("onbekend"), 404, "Deze link kennen we niet"},
		{mail.UnsubscribePath(token), 410, "Deze link is verlopen"},
	} {
		for _, method := range []string{"GET", "POST"} {
			rec := f.do(anon, method, c.path, url.Values{})
			if body := rec.Body.String(); rec.Code != c.status || !strings.Contains(body, c.text) || !strings.Contains(body, "bij uw e-mailberichten") {
				t.Errorf("%s %s: %d %.300s", method, c.path, rec.Code, body)
			}
		}
	}
	out, _ := f.db.OptOuts(ctx, u.ID)
	if out[mtvp.KindNewsletter] || f.auditCount() != before {
		t.Fatal("a dead link changed something")
	}
}

// TestUnsubscribeCrossOrigin: the one-click POST is let through the
// cross-origin protection even from another site (a webmail page); every
// other form, the newsletter's own send and the preferences included,
// stays refused.
func TestUnsubscribeCrossOrigin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := unsubscribeWorld(t, f)
	if _, err := f.srv.mail.SendNewsletter(ctx, f.db, f.regionA, m, mtvp.DateOf(clock.Now()), mtvp.SystemActor); err != nil {
		t.Fatal(err)
	}
	mails, err := f.db.ListMail(ctx, f.regionA.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	var link string
	for _, ml := range mails {
		if ml.To == f.users[practiceP1].Email {
			link = strings.TrimPrefix(ml.UnsubscribeURL, f.srv.cfg.BaseURL)
		}
	}
	crossSite := func(w who, path string, form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", f.expand(path), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://webmail.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if c := f.cookie(w); c != nil {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		return rec
	}
	before := f.auditCount()
	for _, c := range []struct {
		who  who
		path string
	}{
		{practiceP1, "/account/berichten"},
		{adminA, newsletterURL(f.regionA, m) + "/versturen"},
		{anon, link + "/extra"},
		{anon, "/nieuwsbrief/afmelden/"},
	} {
		if rec := crossSite(c.who, c.path, url.Values{}); rec.Code != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", c.path, rec.Code)
		}
	}
	if f.auditCount() != before {
		t.Fatal("a refused cross-site form changed data")
	}
	if rec := crossSite(anon, link, url.Values{"List-Unsubscribe": {"One-Click"}}); rec.Code != http.StatusOK {
		t.Fatalf("cross-site one-click POST: %d %.300s", rec.Code, rec.Body.String())
	}
	if out, _ := f.db.OptOuts(ctx, f.users[practiceP1].ID); !out[mtvp.KindNewsletter] {
		t.Fatal("cross-site one-click POST did not unsubscribe")
	}
}
