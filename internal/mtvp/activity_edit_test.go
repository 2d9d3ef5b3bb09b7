package mtvp

import (
	"testing"
	"time"
)

func TestActivityEdit(t *testing.T) {
	day := NewDate(2026, time.December, 10)
	stored := Activity{ID: 7, Kind: KindShadowing, Title: "Meelopen", Date: day, StartTime: "08:00", EndTime: "12:00", Place: "Meerssen",
		Capacity: 3, HostPracticeID: 4, HostStatus: HostAccepted, Version: 2}
	for _, c := range []struct {
		name   string
		edit   Activity
		placed int
		field  string
	}{
		{"ok", Activity{Title: " Meelopen bij P2 ", Date: day, StartTime: "09:00", EndTime: "12:00", Place: "Meerssen", Capacity: 5}, 3, ""},
		{"no title", Activity{Date: day, StartTime: "09:00", EndTime: "12:00", Place: "Meerssen", Capacity: 5}, 0, "title"},
		{"below placed", Activity{Title: "x", Date: day, StartTime: "09:00", EndTime: "12:00", Place: "Meerssen", Capacity: 2}, 3, "capacity"},
		{"equal to placed", Activity{Title: "x", Date: day, StartTime: "09:00", EndTime: "12:00", Place: "Meerssen", Capacity: 3}, 3, ""},
		{"capacity 0 is the range error", Activity{Title: "x", Date: day, StartTime: "09:00", EndTime: "12:00", Place: "Meerssen"}, 3, "capacity"},
	} {
		got, err := stored.Edit(c.edit, c.placed)
		f := FieldErrorsOf(err)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if got.Kind != KindShadowing || got.HostPracticeID != 4 || got.HostStatus != HostAccepted || got.ID != 7 || (c.name == "ok" && got.Title != "Meelopen bij P2") {
				t.Errorf("%s: kind, host or id changed or not trimmed: %+v", c.name, got)
			}
			continue
		}
		if _, ok := f[c.field]; !ok || len(f) != 1 {
			t.Errorf("%s: errors %v, want only %s", c.name, f, c.field)
		}
	}
	if _, err := stored.Edit(Activity{Title: "x", Date: day, StartTime: "09:00", EndTime: "12:00", Place: "M", Capacity: 1}, 2); FieldErrorsOf(err)["capacity"] != "activity.err.capacity_below_placed" {
		t.Errorf("shrink below placed: %v", err)
	}
}

func TestActivityCancellable(t *testing.T) {
	today := NewDate(2026, time.December, 3)
	a := Activity{Date: today}
	if err := a.Cancellable(today, false); err != nil {
		t.Errorf("today: %v", err)
	}
	if f := FieldErrorsOf(a.Cancellable(today, true)); f["activity"] != "activity.err.delete_attended" {
		t.Errorf("attended: %v", f)
	}
	a.Date = today.AddDays(-1)
	if f := FieldErrorsOf(a.Cancellable(today, false)); f["activity"] != "activity.err.delete_past" {
		t.Errorf("past: %v", f)
	}
}
