package web

import (
	"net/http"
	"strings"
	"time"

	"meertijd/internal/auth"
	"meertijd/internal/mail"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Password reset by e-mail. Asking gives the same answer whether or not
// the address has a login, and is throttled per address and per IP. The
// link (one hour, once) sets a new password and nothing else: signing in
// afterwards still asks for the second factor.

func (s *Server) resetRoutes() []route {
	return []route{
		{"GET /wachtwoord-vergeten", public, s.getForgot},
		{"POST /wachtwoord-vergeten", public, s.postForgot},
		{"GET /wachtwoord-herstellen/{token}", public, s.getReset},
		{"POST /wachtwoord-herstellen/{token}", public, s.postReset},
	}
}

// resetThrottle allows three requests per address and ten per IP, then
// one per 15 minutes; a key is forgotten 15 minutes after its last request.
var resetThrottle = auth.Throttle{FreeAccount: 3, FreeIP: 10, BaseDelay: 15 * time.Minute, MaxDelay: 15 * time.Minute, Forget: 15 * time.Minute}

type forgotData struct {
	Email string
	Sent  bool
}

func (s *Server) getForgot(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "password_forgot", s.newView(r, forgotData{}))
}

func (s *Server) postForgot(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	if !mtvp.ValidEmail(email) {
		v := s.newView(r, forgotData{Email: email})
		v.Errors = mtvp.FieldErrors{}
		v.Errors.Add("email", "err.email_format")
		return s.render(w, r, http.StatusUnprocessableEntity, "password_forgot", v)
	}
	now := time.Now()
	// Every request is reserved (counts), whether or not the address exists.
	att, err := s.db.ReserveAttempt(ctx, auth.ResetKeys(email, auth.ClientIP(r)), now, resetThrottle)
	if err != nil {
		return err
	}
	if att.Wait > 0 {
		w.Header().Set("Retry-After", auth.RetryAfterHeader(att.Wait))
		v := s.newView(r, forgotData{Email: email})
		v.ErrorKey = "reset.throttled"
		return s.render(w, r, http.StatusTooManyRequests, "password_forgot", v)
	}
	u, err := s.db.UserByEmail(ctx, email)
	switch {
	case err == nil && !u.Disabled:
		if err := s.sendReset(r, &u, now); err != nil {
			return err
		}
	case err == nil, mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
	default:
		return err
	}
	return s.render(w, r, http.StatusOK, "password_forgot", s.newView(r, forgotData{Email: email, Sent: true}))
}

// sendReset stores a reset link for u with its mail.
func (s *Server) sendReset(r *http.Request, u *mtvp.User, now time.Time) error {
	token, hash := mail.NewLinkToken()
	l := store.Link{Purpose: store.LinkReset, Email: u.Email, Name: u.Name, Locale: u.Locale, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(mtvp.PasswordResetValidity)}
	var region int64
	if ids := u.RegionIDs(); len(ids) == 1 {
		region = ids[0]
	}
	m, err := s.mail.Compose("reset", region, mail.Recipient{Email: u.Email, Name: u.Name, Locale: u.Locale, UserID: u.ID},
		map[string]any{"Link": s.mail.URL("/wachtwoord-herstellen/" + token), "ValidMinutes": int(mtvp.PasswordResetValidity / time.Minute),
			"TOTP": u.TOTPEnabled || u.NeedsTOTP()}, "")
	if err != nil {
		return err
	}
	return s.db.CreateLink(r.Context(), &l, hash, m)
}

func (s *Server) renderReset(w http.ResponseWriter, r *http.Request, status int, errs mtvp.FieldErrors) error {
	v := s.newView(r, map[string]any{"Action": r.URL.Path})
	v.Errors = errs
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.render(w, r, status, "password_reset", v)
}

func (s *Server) getReset(w http.ResponseWriter, r *http.Request) error {
	if _, ok, err := s.openLink(w, r, store.LinkReset); !ok {
		return err
	}
	return s.renderReset(w, r, http.StatusOK, nil)
}

// postReset sets the new password and sends the user to the login page:
// the reset signs nobody in, so the second factor is asked as always.
func (s *Server) postReset(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if _, ok, err := s.openLink(w, r, store.LinkReset); !ok {
		return err
	}
	password, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	errs := mtvp.FieldErrors{}
	if key := auth.ValidatePassword(password); key != "" {
		errs.Add("password", key)
	}
	if password != confirm {
		errs.Add("confirm", "account.confirm_mismatch")
	}
	if len(errs) > 0 {
		return s.renderReset(w, r, http.StatusUnprocessableEntity, errs)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	_, err = s.db.ResetPasswordByLink(ctx, auth.HashToken(r.PathValue("token")), time.Now(), hash)
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		return s.linkGone(w, r, mtvp.LinkUsed, store.LinkReset)
	}
	if err != nil {
		return err
	}
	// The store ended every session of the login and its API tokens in the
	// reset's own transaction (ResetPasswordByLink).
	// Whoever was signed in in this browser is signed out.
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	http.Redirect(w, r, "/inloggen?hersteld=1", http.StatusSeeOther)
	return nil
}
