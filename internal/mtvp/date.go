package mtvp

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date without time or zone (a peildatum, a start date).
// The zero Date means "no date" and is stored as NULL.
type Date struct{ t time.Time }

const isoDate = "2006-01-02"

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the calendar date of t in Europe/Amsterdam, the zone the
// programme runs in.
func DateOf(t time.Time) Date {
	t = t.In(amsterdam)
	return NewDate(t.Year(), t.Month(), t.Day())
}

var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// ParseDate accepts 2006-01-02 (forms, API) and 02-01-2006 or 2-1-2006
// (Dutch spreadsheets). Empty input gives the zero Date and no error.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	for _, layout := range []string{isoDate, "02-01-2006", "2-1-2006", "02/01/2006", "2/1/2006", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return NewDate(t.Year(), t.Month(), t.Day()), nil
		}
	}
	return Date{}, fmt.Errorf("invalid date %q", s)
}

// parseISODate reads a valid YYYY-MM-DD date the way ParseDate does, without
// time.Parse: a region's compliance scans a quarter of a million stored
// dates. Anything else (other layouts, a day the month lacks) is left to
// ParseDate (ok false).
func parseISODate(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	num := func(s string) (int, bool) {
		n := 0
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	day, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || day < 1 {
		return Date{}, false
	}
	d := NewDate(y, time.Month(m), day)
	if d.Day() != day { // 2026-02-30 rolled over: not a date
		return Date{}, false
	}
	return d, true
}

// MustDate parses an ISO date and panics on error; for tests and fixed data.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) IsZero() bool      { return d.t.IsZero() }
func (d Date) Time() time.Time   { return d.t }
func (d Date) Year() int         { return d.t.Year() }
func (d Date) Month() time.Month { return d.t.Month() }
func (d Date) Day() int          { return d.t.Day() }

// Quarter returns 1–4.
func (d Date) Quarter() int { return (int(d.t.Month())-1)/3 + 1 }

func (d Date) Before(o Date) bool { return d.t.Before(o.t) }
func (d Date) After(o Date) bool  { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool  { return d.t.Equal(o.t) }
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// String is the ISO form, "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(isoDate)
}

var dutchMonths = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}

// Dutch formats as "1 september 2022".
func (d Date) Dutch() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d %s %d", d.t.Day(), dutchMonths[d.t.Month()-1], d.t.Year())
}

// Short formats as 01-09-2022, the way Dutch lists show dates.
func (d Date) Short() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("02-01-2006")
}

// Value stores the ISO string; the zero Date is NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads DATE (PostgreSQL gives time.Time) or TEXT (SQLite).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = NewDate(v.Year(), v.Month(), v.Day())
		return nil
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	}
	return fmt.Errorf("cannot scan %T into Date", src)
}

func (d *Date) scanString(s string) error {
	if len(s) >= 10 {
		s = s[:10]
	}
	if p, ok := parseISODate(s); ok {
		*d = p
		return nil
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t, err := time.Parse(isoDate, s)
	if err != nil {
		return fmt.Errorf("date must be YYYY-MM-DD: %q", s)
	}
	*d = NewDate(t.Year(), t.Month(), t.Day())
	return nil
}
