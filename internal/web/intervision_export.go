package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"meertijd/internal/export"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// accreditationList is what both the XLSX and the PDF show: per meeting the
// members who held a place that day with their attendance. Built once, so
// the two files never disagree.
type accreditationList struct {
	Group    mtvp.Group
	Region   mtvp.Region
	Meetings []mtvp.Meeting
	Members  []mtvp.GroupMember // everyone who held a place in the year
	Status   map[[2]int64]mtvp.AttendanceStatus
}

func (s *Server) accreditation(r *http.Request, reg mtvp.Region, g mtvp.Group) (accreditationList, error) {
	a := accreditationList{Group: g, Region: reg, Status: map[[2]int64]mtvp.AttendanceStatus{}}
	var err error
	if a.Meetings, err = s.db.Meetings(r.Context(), g.ID); err != nil {
		return a, err
	}
	all, err := s.db.GroupMembers(r.Context(), g.ID, true)
	if err != nil {
		return a, err
	}
	for _, m := range all {
		if m.Status == mtvp.MemberActive {
			a.Members = append(a.Members, m)
		}
	}
	att, err := s.db.GroupAttendance(r.Context(), g.ID)
	if err != nil {
		return a, err
	}
	for _, x := range att {
		a.Status[[2]int64{x.MeetingID, x.MemberID}] = x.Status
	}
	return a, nil
}

func (a accreditationList) hoursPresent(m mtvp.GroupMember) float64 {
	var h float64
	for _, mt := range a.Meetings {
		if a.Status[[2]int64{mt.ID, m.ID}] == mtvp.AttendPresent {
			h += mt.Hours()
		}
	}
	return h
}

func accreditationName(g mtvp.Group, ext string) string {
	return mtvp.SafeFileName(fmt.Sprintf("presentielijst %s %d", g.Name, g.Year), ext)
}

func meetingLabel(m mtvp.Meeting) string {
	return fmt.Sprintf("%s %s–%s (%s u)", m.Date.Short(), m.Start, m.End, hoursText("nl", m.Hours()))
}

func (s *Server) getAccreditationXLSX(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.runGroupFor(r)
	if err != nil {
		return err
	}
	a, err := s.accreditation(r, reg, g)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	T := func(k string) string { return i18n.T(lang, k) }
	list := export.Table{Name: T("intervision.acc.sheet_list"),
		Header: []string{T("intervision.acc.name"), T("intervision.acc.big"), T("intervision.acc.role"), T("intervision.acc.practice")}}
	for _, mt := range a.Meetings {
		list.Header = append(list.Header, meetingLabel(mt))
	}
	list.Header = append(list.Header, T("intervision.acc.hours_present"), T("intervision.acc.signature"))
	for _, m := range a.Members {
		row := []any{m.PersonName, m.BIG, i18n.T(lang, "role."+string(m.Role)), m.PracticeName}
		for _, mt := range a.Meetings {
			switch st := a.Status[[2]int64{mt.ID, m.ID}]; {
			case !m.MemberOn(mt.Date):
				row = append(row, T("intervision.acc.not_member"))
			case st == "":
				row = append(row, "")
			default:
				row = append(row, i18n.T(lang, "intervision.attendance."+string(st)))
			}
		}
		row = append(row, a.hoursPresent(m), "")
		list.Rows = append(list.Rows, row)
	}
	meetings := export.Table{Name: T("intervision.acc.sheet_meetings"),
		Header: []string{T("intervision.meeting.date"), T("intervision.meeting.start"), T("intervision.meeting.end"), T("intervision.acc.hours"),
			T("intervision.meeting.place"), T("intervision.meeting.theme"), T("intervision.meeting.gaia_submitted")}}
	for _, mt := range a.Meetings {
		meetings.Rows = append(meetings.Rows, []any{mt.Date.Time(), mt.Start, mt.End, mt.Hours(), mt.Place, mt.Theme, mt.GAIASubmitted.Time()})
	}
	b, err := export.XLSX(list, meetings)
	if err != nil {
		return err
	}
	return sendDownload(w, b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", accreditationName(g, ".xlsx"))
}

func (s *Server) getAccreditationPDF(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.runGroupFor(r)
	if err != nil {
		return err
	}
	a, err := s.accreditation(r, reg, g)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	T := func(k string, args ...any) string { return i18n.T(lang, k, args...) }
	p, err := export.NewPDF(export.PDFMeta{
		Title:     T("intervision.acc.title", g.Name, g.Year),
		Subtitle:  reg.Name + " · " + T("intervision.acc.facilitator") + ": " + g.FacilitatorName + " · " + g.Place,
		Author:    reg.Name,
		Printed:   s.cfg.Now(),
		Landscape: true,
	})
	if err != nil {
		return err
	}
	p.Fields(
		export.Field{Label: T("intervision.field.facilitator"), Value: g.FacilitatorName},
		export.Field{Label: T("intervision.acc.meetings"), Value: strconv.Itoa(len(a.Meetings))},
		export.Field{Label: T("intervision.acc.participants"), Value: strconv.Itoa(len(a.Members))},
	)
	if len(a.Meetings) == 0 {
		p.Muted(T("intervision.no_meetings"))
	}
	for _, mt := range a.Meetings {
		head := T("intervision.acc.meeting_heading", mt.Date.Short(), mt.Start, mt.End, hoursText("nl", mt.Hours()))
		p.Subheading(head)
		var sub []string
		if mt.Theme != "" {
			sub = append(sub, T("intervision.meeting.theme")+": "+mt.Theme)
		}
		if mt.Place != "" {
			sub = append(sub, T("intervision.meeting.place")+": "+mt.Place)
		}
		if !mt.GAIASubmitted.IsZero() {
			sub = append(sub, T("intervision.acc.gaia_on", mt.GAIASubmitted.Short()))
		}
		if len(sub) > 0 {
			p.Muted(strings.Join(sub, " · "))
		}
		var rows [][]string
		for _, m := range a.Members {
			if !m.MemberOn(mt.Date) {
				continue
			}
			st := a.Status[[2]int64{mt.ID, m.ID}]
			txt := ""
			if st != "" {
				txt = T("intervision.attendance." + string(st))
			}
			rows = append(rows, []string{m.PersonName, m.BIG, T("role." + string(m.Role)), m.PracticeName, txt, ""})
		}
		// Landscape, with a boxed signature column of 60 mm and rows of
		// 12 mm: room to sign by hand.
		p.TableWith([]string{T("intervision.acc.name"), T("intervision.acc.big"), T("intervision.acc.role"), T("intervision.acc.practice"),
			T("intervision.acc.attendance"), T("intervision.acc.signature")}, rows, export.TableOptions{Widths: []int{2, 2, 2, 2, 1, 3}, MinRowHeight: 12, Boxed: true})
	}
	p.Space(6)
	p.Muted(T("intervision.acc.signed_by"))
	b, err := p.Bytes()
	if err != nil {
		return err
	}
	return sendDownload(w, b, "application/pdf", accreditationName(g, ".pdf"))
}

func sendDownload(w http.ResponseWriter, b []byte, contentType, name string) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	_, err := w.Write(b)
	return err
}

// getGroupCalendar serves a group's meetings as iCalendar behind the
// group's secret URL (no login: calendar programs subscribe without one).
// It holds no personal data: group, dates, times, place and theme.
func (s *Server) getGroupCalendar(w http.ResponseWriter, r *http.Request) error {
	g, err := s.db.GroupByCalendarToken(r.Context(), r.PathValue("token"))
	if err != nil {
		return notFound
	}
	meetings, err := s.db.Meetings(r.Context(), g.ID)
	if err != nil {
		return err
	}
	b := groupCalendar(g, meetings, s.cfg.Now())
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="intervisie.ics"`)
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("X-Robots-Tag", "noindex")
	_, err = w.Write([]byte(b))
	return err
}

// postRotateCalendar gives the group's calendar feed a new secret URL (the
// facilitator or a region admin, e.g. when the link was shared too
// widely); the old URL stops working at once.
func (s *Server) postRotateCalendar(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.runGroupFor(r)
	if err != nil {
		return err
	}
	if _, err := s.db.RotateCalendarToken(r.Context(), actorOf(currentUser(r)), g.ID); err != nil {
		return err
	}
	s.flash(r, "intervision.flash.calendar_rotated")
	http.Redirect(w, r, groupURL(reg, g.ID), http.StatusSeeOther)
	return nil
}

// groupCalendar renders the feed; times are local (Europe/Amsterdam)
// written in UTC.
func groupCalendar(g mtvp.Group, meetings []mtvp.Meeting, now time.Time) string {
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//meertijd//intervisie//NL")
	cal.SetXWRCalName("Intervisie " + g.Name)
	cal.SetXWRTimezone("Europe/Amsterdam")
	for _, m := range meetings {
		start, ok1 := localTime(m.Date, m.Start)
		end, ok2 := localTime(m.Date, m.End)
		if !ok1 || !ok2 {
			continue
		}
		ev := cal.AddEvent(fmt.Sprintf("meeting-%d@meertijd", m.ID))
		ev.SetDtStampTime(now.UTC())
		ev.SetStartAt(start.UTC())
		ev.SetEndAt(end.UTC())
		summary := "Intervisie " + g.Name
		if m.Theme != "" {
			summary += ": " + m.Theme
		}
		ev.SetSummary(summary)
		place := m.Place
		if place == "" {
			place = g.Place
		}
		ev.SetLocation(place)
	}
	return cal.Serialize()
}

func localTime(d mtvp.Date, clock string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02 15:04", d.String()+" "+clock, amsterdam)
	return t, err == nil
}
