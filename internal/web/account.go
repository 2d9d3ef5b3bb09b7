package web

import (
	"net/http"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

type accountData struct {
	TOTPEnabled  bool
	RecoveryLeft int
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	cred, err := s.db.CredentialsByUserID(r.Context(), u.ID)
	if err != nil {
		return err
	}
	left, err := s.db.RecoveryCodesLeft(r.Context(), u.ID)
	if err != nil {
		return err
	}
	v := s.newView(r, accountData{TOTPEnabled: cred.TOTPEnabled, RecoveryLeft: left})
	v.Nav = "account"
	return s.render(w, r, http.StatusOK, "account", v)
}

// postPassword changes the signed-in user's password after checking the
// current one.
func (s *Server) postPassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(r)
	cred, err := s.db.CredentialsByUserID(ctx, u.ID)
	if err != nil {
		return err
	}
	errs := mtvp.FieldErrors{}
	current, next, confirm := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	if ok, _, err := auth.CheckPassword(cred.PasswordHash, current); err != nil || !ok {
		errs.Add("current", "account.current_wrong")
	}
	if key := auth.ValidatePassword(next); key != "" {
		errs.Add("new", key)
	}
	if next != confirm {
		errs.Add("confirm", "account.confirm_mismatch")
	}
	if len(errs) > 0 {
		v := s.newView(r, accountData{TOTPEnabled: cred.TOTPEnabled})
		v.Errors = errs
		return s.render(w, r, http.StatusUnprocessableEntity, "account", v)
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	if err := s.db.SetPassword(ctx, actorOf(u), u.ID, hash); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.flash(r, "account.password_changed")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// postEnableTOTP lets a login whose role does not demand a second factor
// (a practice, a facilitator) switch it on: the session goes back to the
// second step, which enrols, and every later login asks for a code.
func (s *Server) postEnableTOTP(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cred, err := s.db.CredentialsByUserID(ctx, currentUser(r).ID)
	if err != nil {
		return err
	}
	if cred.TOTPEnabled {
		http.Redirect(w, r, "/account", http.StatusSeeOther)
		return nil
	}
	s.sessions.Put(ctx, sessMFADone, false)
	s.sessions.Put(ctx, sessNext, "/account")
	http.Redirect(w, r, "/inloggen/tweestaps", http.StatusSeeOther)
	return nil
}
