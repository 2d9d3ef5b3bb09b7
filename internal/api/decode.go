package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// decode reads one JSON object from the body into v. Fields already set in
// v are kept unless the body names them (PUT merges onto the stored record).
// Malformed JSON, unknown fields, wrong types and trailing data are 400; a
// body over the limit is 413.
//
// A string holding a control character (NUL, ESC, …; tab and new lines
// are text) is refused with 422 naming the field (mtvp.ControlChar).
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return decodeError(err)
	}
	if field, ok := controlCharField(body); ok {
		return &apiError{status: http.StatusUnprocessableEntity, code: mtvp.EINVALID, key: "api.err.control_char", args: []any{field},
			fields: mtvp.FieldErrors{field: "err.control_char"}}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return decodeError(err)
		}
		return badRequest("api.err.json_trailing")
	}
	return nil
}

// controlCharField walks the JSON in b and returns the path of the first
// string (value or key) holding a control character: "title",
// "items[2].goal". Malformed JSON finds nothing here; decode reports it.
func controlCharField(b []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	type level struct {
		object bool
		key    string // object: the current key
		index  int    // array: the next index
		expect bool   // object: the next string is a key
	}
	var stack []level
	path := func() string {
		var sb strings.Builder
		for _, l := range stack {
			if l.object {
				if sb.Len() > 0 {
					sb.WriteByte('.')
				}
				sb.WriteString(l.key)
			} else {
				sb.WriteString("[" + strconv.Itoa(l.index-1) + "]")
			}
		}
		return sb.String()
	}
	// value is called for every value: in an array it advances the index,
	// in an object it ends the pair.
	value := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].expect = true
			} else {
				stack[n-1].index++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if n := len(stack); n > 0 && !stack[n-1].object {
					stack[n-1].index++
				}
				stack = append(stack, level{object: t == '{', expect: true})
			default:
				stack = stack[:len(stack)-1]
				if n := len(stack); n > 0 && stack[n-1].object {
					stack[n-1].expect = true
				}
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expect {
				stack[n-1].key, stack[n-1].expect = t, false
				if _, bad := mtvp.ControlChar(t); bad {
					return path(), true
				}
				continue
			}
			if n := len(stack); n > 0 && !stack[n-1].object {
				stack[n-1].index++
				if _, bad := mtvp.ControlChar(t); bad {
					return path(), true
				}
				continue
			}
			if _, bad := mtvp.ControlChar(t); bad {
				return path(), true
			}
			value()
		default:
			value()
		}
	}
}

func decodeError(err error) error {
	var (
		maxErr    *http.MaxBytesError
		syntaxErr *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
		ae        *apiError
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &maxErr):
		return &apiError{status: http.StatusRequestEntityTooLarge, code: codeTooLarge, key: "api.err.too_large", args: []any{byteSize(maxErr.Limit)}}
	case errors.Is(err, io.EOF):
		return badRequest("api.err.json_empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("api.err.json_truncated")
	case errors.As(err, &syntaxErr):
		return badRequest("api.err.json_syntax", syntaxErr.Offset)
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return badRequest("api.err.json_object")
		}
		return badRequest("api.err.json_type", typeErr.Field, jsonKind(typeErr.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return badRequest("api.err.json_unknown_field", name)
	}
	return badRequest("api.err.json_invalid", err.Error())
}

// jsonKind names a Go kind the way a JSON author thinks of it.
func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int"), strings.HasPrefix(k, "uint"), strings.HasPrefix(k, "float"):
		return "number"
	case k == "string":
		return "string"
	case k == "bool":
		return "boolean"
	case k == "slice", k == "array":
		return "array"
	case k == "map", k == "struct":
		return "object"
	}
	return k
}

// date is a calendar date in JSON as "YYYY-MM-DD" or null. A malformed
// value does not fail decoding: it is kept in bad and reported as a field
// error (422) by check, so the client learns which field is wrong.
type date struct {
	d   mtvp.Date
	bad bool
}

func dateOf(d mtvp.Date) date { return date{d: d} }

func (x date) MarshalJSON() ([]byte, error) { return x.d.MarshalJSON() }

func (x *date) UnmarshalJSON(b []byte) error {
	*x = date{}
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		x.bad = true
		return nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		x.bad = true
		return nil
	}
	x.d = mtvp.NewDate(t.Year(), t.Month(), t.Day())
	return nil
}

// check records a format error for a malformed date.
func (x date) check(f mtvp.FieldErrors, field string) mtvp.Date {
	if x.bad {
		f.Add(field, "api.err.date_format")
	}
	return x.d
}

// requireVersion reports a missing version on an update.
func requireVersion(f mtvp.FieldErrors, v *int) {
	if v == nil {
		f.Add("version", "api.err.version_required")
	}
}

// intPtr returns a pointer to a copy of n.
func intPtr(n int) *int { return &n }

// pathID parses a numeric {id}; anything else is not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// mergeInvalid adds the field errors of a validation error to f (names as
// on the wire, with prefix) and reports whether err was one.
func mergeInvalid(f mtvp.FieldErrors, err error, prefix string) bool {
	return mergeInvalidAs(f, err, func(name string) string { return prefix + name })
}

// mergeInvalidAs is mergeInvalid with a function that places each field.
func mergeInvalidAs(f mtvp.FieldErrors, err error, place func(string) string) bool {
	if mtvp.ErrorCode(err) != mtvp.EINVALID {
		return false
	}
	for k, v := range mtvp.FieldErrorsOf(err) {
		k, v = wireField(k, v)
		f.Add(place(k), v)
	}
	return true
}

// wireField turns a store field error into the API's terms: the JSON
// field name, and a message written for API clients where the store's key
// speaks of a form or of codes.
func wireField(field, key string) (string, string) {
	switch field {
	case "consultant":
		field, key = "consultant_id", "api.err.consultant_unknown"
	case "person":
		field = "person_id"
	case "big":
		if key == "err.big_taken" {
			key = "api.err.big_taken"
		}
	case "code":
		if key == "err.duplicate" {
			key = "api.err.region_code_taken"
		}
	}
	return field, key
}
