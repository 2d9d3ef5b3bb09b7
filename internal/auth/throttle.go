package auth

import (
	"strconv"
	"strings"
	"time"
)

// Throttle is the policy against password guessing. Every attempt is
// counted under several keys and reserved (counted as a failure) BEFORE the
// password is checked, in one transaction (store.ReserveAttempt), so
// parallel requests cannot all slip past the limit; a good login clears
// the account's keys.
//
// Instead of a hard lock, a key whose failures exceed its free allowance
// must wait after its last failure, twice as long after each further
// failure, up to MaxDelay:
//
//   - account + IP address: the main key, 5 free failures. A person who
//     mistypes does not lock out the colleagues behind the same address
//     (a practice, a hospital NAT), and an attacker gets 5 guesses and then
//     one per minute, two minutes, four…
//   - account (any address): 20 free failures; slows guessing one person's
//     password from many addresses (a botnet).
//   - IP address (any account): 100 free failures; slows one client trying
//     a common password against many accounts (spraying), high enough for
//     a whole practice behind one address.
type Throttle struct {
	FreeAccountIP int           // failures per account+IP before the back-off
	FreeAccount   int           // per account, any IP
	FreeIP        int           // per IP, any account
	BaseDelay     time.Duration // wait after the first failure past the allowance
	MaxDelay      time.Duration // the wait doubles up to this
	Forget        time.Duration // a key whose last failure is older starts again
}

// DefaultThrottle: 5 / 20 / 100 free failures, then 1 minute doubling up to
// 15 minutes; a key is forgotten an hour after its last failure.
var DefaultThrottle = Throttle{FreeAccountIP: 5, FreeAccount: 20, FreeIP: 100,
	BaseDelay: time.Minute, MaxDelay: 15 * time.Minute, Forget: time.Hour}

// Key prefixes of the throttle keys.
const (
	keyAccountIP = "acct-ip:"
	keyAccount   = "acct:"
	keyIP        = "ip:"
	keyTOTP      = "totp:"
)

// LoginKeys are the throttle keys of a password attempt for an e-mail
// address from an IP address, account+IP first.
func LoginKeys(email, ip string) []string {
	email = strings.ToLower(strings.TrimSpace(email))
	return []string{keyAccountIP + email + "|" + ip, keyAccount + email, keyIP + ip}
}

// ResetKeys are the throttle keys of a password-reset request: per address
// (under the account allowance) and per IP.
func ResetKeys(email, ip string) []string {
	email = strings.ToLower(strings.TrimSpace(email))
	return []string{keyAccount + "reset|" + email, keyIP + "reset|" + ip}
}

// SSOKeys are the throttle keys of a single sign-on callback: per IP
// address (under the IP allowance), apart from password attempts.
func SSOKeys(ip string) []string { return []string{keyIP + "sso|" + ip} }

// AccountKeys are the keys a good login clears: the account's own (the IP
// key keeps counting, or spraying could reset it with one known account).
func AccountKeys(keys []string) []string {
	var out []string
	for _, k := range keys {
		if strings.HasPrefix(k, keyAccountIP) || strings.HasPrefix(k, keyAccount) || strings.HasPrefix(k, keyTOTP) {
			out = append(out, k)
		}
	}
	return out
}

// TOTPKeys are the throttle keys of a second-factor attempt of a user.
func TOTPKeys(userID int64) []string {
	return []string{keyTOTP + strconv.FormatInt(userID, 10)}
}

// free is the allowance of a key.
func (t Throttle) free(key string) int {
	switch {
	case strings.HasPrefix(key, keyAccountIP), strings.HasPrefix(key, keyTOTP):
		return t.FreeAccountIP
	case strings.HasPrefix(key, keyAccount):
		return t.FreeAccount
	case strings.HasPrefix(key, keyIP):
		return t.FreeIP
	}
	return t.FreeAccountIP
}

// Delay is how long after its last failure a key with this many failures
// must wait before the next attempt: 0 within the allowance, then
// BaseDelay, 2×, 4×… up to MaxDelay.
func (t Throttle) Delay(key string, failures int) time.Duration {
	over := failures - t.free(key)
	if over < 0 {
		return 0
	}
	d := t.BaseDelay
	for i := 0; i < over && d < t.MaxDelay; i++ {
		d *= 2
	}
	return min(d, t.MaxDelay)
}

// Failures is the count that still holds at now: a key forgotten (last
// failure longer than Forget ago) starts again at 0.
func (t Throttle) Failures(failures int, last, now time.Time) int {
	if t.Forget > 0 && now.Sub(last) >= t.Forget {
		return 0
	}
	return failures
}

// Wait is how much longer a key must wait at now (0: the attempt may go
// ahead). It is what store.ReserveAttempt asks for each key.
func (t Throttle) Wait(key string, failures int, last, now time.Time) time.Duration {
	d := t.Delay(key, t.Failures(failures, last, now))
	if d == 0 {
		// Within the allowance. (A parallel attempt may have stored a
		// last failure a moment after this attempt's now.)
		return 0
	}
	return max(0, last.Add(d).Sub(now))
}

// LockedOut reports whether this failure count puts the key into the
// back-off (the allowance is used up): the moment the audit log records a
// lockout.
func (t Throttle) LockedOut(key string, failures int) bool { return failures == t.free(key) }

// IPKeys are the keys of keys that are not the account's: a good login
// gives their reservation back (store.ReleaseAttempt) instead of clearing
// them.
func IPKeys(keys []string) []string {
	var out []string
	for _, k := range keys {
		if strings.HasPrefix(k, keyIP) {
			out = append(out, k)
		}
	}
	return out
}

// RetryAfterHeader is a wait in whole seconds (rounded up, at least 1), for
// the HTTP Retry-After header of a 429 response.
func RetryAfterHeader(wait time.Duration) string {
	s := int64((wait + time.Second - 1) / time.Second)
	return strconv.FormatInt(max(s, 1), 10)
}
