package clock

import (
	"testing"
	"time"
)

func TestOffsetTo(t *testing.T) {
	for _, tc := range []struct {
		now, day string
		want     string // the shifted moment in Amsterdam
	}{
		{"2026-12-02T02:30:00Z", "2026-12-31", "2026-12-31T03:30:00+01:00"},
		{"2026-12-02T23:30:00Z", "2027-01-01", "2027-01-01T00:30:00+01:00"}, // already 3 December in Amsterdam
		{"2026-06-15T10:00:00Z", "2026-12-31", "2026-12-31T12:00:00+01:00"}, // summer time → winter time keeps the wall clock
	} {
		now, _ := time.Parse(time.RFC3339, tc.now)
		d, err := OffsetTo(now, tc.day)
		if err != nil {
			t.Fatal(err)
		}
		if got := now.Add(d).In(amsterdam).Format(time.RFC3339); got != tc.want {
			t.Errorf("%s → %s: got %s, want %s", tc.now, tc.day, got, tc.want)
		}
	}
	if _, err := OffsetTo(time.Now(), "31-12-2026"); err == nil {
		t.Error("a day in the wrong format is refused")
	}
}

func TestNowFollowsTheEnvironment(t *testing.T) {
	// Run as `MEERTIJD_TEST_TODAY=2026-12-31 go test ./...` the calendar moves;
	// without it Now is real time.
	if !Shifted() && time.Since(Now()).Abs() > time.Second {
		t.Error("without the variable Now is real time")
	}
}
