package mailtest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime/quotedprintable"
)

func newQP(r io.Reader) io.Reader { return quotedprintable.NewReader(r) }

func decodeBase64(b []byte) ([]byte, error) {
	b = bytes.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == ' ' {
			return -1
		}
		return r
	}, b)
	out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	n, err := base64.StdEncoding.Decode(out, b)
	return out[:n], err
}
