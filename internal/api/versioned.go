package api

import (
	"context"
	"net/http"

	"meertijd/internal/mtvp"
)

// A versioned write is a PUT or POST whose body carries the version of the
// record its client read. Every one goes the same way: the body is
// decoded, the version is required (a missing one is a field error with
// the handler's own, in one 422), the store writes only while that version
// is still the stored one, and a stale version is answered 409 with the
// record as it is stored now so the client can merge and send again.

// decodeVersioned decodes the body of a versioned write onto in (fields
// already set in in are kept unless the body names them) and returns the
// version the body carries. version points at in's version field; it is
// cleared first, so only the body can give it. check, when not nil, adds
// the handler's own field errors (and builds what the handler writes from
// in); an error it returns is answered as is. Missing version and field
// errors are one 422.
func decodeVersioned(r *http.Request, in any, version **int, check func(mtvp.FieldErrors) error) (int, error) {
	*version = nil
	if err := decode(r, in); err != nil {
		return 0, err
	}
	f := mtvp.FieldErrors{}
	requireVersion(f, *version)
	if check != nil {
		if err := check(f); err != nil {
			return 0, err
		}
	}
	if len(f) > 0 {
		return 0, invalid(f)
	}
	return **version, nil
}

// asOnWire places the field errors of a store's validation error under
// their names on the wire (mergeInvalid without a prefix).
func asOnWire(f mtvp.FieldErrors, err error) bool { return mergeInvalid(f, err, "") }

// placedAs places the field errors of a store's validation error where
// name puts them (mergeInvalidAs).
func placedAs(name func(string) string) func(mtvp.FieldErrors, error) bool {
	return func(f mtvp.FieldErrors, err error) bool { return mergeInvalidAs(f, err, name) }
}

// writeFailed answers the error of a versioned store write. A stale
// version (someone saved between our read and this write) is stale's
// answer, normally storedRecord.conflict. A validation error naming fields
// is 422 with them, placed by fields (nil: the error goes as is). Anything
// else goes as is: toAPIError maps it, or the handler maps it further.
func writeFailed(err error, fields func(mtvp.FieldErrors, error) bool, stale func() error) error {
	if mtvp.ErrorCode(err) == mtvp.ECONFLICT {
		return stale()
	}
	if f := (mtvp.FieldErrors{}); fields != nil && fields(f, err) && len(f) > 0 {
		return invalid(f)
	}
	return err
}

// storedRecord is one record as it is stored now, read again by id (load)
// and shown as JSON (toJSON): what a 409 for a stale version carries, and
// the answer of a write whose result the store completes.
type storedRecord[T, J any] struct {
	ctx    context.Context
	load   func(context.Context, int64) (T, error)
	id     int64
	toJSON func(T) J
}

// storedAs names record id of load, shown by toJSON.
func storedAs[T, J any](ctx context.Context, load func(context.Context, int64) (T, error), id int64, toJSON func(T) J) storedRecord[T, J] {
	return storedRecord[T, J]{ctx: ctx, load: load, id: id, toJSON: toJSON}
}

// conflict is the answer to a stale version: 409 with the record as
// stored now. A failed read is answered instead.
func (s storedRecord[T, J]) conflict() error {
	cur, err := s.load(s.ctx, s.id)
	if err != nil {
		return err
	}
	return conflict(s.toJSON(cur))
}

// write answers status with the record as stored now.
func (s storedRecord[T, J]) write(w http.ResponseWriter, status int) error {
	cur, err := s.load(s.ctx, s.id)
	if err != nil {
		return err
	}
	writeJSON(w, status, s.toJSON(cur))
	return nil
}
