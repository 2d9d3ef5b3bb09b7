package mtvp

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Actor is who makes a change, recorded in the audit log.
type Actor struct {
	UserID int64  // 0 for the system (migrations, demo, CLI)
	Name   string // shown in history; kept even if the user is removed
}

// SystemActor is used for changes made by the command line and demo loader.
var SystemActor = Actor{Name: "systeem"}

// AuditEntry is one recorded change of one record.
type AuditEntry struct {
	ID       int64
	At       time.Time
	Actor    Actor
	RegionID int64
	Entity   string // "practice", "person", "membership", "region", "regioplan", "user"
	EntityID int64
	Action   string // "create", "update", "end", "delete", "import"
	Changes  []Change
}

// Change is one field's old and new value, as text.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
}

// Diff compares two values of the same struct type field by field and
// returns what changed. Fields named ID, Version, CreatedAt, UpdatedAt and
// unexported fields are ignored. A nil old means creation.
func Diff(old, new any) []Change {
	nv := reflect.Indirect(reflect.ValueOf(new))
	var ov reflect.Value
	if old != nil {
		ov = reflect.Indirect(reflect.ValueOf(old))
	}
	var out []Change
	t := nv.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		switch f.Name {
		case "ID", "Version", "CreatedAt", "UpdatedAt", "Grants":
			continue
		}
		if f.Anonymous {
			var oo any
			if ov.IsValid() {
				oo = ov.Field(i).Interface()
			}
			out = append(out, Diff(oo, nv.Field(i).Interface())...)
			continue
		}
		n := format(nv.Field(i))
		o := ""
		if ov.IsValid() {
			o = format(ov.Field(i))
		}
		if n != o {
			out = append(out, Change{Field: f.Name, Old: o, New: n})
		}
	}
	return out
}

func format(v reflect.Value) string {
	if s, ok := v.Interface().(fmt.Stringer); ok {
		return s.String()
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return "ja"
		}
		return ""
	case reflect.Int, reflect.Int64:
		if v.Int() == 0 {
			return ""
		}
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64)
	case reflect.Slice, reflect.Array:
		// A list in words: its items joined, empty as "" (never "[]").
		items := make([]string, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			if s := format(v.Index(i)); s != "" {
				items = append(items, s)
			}
		}
		return strings.Join(items, "; ")
	case reflect.Struct:
		// A struct without a String method (e.g. who saved a record) is
		// not a value for a reader: its zero means "none".
		if v.IsZero() {
			return ""
		}
		if n := v.FieldByName("Name"); n.IsValid() && n.Kind() == reflect.String {
			return n.String()
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ""
		}
		return format(v.Elem())
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(a, b int) bool { return fmt.Sprint(keys[a]) < fmt.Sprint(keys[b]) })
		s := ""
		for _, k := range keys {
			s += fmt.Sprintf("%v=%v; ", k, v.MapIndex(k))
		}
		return s
	}
	return fmt.Sprint(v.Interface())
}

func itoa(n int) string { return strconv.Itoa(n) }
