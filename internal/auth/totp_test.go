package auth

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// RFC 6238 appendix B, SHA1 seed "12345678901234567890", last 6 digits.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

var rfcVectors = []struct {
	unix int64
	code string
}{
	{59, "287082"},
	{1111111109, "081804"},
	{1111111111, "050471"},
	{1234567890, "005924"},
	{2000000000, "279037"},
	{20000000000, "353130"},
}

func TestTOTPCodeRFC6238(t *testing.T) {
	for _, v := range rfcVectors {
		got, err := TOTPCode(rfcSecret, time.Unix(v.unix, 0))
		if err != nil || got != v.code {
			t.Errorf("TOTPCode at %d = %q, %v; want %s", v.unix, got, err, v.code)
		}
		step, ok := VerifyTOTP(rfcSecret, v.code, time.Unix(v.unix, 0))
		if !ok || step != v.unix/30 {
			t.Errorf("VerifyTOTP at %d = %d, %v; want step %d", v.unix, step, ok, v.unix/30)
		}
	}
}

func TestVerifyTOTPSkewAndStep(t *testing.T) {
	now := time.Unix(1111111111, 0) // step 37037037
	cur := TOTPStep(now)
	for _, d := range []int64{-2, -1, 0, 1, 2} {
		code, _ := TOTPCode(rfcSecret, time.Unix((cur+d)*30, 0))
		step, ok := VerifyTOTP(rfcSecret, code, now)
		wantOK := d >= -1 && d <= 1
		if ok != wantOK {
			t.Errorf("code of step %+d: ok=%v, want %v", d, ok, wantOK)
		}
		if ok && step != cur+d {
			t.Errorf("code of step %+d: step %d, want %d", d, step, cur+d)
		}
	}
}

func TestVerifyTOTPInput(t *testing.T) {
	now := time.Unix(59, 0)
	for _, c := range []struct {
		code string
		ok   bool
	}{
		{"287082", true},
		{"287 082", true},
		{" 287082\n", true},
		{"2 8 7 0 8 2", true},
		{"287083", false},
		{"28708", false},
		{"2870820", false},
		{"", false},
		{"28708a", false},
		{"287-082", false},
		{"２８７０８２", false}, // full-width digits
	} {
		if _, ok := VerifyTOTP(rfcSecret, c.code, now); ok != c.ok {
			t.Errorf("VerifyTOTP(%q) ok=%v, want %v", c.code, ok, c.ok)
		}
	}
	if _, ok := VerifyTOTP("not base32!", "287082", now); ok {
		t.Error("an invalid secret verified")
	}
	if _, ok := VerifyTOTP("", "287082", now); ok {
		t.Error("an empty secret verified")
	}
}

func TestNewTOTPSecret(t *testing.T) {
	s1, u1, err := NewTOTPSecret("meertijd", "marieke@zio.nl")
	if err != nil {
		t.Fatal(err)
	}
	s2, _, _ := NewTOTPSecret("meertijd", "marieke@zio.nl")
	if s1 == s2 {
		t.Fatal("two secrets are equal")
	}
	if len(s1) != 32 || strings.Trim(s1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
		t.Fatalf("secret %q: want 32 base32 characters (160 bits)", s1)
	}
	if u1 != TOTPURL("meertijd", "marieke@zio.nl", s1) {
		t.Fatalf("URL %q differs from TOTPURL", u1)
	}
	// The URL reads back as the key authenticator apps expect.
	k, err := otp.NewKeyFromURL(u1)
	if err != nil {
		t.Fatal(err)
	}
	if k.Type() != "totp" || k.Issuer() != "meertijd" || k.AccountName() != "marieke@zio.nl" || k.Secret() != s1 ||
		k.Period() != 30 || k.Digits() != otp.DigitsSix || k.Algorithm() != otp.AlgorithmSHA1 {
		t.Fatalf("key from URL: %v %q %q %q %d %v %v", k.Type(), k.Issuer(), k.AccountName(), k.Secret(), k.Period(), k.Digits(), k.Algorithm())
	}
	// A code from the library's own validator (as an app would make it)
	// verifies here.
	now := time.Now()
	code, _ := totp.GenerateCode(s1, now)
	if _, ok := VerifyTOTP(s1, code, now); !ok {
		t.Fatal("library code rejected")
	}
	if _, _, err := NewTOTPSecret("", "x@y.nl"); err == nil {
		t.Error("empty issuer accepted")
	}
	if _, _, err := NewTOTPSecret("meertijd", ""); err == nil {
		t.Error("empty account accepted")
	}
}

// TOTPURL matches the Key URI pquerna/otp's Generate makes for the same
// secret, including escaping.
func TestTOTPURLMatchesLibrary(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, acc := range []string{"marieke@zio.nl", "Jan de Vries"} {
		k, err := totp.Generate(totp.GenerateOpts{Issuer: "meertijd ZIO", AccountName: acc, Secret: secret})
		if err != nil {
			t.Fatal(err)
		}
		if got := TOTPURL("meertijd ZIO", acc, rfcSecret); got != k.URL() {
			t.Errorf("TOTPURL = %s\nlibrary  %s", got, k.URL())
		}
	}
	u, _ := url.Parse(TOTPURL("meertijd", "a@b.nl", rfcSecret))
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/meertijd:a@b.nl" || u.Query().Get("secret") != rfcSecret {
		t.Fatalf("parsed URL %#v", u)
	}
}
