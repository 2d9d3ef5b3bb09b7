package auth

import (
	"strconv"
	"time"
)

// Throttle is the policy against password guessing: failed logins are
// counted per key over a sliding window, and further attempts are refused
// while a count is at its limit. Both keys are needed:
//
//   - per account (e-mail): stops guessing one person's password from many
//     addresses (a botnet), which a per-IP limit never sees;
//   - per IP address: stops one client trying a common password against
//     many accounts ("password spraying"), which stays under every
//     per-account limit.
//
// The per-IP limit is higher because a practice or hospital often puts
// all its staff behind one address. The window is short: a per-account
// limit also lets anyone lock a victim out, so the lockout must pass by
// itself (and a good login clears the account's count).
type Throttle struct {
	Window        time.Duration
	MaxPerAccount int // 0: no per-account limit
	MaxPerIP      int // 0: no per-IP limit
}

// DefaultThrottle: 5 failures per e-mail address and 20 per IP address in
// 15 minutes.
var DefaultThrottle = Throttle{Window: 15 * time.Minute, MaxPerAccount: 5, MaxPerIP: 20}

// Blocked reports whether a new attempt must be refused, given the failures
// counted within the window (store.LoginFailures since now-Window) for the
// account and for the IP address. Check before verifying the password, so
// a blocked attempt learns nothing and costs no hashing.
func (t Throttle) Blocked(failuresAccount, failuresIP int) bool {
	return (t.MaxPerAccount > 0 && failuresAccount >= t.MaxPerAccount) ||
		(t.MaxPerIP > 0 && failuresIP >= t.MaxPerIP)
}

// Since is the start of the window ending at now: count failures from here.
func (t Throttle) Since(now time.Time) time.Time { return now.Add(-t.Window) }

// RetryAfter is how long a blocked client should wait at most: the store
// only counts failures, so the oldest one leaves the window within one
// Window from now.
func (t Throttle) RetryAfter() time.Duration { return t.Window }

// RetryAfterHeader is RetryAfter in whole seconds (rounded up), for the
// HTTP Retry-After header of a 429 response.
func (t Throttle) RetryAfterHeader() string {
	return strconv.FormatInt(int64((t.Window+time.Second-1)/time.Second), 10)
}
