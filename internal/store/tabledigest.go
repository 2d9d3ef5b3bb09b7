package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// TableNames lists the application's tables (goose's own included), sorted.
func (db *DB) TableNames(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.engine == EnginePostgres {
		q = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`
	}
	rows, err := db.sql.QueryContext(ctx, q)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, internal(err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// TableDigests returns, per table, a hash of its whole content (every row,
// every column, in no particular order) and its row count, e.g.
// "visits" → "3:9f2c…". Two equal maps mean no row was added, removed or
// changed anywhere; the proof suite takes one before and one after a
// request that must change nothing (issue 17, Access). It reads through the
// writer connection so it sees every committed write.
func (db *DB) TableDigests(ctx context.Context) (map[string]string, error) {
	tables, err := db.TableNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(tables))
	for _, tb := range tables {
		lines, err := db.tableLines(ctx, tb)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tb, err)
		}
		slices.Sort(lines)
		h := sha256.New()
		for _, l := range lines {
			h.Write([]byte(l))
			h.Write([]byte{0})
		}
		out[tb] = fmt.Sprintf("%d:%s", len(lines), hex.EncodeToString(h.Sum(nil))[:16])
	}
	return out, nil
}

// tableLines returns each row of a table as the text of its values.
func (db *DB) tableLines(ctx context.Context, table string) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT * FROM `+quoteIdent(table))
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, internal(err)
	}
	var out []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, internal(err)
		}
		line := ""
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			line += fmt.Sprintf("%s=%v\x1f", cols[i], v)
		}
		out = append(out, line)
	}
	return out, rows.Err()
}

// quoteIdent quotes a table name for both engines.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// QueryIDsForTest returns the first column of a read query's rows as
// integers; tests use it to find records of a kind (e.g. a visit of
// another region) without a store method per kind.
func (db *DB) QueryIDsForTest(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
