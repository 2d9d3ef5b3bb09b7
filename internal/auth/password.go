package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are the argon2id cost parameters. They are written into every
// hash (PHC string format), so changing them later keeps old hashes
// verifiable; CheckPassword then reports needsRehash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams: 64 MiB, 2 passes, 2 lanes. Memory hardness is what makes
// GPU guessing expensive; 2 passes keep one hash at about 70–100 ms on two
// cores (BenchmarkHashPassword), under the 150 ms a login may spend.
// This is above the OWASP minimum for argon2id (19 MiB, t=2, p=1).
var DefaultParams = Params{Memory: 64 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}

// TestParams are cheap parameters for tests only: real argon2id, but a
// hash costs well under a millisecond.
var TestParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

var current atomic.Pointer[Params]

func init() { SetParams(DefaultParams) }

// SetTestParams makes new hashes cheap; call it from a TestMain of a
// package whose tests hash many passwords. Never in production code.
func SetTestParams() { SetParams(TestParams) }

// SetParams sets the parameters of new hashes (and of DummyCheck). It
// panics on parameters argon2 cannot use, a programming error.
func SetParams(p Params) {
	if err := p.valid(); err != nil {
		panic("auth: " + err.Error())
	}
	current.Store(&p)
}

// CurrentParams returns the parameters new hashes are made with.
func CurrentParams() Params { return *current.Load() }

// Bounds for parameters read from a stored hash, so a corrupt or hostile
// hash cannot make one check take gigabytes or minutes.
const (
	maxMemory = 1 << 21 // KiB (2 GiB)
	maxTime   = 64
)

func (p Params) valid() error {
	switch {
	case p.Threads < 1:
		return errors.New("argon2 threads must be at least 1")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return errors.New("argon2 memory out of range")
	case p.Time < 1 || p.Time > maxTime:
		return errors.New("argon2 time out of range")
	case p.SaltLen < 8 || p.SaltLen > 64:
		return errors.New("argon2 salt length out of range")
	case p.KeyLen < 16 || p.KeyLen > 128:
		return errors.New("argon2 key length out of range")
	}
	return nil
}

// ErrInvalidHash is returned for a stored hash that is not an argon2id PHC
// string this package can verify.
var ErrInvalidHash = errors.New("auth: invalid password hash")

// hashSlots bounds how many hashes run at once: each holds Memory KiB, so
// a burst of logins cannot exhaust memory; more in parallel than there are
// CPUs would not finish sooner anyway.
var hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// deriveKey is argon2.IDKey behind the concurrency bound; a variable so a
// test can see which parameters each path uses.
var deriveKey = func(pw, salt []byte, p Params) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(pw, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// normalize maps a password to NFKC so the same password typed on
// different systems (composed or decomposed é, full-width letters) hashes
// the same, as NIST SP 800-63B advises.
func normalize(pw string) []byte { return []byte(norm.NFKC.String(pw)) }

var b64 = base64.RawStdEncoding // PHC strings use unpadded standard base64

// HashPassword returns an argon2id hash of pw in PHC string format,
// $argon2id$v=19$m=65536,t=2,p=2$<salt>$<hash>, with a fresh random salt.
func HashPassword(pw string) (string, error) {
	p := CurrentParams()
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := deriveKey(normalize(pw), salt, p)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches hash, comparing in constant
// time. needsRehash is true when pw matched but the hash was made with
// other parameters than the current ones: the caller should then store
// HashPassword(pw), upgrading hashes as users sign in. err is
// ErrInvalidHash for a malformed hash (a data problem, not a wrong password).
func CheckPassword(hash, pw string) (ok bool, needsRehash bool, err error) {
	p, salt, want, err := parseHash(hash)
	if err != nil {
		return false, false, err
	}
	got := deriveKey(normalize(pw), salt, p)
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, false, nil
	}
	return true, p != CurrentParams(), nil
}

// dummySalt and dummyKey stand in for a stored hash in DummyCheck.
var dummySalt, dummyKey = make([]byte, 64), make([]byte, 128)

// DummyCheck spends the time of a CheckPassword against a current hash and
// reports nothing. Call it when the e-mail address is unknown (or has no
// password yet), so the response time does not tell an attacker which
// addresses have an account.
func DummyCheck(pw string) {
	p := CurrentParams()
	got := deriveKey(normalize(pw), dummySalt[:p.SaltLen], p)
	subtle.ConstantTimeCompare(got, dummyKey[:p.KeyLen])
}

// parseHash reads $argon2id$v=19$m=M,t=T,p=P$salt$key strictly.
func parseHash(s string) (Params, []byte, []byte, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Params{}, nil, nil, ErrInvalidHash
	}
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return Params{}, nil, nil, ErrInvalidHash
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, ok := strings.CutPrefix(kv[i], name)
		if !ok {
			return Params{}, nil, nil, ErrInvalidHash
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return Params{}, nil, nil, ErrInvalidHash
		}
		vals[i] = n
	}
	if vals[2] > 255 {
		return Params{}, nil, nil, ErrInvalidHash
	}
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return Params{}, nil, nil, ErrInvalidHash
	}
	p := Params{Memory: uint32(vals[0]), Time: uint32(vals[1]), Threads: uint8(vals[2]), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	if p.valid() != nil {
		return Params{}, nil, nil, ErrInvalidHash
	}
	return p, salt, key, nil
}

// Password policy, after NIST SP 800-63B: length is what counts, no
// composition rules (they push people to predictable patterns). The upper
// bound keeps hashing input sane while allowing long passphrases.
const (
	PasswordMinChars = 12
	PasswordMaxBytes = 256
)

// ValidatePassword checks a new password against the policy and returns an
// i18n message key, or "" when the password is acceptable:
// err.password_short (fewer than 12 characters), err.password_long (more
// than 256 bytes), err.password_repetitive (one character repeated),
// err.password_common (on the list of common and breached passwords, see
// IsCommonPassword).
// Characters are counted after NFKC normalisation, as they are hashed.
func ValidatePassword(pw string) string {
	if len(pw) > PasswordMaxBytes {
		return "err.password_long"
	}
	n := string(normalize(pw))
	if utf8.RuneCountInString(n) < PasswordMinChars {
		return "err.password_short"
	}
	first, _ := utf8.DecodeRuneInString(n)
	if strings.Trim(n, string(first)) == "" {
		return "err.password_repetitive"
	}
	if IsCommonPassword(pw) {
		return "err.password_common"
	}
	return ""
}
