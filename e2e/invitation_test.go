package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"meertijd/internal/app"
	"meertijd/internal/mail"
	"meertijd/internal/mail/mailtest"
	"meertijd/internal/mtvp"
)

// startAppWithSMTP starts meertijd like startApp, delivering its outbox to
// srv over STARTTLS with SMTP AUTH, on a port chosen beforehand so the
// links in its mails (BaseURL) point at it.
func startAppWithSMTP(t *testing.T, srv *mailtest.Server, user, password string) *app.App {
	t.Helper()
	addr := freeAddr(t)
	return startAppConfig(t, app.Config{Addr: addr, BaseURL: "http://" + addr,
		SMTP: mail.SMTP{Host: srv.Host, Port: srv.Port, Security: "starttls", User: user, Password: password,
			From: "meertijd <noreply@meertijd.test>", RootCAs: srv.RootCAs()}})
}

// TestInvitationByMail: a programme manager invites a consultant; the mail
// travels over SMTP (STARTTLS, AUTH) to a real server; its link opens the
// page where the consultant chooses a password and enrols the second
// factor, and lands on the consultant's home. The link a second time gets
// the clear Dutch "used" page; signing in again asks password and code.
func TestInvitationByMail(t *testing.T) {
	chromiumPath(t)
	srv := mailtest.StartWith(t, mailtest.Options{TLS: "starttls", User: "meertijd", Password: "smtp-geheim"})
	a := startAppWithSMTP(t, srv, "meertijd", "smtp-geheim")
	w := newWorld(t, a)
	admin := w.user("beheer@zio.nl", "Petra Beheer", mtvp.AccountRegionAdmin, 0)
	base := a.URL()
	const carla, password = "carla@zio.nl", "carla kiest een lang wachtwoord"

	b := browser(t)
	loginWithTOTP(t, b, base, admin.Email, testPassword)
	run(t, b, "invite a consultant",
		chromedp.Navigate(base+"/regio/zio/uitnodigingen"),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-name`, "Carla Consulent"),
		chromedp.SendKeys(`#f-email`, carla),
		chromedp.SetValue(`#f-role`, string(mtvp.AccountConsultant)),
		chromedp.Submit(`#f-email`),
		chromedp.WaitVisible(chromedp.CSS(`table`)),
	)
	if body := text(t, b, `main`); !strings.Contains(body, carla) {
		t.Fatalf("invitation not listed: %q", body)
	}

	m := waitMail(t, srv, carla, "/uitnodiging/")
	link := m.Link("/uitnodiging/")
	if !m.TLS || m.AuthUser != "meertijd" || !strings.HasPrefix(link, base+"/uitnodiging/") ||
		m.Header.Get("Subject") != "Uitnodiging voor meertijd (ZIO Maastricht-Heuvelland)" || !strings.Contains(m.Text, "Petra Beheer") {
		t.Fatalf("mail: tls %v auth %q subject %q link %q\n%s", m.TLS, m.AuthUser, m.Header.Get("Subject"), link, m.Text)
	}
	t.Logf("invitation mail:\nSubject: %s\n\n%s", m.Header.Get("Subject"), m.Text)

	c := browser(t)
	run(t, c, "open the link and choose a password",
		chromedp.Navigate(link),
		chromedp.WaitVisible(`#f-password`),
		chromedp.SendKeys(`#f-password`, password),
		chromedp.SendKeys(`#f-confirm`, password),
		chromedp.Submit(`#f-password`),
		chromedp.WaitVisible(chromedp.CSS(`code.secret`)),
	)
	checkA11y(t, c, "second factor set-up after the invitation")
	secret := strings.TrimSpace(text(t, c, `code.secret`))
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	run(t, c, "enrol the second factor",
		chromedp.SendKeys(`#f-code`, code),
		chromedp.Submit(`#f-code`),
		chromedp.WaitVisible(`.recovery-codes`),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#inbox`),
	)
	run(t, c, "the link once more", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if body := text(t, c, `main`); !strings.Contains(body, "Deze link is al gebruikt") {
		t.Errorf("reused link page: %q", body)
	}

	// Signing in anew: password, then a code (the next step's: a code is
	// used once).
	d := browser(t)
	run(t, d, "sign in", passwordSteps(base, carla, password, chromedp.WaitVisible(`#f-code`))...)
	next, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	run(t, d, "second step",
		chromedp.SendKeys(`#f-code`, next),
		chromedp.Submit(`#f-code`),
		chromedp.WaitVisible(`#inbox`),
	)
}

// TestPasswordResetByMail: a practice account forgets its password; the
// page answers as it would for any address, the mail's link sets a new
// one, the old one stops working and the new one signs in; the link a
// second time gets the Dutch "used" page.
func TestPasswordResetByMail(t *testing.T) {
	chromiumPath(t)
	srv := mailtest.StartWith(t, mailtest.Options{TLS: "starttls", User: "meertijd", Password: "smtp-geheim"})
	a := startAppWithSMTP(t, srv, "meertijd", "smtp-geheim")
	w := newWorld(t, a)
	p := w.practice(mtvp.Practice{AGB: "01012345", Name: "Huisartsenpraktijk De Linde", RegisteredPatients: 2400})
	u := w.user("praktijk@delinde.nl", "Praktijk De Linde", mtvp.AccountPractice, p.ID)
	base := a.URL()
	const fresh = "een nieuw lang wachtwoord voor De Linde"

	b := browser(t)
	run(t, b, "ask for a link",
		chromedp.Navigate(base+"/wachtwoord-vergeten"),
		chromedp.WaitVisible(`#f-email`),
		chromedp.SendKeys(`#f-email`, u.Email),
		chromedp.Submit(`#f-email`),
		chromedp.WaitNotPresent(`#f-email`),
	)
	// The browser asks for English: anonymous pages answer in English.
	if body := text(t, b, `main`); !containsAny(body, "Als er een account is met het adres "+u.Email, "If there is an account with the address "+u.Email) {
		t.Fatalf("answer: %q", body)
	}
	got := []mailtest.Received{waitMail(t, srv, u.Email, "/wachtwoord-herstellen/")}
	link := got[0].Link("/wachtwoord-herstellen/")
	// A practice account has no second factor: the mail does not speak of one.
	if !strings.HasPrefix(link, base+"/wachtwoord-herstellen/") || !got[0].TLS || strings.Contains(got[0].Text, "tweestaps") {
		t.Fatalf("reset mail link %q tls %v\n%s", link, got[0].TLS, got[0].Text)
	}
	t.Logf("reset mail:\nSubject: %s\n\n%s", got[0].Header.Get("Subject"), got[0].Text)
	run(t, b, "choose a new password",
		chromedp.Navigate(link),
		chromedp.WaitVisible(`#f-password`),
		chromedp.SendKeys(`#f-password`, fresh),
		chromedp.SendKeys(`#f-confirm`, fresh),
		chromedp.Submit(`#f-password`),
		chromedp.WaitNotPresent(`#f-confirm`),
		chromedp.WaitVisible(`#f-email`), // back on the login page
	)
	checkA11y(t, b, "login after the reset")
	run(t, b, "the old password",
		chromedp.SendKeys(`#f-email`, u.Email),
		chromedp.SendKeys(`#f-password`, testPassword),
		chromedp.Submit(`#f-password`),
		// The refusal's alert, not the form: the form is there before the
		// answer arrives too.
		chromedp.WaitVisible(`.utrecht-alert--error`),
	)
	if body := text(t, b, `main`); !containsAny(body, "Het e-mailadres of wachtwoord klopt niet", "The e-mail address or password is incorrect") {
		t.Errorf("old password after the reset: %q", body)
	}
	c := browser(t)
	loginPassword(t, c, base, u.Email, fresh)
	run(t, c, "practice home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`main`)))
	if body := text(t, c, `main`); !strings.Contains(body, p.Name) {
		t.Errorf("practice home after the reset: %q", body)
	}
	run(t, c, "the link once more", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if body := text(t, c, `main`); !strings.Contains(body, "Deze link is al gebruikt") {
		t.Errorf("reused link page: %q", body)
	}
}

// containsAny reports whether s contains one of subs (a page in Dutch or,
// for a browser asking for English, in English).
func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// waitMail waits (the sender looks at the outbox every 10 s) for the one
// mail to address with a link containing path; other mails (the
// reminders the app writes at start) are ignored.
func waitMail(t *testing.T, srv *mailtest.Server, address, path string) mailtest.Received {
	t.Helper()
	deadline := time.Now().Add(40 * time.Second)
	for {
		var found []mailtest.Received
		for _, m := range srv.To(address) {
			if m.Link(path) != "" {
				found = append(found, m)
			}
		}
		switch {
		case len(found) > 1:
			t.Fatalf("%d mails to %s with %s", len(found), address, path)
		case len(found) == 1:
			return found[0]
		case time.Now().After(deadline):
			t.Fatalf("no mail to %s with %s (received %d mails)", address, path, len(srv.Mails()))
		}
		srv.Wait(len(srv.Mails())+1, time.Second)
	}
}
