package mtvp

import (
	"slices"
	"testing"
	"time"
)

// One set of tests for the seat rule that trainings, intervision and
// learning activities share.
func TestSeats(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	for _, c := range []struct {
		name             string
		capacity, placed int
		waiting          []Waiter
		taken            bool
		free             int
		promote          []int64
	}{
		{name: "empty", capacity: 3, placed: 0, taken: true, free: 3},
		{name: "last place", capacity: 3, placed: 2, taken: true, free: 1},
		{name: "full", capacity: 3, placed: 3, taken: false, free: 0,
			waiting: []Waiter{{ID: 7, Queued: at(1)}}},
		{name: "over capacity after a reduction", capacity: 2, placed: 4, taken: false, free: 0,
			waiting: []Waiter{{ID: 7, Queued: at(1)}}},
		{name: "one freed: first come first served", capacity: 3, placed: 2, free: 1, taken: true,
			waiting: []Waiter{{ID: 9, Queued: at(5)}, {ID: 4, Queued: at(2)}, {ID: 6, Queued: at(3)}},
			promote: []int64{4}},
		{name: "two freed", capacity: 4, placed: 2, free: 2, taken: true,
			waiting: []Waiter{{ID: 9, Queued: at(5)}, {ID: 4, Queued: at(2)}, {ID: 6, Queued: at(3)}},
			promote: []int64{4, 6}},
		{name: "more free than waiting", capacity: 10, placed: 2, free: 8, taken: true,
			waiting: []Waiter{{ID: 9, Queued: at(5)}, {ID: 4, Queued: at(2)}},
			promote: []int64{4, 9}},
		{name: "same moment: lower id first", capacity: 1, placed: 0, free: 1, taken: true,
			waiting: []Waiter{{ID: 8, Queued: at(1)}, {ID: 3, Queued: at(1)}},
			promote: []int64{3}},
		{name: "zero capacity", capacity: 0, placed: 0, free: 0, taken: false,
			waiting: []Waiter{{ID: 1, Queued: at(1)}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := SeatTaken(c.capacity, c.placed); got != c.taken {
				t.Errorf("SeatTaken = %v, want %v", got, c.taken)
			}
			if got := FreeSeats(c.capacity, c.placed); got != c.free {
				t.Errorf("FreeSeats = %d, want %d", got, c.free)
			}
			before := slices.Clone(c.waiting)
			if got := PromoteWaiting(c.capacity, c.placed, c.waiting); !slices.Equal(got, c.promote) {
				t.Errorf("PromoteWaiting = %v, want %v", got, c.promote)
			}
			if !slices.Equal(before, c.waiting) {
				t.Errorf("PromoteWaiting reordered its input")
			}
		})
	}
}

func TestWaitingPosition(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	w := []Waiter{{ID: 9, Queued: t0.Add(5 * time.Minute)}, {ID: 4, Queued: t0}, {ID: 2, Queued: t0}}
	for id, want := range map[int64]int{2: 1, 4: 2, 9: 3, 5: 0} {
		if got := WaitingPosition(w, id); got != want {
			t.Errorf("WaitingPosition(%d) = %d, want %d", id, got, want)
		}
	}
}
