package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/auth"
	"meertijd/internal/i18n"
	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Invitations: a region admin (a platform admin for a new region's first
// programme manager) invites by e-mail with one grant; a practice invites
// accounts for its own practice. The mail's link works once, for seven
// days; the invitee chooses a name and password and, where the role needs
// it, enrols the second factor at once. Only a hash of the token is kept.

func (s *Server) invitationRoutes() []route {
	const base = "/regio/{region}/uitnodigingen"
	return []route{
		{"GET " + base, signedIn, s.getInvitations},
		{"POST " + base, signedIn, s.postInvitation},
		{"POST " + base + "/{link}/opnieuw", signedIn, s.postReinvite},
		{"POST " + base + "/{link}/intrekken", signedIn, s.postRevokeInvitation},
		{"GET /regio/{region}/praktijken/{practice}/uitnodigingen", signedIn, s.getPracticeInvitations},
		{"POST /regio/{region}/praktijken/{practice}/uitnodigingen", signedIn, s.postPracticeInvitation},
		{"GET /uitnodiging/{token}", public, s.getAcceptInvitation},
		{"POST /uitnodiging/{token}", public, s.postAcceptInvitation},
		{"POST /uitnodiging/{token}/aannemen", signedIn, s.postAcceptAsLogin},
	}
}

type invForm struct {
	Name     string
	Email    string
	Locale   string
	Role     string
	Practice string
}

type invRow struct {
	Link  store.Link
	State mtvp.LinkState
	Role  string
	Act   bool // may re-invite or revoke
}

type invData struct {
	Region     mtvp.Region
	Practice   *mtvp.Practice // the practice's own page
	Action     string
	Base       string // for re-invite and revoke
	Form       invForm
	Roles      []admChoice
	Practices  []admChoice
	Rows       []invRow
	Configured bool
}

// invRegionRoles may be given from the region page; practice is chosen by
// picking a practice.
var invRegionRoles = []mtvp.AccountRole{mtvp.AccountRegionAdmin, mtvp.AccountConsultant, mtvp.AccountFacilitator, mtvp.AccountFunder, mtvp.AccountPractice}

func invURL(reg mtvp.Region) string { return admRegionURL(reg) + "/uitnodigingen" }

func invPracticeURL(reg mtvp.Region, p mtvp.Practice) string {
	return admRegionURL(reg) + "/praktijken/" + strconv.FormatInt(p.ID, 10) + "/uitnodigingen"
}

func (s *Server) getInvitations(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	return s.renderInvitations(w, r, http.StatusOK, reg, nil, invForm{Role: string(mtvp.AccountConsultant)}, nil)
}

func (s *Server) getPracticeInvitations(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.invPracticeFor(r)
	if err != nil {
		return err
	}
	return s.renderInvitations(w, r, http.StatusOK, reg, &p, invForm{}, nil)
}

// invPracticeFor loads {practice}; only who may invite for it gets it.
func (s *Server) invPracticeFor(r *http.Request) (mtvp.Region, mtvp.Practice, error) {
	reg, p, err := s.practiceFor(r)
	if err != nil {
		return reg, p, err
	}
	if !mtvp.MayInvite(currentUser(r), mtvp.Grant{Role: mtvp.AccountPractice, RegionID: reg.ID, PracticeID: p.ID}) {
		return reg, p, mtvp.Errorf(mtvp.EFORBIDDEN, "may not invite for this practice")
	}
	return reg, p, nil
}

func (s *Server) renderInvitations(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, p *mtvp.Practice, f invForm, errs mtvp.FieldErrors) error {
	ctx := r.Context()
	lang := s.lang(r)
	me := currentUser(r)
	d := invData{Region: reg, Practice: p, Form: f, Base: invURL(reg), Action: invURL(reg), Configured: s.cfg.MailConfigured}
	var practiceID int64
	if p != nil {
		practiceID = p.ID
		d.Action = invPracticeURL(reg, *p)
	} else {
		for _, ro := range invRegionRoles {
			d.Roles = append(d.Roles, admChoice{Value: string(ro), Label: i18n.T(lang, "account_role."+string(ro)), Selected: f.Role == string(ro)})
		}
		ps, err := s.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return err
		}
		for _, x := range ps {
			id := strconv.FormatInt(x.ID, 10)
			d.Practices = append(d.Practices, admChoice{Value: id, Label: x.Name + " (" + x.AGB + ")", Selected: id == f.Practice})
		}
	}
	links, err := s.db.ListInvitations(ctx, reg.ID, practiceID)
	if err != nil {
		return err
	}
	now := time.Now() // links expire on the security clock
	for _, l := range links {
		row := invRow{Link: l, State: l.StateAt(now), Role: s.invGrantsText(r, lang, l), Act: mayInviteAll(me, l.Grants())}
		d.Rows = append(d.Rows, row)
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "invitations"
	if p != nil {
		v.Nav = "practice-" + strconv.FormatInt(p.ID, 10)
	}
	v.Errors = errs
	return s.render(w, r, status, "invitations", v)
}

func invReadForm(r *http.Request) invForm {
	return invForm{
		Name:     strings.Join(strings.Fields(r.PostFormValue("name")), " "),
		Email:    strings.ToLower(strings.TrimSpace(r.PostFormValue("email"))),
		Locale:   map[bool]string{true: "en", false: "nl"}[r.PostFormValue("locale") == "en"],
		Role:     r.PostFormValue("role"),
		Practice: r.PostFormValue("practice"),
	}
}

func (s *Server) postInvitation(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	f := invReadForm(r)
	errs := mtvp.FieldErrors{}
	g := mtvp.Grant{Role: mtvp.AccountRole(f.Role), RegionID: reg.ID}
	known := false
	for _, ro := range invRegionRoles {
		known = known || ro == g.Role
	}
	if !known {
		errs.Add("role", "err.account_role_unknown")
	}
	if g.Role == mtvp.AccountPractice {
		id, _ := strconv.ParseInt(f.Practice, 10, 64)
		p, err := s.db.PracticeByID(r.Context(), id)
		if err != nil || p.RegionID != reg.ID {
			errs.Add("practice", "admin.user.practice_unknown")
		} else {
			g.PracticeID = p.ID
		}
	}
	return s.invite(w, r, reg, nil, f, g, errs)
}

func (s *Server) postPracticeInvitation(w http.ResponseWriter, r *http.Request) error {
	reg, p, err := s.invPracticeFor(r)
	if err != nil {
		return err
	}
	f := invReadForm(r)
	return s.invite(w, r, reg, &p, f, mtvp.Grant{Role: mtvp.AccountPractice, RegionID: reg.ID, PracticeID: p.ID}, mtvp.FieldErrors{})
}

// invite checks the form and the inviter's right, then stores the link and
// its mail in one transaction.
func (s *Server) invite(w http.ResponseWriter, r *http.Request, reg mtvp.Region, p *mtvp.Practice, f invForm, g mtvp.Grant, errs mtvp.FieldErrors) error {
	ctx := r.Context()
	me := currentUser(r)
	if !mtvp.ValidEmail(f.Email) {
		errs.Add("email", "err.email_format")
	}
	if f.Name == "" {
		errs.Add("name", "err.required")
	}
	if len(errs) == 0 && !mtvp.MayInvite(me, g) {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "invitation grants more than the inviter has")
	}
	if len(errs) == 0 {
		// A login in this region is the inviter's to know (its accounts
		// page lists it); one only in another region is not: the answer is
		// the same as for an address without a login (issue 11), and the
		// invitee learns it when accepting.
		if existing, err := s.db.UserByEmail(ctx, f.Email); err == nil && (me.IsPlatformAdmin() || len(usGrantsIn(&existing, reg.ID)) > 0) {
			errs.Add("email", "invite.has_login")
		} else if err != nil && mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
			return err
		}
	}
	if len(errs) > 0 {
		return s.renderInvitations(w, r, http.StatusUnprocessableEntity, reg, p, f, errs)
	}
	if err := s.sendInvitation(r, reg, me, store.Link{Email: f.Email, Name: f.Name, Locale: f.Locale, Grant: g}); err != nil {
		return err
	}
	s.flash(r, "invite.sent")
	back := invURL(reg)
	if p != nil {
		back = invPracticeURL(reg, *p)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// sendInvitation stores a fresh invitation link (revoking the address's
// open ones in the region) with its mail (mail.SendInvitation).
func (s *Server) sendInvitation(r *http.Request, reg mtvp.Region, me *mtvp.User, l store.Link) error {
	_, _, err := s.mail.SendInvitation(r.Context(), s.db, reg, me, l)
	return err
}

// invGrantsText names every grant of the invitation in lang.
func (s *Server) invGrantsText(r *http.Request, lang string, l store.Link) string {
	return mail.GrantsText(r.Context(), s.db, lang, l)
}

// mayInviteAll: me may invite with every one of grants.
func mayInviteAll(me *mtvp.User, grants []mtvp.Grant) bool {
	for _, g := range grants {
		if !mtvp.MayInvite(me, g) {
			return false
		}
	}
	return len(grants) > 0
}

// invLinkFor loads {link}, an invitation of this region the signed-in user
// could have sent.
func (s *Server) invLinkFor(r *http.Request) (mtvp.Region, store.Link, error) {
	reg, err := s.regionFor(r)
	if err != nil {
		return reg, store.Link{}, err
	}
	id, err := pathID(r, "link")
	if err != nil {
		return reg, store.Link{}, err
	}
	l, err := s.db.LinkByID(r.Context(), id)
	if err != nil || l.Purpose != store.LinkInvite || l.Grant.RegionID != reg.ID {
		return reg, l, notFound
	}
	me := currentUser(r)
	if !mayInviteAll(me, l.Grants()) {
		// Who may not even see the practice (or, for a region-wide
		// invitation, administer the region) learns nothing of the
		// invitation: 404, like an unknown id (issue 17, Access).
		if !s.seesInvitationTarget(r, me, l) {
			return reg, l, notFound
		}
		return reg, l, mtvp.Errorf(mtvp.EFORBIDDEN, "not this invitation")
	}
	return reg, l, nil
}

// seesInvitationTarget: me may see the practice an invitation is for (a
// region-wide one: administer its region).
func (s *Server) seesInvitationTarget(r *http.Request, me *mtvp.User, l store.Link) bool {
	if l.Grant.PracticeID == 0 {
		return me.CanAdminRegion(l.Grant.RegionID)
	}
	p, err := s.db.PracticeByID(r.Context(), l.Grant.PracticeID)
	return err == nil && me.CanSeePractice(&p)
}

// invBack is the page the user manages invitations on.
func invBack(r *http.Request, reg mtvp.Region, l store.Link) string {
	if currentUser(r).CanAdminRegion(reg.ID) || l.Grant.PracticeID == 0 {
		return invURL(reg)
	}
	return admRegionURL(reg) + "/praktijken/" + strconv.FormatInt(l.Grant.PracticeID, 10) + "/uitnodigingen"
}

// postReinvite sends a new link for an invitation that was not accepted;
// the old link stops working.
func (s *Server) postReinvite(w http.ResponseWriter, r *http.Request) error {
	reg, l, err := s.invLinkFor(r)
	if err != nil {
		return err
	}
	if l.StateAt(time.Now()) == mtvp.LinkUsed {
		s.flash(r, "invite.already_used")
	} else {
		if err := s.sendInvitation(r, reg, currentUser(r), store.Link{Email: l.Email, Name: l.Name, Locale: l.Locale, Grant: l.Grant, More: l.More}); err != nil {
			return err
		}
		s.flash(r, "invite.sent")
	}
	http.Redirect(w, r, invBack(r, reg, l), http.StatusSeeOther)
	return nil
}

func (s *Server) postRevokeInvitation(w http.ResponseWriter, r *http.Request) error {
	reg, l, err := s.invLinkFor(r)
	if err != nil {
		return err
	}
	if err := s.db.RevokeLink(r.Context(), actorOf(currentUser(r)), l.ID, time.Now()); err != nil {
		return err
	}
	s.flash(r, "invite.revoked")
	http.Redirect(w, r, invBack(r, reg, l), http.StatusSeeOther)
	return nil
}

// ---- the invitee ----

type acceptData struct {
	Link   store.Link
	Action string
	Name   string
	Role   string
	Region string
	// HasLogin: the address has a login; the invitee signs in with it and
	// accepts (AsLogin: signed in as that login now; Other: signed in as
	// another login).
	HasLogin bool
	AsLogin  bool
	Other    string
	NeedTOTP bool
	LoginURL string
}

// linkGone renders the page of a link that does not work (any more): 410
// for a used, revoked or expired one, 404 for an unknown one.
func (s *Server) linkGone(w http.ResponseWriter, r *http.Request, state mtvp.LinkState, purpose string) error {
	status := http.StatusGone
	if state == "" {
		status = http.StatusNotFound
	}
	v := s.newView(r, map[string]any{"State": string(state), "Purpose": purpose})
	return s.render(w, r, status, "link_gone", v)
}

// openLink loads the link of purpose from {token} and renders the gone page
// when it does not work; ok is false then.
func (s *Server) openLink(w http.ResponseWriter, r *http.Request, purpose string) (store.Link, bool, error) {
	l, err := s.db.LinkByToken(r.Context(), purpose, auth.HashToken(r.PathValue("token")))
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		return l, false, s.linkGone(w, r, "", purpose)
	}
	if err != nil {
		return l, false, err
	}
	if st := l.StateAt(time.Now()); st != mtvp.LinkOpen {
		return l, false, s.linkGone(w, r, st, purpose)
	}
	return l, true, nil
}

func (s *Server) renderAccept(w http.ResponseWriter, r *http.Request, status int, l store.Link, name string, errs mtvp.FieldErrors) error {
	lang := s.lang(r)
	region := ""
	if reg, err := s.db.RegionByID(r.Context(), l.Grant.RegionID); err == nil {
		region = reg.Name
	}
	d := acceptData{Link: l, Action: r.URL.Path, Name: name, Role: s.invGrantsText(r, lang, l), Region: region, NeedTOTP: mtvp.GrantsNeedTOTP(l.Grants())}
	// Whether the address has a login is told to whoever holds the link:
	// the mailbox owner, who may know it.
	if _, err := s.db.UserByEmail(r.Context(), l.Email); err == nil {
		d.HasLogin = true
		d.Action = strings.TrimSuffix(r.URL.Path, "/aannemen") + "/aannemen"
		d.LoginURL = "/inloggen?next=" + url.QueryEscape(strings.TrimSuffix(r.URL.Path, "/aannemen"))
		if me := currentUser(r); me != nil {
			if strings.EqualFold(me.Email, l.Email) {
				d.AsLogin = true
			} else {
				d.Other = me.Email
			}
		}
	} else if mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		return err
	}
	v := s.newView(r, d)
	v.Errors = errs
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.render(w, r, status, "invite_accept", v)
}

func (s *Server) getAcceptInvitation(w http.ResponseWriter, r *http.Request) error {
	l, ok, err := s.openLink(w, r, store.LinkInvite)
	if !ok {
		return err
	}
	return s.renderAccept(w, r, http.StatusOK, l, l.Name, nil)
}

// postAcceptInvitation creates the login and signs it in as far as the
// password goes: a role that needs a second factor enrols it next (the
// login's second step), others land on their home page.
func (s *Server) postAcceptInvitation(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l, ok, err := s.openLink(w, r, store.LinkInvite)
	if !ok {
		return err
	}
	name := strings.Join(strings.Fields(r.PostFormValue("name")), " ")
	password, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	errs := mtvp.FieldErrors{}
	if name == "" {
		errs.Add("name", "err.required")
	}
	if key := auth.ValidatePassword(password); key != "" {
		errs.Add("password", key)
	}
	if password != confirm {
		errs.Add("confirm", "account.confirm_mismatch")
	}
	if len(errs) > 0 {
		return s.renderAccept(w, r, http.StatusUnprocessableEntity, l, name, errs)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u, err := s.db.AcceptInvitation(ctx, auth.HashToken(r.PathValue("token")), time.Now(), name, l.Locale, hash)
	switch {
	case err == nil:
	case mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
		// Used by a second tab or expired meanwhile.
		return s.linkGone(w, r, mtvp.LinkUsed, store.LinkInvite)
	case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
		// The address got a login meanwhile: the page now says to sign in.
		return s.renderAccept(w, r, http.StatusConflict, l, name, nil)
	case mergeErrors(errs, err):
		return s.renderAccept(w, r, http.StatusUnprocessableEntity, l, name, errs)
	default:
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessLang, u.Locale)
	if s.needsSecondFactor(&u, storeCredentials{}) {
		s.sessions.Put(ctx, sessMFADone, false)
		s.sessions.Put(ctx, sessNext, "/")
		http.Redirect(w, r, "/inloggen/tweestaps", http.StatusSeeOther)
		return nil
	}
	return s.completeLogin(w, r, u.ID, "/")
}

// postAcceptAsLogin adds the invitation's grants to the signed-in login
// whose address was invited. A role that needs the second factor, on a
// login without one, enrols it before anything else opens.
func (s *Server) postAcceptAsLogin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l, ok, err := s.openLink(w, r, store.LinkInvite)
	if !ok {
		return err
	}
	me := currentUser(r)
	u, err := s.db.AcceptInvitationAsLogin(ctx, auth.HashToken(r.PathValue("token")), time.Now(), me.ID)
	switch {
	case err == nil:
	case mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
		return s.linkGone(w, r, mtvp.LinkUsed, store.LinkInvite)
	case mtvp.ErrorCode(err) == mtvp.EFORBIDDEN:
		return s.renderAccept(w, r, http.StatusForbidden, l, "", nil)
	default:
		return err
	}
	cred, err := s.db.CredentialsByUserID(ctx, u.ID)
	if err != nil {
		return err
	}
	s.flash(r, "invite.accepted_login")
	if !cred.TOTPEnabled && s.needsSecondFactor(&u, storeCredentials{}) {
		s.sessions.Put(ctx, sessMFADone, false)
		s.sessions.Put(ctx, sessNext, "/")
		http.Redirect(w, r, "/inloggen/tweestaps", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
