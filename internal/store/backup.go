package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Backup and restore of the SQLite database (issue 17). A backup is one
// SQLite file written with VACUUM INTO: a consistent copy taken inside one
// read transaction, so the app keeps running and writing meanwhile (WAL).
// The secret key (secret.key in the data folder, or MEERTIJD_SECRET_KEY)
// is deliberately not in it: it decrypts the second-factor secrets, and a
// backup that leaks must not carry its own key. PostgreSQL is backed up
// with pg_dump (README).

// ErrRestoreExists: the data folder already holds a database.
var ErrRestoreExists = errors.New("store: the data folder already holds a database")

// ErrBackupPostgres: the store does not back up PostgreSQL itself.
var ErrBackupPostgres = errors.New("store: back up PostgreSQL with pg_dump (see the README)")

// Backup writes a consistent copy of the database to path, which must not
// exist yet.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.engine != EngineSQLite {
		return ErrBackupPostgres
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup %s already exists", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	// On the writer connection: the read-only pool refuses VACUUM. VACUUM
	// INTO only reads the database, so it blocks no other writer for long.
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO $1`, abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	// Personal data: readable by the operator only.
	return os.Chmod(abs, 0o600)
}

// CheckSQLiteBackup opens a backup read-only and checks that it is a whole
// meertijd database: SQLite's integrity check passes and the tables of
// the first migration are there.
func CheckSQLiteBackup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("store: backup %s: %w", path, err)
	}
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer c.Close()
	var ok string
	if err := c.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil {
		return fmt.Errorf("store: %s is not a SQLite database: %w", path, err)
	}
	if ok != "ok" {
		return fmt.Errorf("store: %s fails SQLite's integrity check: %s", path, ok)
	}
	var n int
	if err := c.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('goose_db_version', 'regions', 'practices', 'audit_log')`).Scan(&n); err != nil || n != 4 {
		return fmt.Errorf("store: %s is not a meertijd database", path)
	}
	return nil
}

// RestoreSQLite puts the backup in place of the database in dataDir. The
// app must not be running on that folder. An existing database is kept
// beside it (meertijd.db.voor-herstel-TIME, with its -wal and -shm) when
// replace is set, and refused otherwise. It returns the name the old
// database was moved to, if any. The restored file is migrated the next
// time it is opened.
func RestoreSQLite(ctx context.Context, backup, dataDir string, replace bool, now time.Time) (moved string, err error) {
	if err := CheckSQLiteBackup(ctx, backup); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return "", err
	}
	target := filepath.Join(dataDir, SQLiteFile)
	if _, err := os.Stat(target); err == nil {
		if !replace {
			return "", ErrRestoreExists
		}
		moved = target + ".voor-herstel-" + now.UTC().Format("20060102T150405Z")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(target+suffix, moved+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("store: keep the old database aside: %w", err)
			}
		}
	}
	tmp := target + ".herstel"
	if err := copyFileSync(backup, tmp); err != nil {
		os.Remove(tmp)
		return moved, err
	}
	if err := os.Rename(tmp, target); err != nil {
		return moved, err
	}
	return moved, nil
}

// copyFileSync copies src to dst and flushes it to disk.
func copyFileSync(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
