package auth

import (
	"slices"
	"testing"
	"time"
)

func TestThrottleDelay(t *testing.T) {
	th := DefaultThrottle
	keys := LoginKeys(" A@B.nl", "10.0.0.1")
	if !slices.Equal(keys, []string{"acct-ip:a@b.nl|10.0.0.1", "acct:a@b.nl", "ip:10.0.0.1"}) {
		t.Fatalf("LoginKeys %v", keys)
	}
	for _, c := range []struct {
		key      string
		failures int
		want     time.Duration
	}{
		{keys[0], 0, 0},
		{keys[0], 4, 0},
		{keys[0], 5, time.Minute}, // the sixth attempt waits a minute after the fifth
		{keys[0], 6, 2 * time.Minute},
		{keys[0], 8, 8 * time.Minute},
		{keys[0], 9, 15 * time.Minute}, // capped
		{keys[0], 500, 15 * time.Minute},
		{keys[1], 19, 0},
		{keys[1], 20, time.Minute},
		{keys[2], 99, 0}, // a practice behind one address
		{keys[2], 100, time.Minute},
		{TOTPKeys(3)[0], 5, time.Minute},
	} {
		if got := th.Delay(c.key, c.failures); got != c.want {
			t.Errorf("Delay(%s, %d) = %v, want %v", c.key, c.failures, got, c.want)
		}
	}
	if !th.LockedOut(keys[0], 5) || th.LockedOut(keys[0], 6) || th.LockedOut(keys[0], 4) {
		t.Error("LockedOut: the fifth failure starts the back-off")
	}
	if !slices.Equal(AccountKeys(keys), keys[:2]) || !slices.Equal(IPKeys(keys), keys[2:]) {
		t.Error("AccountKeys / IPKeys")
	}
}

func TestThrottleWait(t *testing.T) {
	th := DefaultThrottle
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	k := LoginKeys("a@b.nl", "10.0.0.1")[0]
	for _, c := range []struct {
		failures int
		ago      time.Duration
		want     time.Duration
	}{
		{0, 0, 0},
		{5, 0, time.Minute},
		{5, 20 * time.Second, 40 * time.Second},
		{5, time.Minute, 0},
		{9, 10 * time.Minute, 5 * time.Minute},
		{9, time.Hour, 0},    // forgotten
		{3, -time.Second, 0}, // a parallel attempt stored a later failure: still free
	} {
		if got := th.Wait(k, c.failures, now.Add(-c.ago), now); got != c.want {
			t.Errorf("Wait(%d failures, %v ago) = %v, want %v", c.failures, c.ago, got, c.want)
		}
	}
	if th.Failures(9, now.Add(-time.Hour), now) != 0 || th.Failures(9, now.Add(-59*time.Minute), now) != 9 {
		t.Error("Failures: forgotten after an hour")
	}
	if got := RetryAfterHeader(1500 * time.Millisecond); got != "2" {
		t.Errorf("RetryAfterHeader rounds %q, want up to 2", got)
	}
	if got := RetryAfterHeader(0); got != "1" {
		t.Errorf("RetryAfterHeader(0) = %q", got)
	}
}
