package api

import (
	"encoding/json"
	"errors"
	"math"
	"meertijd/internal/store"
	"meertijd/internal/unavailable"
	"net/http"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
)

// Error codes of the API's error body. The first six are mtvp's codes.
const (
	codeBadRequest = "bad_request"
	codeTooLarge   = "too_large"
	codeMethod     = "method_not_allowed"
	// codeUnavailable: the database dropped the connection; try again
	// after Retry-After seconds (nothing was changed).
	codeUnavailable = "unavailable"
)

// apiError is an answer other than 2xx, built by the API itself (the
// domain's *mtvp.Error is mapped in writeError).
type apiError struct {
	status int
	code   string
	key    string // message key
	args   []any
	fields mtvp.FieldErrors
	// current is the stored record sent with a 409; changes, when known,
	// what changed since the version the client started from.
	current any
	changes any
}

func (e *apiError) Error() string { return e.code + ": " + e.key }

// msgKey is a message argument that is itself a message key: it is
// translated into the caller's language (e.g. a plan status "in_bespreking"
// → "in bespreking") so messages never show raw codes.
type msgKey string

// byteSize is a message argument that is a size in bytes; it is written
// in MB (1 MB = 2^20 bytes) with the language's decimal separator.
type byteSize int64

// messageArgs translates the msgKey arguments of a message and writes
// byteSize ones in MB.
func messageArgs(lang string, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case msgKey:
			a = i18n.T(lang, string(v))
		case byteSize:
			a = i18n.Decimal(lang, math.Round(float64(v)/(1<<20)*10)/10, -1) + " MB"
		}
		out[i] = a
	}
	return out
}

var (
	errUnauthorized = &apiError{status: http.StatusUnauthorized, code: mtvp.EUNAUTHORIZED, key: "api.err.unauthorized"}
	errNoRoute      = &apiError{status: http.StatusNotFound, code: mtvp.ENOTFOUND, key: "api.err.no_route"}
	errMethod       = &apiError{status: http.StatusMethodNotAllowed, code: codeMethod, key: "api.err.method"}
	// errNotFound answers anything outside the caller's scope: whether
	// another region's or practice's record exists is never revealed.
	errNotFound  = &apiError{status: http.StatusNotFound, code: mtvp.ENOTFOUND, key: "api.err.not_found"}
	errForbidden = &apiError{status: http.StatusForbidden, code: mtvp.EFORBIDDEN, key: "api.err.forbidden"}
)

func badRequest(key string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeBadRequest, key: key, args: args}
}

// invalid is a 422 with field errors.
func invalid(f mtvp.FieldErrors) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: mtvp.EINVALID, key: "api.err.invalid", fields: f}
}

// conflict is a 409 carrying the record as it is now stored.
func conflict(current any) *apiError {
	return &apiError{status: http.StatusConflict, code: mtvp.ECONFLICT, key: "api.err.conflict", current: current}
}

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error   errorJSON `json:"error"`
	Current any       `json:"current,omitempty"`
	Changes any       `json:"changes,omitempty"`
}

type errorJSON struct {
	Code    string               `json:"code"`
	Message string               `json:"message"`
	Fields  map[string]fieldJSON `json:"fields,omitempty"`
}

type fieldJSON struct {
	Key     string `json:"key"`
	Message string `json:"message"`
}

var statusOfCode = map[string]int{
	mtvp.ENOTFOUND:     http.StatusNotFound,
	mtvp.ECONFLICT:     http.StatusConflict,
	mtvp.EINVALID:      http.StatusUnprocessableEntity,
	mtvp.EFORBIDDEN:    http.StatusForbidden,
	mtvp.EUNAUTHORIZED: http.StatusUnauthorized,
}

// toAPIError maps any error to its answer. Store errors that reach here
// unhandled: ENOTFOUND → 404, EINVALID → 422 with its fields, EFORBIDDEN →
// 403; a bare ECONFLICT (a duplicate key) → 409; anything else is 500.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var me *mtvp.Error
	if !errors.As(err, &me) {
		return nil
	}
	switch me.Code {
	case mtvp.EINVALID:
		return invalid(me.Fields)
	case mtvp.ENOTFOUND:
		return errNotFound
	case mtvp.EFORBIDDEN:
		return errForbidden
	case mtvp.EUNAUTHORIZED:
		return errUnauthorized
	case mtvp.ECONFLICT:
		return &apiError{status: statusOfCode[me.Code], code: me.Code, key: "api.err.conflict"}
	}
	return nil
}

// writeError answers err as JSON in the caller's language and logs
// internal errors (their text never reaches the client).
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ae := toAPIError(err)
	if ae == nil && store.IsUnavailable(err) {
		// A dropped database connection: try again in a moment (a read
		// runs once more first, unavailable.Retry).
		a.db.DropIdle()
		a.log.WarnContext(r.Context(), "database unavailable", "method", r.Method, "err", err)
		unavailable.Mark(w)
		ae = &apiError{status: http.StatusServiceUnavailable, code: codeUnavailable, key: "err.unavailable"}
	}
	if ae == nil {
		a.log.ErrorContext(r.Context(), "api", "method", r.Method, "path", r.URL.Path, "err", err)
		ae = &apiError{status: http.StatusInternalServerError, code: mtvp.EINTERNAL, key: "err.internal"}
	}
	lang := langOf(r)
	body := errorBody{Error: errorJSON{Code: ae.code, Message: i18n.T(lang, ae.key, messageArgs(lang, ae.args)...)}, Current: ae.current, Changes: ae.changes}
	if len(ae.fields) > 0 {
		body.Error.Fields = map[string]fieldJSON{}
		for _, name := range ae.fields.Names() {
			key := ae.fields[name]
			body.Error.Fields[name] = fieldJSON{Key: key, Message: i18n.T(lang, key)}
		}
	}
	if ae.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="meertijd"`)
	}
	writeJSON(w, ae.status, body)
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"JSON encoding failed"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// langOf picks the language of messages: the first supported language of
// Accept-Language, else the token user's locale, else Dutch.
func langOf(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		base, _, _ := strings.Cut(tag, "-")
		for _, l := range i18n.Languages {
			if base == l {
				return l
			}
		}
	}
	if u := userOf(r); u != nil && u.Locale != "" {
		return i18n.Lang(u.Locale)
	}
	return i18n.Default
}
