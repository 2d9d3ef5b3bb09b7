package store

import "context"

// AuditCount counts the audit entries of data changes; tests use it to
// prove a refused request changed nothing. Authentication events (a
// failed login is recorded, and changes nothing) are not counted.
func (db *DB) AuditCount(ctx context.Context) (int64, error) {
	var n int64
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE entity <> $1`, EntityAuth).Scan(&n)
	return n, err
}
