package mtvp

import (
	"archive/zip"
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// Intervision: fixed groups per calendar year, each guided by a facilitator
// (EKC). Practices sign their GPs up for a group with free places or, when
// it is full, for its waiting list; the first waiting person moves up when a
// place frees. The facilitator schedules meetings and keeps attendance,
// which the intervision norm is evaluated from (see TookPartInIntervision).

// Group is one intervision group in one calendar year.
type Group struct {
	ID       int64
	RegionID int64
	Year     int
	Name     string
	// FacilitatorID is the user id of the EKC; the user must hold a
	// facilitator grant in the region.
	FacilitatorID   int64
	FacilitatorName string // filled when read
	Place           string
	Weekday         int    // 1 = Monday … 7 = Sunday
	Times           string // time pattern, e.g. "19:00–21:30, om de zes weken"
	Capacity        int
	// Mixed groups are open to every staff role; other groups only to the
	// roles the region counts for intervision (NormSettings.IntervisionRoles).
	Mixed      bool
	YearPlan   string // the facilitator's year plan (text)
	YearReport string // the facilitator's year report (text)
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Group limits.
const (
	MaxGroupCapacity = 30
	MaxYearDocText   = 20000
)

// Normalize trims input.
func (g *Group) Normalize() {
	g.Name = strings.Join(strings.Fields(g.Name), " ")
	g.Place = strings.Join(strings.Fields(g.Place), " ")
	g.Times = strings.Join(strings.Fields(g.Times), " ")
	g.YearPlan = strings.TrimSpace(g.YearPlan)
	g.YearReport = strings.TrimSpace(g.YearReport)
}

// Validate checks a group.
func (g *Group) Validate() error {
	f := FieldErrors{}
	if g.Name == "" {
		f.Add("name", "err.required")
	} else if utf8.RuneCountInString(g.Name) > 200 {
		f.Add("name", "err.too_long")
	}
	if g.Year < 2000 || g.Year > 2100 {
		f.Add("year", "intervision.err.year")
	}
	if g.FacilitatorID == 0 {
		f.Add("facilitator", "err.required")
	}
	if g.Place == "" {
		f.Add("place", "err.required")
	} else if utf8.RuneCountInString(g.Place) > 200 {
		f.Add("place", "err.too_long")
	}
	if g.Weekday < 1 || g.Weekday > 7 {
		f.Add("weekday", "intervision.err.weekday")
	}
	if utf8.RuneCountInString(g.Times) > 200 {
		f.Add("times", "err.too_long")
	}
	if g.Capacity < 1 || g.Capacity > MaxGroupCapacity {
		f.Add("capacity", "intervision.err.capacity")
	}
	if utf8.RuneCountInString(g.YearPlan) > MaxYearDocText {
		f.Add("year_plan", "err.too_long")
	}
	if utf8.RuneCountInString(g.YearReport) > MaxYearDocText {
		f.Add("year_report", "err.too_long")
	}
	return f.Err()
}

// AcceptedByAny reports whether one of groups accepts someone in role r
// (AcceptsRole): who a practice may sign up before choosing a group.
func AcceptedByAny(groups []Group, r StaffRole, s NormSettings) bool {
	for i := range groups {
		if groups[i].AcceptsRole(r, s) {
			return true
		}
	}
	return false
}

// AcceptsRole reports whether someone in role r may join the group.
func (g *Group) AcceptsRole(r StaffRole, s NormSettings) bool {
	if !r.Valid() {
		return false
	}
	if g.Mixed {
		return true
	}
	for _, x := range s.IntervisionRoles {
		if x == r {
			return true
		}
	}
	return false
}

// GroupSummary is a group with its counts, as the "where is still room"
// overview shows it.
type GroupSummary struct {
	Group
	Members  int // current members
	Waiting  int // on the waiting list
	Meetings int
}

// Free returns the number of free places (never negative).
func (s GroupSummary) Free() int { return max(0, s.Capacity-s.Members) }

// GroupFilter narrows the overview.
type GroupFilter struct {
	RegionID      int64
	Year          int
	Place         string // exact place, case-insensitive; "" = all
	Weekday       int    // 0 = all
	OnlyFree      bool   // only groups with a free place
	FacilitatorID int64  // only this facilitator's groups; 0 = all
}

// MemberStatus is whether someone holds a place or waits for one.
type MemberStatus string

const (
	MemberActive  MemberStatus = "lid"
	MemberWaiting MemberStatus = "wachtlijst"
)

// GroupMember is a person's place in (or on the waiting list of) a group,
// signed up by a practice where they work. Joining and leaving are dated;
// a row with a Left date is history.
type GroupMember struct {
	ID         int64
	GroupID    int64
	PersonID   int64
	PracticeID int64 // the practice that signed the person up
	Role       StaffRole
	Status     MemberStatus
	SignedUp   time.Time // order of the waiting list
	Joined     Date      // date the place was taken (zero while waiting)
	Left       Date      // zero while current
	// Position on the waiting list, 1 = next; 0 for members. Filled when read.
	Position int
	// PromotedAt is when the person moved up from the waiting list into a
	// freed place (zero if they got a place at once).
	PromotedAt time.Time
	// Read-only display fields.
	GroupName    string
	PersonName   string
	BIG          string
	PracticeName string
	Version      int
}

// Current reports whether the row is not history.
func (m GroupMember) Current() bool { return m.Left.IsZero() }

// MemberOn reports whether the person held a place on day d.
func (m GroupMember) MemberOn(d Date) bool {
	if m.Status != MemberActive || m.Joined.IsZero() || m.Joined.After(d) {
		return false
	}
	return m.Left.IsZero() || !m.Left.Before(d)
}

// SignUpResult tells the practice where a sign-up landed.
type SignUpResult struct {
	Member GroupMember
	// Position on the waiting list (0 when a place was free).
	Position int
}

// Promotion records that a waiting person moved up into a freed place.
type Promotion struct {
	Member GroupMember
	At     time.Time
}

// Meeting is one scheduled intervision meeting of a group.
type Meeting struct {
	ID      int64
	GroupID int64
	Date    Date
	Start   string // "19:00"
	End     string // "21:30"
	Place   string
	Theme   string
	// GAIASubmitted is the date the meeting was submitted to GAIA for
	// accreditation; zero = not yet.
	GAIASubmitted Date
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Normalize trims input.
func (m *Meeting) Normalize() {
	m.Start = padClock(strings.TrimSpace(m.Start))
	m.End = padClock(strings.TrimSpace(m.End))
	m.Place = strings.Join(strings.Fields(m.Place), " ")
	m.Theme = strings.Join(strings.Fields(m.Theme), " ")
}

// ValidateMeeting checks a meeting against its group: the date must fall in
// the group's year.
func ValidateMeeting(m *Meeting, g Group) error {
	f := FieldErrors{}
	switch {
	case m.Date.IsZero():
		f.Add("date", "err.required")
	case m.Date.Year() != g.Year:
		f.Add("date", "intervision.err.meeting_year")
	}
	s, okS := clockMinutes(m.Start)
	e, okE := clockMinutes(m.End)
	if !okS {
		f.Add("start", "intervision.err.time_format")
	}
	if !okE {
		f.Add("end", "intervision.err.time_format")
	}
	if okS && okE && e <= s {
		f.Add("end", "intervision.err.end_before_start")
	}
	if utf8.RuneCountInString(m.Place) > 200 {
		f.Add("place", "err.too_long")
	}
	if utf8.RuneCountInString(m.Theme) > 300 {
		f.Add("theme", "err.too_long")
	}
	if !m.GAIASubmitted.IsZero() && !m.Date.IsZero() && m.GAIASubmitted.Before(m.Date) {
		f.Add("gaia_submitted", "intervision.err.gaia_before_meeting")
	}
	return f.Err()
}

// Hours is the meeting's length in hours (e.g. 2.5).
func (m Meeting) Hours() float64 {
	s, ok1 := clockMinutes(m.Start)
	e, ok2 := clockMinutes(m.End)
	if !ok1 || !ok2 || e <= s {
		return 0
	}
	return float64(e-s) / 60
}

// padClock writes "9:15" as "09:15".
func padClock(s string) string {
	if len(s) == 4 && s[1] == ':' {
		return "0" + s
	}
	return s
}

// clockMinutes parses "HH:MM" (24 hours) into minutes after midnight.
func clockMinutes(s string) (int, bool) {
	if len(s) == 4 && s[1] == ':' {
		s = "0" + s
	}
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, m := 0, 0
	for i, c := range s {
		if i == 2 {
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		if i < 2 {
			h = h*10 + int(c-'0')
		} else {
			m = m*10 + int(c-'0')
		}
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// AttendanceStatus is what the facilitator records per member and meeting.
type AttendanceStatus string

const (
	AttendPresent AttendanceStatus = "aanwezig"
	AttendAbsent  AttendanceStatus = "afwezig"
	AttendExcused AttendanceStatus = "afgemeld"
)

// AttendanceStatuses in display order.
var AttendanceStatuses = []AttendanceStatus{AttendPresent, AttendAbsent, AttendExcused}

func (a AttendanceStatus) Valid() bool {
	return a == AttendPresent || a == AttendAbsent || a == AttendExcused
}

// Attendance is one member's attendance at one meeting.
type Attendance struct {
	MeetingID int64
	MemberID  int64 // GroupMember.ID
	Status    AttendanceStatus
}

// ValidateAttendance checks one attendance record: the member must belong
// to the meeting's group and hold a place on the meeting's date.
func ValidateAttendance(a Attendance, m Meeting, member GroupMember) error {
	f := FieldErrors{}
	if !a.Status.Valid() {
		f.Add("status", "intervision.err.attendance_status")
	}
	if member.GroupID != m.GroupID || !member.MemberOn(m.Date) {
		f.Add("member", "intervision.err.not_a_member")
	}
	return f.Err()
}

// ---- year plan and report uploads ----

// DocKind names an uploaded year document.
type DocKind string

const (
	DocYearPlan   DocKind = "jaarplan"
	DocYearReport DocKind = "jaarverslag"
)

func (k DocKind) Valid() bool { return k == DocYearPlan || k == DocYearReport }

// MaxUploadBytes is the largest year plan or report accepted (10 MiB).
const MaxUploadBytes = 10 << 20

// Upload content types.
const (
	ContentTypePDF  = "application/pdf"
	ContentTypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// GroupFile is an uploaded year plan or report.
type GroupFile struct {
	ID          int64
	GroupID     int64
	Kind        DocKind
	Name        string // sanitised original file name
	ContentType string
	Size        int64
	Data        []byte // empty when listed
	UploadedBy  string
	UploadedAt  time.Time
}

// KB is the size in kilobytes, rounded up.
func (f GroupFile) KB() int { return int((f.Size + 1023) / 1024) }

// SniffDocument decides by content whether data is a PDF or a DOCX file
// and returns its content type and extension. A PDF starts with "%PDF-"; a
// DOCX is a ZIP archive holding word/document.xml. Anything else, or more
// than MaxUploadBytes, is EINVALID on field "file".
func SniffDocument(data []byte) (contentType, ext string, err error) {
	f := FieldErrors{}
	switch {
	case len(data) == 0:
		f.Add("file", "intervision.err.file_empty")
	case len(data) > MaxUploadBytes:
		f.Add("file", "intervision.err.file_too_large")
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return ContentTypePDF, ".pdf", nil
	case isDOCX(data):
		return ContentTypeDOCX, ".docx", nil
	default:
		f.Add("file", "intervision.err.file_type")
	}
	return "", "", f.Err()
}

// SafeFileName keeps a display name of letters, digits, spaces, dots,
// dashes and underscores, at most 100 characters, with the given extension.
func SafeFileName(name, ext string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSuffix(name, ext)
	name = strings.TrimSuffix(name, strings.ToUpper(ext))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == ' ', r == '.':
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	out := strings.Trim(b.String(), " .")
	if out == "" {
		out = "document"
	}
	return out + ext
}

// ---- the intervision norm ----

// IntervisionFact is what the norm needs of one person's place in one
// group: the group's year, the dated place, the dates of the meetings the
// person attended (present) and the dates of all the group's meetings.
type IntervisionFact struct {
	PersonID int64
	GroupID  int64
	Year     int
	Joined   Date
	Left     Date
	Attended []Date
	// Meetings: every meeting date of the group (any attendance), so the
	// norm can tell whether a place can still make the person count.
	Meetings []Date
}

// MeetingLeft reports whether the group still meets, in its year, on or
// after ref while the person holds the place: only then can a place
// without an attended meeting still make the person count.
func (f IntervisionFact) MeetingLeft(ref Date) bool {
	for _, d := range f.Meetings {
		if d.Year() != f.Year || d.Before(ref) || d.Before(f.Joined) {
			continue
		}
		if !f.Left.IsZero() && d.After(f.Left) {
			continue
		}
		return true
	}
	return false
}

// TookPartInIntervision is the numerator rule of the intervision norm:
// the person was a member of a group of that year (a place taken on or
// before the reference date) and attended at least one meeting of that
// group on or before the reference date while a member.
func TookPartInIntervision(facts []IntervisionFact, personID int64, year int, ref Date) bool {
	for _, f := range facts {
		if f.PersonID != personID || f.Year != year || f.Joined.IsZero() || f.Joined.After(ref) {
			continue
		}
		for _, d := range f.Attended {
			if d.Year() != year || d.After(ref) || d.Before(f.Joined) {
				continue
			}
			if !f.Left.IsZero() && d.After(f.Left) {
				continue
			}
			return true
		}
	}
	return false
}

// IntervisionParticipants returns the set of people among facts who meet
// TookPartInIntervision for year at ref.
func IntervisionParticipants(facts []IntervisionFact, year int, ref Date) map[int64]bool {
	out := map[int64]bool{}
	for _, f := range facts {
		if !out[f.PersonID] && TookPartInIntervision(facts, f.PersonID, year, ref) {
			out[f.PersonID] = true
		}
	}
	return out
}

// isDOCX reports a ZIP archive that holds word/document.xml.
func isDOCX(data []byte) bool {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return true
		}
	}
	return false
}
