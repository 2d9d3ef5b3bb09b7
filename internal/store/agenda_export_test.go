package store

import (
	"context"
	"fmt"
	"strings"
)

// SearchAllTablesForTest reads every row of every table of the database
// and returns "table: needle" for each needle found in any column.
func (db *DB) SearchAllTablesForTest(ctx context.Context, needles []string) (hits []string, tables int, err error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if db.engine == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	names, err := db.QueryStringsForTest(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	for _, name := range names {
		rows, err := db.sql.QueryContext(ctx, `SELECT * FROM "`+name+`"`)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", name, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, 0, err
			}
			for _, v := range vals {
				var s string
				switch x := v.(type) {
				case []byte:
					s = string(x)
				case nil:
					continue
				default:
					s = fmt.Sprint(x)
				}
				for _, n := range needles {
					if strings.Contains(s, n) {
						hits = append(hits, name+": "+n)
					}
				}
			}
		}
		rows.Close()
		tables++
	}
	return hits, tables, nil
}
