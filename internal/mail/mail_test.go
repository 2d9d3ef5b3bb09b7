package mail_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"meertijd/internal/mail"
	"meertijd/internal/mail/mailtest"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

var composer = mail.Composer{BaseURL: "https://meertijd.test"}

func invite(t *testing.T, to, lang string) *store.Mail {
	t.Helper()
	m, err := composer.Compose("invite", 0, mail.Recipient{Email: to, Name: "Anna de Vries", Locale: lang},
		map[string]any{"InviterName": "P. Manager", "RegionName": "ZIO", "RoleText": "consulent", "NeedsTOTP": true,
			"Link": composer.URL("/uitnodiging/abc" + to), "Expires": "9 december 2026"}, "")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func newSender(db *store.DB, srv *mailtest.Server) *mail.Sender {
	return &mail.Sender{DB: db, SMTP: mail.SMTP{Host: srv.Host, Port: srv.Port, Security: "none", From: "meertijd <noreply@meertijd.test>"},
		Backoff: 20 * time.Millisecond, MaxBackoff: 80 * time.Millisecond, Interval: 10 * time.Millisecond}
}

func enqueue(t *testing.T, db *store.DB, ms ...*store.Mail) {
	t.Helper()
	if _, err := db.EnqueueMail(context.Background(), ms...); err != nil {
		t.Fatal(err)
	}
}

// A mail is delivered to the right recipient, in the recipient's language,
// with the link, as text and HTML, and marked sent.
func TestDeliverLanguageAndLink(t *testing.T) {
	db := storetest.New(t)
	srv := mailtest.Start(t)
	nl, en := invite(t, "anna@example.nl", "nl"), invite(t, "bob@example.nl", "en")
	enqueue(t, db, nl, en)
	n, err := newSender(db, srv).SendDue(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("sent %d, %v", n, err)
	}
	got := srv.To("anna@example.nl")
	if len(got) != 1 {
		t.Fatalf("anna got %d mails", len(got))
	}
	a := got[0]
	if s := a.Header.Get("Subject"); s != "Uitnodiging voor meertijd (ZIO)" {
		t.Errorf("subject %q", s)
	}
	if !strings.Contains(a.Text, "Neem de uitnodiging aan") || a.Link("/uitnodiging/") != "https://meertijd.test/uitnodiging/abcanna@example.nl" {
		t.Errorf("text/link wrong: %q", a.Text)
	}
	if !strings.Contains(a.HTML, `<html lang="nl">`) || !strings.Contains(a.HTML, `href="https://meertijd.test/uitnodiging/abcanna@example.nl"`) {
		t.Errorf("html wrong: %s", a.HTML)
	}
	if a.MessageID != nl.MessageID || a.Header.Get("Content-Language") != "nl" {
		t.Errorf("message id %q want %q; language %q", a.MessageID, nl.MessageID, a.Header.Get("Content-Language"))
	}
	b := srv.To("bob@example.nl")
	if len(b) != 1 || !strings.Contains(b[0].Text, "Accept the invitation") || b[0].Header.Get("Subject") != "Invitation to meertijd (ZIO)" {
		t.Fatalf("english mail wrong: %+v", b)
	}
	for _, m := range []*store.Mail{nl, en} {
		stored, err := db.MailByID(context.Background(), m.ID)
		if err != nil || stored.State() != "sent" || stored.Attempts != 1 {
			t.Errorf("mail %d: state %s attempts %d, %v", m.ID, stored.State(), stored.Attempts, err)
		}
	}
	// Nothing is due any more.
	if n, err := newSender(db, srv).SendDue(context.Background()); n != 0 || err != nil {
		t.Errorf("second round sent %d, %v", n, err)
	}
}

// The server refuses for a while: the mail waits with growing backoff and
// arrives exactly once when the server takes mail again.
func TestRefusedThenDeliveredOnce(t *testing.T) {
	db := storetest.New(t)
	srv := mailtest.Start(t)
	srv.Refuse(3)
	m := invite(t, "anna@example.nl", "nl")
	enqueue(t, db, m)
	s := newSender(db, srv)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if n, err := s.SendDue(ctx); n != 0 || err != nil {
			t.Fatalf("round %d: sent %d, %v", i, n, err)
		}
		stored, _ := db.MailByID(ctx, m.ID)
		if stored.Attempts != i+1 || stored.State() != "retrying" || stored.LastError == "" {
			t.Fatalf("round %d: %+v", i, stored)
		}
		// Not due before its backoff ends.
		if n, _ := s.SendDue(ctx); n != 0 {
			t.Fatalf("round %d: sent before the backoff ended", i)
		}
		time.Sleep(s.RetryIn(i+1) + 5*time.Millisecond)
	}
	if n, err := s.SendDue(ctx); n != 1 || err != nil {
		t.Fatalf("after refusals: sent %d, %v", n, err)
	}
	if got := srv.Mails(); len(got) != 1 || got[0].MessageID != m.MessageID {
		t.Fatalf("received %d mails", len(got))
	}
	if srv.Tries() != 4 {
		t.Errorf("tries %d, want 4", srv.Tries())
	}
}

func TestRetryInDoublesUpToMax(t *testing.T) {
	s := &mail.Sender{Backoff: time.Second, MaxBackoff: 10 * time.Second}
	for attempts, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: 10 * time.Second, 40: 10 * time.Second} {
		if got := s.RetryIn(attempts); got != want {
			t.Errorf("RetryIn(%d) = %v, want %v", attempts, got, want)
		}
	}
}

// A sender stopped in the middle of the outbox and a new one started (a
// restart), with two senders running at once as well: every mail arrives
// exactly once.
func TestRestartSendsNothingTwice(t *testing.T) {
	db := storetest.New(t)
	srv := mailtest.Start(t)
	const total = 30
	var want []string
	for i := 0; i < total; i++ {
		m := invite(t, "p"+string(rune('a'+i%26))+strings.Repeat("x", i/26)+"@example.nl", "nl")
		enqueue(t, db, m)
		want = append(want, m.MessageID)
	}
	// The first sender is stopped after a few mails.
	ctx, cancel := context.WithCancel(context.Background())
	first := newSender(db, srv)
	first.Batch = 4
	done := make(chan struct{})
	go func() { first.Run(ctx); close(done) }()
	srv.Wait(5, 10*time.Second)
	cancel()
	<-done
	if n := len(srv.Mails()); n >= total {
		t.Fatalf("the first sender sent all %d before it was stopped; the test proves nothing", n)
	}
	// Two new senders share the rest.
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newSender(db, srv)
			s.Batch = 3
			if _, err := s.SendDue(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for _, m := range srv.Mails() {
		seen[m.MessageID]++
	}
	for _, id := range want {
		if seen[id] != 1 {
			t.Errorf("mail %s arrived %d times", id, seen[id])
		}
	}
	if w, f, err := db.MailCounts(context.Background(), 0); w != 0 || f != 0 || err != nil {
		t.Errorf("waiting %d failed %d, %v", w, f, err)
	}
}

// A mail that keeps failing is marked failed after MaxAttempts and stays in
// the outbox.
func TestGivesUpAfterMaxAttempts(t *testing.T) {
	db := storetest.New(t)
	srv := mailtest.Start(t)
	srv.SetRefusing(true)
	m := invite(t, "anna@example.nl", "nl")
	enqueue(t, db, m)
	s := newSender(db, srv)
	s.MaxAttempts, s.Backoff, s.MaxBackoff = 2, time.Millisecond, time.Millisecond
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		s.SendDue(ctx)
		time.Sleep(3 * time.Millisecond)
	}
	stored, _ := db.MailByID(ctx, m.ID)
	if stored.State() != "failed" || stored.Attempts != 2 || srv.Tries() != 2 {
		t.Fatalf("state %s attempts %d tries %d", stored.State(), stored.Attempts, srv.Tries())
	}
}

// A dedupe key writes a mail once.
func TestDedupeKey(t *testing.T) {
	db := storetest.New(t)
	a, b := invite(t, "anna@example.nl", "nl"), invite(t, "anna@example.nl", "nl")
	a.DedupeKey, b.DedupeKey = "reminder:1:2026-12-01", "reminder:1:2026-12-01"
	n, err := db.EnqueueMail(context.Background(), a, b)
	if err != nil || n != 1 || b.ID != 0 {
		t.Fatalf("n %d, b.ID %d, %v", n, b.ID, err)
	}
}

func TestMessageHeaders(t *testing.T) {
	m := invite(t, "anna@example.nl", "en")
	m.UnsubscribeURL = "https://meertijd.test/account/berichten"
	m.Attachment, m.AttachmentName, m.AttachmentType = []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), "uitnodiging.ics", "text/calendar"
	msg, err := mail.Message(m, "noreply@meertijd.test")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if _, err := msg.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	got, err := mailtest.Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got.Header.Get("List-Unsubscribe") != "<https://meertijd.test/account/berichten>" {
		t.Errorf("List-Unsubscribe %q", got.Header.Get("List-Unsubscribe"))
	}
	// A preferences page needs signing in: no one-click unsubscribe.
	if got.Header.Get("List-Unsubscribe-Post") != "" {
		t.Errorf("List-Unsubscribe-Post on a mail without one-click: %q", got.Header.Get("List-Unsubscribe-Post"))
	}
	m.UnsubscribeURL, m.UnsubscribeOneClick = "https://meertijd.test/nieuwsbrief/afmelden/abc", true
	if msg, err = mail.Message(m, "noreply@meertijd.test"); err != nil {
		t.Fatal(err)
	}
	var b2 strings.Builder
	if _, err := msg.WriteTo(&b2); err != nil {
		t.Fatal(err)
	}
	one, err := mailtest.Parse([]byte(b2.String()))
	if err != nil {
		t.Fatal(err)
	}
	if one.Header.Get("List-Unsubscribe") != "<https://meertijd.test/nieuwsbrief/afmelden/abc>" || one.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("one-click headers: %q, %q", one.Header.Get("List-Unsubscribe"), one.Header.Get("List-Unsubscribe-Post"))
	}
	var ics bool
	for _, p := range got.Parts {
		ics = ics || (p.Filename == "uitnodiging.ics" && strings.Contains(string(p.Body), "VCALENDAR"))
	}
	if !ics || got.HTML == "" || got.Text == "" {
		t.Errorf("parts: ics %v html %d text %d", ics, len(got.HTML), len(got.Text))
	}
}

// Over STARTTLS and implicit TLS, with SMTP AUTH, against a server with a
// certificate made in the test: the mail arrives encrypted and
// authenticated, once. A sender that does not trust the certificate, or
// gives a wrong password, delivers nothing and keeps the mail for a retry.
func TestDeliverOverTLS(t *testing.T) {
	for _, mode := range []string{"starttls", "tls"} {
		t.Run(mode, func(t *testing.T) {
			db := storetest.New(t)
			srv := mailtest.StartWith(t, mailtest.Options{TLS: mode, User: "meertijd", Password: "geheim-smtp"})
			smtp := mail.SMTP{Host: srv.Host, Port: srv.Port, Security: mode, User: "meertijd", Password: "geheim-smtp",
				From: "meertijd <noreply@meertijd.test>", RootCAs: srv.RootCAs()}
			send := func(c mail.SMTP) (int, error) {
				s := &mail.Sender{DB: db, SMTP: c, Backoff: time.Millisecond, MaxBackoff: time.Millisecond, Interval: 10 * time.Millisecond}
				return s.SendDue(context.Background())
			}
			m := invite(t, "anna@example.nl", "nl")
			enqueue(t, db, m)

			// Not trusted: the system roots do not know the test CA.
			untrusted := smtp
			untrusted.RootCAs = nil
			if n, _ := send(untrusted); n != 0 {
				t.Fatalf("untrusted certificate: sent %d", n)
			}
			wrong := smtp
			wrong.Password = "fout"
			time.Sleep(5 * time.Millisecond) // past the backoff
			if n, _ := send(wrong); n != 0 {
				t.Fatalf("wrong password: sent %d", n)
			}
			if got := srv.Mails(); len(got) != 0 {
				t.Fatalf("received %d mails before the right settings", len(got))
			}
			stored, err := db.MailByID(context.Background(), m.ID)
			if err != nil || stored.State() != "retrying" || stored.LastError == "" {
				t.Fatalf("after failures: state %s error %q, %v", stored.State(), stored.LastError, err)
			}
			t.Logf("%s failure recorded: %s", mode, stored.LastError)

			time.Sleep(5 * time.Millisecond)
			if n, err := send(smtp); n != 1 || err != nil {
				t.Fatalf("sent %d, %v", n, err)
			}
			got := srv.To("anna@example.nl")
			if len(got) != 1 || !got[0].TLS || got[0].AuthUser != "meertijd" || got[0].MessageID != m.MessageID ||
				got[0].Link("/uitnodiging/") == "" {
				t.Fatalf("received %+v", got)
			}
			if n, _ := send(smtp); n != 0 || len(srv.Mails()) != 1 {
				t.Fatalf("sent again: %d, %d received", n, len(srv.Mails()))
			}
		})
	}
}

// A plain server with STARTTLS required by the sender (the default) is
// refused: mail never travels unencrypted unless "none" is chosen.
func TestStartTLSRequired(t *testing.T) {
	db := storetest.New(t)
	srv := mailtest.Start(t)
	enqueue(t, db, invite(t, "anna@example.nl", "nl"))
	s := &mail.Sender{DB: db, SMTP: mail.SMTP{Host: srv.Host, Port: srv.Port, From: "meertijd <noreply@meertijd.test>"}}
	if n, _ := s.SendDue(context.Background()); n != 0 || len(srv.Mails()) != 0 {
		t.Fatalf("sent %d without TLS", n)
	}
}

// The organizer of calendar entries is the bare address of From.
func TestSMTPAddress(t *testing.T) {
	for from, want := range map[string]string{"meertijd <noreply@meertijd.test>": "noreply@meertijd.test", "noreply@x.nl": "noreply@x.nl", "": "", "geen adres": ""} {
		if got := (mail.SMTP{From: from}).Address(); got != want {
			t.Errorf("%q: %q, want %q", from, got, want)
		}
	}
}
