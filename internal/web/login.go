package web

import (
	"html/template"
	"net"
	"net/http"
	"strings"
	"time"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

const sessNext = "next" // where to go after the second factor

// clientIP is the remote address; behind a proxy the operator terminates
// there, so we do not trust forwarded headers by default.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type loginForm struct {
	Email string
	Next  string
}

func (s *Server) getLogin(w http.ResponseWriter, r *http.Request) error {
	if currentUser(r) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	v := s.newView(r, loginForm{Next: safeNext(r.URL.Query().Get("next"))})
	if r.URL.Query().Has("uitgelogd") {
		v.StatusMsg = "login.logged_out"
	}
	if r.URL.Query().Has("hersteld") {
		v.StatusMsg = "reset.done"
	}
	return s.render(w, r, http.StatusOK, "login", v)
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	password := r.PostFormValue("password")
	form := loginForm{Email: email, Next: safeNext(r.PostFormValue("next"))}
	fail := func(status int, key string) error {
		v := s.newView(r, form)
		v.ErrorKey = key
		return s.render(w, r, status, "login", v)
	}
	now := s.cfg.Now()
	th := auth.DefaultThrottle
	since := now.Add(-th.Window)
	accKey, ipKey := "email:"+email, "ip:"+clientIP(r)
	nAcc, err := s.db.LoginFailures(ctx, accKey, since)
	if err != nil {
		return err
	}
	nIP, err := s.db.LoginFailures(ctx, ipKey, since)
	if err != nil {
		return err
	}
	if th.Blocked(nAcc, nIP) {
		w.Header().Set("Retry-After", th.RetryAfterHeader())
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
		if err := s.db.LoginFailure(ctx, accKey, now); err != nil {
			return err
		}
		if err := s.db.LoginFailure(ctx, ipKey, now); err != nil {
			return err
		}
		return fail(http.StatusUnauthorized, "login.failed")
	}
	if err := s.db.ClearLoginFailures(ctx, accKey); err != nil {
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
	if s.needsSecondFactor(&u, cred) {
		s.sessions.Put(ctx, sessMFADone, false)
		s.sessions.Put(ctx, sessNext, form.Next)
		http.Redirect(w, r, "/inloggen/tweestaps", http.StatusSeeOther)
		return nil
	}
	return s.completeLogin(w, r, u.ID, form.Next)
}

// needsSecondFactor: roles that see many practices must use TOTP; anyone
// who enabled it uses it. Demo mode waives it for demo accounts only.
func (s *Server) needsSecondFactor(u *mtvp.User, cred storeCredentials) bool {
	if s.cfg.Demo && mtvp.IsDemoEmail(u.Email) {
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
	now := s.cfg.Now()
	th := auth.DefaultThrottle
	key := "totp:" + u.Email
	n, err := s.db.LoginFailures(ctx, key, now.Add(-th.Window))
	if err != nil {
		return err
	}
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
	if th.Blocked(n, 0) {
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
	if !ok && cred.TOTPEnabled && len(code) > 6 {
		if ok, err = s.db.UseRecoveryCode(ctx, u.ID, auth.HashRecoveryCode(code)); err != nil {
			return err
		}
	}
	if !ok {
		if err := s.db.LoginFailure(ctx, key, now); err != nil {
			return err
		}
		return fail(http.StatusUnauthorized, "login.code_wrong")
	}
	_ = s.db.ClearLoginFailures(ctx, key)
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
