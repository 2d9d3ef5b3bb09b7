// Package clock is meertijd's one source of the calendar: what "today" and
// "this year" are. Everything that decides by date (the current programme
// year, the default peildatum, a sign-up's date) asks Now here rather than
// time.Now, so the test suite can be run as if it were another day.
//
// In a test binary only, MEERTIJD_TEST_TODAY=YYYY-MM-DD moves the calendar to
// that day (the time of day stays real). CI runs the suite once more on
// 31 December and on 1 January with it, so no test is bound to the season
// it happens to run in. A production binary ignores the variable.
//
// Security clocks (session expiry, TOTP steps, token lifetimes) stay on
// real time: they are not calendar questions.
package clock

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// TodayEnv is the environment variable a test binary reads.
const TodayEnv = "MEERTIJD_TEST_TODAY"

var amsterdam = mustZone("Europe/Amsterdam")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// No tz database on the machine: the offset to UTC is at most two
		// hours, which does not change a calendar shift of whole days.
		return time.FixedZone("CET", 3600)
	}
	return loc
}

// offset is how far the test calendar is moved from real time.
var offset = initOffset()

func initOffset() time.Duration {
	if !testing.Testing() {
		return 0
	}
	v := os.Getenv(TodayEnv)
	if v == "" {
		return 0
	}
	d, err := OffsetTo(time.Now(), v)
	if err != nil {
		panic(err)
	}
	return d
}

// OffsetTo is the shift that makes now fall on the day (YYYY-MM-DD) in
// Amsterdam, keeping the time of day. Exported for its test.
func OffsetTo(now time.Time, day string) (time.Duration, error) {
	want, err := time.ParseInLocation("2006-01-02", day, amsterdam)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: want YYYY-MM-DD", TodayEnv, day)
	}
	local := now.In(amsterdam)
	shifted := time.Date(want.Year(), want.Month(), want.Day(), local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), amsterdam)
	return shifted.Sub(now), nil
}

// Now is the current moment on meertijd's calendar.
func Now() time.Time {
	if offset == 0 {
		return time.Now()
	}
	return time.Now().Add(offset)
}

// Shifted reports whether the calendar is moved (a test run as another day).
func Shifted() bool { return offset != 0 }
