// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) in
// the test process and keeps what it receives, so tests can read the mails
// meertijd sent: recipient, headers, text and the links in them.
package mailtest

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

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
}

// Start starts a server on 127.0.0.1 and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{notify: make(chan struct{}, 1)}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.AllowInsecureAuth = true
	addr := ln.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", addr.Port
	go s.srv.Serve(ln)
	t.Cleanup(func() { s.srv.Close() })
	return s
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
func (s *Server) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

var errRefused = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "test server refuses for now"}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	s := x.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tries++
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
	m.From, m.To = x.from, x.to
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
