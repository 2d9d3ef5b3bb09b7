package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// ---- group page ----

type memberRow struct {
	mtvp.GroupMember
	Visible  bool // the name may be shown to this user
	CanLeave bool
}

type attendanceCell struct {
	Text     string // translated status, "—" when none, "" when not a member then
	Status   string
	Eligible bool
}

type attendanceRow struct {
	Member mtvp.GroupMember
	Cells  []attendanceCell
}

type meetingRow struct {
	mtvp.Meeting
	Hours string
}

type groupPageData struct {
	Region                       mtvp.Region
	Group                        mtvp.Group
	Base                         string
	DayName                      string
	Members                      []memberRow // current members visible to the user
	Waiting                      []memberRow // waiting list entries visible to the user
	MemberCount                  int
	WaitingCount                 int
	HiddenMembers, HiddenWaiting int
	Free                         int
	Meetings                     []meetingRow
	Grid                         []attendanceRow
	Files                        []mtvp.GroupFile
	CanRun                       bool
	CanReadDocs                  bool // the year plan and report (read-only for member practices)
	CanManage                    bool
	SeeAll                       bool
	CalendarURL                  string
	CalendarFull                 string // with scheme and host, to paste into a calendar program
	// Sign-up by a practice login, or by a region admin for the practice
	// chosen first (SignUpPractices, query praktijk).
	SignUpPractice  mtvp.Practice
	SignUpPractices []option
	SignUpPeople    []option
	SignUpDate      historyField
	// Moving (region admins).
	MoveTargets []option
	// The year plan and report as paragraphs (line breaks kept without CSS).
	PlanParas, ReportParas []string
	LeaveOn                string // the end date a place form offers (leaveDefault)
}

func (s *Server) groupPage(r *http.Request, reg mtvp.Region, g mtvp.Group) (groupPageData, error) {
	ctx := r.Context()
	u := currentUser(r)
	lang := s.lang(r)
	d := groupPageData{Region: reg, Group: g, Base: groupURL(reg, g.ID), CanRun: u.CanRunGroup(&g),
		CanManage: u.CanManageGroups(reg.ID), SeeAll: u.CanSeeAllMembers(&g), LeaveOn: leaveDefault(s.today(), g.Year),
		DayName: i18n.T(lang, "intervision.weekday."+strconv.Itoa(g.Weekday))}
	members, err := s.db.GroupMembers(ctx, g.ID, false)
	if err != nil {
		return d, err
	}
	d.CanReadDocs = u.CanReadYearDocs(&g, mtvp.MemberPractices(members))
	// Practices of the region in one query, for the per-member visibility
	// rule (a practice and its consultant see that practice's people).
	practices := map[int64]*mtvp.Practice{}
	if !d.SeeAll {
		list, err := s.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return d, err
		}
		for i := range list {
			practices[list[i].ID] = &list[i].Practice
		}
	}
	for _, m := range members {
		p := practices[m.PracticeID]
		row := memberRow{GroupMember: m, Visible: d.SeeAll || u.CanSeeGroupMember(&g, p)}
		row.CanLeave = d.CanManage || (p != nil && u.CanSignUp(p))
		if m.Status == mtvp.MemberActive {
			d.MemberCount++
			if row.Visible {
				d.Members = append(d.Members, row)
			} else {
				d.HiddenMembers++
			}
		} else {
			d.WaitingCount++
			if row.Visible {
				d.Waiting = append(d.Waiting, row)
			} else {
				d.HiddenWaiting++
			}
		}
	}
	d.Free = max(0, g.Capacity-d.MemberCount)
	meetings, err := s.db.Meetings(ctx, g.ID)
	if err != nil {
		return d, err
	}
	for _, m := range meetings {
		d.Meetings = append(d.Meetings, meetingRow{Meeting: m, Hours: hoursText(lang, m.Hours())})
	}
	if d.CanRun {
		att, err := s.db.GroupAttendance(ctx, g.ID)
		if err != nil {
			return d, err
		}
		byKey := map[[2]int64]mtvp.AttendanceStatus{}
		for _, a := range att {
			byKey[[2]int64{a.MeetingID, a.MemberID}] = a.Status
		}
		all, err := s.db.GroupMembers(ctx, g.ID, true)
		if err != nil {
			return d, err
		}
		for _, m := range all {
			if m.Status != mtvp.MemberActive {
				continue
			}
			row := attendanceRow{Member: m}
			for _, mt := range meetings {
				c := attendanceCell{Eligible: m.MemberOn(mt.Date)}
				if st, ok := byKey[[2]int64{mt.ID, m.ID}]; ok {
					c.Status, c.Text = string(st), i18n.T(lang, "intervision.attendance."+string(st))
				} else if c.Eligible {
					c.Text = "—"
				}
				row.Cells = append(row.Cells, c)
			}
			d.Grid = append(d.Grid, row)
		}
	}
	if d.CanReadDocs {
		if d.Files, err = s.db.GroupFiles(ctx, g.ID); err != nil {
			return d, err
		}
	}
	d.PlanParas, d.ReportParas = paragraphs(g.YearPlan), paragraphs(g.YearReport)
	tok, err := s.db.GroupCalendarToken(ctx, g.ID)
	if err != nil {
		return d, err
	}
	d.CalendarURL = "/intervisie/agenda/" + tok
	scheme := "http://"
	if s.cfg.SecureCookies || r.TLS != nil {
		scheme = "https://"
	}
	d.CalendarFull = scheme + r.Host + d.CalendarURL
	if d.CanManage {
		others, err := s.db.ListGroups(ctx, mtvp.GroupFilter{RegionID: reg.ID, Year: g.Year})
		if err != nil {
			return d, err
		}
		d.MoveTargets = []option{{Value: "", Label: i18n.T(lang, "intervision.choose_group")}}
		for _, o := range others {
			if o.ID != g.ID {
				d.MoveTargets = append(d.MoveTargets, option{Value: strconv.FormatInt(o.ID, 10),
					Label: i18n.T(lang, "intervision.group_with_free", o.Name, o.Free())})
			}
		}
	}
	// A practice login signs up its own people here; a region admin first
	// chooses the practice.
	d.SignUpDate = s.historyFieldFor(r, reg.ID, g.Year, "signed_up_on", "history.field.signed_up_on",
		"history.hint.signed_up_on", "history.hint.signed_up_on_past", true)
	for _, gr := range u.Grants {
		if gr.Role != mtvp.AccountPractice || gr.RegionID != reg.ID {
			continue
		}
		p, err := s.db.PracticeByID(ctx, gr.PracticeID)
		if err != nil {
			return d, err
		}
		d.SignUpPractice = p
		break
	}
	if d.SignUpPractice.ID == 0 && d.CanManage {
		if err := s.signUpPracticeChoice(r, reg, &d); err != nil {
			return d, err
		}
	}
	if d.SignUpPractice.ID != 0 {
		if d.SignUpPeople, err = s.signUpPeople(r, reg, g, d.SignUpPractice, members); err != nil {
			return d, err
		}
	}
	return d, nil
}

// signUpPracticeChoice lists the region's practices for a region admin
// signing someone up on the group page, and takes the chosen one (query
// praktijk, or the posted practice when the form comes back with errors).
func (s *Server) signUpPracticeChoice(r *http.Request, reg mtvp.Region, d *groupPageData) error {
	chosen := r.URL.Query().Get("praktijk")
	if r.Method == http.MethodPost {
		chosen = r.PostFormValue("practice")
	}
	list, err := s.db.ListPractices(r.Context(), mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return err
	}
	d.SignUpPractices = []option{{Value: "", Label: i18n.T(s.lang(r), "intervision.choose_practice")}}
	for _, p := range list {
		id := strconv.FormatInt(p.ID, 10)
		d.SignUpPractices = append(d.SignUpPractices, option{Value: id, Label: p.Name, Selected: id == chosen})
		if id == chosen {
			d.SignUpPractice = p.Practice
		}
	}
	return nil
}

// ivPersonHint states the rule of the practice's sign-up list: the roles
// the region's groups accept (mixed groups: everyone).
func ivPersonHint(lang string, groups []mtvp.Group, set mtvp.NormSettings) string {
	var roles []string
	for _, r := range set.IntervisionRoles {
		roles = append(roles, strings.ToLower(i18n.T(lang, "role."+string(r))))
	}
	for _, g := range groups {
		if g.Mixed {
			return i18n.T(lang, "intervision.hint.person_mixed", strings.Join(roles, ", "))
		}
	}
	return i18n.T(lang, "intervision.hint.person_roles", strings.Join(roles, ", "))
}

// signUpPeople lists the practice's current staff the group accepts and
// who are not already in it or on its list.
func (s *Server) signUpPeople(r *http.Request, reg mtvp.Region, g mtvp.Group, p mtvp.Practice, members []mtvp.GroupMember) ([]option, error) {
	staff, err := s.db.Staff(r.Context(), p.ID, false)
	if err != nil {
		return nil, err
	}
	in := map[int64]bool{}
	for _, m := range members {
		in[m.PersonID] = true
	}
	lang := s.lang(r)
	out := []option{{Value: "", Label: i18n.T(lang, "intervision.choose_person")}}
	seen := map[int64]bool{}
	for _, st := range staff {
		if in[st.PersonID] || seen[st.PersonID] || !s.offered(st.Membership, g.Year) || !g.AcceptsRole(st.Role, reg.Settings) {
			continue
		}
		seen[st.PersonID] = true
		out = append(out, option{Value: strconv.FormatInt(st.PersonID, 10), Label: st.Person.Name + " (" + i18n.T(lang, "role."+string(st.Role)) + ")"})
	}
	return out, nil
}

// paragraphs splits a text on its line breaks, dropping empty lines.
func paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// hoursText writes a meeting's hours with as few decimals as needed: 2,5.
func hoursText(lang string, h float64) string {
	return i18n.Decimal(lang, math.Round(h*100)/100, -1)
}

func (s *Server) renderGroup(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, g mtvp.Group, errs mtvp.FieldErrors, errKey string) error {
	d, err := s.groupPage(r, reg, g)
	if err != nil {
		return err
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "intervision"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "intervision_group", v)
}

func (s *Server) getGroup(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.groupFor(r)
	if err != nil {
		return err
	}
	return s.renderGroup(w, r, http.StatusOK, reg, g, nil, "")
}

// ---- sign-up, leaving, moving ----

// postSignUp signs a person of the practice up from the group page: a
// place, or the waiting list when the group is full.
func (s *Server) postSignUp(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, g, err := s.groupFor(r)
	if err != nil {
		return err
	}
	practiceID, _ := strconv.ParseInt(r.PostFormValue("practice"), 10, 64)
	p, err := s.db.PracticeByID(ctx, practiceID)
	if err != nil || p.RegionID != reg.ID || !currentUser(r).CanSeePractice(&p) {
		return notFound
	}
	if !currentUser(r).CanSignUp(&p) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not sign up for this practice")
	}
	return s.signUp(w, r, reg, g, p, false)
}

// postPracticeSignUp signs a person up from the practice's intervision
// page, where the group is chosen in the form.
func (s *Server) postPracticeSignUp(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return err
	}
	if !currentUser(r).CanSignUp(&p) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not sign up for this practice")
	}
	groupID, _ := strconv.ParseInt(r.PostFormValue("group"), 10, 64)
	g, err := s.db.GroupByID(r.Context(), groupID)
	if groupID == 0 || err != nil || g.RegionID != reg.ID {
		errs := mtvp.FieldErrors{}
		errs.Add("group", "err.required")
		if r.PostFormValue("person") == "" {
			errs.Add("person", "err.required")
		}
		return s.renderPracticeIntervision(w, r, http.StatusUnprocessableEntity, reg, p, s.today().Year(), errs)
	}
	return s.signUp(w, r, reg, g, p, true)
}

func (s *Server) signUp(w http.ResponseWriter, r *http.Request, reg mtvp.Region, g mtvp.Group, p mtvp.Practice, fromPractice bool) error {
	back := groupURL(reg, g.ID)
	if fromPractice {
		back = practiceURL(reg, p.ID) + "/intervisie?jaar=" + strconv.Itoa(g.Year)
	}
	errs := mtvp.FieldErrors{}
	personID, _ := strconv.ParseInt(r.PostFormValue("person"), 10, 64)
	if personID == 0 {
		errs.Add("person", "err.required")
	}
	on := s.historyDate(r, "signed_up_on", g.RegionID, g.Year, mtvp.SignUpDate, errs)
	if len(errs) == 0 {
		res, err := s.db.SignUp(r.Context(), actorOf(currentUser(r)), g.ID, p.ID, personID, on)
		switch {
		case err == nil:
			if res.Position > 0 {
				s.flash(r, "intervision.flash.waiting")
			} else {
				s.flash(r, "intervision.flash.signed_up")
			}
			http.Redirect(w, r, back, http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
			errs.Add("person", "intervision.err.not_at_practice")
		case !mergeErrors(errs, err):
			return err
		}
	}
	if fromPractice {
		return s.renderPracticeIntervision(w, r, http.StatusUnprocessableEntity, reg, p, g.Year, errs)
	}
	return s.renderGroup(w, r, http.StatusUnprocessableEntity, reg, g, errs, "")
}

// memberFor loads {member} of the group.
func (s *Server) memberFor(r *http.Request, g mtvp.Group) (mtvp.GroupMember, error) {
	id, err := pathID(r, "member")
	if err != nil {
		return mtvp.GroupMember{}, err
	}
	m, err := s.db.GroupMemberByID(r.Context(), id)
	if err != nil {
		return m, err
	}
	if m.GroupID != g.ID {
		return m, notFound
	}
	return m, nil
}

// postLeave ends a place or waiting-list entry: the practice for its own
// people, region admins for anyone. The first waiting person moves up.
func (s *Server) postLeave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, g, err := s.groupFor(r)
	if err != nil {
		return err
	}
	m, err := s.memberFor(r, g)
	if err != nil {
		return err
	}
	u := currentUser(r)
	p, err := s.db.PracticeByID(ctx, m.PracticeID)
	if err != nil {
		return err
	}
	if !u.CanSeeGroupMember(&g, &p) {
		return notFound
	}
	if !u.CanManageGroups(reg.ID) && !u.CanSignUp(&p) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not take this person off")
	}
	errs := mtvp.FieldErrors{}
	on := s.today()
	if v := strings.TrimSpace(r.PostFormValue("left")); v != "" {
		on = formDate(r, "left", errs)
	}
	if len(errs) == 0 {
		promos, err := s.db.LeaveGroup(ctx, actorOf(u), m.ID, on, formVersion(r))
		switch {
		case err == nil:
			if len(promos) > 0 {
				s.flash(r, "intervision.flash.left_promoted")
			} else {
				s.flash(r, "intervision.flash.left")
			}
			back := groupURL(reg, g.ID)
			if r.PostFormValue("from") == "praktijk" {
				back = practiceURL(reg, p.ID) + "/intervisie"
			}
			http.Redirect(w, r, back, http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			return s.renderGroup(w, r, http.StatusConflict, reg, g, nil, "intervision.conflict_member")
		case !mergeErrors(errs, err):
			return err
		}
	}
	// The field carries the member, so the summary links to its date input.
	named := mtvp.FieldErrors{}
	for k, v := range errs {
		named.Add(k+"."+strconv.FormatInt(m.ID, 10), v)
	}
	if r.PostFormValue("from") == "praktijk" {
		return s.renderPracticeIntervision(w, r, http.StatusUnprocessableEntity, reg, p, g.Year, named)
	}
	return s.renderGroup(w, r, http.StatusUnprocessableEntity, reg, g, named, "")
}

// postMove moves a member to another group of the year, with a reason.
func (s *Server) postMove(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.manageGroupFor(r)
	if err != nil {
		return err
	}
	m, err := s.memberFor(r, g)
	if err != nil {
		return err
	}
	errs := mtvp.FieldErrors{}
	to, _ := strconv.ParseInt(r.PostFormValue("to_group"), 10, 64)
	if to == 0 {
		errs.Add("to_group", "err.required")
	}
	reason := strings.TrimSpace(r.PostFormValue("reason." + strconv.FormatInt(m.ID, 10)))
	if reason == "" {
		reason = strings.TrimSpace(r.PostFormValue("reason"))
	}
	if len(errs) == 0 {
		// A target in another region is simply not found for the store.
		if tg, err := s.db.GroupByID(r.Context(), to); err != nil || tg.RegionID != reg.ID {
			errs.Add("to_group", "err.not_found")
		}
	}
	if len(errs) == 0 {
		_, promos, err := s.db.MoveMember(r.Context(), actorOf(currentUser(r)), m.ID, to, s.today(), reason, formVersion(r))
		switch {
		case err == nil:
			if len(promos) > 0 {
				s.flash(r, "intervision.flash.moved_promoted")
			} else {
				s.flash(r, "intervision.flash.moved")
			}
			http.Redirect(w, r, groupURL(reg, g.ID), http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			return s.renderGroup(w, r, http.StatusConflict, reg, g, nil, "intervision.conflict_member")
		case !mergeErrors(errs, err):
			return err
		}
	}
	// Field names carry the member so the summary links to the right form.
	named := mtvp.FieldErrors{}
	for k, v := range errs {
		named.Add(k+"."+strconv.FormatInt(m.ID, 10), v)
	}
	return s.renderGroup(w, r, http.StatusUnprocessableEntity, reg, g, named, "")
}

// ---- practice's own view ----

type practiceIntervisionData struct {
	Region   mtvp.Region
	Practice mtvp.Practice
	Base     string
	Year     int
	Rows     []mtvp.GroupMember
	CanSign  bool
	Groups   []option
	People   []option
	// PersonHint says whom the groups accept (the rule People follows).
	PersonHint string
	LeaveOn    string // the end date a place form offers (leaveDefault)
	// SignUpDate is the real date of a sign-up recorded afterwards.
	SignUpDate historyField
}

func (s *Server) getPracticeIntervision(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return err
	}
	year := s.today().Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("jaar")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	return s.renderPracticeIntervision(w, r, http.StatusOK, reg, p, year, nil)
}

func (s *Server) renderPracticeIntervision(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, p mtvp.Practice, year int, errs mtvp.FieldErrors) error {
	ctx := r.Context()
	lang := s.lang(r)
	u := currentUser(r)
	d := practiceIntervisionData{Region: reg, Practice: p, Base: practiceURL(reg, p.ID), Year: year, CanSign: u.CanSignUp(&p), LeaveOn: leaveDefault(s.today(), year)}
	var err error
	if d.Rows, err = s.db.PracticeGroupMembers(ctx, p.ID, year); err != nil {
		return err
	}
	d.SignUpDate = s.historyFieldFor(r, reg.ID, year, "signed_up_on", "history.field.signed_up_on",
		"history.hint.signed_up_on", "history.hint.signed_up_on_past", true)
	if d.CanSign && !d.SignUpDate.Closed {
		groups, err := s.db.ListGroups(ctx, mtvp.GroupFilter{RegionID: reg.ID, Year: year})
		if err != nil {
			return err
		}
		d.Groups = []option{{Value: "", Label: i18n.T(lang, "intervision.choose_group")}}
		for _, g := range groups {
			label := i18n.T(lang, "intervision.group_with_free", g.Name+" · "+g.Place+" · "+i18n.T(lang, "intervision.weekday."+strconv.Itoa(g.Weekday)), g.Free())
			if g.Free() == 0 {
				label = i18n.T(lang, "intervision.group_full_waiting", g.Name+" · "+g.Place, g.Waiting)
			}
			d.Groups = append(d.Groups, option{Value: strconv.FormatInt(g.ID, 10), Label: label, Selected: r.PostFormValue("group") == strconv.FormatInt(g.ID, 10)})
		}
		staff, err := s.db.Staff(ctx, p.ID, false)
		if err != nil {
			return err
		}
		// Only staff whom at least one group of the year accepts (the
		// hint says which roles); the group's own rule is checked on
		// sign-up.
		plain := make([]mtvp.Group, len(groups))
		for i, g := range groups {
			plain[i] = g.Group
		}
		d.PersonHint = ivPersonHint(lang, plain, reg.Settings)
		d.People = []option{{Value: "", Label: i18n.T(lang, "intervision.choose_person")}}
		seen := map[int64]bool{}
		for _, st := range staff {
			if seen[st.PersonID] || !s.offered(st.Membership, year) || !mtvp.AcceptedByAny(plain, st.Role, reg.Settings) {
				continue
			}
			seen[st.PersonID] = true
			d.People = append(d.People, option{Value: strconv.FormatInt(st.PersonID, 10), Label: st.Person.Name + " (" + i18n.T(lang, "role."+string(st.Role)) + ")",
				Selected: r.PostFormValue("person") == strconv.FormatInt(st.PersonID, 10)})
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = navForPractice(u, p)
	v.Errors = errs
	return s.render(w, r, status, "intervision_practice", v)
}

// leaveDefault is the end date the form to end a place offers: today, or
// for a group of an earlier year the last day of that year (a place ends
// within its programme year).
func leaveDefault(today mtvp.Date, year int) string {
	if today.Year() > year {
		return mtvp.NewDate(year, time.December, 31).String()
	}
	return today.String()
}
