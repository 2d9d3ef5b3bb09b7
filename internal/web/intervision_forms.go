package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// ivForm is a form as typed: field name → text. Orig holds the values the
// form was opened with (hidden orig_ fields), so a 409 can say what someone
// else changed meanwhile.
type ivForm struct {
	Values  map[string]string
	Version int
}

func (f ivForm) V(name string) string { return f.Values[name] }

func readIVForm(r *http.Request, fields []string) ivForm {
	f := ivForm{Values: map[string]string{}, Version: formVersion(r)}
	for _, k := range fields {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	return f
}

func origFields(f ivForm, fields []string) []hiddenField {
	var out []hiddenField
	for _, k := range fields {
		out = append(out, hiddenField{Name: "orig_" + k, Value: f.Values[k]})
	}
	return out
}

// ivConflict lists the fields someone else changed since the form was
// opened: orig (posted) versus now (stored), with what the user typed.
func ivConflict(r *http.Request, lang, prefix string, fields []string, now, typed ivForm) []conflictRow {
	var out []conflictRow
	for _, k := range fields {
		then := r.PostFormValue("orig_" + k)
		if then == now.Values[k] {
			continue
		}
		dash := func(s string) string {
			if s == "" {
				return "—"
			}
			return s
		}
		out = append(out, conflictRow{Label: i18n.T(lang, prefix+k), Then: dash(then), Now: dash(now.Values[k]), Yours: dash(typed.Values[k])})
	}
	return out
}

// ---- group form (region admins) ----

var groupFields = []string{"name", "facilitator", "place", "weekday", "times", "capacity", "mixed", "year"}

func groupFormOf(g mtvp.Group) ivForm {
	f := ivForm{Values: map[string]string{
		"name": g.Name, "place": g.Place, "times": g.Times, "year": strconv.Itoa(g.Year),
	}, Version: g.Version}
	if g.FacilitatorID != 0 {
		f.Values["facilitator"] = strconv.FormatInt(g.FacilitatorID, 10)
	}
	if g.Weekday != 0 {
		f.Values["weekday"] = strconv.Itoa(g.Weekday)
	}
	if g.Capacity != 0 {
		f.Values["capacity"] = strconv.Itoa(g.Capacity)
	}
	if g.Mixed {
		f.Values["mixed"] = "1"
	}
	return f
}

func applyGroupForm(r *http.Request, f ivForm, g *mtvp.Group, errs mtvp.FieldErrors) {
	g.Name, g.Place, g.Times = f.V("name"), f.V("place"), f.V("times")
	g.FacilitatorID, _ = strconv.ParseInt(f.V("facilitator"), 10, 64)
	g.Weekday, _ = strconv.Atoi(f.V("weekday"))
	g.Capacity = formInt(r, "capacity", errs)
	g.Mixed = f.V("mixed") == "1"
	if g.ID == 0 {
		g.Year = formInt(r, "year", errs)
	}
	g.Normalize()
}

type groupFormData struct {
	Region       mtvp.Region
	Group        mtvp.Group
	Form         ivForm
	IsNew        bool
	Action       string
	Cancel       string
	Facilitators []option
	Days         []option
	Orig         []hiddenField
	Conflict     []conflictRow
}

func (s *Server) renderGroupForm(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, g mtvp.Group, f ivForm, errs mtvp.FieldErrors, errKey string, conflict []conflictRow) error {
	lang := s.lang(r)
	d := groupFormData{Region: reg, Group: g, Form: f, IsNew: g.ID == 0, Conflict: conflict}
	if d.IsNew {
		d.Action, d.Cancel = groupsURL(reg), groupsURL(reg)
	} else {
		d.Action, d.Cancel = groupURL(reg, g.ID), groupURL(reg, g.ID)
		d.Orig = origFields(groupFormOf(g), groupFields)
		if conflict == nil && r.Method == http.MethodPost {
			d.Orig = nil
			for _, k := range groupFields {
				d.Orig = append(d.Orig, hiddenField{Name: "orig_" + k, Value: r.PostFormValue("orig_" + k)})
			}
		}
	}
	facs, err := s.db.Facilitators(r.Context(), reg.ID)
	if err != nil {
		return err
	}
	d.Facilitators = []option{{Value: "", Label: i18n.T(lang, "intervision.choose_facilitator")}}
	for _, u := range facs {
		id := strconv.FormatInt(u.ID, 10)
		d.Facilitators = append(d.Facilitators, option{Value: id, Label: u.Name, Selected: id == f.V("facilitator")})
	}
	day, _ := strconv.Atoi(f.V("weekday"))
	d.Days = weekdayOptions(lang, day, "intervision.choose_day")
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "intervision"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "intervision_group_form", v)
}

func (s *Server) getNewGroup(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	year := s.today().Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("jaar")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	return s.renderGroupForm(w, r, http.StatusOK, reg, mtvp.Group{}, groupFormOf(mtvp.Group{Year: year, Capacity: 8}), nil, "", nil)
}

func (s *Server) postNewGroup(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	f := readIVForm(r, groupFields)
	errs := mtvp.FieldErrors{}
	g := mtvp.Group{RegionID: reg.ID}
	applyGroupForm(r, f, &g, errs)
	mergeErrors(errs, g.Validate())
	if len(errs) == 0 {
		err := s.db.CreateGroup(r.Context(), actorOf(currentUser(r)), &g)
		if err == nil {
			s.flash(r, "intervision.flash.group_created")
			http.Redirect(w, r, groupURL(reg, g.ID), http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(errs, err) {
			return err
		}
	}
	return s.renderGroupForm(w, r, http.StatusUnprocessableEntity, reg, mtvp.Group{}, f, errs, "", nil)
}

func (s *Server) getEditGroup(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.manageGroupFor(r)
	if err != nil {
		return err
	}
	return s.renderGroupForm(w, r, http.StatusOK, reg, g, groupFormOf(g), nil, "", nil)
}

func (s *Server) postEditGroup(w http.ResponseWriter, r *http.Request) error {
	reg, stored, err := s.manageGroupFor(r)
	if err != nil {
		return err
	}
	f := readIVForm(r, groupFields)
	f.Values["year"] = strconv.Itoa(stored.Year)
	errs := mtvp.FieldErrors{}
	g := stored
	applyGroupForm(r, f, &g, errs)
	g.Version = f.Version
	mergeErrors(errs, g.Validate())
	if len(errs) == 0 {
		promos, err := s.db.UpdateGroup(r.Context(), actorOf(currentUser(r)), &g)
		switch {
		case err == nil:
			if len(promos) > 0 {
				s.flash(r, "intervision.flash.saved_promoted")
			} else {
				s.flash(r, "intervision.flash.saved")
			}
			http.Redirect(w, r, groupURL(reg, g.ID), http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			cur, err := s.db.GroupByID(r.Context(), stored.ID)
			if err != nil {
				return err
			}
			rows := ivConflict(r, s.lang(r), "intervision.field.", groupFields, groupFormOf(cur), f)
			f.Version = cur.Version
			return s.renderGroupForm(w, r, http.StatusConflict, reg, cur, f, nil, "intervision.conflict", rows)
		case !mergeErrors(errs, err):
			return err
		}
	}
	return s.renderGroupForm(w, r, http.StatusUnprocessableEntity, reg, stored, f, errs, "", nil)
}

// ---- meetings and attendance (the facilitator) ----

var meetingFields = []string{"date", "start", "end", "place", "theme", "gaia_submitted"}

func meetingFormOf(m mtvp.Meeting) ivForm {
	return ivForm{Values: map[string]string{"date": m.Date.String(), "start": m.Start, "end": m.End, "place": m.Place,
		"theme": m.Theme, "gaia_submitted": m.GAIASubmitted.String()}, Version: m.Version}
}

func applyMeetingForm(r *http.Request, f ivForm, m *mtvp.Meeting, errs mtvp.FieldErrors) {
	m.Date = formDate(r, "date", errs)
	m.Start, m.End, m.Place, m.Theme = f.V("start"), f.V("end"), f.V("place"), f.V("theme")
	m.GAIASubmitted = formDate(r, "gaia_submitted", errs)
	m.Normalize()
}

type attendanceFormRow struct {
	Member  mtvp.GroupMember
	Name    string // form field name
	Options []option
}

type meetingFormData struct {
	Region     mtvp.Region
	Group      mtvp.Group
	Meeting    mtvp.Meeting
	Form       ivForm
	IsNew      bool
	Action     string
	Cancel     string
	Orig       []hiddenField
	Conflict   []conflictRow
	Attendance []attendanceFormRow
	AttAction  string
}

func (s *Server) renderMeetingForm(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, g mtvp.Group, m mtvp.Meeting, f ivForm, errs mtvp.FieldErrors, errKey string, conflict []conflictRow, posted map[int64]string) error {
	lang := s.lang(r)
	base := groupURL(reg, g.ID)
	d := meetingFormData{Region: reg, Group: g, Meeting: m, Form: f, IsNew: m.ID == 0, Cancel: base + "#bijeenkomsten", Conflict: conflict}
	if d.IsNew {
		d.Action = base + "/bijeenkomsten"
	} else {
		d.Action = base + "/bijeenkomsten/" + strconv.FormatInt(m.ID, 10)
		d.AttAction = d.Action + "/aanwezigheid"
		d.Orig = origFields(meetingFormOf(m), meetingFields)
		if r.Method == http.MethodPost && conflict == nil && r.PostForm.Has("orig_date") {
			d.Orig = nil
			for _, k := range meetingFields {
				d.Orig = append(d.Orig, hiddenField{Name: "orig_" + k, Value: r.PostFormValue("orig_" + k)})
			}
		}
		members, err := s.db.GroupMembers(r.Context(), g.ID, true)
		if err != nil {
			return err
		}
		att, err := s.db.GroupAttendance(r.Context(), g.ID)
		if err != nil {
			return err
		}
		cur := map[int64]string{}
		for _, a := range att {
			if a.MeetingID == m.ID {
				cur[a.MemberID] = string(a.Status)
			}
		}
		for _, mb := range members {
			if !mb.MemberOn(m.Date) {
				continue
			}
			sel := cur[mb.ID]
			if posted != nil {
				sel = posted[mb.ID]
			}
			row := attendanceFormRow{Member: mb, Name: "member." + strconv.FormatInt(mb.ID, 10)}
			row.Options = append(row.Options, option{Value: "", Label: i18n.T(lang, "intervision.attendance.none"), Selected: sel == ""})
			for _, st := range mtvp.AttendanceStatuses {
				row.Options = append(row.Options, option{Value: string(st), Label: i18n.T(lang, "intervision.attendance."+string(st)), Selected: sel == string(st)})
			}
			d.Attendance = append(d.Attendance, row)
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "intervision"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "intervision_meeting_form", v)
}

// meetingFor loads {meeting} of the group.
func (s *Server) meetingFor(r *http.Request, g mtvp.Group) (mtvp.Meeting, error) {
	id, err := pathID(r, "meeting")
	if err != nil {
		return mtvp.Meeting{}, err
	}
	m, err := s.db.MeetingByID(r.Context(), id)
	if err != nil {
		return m, err
	}
	if m.GroupID != g.ID {
		return m, notFound
	}
	return m, nil
}

func (s *Server) getNewMeeting(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.runGroupFor(r)
	if err != nil {
		return err
	}
	f := meetingFormOf(mtvp.Meeting{Place: g.Place})
	if t := strings.SplitN(g.Times, "–", 2); len(t) == 2 && len(strings.TrimSpace(t[0])) == 5 {
		f.Values["start"], f.Values["end"] = strings.TrimSpace(t[0]), strings.TrimSpace(t[1])[:min(5, len(strings.TrimSpace(t[1])))]
	}
	return s.renderMeetingForm(w, r, http.StatusOK, reg, g, mtvp.Meeting{}, f, nil, "", nil, nil)
}

func (s *Server) postNewMeeting(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.runGroupFor(r)
	if err != nil {
		return err
	}
	f := readIVForm(r, meetingFields)
	errs := mtvp.FieldErrors{}
	m := mtvp.Meeting{GroupID: g.ID}
	applyMeetingForm(r, f, &m, errs)
	if len(errs) == 0 {
		mergeErrors(errs, mtvp.ValidateMeeting(&m, g))
	}
	if len(errs) == 0 {
		err := s.db.CreateMeeting(r.Context(), actorOf(currentUser(r)), &m)
		if err == nil {
			s.flash(r, "intervision.flash.meeting_created")
			http.Redirect(w, r, groupURL(reg, g.ID)+"/bijeenkomsten/"+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(errs, err) {
			return err
		}
	}
	return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, reg, g, mtvp.Meeting{}, f, errs, "", nil, nil)
}

func (s *Server) getEditMeeting(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.runGroupFor(r)
	if err != nil {
		return err
	}
	m, err := s.meetingFor(r, g)
	if err != nil {
		return err
	}
	return s.renderMeetingForm(w, r, http.StatusOK, reg, g, m, meetingFormOf(m), nil, "", nil, nil)
}

func (s *Server) postEditMeeting(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.runGroupFor(r)
	if err != nil {
		return err
	}
	stored, err := s.meetingFor(r, g)
	if err != nil {
		return err
	}
	f := readIVForm(r, meetingFields)
	errs := mtvp.FieldErrors{}
	m := stored
	applyMeetingForm(r, f, &m, errs)
	m.Version = f.Version
	if len(errs) == 0 {
		mergeErrors(errs, mtvp.ValidateMeeting(&m, g))
	}
	if len(errs) == 0 {
		err := s.db.UpdateMeeting(r.Context(), actorOf(currentUser(r)), &m)
		switch {
		case err == nil:
			s.flash(r, "intervision.flash.meeting_saved")
			http.Redirect(w, r, groupURL(reg, g.ID)+"#bijeenkomsten", http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			cur, err := s.db.MeetingByID(r.Context(), stored.ID)
			if err != nil {
				return err
			}
			rows := ivConflict(r, s.lang(r), "intervision.meeting.", meetingFields, meetingFormOf(cur), f)
			f.Version = cur.Version
			return s.renderMeetingForm(w, r, http.StatusConflict, reg, g, cur, f, nil, "intervision.conflict", rows, nil)
		case !mergeErrors(errs, err):
			return err
		}
	}
	return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, reg, g, stored, f, errs, "", nil, nil)
}

// postAttendance records present / absent / excused for the meeting's
// members (fields member.<id>). Anyone not in the group: refused, nothing
// saved.
func (s *Server) postAttendance(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.runGroupFor(r)
	if err != nil {
		return err
	}
	m, err := s.meetingFor(r, g)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return mtvp.Errorf(mtvp.EINVALID, "err.invalid")
	}
	statuses := map[int64]mtvp.AttendanceStatus{}
	posted := map[int64]string{}
	errs := mtvp.FieldErrors{}
	if r.PostFormValue("all_present") != "" {
		// "Everyone present": every member listed on the form.
		for _, v := range r.PostForm["members"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
				r.PostForm.Set("member."+v, string(mtvp.AttendPresent))
			}
		}
	}
	for k, vs := range r.PostForm {
		rest, ok := strings.CutPrefix(k, "member.")
		if !ok || len(vs) == 0 {
			continue
		}
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil || id <= 0 {
			errs.Add(k, "intervision.err.not_a_member")
			continue
		}
		st := mtvp.AttendanceStatus(strings.TrimSpace(vs[0]))
		statuses[id], posted[id] = st, string(st)
	}
	if len(errs) == 0 {
		err := s.db.SetAttendance(r.Context(), actorOf(currentUser(r)), m.ID, statuses)
		if err == nil {
			s.flash(r, "intervision.flash.attendance_saved")
			http.Redirect(w, r, groupURL(reg, g.ID)+"#aanwezigheid", http.StatusSeeOther)
			return nil
		}
		if !mergeErrors(errs, err) {
			return err
		}
	}
	return s.renderMeetingForm(w, r, http.StatusUnprocessableEntity, reg, g, m, meetingFormOf(m), errs, "", nil, posted)
}

// ---- year plan and report ----

type yearDocsData struct {
	Region mtvp.Region
	Group  mtvp.Group
	Base   string
	Plan   string
	Report string
	Files  []mtvp.GroupFile
}

func (s *Server) renderYearDocs(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, g mtvp.Group, plan, report string, errs mtvp.FieldErrors, errKey string) error {
	files, err := s.db.GroupFiles(r.Context(), g.ID)
	if err != nil {
		return err
	}
	d := yearDocsData{Region: reg, Group: g, Base: groupURL(reg, g.ID), Plan: plan, Report: report, Files: files}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "intervision"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "intervision_year_docs", v)
}

func (s *Server) getYearDocs(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.runGroupFor(r)
	if err != nil {
		return err
	}
	return s.renderYearDocs(w, r, http.StatusOK, reg, g, g.YearPlan, g.YearReport, nil, "")
}

// uploadBodyLimit: two files of at most 10 MiB, the texts and the envelope.
const uploadBodyLimit = 2*mtvp.MaxUploadBytes + 1<<20

// postYearDocs saves the year plan and report texts and any uploaded PDF
// or DOCX. Every file is checked (by content) before anything is written.
func (s *Server) postYearDocs(w http.ResponseWriter, r *http.Request) error {
	reg, g, err := s.runGroupFor(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, uploadBodyLimit)
	errs := mtvp.FieldErrors{}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if strings.Contains(err.Error(), "too large") {
			errs.Add("plan_file", "intervision.err.file_too_large")
			return s.renderYearDocs(w, r, http.StatusRequestEntityTooLarge, reg, g, g.YearPlan, g.YearReport, errs, "")
		}
		if err := r.ParseForm(); err != nil {
			return mtvp.Errorf(mtvp.EINVALID, "err.invalid")
		}
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	if err := checkMultipartText(r); err != nil {
		return err
	}
	plan, report := r.PostFormValue("year_plan"), r.PostFormValue("year_report")
	var files []mtvp.GroupFile
	for field, kind := range map[string]mtvp.DocKind{"plan_file": mtvp.DocYearPlan, "report_file": mtvp.DocYearReport} {
		if r.MultipartForm == nil {
			break // a form without files
		}
		file, hdr, err := r.FormFile(field)
		if err == http.ErrMissingFile {
			continue
		}
		if err != nil {
			errs.Add(field, "intervision.err.file_type")
			continue
		}
		data, err := io.ReadAll(io.LimitReader(file, mtvp.MaxUploadBytes+1))
		file.Close()
		if err != nil {
			return err
		}
		if hdr.Size == 0 && len(data) == 0 {
			continue // an empty file input
		}
		if _, _, err := mtvp.SniffDocument(data); err != nil {
			errs.Add(field, mtvp.FieldErrorsOf(err)["file"])
			continue
		}
		files = append(files, mtvp.GroupFile{GroupID: g.ID, Kind: kind, Name: hdr.Filename, Data: data})
	}
	ng := g
	ng.YearPlan, ng.YearReport = plan, report
	ng.Version = formVersion(r)
	ng.Normalize()
	mergeErrors(errs, ng.Validate())
	if len(errs) > 0 {
		return s.renderYearDocs(w, r, http.StatusUnprocessableEntity, reg, g, plan, report, errs, "")
	}
	a := actorOf(currentUser(r))
	if ng.YearPlan != g.YearPlan || ng.YearReport != g.YearReport || ng.Version != g.Version {
		if _, err := s.db.UpdateGroup(r.Context(), a, &ng); err != nil {
			if mtvp.ErrorCode(err) == mtvp.ECONFLICT {
				cur, err := s.db.GroupByID(r.Context(), g.ID)
				if err != nil {
					return err
				}
				return s.renderYearDocs(w, r, http.StatusConflict, reg, cur, plan, report, nil, "intervision.conflict_docs")
			}
			if mergeErrors(errs, err) {
				return s.renderYearDocs(w, r, http.StatusUnprocessableEntity, reg, g, plan, report, errs, "")
			}
			return err
		}
	}
	for i := range files {
		if err := s.db.SaveGroupFile(r.Context(), a, &files[i]); err != nil {
			return err
		}
	}
	s.flash(r, "intervision.flash.docs_saved")
	http.Redirect(w, r, groupURL(reg, g.ID)+"#jaarstukken", http.StatusSeeOther)
	return nil
}

// getGroupFile serves an uploaded year document as a download, never
// rendered inline: attachment, its checked type, nosniff, a safe name.
func (s *Server) getGroupFile(w http.ResponseWriter, r *http.Request) error {
	_, g, err := s.groupFor(r)
	if err != nil {
		return err
	}
	members, err := s.db.GroupMembers(r.Context(), g.ID, false)
	if err != nil {
		return err
	}
	if !currentUser(r).CanReadYearDocs(&g, mtvp.MemberPractices(members)) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "may not read the year documents")
	}
	kind := mtvp.DocKind(r.PathValue("kind"))
	if !kind.Valid() {
		return notFound
	}
	f, err := s.db.GroupFile(r.Context(), g.ID, kind)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", `attachment; filename="`+f.Name+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(f.Data)))
	_, err = w.Write(f.Data)
	return err
}
