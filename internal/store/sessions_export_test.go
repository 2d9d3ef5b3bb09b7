package store

import (
	"context"
	"time"
)

// SessionExpiryForTest reads a session's stored expiry (zero when none).
func (db *DB) SessionExpiryForTest(ctx context.Context, token string) (time.Time, error) {
	var at time.Time
	err := db.sql.QueryRowContext(ctx, `SELECT expiry FROM sessions WHERE token = $1`, token).Scan(&at)
	return at.UTC(), err
}
