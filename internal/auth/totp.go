package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// TOTP as every authenticator app expects by default (RFC 6238): HMAC-SHA1,
// 6 digits, 30-second steps. Other choices make some apps show wrong codes.
const (
	TOTPPeriod = 30
	TOTPDigits = 6
	// TOTPSkew is how many steps before and after now are accepted, for
	// clocks that drift and codes typed just as they change.
	TOTPSkew = 1
	// totpSecretBytes: 160 bits, the HMAC-SHA1 key size RFC 4226 advises.
	totpSecretBytes = 20
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

var hotpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPSecret creates a random TOTP secret (base32, as shown for manual
// entry) and its otpauth:// URL for the QR code. Store the secret only
// encrypted (Encrypt) and enable it only after the user typed a valid code.
func NewTOTPSecret(issuer, account string) (secret string, otpauthURL string, err error) {
	if issuer == "" || account == "" {
		return "", "", errors.New("auth: TOTP issuer and account are required")
	}
	b := make([]byte, totpSecretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: TOTP secret: %w", err)
	}
	secret = b32.EncodeToString(b)
	return secret, TOTPURL(issuer, account, secret), nil
}

// TOTPURL is the Key URI of an existing secret,
// otpauth://totp/Issuer:account?algorithm=SHA1&digits=6&issuer=Issuer&period=30&secret=...,
// for showing the QR code again during enrolment.
func TOTPURL(issuer, account, secret string) string {
	q := []string{
		"algorithm=SHA1",
		"digits=" + strconv.Itoa(TOTPDigits),
		"issuer=" + url.PathEscape(issuer), // %20, not +: some apps show a literal +
		"period=" + strconv.Itoa(TOTPPeriod),
		"secret=" + url.PathEscape(secret),
	}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: strings.Join(q, "&")}
	return u.String()
}

// TOTPStep is the RFC 6238 time step of t.
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// TOTPCode returns the code of secret at time t (for tests and tools; the
// login verifies with VerifyTOTP).
func TOTPCode(secret string, t time.Time) (string, error) {
	return hotp.GenerateCodeCustom(secret, uint64(TOTPStep(t)), hotpOpts)
}

// VerifyTOTP checks a code typed by the user against secret at time now,
// accepting one step of skew either way; spaces in the code ("123 456")
// are ignored. On success it returns the matched time step: the caller
// must record it with store.UseTOTPStep and refuse the login when that
// step (or a later one) was used before, so an observed code cannot be
// replayed within its validity.
func VerifyTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.Join(strings.Fields(code), "")
	if len(code) != TOTPDigits || strings.Trim(code, "0123456789") != "" {
		return 0, false
	}
	cur := TOTPStep(now)
	// Current step first, so a code valid now is recorded as now.
	for _, s := range []int64{cur, cur - TOTPSkew, cur + TOTPSkew} {
		if s < 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(s), hotpOpts)
		if err != nil {
			return 0, false // not a base32 secret
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}
