package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

var recoveryShape = regexp.MustCompile(`^[23456789abcdefghjkmnpqrstuvwxyz]{4}-[23456789abcdefghjkmnpqrstuvwxyz]{4}-[23456789abcdefghjkmnpqrstuvwxyz]{4}$`)

func TestNewRecoveryCodes(t *testing.T) {
	codes, hashes := NewRecoveryCodes(RecoveryCodeCount)
	if len(codes) != 10 || len(hashes) != 10 {
		t.Fatalf("%d codes, %d hashes", len(codes), len(hashes))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if !recoveryShape.MatchString(c) {
			t.Errorf("code %q has the wrong shape", c)
		}
		if seen[c] {
			t.Errorf("code %q twice", c)
		}
		seen[c] = true
		sum := sha256.Sum256([]byte(strings.ReplaceAll(c, "-", "")))
		if hashes[i] != hex.EncodeToString(sum[:]) || hashes[i] != HashRecoveryCode(c) {
			t.Errorf("hash of %q is %s", c, hashes[i])
		}
	}
	if c, h := NewRecoveryCodes(0); len(c) != 0 || len(h) != 0 {
		t.Error("NewRecoveryCodes(0) returned codes")
	}
}

// Every symbol of the alphabet turns up and nothing else: no ambiguous
// characters, no bias towards a few symbols.
func TestRecoveryAlphabetUsed(t *testing.T) {
	counts := map[rune]int{}
	codes, _ := NewRecoveryCodes(500) // 6000 symbols, ~194 per symbol
	for _, c := range codes {
		for _, r := range strings.ReplaceAll(c, "-", "") {
			counts[r]++
		}
	}
	for _, r := range "01ilo" {
		if counts[r] > 0 {
			t.Errorf("ambiguous %q used", r)
		}
	}
	for _, r := range recoveryAlphabet {
		if counts[r] < 100 || counts[r] > 300 { // 7+ standard deviations
			t.Errorf("symbol %q used %d times of 6000", r, counts[r])
		}
	}
}

func TestHashRecoveryCodeNormalizes(t *testing.T) {
	want := HashRecoveryCode("k7m2-9xq4-tt3p")
	for _, typed := range []string{"k7m29xq4tt3p", "K7M2-9XQ4-TT3P", " k7m2 9xq4 tt3p ", "k7m2 - 9xq4 - tt3p", "k7m2–9xq4–tt3p" /* en dashes */} {
		if got := HashRecoveryCode(typed); got != want {
			t.Errorf("HashRecoveryCode(%q) differs", typed)
		}
	}
	for _, other := range []string{"k7m2-9xq4-tt3q", "k7m2-9xq4-tt3", "", "k7m2-9xq4-tt3pp"} {
		if HashRecoveryCode(other) == want {
			t.Errorf("HashRecoveryCode(%q) equals the code's hash", other)
		}
	}
}

func TestNewAPIToken(t *testing.T) {
	tok, hash := NewAPIToken()
	tok2, hash2 := NewAPIToken()
	if tok == tok2 || hash == hash2 {
		t.Fatal("two tokens are equal")
	}
	rest, ok := strings.CutPrefix(tok, "mt_")
	if !ok {
		t.Fatalf("token %q lacks mt_", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(b) != 32 {
		t.Fatalf("token body %q: %d bytes, %v", rest, len(b), err)
	}
	sum := sha256.Sum256([]byte(tok))
	if hash != hex.EncodeToString(sum[:]) || HashToken(tok) != hash {
		t.Fatalf("hash %s is not SHA-256 hex of the token", hash)
	}
	if HashToken(tok2) == hash || HashToken(strings.ToUpper(tok)) == hash {
		t.Fatal("different tokens share a hash")
	}
	if !LooksLikeAPIToken(tok) {
		t.Fatal("a new token does not look like a token")
	}
	for _, bad := range []string{"", "mt_", rest, "mt_" + rest[:42], tok + "A", "MT_" + rest, "mt_" + rest[:42] + "=", "mt_" + strings.Repeat("+", 43)} {
		if LooksLikeAPIToken(bad) {
			t.Errorf("LooksLikeAPIToken(%q) = true", bad)
		}
	}
}
