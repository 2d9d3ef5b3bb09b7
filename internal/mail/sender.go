package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"time"

	gomail "github.com/wneessen/go-mail"

	"meertijd/internal/store"
)

// SMTP is how the sender reaches the mail server.
type SMTP struct {
	Host     string // "" = no SMTP: mails stay in the outbox
	Port     int    // 0: 587 (starttls), 465 (tls) or 25 (none)
	Security string // "starttls" (default), "tls" (implicit TLS) or "none"
	User     string // with Password: SMTP AUTH (PLAIN/LOGIN, only over TLS)
	Password string
	From     string // sender address, e.g. "meertijd <noreply@example.nl>"
	// RootCAs, when set, are the certificate authorities the server's
	// certificate must chain to (nil: the system's). Tests pass the CA
	// of their own server; an operator with a private CA can too.
	RootCAs *x509.CertPool
}

// Configured reports whether mails can be delivered.
func (c SMTP) Configured() bool { return c.Host != "" }

// Address is the bare address of From ("noreply@example.nl"); "" when
// From is empty or not an address.
func (c SMTP) Address() string {
	a, err := netmail.ParseAddress(c.From)
	if err != nil {
		return ""
	}
	return a.Address
}

// Validate checks the settings an operator gave.
func (c SMTP) Validate() error {
	switch c.Security {
	case "", "starttls", "tls", "none":
	default:
		return fmt.Errorf("smtp security %q: use starttls, tls or none", c.Security)
	}
	if c.Configured() && c.From == "" {
		return errors.New("smtp: a sender address (--smtp-from) is required")
	}
	return nil
}

func (c SMTP) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	port := c.Port
	switch c.Security {
	case "tls":
		opts = append(opts, gomail.WithSSL())
		if port == 0 {
			port = 465
		}
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		if port == 0 {
			port = 25
		}
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		if port == 0 {
			port = 587
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if c.RootCAs != nil {
		opts = append(opts, gomail.WithTLSConfig(&tls.Config{ServerName: c.Host, RootCAs: c.RootCAs, MinVersion: tls.VersionTLS12}))
	}
	if c.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(c.User), gomail.WithPassword(c.Password))
	}
	return gomail.NewClient(c.Host, opts...)
}

// Sender delivers the outbox. Several senders (one per running instance)
// may work on one database: a mail is claimed with a lease, so only one
// sends it; it is marked sent right after the server accepted it.
type Sender struct {
	DB     *store.DB
	SMTP   SMTP
	Logger *slog.Logger
	// Lease is how long a claimed mail is reserved for this sender
	// (default 5 minutes); after it ends another sender may take it.
	Lease time.Duration
	// Backoff is the wait after the first failure (default 30 s); it
	// doubles with every failure up to MaxBackoff (default 1 hour).
	Backoff, MaxBackoff time.Duration
	// MaxAttempts after which a mail is marked failed (default 30, about a
	// day of retries at the largest backoff).
	MaxAttempts int
	// Interval between looks at the outbox (default 10 s).
	Interval time.Duration
	Batch    int // mails per claim (default 20)

	owner string
}

func (s *Sender) defaults() {
	if s.Lease == 0 {
		s.Lease = 5 * time.Minute
	}
	if s.Backoff == 0 {
		s.Backoff = 30 * time.Second
	}
	if s.MaxBackoff == 0 {
		s.MaxBackoff = time.Hour
	}
	if s.MaxAttempts == 0 {
		s.MaxAttempts = 30
	}
	if s.Interval == 0 {
		s.Interval = 10 * time.Second
	}
	if s.Batch == 0 {
		s.Batch = 20
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.owner == "" {
		b := make([]byte, 8)
		rand.Read(b)
		s.owner = hex.EncodeToString(b)
	}
}

// RetryIn is the wait before the next attempt after attempts failures
// (attempts ≥ 1): Backoff × 2^(attempts-1), at most MaxBackoff.
func (s *Sender) RetryIn(attempts int) time.Duration {
	s.defaults()
	d := s.Backoff
	for i := 1; i < attempts && d < s.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.MaxBackoff)
}

// Run delivers due mails every Interval until ctx ends, then releases
// the mails it claimed but did not send.
func (s *Sender) Run(ctx context.Context) {
	s.defaults()
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	for {
		if _, err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
			s.Logger.Warn("mail: sending the outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			if err := s.DB.ReleaseMail(context.WithoutCancel(ctx), s.owner); err != nil {
				s.Logger.Warn("mail: releasing claims", "err", err)
			}
			return
		case <-t.C:
		}
	}
}

// SendDue claims and delivers the mails that are due, batch after batch,
// until none is due or ctx ends; it returns how many were delivered.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	s.defaults()
	sent := 0
	for ctx.Err() == nil {
		batch, err := s.DB.ClaimMail(ctx, s.owner, s.Lease, s.Batch)
		if err != nil || len(batch) == 0 {
			return sent, err
		}
		for i := range batch {
			if ctx.Err() != nil {
				// Stopping: leave the rest for the next sender.
				return sent, s.DB.ReleaseMail(context.WithoutCancel(ctx), s.owner)
			}
			ok, err := s.deliver(ctx, &batch[i])
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
	return sent, nil
}

// deliver sends one claimed mail and records the outcome; ok is false when
// the server did not take it (a later attempt follows).
func (s *Sender) deliver(ctx context.Context, m *store.Mail) (bool, error) {
	msg, err := Message(m, s.SMTP.From)
	if err == nil {
		err = s.dial(ctx, msg)
	}
	// The outcome is recorded even when ctx ends now: a mail the server
	// took must be marked sent, or it would go out again.
	rec := context.WithoutCancel(ctx)
	if err != nil {
		attempts := m.Attempts + 1
		giveUp := attempts >= s.MaxAttempts
		s.Logger.Warn("mail: delivery failed", "id", m.ID, "to", m.To, "attempt", attempts, "give_up", giveUp, "err", err)
		return false, s.DB.MailAttemptFailed(rec, m.ID, err.Error(), s.RetryIn(attempts), giveUp)
	}
	if _, err := s.DB.MarkMailSent(rec, m.ID); err != nil {
		return true, err
	}
	return true, nil
}

func (s *Sender) dial(ctx context.Context, msg *gomail.Msg) error {
	c, err := s.SMTP.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	return c.DialAndSendWithContext(ctx, msg)
}

// Message builds the MIME message of an outbox mail: plain text with an
// HTML alternative, its Message-ID, List-Unsubscribe where the recipient
// may opt out (with List-Unsubscribe-Post where one POST does it), and the attachment (an iCal invitation) if any.
func Message(m *store.Mail, from string) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("from %q: %w", from, err)
	}
	var err error
	if m.ToName != "" {
		err = msg.AddToFormat(m.ToName, m.To)
	} else {
		err = msg.To(m.To)
	}
	if err != nil {
		return nil, fmt.Errorf("to %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(trimAngle(m.MessageID))
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetGenHeader(gomail.HeaderContentLang, m.Locale)
	if m.UnsubscribeURL != "" {
		msg.SetGenHeader("List-Unsubscribe", "<"+m.UnsubscribeURL+">")
		if m.UnsubscribeOneClick {
			// RFC 8058: the mail provider may POST to the URL to unsubscribe.
			msg.SetGenHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
		}
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	if len(m.Attachment) > 0 {
		if err := msg.AttachReader(m.AttachmentName, bytes.NewReader(m.Attachment), gomail.WithFileContentType(gomail.ContentType(m.AttachmentType))); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// trimAngle strips the angle brackets go-mail adds itself.
func trimAngle(id string) string {
	if len(id) > 2 && id[0] == '<' && id[len(id)-1] == '>' {
		return id[1 : len(id)-1]
	}
	return id
}
