package web

import (
	"strings"
	"testing"
	"time"

	"meertijd/internal/mtvp"
)

// One activity as iCalendar: local Amsterdam times written in UTC, title
// and place.
func TestActivityCalendar(t *testing.T) {
	a := mtvp.Activity{ID: 7, Title: "Netwerkavond", Place: "Gulpen", Date: mtvp.NewDate(2026, time.December, 10), StartTime: "19:00", EndTime: "21:00"}
	cal := activityCalendar(a, time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC))
	for _, want := range []string{"BEGIN:VEVENT", "UID:activity-7@meertijd", "DTSTART:20261210T180000Z", "DTEND:20261210T200000Z", "SUMMARY:Netwerkavond", "LOCATION:Gulpen"} {
		if !strings.Contains(cal, want) {
			t.Errorf("calendar lacks %q:\n%s", want, cal)
		}
	}
}
