package mtvp

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Consult duration from a practice's own agenda (issue 15 §1). Only weekly
// aggregates per practice and consult role are kept; these are the rules
// that turn appointments into them and judge them against MTVP's goal.

// ConsultGoalMinutes is MTVP's aim: a flexible average consult of 15 minutes.
const ConsultGoalMinutes = 15

// StandardConsultMinutes is the standard consult before MTVP.
const StandardConsultMinutes = 10

// MaxConsultMinutes bounds a believable appointment; longer ones are
// refused as bad rows (a day-long block, a forgotten end time).
const MaxConsultMinutes = 240

// ConsultRole is the role an appointment is counted under: all GP roles
// (praktijkhouder, HIDHA, vaste waarnemer, waarnemer) together, the two
// practice nurses, the assistants, and everyone else.
type ConsultRole string

const (
	ConsultHuisarts   ConsultRole = "huisarts"
	ConsultPOHSom     ConsultRole = "poh_somatiek"
	ConsultPOHGGZ     ConsultRole = "poh_ggz"
	ConsultAssistent  ConsultRole = "doktersassistent"
	ConsultOverigRole ConsultRole = "overig"
)

// ConsultRoles in display order.
var ConsultRoles = []ConsultRole{ConsultHuisarts, ConsultPOHSom, ConsultPOHGGZ, ConsultAssistent, ConsultOverigRole}

// Valid reports whether r is one of ConsultRoles.
func (r ConsultRole) Valid() bool {
	for _, x := range ConsultRoles {
		if r == x {
			return true
		}
	}
	return false
}

// ConsultRoleOf folds a staff role into the role its consults count under.
func ConsultRoleOf(r StaffRole) ConsultRole {
	switch {
	case r.IsGP():
		return ConsultHuisarts
	case r == RolePOHSomatiek:
		return ConsultPOHSom
	case r == RolePOHGGZ:
		return ConsultPOHGGZ
	case r == RoleDoktersassistent:
		return ConsultAssistent
	}
	return ConsultOverigRole
}

// ParseConsultRole reads the practitioner/role text of an agenda export
// ("Huisarts", "POH-GGZ", "doktersassistente", "GP", "practice nurse",
// FHIR codes such as "doctor") into a consult role. ok is false when
// the text names no role it knows (a practitioner's name, say).
func ParseConsultRole(s string) (ConsultRole, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	if k == "" {
		return "", false
	}
	if r, ok := ParseStaffRole(k); ok {
		return ConsultRoleOf(r), true
	}
	k = strings.NewReplacer("-", " ", "_", " ", ".", " ", "/", " ").Replace(k)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(k, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("ggz", "mental"):
		return ConsultPOHGGZ, true
	case has("poh", "praktijkondersteuner", "practice nurse", "nurse practitioner", "verpleegkundig"):
		return ConsultPOHSom, true
	case has("assistent", "assistant", "triagist"):
		return ConsultAssistent, true
	case has("huisarts", "waarnemer", "hidha", "general practitioner", "physician", "doctor", "arts"),
		k == "gp", k == "ha", strings.HasPrefix(k, "gp "), strings.HasSuffix(k, " gp"):
		return ConsultHuisarts, true
	case has("manager", "overig", "other", "receptie", "secretar"):
		return ConsultOverigRole, true
	}
	return "", false
}

// Bucket bounds in minutes: < 10, 10–15, 15–20, 20–30, ≥ 30.
var ConsultBucketBounds = [...]float64{10, 15, 20, 30}

// ConsultBuckets is the number of distribution buckets.
const ConsultBuckets = len(ConsultBucketBounds) + 1

// ConsultBucketLabels name the buckets, in order.
var ConsultBucketLabels = [ConsultBuckets]string{"< 10 min", "10–15 min", "15–20 min", "20–30 min", "≥ 30 min"}

// ConsultBucket returns the bucket of a duration in minutes: a consult of
// exactly 10 minutes is in 10–15, of exactly 30 in ≥ 30.
func ConsultBucket(minutes float64) int {
	for i, b := range ConsultBucketBounds {
		if minutes < b {
			return i
		}
	}
	return len(ConsultBucketBounds)
}

// ConsultTypeDouble reads an appointment type: double is true when it
// names a double consult ("dubbel consult", "double", "2x", "lang
// consult"); known is false when the type says nothing either way.
func ConsultTypeDouble(apptType string) (double, known bool) {
	t := strings.ToLower(apptType)
	switch {
	case strings.Contains(t, "dubbel"), strings.Contains(t, "double"), strings.Contains(t, "2x"),
		strings.Contains(t, "lang consult"), strings.Contains(t, "consult lang"):
		return true, true
	case strings.Contains(t, "enkel"), strings.Contains(t, "kort"), strings.Contains(t, "single"):
		return false, true
	}
	return false, false
}

// IsDoubleConsult reports whether an appointment is a double consult: its
// type says so, or the type says nothing either way and the appointment
// lasts at least two standard consults (20 minutes).
func IsDoubleConsult(apptType string, minutes float64) bool {
	if d, known := ConsultTypeDouble(apptType); known {
		return d
	}
	return minutes >= 2*StandardConsultMinutes
}

// Week identifies an ISO 8601 week (Monday to Sunday).
type Week struct {
	Year, Week int
}

// WeekOf returns the ISO week of a day.
func WeekOf(d Date) Week {
	y, w := d.t.ISOWeek()
	return Week{y, w}
}

// Monday returns the first day of the week.
func (w Week) Monday() Date {
	// 4 January is always in week 1.
	jan4 := time.Date(w.Year, 1, 4, 0, 0, 0, 0, time.UTC)
	off := (int(jan4.Weekday()) + 6) % 7
	return Date{jan4.AddDate(0, 0, -off+(w.Week-1)*7)}
}

// Index is a number that grows by one per week (for ranges and sorting).
func (w Week) Index() int { return int(w.Monday().t.Unix() / (7 * 86400)) }

// Before orders weeks.
func (w Week) Before(o Week) bool {
	return w.Year < o.Year || (w.Year == o.Year && w.Week < o.Week)
}

// String gives "2026-W49".
func (w Week) String() string { return fmt.Sprintf("%d-W%02d", w.Year, w.Week) }

// Short gives "wk 49" (with the year when it differs from year).
func (w Week) Short() string { return fmt.Sprintf("wk %d", w.Week) }

// Valid reports whether the week exists.
func (w Week) Valid() bool {
	if w.Week < 1 || w.Week > 53 {
		return false
	}
	y, wk := w.Monday().t.ISOWeek()
	return y == w.Year && wk == w.Week
}

// ParseISOWeek reads "2026-W49".
func ParseISOWeek(s string) (Week, bool) {
	var w Week
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d-W%d", &w.Year, &w.Week); err != nil || !w.Valid() {
		return Week{}, false
	}
	return w, true
}

// ConsultWeek is what is kept of one practice's agenda for one week and
// one role: counts only, never an appointment.
type ConsultWeek struct {
	PracticeID int64
	Week       Week
	Role       ConsultRole
	Count      int64
	Seconds    int64 // total consult time
	Buckets    [ConsultBuckets]int64
	Doubles    int64
}

// Add counts one appointment of the given length and type.
func (c *ConsultWeek) Add(seconds int64, double bool) {
	c.Count++
	c.Seconds += seconds
	c.Buckets[ConsultBucket(float64(seconds)/60)]++
	if double {
		c.Doubles++
	}
}

// Merge adds o's counts to c.
func (c *ConsultWeek) Merge(o ConsultWeek) {
	c.Count += o.Count
	c.Seconds += o.Seconds
	for i := range c.Buckets {
		c.Buckets[i] += o.Buckets[i]
	}
	c.Doubles += o.Doubles
}

// MeanMinutes is the mean consult duration (NaN without consults).
func (c ConsultWeek) MeanMinutes() float64 {
	if c.Count == 0 {
		return math.NaN()
	}
	return float64(c.Seconds) / 60 / float64(c.Count)
}

// DoubleShare is the share of double consults (NaN without consults).
func (c ConsultWeek) DoubleShare() float64 {
	if c.Count == 0 {
		return math.NaN()
	}
	return float64(c.Doubles) / float64(c.Count)
}

// BucketShare is the share of consults in bucket i.
func (c ConsultWeek) BucketShare(i int) float64 {
	if c.Count == 0 {
		return math.NaN()
	}
	return float64(c.Buckets[i]) / float64(c.Count)
}

// MeetsGoal reports whether the mean reaches the 15-minute goal.
func (c ConsultWeek) MeetsGoal() bool { return c.Count > 0 && c.MeanMinutes() >= ConsultGoalMinutes }

// GPFTE sums the FTE of the practice's GP memberships (all GP roles)
// active on any day of the week.
func GPFTE(ms []Membership, w Week) float64 {
	mon := w.Monday()
	sun := mon.AddDays(6)
	var fte float64
	for _, m := range ms {
		if !m.Role.IsGP() {
			continue
		}
		if m.From.After(sun) || (!m.To.IsZero() && m.To.Before(mon)) {
			continue
		}
		fte += m.FTE
	}
	return math.Round(fte*100) / 100
}

// ConsultsPerGPFTE divides a week's GP consults by the practice's GP FTE
// (NaN when the practice lists no GP FTE for the week).
func ConsultsPerGPFTE(gpConsults int64, fte float64) float64 {
	if fte <= 0 {
		return math.NaN()
	}
	return float64(gpConsults) / fte
}

// ConsultBadRow is a row of an agenda export that was not counted: its
// line in the file and the reason in Dutch (never the row's content).
type ConsultBadRow struct {
	Line   int64  `json:"line"`
	Reason string `json:"reason"`
}

// ConsultUpload is the record of one accepted agenda upload: what was read,
// the first bad rows, and the period whose aggregates it replaced.
type ConsultUpload struct {
	ID         int64
	RegionID   int64
	PracticeID int64
	Format     string // "csv" or "fhir"
	FileName   string
	Rows       int64
	Used       int64
	Skipped    int64
	Bad        int64
	BadRows    []ConsultBadRow
	// UnknownRoles: practitioner names the practice has not given a role
	// (rows refused for it); see agenda.Result.UnknownRoles.
	UnknownRoles []string
	First        Week
	Last         Week
	By           Actor
	At           time.Time
}

// ConsultFigures is one week's figures of one role as pages, exports and
// the API show them: NaN where there is nothing to divide.
type ConsultFigures struct {
	ConsultWeek
	Mean         float64 // minutes
	BucketShares [ConsultBuckets]float64
	DoubleShare  float64
	GPFTE        float64 // the practice's GP FTE that week (all roles' rows carry it)
	PerGPFTE     float64 // GP consults per FTE GP (huisarts rows only; NaN otherwise)
	MeetsGoal    bool
}

// FiguresOf turns stored weeks into figures, with the GP FTE from the
// practice's memberships.
func FiguresOf(weeks []ConsultWeek, ms []Membership) []ConsultFigures {
	out := make([]ConsultFigures, len(weeks))
	fte := map[Week]float64{}
	for i, w := range weeks {
		f := ConsultFigures{ConsultWeek: w, Mean: w.MeanMinutes(), DoubleShare: w.DoubleShare(), MeetsGoal: w.MeetsGoal(), PerGPFTE: math.NaN()}
		for b := range f.BucketShares {
			f.BucketShares[b] = w.BucketShare(b)
		}
		g, ok := fte[w.Week]
		if !ok {
			g = GPFTE(ms, w.Week)
			fte[w.Week] = g
		}
		f.GPFTE = g
		if w.Role == ConsultHuisarts {
			f.PerGPFTE = ConsultsPerGPFTE(w.Count, g)
		}
		out[i] = f
	}
	return out
}

// MembershipsOf takes the memberships out of a staff list.
func MembershipsOf(staff []StaffMember) []Membership {
	ms := make([]Membership, len(staff))
	for i, m := range staff {
		ms[i] = m.Membership
	}
	return ms
}

// WeekRange lists the weeks from first to last, both included.
func WeekRange(first, last Week) []Week {
	var out []Week
	if !first.Valid() || !last.Valid() || last.Before(first) {
		return out
	}
	for d := first.Monday(); !last.Before(WeekOf(d)); d = d.AddDays(7) {
		out = append(out, WeekOf(d))
	}
	return out
}

// WeeksBack is the week n-1 weeks before w (the first of n weeks ending at w).
func (w Week) WeeksBack(n int) Week { return WeekOf(w.Monday().AddDays(-7 * (n - 1))) }
