package mtvp

import (
	"cmp"
	"slices"
	"time"
)

// Seats: the one rule for places and waiting lists, shared by training
// sessions, intervision groups and learning activities. A sign-up takes a
// place while fewer people hold one than the capacity, else it joins the
// back of the waiting list. When places free up (a cancellation, a larger
// capacity) the waiting list moves up first come, first served: ordered by
// the moment of sign-up, ties by id.

// SeatTaken reports whether a new sign-up gets a place, given the capacity
// and the number of places already held.
func SeatTaken(capacity, placed int) bool { return placed < capacity }

// FreeSeats is the number of free places (never negative).
func FreeSeats(capacity, placed int) int { return max(0, capacity-placed) }

// Waiter is one entry of a waiting list.
type Waiter struct {
	ID     int64
	Queued time.Time // when the person signed up (or was queued again)
}

// PromoteWaiting returns the ids of the waiting people who move up into the
// free places, in order: first come, first served (Queued, then ID). The
// waiting list need not be sorted.
func PromoteWaiting(capacity, placed int, waiting []Waiter) []int64 {
	free := FreeSeats(capacity, placed)
	if free == 0 || len(waiting) == 0 {
		return nil
	}
	q := slices.Clone(waiting)
	slices.SortStableFunc(q, func(a, b Waiter) int {
		if c := a.Queued.Compare(b.Queued); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	out := make([]int64, 0, min(free, len(q)))
	for _, w := range q[:min(free, len(q))] {
		out = append(out, w.ID)
	}
	return out
}

// WaitingPosition is the 1-based position of id on the waiting list (0 when
// it is not on it), in the same order PromoteWaiting moves people up.
func WaitingPosition(waiting []Waiter, id int64) int {
	var me *Waiter
	for i := range waiting {
		if waiting[i].ID == id {
			me = &waiting[i]
		}
	}
	if me == nil {
		return 0
	}
	pos := 1
	for _, w := range waiting {
		if w.Queued.Before(me.Queued) || (w.Queued.Equal(me.Queued) && w.ID < me.ID) {
			pos++
		}
	}
	return pos
}
