package auth

import (
	"crypto/rand"
	"strings"
)

// passwordAlphabet leaves out look-alikes (0/o, 1/i/l): the password is
// read out or copied by hand.
const passwordAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// NewPassword returns 20 random symbols in groups of four, like
// "k7m2-9xq4-tt3p-…": about 99 bits, well above the policy's minimum.
func NewPassword() string {
	var b strings.Builder
	buf := make([]byte, 1)
	for n := 0; n < 20; {
		rand.Read(buf) // crypto/rand never fails since Go 1.24
		if buf[0] >= 248 {
			continue // 248 = 8 × 31: keep every symbol equally likely
		}
		if n > 0 && n%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(passwordAlphabet[int(buf[0])%len(passwordAlphabet)])
		n++
	}
	return b.String()
}
