package web

import (
	"net/http"
	"time"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Unsubscribing from the newsletter without signing in: every newsletter
// mail carries its recipient's own link (mail.UnsubscribePath, a random
// token of which only the hash is stored, like invitations). GET only asks
// to confirm, so a link scanner that opens every link of a mail
// unsubscribes nobody; POST switches the newsletter off, from the page's
// button or as a mail provider's one-click unsubscribe (RFC 8058, sent
// from outside without a session: Handler lets this one path past the
// cross-origin check).

// unsubscribePattern is the route of the POST, and the only path the
// cross-origin protection lets through from other sites.
const unsubscribePattern = "POST /nieuwsbrief/afmelden/{token}"

func (s *Server) unsubscribeRoutes() []route {
	return []route{
		{"GET /nieuwsbrief/afmelden/{token}", public, s.getUnsubscribe},
		{unsubscribePattern, public, s.postUnsubscribe},
	}
}

type unsubscribeData struct {
	Action string
	Email  string
	Region string
	Done   bool
}

func (s *Server) renderUnsubscribe(w http.ResponseWriter, r *http.Request, l store.Link, done bool) error {
	d := unsubscribeData{Action: r.URL.Path, Email: l.Email, Done: done}
	if l.Grant.RegionID != 0 {
		reg, err := s.db.RegionByID(r.Context(), l.Grant.RegionID)
		if err != nil {
			return err
		}
		d.Region = reg.Name
	}
	// The token is in the address: not kept, not passed on.
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.render(w, r, http.StatusOK, "newsletter_unsubscribe", s.newView(r, d))
}

func (s *Server) getUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	l, ok, err := s.openLink(w, r, store.LinkUnsubscribe)
	if !ok {
		return err
	}
	return s.renderUnsubscribe(w, r, l, false)
}

// postUnsubscribe switches the newsletter off and answers 200 with the
// confirmation (a mail provider's POST wants a 2xx, not a redirect).
func (s *Server) postUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	if _, ok, err := s.openLink(w, r, store.LinkUnsubscribe); !ok {
		return err
	}
	l, err := s.db.UnsubscribeByLink(r.Context(), auth.HashToken(r.PathValue("token")), time.Now())
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		// Expired or its login removed since the check above.
		return s.linkGone(w, r, mtvp.LinkExpired, store.LinkUnsubscribe)
	}
	if err != nil {
		return err
	}
	return s.renderUnsubscribe(w, r, l, true)
}
