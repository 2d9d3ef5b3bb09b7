package web

import (
	"net/http"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// The outbox: every mail meertijd wrote, with its state. A platform admin
// sees all of them, a region admin the mails of their region. Without an
// SMTP server (and with `serve --demo`) mails stay here, so every mail can
// be read.

func (s *Server) outboxRoutes() []route {
	return []route{
		{"GET /berichten", signedIn, s.getOutboxAll},
		{"GET /berichten/{mail}", signedIn, s.getOutboxMailAll},
		{"GET /regio/{region}/berichten", signedIn, s.getOutboxRegion},
		{"GET /regio/{region}/berichten/{mail}", signedIn, s.getOutboxMailRegion},
	}
}

const outboxShown = 200

type outboxData struct {
	Region     *mtvp.Region
	Base       string
	Mails      []store.Mail
	Waiting    int
	Failed     int
	Configured bool
}

type outboxMailData struct {
	Region *mtvp.Region
	Base   string
	Mail   store.Mail
}

func (s *Server) getOutboxAll(w http.ResponseWriter, r *http.Request) error {
	if err := admPlatformOnly(r); err != nil {
		return err
	}
	return s.renderOutbox(w, r, nil)
}

func (s *Server) getOutboxRegion(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	return s.renderOutbox(w, r, &reg)
}

func outboxBase(reg *mtvp.Region) string {
	if reg == nil {
		return "/berichten"
	}
	return admRegionURL(*reg) + "/berichten"
}

func (s *Server) renderOutbox(w http.ResponseWriter, r *http.Request, reg *mtvp.Region) error {
	var regionID int64
	if reg != nil {
		regionID = reg.ID
	}
	mails, err := s.db.ListMail(r.Context(), regionID, outboxShown)
	if err != nil {
		return err
	}
	waiting, failed, err := s.db.MailCounts(r.Context(), regionID)
	if err != nil {
		return err
	}
	v := s.newView(r, outboxData{Region: reg, Base: outboxBase(reg), Mails: mails, Waiting: waiting, Failed: failed, Configured: s.cfg.MailConfigured})
	v.Region = reg
	v.Nav = "outbox"
	return s.render(w, r, http.StatusOK, "outbox", v)
}

func (s *Server) getOutboxMailAll(w http.ResponseWriter, r *http.Request) error {
	if err := admPlatformOnly(r); err != nil {
		return err
	}
	return s.renderOutboxMail(w, r, nil)
}

func (s *Server) getOutboxMailRegion(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	return s.renderOutboxMail(w, r, &reg)
}

// renderOutboxMail shows one mail: headers, the HTML in a sandboxed frame
// (no scripts, no same origin) and the plain text.
func (s *Server) renderOutboxMail(w http.ResponseWriter, r *http.Request, reg *mtvp.Region) error {
	id, err := pathID(r, "mail")
	if err != nil {
		return err
	}
	m, err := s.db.MailByID(r.Context(), id)
	if err != nil {
		return err
	}
	if reg != nil && m.RegionID != reg.ID {
		return notFound
	}
	m = redactPulseLinks(m)
	v := s.newView(r, outboxMailData{Region: reg, Base: outboxBase(reg), Mail: m})
	v.Region = reg
	v.Nav = "outbox"
	return s.render(w, r, http.StatusOK, "outbox_mail", v)
}
