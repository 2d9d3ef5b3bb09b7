package web

import (
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// staffForm holds what was typed for a person and their membership.
type staffForm struct {
	Name, Email, BIG, KABIZ string
	Role, FTE, From, To     string
	Version                 int // membership
	PersonVersion           int
}

var staffFields = []string{"name", "email", "big", "kabiz", "role", "fte", "from", "to"}

func staffFormOf(lang string, p mtvp.Person, m mtvp.Membership) staffForm {
	f := staffForm{Name: p.Name, Email: p.Email, BIG: p.BIG, KABIZ: p.KABIZ, Role: string(m.Role),
		From: m.From.String(), To: m.To.String(), Version: m.Version, PersonVersion: p.Version}
	if m.ID != 0 {
		f.FTE = i18n.Decimal(lang, m.FTE, 2)
	}
	return f
}

func (f staffForm) value(name string) string {
	switch name {
	case "name":
		return f.Name
	case "email":
		return f.Email
	case "big":
		return f.BIG
	case "kabiz":
		return f.KABIZ
	case "role":
		return f.Role
	case "fte":
		return f.FTE
	case "from":
		return f.From
	case "to":
		return f.To
	}
	return ""
}

func readStaffForm(r *http.Request) staffForm {
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	pv, _ := strconv.Atoi(r.PostFormValue("person_version"))
	return staffForm{Name: g("name"), Email: g("email"), BIG: g("big"), KABIZ: g("kabiz"), Role: g("role"),
		FTE: g("fte"), From: g("from"), To: g("to"), Version: formVersion(r), PersonVersion: pv}
}

// apply copies the form onto a person and membership, collecting parse
// errors; both are normalised.
func (f staffForm) apply(r *http.Request, p *mtvp.Person, m *mtvp.Membership, errs mtvp.FieldErrors) {
	p.Name, p.Email, p.BIG, p.KABIZ = f.Name, f.Email, f.BIG, f.KABIZ
	m.Role = mtvp.StaffRole(f.Role)
	if f.FTE == "" {
		errs.Add("fte", "err.required")
	}
	m.FTE = formFloat(r, "fte", errs)
	m.From = formDate(r, "from", errs)
	m.To = formDate(r, "to", errs)
	p.Normalize()
	m.Normalize()
	if m.Role == "" {
		errs.Add("role", "err.required")
	}
}

type staffFormData struct {
	Region     mtvp.Region
	Practice   mtvp.Practice
	Base       string // the practice page
	Form       staffForm
	IsNew      bool
	Action     string
	EndAction  string
	EndOn      string
	Roles      []option
	Membership mtvp.Membership
	// OtherPractices counts the person's other current practices: their
	// personal details are shared with those (never named here).
	OtherPractices int
	Conflict       []conflictRow
	Orig           []hiddenField
	BIGHint        string // message key
}

// staffPractice loads the practice for a staff change: visible (else 404)
// and the user may edit its staff (else 403).
func (s *Server) staffPractice(r *http.Request) (mtvp.Region, mtvp.Practice, error) {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return reg, p, err
	}
	if !currentUser(r).CanEditStaff(&p) {
		return reg, p, mtvp.Errorf(mtvp.EFORBIDDEN, "may not edit staff")
	}
	return reg, p, nil
}

// staffMembership loads {membership} of the practice with its person. A
// membership of another practice is not found.
func (s *Server) staffMembership(r *http.Request) (mtvp.Region, mtvp.Practice, mtvp.Membership, mtvp.Person, error) {
	var m mtvp.Membership
	var person mtvp.Person
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return reg, p, m, person, err
	}
	id, err := pathID(r, "membership")
	if err != nil {
		return reg, p, m, person, err
	}
	if m, err = s.db.MembershipByID(r.Context(), id); err != nil {
		return reg, p, m, person, err
	}
	if m.PracticeID != p.ID {
		return reg, p, m, person, notFound
	}
	if !currentUser(r).CanEditStaff(&p) {
		return reg, p, m, person, mtvp.Errorf(mtvp.EFORBIDDEN, "may not edit staff")
	}
	person, err = s.db.PersonByID(r.Context(), m.PersonID)
	return reg, p, m, person, err
}

func (s *Server) staffFormData(r *http.Request, reg mtvp.Region, p mtvp.Practice, f staffForm, m mtvp.Membership, person mtvp.Person) (staffFormData, error) {
	lang := s.lang(r)
	base := practiceURL(reg, p.ID)
	d := staffFormData{Region: reg, Practice: p, Base: base, Form: f, IsNew: m.ID == 0, Membership: m}
	d.Roles = []option{{Value: "", Label: i18n.T(lang, "staff.choose_role"), Selected: f.Role == ""}}
	for _, role := range mtvp.StaffRoles {
		d.Roles = append(d.Roles, option{Value: string(role), Label: i18n.T(lang, "role."+string(role)), Selected: string(role) == f.Role})
	}
	d.BIGHint = "staff.hint.big"
	if d.IsNew {
		d.BIGHint = "staff.hint.big_new"
		d.Action = base + "/medewerkers"
		return d, nil
	}
	d.Action = base + "/medewerkers/" + strconv.FormatInt(m.ID, 10)
	d.EndAction = d.Action + "/beeindigen"
	d.EndOn = mtvp.DateOf(s.cfg.Now()).String()
	if !m.To.IsZero() {
		d.EndOn = m.To.String()
	}
	orig := staffFormOf(s.lang(r), person, m)
	for _, k := range staffFields {
		d.Orig = append(d.Orig, hiddenField{Name: "orig_" + k, Value: orig.value(k)})
	}
	all, err := s.db.MembershipsOfPerson(r.Context(), person.ID)
	if err != nil {
		return d, err
	}
	today := mtvp.DateOf(s.cfg.Now())
	others := map[int64]bool{}
	for _, om := range all {
		if om.PracticeID != p.ID && om.ActiveOn(today) {
			others[om.PracticeID] = true
		}
	}
	d.OtherPractices = len(others)
	return d, nil
}

func (s *Server) renderStaffForm(w http.ResponseWriter, r *http.Request, status int, d staffFormData, errs mtvp.FieldErrors, errKey string) error {
	v := s.newView(r, d)
	v.Region = &d.Region
	v.Nav = navForPractice(v.User, d.Practice)
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "staff_form", v)
}

func (s *Server) getNewStaff(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.staffPractice(r)
	if err != nil {
		return err
	}
	f := staffForm{From: mtvp.DateOf(s.cfg.Now()).String()}
	d, err := s.staffFormData(r, reg, p, f, mtvp.Membership{}, mtvp.Person{})
	if err != nil {
		return err
	}
	return s.renderStaffForm(w, r, http.StatusOK, d, nil, "")
}

// postNewStaff adds a person with their membership in one transaction.
// A BIG number already known in the region links that person instead of
// creating a second one.
func (s *Server) postNewStaff(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, p, err := s.staffPractice(r)
	if err != nil {
		return err
	}
	f := readStaffForm(r)
	errs := mtvp.FieldErrors{}
	person := mtvp.Person{RegionID: reg.ID}
	m := mtvp.Membership{PracticeID: p.ID}
	f.apply(r, &person, &m, errs)
	mergeErrors(errs, mtvp.ValidateStaff(&person, &m))
	linked := false
	if len(errs) == 0 {
		if person.BIG != "" {
			_, err := s.db.PersonByBIG(ctx, reg.ID, person.BIG)
			switch {
			case err == nil:
				linked = true
			case mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
				return err
			}
		}
		if err := s.db.AddStaff(ctx, actorOf(currentUser(r)), p.ID, &person, &m); err != nil && !mergeErrors(errs, err) {
			return err
		}
	}
	if len(errs) > 0 {
		d, err := s.staffFormData(r, reg, p, f, mtvp.Membership{}, mtvp.Person{})
		if err != nil {
			return err
		}
		return s.renderStaffForm(w, r, http.StatusUnprocessableEntity, d, errs, "")
	}
	if linked {
		s.flash(r, "staff.added_linked")
	} else {
		s.flash(r, "staff.added")
	}
	http.Redirect(w, r, practiceURL(reg, p.ID)+"#staff", http.StatusSeeOther)
	return nil
}

func (s *Server) getEditStaff(w http.ResponseWriter, r *http.Request) error {
	reg, p, m, person, err := s.staffMembership(r)
	if err != nil {
		return err
	}
	d, err := s.staffFormData(r, reg, p, staffFormOf(s.lang(r), person, m), m, person)
	if err != nil {
		return err
	}
	return s.renderStaffForm(w, r, http.StatusOK, d, nil, "")
}

// postEditStaff changes the person and the membership with one
// UpdateStaff: one transaction checks both versions and every rule (BIG
// number free in the region, no second identical membership), so a refused
// change saves neither.
func (s *Server) postEditStaff(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, p, storedM, storedP, err := s.staffMembership(r)
	if err != nil {
		return err
	}
	f := readStaffForm(r)
	errs := mtvp.FieldErrors{}
	person, m := storedP, storedM
	f.apply(r, &person, &m, errs)
	mergeErrors(errs, mtvp.ValidateStaff(&person, &m))
	if len(errs) == 0 {
		person.Version, m.Version = f.PersonVersion, f.Version
		err := s.db.UpdateStaff(ctx, actorOf(currentUser(r)), &person, &m)
		switch {
		case err == nil:
			s.flash(r, "staff.saved")
			http.Redirect(w, r, practiceURL(reg, p.ID)+"#staff", http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			return s.staffConflict(w, r, reg, p, f, storedM, storedP)
		case !mergeErrors(errs, err):
			return err
		}
	}
	d, err := s.staffFormData(r, reg, p, f, storedM, storedP)
	if err != nil {
		return err
	}
	d.Orig = origFromPost(r, d.Orig)
	return s.renderStaffForm(w, r, http.StatusUnprocessableEntity, d, errs, "")
}

// staffConflict answers a stale version with 409: the form again with the
// user's input, the current versions, and what changed meanwhile.
func (s *Server) staffConflict(w http.ResponseWriter, r *http.Request, reg mtvp.Region, p mtvp.Practice, typed staffForm, m mtvp.Membership, person mtvp.Person) error {
	ctx := r.Context()
	// Reload: the caller's copies may be older than the latest write.
	m, err := s.db.MembershipByID(ctx, m.ID)
	if err != nil {
		return err
	}
	if person, err = s.db.PersonByID(ctx, person.ID); err != nil {
		return err
	}
	d, err := s.staffFormData(r, reg, p, typed, m, person)
	if err != nil {
		return err
	}
	d.Form.Version, d.Form.PersonVersion = m.Version, person.Version
	cur := staffFormOf(s.lang(r), person, m)
	lang := s.lang(r)
	_, hasOrig := r.PostForm["orig_name"]
	for _, k := range staffFields {
		then, now := r.PostFormValue("orig_"+k), cur.value(k)
		if !hasOrig {
			then = typed.value(k)
		}
		if sameStaffValue(k, then, now) {
			continue
		}
		d.Conflict = append(d.Conflict, conflictRow{
			Label: i18n.T(lang, "staff.field."+k),
			Then:  staffFieldText(lang, k, then),
			Now:   staffFieldText(lang, k, now),
			Yours: staffFieldText(lang, k, typed.value(k)),
		})
	}
	return s.renderStaffForm(w, r, http.StatusConflict, d, nil, "staff.conflict")
}

// sameStaffValue compares two form texts of a field; FTE "0,8" equals "0.8".
func sameStaffValue(field, a, b string) bool {
	if field == "fte" {
		x, e1 := strconv.ParseFloat(strings.ReplaceAll(a, ",", "."), 64)
		y, e2 := strconv.ParseFloat(strings.ReplaceAll(b, ",", "."), 64)
		if e1 == nil && e2 == nil {
			return x == y
		}
	}
	return a == b
}

func staffFieldText(lang, field, val string) string {
	if val == "" {
		return "—"
	}
	switch field {
	case "role":
		return tOr(lang, "role."+val, val)
	case "from", "to":
		if d, err := mtvp.ParseDate(val); err == nil {
			return d.Short()
		}
	}
	return val
}

// postEndStaff ends a membership on a date (default today). The person
// stays; their work at other practices is untouched.
func (s *Server) postEndStaff(w http.ResponseWriter, r *http.Request) error {
	reg, p, m, person, err := s.staffMembership(r)
	if err != nil {
		return err
	}
	errs := mtvp.FieldErrors{}
	endOn := strings.TrimSpace(r.PostFormValue("end_on"))
	to := mtvp.DateOf(s.cfg.Now())
	if endOn != "" {
		d, err := mtvp.ParseDate(endOn)
		if err != nil {
			errs.Add("end_on", "err.date_format")
		}
		to = d
	}
	if len(errs) == 0 && to.Before(m.From) {
		errs.Add("end_on", "err.to_before_from")
	}
	version := formVersion(r)
	status, errKey := http.StatusUnprocessableEntity, ""
	if len(errs) == 0 {
		err := s.db.EndMembership(r.Context(), actorOf(currentUser(r)), m.ID, to, version)
		switch {
		case err == nil:
			s.flash(r, "staff.ended")
			http.Redirect(w, r, practiceURL(reg, p.ID)+"#staff", http.StatusSeeOther)
			return nil
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			status, errKey = http.StatusConflict, "staff.conflict_end"
			if m, err = s.db.MembershipByID(r.Context(), m.ID); err != nil {
				return err
			}
		case mtvp.ErrorCode(err) == mtvp.EINVALID:
			for k, v := range mtvp.FieldErrorsOf(err) {
				if k == "to" {
					k = "end_on"
				}
				errs.Add(k, v)
			}
			if len(errs) == 0 {
				errs.Add("end_on", mtvp.ErrorMessage(err))
			}
		default:
			return err
		}
	}
	d, err := s.staffFormData(r, reg, p, staffFormOf(s.lang(r), person, m), m, person)
	if err != nil {
		return err
	}
	if endOn != "" {
		d.EndOn = endOn
	}
	return s.renderStaffForm(w, r, status, d, errs, errKey)
}
