package web

import (
	"net/http"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

type accountData struct {
	TOTPEnabled  bool
	RecoveryLeft int
	RegionNames  map[int64]string // the user's regions by id, to name them
}

// regionNames names the regions of the user's grants.
func (s *Server) regionNames(r *http.Request, u *mtvp.User) (map[int64]string, error) {
	out := map[int64]string{}
	for _, id := range u.RegionIDs() {
		reg, err := s.db.RegionByID(r.Context(), id)
		if err != nil {
			return nil, err
		}
		out[id] = reg.Name
	}
	return out, nil
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
	names, err := s.regionNames(r, u)
	if err != nil {
		return err
	}
	v := s.newView(r, accountData{TOTPEnabled: cred.TOTPEnabled, RecoveryLeft: left, RegionNames: names})
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
		names, err := s.regionNames(r, u)
		if err != nil {
			return err
		}
		v := s.newView(r, accountData{TOTPEnabled: cred.TOTPEnabled, RegionNames: names})
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
