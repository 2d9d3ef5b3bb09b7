package store

import (
	"context"
	"fmt"
	"strings"
)

// IntegrityCheck checks the database as a whole after a crash: on SQLite
// PRAGMA integrity_check (every page, index and constraint) and
// foreign_key_check; on PostgreSQL, which has no such command without
// extensions, every table is read in full (a damaged page fails the
// scan). nil means sound.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	if db.engine == EngineSQLite {
		var res []string
		rows, err := db.sql.QueryContext(ctx, `PRAGMA integrity_check`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			res = append(res, s)
		}
		rows.Close()
		if len(res) != 1 || res[0] != "ok" {
			return fmt.Errorf("integrity_check: %s", strings.Join(res, "; "))
		}
		fk, err := db.sql.QueryContext(ctx, `PRAGMA foreign_key_check`)
		if err != nil {
			return err
		}
		defer fk.Close()
		if fk.Next() {
			return fmt.Errorf("foreign_key_check: rows refer to missing rows")
		}
		return fk.Err()
	}
	tables, err := db.TableNames(ctx)
	if err != nil {
		return err
	}
	if len(tables) == 0 {
		return fmt.Errorf("no tables")
	}
	for _, tb := range tables {
		var n int64
		if err := db.sql.QueryRowContext(ctx, `SELECT count(*) FROM `+quoteIdent(tb)).Scan(&n); err != nil {
			return fmt.Errorf("%s: %w", tb, err)
		}
	}
	return nil
}
