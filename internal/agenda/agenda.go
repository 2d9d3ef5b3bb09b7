// Package agenda reads a practice's appointment export — CSV from its GP
// information system or FHIR R4 Appointment resources as NDJSON — and turns
// it, in one streaming pass, into weekly consult aggregates per role
// (mtvp.ConsultWeek). It keeps no appointment and no patient identifier:
// columns other than the mapped ones are never looked at, FHIR patient
// participants are skipped while decoding, and bad-row reasons never quote
// a cell. It is pure: no database, no HTTP.
package agenda

import (
	"bufio"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// Amsterdam is the time zone of Dutch agenda exports: local times in a
// file are read in it, and a consult belongs to the ISO week of its local
// start day.
var Amsterdam = mustZone("Europe/Amsterdam")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("agenda: time zone " + name + " missing: " + err.Error())
	}
	return loc
}

// Format is the kind of export.
type Format string

const (
	FormatCSV  Format = "csv"
	FormatFHIR Format = "fhir"
)

// Detect tells a FHIR NDJSON export (first non-blank byte '{') from a CSV.
func Detect(head []byte) Format {
	head = trimBOM(head)
	for _, c := range head {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return FormatFHIR
		}
		return FormatCSV
	}
	return FormatCSV
}

// skipBOM drops a UTF-8 byte-order mark at the start of br.
func skipBOM(br *bufio.Reader) {
	if b, _ := br.Peek(3); len(b) == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		br.Discard(3)
	}
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

// MaxBadRows is how many bad rows a Result lists (all are counted).
const MaxBadRows = 20

// BadRow is a row that was not counted, with its line number in the file
// and the reason in Dutch. The reason never quotes the row's content.
type BadRow = mtvp.ConsultBadRow

// Result is everything kept of an export.
type Result struct {
	Format  Format   `json:"format"`
	Rows    int64    `json:"rows"`    // data rows read (header not counted)
	Used    int64    `json:"used"`    // rows counted in Weeks
	Skipped int64    `json:"skipped"` // cancelled / no-show appointments (FHIR status)
	Bad     int64    `json:"bad"`     // rows refused
	BadRows []BadRow `json:"bad_rows"`
	// UnknownRoles are practitioner/role texts that name no role, each
	// seen on at least MinUnknownRoleRows rows (staff names: a patient's
	// name does not recur that often), most frequent first, at most
	// MaxUnknownRoles. The practice assigns them a role (Mapping.Roles).
	UnknownRoles []string           `json:"unknown_roles"`
	Weeks        []mtvp.ConsultWeek `json:"-"` // sorted by week, then role
	First        mtvp.Week          `json:"-"`
	Last         mtvp.Week          `json:"-"`
}

// MinUnknownRoleRows and MaxUnknownRoles bound Result.UnknownRoles.
const (
	MinUnknownRoleRows = 10
	MaxUnknownRoles    = 30
)

// ErrNoUsableRows is returned (wrapped in a *FileError) when not one row
// could be counted.
var ErrNoUsableRows = errors.New("agenda: no usable row")

// FileError refuses a whole file, with a Dutch message for the user.
type FileError struct {
	Msg    string
	Result *Result // what was read, for the bad rows; nil when nothing was
	err    error
}

func (e *FileError) Error() string { return e.Msg }
func (e *FileError) Unwrap() error { return e.err }

func fileErr(format string, a ...any) *FileError {
	return &FileError{Msg: fmt.Sprintf(format, a...)}
}

type weekKey struct {
	year, week int32
	role       mtvp.ConsultRole
}

// aggregator collects rows into weekly aggregates.
type aggregator struct {
	res   Result
	weeks map[weekKey]*mtvp.ConsultWeek
	last  weekKey
	lastW *mtvp.ConsultWeek
}

func newAggregator(f Format) *aggregator {
	return &aggregator{res: Result{Format: f, BadRows: []BadRow{}}, weeks: map[weekKey]*mtvp.ConsultWeek{}}
}

func (a *aggregator) bad(line int64, reason string) {
	a.res.Bad++
	if len(a.res.BadRows) < MaxBadRows {
		a.res.BadRows = append(a.res.BadRows, BadRow{Line: line, Reason: reason})
	}
}

// add counts one consult that started at start (any zone) and lasted
// seconds.
func (a *aggregator) add(start time.Time, seconds int64, role mtvp.ConsultRole, double bool) {
	y, w := start.In(Amsterdam).ISOWeek()
	k := weekKey{int32(y), int32(w), role}
	cw := a.lastW
	if cw == nil || k != a.last {
		cw = a.weeks[k]
		if cw == nil {
			cw = &mtvp.ConsultWeek{Week: mtvp.Week{Year: y, Week: w}, Role: role}
			a.weeks[k] = cw
		}
		a.last, a.lastW = k, cw
	}
	cw.Add(seconds, double)
	a.res.Used++
}

func (a *aggregator) finish(roles *roleCache) (Result, error) {
	res := a.res
	res.UnknownRoles = roles.unknownRoles()
	roleOrder := map[mtvp.ConsultRole]int{}
	for i, r := range mtvp.ConsultRoles {
		roleOrder[r] = i
	}
	for _, cw := range a.weeks {
		res.Weeks = append(res.Weeks, *cw)
	}
	sort.Slice(res.Weeks, func(i, j int) bool {
		wi, wj := res.Weeks[i], res.Weeks[j]
		if wi.Week != wj.Week {
			return wi.Week.Before(wj.Week)
		}
		return roleOrder[wi.Role] < roleOrder[wj.Role]
	})
	if res.Used == 0 {
		msg := "Het bestand bevat geen bruikbare afspraak"
		switch {
		case res.Rows == 0:
			msg += ": er staan geen afspraken in."
		case res.Bad > 0:
			msg += fmt.Sprintf(": alle %d regels zijn afgekeurd (zie de redenen hieronder).", res.Bad)
		default:
			msg += ": alle afspraken zijn geannuleerd of niet verschenen."
		}
		return res, &FileError{Msg: msg, Result: &res, err: ErrNoUsableRows}
	}
	res.First, res.Last = res.Weeks[0].Week, res.Weeks[len(res.Weeks)-1].Week
	return res, nil
}

// roleCache remembers how a practitioner/role text was read.
type roleCache struct {
	known   map[string]mtvp.ConsultRole // the practice's own names → role
	seen    map[string]roleHit
	unknown map[string]int // rows per unrecognised text (bounded)
}

type roleHit struct {
	role mtvp.ConsultRole
	ok   bool
}

func newRoleCache(names map[string]mtvp.ConsultRole) *roleCache {
	k := map[string]mtvp.ConsultRole{}
	for n, r := range names {
		k[NormalizeName(n)] = r
	}
	return &roleCache{known: k, seen: map[string]roleHit{}, unknown: map[string]int{}}
}

// NormalizeName is how practitioner names are compared: lower case,
// single spaces.
func NormalizeName(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// miss counts a row whose practitioner/role text s named no role.
func (c *roleCache) miss(s string) {
	s = strings.Join(strings.Fields(s), " ")
	if _, ok := c.unknown[s]; ok || len(c.unknown) < 1000 {
		c.unknown[s]++
	}
}

// unknownRoles lists the frequent unrecognised texts (Result.UnknownRoles).
func (c *roleCache) unknownRoles() []string {
	out := []string{}
	for s, n := range c.unknown {
		if n >= MinUnknownRoleRows {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if c.unknown[out[i]] != c.unknown[out[j]] {
			return c.unknown[out[i]] > c.unknown[out[j]]
		}
		return out[i] < out[j]
	})
	if len(out) > MaxUnknownRoles {
		out = out[:MaxUnknownRoles]
	}
	return out
}

func (c *roleCache) lookup(s string) (mtvp.ConsultRole, bool) {
	if h, ok := c.seen[s]; ok {
		return h.role, h.ok
	}
	var h roleHit
	if r, ok := c.known[NormalizeName(s)]; ok {
		h = roleHit{r, true}
	} else {
		r, ok := mtvp.ParseConsultRole(s)
		h = roleHit{r, ok}
	}
	if len(c.seen) < 10000 {
		c.seen[strings.Clone(s)] = h
	}
	return h.role, h.ok
}

// typeCache remembers what an appointment type says about doubles.
type typeCache map[string]int8 // 1 double, 0 single, -1 unknown

func (c typeCache) double(t string, seconds int64) bool {
	v, ok := c[t]
	if !ok {
		d, known := mtvp.ConsultTypeDouble(t)
		switch {
		case !known:
			v = -1
		case d:
			v = 1
		}
		if len(c) < 10000 {
			c[strings.Clone(t)] = v
		}
	}
	if v >= 0 {
		return v == 1
	}
	return seconds >= 2*mtvp.StandardConsultMinutes*60
}
