package store

import (
	"context"
	"database/sql"
	"errors"
)

// Meta reads a key of the app_meta table ("" when absent).
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.rd.QueryRowContext(ctx, `SELECT value FROM app_meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, internal(err)
}

// SetMeta writes a key of the app_meta table.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	_, err := db.sql.ExecContext(ctx, `INSERT INTO app_meta (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return internal(err)
}
