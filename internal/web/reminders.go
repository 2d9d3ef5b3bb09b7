package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
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

// reminderOptOut are the mails a person may switch off for themselves
// (their own diary, their own work queue, the consultant's copy of a norm
// at risk and the weekly digest); a practice's plan deadline and its norms
// at risk are programme obligations, and a place from the waiting list
// has a date to decline by: those always go out while the region sends
// them.
var reminderOptOut = []string{mtvp.RemindMeeting, mtvp.RemindSession, mtvp.RemindClaimWaiting, mtvp.RemindVisitOverdue,
	mtvp.RemindNormAtRisk, mtvp.KindDigest}

// consultantOnlyOptOut are opt-outs only consultants and programme
// managers see (the mails only they get).
var consultantOnlyOptOut = map[string]bool{mtvp.RemindNormAtRisk: true, mtvp.KindDigest: true, mtvp.RemindClaimWaiting: true, mtvp.RemindVisitOverdue: true}

// optOutKinds are the opt-outs u may set: the reminders of
// reminderOptOut that reach u, and the newsletter for whoever can get one.
func optOutKinds(u *mtvp.User) []string {
	staff := false
	for _, g := range u.Grants {
		if g.Role == mtvp.AccountConsultant || g.Role == mtvp.AccountRegionAdmin {
			staff = true
		}
	}
	var out []string
	for _, k := range reminderOptOut {
		if staff || !consultantOnlyOptOut[k] {
			out = append(out, k)
		}
	}
	if u.ReceivesNewsletter() {
		out = append(out, mtvp.KindNewsletter)
	}
	return out
}

// optOutAllowed reports whether to may switch off this mail: the kinds of
// reminderOptOut, except that a practice's own norm-at-risk mail stays.
func optOutAllowed(kind string, to mail.Recipient) bool {
	if kind == mtvp.RemindNormAtRisk {
		return to.Role == roleConsultant
	}
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
	q := reminderQueue{s: s, ctx: ctx, regions: map[int64]mtvp.Region{}, users: map[int64][]mtvp.User{}, optOuts: map[int64]map[string]bool{}}
	var remember []store.RememberedReminder
	for _, r := range due {
		if err := q.add(r); err != nil {
			return 0, err
		}
		for _, k := range r.Remember {
			remember = append(remember, store.RememberedReminder{Key: k, RegionID: r.RegionID, Until: r.Due})
		}
	}
	return s.db.EnqueueReminders(ctx, q.mails, remember)
}

type reminderQueue struct {
	s       *Server
	ctx     context.Context
	regions map[int64]mtvp.Region
	// Read once per run: a region's logins, a login's opt-outs (a day
	// with a norm at risk in every practice asks for them thousands of
	// times).
	users   map[int64][]mtvp.User
	optOuts map[int64]map[string]bool
	mails   []*store.Mail
}

// Recipient roles where the words differ: the practice's consultant (the
// copy of a norm at risk, which the consultant may switch off) and the
// person a place is for (addressed as "you").
const (
	roleConsultant = "consultant"
	roleSelf       = "self"
)

// personRecipient is a person's address, with their login's language when
// the address has one; ok is false without an address.
func (q *reminderQueue) personRecipient(id int64) (mail.Recipient, bool) {
	p, err := q.s.db.PersonByID(q.ctx, id)
	if err != nil || p.Email == "" {
		return mail.Recipient{}, false
	}
	to := mail.Recipient{Email: p.Email, Name: p.Name, Locale: "nl"}
	if u, err := q.s.db.UserByEmail(q.ctx, p.Email); err == nil && !u.Disabled {
		to.UserID, to.Locale, to.Name = u.ID, u.Locale, u.Name
	}
	return to, true
}

// practiceRecipients are the enabled logins of a practice.
func (q *reminderQueue) practiceRecipients(regionID, practiceID int64) ([]mail.Recipient, error) {
	users, ok := q.users[regionID]
	if !ok {
		var err error
		if users, err = q.s.db.ListUsers(q.ctx, regionID); err != nil {
			return nil, err
		}
		q.users[regionID] = users
	}
	var out []mail.Recipient
	for _, u := range users {
		for _, g := range u.Grants {
			if g.Role == mtvp.AccountPractice && g.PracticeID == practiceID && !u.Disabled {
				out = append(out, mail.Recipient{Email: u.Email, Name: u.Name, Locale: u.Locale, UserID: u.ID})
				break
			}
		}
	}
	return out, nil
}

// userRecipient is an enabled login; ok is false otherwise.
func (q *reminderQueue) userRecipient(id int64) (mail.Recipient, bool) {
	u, err := q.s.db.UserByID(q.ctx, id)
	if err != nil || u.Disabled {
		return mail.Recipient{}, false
	}
	return mail.Recipient{Email: u.Email, Name: u.Name, Locale: u.Locale, UserID: u.ID}, true
}

// addUnique appends to to tos unless its address is there already.
func addUnique(tos []mail.Recipient, to mail.Recipient) []mail.Recipient {
	for _, x := range tos {
		if strings.EqualFold(x.Email, to.Email) {
			return tos
		}
	}
	return append(tos, to)
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
	switch r.Kind {
	case mtvp.RemindMeeting, mtvp.RemindSession:
		if to, ok := q.personRecipient(r.Recipient); ok {
			return []mail.Recipient{to}, nil
		}
		return nil, nil // no address: nobody to remind
	case mtvp.RemindPlanNotFinal:
		return q.practiceRecipients(r.RegionID, r.Subject)
	case mtvp.RemindNormAtRisk:
		tos, err := q.practiceRecipients(r.RegionID, r.PracticeID)
		if err != nil {
			return nil, err
		}
		if to, ok := q.userRecipient(r.ConsultantID); ok && r.ConsultantID != 0 {
			to.Role = roleConsultant
			tos = addUnique(tos, to)
		}
		return tos, nil
	case mtvp.RemindGroupPlace, mtvp.RemindSessionPlace:
		// The person who moved up and the practice that signed them up.
		tos, err := q.practiceRecipients(r.RegionID, r.PracticeID)
		if err != nil {
			return nil, err
		}
		var out []mail.Recipient
		if to, ok := q.personRecipient(r.Recipient); ok {
			to.Role = roleSelf
			out = append(out, to)
		}
		for _, to := range tos {
			out = addUnique(out, to)
		}
		return out, nil
	default:
		if to, ok := q.userRecipient(r.Recipient); ok {
			return []mail.Recipient{to}, nil
		}
		return nil, nil
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
		if to.UserID != 0 && optOutAllowed(r.Kind, to) {
			out, ok := q.optOuts[to.UserID]
			if !ok {
				var err error
				if out, err = q.s.db.OptOuts(q.ctx, to.UserID); err != nil {
					return err
				}
				q.optOuts[to.UserID] = out
			}
			if out[r.Kind] {
				continue
			}
		}
		c, attach, err := q.content(reg, r, to)
		if err != nil {
			return err
		}
		unsubscribe := ""
		if to.UserID != 0 && optOutAllowed(r.Kind, to) {
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
func (q *reminderQueue) content(reg mtvp.Region, r mtvp.Reminder, to mail.Recipient) (reminderContent, string, error) {
	lang := to.Locale
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
	case mtvp.RemindNormAtRisk:
		p, err := db.PracticeByID(ctx, r.PracticeID)
		if err != nil {
			return c, "", err
		}
		var names []string
		for _, code := range r.Norms {
			names = append(names, T("admin.requirement."+string(code)))
		}
		line, line2 := "reminder.risk.line", "reminder.risk.line2"
		if to.Role == roleConsultant {
			line, line2 = "reminder.risk.line_consultant", "reminder.risk.line2_consultant"
		}
		c = reminderContent{Subject: T("reminder.risk.subject", p.Name),
			Lines: append([]string{T(line, p.Name, r.Due.Year(), due)}, append(bullets(names), T(line2))...),
			Link:  q.s.mail.URL(practiceURL(reg, p.ID) + "/normen"), LinkText: T("reminder.risk.link")}
	case mtvp.RemindGroupPlace:
		m, err := db.GroupMemberByID(ctx, r.Subject)
		if err != nil {
			return c, "", err
		}
		g, err := db.GroupByID(ctx, m.GroupID)
		if err != nil {
			return c, "", err
		}
		c = reminderContent{Subject: T("reminder.place.group.subject", g.Name),
			Lines: []string{placeLine(T, to, "reminder.place.group", m.PersonName, g.Name, m.PracticeName), T("reminder.place.decline", due)},
			Link:  q.s.mail.URL(groupURL(reg, g.ID)), LinkText: T("reminder.meeting.link")}
	case mtvp.RemindSessionPlace:
		e, err := db.EnrolmentByID(ctx, r.Subject)
		if err != nil {
			return c, "", err
		}
		ses, err := db.SessionByID(ctx, e.SessionID)
		if err != nil {
			return c, "", err
		}
		tr, err := db.TrainingByID(ctx, ses.TrainingID)
		if err != nil {
			return c, "", err
		}
		c = reminderContent{Subject: T("reminder.place.session.subject", tr.Title),
			Lines: []string{placeLine(T, to, "reminder.place.session", e.PersonName, tr.Title, dateText(lang, ses.FirstDate()), e.PracticeName), T("reminder.place.decline", due)},
			Link:  q.s.mail.URL(sessionURL(reg, ses.ID)), LinkText: T("reminder.session.link")}
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

// bullets prefixes each line with a dash (a list in the plain text; the
// HTML shows the same lines as paragraphs).
func bullets(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = "– " + l
	}
	return out
}

// placeLine tells of a place from the waiting list: to the person as
// "you" (key+".line_self", without the name), to the practice by name.
func placeLine(T func(string, ...any) string, to mail.Recipient, key, person string, args ...any) string {
	if to.Role == roleSelf {
		return T(key+".line_self", args...)
	}
	return T(key+".line", append([]any{person}, args...)...)
}
