package mail

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	ics "github.com/arran4/golang-ical"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Mails about a change of a learning activity (store.ActivityNotice):
// a new date, time or place and a cancellation go to everyone signed up,
// with the calendar entry (same UID, higher SEQUENCE) so calendar apps
// update or remove the entry they hold; a place from the waiting list gets
// the same words as a place in an intervision group or training session.
// All are written with the "reminder" templates (greeting, lines, a link).

// Mail kinds of activity changes (the place from the waiting list is
// mtvp.RemindActivityPlace). They are about the recipient's own sign-up
// and cannot be switched off.
const (
	KindActivityChanged   = "activity.changed"
	KindActivityCancelled = "activity.cancelled"
)

// ActivityUID is the iCal UID of an activity: the same in every download
// and mail, so calendars recognise it.
func ActivityUID(id int64) string { return fmt.Sprintf("activity-%d@meertijd", id) }

// ActivityICS is the activity as an iCal file with method (PUBLISH for a
// download, REQUEST for a change mail, CANCEL for a cancellation, which
// also marks the event CANCELLED) and sequence. now is its DTSTAMP;
// organizer, when set, is the ORGANIZER (an address).
func ActivityICS(a mtvp.Activity, method ics.Method, sequence int, now time.Time, organizer string) string {
	cal := ics.NewCalendar()
	cal.SetMethod(method)
	cal.SetProductId("-//meertijd//activiteiten//NL")
	ev := cal.AddEvent(ActivityUID(a.ID))
	ev.SetDtStampTime(now.UTC())
	ev.SetSequence(sequence)
	if start, ok := localTime(a.Date, a.StartTime); ok {
		ev.SetStartAt(start.UTC())
	}
	if end, ok := localTime(a.Date, a.EndTime); ok {
		ev.SetEndAt(end.UTC())
	}
	ev.SetSummary(a.Title)
	ev.SetLocation(a.Place)
	if a.Description != "" {
		ev.SetDescription(a.Description)
	}
	if organizer != "" {
		ev.SetOrganizer("mailto:"+organizer, ics.WithCN("meertijd"))
	}
	if method == ics.MethodCancel {
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	// RFC 5545 lines end in CRLF (the library's default is the OS's).
	return cal.Serialize(ics.WithNewLineWindows)
}

var amsterdam = func() *time.Location {
	l, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.UTC // as internal/web does without a zone database
	}
	return l
}()

// localTime is a Dutch clock time ("19:30") on day d.
func localTime(d mtvp.Date, clock string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02 15:04", d.String()+" "+clock, amsterdam)
	return t, err == nil
}

var dutchWeekdays = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

// dayText is a day in words in lang, with its weekday (an activity is on
// one day: "donderdag 5 maart 2026", "Thursday 5 March 2026").
func dayText(lang string, d mtvp.Date) string {
	if d.IsZero() {
		return ""
	}
	if lang == "en" {
		return d.Time().Format("Monday 2 January 2006")
	}
	return dutchWeekdays[d.Time().Weekday()] + " " + d.Dutch()
}

// reminderText is the data of the "reminder" templates.
type reminderText struct {
	Subject  string
	Lines    []string
	Link     string
	LinkText string
}

func activityPath(reg mtvp.Region, id int64) string {
	p := "/regio/" + url.PathEscape(reg.Code) + "/activiteiten"
	if id != 0 {
		p += "/" + strconv.FormatInt(id, 10)
	}
	return p
}

// organizer is the ORGANIZER of the calendar entries in mails: the
// sender's address (some calendar apps refuse a REQUEST without one).
func (c Composer) organizer() string { return c.Organizer }

// ActivityMails renders the mails of a change of an activity: the change or
// the cancellation to each person signed up, and the place from the waiting
// list to each person moved up and their practice's logins (when the
// region sends those). It is a store.ActivityMailer.
func (c Composer) ActivityMails(n store.ActivityNotice) ([]*store.Mail, error) {
	var out []*store.Mail
	promoted := map[int64]bool{}
	for _, p := range n.Promoted {
		promoted[p.SignUp.ID] = true
	}
	for _, p := range n.People {
		m, err := c.activityChangeMail(n, p, promoted[p.SignUp.ID])
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	if !n.PlaceFree.On {
		return out, nil
	}
	for _, p := range n.Promoted {
		tos := []Recipient{}
		if p.To.Email != "" {
			tos = append(tos, Recipient{Email: p.To.Email, Name: p.To.Name, Locale: p.To.Locale, UserID: p.To.UserID, Role: roleSelf})
		}
		for _, l := range p.Practice {
			tos = appendUnique(tos, Recipient{Email: l.Email, Name: l.Name, Locale: l.Locale, UserID: l.UserID})
		}
		for _, to := range tos {
			m, err := c.activityPlaceMail(n, p, to)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// roleSelf: the recipient is the person the place is for ("you").
const roleSelf = "self"

func appendUnique(tos []Recipient, to Recipient) []Recipient {
	for _, x := range tos {
		if x.Email == to.Email {
			return tos
		}
	}
	return append(tos, to)
}

// activityChangeMail tells p of a new date, time or place (with the
// updated calendar entry) or of the cancellation (with the entry's
// cancellation).
func (c Composer) activityChangeMail(n store.ActivityNotice, p store.ActivityAddressee, placedNow bool) (*store.Mail, error) {
	lang := i18n.Lang(p.To.Locale)
	T := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	o, a := n.Old, n.New
	to := Recipient{Email: p.To.Email, Name: p.To.Name, Locale: lang, UserID: p.To.UserID}
	placed := p.SignUp.Status == mtvp.EnrolmentPlaced || placedNow
	var t reminderText
	var kind, file string
	method := ics.MethodRequest
	if n.Cancelled {
		kind, file, method = KindActivityCancelled, "annulering.ics", ics.MethodCancel
		t = reminderText{Subject: T("activity.mail.cancelled.subject", o.Title, dayText(lang, o.Date)),
			Lines: []string{T("activity.mail.cancelled.line", o.Title, dayText(lang, o.Date), o.StartTime, o.EndTime, o.Place)},
			Link:  c.URL(activityPath(n.Region, 0)), LinkText: T("activity.mail.cancelled.link")}
		if placed {
			t.Lines = append(t.Lines, T("activity.mail.cancelled.placed"))
		} else {
			t.Lines = append(t.Lines, T("activity.mail.cancelled.waiting"))
		}
		t.Lines = append(t.Lines, "", T("activity.mail.cancelled.ics"))
	} else {
		kind, file = KindActivityChanged, "uitnodiging.ics"
		t = reminderText{Subject: T("activity.mail.changed.subject", a.Title, dayText(lang, a.Date)),
			Lines: []string{T("activity.mail.changed.line", a.Title)},
			Link:  c.URL(activityPath(n.Region, a.ID)), LinkText: T("activity.mail.link")}
		var changes []string
		if !o.Date.Equal(a.Date) {
			changes = append(changes, T("activity.mail.changed.date", dayText(lang, o.Date), dayText(lang, a.Date)))
		}
		if o.StartTime != a.StartTime || o.EndTime != a.EndTime {
			changes = append(changes, T("activity.mail.changed.time", o.StartTime, o.EndTime, a.StartTime, a.EndTime))
		}
		if o.Place != a.Place {
			changes = append(changes, T("activity.mail.changed.place", o.Place, a.Place))
		}
		for _, l := range changes {
			t.Lines = append(t.Lines, "– "+l)
		}
		t.Lines = append(t.Lines, "", T("activity.mail.changed.now", dayText(lang, a.Date), a.StartTime, a.EndTime, a.Place), "")
		if placed {
			t.Lines = append(t.Lines, T("activity.mail.changed.placed"))
		} else {
			t.Lines = append(t.Lines, T("activity.mail.changed.waiting"))
		}
		t.Lines = append(t.Lines, "", T("activity.mail.changed.ics"))
	}
	m, err := c.Compose("reminder", n.Region.ID, to, t, "")
	if err != nil {
		return nil, err
	}
	m.Kind = kind
	m.DedupeKey = kind + ":" + strconv.FormatInt(a.ID, 10) + ":" + strconv.Itoa(n.Sequence) + ":" + m.To
	ev := a
	if n.Cancelled {
		ev = o
	}
	m.Attachment = []byte(ActivityICS(ev, method, n.Sequence, time.Now(), c.organizer()))
	m.AttachmentName = file
	m.AttachmentType = "text/calendar; charset=utf-8; method=" + string(method)
	return m, nil
}

// activityPlaceMail is the mail of a place from the waiting list, in the
// words of the intervision and training places (reminder.place.*).
func (c Composer) activityPlaceMail(n store.ActivityNotice, p store.ActivityPromotion, to Recipient) (*store.Mail, error) {
	lang := i18n.Lang(to.Locale)
	to.Locale = lang
	T := func(key string, args ...any) string { return i18n.T(lang, key, args...) }
	a := n.New
	// The date to decline by: the region's days for it, but not after the
	// activity itself.
	due := n.Today.AddDays(max(n.PlaceFree.Days, 0))
	if a.Date.Before(due) {
		due = a.Date
	}
	var line string
	if to.Role == roleSelf {
		line = T("reminder.place.activity.line_self", a.Title, dayText(lang, a.Date), p.SignUp.PracticeName)
	} else {
		line = T("reminder.place.activity.line", p.SignUp.PersonName, a.Title, dayText(lang, a.Date), p.SignUp.PracticeName)
	}
	t := reminderText{Subject: T("reminder.place.activity.subject", a.Title),
		Lines: []string{line, T("reminder.place.decline", dayText(lang, due))},
		Link:  c.URL(activityPath(n.Region, a.ID)), LinkText: T("activity.mail.link")}
	m, err := c.Compose("reminder", n.Region.ID, to, t, "")
	if err != nil {
		return nil, err
	}
	m.Kind = mtvp.RemindActivityPlace
	// One per place given: a sign-up moved up again later (after being
	// cancelled and renewed) has a higher version.
	m.DedupeKey = mtvp.RemindActivityPlace + ":" + strconv.FormatInt(p.SignUp.ID, 10) + ":" + strconv.Itoa(p.SignUp.Version) + ":" + m.To
	return m, nil
}
