package store

import "context"

// ColumnsForTest lists a table's columns as the engine returns them.
func (db *DB) ColumnsForTest(ctx context.Context, table string) ([]string, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}
