package importer

import (
	"context"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Intervision participation: one row per person and meeting.

const (
	colYear        = "year"
	colGroup       = "group"
	colFacilitator = "facilitator"
	colPlace       = "place"
	colMeeting     = "meeting_date"
	colAttendance  = "attendance"
	colStart       = "start"
	colEnd         = "end"
	colGAIA        = "gaia_submitted"
)

// Times of a meeting whose list gives none.
const (
	defaultMeetingStart = "19:00"
	defaultMeetingEnd   = "21:30"
	defaultGroupSize    = 12
)

func intervisionColumns() []HistColumn {
	cols := []HistColumn{
		{colYear, "jaar", []string{"kalenderjaar", "year"}, true, "2024"},
		{colGroup, "groep", []string{"intervisiegroep", "groepsnaam", "group"}, true, "Intervisie Maastricht 1"},
		{colFacilitator, "begeleider", []string{"EKC", "begeleider (EKC)", "facilitator"}, false, "ekc@regio.nl"},
		{colPlace, "plaats", []string{"locatie", "place"}, false, "Maastricht"},
	}
	cols = append(cols, personColumns(true)...)
	return append(cols,
		HistColumn{colMeeting, "datum bijeenkomst", []string{"bijeenkomst", "datum", "meeting date"}, true, "12-03-2024"},
		HistColumn{colAttendance, "aanwezigheid", []string{"aanwezig", "status", "attendance"}, true, "aanwezig"},
		HistColumn{colStart, "begintijd", []string{"van", "start"}, false, "19:00"},
		HistColumn{colEnd, "eindtijd", []string{"tot", "end"}, false, "21:30"},
		HistColumn{colGAIA, "ingediend bij GAIA op", []string{"GAIA ingediend op", "GAIA", "datum GAIA", "submitted to GAIA on"}, false, "26-03-2024"},
	)
}

// parseAttendance accepts the statuses and common spellings.
func parseAttendance(s string) (mtvp.AttendanceStatus, bool) {
	switch normHeader(s) {
	case "aanwezig", "present", "ja", "yes", "x":
		return mtvp.AttendPresent, true
	case "afgemeld", "afgemelddoorlid", "excused", "verontschuldigd", "metberichtafwezig":
		return mtvp.AttendExcused, true
	case "afwezig", "absent", "nee", "no", "zonderberichtafwezig":
		return mtvp.AttendAbsent, true
	}
	return "", false
}

type ivGroup struct {
	g       *mtvp.Group
	loaded  bool
	members map[int64]*ivMember // by person
	// meetings by day (dayKey); each holds the attendance of the group's
	// members, so what the run keeps follows the region's meetings and
	// members, not the rows of the file.
	meetings map[uint32]*ivMeeting
	count    int // current members
	n        int // members indexed (past ones too)
}

// ivMember is a member of a group with its index in the attendance of the
// group's meetings.
type ivMember struct {
	row *store.MemberRow
	idx int
}

// ivMeeting is a meeting with one attendance cell per member (by index):
// 0 is none, else attCode+1, with attFromFile set when a row of this file
// gave it.
type ivMeeting struct {
	row *store.MeetingRow
	att []uint8
	// gaiaRow is the row of this file that gave the GAIA date (0: none).
	gaiaRow int
	created bool // by this run
}

const attFromFile = 0x80

func (m *ivMeeting) cell(member int) uint8 {
	if member < len(m.att) {
		return m.att[member]
	}
	return 0
}

func (m *ivMeeting) set(member int, v uint8) {
	if member >= len(m.att) {
		m.att = append(m.att, make([]uint8, member+1-len(m.att))...)
	}
	m.att[member] = v
}

// dayKey is a date as a number, a map key that needs no string.
func dayKey(d mtvp.Date) uint32 { return uint32(d.Year()*10000 + int(d.Month())*100 + d.Day()) }

type ivHandler struct {
	run          *historyRun
	groups       map[string]*ivGroup // year|lower(name)
	facilitators []mtvp.User
	batch        store.IntervisionBatch
	changes      []ivChange
	gaia         []gaiaChange
}

// gaiaChange sets the GAIA date of a meeting the region held without one.
type gaiaChange struct {
	meeting *store.MeetingRow
	on      mtvp.Date
}

type ivChange struct {
	meeting, member int64
	old, status     mtvp.AttendanceStatus
	person          string
}

func newIVHandler(run *historyRun) historyHandler {
	return &ivHandler{run: run, groups: map[string]*ivGroup{}}
}

func (h *ivHandler) load(ctx context.Context) error {
	db, regionID := h.run.db, h.run.region.ID
	years, err := db.GroupYears(ctx, regionID)
	if err != nil {
		return err
	}
	for _, y := range years {
		list, err := db.ListGroups(ctx, mtvp.GroupFilter{RegionID: regionID, Year: y})
		if err != nil {
			return err
		}
		for i := range list {
			g := list[i].Group
			h.groups[strconv.Itoa(g.Year)+"|"+strings.ToLower(g.Name)] = &ivGroup{g: &g}
		}
	}
	users, err := db.ListUsers(ctx, regionID)
	for _, u := range users {
		for _, g := range u.Grants {
			if !u.Disabled && g.Role == mtvp.AccountFacilitator && g.RegionID == regionID {
				h.facilitators = append(h.facilitators, u)
				break
			}
		}
	}
	return err
}

// open reads an existing group's members, meetings and attendance the
// first time a row names it.
func (h *ivHandler) open(g *ivGroup) error {
	if g.loaded {
		return nil
	}
	g.loaded = true
	g.members, g.meetings = map[int64]*ivMember{}, map[uint32]*ivMeeting{}
	if g.g.ID == 0 {
		return nil
	}
	ctx, db := h.run.ctx, h.run.db
	ms, err := db.GroupMembers(ctx, g.g.ID, true)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Status != mtvp.MemberActive {
			continue
		}
		prev, ok := g.members[m.PersonID]
		if ok && prev.row.Member.Current() {
			continue
		}
		if ok {
			prev.row.Member = m // the current membership replaces a past one
		} else {
			g.members[m.PersonID] = &ivMember{row: &store.MemberRow{Group: g.g, Member: m}, idx: g.n}
			g.n++
		}
		if m.Current() {
			g.count++
		}
	}
	mts, err := db.Meetings(ctx, g.g.ID)
	if err != nil {
		return err
	}
	byID := make(map[int64]*ivMeeting, len(mts))
	for _, m := range mts {
		mt := &ivMeeting{row: &store.MeetingRow{Group: g.g, Meeting: m}}
		g.meetings[dayKey(m.Date)] = mt
		byID[m.ID] = mt
	}
	memberIdx := make(map[int64]int, len(g.members))
	for _, m := range g.members {
		memberIdx[m.row.Member.ID] = m.idx
	}
	att, err := db.GroupAttendance(ctx, g.g.ID)
	if err != nil {
		return err
	}
	for _, a := range att {
		mt, i, ok := byID[a.MeetingID], 0, false
		if i, ok = memberIdx[a.MemberID]; ok && mt != nil {
			mt.set(i, attCode(a.Status)+1)
		}
	}
	return nil
}

// facilitator finds the EKC of a new group by e-mail or name.
func (h *ivHandler) facilitator(r *hrow) (mtvp.User, bool) {
	v := r.text(colFacilitator)
	if v == "" {
		r.fail(colFacilitator, "import.hist.err.facilitator_required")
		return mtvp.User{}, false
	}
	var names []string
	for _, u := range h.facilitators {
		if strings.EqualFold(u.Email, v) || strings.EqualFold(u.Name, v) {
			return u, true
		}
		names = append(names, u.Name)
	}
	r.fail(colFacilitator, "import.hist.err.facilitator_unknown", listOrNone(names))
	return mtvp.User{}, false
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "—"
	}
	return strings.Join(names, ", ")
}

func (h *ivHandler) row(r *hrow) {
	year := r.year(colYear)
	name := strings.Join(strings.Fields(r.required(colGroup)), " ")
	pr, prOK := r.practice(true)
	date := r.date(colMeeting, true)
	gaia := r.date(colGAIA, false)
	status, stOK := parseAttendance(r.text(colAttendance))
	if r.text(colAttendance) == "" {
		r.fail(colAttendance, "err.required")
	} else if !stOK {
		r.fail(colAttendance, "import.hist.err.attendance", "aanwezig, afgemeld, afwezig")
	}
	if year != 0 && !date.IsZero() && date.Year() != year {
		r.fail(colMeeting, "intervision.err.meeting_year")
	}
	var person *personInfo
	if prOK && pr.ID != 0 {
		person = r.person(pr.ID)
	}
	if year == 0 || name == "" || person == nil || date.IsZero() || !r.ok() {
		return
	}
	key := strconv.Itoa(year) + "|" + strings.ToLower(name)
	g := h.groups[key]
	if g == nil {
		fac, ok := h.facilitator(r)
		place := strings.Join(strings.Fields(r.text(colPlace)), " ")
		if place == "" {
			r.fail(colPlace, "import.hist.err.place_required")
			ok = false
		}
		if !ok {
			return
		}
		ng := &mtvp.Group{RegionID: h.run.region.ID, Year: year, Name: name, FacilitatorID: fac.ID, FacilitatorName: fac.Name,
			Place: place, Weekday: isoWeekday(date), Capacity: defaultGroupSize}
		ng.Normalize()
		if err := ng.Validate(); err != nil {
			r.failFields(err, map[string]string{"name": colGroup, "place": colPlace, "year": colYear}, colGroup)
			return
		}
		g = &ivGroup{g: ng}
		h.groups[key] = g
		r.effect("import.hist.eff.group_new", name)
		if !h.run.failed {
			h.batch.Groups = append(h.batch.Groups, ng)
		}
	}
	if err := h.open(g); err != nil {
		r.fail(colGroup, "err.internal")
		return
	}
	mb := g.members[person.ID]
	if mb == nil {
		roles := person.rolesAt(pr.ID, date)
		if len(roles) == 0 {
			r.fail(colPersonName, "import.hist.err.not_on_staff", pr.Name, date.Short())
			return
		}
		role := roles[0]
		if !g.g.AcceptsRole(role, h.run.region.Settings) {
			r.fail(colPersonName, "import.hist.err.group_role")
			return
		}
		if g.count >= g.g.Capacity {
			r.fail(colGroup, "import.hist.err.group_full", g.g.Capacity)
			return
		}
		joined := mtvp.NewDate(year, time.January, 1)
		for _, ms := range person.ms {
			if ms.PracticeID == pr.ID && ms.Role == role && ms.From.After(joined) && !ms.From.After(date) {
				joined = ms.From
			}
		}
		m := &store.MemberRow{Group: g.g, Member: mtvp.GroupMember{PersonID: person.ID, PracticeID: pr.ID, Role: role,
			Status: mtvp.MemberActive, SignedUp: time.Date(joined.Year(), joined.Month(), joined.Day(), 0, 0, 0, 0, time.UTC),
			Joined: joined, PersonName: person.Name, PracticeName: pr.Name}}
		mb = &ivMember{row: m, idx: g.n}
		g.members[person.ID] = mb
		g.n++
		g.count++
		r.effect("import.hist.eff.member_new", person.Name)
		if !h.run.failed {
			h.batch.Members = append(h.batch.Members, m)
		}
	} else if !mb.row.Member.MemberOn(date) {
		r.fail(colMeeting, "intervision.err.not_a_member")
		return
	}
	mt := g.meetings[dayKey(date)]
	if mt == nil {
		start, end := r.text(colStart), r.text(colEnd)
		if start == "" {
			start = defaultMeetingStart
		}
		if end == "" {
			end = defaultMeetingEnd
		}
		row := &store.MeetingRow{Group: g.g, Meeting: mtvp.Meeting{Date: date, Start: strings.Clone(start), End: strings.Clone(end),
			Place: g.g.Place, GAIASubmitted: gaia}}
		row.Meeting.Normalize()
		if err := mtvp.ValidateMeeting(&row.Meeting, *g.g); err != nil {
			r.failFields(err, map[string]string{"date": colMeeting, "start": colStart, "end": colEnd, "gaia_submitted": colGAIA}, colMeeting)
			return
		}
		mt = &ivMeeting{row: row, created: true}
		if !gaia.IsZero() {
			mt.gaiaRow = r.num
		}
		g.meetings[dayKey(date)] = mt
		r.effect("import.hist.eff.meeting_new", date.Short())
		if !h.run.failed {
			h.batch.Meetings = append(h.batch.Meetings, row)
		}
	} else if !gaia.IsZero() && !h.meetingGAIA(r, mt, gaia) {
		return
	}
	// Attendance: what the region held, or an earlier row of this file.
	cell := mt.cell(mb.idx)
	code := attCode(status) + 1
	old := mtvp.AttendanceStatus("")
	if c := cell &^ attFromFile; c != 0 {
		old = mtvp.AttendanceStatuses[c-1]
	}
	switch {
	case old == status:
		mt.set(mb.idx, cell|attFromFile)
		r.effect("import.hist.eff.unchanged")
	case cell&attFromFile != 0:
		// Two rows of the file for one meeting and person disagree.
		r.fail(colAttendance, "import.hist.err.attendance_twice")
	case old != "":
		mt.set(mb.idx, code|attFromFile)
		r.effect("import.hist.eff.attendance_changed", string(old), string(status))
		if !h.run.failed {
			h.changes = append(h.changes, ivChange{meeting: mt.row.Meeting.ID, member: mb.row.Member.ID, old: old, status: status, person: person.Name})
		}
	default:
		mt.set(mb.idx, code|attFromFile)
		r.effect("import.hist.eff.attendance_new", string(status))
		if !h.run.failed {
			h.batch.Attendance = append(h.batch.Attendance, store.AttendanceRow{Meeting: mt.row, Member: mb.row, Status: status})
		}
	}
}

// meetingGAIA checks a row's GAIA date against a meeting met before (in
// the region or in an earlier row): rows of the file must agree, and a
// date the region recorded is not overwritten; a meeting without one gets
// it.
func (h *ivHandler) meetingGAIA(r *hrow, mt *ivMeeting, on mtvp.Date) bool {
	m := &mt.row.Meeting
	switch {
	case m.GAIASubmitted.Equal(on):
		return true
	case mt.gaiaRow != 0:
		r.fail(colGAIA, "import.hist.err.gaia_twice", m.GAIASubmitted.Short(), mt.gaiaRow)
		return false
	case !m.GAIASubmitted.IsZero():
		r.fail(colGAIA, "import.hist.err.gaia_differs", m.GAIASubmitted.Short())
		return false
	case on.Before(m.Date):
		r.fail(colGAIA, "intervision.err.gaia_before_meeting")
		return false
	}
	mt.gaiaRow = r.num
	if !mt.created {
		r.effect("import.hist.eff.gaia_set", m.Date.Short())
	}
	m.GAIASubmitted = on
	if m.ID == 0 {
		return true // not written yet: the insert carries the date
	}
	if !h.run.failed {
		h.gaia = append(h.gaia, gaiaChange{meeting: mt.row, on: on})
	}
	return true
}

func (h *ivHandler) flush(w *store.HistoryImport) error {
	if w != nil {
		if err := w.Intervision(&h.batch); err != nil {
			return err
		}
		for _, c := range h.changes {
			if err := w.SetAttendance(c.meeting, c.member, c.old, c.status, c.person); err != nil {
				return err
			}
		}
		for _, c := range h.gaia {
			if err := w.SetMeetingGAIA(&c.meeting.Meeting, c.on); err != nil {
				return err
			}
		}
	}
	h.gaia = h.gaia[:0]
	h.batch = store.IntervisionBatch{}
	h.changes = h.changes[:0]
	return nil
}

// attCode is a status's index in mtvp.AttendanceStatuses.
func attCode(s mtvp.AttendanceStatus) uint8 {
	for i, x := range mtvp.AttendanceStatuses {
		if x == s {
			return uint8(i)
		}
	}
	return 0
}

// isoWeekday is 1 = Monday … 7 = Sunday.
func isoWeekday(d mtvp.Date) int {
	wd := int(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}
