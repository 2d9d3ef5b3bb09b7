package store

import "context"

// AuditCount counts all audit entries; tests use it to prove a refused
// request changed nothing.
func (db *DB) AuditCount(ctx context.Context) (int64, error) {
	var n int64
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&n)
	return n, err
}
