package auth

import (
	"testing"
	"time"
)

func TestThrottleBlocked(t *testing.T) {
	th := DefaultThrottle
	if th.Window != 15*time.Minute || th.MaxPerAccount != 5 || th.MaxPerIP != 20 {
		t.Fatalf("DefaultThrottle %+v", th)
	}
	for _, c := range []struct {
		acc, ip int
		want    bool
	}{
		{0, 0, false},
		{4, 19, false},
		{5, 0, true},  // fifth failure on the account: the sixth try waits
		{0, 20, true}, // spraying from one address
		{4, 20, true},
		{5, 19, true},
	} {
		if got := th.Blocked(c.acc, c.ip); got != c.want {
			t.Errorf("Blocked(%d, %d) = %v, want %v", c.acc, c.ip, got, c.want)
		}
	}
	noIP := Throttle{Window: time.Minute, MaxPerAccount: 3}
	if noIP.Blocked(2, 1000) || !noIP.Blocked(3, 0) {
		t.Error("a zero MaxPerIP must mean no per-IP limit")
	}
	if (Throttle{}).Blocked(1000, 1000) {
		t.Error("a zero Throttle blocks")
	}
}

func TestThrottleTimes(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	th := DefaultThrottle
	if got := th.Since(now); !got.Equal(now.Add(-15 * time.Minute)) {
		t.Errorf("Since = %v", got)
	}
	if th.RetryAfter() != 15*time.Minute || th.RetryAfterHeader() != "900" {
		t.Errorf("RetryAfter = %v, header %q", th.RetryAfter(), th.RetryAfterHeader())
	}
	if got := (Throttle{Window: 1500 * time.Millisecond}).RetryAfterHeader(); got != "2" {
		t.Errorf("RetryAfterHeader rounds %q, want up to 2", got)
	}
}
