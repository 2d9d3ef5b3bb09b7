package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/store"
)

// lastMailLink returns the newest outbox mail to address and the first
// link in its text that contains path.
func lastMailLink(t *testing.T, db *store.DB, address, path string) (store.Mail, string) {
	t.Helper()
	mails, err := db.ListMail(context.Background(), 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		if m.To == address {
			link := regexp.MustCompile(`https?://\S*` + regexp.QuoteMeta(path) + `\S*`).FindString(m.Text)
			if link == "" {
				t.Fatalf("mail to %s has no link with %s: %s", address, path, m.Text)
			}
			u, _ := url.Parse(link)
			return m, u.Path
		}
	}
	t.Fatalf("no mail to %s", address)
	return store.Mail{}, ""
}

func TestInvitationFlow(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"name": {"Nieuwe Consulent"}, "email": {"Nieuw@Example.nl"}, "role": {"consultant"}, "locale": {"en"}}
	if rec := f.do(adminA, "POST", "/regio/{region}/uitnodigingen", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	m, path := lastMailLink(t, f.db, "nieuw@example.nl", "/uitnodiging/")
	if m.Locale != "en" || !strings.Contains(m.Text, "as Consultant") && !strings.Contains(m.Text, "invites you") {
		t.Errorf("mail not in English: %s", m.Text)
	}
	// The link works: the page names the address.
	if rec := f.do(anon, "GET", path, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "nieuw@example.nl") {
		t.Fatalf("accept page: %d", rec.Code)
	}
	// A short password is refused with the field named; nothing is used up.
	bad := url.Values{"name": {"N. Consulent"}, "password": {"kort"}, "confirm": {"kort"}}
	if rec := f.do(anon, "POST", path, bad); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("short password: %d", rec.Code)
	}
	good := url.Values{"name": {"N. Consulent"}, "password": {"een lang wachtwoord"}, "confirm": {"een lang wachtwoord"}}
	rec := f.do(anon, "POST", path, good)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inloggen/tweestaps" {
		t.Fatalf("accept: %d → %q", rec.Code, rec.Header().Get("Location"))
	}
	u, err := f.db.UserByEmail(context.Background(), "nieuw@example.nl")
	if err != nil || u.Name != "N. Consulent" || len(u.Grants) != 1 || u.Grants[0].Role != "consultant" || u.Grants[0].RegionID != f.regionA.ID || u.Locale != "en" {
		t.Fatalf("user: %+v %v", u, err)
	}
	// Used once: the second time a clear page, 410.
	rec = f.do(anon, "GET", path, nil)
	if rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), "al gebruikt") {
		t.Fatalf("reused link: %d", rec.Code)
	}
	if rec := f.do(anon, "POST", path, good); rec.Code != http.StatusGone {
		t.Fatalf("reused link POST: %d", rec.Code)
	}
}

func TestInvitationRevokeAndReinvite(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"name": {"Assistent"}, "email": {"assistent@example.nl"}, "locale": {"nl"}}
	if rec := f.do(practiceP1, "POST", "/regio/{region}/praktijken/{practice}/uitnodigingen", form); rec.Code != http.StatusSeeOther {
		t.Fatalf("practice invites: %d", rec.Code)
	}
	_, first := lastMailLink(t, f.db, "assistent@example.nl", "/uitnodiging/")
	links, _ := f.db.ListInvitations(context.Background(), f.regionA.ID, f.p1.ID)
	if len(links) != 1 || links[0].Grant.PracticeID != f.p1.ID || links[0].Grant.Role != "practice" {
		t.Fatalf("links: %+v", links)
	}
	id := links[0].ID
	// Re-invite: a new link; the old one stops working.
	if rec := f.do(practiceP1, "POST", "/regio/{region}/uitnodigingen/"+itoa64(id)+"/opnieuw", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("reinvite: %d", rec.Code)
	}
	_, second := lastMailLink(t, f.db, "assistent@example.nl", "/uitnodiging/")
	if second == first {
		t.Fatal("re-invite sent the same link")
	}
	if rec := f.do(anon, "GET", first, nil); rec.Code != http.StatusGone || !strings.Contains(rec.Body.String(), "ingetrokken") {
		t.Fatalf("old link: %d", rec.Code)
	}
	// Revoke the new one.
	links, _ = f.db.ListInvitations(context.Background(), f.regionA.ID, f.p1.ID)
	if rec := f.do(adminA, "POST", "/regio/{region}/uitnodigingen/"+itoa64(links[0].ID)+"/intrekken", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", rec.Code)
	}
	if rec := f.do(anon, "GET", second, nil); rec.Code != http.StatusGone {
		t.Fatalf("revoked link: %d", rec.Code)
	}
	// A practice cannot invite a consultant through the region page.
	if rec := f.do(practiceP1, "POST", "/regio/{region}/uitnodigingen", url.Values{"name": {"X"}, "email": {"x@example.nl"}, "role": {"consultant"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("practice invites consultant: %d", rec.Code)
	}
}

func TestPasswordResetFlow(t *testing.T) {
	f := newFixture(t)
	known, unknown := "practice-p1@example.nl", "niemand@example.nl"
	a := f.do(anon, "POST", "/wachtwoord-vergeten", url.Values{"email": {known}})
	b := f.do(anon, "POST", "/wachtwoord-vergeten", url.Values{"email": {unknown}})
	norm := func(s, email string) string { return strings.ReplaceAll(s, email, "ADDR") }
	if a.Code != 200 || b.Code != 200 || norm(a.Body.String(), known) != norm(b.Body.String(), unknown) {
		t.Fatalf("answers differ: %d %d", a.Code, b.Code)
	}
	_, path := lastMailLink(t, f.db, known, "/wachtwoord-herstellen/")
	if mails, _ := f.db.ListMail(context.Background(), 0, 50); len(mails) != 1 {
		t.Fatalf("%d mails, want 1 (none for the unknown address)", len(mails))
	}
	rec := f.do(anon, "POST", path, url.Values{"password": {"een nieuw lang wachtwoord"}, "confirm": {"een nieuw lang wachtwoord"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inloggen?hersteld=1" {
		t.Fatalf("reset: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	// Signing in with the new password still goes through the login (and
	// its second step for roles that need it): the reset signed nobody in.
	login := f.do(anon, "POST", "/inloggen", url.Values{"email": {known}, "password": {"een nieuw lang wachtwoord"}})
	if login.Code != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d", login.Code)
	}
	if rec := f.do(anon, "GET", path, nil); rec.Code != http.StatusGone {
		t.Fatalf("reused reset link: %d", rec.Code)
	}
	// Throttled: the fourth request for one address within 15 minutes.
	for i := 0; i < 3; i++ {
		f.do(anon, "POST", "/wachtwoord-vergeten", url.Values{"email": {"throttle@example.nl"}})
	}
	if rec := f.do(anon, "POST", "/wachtwoord-vergeten", url.Values{"email": {"throttle@example.nl"}}); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("throttle: %d", rec.Code)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// TestNewAccountByInvitation (issue 11, item 7): a region admin's "new
// account" is an invitation with every chosen grant; the invitee makes the
// login with all of them. An address with a login in another region gets
// the same answer; its owner signs in and accepts, and the same login gets
// the grants (a role that needs the second factor enrols it first). Only
// the invited login can accept.
func TestNewAccountByInvitation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p1 := strconv.FormatInt(f.p1.ID, 10)
	rec := f.do(adminA, "POST", "/regio/{region}/accounts", url.Values{"name": {"Els Janssen"}, "email": {"els@praktijk.nl"},
		"roles": {"consultant", "facilitator"}, "practice": {p1, ""}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/regio/regio-a/uitnodigingen" {
		t.Fatalf("invite: %d %q %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if _, err := f.db.UserByEmail(ctx, "els@praktijk.nl"); err == nil {
		t.Fatal("login made before the invitation is accepted")
	}
	m, path := lastMailLink(t, f.db, "els@praktijk.nl", "/uitnodiging/")
	for _, role := range []string{"Consulent", "Intervisiebegeleider", "Praktijk Een"} {
		if !strings.Contains(m.Text, role) {
			t.Errorf("mail does not name %q: %s", role, m.Text)
		}
	}
	if rec := f.do(adminA, "GET", "/regio/{region}/uitnodigingen", nil); !strings.Contains(rec.Body.String(), "els@praktijk.nl") {
		t.Error("invitation not listed")
	}
	good := url.Values{"name": {"Els Janssen"}, "password": {"een lang wachtwoord"}, "confirm": {"een lang wachtwoord"}}
	if rec := f.do(anon, "POST", path, good); rec.Code != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", rec.Code, rec.Body)
	}
	u, err := f.db.UserByEmail(ctx, "els@praktijk.nl")
	if err != nil || len(u.Grants) != 3 {
		t.Fatalf("login: %+v %v", u, err)
	}

	// Region B's admin has a login (in B only); invited as consultant of
	// region A it signs in and accepts.
	other := f.users[adminB]
	rec = f.do(adminA, "POST", "/regio/{region}/accounts", url.Values{"name": {"P1"}, "email": {other.Email}, "roles": {"consultant"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/regio/regio-a/uitnodigingen" {
		t.Fatalf("invite existing: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	_, path = lastMailLink(t, f.db, other.Email, "/uitnodiging/")
	page := f.do(anon, "GET", path, nil)
	if page.Code != 200 || !strings.Contains(page.Body.String(), "heeft al een account") || strings.Contains(page.Body.String(), `name="password"`) ||
		!strings.Contains(page.Body.String(), "/inloggen?next="+url.QueryEscape(path)) {
		t.Fatalf("page for an address with a login: %d %s", page.Code, page.Body)
	}
	// Making a second login for the address is refused; the link stays open.
	if rec := f.do(anon, "POST", path, good); rec.Code != http.StatusConflict {
		t.Fatalf("second login: %d", rec.Code)
	}
	// Another login cannot take it.
	if page := f.do(practiceP2, "GET", path, nil); !strings.Contains(page.Body.String(), "Deze uitnodiging is voor "+other.Email) {
		t.Errorf("signed in as another login: %s", page.Body)
	}
	if rec := f.do(practiceP2, "POST", path+"/aannemen", nil); rec.Code != http.StatusForbidden {
		t.Errorf("another login accepts: %d", rec.Code)
	}
	if page := f.do(adminB, "GET", path, nil); !strings.Contains(page.Body.String(), path+"/aannemen") {
		t.Errorf("signed in as the invited login: %s", page.Body)
	}
	rec = f.do(adminB, "POST", path+"/aannemen", nil)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inloggen/tweestaps" {
		t.Fatalf("accept as login: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	got, _ := f.db.UserByID(ctx, other.ID)
	if len(got.Grants) != 2 || !got.CanSeeRegion(f.regionA.ID) || !got.CanAdminRegion(f.regionB.ID) || got.Version != other.Version+1 {
		t.Errorf("grants after accepting: %+v", got.Grants)
	}
	if rec := f.do(adminB, "POST", path+"/aannemen", nil); rec.Code != http.StatusGone {
		t.Errorf("accepted twice: %d", rec.Code)
	}
}
