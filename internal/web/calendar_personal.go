package web

import (
	"meertijd/internal/mail"
	"net/http"
	"time"

	ics "github.com/arran4/golang-ical"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

// The personal calendar feed: one secret URL per login with their
// intervision meetings, training sessions and (as consultant) planned
// visits, beside the group feeds. Only a hash of the token is stored, so
// the URL is shown once, when it is made; making a new one stops the old.

func (s *Server) personalCalendarRoutes() []route {
	return []route{
		{"GET /kalender/{token}", public, s.getPersonalCalendar},
		{"POST /account/kalender", signedIn, s.postPersonalCalendar},
	}
}

func (s *Server) getPersonalCalendar(w http.ResponseWriter, r *http.Request) error {
	u, err := s.db.UserByCalendarToken(r.Context(), auth.HashToken(r.PathValue("token")))
	if err != nil {
		return err
	}
	// From a month back, so a meeting just past stays in the agenda.
	events, err := s.db.PersonalEvents(r.Context(), u, mtvp.DateOf(s.cfg.Now()).AddDays(-31))
	if err != nil {
		return err
	}
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//meertijd//persoonlijk//NL")
	cal.SetXWRCalName("meertijd · " + u.Name)
	cal.SetXWRTimezone("Europe/Amsterdam")
	now := time.Now().UTC()
	for _, e := range events {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(now)
		from, ok1 := localTime(e.On, e.Start)
		to, ok2 := localTime(e.On, e.End)
		if ok1 && ok2 {
			ev.SetStartAt(from.UTC())
			ev.SetEndAt(to.UTC())
		} else {
			ev.SetAllDayStartAt(e.On.Time())
			ev.SetAllDayEndAt(e.On.AddDays(1).Time())
		}
		ev.SetSummary(e.Summary)
		ev.SetLocation(e.Place)
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err = w.Write([]byte(cal.Serialize()))
	return err
}

// postPersonalCalendar makes a new secret feed URL and shows it once.
func (s *Server) postPersonalCalendar(w http.ResponseWriter, r *http.Request) error {
	token, hash := mail.NewLinkToken()
	if err := s.db.SetCalendarToken(r.Context(), currentUser(r).ID, hash); err != nil {
		return err
	}
	v := s.newView(r, map[string]string{"URL": s.mail.URL("/kalender/" + token)})
	v.Nav = "account"
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, http.StatusOK, "calendar_personal", v)
}
