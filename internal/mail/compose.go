// Package mail writes meertijd's e-mails and delivers them.
//
// A change that causes a mail renders it here (Dutch or English, per
// recipient, plain text plus simple HTML) and writes it into the outbox in
// the same transaction (store.Mail). The Sender claims due mails with a
// lease, delivers them over SMTP with github.com/wneessen/go-mail, retries
// with exponential backoff and marks them sent; without SMTP settings mails
// stay in the outbox, where the administration pages show them.
package mail

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

// Templates: for each kind K and language L, templates/K.txt.tmpl defines
// "K.L.subject" and "K.L.text" (text/template), templates/K.html.tmpl
// defines "K.L.html" (html/template), rendered inside layout.html.tmpl.
var (
	textTmpl = texttemplate.Must(texttemplate.New("").Funcs(texttemplate.FuncMap{"join": strings.Join}).ParseFS(templateFS, "templates/*.txt.tmpl"))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("").Funcs(htmltemplate.FuncMap{"join": strings.Join}).ParseFS(templateFS, "templates/*.html.tmpl"))
)

// Recipient is whom a mail is for.
type Recipient struct {
	Email  string
	Name   string
	Locale string // "nl" (default) or "en"
	UserID int64  // 0 when the address has no login yet (an invitation)
	// Role says why the recipient gets the mail, where the sender needs
	// to tell ("consultant": the practice's consultant's copy).
	Role string
}

// Composer renders mails for the outbox.
type Composer struct {
	// BaseURL is where meertijd is reached from outside, without a
	// trailing slash ("https://meertijd.example.nl"); links in mails start
	// with it.
	BaseURL string
	// Organizer is the address calendar entries in mails name as their
	// ORGANIZER (the sender's, SMTP.Address); "" leaves it out.
	Organizer string
}

// URL is BaseURL joined with a path ("/uitnodiging/…").
func (c Composer) URL(path string) string {
	return strings.TrimRight(c.BaseURL, "/") + path
}

// host is the host of BaseURL, for Message-IDs.
func (c Composer) host() string {
	if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "meertijd.invalid"
}

// Content is what a mail's templates get: the recipient, the base URL and
// the kind's own data.
type Content struct {
	To      Recipient
	BaseURL string
	Data    any
}

// Compose renders a mail of kind for to with data. unsubscribe, when not
// empty, is the path of the page where the recipient opts out of this kind
// (sent as List-Unsubscribe).
func (c Composer) Compose(kind string, regionID int64, to Recipient, data any, unsubscribe string) (*store.Mail, error) {
	lang := to.Locale
	if lang != "en" {
		lang = "nl"
	}
	in := Content{To: to, BaseURL: strings.TrimRight(c.BaseURL, "/"), Data: data}
	var subj, text, body bytes.Buffer
	name := kind + "." + lang
	if err := textTmpl.ExecuteTemplate(&subj, name+".subject", in); err != nil {
		return nil, fmt.Errorf("mail %s: %w", name, err)
	}
	if err := textTmpl.ExecuteTemplate(&text, name+".text", in); err != nil {
		return nil, fmt.Errorf("mail %s: %w", name, err)
	}
	if err := htmlTmpl.ExecuteTemplate(&body, name+".html", in); err != nil {
		return nil, fmt.Errorf("mail %s: %w", name, err)
	}
	var page bytes.Buffer
	layout := struct {
		Lang, Subject   string
		Body            htmltemplate.HTML
		Unsubscribe     string
		UnsubscribeText string
	}{lang, strings.TrimSpace(subj.String()), htmltemplate.HTML(body.String()), "", ""} // body: our own template's output
	m := &store.Mail{
		MessageID: c.newMessageID(),
		Kind:      kind,
		RegionID:  regionID,
		UserID:    to.UserID,
		To:        strings.ToLower(strings.TrimSpace(to.Email)),
		ToName:    to.Name,
		Locale:    lang,
		Subject:   layout.Subject,
		Text:      strings.TrimSpace(text.String()) + "\n",
	}
	if unsubscribe != "" {
		m.UnsubscribeURL = c.URL(unsubscribe)
		words := unsubscribeWords[kind]
		if words == nil {
			words = unsubscribeWords[""]
		}
		layout.Unsubscribe, layout.UnsubscribeText = m.UnsubscribeURL, words[lang]
		m.Text += "\n-- \n" + words[lang] + ": " + m.UnsubscribeURL + "\n"
	}
	if err := htmlTmpl.ExecuteTemplate(&page, "layout", layout); err != nil {
		return nil, fmt.Errorf("mail layout: %w", err)
	}
	m.HTML = page.String()
	return m, nil
}

// unsubscribeWords name the unsubscribe link of a mail's footer, per kind
// ("": any other kind) and language.
var unsubscribeWords = map[string]map[string]string{
	"":                  {"nl": "Deze berichten niet meer ontvangen", "en": "Stop receiving these messages"},
	mtvp.KindNewsletter: {"nl": "Afmelden voor de nieuwsbrief", "en": "Unsubscribe from the newsletter"},
}

// newMessageID is a random Message-ID on our host. It is fixed when the
// mail is written, so every attempt carries the same one and a receiver
// can spot a duplicate.
func (c Composer) newMessageID() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails since Go 1.24
	return "<" + hex.EncodeToString(b) + "@" + c.host() + ">"
}
