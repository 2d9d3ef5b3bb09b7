package web

import (
	"meertijd/internal/mail"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"meertijd/internal/auth"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Accounts of a region: logins with a grant in it. A region admin manages
// only the grants in its own region; everything that reaches beyond the
// region (name, disabling, password, second factor of a login that also
// works elsewhere; platform admins) is left to a platform admin.

func (s *Server) userRoutes() []route {
	const base = "/regio/{region}/accounts"
	const one = base + "/{user}"
	return []route{
		{"GET " + base, signedIn, s.getUsers},
		{"GET " + base + "/nieuw", signedIn, s.getNewUser},
		{"POST " + base, signedIn, s.postNewUser},
		{"GET " + one + "/bewerken", signedIn, s.getEditUser},
		{"POST " + one, signedIn, s.postEditUser},
		{"POST " + one + "/tweestaps-reset", signedIn, s.postResetTOTP},
		{"POST " + one + "/wachtwoord", signedIn, s.postResetPassword},
	}
}

// Roles a region's accounts page may grant, besides the practice role
// (chosen by picking a practice). Never platform-admin.
var usRegionRoles = []mtvp.AccountRole{mtvp.AccountRegionAdmin, mtvp.AccountConsultant, mtvp.AccountFacilitator, mtvp.AccountFunder}

func usListURL(reg mtvp.Region) string { return admRegionURL(reg) + "/accounts" }

func usUserURL(reg mtvp.Region, id int64) string {
	return usListURL(reg) + "/" + strconv.FormatInt(id, 10)
}

// usGrantsIn returns u's grants in a region.
func usGrantsIn(u *mtvp.User, regionID int64) []mtvp.Grant {
	var out []mtvp.Grant
	for _, g := range u.Grants {
		if g.RegionID == regionID {
			out = append(out, g)
		}
	}
	return out
}

// usOnlyInRegion: every grant of u is in this region (and u is no platform
// admin). Only then may a region admin change what reaches beyond grants.
func usOnlyInRegion(u *mtvp.User, regionID int64) bool {
	for _, g := range u.Grants {
		if g.RegionID != regionID {
			return false
		}
	}
	return true
}

// usMayManageLogin: may the signed-in user change u's name, disabled flag,
// password and second factor from this region's pages?
func usMayManageLogin(me *mtvp.User, u *mtvp.User, regionID int64) bool {
	return me.IsPlatformAdmin() || usOnlyInRegion(u, regionID)
}

// usRegionUser loads {user}: only logins with a grant in this region are
// found; a platform admin's account is not for region admins.
func (s *Server) usRegionUser(r *http.Request, reg mtvp.Region) (mtvp.User, error) {
	id, err := pathID(r, "user")
	if err != nil {
		return mtvp.User{}, err
	}
	u, err := s.db.UserByID(r.Context(), id)
	if err != nil {
		return u, err
	}
	if len(usGrantsIn(&u, reg.ID)) == 0 {
		return u, notFound
	}
	if u.IsPlatformAdmin() && !currentUser(r).IsPlatformAdmin() {
		return u, mtvp.Errorf(mtvp.EFORBIDDEN, "platform admin")
	}
	return u, nil
}

// ---- List ----

type usRow struct {
	User        mtvp.User
	Grants      []string // roles in this region, in words
	Elsewhere   bool     // has grants outside this region
	CanEdit     bool
	LastLoginAt string
}

type usListData struct {
	Region mtvp.Region
	Rows   []usRow
	Base   string
}

func (s *Server) getUsers(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	users, err := s.db.ListUsers(r.Context(), reg.ID)
	if err != nil {
		return err
	}
	lang := s.lang(r)
	me := currentUser(r)
	d := usListData{Region: reg, Base: usListURL(reg)}
	for i := range users {
		u := &users[i]
		row := usRow{User: *u, Elsewhere: !usOnlyInRegion(u, reg.ID), CanEdit: me.IsPlatformAdmin() || !u.IsPlatformAdmin()}
		for _, g := range usGrantsIn(u, reg.ID) {
			row.Grants = append(row.Grants, usGrantText(lang, g))
		}
		d.Rows = append(d.Rows, row)
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "users"
	return s.render(w, r, http.StatusOK, "admin_users", v)
}

func usGrantText(lang string, g mtvp.Grant) string { return mail.GrantText(lang, g) }

// ---- Create and edit ----

// usForm is the account form as typed.
type usForm struct {
	Version   int
	Name      string
	Email     string
	Roles     []string // region roles checked
	Practices []string // practice ids, one per practice grant ("" = none)
	Disabled  bool
}

func usFormOf(u *mtvp.User, regionID int64) usForm {
	f := usForm{Version: u.Version, Name: u.Name, Email: u.Email, Disabled: u.Disabled}
	for _, g := range usGrantsIn(u, regionID) {
		if g.Role == mtvp.AccountPractice {
			f.Practices = append(f.Practices, strconv.FormatInt(g.PracticeID, 10))
		} else {
			f.Roles = append(f.Roles, string(g.Role))
		}
	}
	return f
}

func usReadForm(r *http.Request) usForm {
	f := usForm{
		Version:  formVersion(r),
		Name:     strings.Join(strings.Fields(r.PostFormValue("name")), " "),
		Email:    strings.ToLower(strings.TrimSpace(r.PostFormValue("email"))),
		Roles:    admFormList(r, "roles"),
		Disabled: r.PostFormValue("disabled") != "",
	}
	f.Practices = admFormList(r, "practice")
	return f
}

// grants turns the form into grants in the region; unknown roles and
// practices outside the region are field errors.
func (f usForm) grants(reg mtvp.Region, practices map[int64]string, errs mtvp.FieldErrors) []mtvp.Grant {
	var out []mtvp.Grant
	seen := map[string]bool{}
	for _, ro := range f.Roles {
		role := mtvp.AccountRole(ro)
		ok := false
		for _, x := range usRegionRoles {
			ok = ok || x == role
		}
		if !ok {
			errs.Add("roles", "err.account_role_unknown")
			continue
		}
		if !seen[ro] {
			seen[ro] = true
			out = append(out, mtvp.Grant{Role: role, RegionID: reg.ID})
		}
	}
	for _, p := range f.Practices {
		id, err := strconv.ParseInt(p, 10, 64)
		if _, ok := practices[id]; err != nil || !ok {
			errs.Add("practice", "admin.user.practice_unknown")
			continue
		}
		if !seen["p"+p] {
			seen["p"+p] = true
			out = append(out, mtvp.Grant{Role: mtvp.AccountPractice, RegionID: reg.ID, PracticeID: id})
		}
	}
	if len(out) == 0 {
		errs.Add("roles", "err.grant_required")
	}
	return out
}

type usFormData struct {
	Region       mtvp.Region
	IsNew        bool
	Target       mtvp.User
	Form         usForm
	Roles        []admChoice
	PracticeSels [][]admChoice // one select per practice grant, plus an empty one
	Action       string
	Cancel       string
	ManageLogin  bool // name, disabled, password and second factor editable
	Elsewhere    bool
	IsSelf       bool
	TOTPEnabled  bool
	Invites      bool // a new account is an invitation by e-mail (region admins)
}

// usRegionPractices maps the region's practice ids to "name (AGB)".
func (s *Server) usRegionPractices(r *http.Request, reg mtvp.Region) (map[int64]string, []mtvp.PracticeSummary, error) {
	ps, err := s.db.ListPractices(r.Context(), mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return nil, nil, err
	}
	m := map[int64]string{}
	for _, p := range ps {
		m[p.ID] = p.Name + " (" + p.AGB + ")"
	}
	return m, ps, nil
}

func (s *Server) usRenderForm(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, target *mtvp.User, f usForm, errs mtvp.FieldErrors, errKey string) error {
	lang := s.lang(r)
	_, ps, err := s.usRegionPractices(r, reg)
	if err != nil {
		return err
	}
	me := currentUser(r)
	d := usFormData{Region: reg, IsNew: target == nil, Form: f, Action: usListURL(reg), Cancel: usListURL(reg), ManageLogin: true,
		Invites: target == nil && !me.IsPlatformAdmin()}
	if target != nil {
		d.Target = *target
		d.Action = usUserURL(reg, target.ID)
		d.ManageLogin = usMayManageLogin(me, target, reg.ID)
		d.Elsewhere = !usOnlyInRegion(target, reg.ID)
		d.IsSelf = target.ID == me.ID
		d.TOTPEnabled = target.TOTPEnabled
	}
	for _, ro := range usRegionRoles {
		d.Roles = append(d.Roles, admChoice{Value: string(ro), Label: i18n.T(lang, "account_role."+string(ro)), Selected: admHas(f.Roles, string(ro))})
	}
	sel := func(chosen string) []admChoice {
		out := make([]admChoice, 0, len(ps))
		for _, p := range ps {
			id := strconv.FormatInt(p.ID, 10)
			out = append(out, admChoice{Value: id, Label: p.Name + " (" + p.AGB + ")", Selected: id == chosen})
		}
		return out
	}
	for _, p := range f.Practices {
		d.PracticeSels = append(d.PracticeSels, sel(p))
	}
	if target != nil || len(f.Practices) == 0 {
		d.PracticeSels = append(d.PracticeSels, sel(""))
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "users"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "admin_user_form", v)
}

func (s *Server) getNewUser(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	f := usForm{}
	if ro := r.URL.Query().Get("rol"); ro != "" {
		f.Roles = []string{ro}
	}
	return s.usRenderForm(w, r, http.StatusOK, reg, nil, f, nil, "")
}

// postNewUser: a region admin invites the person with the chosen grants
// (sendInvitation; an address with a login in this region is refused, one
// with a login elsewhere is invited like a new one). A platform admin
// creates the login and sees its first password once, or adds the grants
// to the existing login.
func (s *Server) postNewUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	me := currentUser(r)
	practices, _, err := s.usRegionPractices(r, reg)
	if err != nil {
		return err
	}
	f := usReadForm(r)
	errs := mtvp.FieldErrors{}
	// The first password is shown once to the administrator: one-time.
	u := mtvp.User{Email: f.Email, Name: f.Name, Grants: f.grants(reg, practices, errs), MustChangePassword: true}
	u.Normalize()
	if err := u.Validate(); err != nil {
		for k, v := range mtvp.FieldErrorsOf(err) {
			if strings.HasPrefix(k, "grants") {
				k = "roles"
			}
			errs.Add(k, v)
		}
	}
	fail := func() error { return s.usRenderForm(w, r, http.StatusUnprocessableEntity, reg, nil, f, errs, "") }
	if len(errs) > 0 {
		return fail()
	}
	existing, err := s.db.UserByEmail(ctx, u.Email)
	switch {
	case mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
	case err != nil:
		return err
	case len(usGrantsIn(&existing, reg.ID)) > 0:
		errs.Add("email", "admin.user.email_in_region")
		return fail()
	case !me.IsPlatformAdmin():
		// A login only in another region is not the region admin's to
		// know: the invitation goes out just as for a new address.
	default:
		// A platform admin adds this region's grants to the existing login
		// (an EKC who is also a GP elsewhere); its password stays.
		existing.Grants = append(existing.Grants, u.Grants...)
		if err := s.db.UpdateUser(ctx, actorOf(me), &existing); err != nil {
			if mergeErrors(errs, err) {
				return fail()
			}
			return err
		}
		s.flash(r, "admin.user.grants_added")
		http.Redirect(w, r, usListURL(reg), http.StatusSeeOther)
		return nil
	}
	if !me.IsPlatformAdmin() {
		// A region admin invites: the person chooses a password (or, with a
		// login elsewhere, signs in and accepts), so the answer is the same
		// whether or not the address has a login in another region.
		if !mayInviteAll(me, u.Grants) {
			return mtvp.Errorf(mtvp.EFORBIDDEN, "invitation grants more than the inviter has")
		}
		l := store.Link{Email: u.Email, Name: u.Name, Locale: s.lang(r), Grant: u.Grants[0], More: u.Grants[1:]}
		if err := s.sendInvitation(r, reg, me, l); err != nil {
			return err
		}
		s.flash(r, "invite.sent")
		http.Redirect(w, r, invURL(reg), http.StatusSeeOther)
		return nil
	}
	password := usNewPassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.db.CreateUser(ctx, actorOf(me), &u, hash); err != nil {
		if mergeErrors(errs, err) {
			return fail()
		}
		return err
	}
	return s.usRenderPassword(w, r, reg, u, password, true)
}

func (s *Server) getEditUser(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	u, err := s.usRegionUser(r, reg)
	if err != nil {
		return err
	}
	return s.usRenderForm(w, r, http.StatusOK, reg, &u, usFormOf(&u, reg.ID), nil, "")
}

// postEditUser replaces the user's grants in this region (grants elsewhere
// are kept as they are) and, where allowed, name and disabled.
func (s *Server) postEditUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	stored, err := s.usRegionUser(r, reg)
	if err != nil {
		return err
	}
	me := currentUser(r)
	practices, _, err := s.usRegionPractices(r, reg)
	if err != nil {
		return err
	}
	f := usReadForm(r)
	f.Email = stored.Email
	manage := usMayManageLogin(me, &stored, reg.ID)
	if !manage {
		f.Name, f.Disabled = stored.Name, stored.Disabled
	}
	if f.Version != stored.Version {
		f.Version = stored.Version
		return s.usRenderForm(w, r, http.StatusConflict, reg, &stored, f, nil, "admin.user.conflict")
	}
	errs := mtvp.FieldErrors{}
	here := f.grants(reg, practices, errs)
	u := stored
	u.Name, u.Disabled, u.Version = f.Name, f.Disabled, f.Version
	u.Grants = nil
	for _, g := range stored.Grants {
		if g.RegionID != reg.ID {
			u.Grants = append(u.Grants, g)
		}
	}
	u.Grants = append(u.Grants, here...)
	u.Normalize()
	if u.ID == me.ID {
		if u.Disabled {
			errs.Add("disabled", "admin.user.not_self_disable")
		}
		if !me.IsPlatformAdmin() && !admHas(f.Roles, string(mtvp.AccountRegionAdmin)) {
			errs.Add("roles", "admin.user.keep_own_admin")
		}
	}
	if err := u.Validate(); err != nil {
		for k, v := range mtvp.FieldErrorsOf(err) {
			if strings.HasPrefix(k, "grants") {
				k = "roles"
			}
			errs.Add(k, v)
		}
	}
	if len(errs) > 0 {
		return s.usRenderForm(w, r, http.StatusUnprocessableEntity, reg, &stored, f, errs, "")
	}
	err = s.db.UpdateUser(ctx, actorOf(me), &u)
	switch {
	case err == nil:
	case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
		if cur, lerr := s.db.UserByID(ctx, stored.ID); lerr == nil {
			f.Version = cur.Version
		}
		return s.usRenderForm(w, r, http.StatusConflict, reg, &stored, f, nil, "admin.user.conflict")
	case mergeErrors(errs, err):
		return s.usRenderForm(w, r, http.StatusUnprocessableEntity, reg, &stored, f, errs, "")
	default:
		return err
	}
	s.flash(r, "admin.user.saved")
	http.Redirect(w, r, usListURL(reg), http.StatusSeeOther)
	return nil
}

// usLoginTarget loads {user} for the password and second-factor actions,
// which reach beyond the region: a login that also works elsewhere is left
// to a platform admin.
func (s *Server) usLoginTarget(r *http.Request) (mtvp.Region, mtvp.User, error) {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return reg, mtvp.User{}, err
	}
	u, err := s.usRegionUser(r, reg)
	if err != nil {
		return reg, u, err
	}
	if !usMayManageLogin(currentUser(r), &u, reg.ID) {
		return reg, u, mtvp.Errorf(mtvp.EFORBIDDEN, "login reaches other regions")
	}
	return reg, u, nil
}

// postResetTOTP clears the second factor: the user enrols again at the
// next login.
func (s *Server) postResetTOTP(w http.ResponseWriter, r *http.Request) error {
	reg, u, err := s.usLoginTarget(r)
	if err != nil {
		return err
	}
	// The login's sessions end: whoever holds one must enrol again.
	if err := s.db.ResetTOTP(r.Context(), actorOf(currentUser(r)), u.ID); err != nil {
		return err
	}
	s.flash(r, "admin.user.totp_reset")
	http.Redirect(w, r, usUserURL(reg, u.ID)+"/bewerken", http.StatusSeeOther)
	return nil
}

// postResetPassword sets a new one-time password and shows it once.
func (s *Server) postResetPassword(w http.ResponseWriter, r *http.Request) error {
	reg, u, err := s.usLoginTarget(r)
	if err != nil {
		return err
	}
	password := usNewPassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	// One-time: the user chooses a new one at the next login. Every
	// session and API token of the login stops working.
	if _, err := s.db.NewPassword(r.Context(), actorOf(currentUser(r)), u.ID, hash, store.PasswordChange{Issued: true, RevokeTokens: true}); err != nil {
		return err
	}
	return s.usRenderPassword(w, r, reg, u, password, false)
}

type usPasswordData struct {
	Region   mtvp.Region
	User     mtvp.User
	Password string
	Created  bool
	Base     string
	Roles    []string
}

// usRenderPassword shows a new password once. It is rendered in the POST's
// answer (not stored in the session for a redirect) so the plain password
// is never kept anywhere; the page is not cached (no-store).
func (s *Server) usRenderPassword(w http.ResponseWriter, r *http.Request, reg mtvp.Region, u mtvp.User, password string, created bool) error {
	lang := s.lang(r)
	d := usPasswordData{Region: reg, User: u, Password: password, Created: created, Base: usListURL(reg)}
	for _, g := range usGrantsIn(&u, reg.ID) {
		d.Roles = append(d.Roles, usGrantText(lang, g))
	}
	sort.Strings(d.Roles)
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "users"
	return s.render(w, r, http.StatusOK, "admin_user_password", v)
}

// usNewPassword is a first password, shown once (auth.NewPassword).
func usNewPassword() string { return auth.NewPassword() }
