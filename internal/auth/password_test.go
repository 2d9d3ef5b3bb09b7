package auth

import (
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"

	"meertijd/internal/i18n"
)

var phc = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPasswordFormatAndCheck(t *testing.T) {
	const pw = "correct paard batterij niet"
	h1, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	m := phc.FindStringSubmatch(h1)
	if m == nil {
		t.Fatalf("not a PHC argon2id string: %q", h1)
	}
	if m[1] != "64" || m[2] != "1" || m[3] != "1" {
		t.Errorf("params in hash %v, want the test params", m[1:])
	}
	h2, _ := HashPassword(pw)
	if h1 == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
	for _, h := range []string{h1, h2} {
		ok, rehash, err := CheckPassword(h, pw)
		if err != nil || !ok || rehash {
			t.Errorf("CheckPassword(right) = %v, %v, %v", ok, rehash, err)
		}
	}
	for _, wrong := range []string{"", "correct paard batterij nie", "Correct paard batterij niet", pw + " "} {
		if ok, rehash, err := CheckPassword(h1, wrong); ok || rehash || err != nil {
			t.Errorf("CheckPassword(%q) = %v, %v, %v", wrong, ok, rehash, err)
		}
	}
}

// Hashes made by the reference implementation (Debian's argon2 CLI, from
// the PHC winner's repository) verify, so our format and parameters are
// the standard ones and hashes move between implementations.
func TestCheckPasswordReferenceVectors(t *testing.T) {
	for _, c := range []struct{ hash, pw string }{
		// echo -n "correct horse battery staple" | argon2 saltsaltsalt1234 -id -m 16 -t 2 -p 2 -l 32 -e
		{"$argon2id$v=19$m=65536,t=2,p=2$c2FsdHNhbHRzYWx0MTIzNA$L0MReRHM1/PvGhiWQeydwf0atYg8M2pftSr8xURxTEQ", "correct horse battery staple"},
		// echo -n wachtwoord | argon2 0123456789abcdef -id -m 10 -t 3 -p 1 -l 32 -e
		{"$argon2id$v=19$m=1024,t=3,p=1$MDEyMzQ1Njc4OWFiY2RlZg$XlPzJiNpZwfD6dPSxZYY7X3bHmyzxk4wSJNmbtxhg70", "wachtwoord"},
	} {
		ok, _, err := CheckPassword(c.hash, c.pw)
		if err != nil || !ok {
			t.Errorf("reference hash of %q: ok=%v err=%v", c.pw, ok, err)
		}
		if ok, _, _ := CheckPassword(c.hash, c.pw+"x"); ok {
			t.Errorf("reference hash accepts a wrong password")
		}
	}
}

func TestDefaultParams(t *testing.T) {
	withParams(t, DefaultParams)
	h, err := HashPassword("een lang wachtwoord voor de test")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=2$") {
		t.Fatalf("hash %q", h)
	}
	if ok, rehash, err := CheckPassword(h, "een lang wachtwoord voor de test"); !ok || rehash || err != nil {
		t.Fatalf("CheckPassword = %v, %v, %v", ok, rehash, err)
	}
}

func TestNeedsRehashWhenParamsChange(t *testing.T) {
	old, _ := HashPassword("wachtwoord van vroeger")
	withParams(t, Params{Memory: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32})
	ok, rehash, err := CheckPassword(old, "wachtwoord van vroeger")
	if !ok || !rehash || err != nil {
		t.Fatalf("old hash: ok=%v rehash=%v err=%v; want ok and rehash", ok, rehash, err)
	}
	if ok, rehash, _ := CheckPassword(old, "fout wachtwoord"); ok || rehash {
		t.Fatal("a wrong password must not ask for a rehash")
	}
	fresh, _ := HashPassword("wachtwoord van vroeger")
	if _, rehash, _ := CheckPassword(fresh, "wachtwoord van vroeger"); rehash {
		t.Fatal("a current hash asks for a rehash")
	}
}

// The same password typed as composed or decomposed characters (macOS vs
// Windows keyboards) must match.
func TestPasswordUnicodeNormalization(t *testing.T) {
	composed := "cr\u00e8me br\u00fbl\u00e9e zonder suiker"
	decomposed := "cre\u0300me bru\u0302le\u0301e zonder suiker"
	h, _ := HashPassword(composed)
	if ok, _, _ := CheckPassword(h, decomposed); !ok {
		t.Fatal("decomposed form of the password rejected")
	}
	if ok, _, _ := CheckPassword(h, "creme brulee zonder suiker"); ok {
		t.Fatal("accents must still matter")
	}
}

func TestCheckPasswordInvalidHash(t *testing.T) {
	good, _ := HashPassword("een geldig wachtwoord")
	parts := strings.Split(good, "$")
	for _, h := range []string{
		"",
		"geheim",
		"$2a$10$abcdefghijklmnopqrstuv", // bcrypt
		strings.Replace(good, "argon2id", "argon2i", 1),
		strings.Replace(good, "v=19", "v=16", 1),
		strings.Replace(good, "m=64,t=1,p=1", "t=1,m=64,p=1", 1),
		strings.Replace(good, "m=64,", "m=-64,", 1),
		strings.Replace(good, "m=64,", "m=99999999999,", 1), // 2 GiB bound
		strings.Replace(good, "t=1,", "t=0,", 1),
		strings.Replace(good, "p=1", "p=0", 1),
		strings.Replace(good, "p=1", "p=300", 1),
		strings.Join(append(parts[:4:4], "!!", parts[5]), "$"),
		strings.Join(append(parts[:4:4], parts[4], ""), "$"),       // empty key
		strings.Join(append(parts[:4:4], "c2FsdA", parts[5]), "$"), // 4-byte salt
		good + "$extra",
	} {
		ok, rehash, err := CheckPassword(h, "een geldig wachtwoord")
		if !errors.Is(err, ErrInvalidHash) || ok || rehash {
			t.Errorf("CheckPassword(%q) = %v, %v, %v; want ErrInvalidHash", h, ok, rehash, err)
		}
	}
}

// DummyCheck must do the work of checking a current hash: the same
// argon2id call with the same parameters. (Time itself is compared in
// BenchmarkCheckPassword vs BenchmarkDummyCheck, not in a timed test.)
func TestDummyCheckDoesTheSameWork(t *testing.T) {
	withParams(t, Params{Memory: 256, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32})
	var mu sync.Mutex
	var calls []Params
	var pws []string
	orig := deriveKey
	deriveKey = func(pw, salt []byte, p Params) []byte {
		mu.Lock()
		calls = append(calls, p)
		pws = append(pws, string(pw))
		mu.Unlock()
		return orig(pw, salt, p)
	}
	t.Cleanup(func() { deriveKey = orig })

	h, _ := HashPassword("wachtwoord om te vergelijken")
	calls, pws = nil, nil
	CheckPassword(h, "een gok")
	DummyCheck("een gok")
	if len(calls) != 2 {
		t.Fatalf("%d key derivations, want 2", len(calls))
	}
	if calls[0] != calls[1] || calls[1] != CurrentParams() {
		t.Fatalf("check used %+v, dummy %+v; want both %+v", calls[0], calls[1], CurrentParams())
	}
	if pws[1] != "een gok" {
		t.Fatalf("dummy hashed %q, want the given password", pws[1])
	}
}

func TestSetParamsRejectsUnusable(t *testing.T) {
	for _, p := range []Params{
		{Memory: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 4, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SetParams(%+v) did not panic", p)
				}
			}()
			SetParams(p)
		}()
	}
	if CurrentParams() != TestParams {
		t.Fatal("a rejected SetParams changed the parameters")
	}
}

func TestValidatePassword(t *testing.T) {
	for _, c := range []struct{ pw, want string }{
		{"", "err.password_short"},
		{"kort", "err.password_short"},
		{"elf tekens!", "err.password_short"}, // 11
		{"twaalf tekns", ""},                  // 12
		{"ééééééééééé", "err.password_short"}, // 11 characters, 22 bytes
		{"aaaaaaaaaaaaaaaaaaaa", "err.password_repetitive"},
		{"            ", "err.password_repetitive"},
		{"ééééééééééééé", "err.password_repetitive"},
		{"aaaaaaaaaaaaaaaaaaab", ""},
		{"correct paard batterij niet", ""},
		{strings.Repeat("ab", 128), ""}, // 256 bytes
		{strings.Repeat("ab", 128) + "c", "err.password_long"},
		{strings.Repeat("é", 129), "err.password_long"}, // 258 bytes
		// Common and breached passwords, also with digits or signs added.
		{"qwertyasdfgh", "err.password_common"},
		{"QwertyAsdfgh", "err.password_common"},
		{"jamesbond007", "err.password_common"},
		{"Password2026!", "err.password_common"},
		{"!!welkom123456", "err.password_common"},
		{"voetbal123456", "err.password_common"},
		{"meertijd-demo-2026", ""},
	} {
		if got := ValidatePassword(c.pw); got != c.want {
			t.Errorf("ValidatePassword(%q) = %q, want %q", c.pw, got, c.want)
		}
	}
}

// Every key ValidatePassword returns has a Dutch and an English text.
func TestValidatePasswordKeysTranslated(t *testing.T) {
	for _, k := range []string{"err.password_short", "err.password_long", "err.password_repetitive", "err.password_common"} {
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, k) {
				t.Errorf("no %s text for %s", lang, k)
			}
		}
	}
}

// Compare: CheckPassword (wrong password) and DummyCheck must cost the
// same; HashPassword shows the cost of DefaultParams on this machine.
func BenchmarkHashPassword(b *testing.B) {
	old := CurrentParams()
	SetParams(DefaultParams)
	defer SetParams(old)
	for b.Loop() {
		HashPassword("correct paard batterij niet")
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	old := CurrentParams()
	SetParams(DefaultParams)
	defer SetParams(old)
	h, _ := HashPassword("correct paard batterij niet")
	for b.Loop() {
		CheckPassword(h, "een verkeerde gok")
	}
}

func BenchmarkDummyCheck(b *testing.B) {
	old := CurrentParams()
	SetParams(DefaultParams)
	defer SetParams(old)
	for b.Loop() {
		DummyCheck("een verkeerde gok")
	}
}

func BenchmarkIsCommonPassword(b *testing.B) {
	IsCommonPassword("warm-up")
	for b.Loop() {
		IsCommonPassword("Welkom2026!")
	}
}
