package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode"
)

// recoveryAlphabet leaves out 0/o, 1/i/l: codes are read off paper and
// typed by hand. 31 symbols × 12 positions ≈ 59 bits per code.
const recoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// RecoveryCodeCount is how many recovery codes a user gets.
const RecoveryCodeCount = 10

// NewRecoveryCodes returns n distinct one-time codes like "k7m2-9xq4-tt3p"
// to show the user once, and their hashes (HashRecoveryCode) to store.
// A plain SHA-256 is enough here, unlike for passwords: the codes are
// random with ~59 bits, far beyond what guessing against a hash can reach.
func NewRecoveryCodes(n int) (codes []string, hashes []string) {
	seen := map[string]bool{}
	for len(codes) < n {
		c := randomCode()
		if seen[c] {
			continue
		}
		seen[c] = true
		codes = append(codes, c)
		hashes = append(hashes, HashRecoveryCode(c))
	}
	return codes, hashes
}

func randomCode() string {
	const n = 12
	var b strings.Builder
	buf := make([]byte, 1)
	for i := 0; b.Len() < n+2; {
		rand.Read(buf) // never fails (crypto/rand panics on failure since Go 1.24)
		// Reject bytes ≥ 248 (8×31) so every symbol is equally likely.
		if buf[0] >= 248 {
			continue
		}
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(recoveryAlphabet[int(buf[0])%len(recoveryAlphabet)])
		i++
	}
	return b.String()
}

// NormalizeRecoveryCode removes what people add or change when typing a
// code: case, spaces and dashes (also the en dash a word processor or
// phone may turn a hyphen into).
func NormalizeRecoveryCode(code string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Pd, r) || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, code)
}

// HashRecoveryCode is the SHA-256 (hex) of the normalised code, the value
// store.UseRecoveryCode looks up.
func HashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte(NormalizeRecoveryCode(code)))
	return hex.EncodeToString(sum[:])
}

// APITokenPrefix marks meertijd API tokens, so a leaked token is
// recognisable (secret scanners, logs) and a wrong kind of credential is
// rejected without a database lookup.
const APITokenPrefix = "mt_"

// NewAPIToken returns a bearer token ("mt_" + 32 random bytes, base64url)
// to show once, and its hash (HashToken) to store. 256 random bits make a
// fast hash safe: only the hash is kept, so a database leak reveals no
// usable token.
func NewAPIToken() (token string, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails
	token = APITokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the SHA-256 (hex) of a token as presented, the value
// store.UserByTokenHash looks up.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// LooksLikeAPIToken reports whether s has the shape NewAPIToken makes, so
// the API can refuse garbage before hashing and querying.
func LooksLikeAPIToken(s string) bool {
	rest, ok := strings.CutPrefix(s, APITokenPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil && len(b) == 32
}
