package web

import (
	"net/http"
	"time"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

type accountData struct {
	TOTPEnabled  bool
	RecoveryLeft int
	RegionNames  map[int64]string // the user's regions by id, to name them
	Tokens       []tokenRow
	MustChange   bool // the password was issued by an administrator
}

// tokenRow is one of the user's API tokens on the account page.
type tokenRow struct {
	store.APIToken
	Expired bool
}

// accountData loads what the account page shows besides the form.
func (s *Server) accountData(r *http.Request, u *mtvp.User) (accountData, error) {
	ctx := r.Context()
	cred, err := s.db.CredentialsByUserID(ctx, u.ID)
	if err != nil {
		return accountData{}, err
	}
	left, err := s.db.RecoveryCodesLeft(ctx, u.ID)
	if err != nil {
		return accountData{}, err
	}
	names, err := s.regionNames(r, u)
	if err != nil {
		return accountData{}, err
	}
	tokens, err := s.db.APITokens(ctx, u.ID)
	if err != nil {
		return accountData{}, err
	}
	d := accountData{TOTPEnabled: cred.TOTPEnabled, RecoveryLeft: left, RegionNames: names, MustChange: u.MustChangePassword}
	now := time.Now()
	for _, t := range tokens {
		d.Tokens = append(d.Tokens, tokenRow{APIToken: t, Expired: t.Expired(now)})
	}
	return d, nil
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
	d, err := s.accountData(r, currentUser(r))
	if err != nil {
		return err
	}
	v := s.newView(r, d)
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
	if next != "" && next == current && len(errs) == 0 {
		errs.Add("new", "account.password_same")
	}
	if len(errs) > 0 {
		d, err := s.accountData(r, u)
		if err != nil {
			return err
		}
		v := s.newView(r, d)
		v.Errors = errs
		return s.render(w, r, http.StatusUnprocessableEntity, "account", v)
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	// Every other session of the login ends; this one goes on under the
	// new epoch (with a new token).
	epoch, err := s.db.NewPassword(ctx, actorOf(u), u.ID, hash, store.PasswordChange{})
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessEpoch, epoch)
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

// postRevokeToken revokes one of the signed-in user's API tokens.
func (s *Server) postRevokeToken(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	id, err := pathID(r, "token")
	if err != nil {
		return err
	}
	if err := s.db.DeleteAPIToken(r.Context(), actorOf(u), u.ID, id); err != nil {
		return err
	}
	s.flash(r, "account.token_revoked")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}
