package web

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Route × role rows of invitations and password reset (issue 13).
func init() {
	everyoneAll := func(status int) expect {
		out := expect{}
		for _, w := range everyone {
			out[w] = status
		}
		return out
	}
	adminPostA := regionAdminA.with(expect{anon: 401, platform: 303, adminA: 303})
	// Re-invite and revoke: whoever could have sent the invitation (a
	// practice grant of P1): the region's admins and P1 itself; P1's
	// consultant sees the practice but may not invite (403); who does not
	// see P1 gets 404, as for an unknown invitation.
	linkPost := adminPostA.with(expect{practiceP1: 303, consultantA2: 404, practiceP2: 404, facilitatorA: 404, funderA: 404})
	// The practice's own invitation page: only who may invite for P1; the
	// consultant sees P1 but may not invite.
	practiceInvite := practiceP1Page.with(expect{consultantA: 403})
	addRouteRows(
		routeRow{pattern: "GET /regio/{region}/uitnodigingen", path: "/regio/{region}/uitnodigingen", want: regionAdminA},
		routeRow{pattern: "POST /regio/{region}/uitnodigingen", path: "/regio/{region}/uitnodigingen",
			form: url.Values{"name": {"Nieuwe Consulent"}, "email": {"nieuw@example.nl"}, "role": {"consultant"}, "locale": {"nl"}}, want: adminPostA},
		routeRow{pattern: "POST /regio/{region}/uitnodigingen/{link}/opnieuw", path: "/regio/{region}/uitnodigingen/{link}/opnieuw", setup: setupInvitation, want: linkPost},
		routeRow{pattern: "POST /regio/{region}/uitnodigingen/{link}/intrekken", path: "/regio/{region}/uitnodigingen/{link}/intrekken", setup: setupInvitation, want: linkPost},
		routeRow{pattern: "GET /regio/{region}/praktijken/{practice}/uitnodigingen", path: "/regio/{region}/praktijken/{practice}/uitnodigingen", want: practiceInvite},
		routeRow{pattern: "POST /regio/{region}/praktijken/{practice}/uitnodigingen", path: "/regio/{region}/praktijken/{practice}/uitnodigingen",
			form: url.Values{"name": {"Nieuwe Assistent"}, "email": {"assistent@example.nl"}, "locale": {"nl"}},
			want: practiceInvite.with(expect{anon: 401, platform: 303, adminA: 303, practiceP1: 303})},
		// Links nobody sent: the same clear page for everyone.
		routeRow{pattern: "GET /uitnodiging/{token}", path: "/uitnodiging/onbekend", want: everyoneAll(404)},
		routeRow{pattern: "POST /uitnodiging/{token}", path: "/uitnodiging/onbekend", form: url.Values{"name": {"X"}, "password": {"een lang wachtwoord"}, "confirm": {"een lang wachtwoord"}}, want: everyoneAll(404)},
		routeRow{pattern: "POST /uitnodiging/{token}/aannemen", path: "/uitnodiging/onbekend/aannemen", want: everyoneAll(404).with(expect{anon: 401})},
		routeRow{pattern: "GET /wachtwoord-herstellen/{token}", path: "/wachtwoord-herstellen/onbekend", want: everyoneAll(404)},
		routeRow{pattern: "POST /wachtwoord-herstellen/{token}", path: "/wachtwoord-herstellen/onbekend", form: url.Values{"password": {"een lang wachtwoord"}, "confirm": {"een lang wachtwoord"}}, want: everyoneAll(404)},
		// A newsletter's unsubscribe link works for whoever holds it,
		// signed in or not: GET asks, POST switches the newsletter off.
		routeRow{pattern: "GET /nieuwsbrief/afmelden/{token}", path: "/nieuwsbrief/afmelden/onbekend", want: everyoneAll(404)},
		routeRow{pattern: "POST /nieuwsbrief/afmelden/{token}", path: "/nieuwsbrief/afmelden/onbekend", want: everyoneAll(404)},
		routeRow{pattern: "GET /nieuwsbrief/afmelden/{token}", path: "/nieuwsbrief/afmelden/{unsubscribe}", setup: setupUnsubscribe, want: everyoneAll(200)},
		routeRow{pattern: "POST /nieuwsbrief/afmelden/{token}", path: "/nieuwsbrief/afmelden/{unsubscribe}", setup: setupUnsubscribe,
			form: url.Values{"List-Unsubscribe": {"One-Click"}}, want: everyoneAll(200)},
		routeRow{pattern: "GET /wachtwoord-vergeten", path: "/wachtwoord-vergeten", want: everyoneAll(200)},
		routeRow{pattern: "POST /wachtwoord-vergeten", path: "/wachtwoord-vergeten", fresh: true, form: url.Values{"email": {"practice-p1@example.nl"}}, want: everyoneAll(200)},
	)
}

// setupInvitation stores an open invitation into practice P1 ({link}).
func setupInvitation(f *fixture) {
	if f.vars["{link}"] != "" {
		return
	}
	now := time.Now()
	l := store.Link{Purpose: store.LinkInvite, Email: "uitgenodigd@example.nl", Name: "Uitgenodigd", CreatedBy: f.users[adminA].ID,
		Grant: mtvp.Grant{Role: mtvp.AccountPractice, RegionID: f.regionA.ID, PracticeID: f.p1.ID}, CreatedAt: now, ExpiresAt: now.Add(mtvp.InvitationValidity)}
	if err := f.db.CreateLink(context.Background(), &l, "hash-"+strconv.FormatInt(now.UnixNano(), 10), nil); err != nil {
		f.t.Fatal(err)
	}
	f.vars["{link}"] = strconv.FormatInt(l.ID, 10)
}

// setupUnsubscribe queues a newsletter mail to P1's login with an open
// unsubscribe link ({unsubscribe}: its token).
func setupUnsubscribe(f *fixture) {
	if f.vars["{unsubscribe}"] != "" {
		return
	}
	token, hash := mail.NewLinkToken()
	u, now := f.users[practiceP1], time.Now()
	m := &store.Mail{MessageID: "<afmelden-" + strconv.FormatInt(now.UnixNano(), 10) + "@test>", Kind: mtvp.KindNewsletter, RegionID: f.regionA.ID, UserID: u.ID,
		To: u.Email, Subject: "Nieuwsbrief", Text: "x"}
	l := store.Link{UserID: u.ID, Email: u.Email, Name: u.Name, Grant: mtvp.Grant{RegionID: f.regionA.ID}, CreatedAt: now, ExpiresAt: now.Add(mtvp.UnsubscribeLinkValidity)}
	if _, err := f.db.QueueNewsletter(context.Background(), mtvp.SystemActor, f.regionA.ID, "2026-12", []store.NewsletterMail{{Mail: m, Link: l, TokenHash: hash}}); err != nil {
		f.t.Fatal(err)
	}
	f.vars["{unsubscribe}"] = token
}

// Route × role rows of e-mail preferences and reminder settings.
func init() {
	addRouteRows(
		routeRow{pattern: "GET /account/berichten", path: "/account/berichten", want: anySignedIn},
		routeRow{pattern: "POST /account/berichten", path: "/account/berichten", form: url.Values{"reminder.meeting": {"1"}},
			want: expect{anon: 401, platform: 303, adminA: 303, adminB: 303, consultantA: 303, consultantA2: 303, practiceP1: 303, practiceP2: 303, facilitatorA: 303, funderA: 303}},
		routeRow{pattern: "GET /regio/{region}/herinneringen", path: "/regio/{region}/herinneringen", want: regionAdminA},
		routeRow{pattern: "POST /regio/{region}/herinneringen", path: "/regio/{region}/herinneringen",
			form: url.Values{"meeting.on": {"1"}, "meeting.days": {"1"}, "session.days": {"2"}, "plan.on": {"1"}, "plan.days": {"14"}, "claim.days": {"14"}, "visit.days": {"7"}, "risk.days": {"30"}, "place.days": {"7"}, "plan_deadline": {"03-31"}},
			want: regionAdminA.with(expect{anon: 401, platform: 303, adminA: 303})},
	)
}

// Route × role rows of the personal calendar feed.
func init() {
	all404 := expect{}
	for _, w := range everyone {
		all404[w] = 404
	}
	addRouteRows(
		routeRow{pattern: "GET /kalender/{token}", path: "/kalender/onbekend", want: all404},
		routeRow{pattern: "POST /account/kalender", path: "/account/kalender", want: anySignedIn.with(expect{anon: 401})},
	)
}
