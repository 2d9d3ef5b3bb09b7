package store

import (
	"context"
	"database/sql"
	"slices"
	"time"
)

// ThrottlePolicy is auth.Throttle as the store sees it: how much longer a
// key must wait at now given its stored failures and last failure, and
// how many of those failures still count (a key forgotten starts again).
type ThrottlePolicy interface {
	Wait(key string, failures int, last, now time.Time) time.Duration
	Failures(failures int, last, now time.Time) int
}

// Attempt is the outcome of ReserveAttempt.
type Attempt struct {
	// Wait > 0: refused; nothing was counted. The longest wait of the keys.
	Wait time.Duration
	// Failures per key after the reservation (the reserved attempt
	// counted), in the order of the keys given. Empty when refused.
	Failures []int
}

// ReserveAttempt decides and records a login attempt atomically: in one
// transaction it locks the throttle row of every key, asks the policy
// how long each must still wait,
// and either refuses (nothing changes) or counts the attempt as a failure
// under every key BEFORE the caller checks the password. Parallel
// attempts therefore queue on the rows and cannot all pass a limit. A good
// login then clears (ClearAttempts) or gives back (ReleaseAttempt) the
// reservation. A key the policy has forgotten starts again at 1.
func (db *DB) ReserveAttempt(ctx context.Context, keys []string, now time.Time, p ThrottlePolicy) (Attempt, error) {
	var out Attempt
	sorted := slices.Clone(keys)
	slices.Sort(sorted) // one lock order: no deadlock between two attempts
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		out = Attempt{}
		state := map[string]int{}
		for _, k := range slices.Compact(sorted) {
			// The no-op upsert creates the row if needed and, on
			// PostgreSQL, locks it until the transaction ends (SQLite's
			// immediate transaction holds the one write lock already).
			var n int
			var last time.Time
			err := tx.QueryRowContext(ctx, `INSERT INTO login_throttle (key, failures, last_at) VALUES ($1, 0, $2)
				ON CONFLICT (key) DO UPDATE SET key = excluded.key RETURNING failures, last_at`, k, ts(now)).Scan(&n, &last)
			if err != nil {
				return internal(err)
			}
			out.Wait = max(out.Wait, p.Wait(k, n, utc(last), now))
			state[k] = p.Failures(n, utc(last), now)
		}
		if out.Wait > 0 {
			return nil
		}
		for k, n := range state {
			if _, err := tx.ExecContext(ctx, `UPDATE login_throttle SET failures = $2, last_at = $3 WHERE key = $1`, k, n+1, ts(now)); err != nil {
				return internal(err)
			}
			state[k] = n + 1
		}
		for _, k := range keys {
			out.Failures = append(out.Failures, state[k])
		}
		return nil
	})
	return out, err
}

// ClearAttempts forgets the failures of keys (after a good login).
func (db *DB) ClearAttempts(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if _, err := db.sql.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, k); err != nil {
			return internal(err)
		}
	}
	return nil
}

// ReleaseAttempt gives back one reserved attempt of each key (a good login
// from an address whose count must not grow with good logins).
func (db *DB) ReleaseAttempt(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if _, err := db.sql.ExecContext(ctx, `UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0`, k); err != nil {
			return internal(err)
		}
	}
	return nil
}

// PruneAttempts forgets keys whose last failure is before a time
// (housekeeping).
func (db *DB) PruneAttempts(ctx context.Context, before time.Time) error {
	_, err := db.sql.ExecContext(ctx, `DELETE FROM login_throttle WHERE last_at < $1`, ts(before))
	return internal(err)
}
