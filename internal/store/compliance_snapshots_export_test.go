package store

import "context"

// ExecRawForTest runs a statement on the writer, bypassing the store's
// methods, so a test can prove the schema itself refuses a change.
func (db *DB) ExecRawForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.sql.ExecContext(ctx, query, args...)
	return err
}
