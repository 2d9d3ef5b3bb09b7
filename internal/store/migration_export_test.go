package store

import "context"

// ExecForTest runs one statement on the writer (migration tests).
func (db *DB) ExecForTest(ctx context.Context, q string) error {
	_, err := db.sql.ExecContext(ctx, q)
	return err
}
