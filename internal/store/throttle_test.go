package store_test

import (
	"sync"
	"testing"
	"time"

	"meertijd/internal/auth"
)

// Thirty parallel wrong passwords for one account from one address: the
// reservation is atomic, so exactly the five free attempts go ahead and
// the rest are refused without a password check (issue 11, item 2).
func TestReserveAttemptIsAtomic(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	th := auth.DefaultThrottle
	keys := auth.LoginKeys("a@b.nl", "10.0.0.1")
	now := time.Now()
	var mu sync.Mutex
	allowed, refused := 0, 0
	var wg sync.WaitGroup
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := db.ReserveAttempt(ctx, keys, now, th)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if a.Wait > 0 {
				refused++
			} else {
				allowed++
			}
		}()
	}
	wg.Wait()
	if allowed != th.FreeAccountIP || refused != 30-th.FreeAccountIP {
		t.Fatalf("allowed %d, refused %d; want %d allowed", allowed, refused, th.FreeAccountIP)
	}
}

func TestReserveAttemptBackOff(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	th := auth.DefaultThrottle
	base := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	keys := auth.LoginKeys("A@b.nl ", "10.0.0.1")
	reserve := func(at time.Time, ks []string) (time.Duration, []int) {
		t.Helper()
		a, err := db.ReserveAttempt(ctx, ks, at, th)
		must(t, err)
		return a.Wait, a.Failures
	}
	for i := 1; i <= 5; i++ {
		if w, f := reserve(base, keys); w != 0 || f[0] != i || f[1] != i || f[2] != i {
			t.Fatalf("attempt %d: wait %v failures %v", i, w, f)
		}
	}
	// The sixth waits a minute after the fifth; a refused attempt counts nothing.
	if w, f := reserve(base.Add(10*time.Second), keys); w != 50*time.Second || f != nil {
		t.Fatalf("sixth: wait %v failures %v", w, f)
	}
	// A colleague behind the same address is not held up.
	if w, _ := reserve(base.Add(10*time.Second), auth.LoginKeys("c@b.nl", "10.0.0.1")); w != 0 {
		t.Fatalf("other account from the same address waits %v", w)
	}
	// The same account from another address is not either (20 per account).
	if w, _ := reserve(base.Add(10*time.Second), auth.LoginKeys("a@b.nl", "10.9.9.9")); w != 0 {
		t.Fatalf("same account elsewhere waits %v", w)
	}
	// After the minute: one more attempt, then two minutes.
	if w, f := reserve(base.Add(time.Minute), keys); w != 0 || f[0] != 6 {
		t.Fatalf("after a minute: %v %v", w, f)
	}
	if w, _ := reserve(base.Add(2*time.Minute), keys); w != time.Minute {
		t.Fatalf("seventh waits %v, want the rest of two minutes", w)
	}
	// A good login clears the account's keys and gives back the address's
	// reservation.
	must(t, db.ClearAttempts(ctx, auth.AccountKeys(keys)...))
	must(t, db.ReleaseAttempt(ctx, auth.IPKeys(keys)...))
	if w, f := reserve(base.Add(2*time.Minute), keys); w != 0 || f[0] != 1 || f[2] != 7 {
		t.Fatalf("after a good login: %v %v", w, f)
	}
	// An hour after the last failure a key starts again.
	for range 10 {
		reserve(base.Add(3*time.Minute), auth.TOTPKeys(7))
	}
	if w, f := reserve(base.Add(3*time.Minute+time.Hour), auth.TOTPKeys(7)); w != 0 || f[0] != 1 {
		t.Fatalf("forgotten key: %v %v", w, f)
	}
	must(t, db.PruneAttempts(ctx, base.Add(3*time.Minute+time.Hour)))
	if w, f := reserve(base.Add(2*time.Minute), keys); w != 0 || f[0] != 1 {
		t.Fatalf("pruned key: %v %v", w, f)
	}
}
