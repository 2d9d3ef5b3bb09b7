package web

import (
	"context"
	"fmt"
	"strconv"
	"time"

	ics "github.com/arran4/golang-ical"

	"meertijd/internal/i18n"
	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Reminder mails. The job runner (internal/app) calls QueueReminders once
// a day; mtvp.DueReminders chooses what is due, this file writes the mails
// (they share the pages' words, dates and links). A reminder is written
// once per kind, subject, recipient and day (the outbox's dedupe key), so
// running it twice on a day sends nothing twice.

// reminderOptOut are the reminders a person may switch off for themselves
// (their own diary and their own work queue); a practice's plan deadline
// is a programme obligation and always goes out while the region sends it.
var reminderOptOut = []string{mtvp.RemindMeeting, mtvp.RemindSession, mtvp.RemindClaimWaiting, mtvp.RemindVisitOverdue}

func optOutAllowed(kind string) bool {
	for _, k := range reminderOptOut {
		if k == kind {
			return true
		}
	}
	return false
}

// QueueReminders writes the reminder mails due on day into the outbox and
// returns how many were new.
func (s *Server) QueueReminders(ctx context.Context, day mtvp.Date) (int, error) {
	due, err := s.db.DueRemindersOn(ctx, day)
	if err != nil {
		return 0, err
	}
	q := reminderQueue{s: s, ctx: ctx, regions: map[int64]mtvp.Region{}}
	for _, r := range due {
		if err := q.add(r); err != nil {
			return 0, err
		}
	}
	return s.db.EnqueueMail(ctx, q.mails...)
}

type reminderQueue struct {
	s       *Server
	ctx     context.Context
	regions map[int64]mtvp.Region
	mails   []*store.Mail
}

type reminderContent struct {
	Subject  string
	Lines    []string
	Link     string
	LinkText string
}

func (q *reminderQueue) region(id int64) (mtvp.Region, error) {
	if r, ok := q.regions[id]; ok {
		return r, nil
	}
	r, err := q.s.db.RegionByID(q.ctx, id)
	q.regions[id] = r
	return r, err
}

// recipients are the logins or persons a reminder goes to.
func (q *reminderQueue) recipients(r mtvp.Reminder) ([]mail.Recipient, error) {
	ctx, db := q.ctx, q.s.db
	switch r.Kind {
	case mtvp.RemindMeeting, mtvp.RemindSession:
		p, err := db.PersonByID(ctx, r.Recipient)
		if err != nil || p.Email == "" {
			return nil, nil // no address: nobody to remind
		}
		to := mail.Recipient{Email: p.Email, Name: p.Name, Locale: "nl"}
		if u, err := db.UserByEmail(ctx, p.Email); err == nil && !u.Disabled {
			to.UserID, to.Locale, to.Name = u.ID, u.Locale, u.Name
		}
		return []mail.Recipient{to}, nil
	case mtvp.RemindPlanNotFinal:
		users, err := db.ListUsers(ctx, r.RegionID)
		if err != nil {
			return nil, err
		}
		var out []mail.Recipient
		for _, u := range users {
			for _, g := range u.Grants {
				if g.Role == mtvp.AccountPractice && g.PracticeID == r.Subject && !u.Disabled {
					out = append(out, mail.Recipient{Email: u.Email, Name: u.Name, Locale: u.Locale, UserID: u.ID})
					break
				}
			}
		}
		return out, nil
	default:
		u, err := db.UserByID(ctx, r.Recipient)
		if err != nil || u.Disabled {
			return nil, nil
		}
		return []mail.Recipient{{Email: u.Email, Name: u.Name, Locale: u.Locale, UserID: u.ID}}, nil
	}
}

func (q *reminderQueue) add(r mtvp.Reminder) error {
	reg, err := q.region(r.RegionID)
	if err != nil {
		return err
	}
	tos, err := q.recipients(r)
	if err != nil {
		return err
	}
	for _, to := range tos {
		if to.UserID != 0 && optOutAllowed(r.Kind) {
			out, err := q.s.db.OptOuts(q.ctx, to.UserID)
			if err != nil {
				return err
			}
			if out[r.Kind] {
				continue
			}
		}
		c, attach, err := q.content(reg, r, to.Locale)
		if err != nil {
			return err
		}
		unsubscribe := ""
		if to.UserID != 0 && optOutAllowed(r.Kind) {
			unsubscribe = "/account/berichten"
		}
		m, err := q.s.mail.Compose("reminder", reg.ID, to, c, unsubscribe)
		if err != nil {
			return err
		}
		m.Kind = r.Kind
		m.DedupeKey = r.Key() + ":" + to.Email
		if attach != "" {
			m.Attachment, m.AttachmentName, m.AttachmentType = []byte(attach), "uitnodiging.ics", "text/calendar; charset=utf-8; method=PUBLISH"
		}
		q.mails = append(q.mails, m)
	}
	return nil
}

// content writes a reminder's words in lang and, for a meeting or session,
// its iCal event.
func (q *reminderQueue) content(reg mtvp.Region, r mtvp.Reminder, lang string) (reminderContent, string, error) {
	ctx, db, T := q.ctx, q.s.db, func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	due := dateText(lang, r.Due)
	var c reminderContent
	switch r.Kind {
	case mtvp.RemindMeeting:
		m, err := db.MeetingByID(ctx, r.Subject)
		if err != nil {
			return c, "", err
		}
		g, err := db.GroupByID(ctx, m.GroupID)
		if err != nil {
			return c, "", err
		}
		place := m.Place
		if place == "" {
			place = g.Place
		}
		c = reminderContent{Subject: T("reminder.meeting.subject", g.Name, due),
			Lines: []string{T("reminder.meeting.line", g.Name, due, m.Start, m.End, place)},
			Link:  q.s.mail.URL(groupURL(reg, g.ID)), LinkText: T("reminder.meeting.link")}
		return c, eventICS(fmt.Sprintf("meeting-%d@meertijd", m.ID), "Intervisie "+g.Name, place, m.Date, m.Start, m.End), nil
	case mtvp.RemindSession:
		ses, err := db.SessionByID(ctx, r.Subject)
		if err != nil {
			return c, "", err
		}
		tr, err := db.TrainingByID(ctx, ses.TrainingID)
		if err != nil {
			return c, "", err
		}
		c = reminderContent{Subject: T("reminder.session.subject", tr.Title, due),
			Lines: []string{T("reminder.session.line", tr.Title, due, ses.StartTime, ses.EndTime, ses.Place)},
			Link:  q.s.mail.URL(sessionURL(reg, ses.ID)), LinkText: T("reminder.session.link")}
		return c, eventICS(fmt.Sprintf("session-%d@meertijd", ses.ID), tr.Title, ses.Place, r.Due, ses.StartTime, ses.EndTime), nil
	case mtvp.RemindPlanNotFinal:
		p, err := db.PracticeByID(ctx, r.Subject)
		if err != nil {
			return c, "", err
		}
		c = reminderContent{Subject: T("reminder.plan.subject", p.Name), Lines: []string{T("reminder.plan.line", r.Due.Year(), due), T("reminder.plan.line2")},
			Link: q.s.mail.URL(admRegionURL(reg) + "/praktijken/" + strconv.FormatInt(p.ID, 10)), LinkText: T("reminder.plan.link")}
	case mtvp.RemindClaimWaiting:
		cl, err := db.ClaimByID(ctx, r.Subject)
		if err != nil {
			return c, "", err
		}
		p, err := db.PracticeByID(ctx, cl.PracticeID)
		if err != nil {
			return c, "", err
		}
		c = reminderContent{Subject: T("reminder.claim.subject", p.Name), Lines: []string{T("reminder.claim.line", cl.Title, p.Name, due)},
			Link: q.s.mail.URL(admRegionURL(reg) + "/scholing/aanvragen"), LinkText: T("reminder.claim.link")}
	case mtvp.RemindVisitOverdue:
		v, err := db.VisitByID(ctx, r.Subject)
		if err != nil {
			return c, "", err
		}
		p, err := db.PracticeByID(ctx, v.PracticeID)
		if err != nil {
			return c, "", err
		}
		c = reminderContent{Subject: T("reminder.visit.subject", p.Name), Lines: []string{T("reminder.visit.line", p.Name, due)},
			Link: q.s.mail.URL(visitURL(reg, p.ID, v.ID)), LinkText: T("reminder.visit.link")}
	}
	return c, "", nil
}

// eventICS is an iCal file with one event (local Dutch times, in UTC);
// without valid times it is "" (no attachment).
func eventICS(uid, summary, place string, day mtvp.Date, start, end string) string {
	from, ok1 := localTime(day, start)
	to, ok2 := localTime(day, end)
	if !ok1 || !ok2 {
		return ""
	}
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//meertijd//herinnering//NL")
	ev := cal.AddEvent(uid)
	ev.SetDtStampTime(time.Now().UTC())
	ev.SetStartAt(from.UTC())
	ev.SetEndAt(to.UTC())
	ev.SetSummary(summary)
	ev.SetLocation(place)
	return cal.Serialize()
}
