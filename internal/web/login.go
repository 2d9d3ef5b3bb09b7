package web

import (
	"context"
	"html/template"
	"net/http"
	"strings"
	"time"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

const sessNext = "next" // where to go after the second factor

type loginForm struct {
	Email string
	Next  string
	SSO   []ssoButton // "Inloggen met …" (sso.go)
}

// renderLogin shows the login page with its single sign-on buttons.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, form loginForm, errKey string) error {
	var err error
	if form.SSO, err = s.ssoButtons(r.Context()); err != nil {
		return err
	}
	v := s.newView(r, form)
	v.ErrorKey = errKey
	if r.URL.Query().Has("uitgelogd") {
		v.StatusMsg = "login.logged_out"
	}
	if r.URL.Query().Has("hersteld") {
		v.StatusMsg = "reset.done"
	}
	return s.render(w, r, status, "login", v)
}

func (s *Server) getLogin(w http.ResponseWriter, r *http.Request) error {
	if currentUser(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	return s.renderLogin(w, r, http.StatusOK, loginForm{Next: safeNext(r.URL.Query().Get("next"))}, "")
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	form := loginForm{Email: email, Next: safeNext(r.PostFormValue("next"))}
	fail := func(status int, key string) error { return s.renderLogin(w, r, status, form, key) }
	// Throttling follows the wall clock, never the calendar clock.
	now := time.Now()
	th := auth.DefaultThrottle
	ip := auth.ClientIP(r)
	keys := auth.LoginKeys(email, ip)
	// Reserve the attempt before the password check: parallel attempts
	// queue on the throttle rows and only the allowed ones are checked.
	att, err := s.db.ReserveAttempt(ctx, keys, now, th)
	if err != nil {
		return err
	}
	event := store.AuthEvent{Email: email, IP: ip}
	if att.Wait > 0 {
		if err := s.authEvent(ctx, email, event, store.AuthLoginThrottle); err != nil {
			return err
		}
		w.Header().Set("Retry-After", auth.RetryAfterHeader(att.Wait))
		return fail(http.StatusTooManyRequests, "login.throttled")
	}
	cred, err := s.db.CredentialsByEmail(ctx, email)
	ok, rehash := false, false
	switch {
	case err == nil && cred.PasswordHash != "":
		ok, rehash, err = auth.CheckPassword(cred.PasswordHash, password)
		if err != nil {
			return err
		}
	case err == nil || mtvp.ErrorCode(err) == mtvp.ENOTFOUND:
		auth.DummyCheck(password) // same time as a real check: no user enumeration
	default:
		return err
	}
	var u mtvp.User
	if ok {
		if u, err = s.db.UserByID(ctx, cred.UserID); err != nil {
			return err
		}
		ok = !u.Disabled
	}
	if !ok {
		// The reservation stays: it was a failure.
		if err := s.authEvent(ctx, email, event, store.AuthLoginFailed); err != nil {
			return err
		}
		if th.LockedOut(keys[0], att.Failures[0]) {
			if err := s.authEvent(ctx, email, event, store.AuthLockout); err != nil {
				return err
			}
		}
		return fail(http.StatusUnauthorized, "login.failed")
	}
	if err := s.db.ClearAttempts(ctx, auth.AccountKeys(keys)...); err != nil {
		return err
	}
	if err := s.db.ReleaseAttempt(ctx, auth.IPKeys(keys)...); err != nil {
		return err
	}
	event.UserID = u.ID
	if err := s.db.RecordAuthEvent(ctx, withAction(event, store.AuthLogin)); err != nil {
		return err
	}
	if rehash {
		// Hashing parameters were raised since this hash was made.
		if h, err := auth.HashPassword(password); err == nil {
			if err := s.db.SetPassword(ctx, actorOf(&u), u.ID, h); err != nil {
				return err
			}
		}
	}
	// A new session token at every privilege change prevents fixation.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessEpoch, u.SessionEpoch)
	if s.needsSecondFactor(&u, cred) {
		s.sessions.Put(ctx, sessMFADone, false)
		s.sessions.Put(ctx, sessNext, form.Next)
		http.Redirect(w, r, "/inloggen/tweestaps", http.StatusSeeOther)
		return nil
	}
	return s.completeLogin(w, r, u.ID, form.Next)
}

// needsSecondFactor: roles that see many practices must use TOTP; anyone
// who enabled it uses it. Demo mode waives it for the accounts the demo
// loader made (by id), never for another account on the demo domain.
func (s *Server) needsSecondFactor(u *mtvp.User, cred storeCredentials) bool {
	if s.cfg.Demo && s.cfg.DemoAccounts[u.ID] {
		return false
	}
	return cred.TOTPEnabled || u.NeedsTOTP()
}

func (s *Server) completeLogin(w http.ResponseWriter, r *http.Request, userID int64, next string) error {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessUserID, userID)
	s.sessions.Put(ctx, sessMFADone, true)
	s.sessions.Remove(ctx, sessNext)
	if err := s.db.RecordLogin(ctx, userID, s.cfg.Now()); err != nil {
		return err
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

type secondStepForm struct {
	Enrol       bool
	QRCode      template.URL // data: URI of a PNG we generated ourselves
	Secret      string       // for manual entry
	Recovery    []string
	RecoveryUse bool
}

func (s *Server) getSecondStep(w http.ResponseWriter, r *http.Request) error {
	u := pendingUser(r)
	cred, err := s.db.CredentialsByUserID(r.Context(), u.ID)
	if err != nil {
		return err
	}
	form := secondStepForm{}
	if !cred.TOTPEnabled {
		if form, err = s.enrolmentForm(r, u, cred); err != nil {
			return err
		}
	}
	v := s.newView(r, form)
	return s.render(w, r, http.StatusOK, "second_step", v)
}

// enrolmentForm shows the QR code of the user's pending secret, creating
// one when none is stored yet (a reload keeps the scanned secret valid).
func (s *Server) enrolmentForm(r *http.Request, u *mtvp.User, cred storeCredentials) (secondStepForm, error) {
	var secret string
	if len(cred.TOTPSecret) > 0 {
		plain, err := auth.Decrypt(s.cfg.SecretKey, cred.TOTPSecret)
		if err != nil {
			return secondStepForm{}, err
		}
		secret = string(plain)
	} else {
		var err error
		secret, _, err = auth.NewTOTPSecret("meertijd", u.Email)
		if err != nil {
			return secondStepForm{}, err
		}
		enc, err := auth.Encrypt(s.cfg.SecretKey, []byte(secret))
		if err != nil {
			return secondStepForm{}, err
		}
		if err := s.db.SetTOTP(r.Context(), actorOf(u), u.ID, enc, false, nil); err != nil {
			return secondStepForm{}, err
		}
	}
	qr, err := auth.QRCodeDataURI(auth.TOTPURL("meertijd", u.Email, secret), 220)
	if err != nil {
		return secondStepForm{}, err
	}
	// The data: URI is ours (a PNG we just encoded), so it is safe to mark.
	return secondStepForm{Enrol: true, QRCode: template.URL(qr), Secret: secret}, nil
}

func (s *Server) postSecondStep(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := pendingUser(r)
	cred, err := s.db.CredentialsByUserID(ctx, u.ID)
	if err != nil {
		return err
	}
	now := time.Now()
	th := auth.DefaultThrottle
	keys := auth.TOTPKeys(u.ID)
	event := store.AuthEvent{UserID: u.ID, Email: u.Email, IP: auth.ClientIP(r)}
	form := secondStepForm{}
	if !cred.TOTPEnabled {
		if form, err = s.enrolmentForm(r, u, cred); err != nil {
			return err
		}
	}
	fail := func(status int, msg string) error {
		v := s.newView(r, form)
		v.ErrorKey = msg
		return s.render(w, r, status, "second_step", v)
	}
	att, err := s.db.ReserveAttempt(ctx, keys, now, th)
	if err != nil {
		return err
	}
	if att.Wait > 0 {
		if err := s.db.RecordAuthEvent(ctx, withAction(event, store.AuthLoginThrottle)); err != nil {
			return err
		}
		w.Header().Set("Retry-After", auth.RetryAfterHeader(att.Wait))
		return fail(http.StatusTooManyRequests, "login.throttled")
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	plain, err := auth.Decrypt(s.cfg.SecretKey, cred.TOTPSecret)
	if err != nil {
		return err
	}
	// TOTP steps follow the wall clock of the authenticator app, not the
	// calendar clock.
	step, ok := auth.VerifyTOTP(string(plain), code, time.Now())
	if ok {
		// A code is accepted once: a replayed (or already used) step fails.
		if ok, err = s.db.UseTOTPStep(ctx, u.ID, step); err != nil {
			return err
		}
	}
	recovery := false
	if !ok && cred.TOTPEnabled && len(code) > 6 {
		if ok, err = s.db.UseRecoveryCode(ctx, u.ID, auth.HashRecoveryCode(code)); err != nil {
			return err
		}
		recovery = ok
	}
	if !ok {
		if err := s.db.RecordAuthEvent(ctx, withAction(event, store.AuthSecondFailed)); err != nil {
			return err
		}
		if th.LockedOut(keys[0], att.Failures[0]) {
			if err := s.db.RecordAuthEvent(ctx, withAction(event, store.AuthLockout)); err != nil {
				return err
			}
		}
		return fail(http.StatusUnauthorized, "login.code_wrong")
	}
	if err := s.db.ClearAttempts(ctx, keys...); err != nil {
		return err
	}
	action := store.AuthSecondFactor
	if recovery {
		action = store.AuthRecoveryCode
	}
	if err := s.db.RecordAuthEvent(ctx, withAction(event, action)); err != nil {
		return err
	}
	next := s.sessions.GetString(ctx, sessNext)
	if !cred.TOTPEnabled {
		codes, hashes := auth.NewRecoveryCodes(10)
		if err := s.db.SetTOTP(ctx, actorOf(u), u.ID, cred.TOTPSecret, true, hashes); err != nil {
			return err
		}
		if err := s.sessions.RenewToken(ctx); err != nil {
			return err
		}
		s.sessions.Put(ctx, sessMFADone, true)
		if err := s.db.RecordLogin(ctx, u.ID, now); err != nil {
			return err
		}
		// Shown once; only hashes are stored.
		v := s.newView(r, secondStepForm{Recovery: codes})
		v.User = u
		return s.render(w, r, http.StatusOK, "recovery_codes", v)
	}
	return s.completeLogin(w, r, u.ID, next)
}

func (s *Server) postLogout(w http.ResponseWriter, r *http.Request) error {
	if u, _ := r.Context().Value(userKey).(*mtvp.User); u != nil {
		if err := s.db.RecordAuthEvent(r.Context(), store.AuthEvent{UserID: u.ID, Email: u.Email, IP: auth.ClientIP(r), Action: store.AuthLogout}); err != nil {
			return err
		}
	}
	// Destroy removes the session from the store: the cookie is worthless after.
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/inloggen?uitgelogd=1", http.StatusSeeOther)
	return nil
}

func (s *Server) postLang(w http.ResponseWriter, r *http.Request) error {
	s.sessions.Put(r.Context(), sessLang, map[bool]string{true: "en", false: "nl"}[r.PostFormValue("lang") == "en"])
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

func (s *Server) getHealthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok"))
	return err
}

func (s *Server) getReadyz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	ctx, cancel := contextWithTimeout(r, 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable"))
		return nil
	}
	_, err := w.Write([]byte("ready"))
	return err
}

func actorOf(u *mtvp.User) mtvp.Actor { return mtvp.Actor{UserID: u.ID, Name: u.Name} }

func withAction(e store.AuthEvent, action string) store.AuthEvent {
	e.Action = action
	return e
}

// authEvent records a password attempt for an e-mail address: under its
// login when one has it, else without a region (platform admins see it).
func (s *Server) authEvent(ctx context.Context, email string, e store.AuthEvent, action string) error {
	if e.UserID == 0 {
		switch u, err := s.db.UserByEmail(ctx, email); {
		case err == nil:
			e.UserID = u.ID
		case mtvp.ErrorCode(err) != mtvp.ENOTFOUND:
			return err
		}
	}
	return s.db.RecordAuthEvent(ctx, withAction(e, action))
}
