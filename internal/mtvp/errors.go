package mtvp

import (
	"errors"
	"fmt"
	"sort"
)

// Error codes shared by every layer. The HTTP layers map them to status
// codes; the store returns them so callers never inspect driver errors.
const (
	ENOTFOUND     = "not_found"    // 404: absent, or not visible to the caller
	ECONFLICT     = "conflict"     // 409: stale version or duplicate key
	EINVALID      = "invalid"      // 422: validation failed, see Fields
	EFORBIDDEN    = "forbidden"    // 403: visible but not allowed
	EUNAUTHORIZED = "unauthorized" // 401: not signed in
	EINTERNAL     = "internal"     // 500
)

// Error is the application error. Message is a message key (see
// internal/i18n) or a plain English sentence for internal errors; Fields maps
// a field name to a message key for validation errors.
type Error struct {
	Code    string
	Message string
	Fields  FieldErrors
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message, map[string]string(e.Fields))
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an *Error in err's chain, EINTERNAL for any
// other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an *Error in err's chain.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "err.internal"
}

// FieldErrorsOf returns the field errors in err's chain, if any.
func FieldErrorsOf(err error) FieldErrors {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// FieldErrors maps a form or JSON field name to a message key such as
// "err.agb_format". Empty means valid.
type FieldErrors map[string]string

// Add records the first error for a field; later ones for the same field are
// ignored so the user sees the most basic problem first.
func (f FieldErrors) Add(field, key string) {
	if _, ok := f[field]; !ok {
		f[field] = key
	}
}

// Err returns an EINVALID *Error when there are field errors, else nil.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "err.invalid", Fields: f}
}

// Names returns the field names in a stable order.
func (f FieldErrors) Names() []string {
	names := make([]string, 0, len(f))
	for n := range f {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
