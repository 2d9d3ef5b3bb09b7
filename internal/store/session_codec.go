package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionCodec is the scs.Codec of the web sessions (issue 14). scs
// encodes a session on every request (the idle expiry moves on) and
// CommitCtx reads it back to see whether only the expiry moved; with
// encoding/gob, which describes its types anew in every message, that was
// a third of a warm page's CPU. Sessions hold strings, integers and
// booleans, so they are written in a small format of their own, keys
// sorted (equal sessions are equal bytes). A session holding any other
// type is written with gob, and anything without the format's prefix
// (sessions from before it) is read as gob.
type SessionCodec struct{}

var _ scs.Codec = SessionCodec{}

// sessionMagic starts a session in this format; a gob message never
// starts with a zero byte (its length comes first).
const sessionMagic = "\x00mt1"

const (
	tagString = 's'
	tagInt64  = 'i'
	tagInt    = 'n'
	tagBool   = 'b'
)

var errSessionFormat = errors.New("session: damaged data")

// Encode writes deadline and values.
func (SessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(values))
	for k, v := range values {
		switch v.(type) {
		case string, int64, int, bool:
		default:
			return scs.GobCodec{}.Encode(deadline, values)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := make([]byte, 0, 64)
	b = append(b, sessionMagic...)
	b = binary.AppendVarint(b, deadline.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		switch v := values[k].(type) {
		case string:
			b = append(b, tagString)
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		case int64:
			b = append(b, tagInt64)
			b = binary.AppendVarint(b, v)
		case int:
			b = append(b, tagInt)
			b = binary.AppendVarint(b, int64(v))
		case bool:
			var x byte
			if v {
				x = 1
			}
			b = append(b, tagBool, x)
		}
	}
	return b, nil
}

// Decode reads what Encode wrote, or a gob-encoded session.
func (SessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if !bytes.HasPrefix(b, []byte(sessionMagic)) {
		return scs.GobCodec{}.Decode(b)
	}
	r := b[len(sessionMagic):]
	bad := false
	varint := func() int64 {
		v, n := binary.Varint(r)
		if n <= 0 {
			bad = true
			return 0
		}
		r = r[n:]
		return v
	}
	str := func() string {
		n, k := binary.Uvarint(r)
		if k <= 0 || uint64(len(r)-k) < n {
			bad = true
			return ""
		}
		s := string(r[k : k+int(n)])
		r = r[k+int(n):]
		return s
	}
	deadline := time.Unix(0, varint()).UTC()
	count, k := binary.Uvarint(r)
	if bad || k <= 0 || count > uint64(len(r)) {
		return time.Time{}, nil, errSessionFormat
	}
	r = r[k:]
	values := make(map[string]any, count)
	for range count {
		key := str()
		if bad || len(r) == 0 {
			return time.Time{}, nil, errSessionFormat
		}
		tag := r[0]
		r = r[1:]
		switch tag {
		case tagString:
			values[key] = str()
		case tagInt64:
			values[key] = varint()
		case tagInt:
			values[key] = int(varint())
		case tagBool:
			if len(r) == 0 {
				return time.Time{}, nil, errSessionFormat
			}
			values[key] = r[0] == 1
			r = r[1:]
		default:
			return time.Time{}, nil, errSessionFormat
		}
		if bad {
			return time.Time{}, nil, errSessionFormat
		}
	}
	if len(r) != 0 {
		return time.Time{}, nil, errSessionFormat
	}
	return deadline, values, nil
}
