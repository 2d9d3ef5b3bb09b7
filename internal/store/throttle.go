package store

import (
	"context"
	"time"
)

// LoginFailure records a failed attempt for a throttle key (e-mail or IP).
func (db *DB) LoginFailure(ctx context.Context, key string, at time.Time) error {
	_, err := db.sql.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES ($1, $2)`, key, ts(at))
	return internal(err)
}

// LoginFailures counts failures for key since a time.
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := db.rd.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2`,
		key, ts(since)).Scan(&n)
	return n, internal(err)
}

// ClearLoginFailures forgets the failures of key (after a good login).
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := db.sql.ExecContext(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return internal(err)
}

// PruneLoginFailures forgets failures older than before (housekeeping).
func (db *DB) PruneLoginFailures(ctx context.Context, before time.Time) error {
	_, err := db.sql.ExecContext(ctx, `DELETE FROM login_failures WHERE at < $1`, ts(before))
	return internal(err)
}
