package mtvp

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

func TestGroupValidate(t *testing.T) {
	ok := Group{RegionID: 1, Year: 2026, Name: "Groep Heuvelland", FacilitatorID: 7, Place: "Gulpen", Weekday: 2, Capacity: 8}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(g *Group)
		field string
		key   string
	}{
		{"no name", func(g *Group) { g.Name = "" }, "name", "err.required"},
		{"year", func(g *Group) { g.Year = 1999 }, "year", "intervision.err.year"},
		{"facilitator", func(g *Group) { g.FacilitatorID = 0 }, "facilitator", "err.required"},
		{"place", func(g *Group) { g.Place = "" }, "place", "err.required"},
		{"weekday 0", func(g *Group) { g.Weekday = 0 }, "weekday", "intervision.err.weekday"},
		{"weekday 8", func(g *Group) { g.Weekday = 8 }, "weekday", "intervision.err.weekday"},
		{"capacity 0", func(g *Group) { g.Capacity = 0 }, "capacity", "intervision.err.capacity"},
		{"capacity 31", func(g *Group) { g.Capacity = 31 }, "capacity", "intervision.err.capacity"},
		{"long plan", func(g *Group) { g.YearPlan = strings.Repeat("x", MaxYearDocText+1) }, "year_plan", "err.too_long"},
	} {
		g := ok
		tc.edit(&g)
		if got := FieldErrorsOf(g.Validate())[tc.field]; got != tc.key {
			t.Errorf("%s: %s = %q, want %q", tc.name, tc.field, got, tc.key)
		}
	}
}

func TestGroupAcceptsRole(t *testing.T) {
	s := DefaultNormSettings()
	gp := Group{}
	mixed := Group{Mixed: true}
	for _, tc := range []struct {
		role      StaffRole
		gp, mixed bool
	}{
		{RolePraktijkhouder, true, true},
		{RoleVasteWaarnemer, true, true},
		{RoleHidha, false, true}, // not counted by the default settings
		{RoleDoktersassistent, false, true},
		{"onbekend", false, false},
	} {
		if got := gp.AcceptsRole(tc.role, s); got != tc.gp {
			t.Errorf("GP group accepts %s = %v", tc.role, got)
		}
		if got := mixed.AcceptsRole(tc.role, s); got != tc.mixed {
			t.Errorf("mixed group accepts %s = %v", tc.role, got)
		}
	}
}

func TestValidateMeeting(t *testing.T) {
	g := Group{ID: 1, Year: 2026}
	ok := Meeting{GroupID: 1, Date: MustDate("2026-03-10"), Start: "19:00", End: "21:30"}
	if err := ValidateMeeting(&ok, g); err != nil {
		t.Fatal(err)
	}
	if h := ok.Hours(); h != 2.5 {
		t.Errorf("hours = %v", h)
	}
	for _, tc := range []struct {
		name  string
		edit  func(m *Meeting)
		field string
		key   string
	}{
		{"no date", func(m *Meeting) { m.Date = Date{} }, "date", "err.required"},
		{"other year", func(m *Meeting) { m.Date = MustDate("2027-01-05") }, "date", "intervision.err.meeting_year"},
		{"bad start", func(m *Meeting) { m.Start = "7 uur" }, "start", "intervision.err.time_format"},
		{"25:00", func(m *Meeting) { m.End = "25:00" }, "end", "intervision.err.time_format"},
		{"end before start", func(m *Meeting) { m.End = "18:00" }, "end", "intervision.err.end_before_start"},
		{"gaia before", func(m *Meeting) { m.GAIASubmitted = MustDate("2026-03-01") }, "gaia_submitted", "intervision.err.gaia_before_meeting"},
	} {
		m := ok
		tc.edit(&m)
		if got := FieldErrorsOf(ValidateMeeting(&m, g))[tc.field]; got != tc.key {
			t.Errorf("%s: %s = %q, want %q", tc.name, tc.field, got, tc.key)
		}
	}
	m := ok
	m.Start = "9:15"
	if err := ValidateMeeting(&m, g); err != nil {
		t.Errorf("9:15 refused: %v", err)
	}
}

func TestValidateAttendance(t *testing.T) {
	m := Meeting{ID: 3, GroupID: 1, Date: MustDate("2026-05-01")}
	member := GroupMember{ID: 9, GroupID: 1, Status: MemberActive, Joined: MustDate("2026-01-10")}
	if err := ValidateAttendance(Attendance{MeetingID: 3, MemberID: 9, Status: AttendPresent}, m, member); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		status AttendanceStatus
		edit   func(g *GroupMember)
		field  string
		key    string
	}{
		{"status", "ja", func(*GroupMember) {}, "status", "intervision.err.attendance_status"},
		{"other group", AttendPresent, func(g *GroupMember) { g.GroupID = 2 }, "member", "intervision.err.not_a_member"},
		{"waiting", AttendPresent, func(g *GroupMember) { g.Status = MemberWaiting }, "member", "intervision.err.not_a_member"},
		{"joined later", AttendPresent, func(g *GroupMember) { g.Joined = MustDate("2026-06-01") }, "member", "intervision.err.not_a_member"},
		{"left before", AttendPresent, func(g *GroupMember) { g.Left = MustDate("2026-04-30") }, "member", "intervision.err.not_a_member"},
	} {
		g := member
		tc.edit(&g)
		if got := FieldErrorsOf(ValidateAttendance(Attendance{Status: tc.status}, m, g))[tc.field]; got != tc.key {
			t.Errorf("%s: %s = %q, want %q", tc.name, tc.field, got, tc.key)
		}
	}
	g := member
	g.Left = m.Date
	if err := ValidateAttendance(Attendance{Status: AttendExcused}, m, g); err != nil {
		t.Errorf("left on the meeting day refused: %v", err)
	}
}

func docx(t *testing.T, names ...string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	zw.Close()
	return b.Bytes()
}

func TestSniffDocument(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		ct   string
		key  string
	}{
		{"pdf", []byte("%PDF-1.7\n..."), ContentTypePDF, ""},
		{"docx", docx(t, "[Content_Types].xml", "word/document.xml"), ContentTypeDOCX, ""},
		{"xlsx is a zip without word/document.xml", docx(t, "xl/workbook.xml"), "", "intervision.err.file_type"},
		{"html named .pdf", []byte("<html><script>alert(1)</script>"), "", "intervision.err.file_type"},
		{"empty", nil, "", "intervision.err.file_empty"},
		{"too large", append([]byte("%PDF-"), make([]byte, MaxUploadBytes)...), "", "intervision.err.file_too_large"},
	} {
		ct, _, err := SniffDocument(tc.data)
		if ct != tc.ct || FieldErrorsOf(err)["file"] != tc.key {
			t.Errorf("%s: %q %v, want %q %q", tc.name, ct, err, tc.ct, tc.key)
		}
	}
}

func TestSafeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"Jaarplan 2026.pdf":          "Jaarplan 2026.pdf",
		`C:\temp\..\plan.PDF`:        "plan.pdf",
		"../../etc/passwd":           "passwd.pdf",
		`"a";b<script>.pdf`:          "_a__b_script_.pdf",
		"":                           "document.pdf",
		"verslag\r\nX-Header: 1.pdf": "verslag__X-Header_ 1.pdf",
	} {
		if got := SafeFileName(in, ".pdf"); got != want {
			t.Errorf("SafeFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTookPartInIntervision(t *testing.T) {
	d := MustDate
	facts := []IntervisionFact{
		{PersonID: 1, GroupID: 10, Year: 2026, Joined: d("2026-01-15"), Attended: []Date{d("2026-03-10")}},
		{PersonID: 2, GroupID: 10, Year: 2026, Joined: d("2026-01-15")},                                                           // never attended
		{PersonID: 3, GroupID: 11, Year: 2025, Joined: d("2025-02-01"), Attended: []Date{d("2025-03-01")}},                        // last year
		{PersonID: 4, GroupID: 10, Year: 2026, Joined: d("2026-01-15"), Left: d("2026-02-01"), Attended: []Date{d("2026-03-10")}}, // attended after leaving
		{PersonID: 5, GroupID: 12, Year: 2026, Joined: d("2026-06-01"), Attended: []Date{d("2026-09-01")}},
	}
	for _, tc := range []struct {
		person int64
		ref    Date
		want   bool
	}{
		{1, d("2026-12-31"), true},
		{1, d("2026-03-09"), false}, // the meeting is after the reference date
		{1, d("2026-03-10"), true},
		{2, d("2026-12-31"), false},
		{3, d("2026-12-31"), false},
		{4, d("2026-12-31"), false},
		{5, d("2026-08-31"), false},
		{5, d("2026-09-01"), true},
		{99, d("2026-12-31"), false},
	} {
		if got := TookPartInIntervision(facts, tc.person, 2026, tc.ref); got != tc.want {
			t.Errorf("person %d at %s = %v, want %v", tc.person, tc.ref, got, tc.want)
		}
	}
	got := IntervisionParticipants(facts, 2026, d("2026-12-31"))
	if len(got) != 2 || !got[1] || !got[5] {
		t.Errorf("participants = %v", got)
	}
}

func TestIntervisionAccess(t *testing.T) {
	const ra, rb = 1, 2
	g := &Group{ID: 5, RegionID: ra, FacilitatorID: 40}
	p1 := &Practice{ID: 11, RegionID: ra, ConsultantID: 30}
	p2 := &Practice{ID: 12, RegionID: ra}
	users := map[string]*User{
		"admin":        {ID: 1, Grants: []Grant{{Role: AccountRegionAdmin, RegionID: ra}}},
		"adminB":       {ID: 2, Grants: []Grant{{Role: AccountRegionAdmin, RegionID: rb}}},
		"consultant":   {ID: 30, Grants: []Grant{{Role: AccountConsultant, RegionID: ra}}},
		"practice1":    {ID: 3, Grants: []Grant{{Role: AccountPractice, RegionID: ra, PracticeID: 11}}},
		"facilitator":  {ID: 40, Grants: []Grant{{Role: AccountFacilitator, RegionID: ra}}},
		"facilitator2": {ID: 41, Grants: []Grant{{Role: AccountFacilitator, RegionID: ra}}},
		"funder":       {ID: 50, Grants: []Grant{{Role: AccountFunder, RegionID: ra}}},
		// The group's facilitator id without a facilitator grant does not run it.
		"id40practice": {ID: 40, Grants: []Grant{{Role: AccountPractice, RegionID: ra, PracticeID: 12}}},
	}
	type row struct{ see, run, manage, memberP1, memberP2, signP1 bool }
	want := map[string]row{
		"admin":        {true, true, true, true, true, true},
		"adminB":       {},
		"consultant":   {true, false, false, true, false, false},
		"practice1":    {true, false, false, true, false, true},
		"facilitator":  {true, true, false, true, true, false},
		"facilitator2": {},
		"funder":       {},
		"id40practice": {true, false, false, false, true, false},
	}
	for name, u := range users {
		got := row{u.CanSeeGroup(g), u.CanRunGroup(g), u.CanManageGroups(ra), u.CanSeeGroupMember(g, p1), u.CanSeeGroupMember(g, p2), u.CanSignUp(p1)}
		if got != want[name] {
			t.Errorf("%s: %+v, want %+v", name, got, want[name])
		}
	}
	if users["funder"].CanSeeIntervision(ra) || !users["facilitator"].CanSeeIntervision(ra) || users["adminB"].CanSeeIntervision(ra) {
		t.Error("overview access wrong")
	}
}
