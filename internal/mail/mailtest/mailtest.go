// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) in
// the test process and keeps what it receives, so tests can read the mails
// meertijd sent: recipient, headers, text and the links in them.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one mail the server accepted.
type Received struct {
	From      string
	To        []string
	MessageID string
	Header    mail.Header
	Text      string // the text/plain part, decoded
	HTML      string // the text/html part, decoded
	Parts     []Part // every leaf part (attachments included)
	Raw       []byte
	// TLS: the mail came over an encrypted connection (STARTTLS or
	// implicit TLS); AuthUser: the user that authenticated ("" = none).
	TLS      bool
	AuthUser string
}

// Part is one leaf MIME part.
type Part struct {
	ContentType string
	Filename    string
	Body        []byte
}

// Server is a running SMTP server.
type Server struct {
	Host string
	Port int

	srv      *smtp.Server
	mu       sync.Mutex
	got      []Received
	refuse   int  // refuse this many more transactions
	refusing bool // refuse every transaction
	tries    int
	notify   chan struct{}
	opts     Options
	roots    *x509.CertPool
}

// Options choose how the server talks.
type Options struct {
	// TLS: "" or "none" (plain), "starttls" (offers STARTTLS) or "tls"
	// (implicit TLS from the first byte). Both use a self-signed
	// certificate for 127.0.0.1 made for the test (RootCAs trusts it).
	TLS string
	// User and Password, when set, are required: mail without SMTP AUTH
	// (PLAIN, only over TLS when TLS is on) is refused.
	User, Password string
}

// Start starts a plain server on 127.0.0.1 and stops it when the test
// ends.
func Start(t testing.TB) *Server { return StartWith(t, Options{}) }

// StartWith starts a server with options on 127.0.0.1 and stops it when
// the test ends.
func StartWith(t testing.TB, o Options) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{notify: make(chan struct{}, 1), opts: o}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.AllowInsecureAuth = o.TLS == "" || o.TLS == "none"
	switch o.TLS {
	case "", "none":
	case "starttls", "tls":
		cfg, roots, err := selfSigned()
		if err != nil {
			t.Fatal(err)
		}
		s.roots = roots
		s.srv.TLSConfig = cfg
		if o.TLS == "tls" {
			ln = tls.NewListener(ln, cfg)
		}
	default:
		t.Fatalf("mailtest: TLS %q", o.TLS)
	}
	addr := ln.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", addr.Port
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// RootCAs trusts the server's certificate (nil for a plain server).
func (s *Server) RootCAs() *x509.CertPool { return s.roots }

// selfSigned makes a certificate for 127.0.0.1 and localhost, valid for
// a day, and a pool that trusts it.
func selfSigned() (*tls.Config, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}, MinVersion: tls.VersionTLS12}, pool, nil
}

// Refuse makes the next n transactions fail with a temporary error (421).
func (s *Server) Refuse(n int) {
	s.mu.Lock()
	s.refuse = n
	s.mu.Unlock()
}

// SetRefusing makes every transaction fail until called with false.
func (s *Server) SetRefusing(on bool) {
	s.mu.Lock()
	s.refusing = on
	s.mu.Unlock()
}

// Tries counts transactions attempted (refused ones included).
func (s *Server) Tries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tries
}

// Mails returns the mails received so far.
func (s *Server) Mails() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// Wait waits until at least n mails arrived or timeout passed, and returns
// the mails received.
func (s *Server) Wait(n int, timeout time.Duration) []Received {
	deadline := time.After(timeout)
	for {
		if m := s.Mails(); len(m) >= n {
			return m
		}
		select {
		case <-s.notify:
		case <-deadline:
			return s.Mails()
		}
	}
}

// To returns the mails received for address.
func (s *Server) To(address string) []Received {
	var out []Received
	for _, m := range s.Mails() {
		for _, to := range m.To {
			if strings.EqualFold(to, address) {
				out = append(out, m)
			}
		}
	}
	return out
}

// NewSession implements smtp.Backend.
func (s *Server) NewSession(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, conn: c}, nil }

type session struct {
	s    *Server
	conn *smtp.Conn
	from string
	to   []string
	user string // authenticated
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}

// AuthMechanisms implements smtp.AuthSession: PLAIN when the server has a
// user.
func (x *session) AuthMechanisms() []string {
	if x.s.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth implements smtp.AuthSession.
func (x *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || x.s.opts.User == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != x.s.opts.User || pass != x.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		x.user = user
		return nil
	}), nil
}

var errRefused = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "test server refuses for now"}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	s := x.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tries++
	if s.opts.User != "" && x.user == "" {
		return errAuthRequired
	}
	if s.refusing {
		return errRefused
	}
	if s.refuse > 0 {
		s.refuse--
		return errRefused
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := Parse(raw)
	if err != nil {
		return err
	}
	m.From, m.To, m.AuthUser = x.from, x.to, x.user
	_, m.TLS = x.conn.TLSConnectionState()
	x.s.mu.Lock()
	x.s.got = append(x.s.got, m)
	x.s.mu.Unlock()
	select {
	case x.s.notify <- struct{}{}:
	default:
	}
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

// Parse reads a MIME message: headers, the text and HTML parts and every
// other leaf part.
func Parse(raw []byte) (Received, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Received{}, err
	}
	out := Received{Raw: raw, Header: msg.Header, MessageID: msg.Header.Get("Message-Id")}
	err = walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Header.Get("Content-Disposition"), msg.Body, &out)
	return out, err
}

func walk(ctype, enc, disp string, body io.Reader, out *Received) error {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p.Header.Get("Content-Disposition"), p, out); err != nil {
				return err
			}
		}
	}
	b, err := decode(enc, body)
	if err != nil {
		return err
	}
	_, dp, _ := mime.ParseMediaType(disp)
	part := Part{ContentType: mt, Filename: dp["filename"], Body: b}
	out.Parts = append(out.Parts, part)
	switch {
	case part.Filename != "":
	case mt == "text/plain" && out.Text == "":
		out.Text = string(b)
	case mt == "text/html" && out.HTML == "":
		out.HTML = string(b)
	}
	return nil
}

func decode(enc string, r io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "quoted-printable":
		return io.ReadAll(newQP(r))
	case "base64":
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		return decodeBase64(b)
	}
	return io.ReadAll(r)
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// Links returns the URLs in the text part, in order.
func (m Received) Links() []string { return linkRE.FindAllString(m.Text, -1) }

// Link returns the first URL in the text part containing substr ("" if
// none).
func (m Received) Link(substr string) string {
	for _, l := range m.Links() {
		if strings.Contains(l, substr) {
			return l
		}
	}
	return ""
}
