package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// Intervision: groups, members and waiting lists, meetings and
// attendance. The same policy as the web: a facilitator reaches only the
// groups they guide, a practice sees only its own people in a group (the
// rest as counts), funders see the overview without names.
func (a *API) intervisionRoutes() []route {
	return []route{
		{"GET /api/v1/regions/{code}/intervision-groups", false, a.listGroups},
		{"POST /api/v1/regions/{code}/intervision-groups", false, a.createGroup},
		{"GET /api/v1/intervision-groups/{id}", false, a.getGroup},
		{"PUT /api/v1/intervision-groups/{id}", false, a.updateGroup},
		{"GET /api/v1/intervision-groups/{id}/members", false, a.listGroupMembers},
		{"POST /api/v1/intervision-groups/{id}/members", false, a.signUp},
		{"PUT /api/v1/intervision-members/{id}/leave", false, a.leaveGroup},
		{"POST /api/v1/intervision-members/{id}/move", false, a.moveMember},
		{"GET /api/v1/intervision-groups/{id}/meetings", false, a.listMeetings},
		{"POST /api/v1/intervision-groups/{id}/meetings", false, a.createMeeting},
		{"PUT /api/v1/intervision-meetings/{id}", false, a.updateMeeting},
		{"GET /api/v1/intervision-meetings/{id}/attendance", false, a.getAttendance},
		{"PUT /api/v1/intervision-meetings/{id}/attendance", false, a.putAttendance},
	}
}

type groupJSON struct {
	ID              int64  `json:"id"`
	RegionID        int64  `json:"region_id"`
	Year            int    `json:"year"`
	Name            string `json:"name"`
	FacilitatorID   int64  `json:"facilitator_id,omitempty"`
	FacilitatorName string `json:"facilitator_name,omitempty"`
	Place           string `json:"place"`
	Weekday         int    `json:"weekday"`
	Times           string `json:"times"`
	Capacity        int    `json:"capacity"`
	Mixed           bool   `json:"mixed"`
	Members         *int   `json:"members,omitempty"`
	Waiting         *int   `json:"waiting,omitempty"`
	Free            *int   `json:"free,omitempty"`
	Version         *int   `json:"version"`
}

func groupToJSON(g mtvp.Group, showFacilitator bool) groupJSON {
	j := groupJSON{ID: g.ID, RegionID: g.RegionID, Year: g.Year, Name: g.Name, Place: g.Place, Weekday: g.Weekday,
		Times: g.Times, Capacity: g.Capacity, Mixed: g.Mixed, Version: intPtr(g.Version)}
	if showFacilitator {
		j.FacilitatorID, j.FacilitatorName = g.FacilitatorID, g.FacilitatorName
	}
	return j
}

func summaryToJSON(s mtvp.GroupSummary, showFacilitator bool) groupJSON {
	j := groupToJSON(s.Group, showFacilitator)
	j.Members, j.Waiting, j.Free = intPtr(s.Members), intPtr(s.Waiting), intPtr(s.Free())
	return j
}

// groupInput is a new or changed group; absent fields keep their value on
// PUT.
type groupInput struct {
	Year          int    `json:"year"`
	Name          string `json:"name"`
	FacilitatorID int64  `json:"facilitator_id"`
	Place         string `json:"place"`
	Weekday       int    `json:"weekday"`
	Times         string `json:"times"`
	Capacity      int    `json:"capacity"`
	Mixed         bool   `json:"mixed"`
	Version       *int   `json:"version"`
}

func (j groupInput) apply(g *mtvp.Group) {
	g.Name, g.FacilitatorID, g.Place, g.Weekday, g.Times, g.Capacity, g.Mixed = j.Name, j.FacilitatorID, j.Place, j.Weekday, j.Times, j.Capacity, j.Mixed
}

func groupInputOf(g mtvp.Group) groupInput {
	return groupInput{Year: g.Year, Name: g.Name, FacilitatorID: g.FacilitatorID, Place: g.Place, Weekday: g.Weekday,
		Times: g.Times, Capacity: g.Capacity, Mixed: g.Mixed}
}

func groupField(k string) string {
	if k == "facilitator" {
		return "facilitator_id"
	}
	return k
}

// groupFor loads {id} if the caller may see the group's page.
func (a *API) groupFor(r *http.Request) (mtvp.Group, error) {
	id, err := pathID(r)
	if err != nil {
		return mtvp.Group{}, err
	}
	g, err := a.db.GroupByID(r.Context(), id)
	if err != nil {
		return g, err
	}
	if !userOf(r).CanSeeGroup(&g) {
		return g, errNotFound
	}
	return g, nil
}

func (a *API) listGroups(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r, "year", "place", "weekday", "free")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := mtvp.GroupFilter{RegionID: reg.ID, Place: q.Get("place"), OnlyFree: q.Get("free") == "true" || q.Get("free") == "1"}
	if f.Year, err = queryYear(q, "year", clock.Now().Year()); err != nil {
		return err
	}
	if v := q.Get("weekday"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || d < 1 || d > 7 {
			return badRequest("api.err.query_value", "weekday")
		}
		f.Weekday = d
	}
	if u.OnlyRoleInRegion(reg.ID, mtvp.AccountFacilitator) {
		f.FacilitatorID = u.ID
	}
	rows, err := a.db.ListGroups(r.Context(), f)
	if err != nil {
		return err
	}
	showFac := !u.OnlyRoleInRegion(reg.ID, mtvp.AccountFunder)
	items := make([]groupJSON, 0, len(rows))
	for _, s := range rows {
		items = append(items, summaryToJSON(s, showFac))
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) createGroup(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	reg, err := a.regionFor(r)
	if err != nil {
		return err
	}
	if !u.CanManageGroups(reg.ID) {
		return errForbidden
	}
	var in groupInput
	if err := decode(r, &in); err != nil {
		return err
	}
	g := mtvp.Group{RegionID: reg.ID, Year: in.Year}
	in.apply(&g)
	if err := a.db.CreateGroup(r.Context(), actorOf(u), &g); err != nil {
		return fieldsAs(err, groupField)
	}
	g, err = a.db.GroupByID(r.Context(), g.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, groupToJSON(g, true))
	return nil
}

func (a *API) getGroup(w http.ResponseWriter, r *http.Request) error {
	g, err := a.groupFor(r)
	if err != nil {
		return err
	}
	rows, err := a.db.ListGroups(r.Context(), mtvp.GroupFilter{RegionID: g.RegionID, Year: g.Year})
	if err != nil {
		return err
	}
	for _, s := range rows {
		if s.ID == g.ID {
			writeJSON(w, http.StatusOK, summaryToJSON(s, true))
			return nil
		}
	}
	return errNotFound
}

func (a *API) updateGroup(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	g, err := a.groupFor(r)
	if err != nil {
		return err
	}
	if !u.CanManageGroups(g.RegionID) {
		return errForbidden
	}
	in := groupInputOf(g)
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		if in.Year != g.Year {
			f.Add("year", "api.err.immutable")
		}
		return nil
	})
	if err != nil {
		return err
	}
	in.apply(&g)
	g.Version = version
	if _, err := a.db.UpdateGroup(r.Context(), actorOf(u), &g); err != nil {
		return writeFailed(err, placedAs(groupField),
			storedAs(r.Context(), a.db.GroupByID, g.ID, func(cur mtvp.Group) groupJSON { return groupToJSON(cur, true) }).conflict)
	}
	writeJSON(w, http.StatusOK, groupToJSON(g, true))
	return nil
}

// fieldsAs renames the fields of a validation error for the wire.
func fieldsAs(err error, name func(string) string) error {
	f := mtvp.FieldErrors{}
	if mergeInvalidAs(f, err, name) {
		return invalid(f)
	}
	return err
}

// ---- members ----

type memberJSON struct {
	ID         int64  `json:"id"`
	GroupID    int64  `json:"group_id"`
	PersonID   int64  `json:"person_id"`
	PersonName string `json:"person_name"`
	BIG        string `json:"big,omitempty"`
	PracticeID int64  `json:"practice_id"`
	Practice   string `json:"practice_name"`
	Role       string `json:"role"`
	Status     string `json:"status"`
	Position   int    `json:"position,omitempty"`
	SignedUp   string `json:"signed_up_at"`
	Joined     date   `json:"joined"`
	Left       date   `json:"left"`
	PromotedAt string `json:"promoted_at,omitempty"`
	Version    int    `json:"version"`
}

func memberToJSON(m mtvp.GroupMember) memberJSON {
	j := memberJSON{ID: m.ID, GroupID: m.GroupID, PersonID: m.PersonID, PersonName: m.PersonName, BIG: m.BIG, PracticeID: m.PracticeID,
		Practice: m.PracticeName, Role: string(m.Role), Status: string(m.Status), Position: m.Position,
		SignedUp: m.SignedUp.UTC().Format(time.RFC3339), Joined: dateOf(m.Joined), Left: dateOf(m.Left), Version: m.Version}
	if !m.PromotedAt.IsZero() {
		j.PromotedAt = m.PromotedAt.UTC().Format(time.RFC3339)
	}
	return j
}

type membersJSON struct {
	Items []memberJSON `json:"items"`
	// Counts of the whole group, including people the caller does not see.
	Members int `json:"members"`
	Waiting int `json:"waiting"`
}

// listGroupMembers: current members and the waiting list (with positions)
// that the caller may see by name, plus the group's totals.
func (a *API) listGroupMembers(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	g, err := a.groupFor(r)
	if err != nil {
		return err
	}
	members, err := a.db.GroupMembers(r.Context(), g.ID, r.URL.Query().Get("history") == "true")
	if err != nil {
		return err
	}
	practices := map[int64]*mtvp.Practice{}
	if !u.CanSeeAllMembers(&g) {
		ps, err := a.db.ListPractices(r.Context(), mtvp.PracticeFilter{RegionID: g.RegionID})
		if err != nil {
			return err
		}
		for i := range ps {
			practices[ps[i].ID] = &ps[i].Practice
		}
	}
	out := membersJSON{Items: []memberJSON{}}
	for _, m := range members {
		if m.Current() {
			if m.Status == mtvp.MemberActive {
				out.Members++
			} else {
				out.Waiting++
			}
		}
		if u.CanSeeAllMembers(&g) || u.CanSeeGroupMember(&g, practices[m.PracticeID]) {
			out.Items = append(out.Items, memberToJSON(m))
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type signUpJSON struct {
	PracticeID int64 `json:"practice_id"`
	PersonID   int64 `json:"person_id"`
	// SignedUpOn is the sign-up's real date when history is recorded;
	// absent: today. A group of a past year takes sign-ups only from a
	// region admin with the date (mtvp.SignUpDate).
	SignedUpOn date `json:"signed_up_on"`
}

// signUp: a place when one is free (201, status "lid"), else the waiting
// list (201, status "wachtlijst" with its position).
func (a *API) signUp(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	g, err := a.groupFor(r)
	if err != nil {
		return err
	}
	var in signUpJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := a.db.PracticeByID(r.Context(), in.PracticeID)
	if err != nil || p.RegionID != g.RegionID || !u.CanSeePractice(&p) {
		f := mtvp.FieldErrors{}
		f.Add("practice_id", "api.err.not_found")
		return invalid(f)
	}
	if !u.CanSignUp(&p) {
		return errForbidden
	}
	f := mtvp.FieldErrors{}
	on := in.SignedUpOn.check(f, "signed_up_on")
	if len(f) > 0 {
		return invalid(f)
	}
	on, err = mtvp.SignUpDate(mtvp.RecorderFor(u, g.RegionID), on, mtvp.DateOf(clock.Now()), g.Year, "signed_up_on")
	if err != nil {
		return err
	}
	res, err := a.db.SignUp(r.Context(), actorOf(u), g.ID, p.ID, in.PersonID, on)
	if err != nil {
		return fieldsAs(err, func(k string) string {
			if k == "person" {
				return "person_id"
			}
			return k
		})
	}
	writeJSON(w, http.StatusCreated, memberToJSON(res.Member))
	return nil
}

type leaveJSON struct {
	Version *int `json:"version"`
	Left    date `json:"left"`
}

type leaveResultJSON struct {
	Promoted []memberJSON `json:"promoted"`
}

// leaveGroup ends a place or waiting-list entry (the practice for its own
// people, region admins for anyone); the promotions it caused are returned.
func (a *API) leaveGroup(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := a.db.GroupMemberByID(r.Context(), id)
	if err != nil {
		return err
	}
	g, err := a.db.GroupByID(r.Context(), m.GroupID)
	if err != nil {
		return err
	}
	p, err := a.db.PracticeByID(r.Context(), m.PracticeID)
	if err != nil {
		return err
	}
	if !u.CanSeeGroup(&g) || !u.CanSeeGroupMember(&g, &p) {
		return errNotFound
	}
	if !u.CanManageGroups(g.RegionID) && !u.CanSignUp(&p) {
		return errForbidden
	}
	var in leaveJSON
	var left mtvp.Date
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		left = in.Left.check(f, "left")
		return nil
	})
	if err != nil {
		return err
	}
	if left.IsZero() {
		left = mtvp.DateOf(clock.Now())
	}
	promos, err := a.db.LeaveGroup(r.Context(), actorOf(u), m.ID, left, version)
	if err != nil {
		return writeFailed(err, nil, storedAs(r.Context(), a.db.GroupMemberByID, m.ID, memberToJSON).conflict)
	}
	out := leaveResultJSON{Promoted: []memberJSON{}}
	for _, pr := range promos {
		// Promoted people of other practices appear only to those who may
		// see them.
		pp, err := a.db.PracticeByID(r.Context(), pr.Member.PracticeID)
		if err != nil {
			return err
		}
		if u.CanSeeGroupMember(&g, &pp) {
			out.Promoted = append(out.Promoted, memberToJSON(pr.Member))
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type moveJSON struct {
	Version   *int   `json:"version"`
	ToGroupID int64  `json:"to_group_id"`
	Reason    string `json:"reason"`
	On        date   `json:"on"`
}

type moveResultJSON struct {
	Member   memberJSON   `json:"member"`
	Promoted []memberJSON `json:"promoted"`
}

// moveField names a field of a move's validation error on the wire.
func moveField(k string) string {
	if k == "to_group" {
		return "to_group_id"
	}
	return k
}

// moveMember moves a member to another group of the same region and year
// with a reason (region admins); the freed place goes to the source
// group's waiting list.
func (a *API) moveMember(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := a.db.GroupMemberByID(r.Context(), id)
	if err != nil {
		return err
	}
	g, err := a.db.GroupByID(r.Context(), m.GroupID)
	if err != nil {
		return err
	}
	if !u.CanSeeGroup(&g) {
		return errNotFound
	}
	if !u.CanManageGroups(g.RegionID) {
		return errForbidden
	}
	var in moveJSON
	var on mtvp.Date
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		on = in.On.check(f, "on")
		if to, err := a.db.GroupByID(r.Context(), in.ToGroupID); err != nil || to.RegionID != g.RegionID {
			f.Add("to_group_id", "api.err.not_found")
		}
		return nil
	})
	if err != nil {
		return err
	}
	if on.IsZero() {
		on = mtvp.DateOf(clock.Now())
	}
	moved, promos, err := a.db.MoveMember(r.Context(), actorOf(u), m.ID, in.ToGroupID, on, strings.TrimSpace(in.Reason), version)
	if err != nil {
		return writeFailed(err, placedAs(moveField), storedAs(r.Context(), a.db.GroupMemberByID, m.ID, memberToJSON).conflict)
	}
	out := moveResultJSON{Member: memberToJSON(moved), Promoted: []memberJSON{}}
	for _, p := range promos {
		out.Promoted = append(out.Promoted, memberToJSON(p.Member))
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// ---- meetings and attendance ----

type meetingJSON struct {
	ID            int64   `json:"id"`
	GroupID       int64   `json:"group_id"`
	Date          date    `json:"date"`
	Start         string  `json:"start"`
	End           string  `json:"end"`
	Hours         float64 `json:"hours"`
	Place         string  `json:"place"`
	Theme         string  `json:"theme"`
	GAIASubmitted date    `json:"gaia_submitted"`
	Version       *int    `json:"version"`
}

func meetingToJSON(m mtvp.Meeting) meetingJSON {
	return meetingJSON{ID: m.ID, GroupID: m.GroupID, Date: dateOf(m.Date), Start: m.Start, End: m.End, Hours: m.Hours(),
		Place: m.Place, Theme: m.Theme, GAIASubmitted: dateOf(m.GAIASubmitted), Version: intPtr(m.Version)}
}

// meetingInput is a new or changed meeting (read-only fields refused).
type meetingInput struct {
	Date          date   `json:"date"`
	Start         string `json:"start"`
	End           string `json:"end"`
	Place         string `json:"place"`
	Theme         string `json:"theme"`
	GAIASubmitted date   `json:"gaia_submitted"`
	Version       *int   `json:"version"`
}

func (j meetingInput) apply(m *mtvp.Meeting, f mtvp.FieldErrors) {
	m.Date = j.Date.check(f, "date")
	m.GAIASubmitted = j.GAIASubmitted.check(f, "gaia_submitted")
	m.Start, m.End, m.Place, m.Theme = j.Start, j.End, j.Place, j.Theme
}

func (a *API) listMeetings(w http.ResponseWriter, r *http.Request) error {
	g, err := a.groupFor(r)
	if err != nil {
		return err
	}
	pg, err := pageParams(r)
	if err != nil {
		return err
	}
	ms, err := a.db.Meetings(r.Context(), g.ID)
	if err != nil {
		return err
	}
	items := make([]meetingJSON, 0, len(ms))
	for _, m := range ms {
		items = append(items, meetingToJSON(m))
	}
	writePage(w, pg, items)
	return nil
}

func (a *API) createMeeting(w http.ResponseWriter, r *http.Request) error {
	g, err := a.groupFor(r)
	if err != nil {
		return err
	}
	if !userOf(r).CanRunGroup(&g) {
		return errForbidden
	}
	var in meetingInput
	if err := decode(r, &in); err != nil {
		return err
	}
	f := mtvp.FieldErrors{}
	m := mtvp.Meeting{GroupID: g.ID}
	in.apply(&m, f)
	if len(f) > 0 {
		return invalid(f)
	}
	if err := a.db.CreateMeeting(r.Context(), actorOf(userOf(r)), &m); err != nil {
		return fieldsAs(err, func(k string) string { return k })
	}
	writeJSON(w, http.StatusCreated, meetingToJSON(m))
	return nil
}

// meetingFor loads {id} and its group if the caller runs the group.
func (a *API) meetingFor(r *http.Request) (mtvp.Meeting, mtvp.Group, error) {
	id, err := pathID(r)
	if err != nil {
		return mtvp.Meeting{}, mtvp.Group{}, err
	}
	m, err := a.db.MeetingByID(r.Context(), id)
	if err != nil {
		return m, mtvp.Group{}, err
	}
	g, err := a.db.GroupByID(r.Context(), m.GroupID)
	if err != nil {
		return m, g, err
	}
	u := userOf(r)
	if !u.CanSeeGroup(&g) {
		return m, g, errNotFound
	}
	if !u.CanRunGroup(&g) {
		return m, g, errForbidden
	}
	return m, g, nil
}

func (a *API) updateMeeting(w http.ResponseWriter, r *http.Request) error {
	m, _, err := a.meetingFor(r)
	if err != nil {
		return err
	}
	in := meetingInput{Date: dateOf(m.Date), Start: m.Start, End: m.End, Place: m.Place, Theme: m.Theme, GAIASubmitted: dateOf(m.GAIASubmitted)}
	version, err := decodeVersioned(r, &in, &in.Version, func(f mtvp.FieldErrors) error {
		in.apply(&m, f)
		return nil
	})
	if err != nil {
		return err
	}
	m.Version = version
	if err := a.db.UpdateMeeting(r.Context(), actorOf(userOf(r)), &m); err != nil {
		return writeFailed(err, asOnWire, storedAs(r.Context(), a.db.MeetingByID, m.ID, meetingToJSON).conflict)
	}
	writeJSON(w, http.StatusOK, meetingToJSON(m))
	return nil
}

type attendanceJSON struct {
	MemberID int64  `json:"member_id"`
	Status   string `json:"status"`
}

type attendanceListJSON struct {
	Attendance []attendanceJSON `json:"attendance"`
}

func (a *API) attendanceOf(r *http.Request, m mtvp.Meeting) (attendanceListJSON, error) {
	all, err := a.db.GroupAttendance(r.Context(), m.GroupID)
	out := attendanceListJSON{Attendance: []attendanceJSON{}}
	for _, x := range all {
		if x.MeetingID == m.ID {
			out.Attendance = append(out.Attendance, attendanceJSON{MemberID: x.MemberID, Status: string(x.Status)})
		}
	}
	return out, err
}

func (a *API) getAttendance(w http.ResponseWriter, r *http.Request) error {
	m, _, err := a.meetingFor(r)
	if err != nil {
		return err
	}
	out, err := a.attendanceOf(r, m)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// putAttendance records present / absent / excused per member; a status ""
// removes a record; members not listed are unchanged. Anyone not in the
// group on the meeting's date: 422 and nothing saved.
func (a *API) putAttendance(w http.ResponseWriter, r *http.Request) error {
	m, _, err := a.meetingFor(r)
	if err != nil {
		return err
	}
	var in attendanceListJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	statuses := map[int64]mtvp.AttendanceStatus{}
	for _, x := range in.Attendance {
		statuses[x.MemberID] = mtvp.AttendanceStatus(strings.TrimSpace(x.Status))
	}
	if err := a.db.SetAttendance(r.Context(), actorOf(userOf(r)), m.ID, statuses); err != nil {
		return fieldsAs(err, func(k string) string {
			return strings.Replace(k, "member.", "attendance.member_id.", 1)
		})
	}
	out, err := a.attendanceOf(r, m)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
