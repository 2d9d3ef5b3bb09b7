package store

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

// The SQLite connections carry the pragmas of the DSN: WAL, foreign keys,
// a busy timeout, and read-only readers.
func TestSQLitePragmas(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, pool := range []struct {
		name string
		q    querier
	}{{"writer", db.sql}, {"reader", db.rd}} {
		var mode string
		var fk, busy, sync int
		if err := pool.q.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := pool.q.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := pool.q.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if err := pool.q.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if strings.ToLower(mode) != "wal" || fk != 1 || busy < 5000 || sync != 1 {
			t.Errorf("%s: journal_mode=%s foreign_keys=%d busy_timeout=%d synchronous=%d", pool.name, mode, fk, busy, sync)
		}
	}
	if _, err := db.rd.ExecContext(ctx, `INSERT INTO app_meta (key, value) VALUES ('x', 'y')`); err == nil {
		t.Error("the read pool accepted a write")
	}
	if n := db.sql.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer pool allows %d connections", n)
	}
	// Foreign keys are enforced.
	_, err = db.sql.ExecContext(ctx, `INSERT INTO practices (region_id, agb, name, status, created_at, updated_at)
		VALUES (999, '01234567', 'x', 'actief', '2024-01-01 00:00:00+00:00', '2024-01-01 00:00:00+00:00')`)
	if !isForeignKey(err) {
		t.Errorf("foreign key not enforced: %v", err)
	}
}

// Two handles on one file (the server and a command-line run) write at the
// same time: busy_timeout and BEGIN IMMEDIATE make them wait, not fail.
func TestSQLiteTwoHandlesWriteConcurrently(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, "sqlite:"+dir+"/"+SQLiteFile, "")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	errs := make(chan error, 300)
	done := make(chan struct{})
	for i, db := range []*DB{a, b, a, b} {
		go func(i int, db *DB) {
			defer func() { done <- struct{}{} }()
			for j := 0; j < 25; j++ {
				key := strings.Repeat("k", i+1) + string(rune('a'+j))
				if err := db.SetMeta(ctx, key, "v"); err != nil {
					errs <- err
				}
				if _, err := db.Meta(ctx, key); err != nil {
					errs <- err
				}
				err := db.inTx(ctx, func(tx *sql.Tx) error {
					if _, err := tx.ExecContext(ctx, `INSERT INTO app_meta (key, value) VALUES ($1, 'tx')`, key+"-tx"); err != nil {
						return err
					}
					_, err := tx.ExecContext(ctx, `UPDATE app_meta SET value = 'tx2' WHERE key = $1`, key+"-tx")
					return err
				})
				if err != nil {
					errs <- err
				}
			}
		}(i, db)
	}
	for range 4 {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var n int
	if err := a.rd.QueryRowContext(ctx, `SELECT COUNT(*) FROM app_meta`).Scan(&n); err != nil || n != 200 {
		t.Fatalf("%d keys, %v", n, err)
	}
}
