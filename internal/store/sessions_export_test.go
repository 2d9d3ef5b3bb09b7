package store

import (
	"context"
	"fmt"
	"time"
)

// SessionExpiryForTest reads a session's stored expiry (zero when none).
func (db *DB) SessionExpiryForTest(ctx context.Context, token string) (time.Time, error) {
	var at time.Time
	err := db.sql.QueryRowContext(ctx, `SELECT expiry FROM sessions WHERE token = $1`, token).Scan(&at)
	return at.UTC(), err
}

// QueryStringsForTest returns the first column of a query's rows.
func (db *DB) QueryStringsForTest(ctx context.Context, query string) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// QueryRowsForTest returns a query's rows, each as the text of its values.
func (db *DB) QueryRowsForTest(ctx context.Context, query string) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%v", vals))
	}
	return out, rows.Err()
}
