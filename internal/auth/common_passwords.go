package auth

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// common_passwords.txt.gz: 49,913 common and breached passwords, NFKC
// lower-cased, sorted, one per line. Built from the frequency list of
// @zxcvbn-ts/language-common 4.1.3 (src/passwords.json, MIT) and the
// "10k most common" list of the npm package common-password 0.1.2 (ISC).
//
//go:embed common_passwords.txt.gz
var commonPasswordsGz []byte

var commonPasswords = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic("auth: common passwords: " + err.Error())
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		panic("auth: common passwords: " + err.Error())
	}
	list := strings.Split(string(b), "\n")
	slices.Sort(list) // sorted already; a binary search must not depend on it
	return list
})

// IsCommonPassword reports a password that is on the list of common and
// breached passwords, ignoring case, or is one of them with digits and
// punctuation added before or after ("Welkom2026!", "!!qwerty123"). The
// list is searched by binary search in its sorted form (no map: it stays
// one string per entry in memory).
func IsCommonPassword(pw string) bool {
	list := commonPasswords()
	p := strings.ToLower(string(normalize(pw)))
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	for _, c := range []string{p, strings.TrimRightFunc(p, notLetter), strings.TrimLeftFunc(p, notLetter), strings.TrimFunc(p, notLetter)} {
		if len([]rune(c)) < 4 && c != p {
			continue // "ab" + digits is not a common word with digits
		}
		if _, found := slices.BinarySearch(list, c); found {
			return true
		}
	}
	return false
}
