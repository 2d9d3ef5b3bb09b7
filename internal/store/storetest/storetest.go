// Package storetest gives tests a fresh, migrated database: SQLite in a
// temporary folder, or PostgreSQL when MEERTIJD_TEST_POSTGRES holds a
// server URL (a new database per test, dropped afterwards).
//
// Migrating costs more than copying, so each test process migrates once into
// a template (an in-memory copy of the SQLite file, or a PostgreSQL template
// database named after a hash of the migrations) and every New copies it.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"meertijd/internal/store"
)

// EnvPostgres names the environment variable holding a PostgreSQL server
// URL; when set, tests run on PostgreSQL.
const EnvPostgres = "MEERTIJD_TEST_POSTGRES"

// Engine tells which engine New uses: "postgres" or "sqlite".
func Engine() string {
	if os.Getenv(EnvPostgres) != "" {
		return store.EnginePostgres
	}
	return store.EngineSQLite
}

// New returns a fresh migrated database closed (and on PostgreSQL dropped)
// when the test ends.
func New(t testing.TB) *store.DB {
	t.Helper()
	if u := os.Getenv(EnvPostgres); u != "" {
		return newPostgres(t, u)
	}
	return newSQLite(t)
}

// NewDatabaseURL returns "" on SQLite (the caller uses its data folder);
// on PostgreSQL it returns the URL of a fresh migrated database of its own,
// dropped when the test ends. For tests that open the database themselves,
// such as the end-to-end tests starting the whole app.
func NewDatabaseURL(t testing.TB) string {
	t.Helper()
	serverURL := os.Getenv(EnvPostgres)
	if serverURL == "" {
		return ""
	}
	return newPGDatabase(t, serverURL)
}

// ---- SQLite ----

var sqliteTemplate struct {
	once sync.Once
	data []byte
	err  error
}

func newSQLite(t testing.TB) *store.DB {
	ctx := context.Background()
	sqliteTemplate.once.Do(func() {
		sqliteTemplate.data, sqliteTemplate.err = buildSQLiteTemplate(ctx)
	})
	if sqliteTemplate.err != nil {
		t.Fatalf("storetest: %v", sqliteTemplate.err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, store.SQLiteFile), sqliteTemplate.data, 0o600); err != nil {
		t.Fatalf("storetest: %v", err)
	}
	db, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate: %v", err)
	}
	return db
}

// buildSQLiteTemplate migrates a database in a scratch folder and returns
// the file's bytes (closing the database folds the WAL into the file).
func buildSQLiteTemplate(ctx context.Context) ([]byte, error) {
	dir, err := os.MkdirTemp("", "meertijd-storetest-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, "", dir)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(dir, store.SQLiteFile))
}

// ---- PostgreSQL ----

var pgTemplate struct {
	once sync.Once
	name string
	err  error
}

var pgCounter atomic.Int64

func newPostgres(t testing.TB, serverURL string) *store.DB {
	ctx := context.Background()
	dbURL := newPGDatabase(t, serverURL)
	db, err := store.Open(ctx, dbURL, "")
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	// Cleanups run last-in first-out: close before the database is dropped.
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate: %v", err)
	}
	return db
}

// newPGDatabase copies the migrated template into a new database and
// drops it (closing any connection left) when the test ends.
func newPGDatabase(t testing.TB, serverURL string) string {
	ctx := context.Background()
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	defer admin.Close()
	pgTemplate.once.Do(func() {
		pgTemplate.name, pgTemplate.err = ensurePGTemplate(ctx, admin, serverURL)
	})
	if pgTemplate.err != nil {
		t.Fatalf("storetest: postgres template: %v", pgTemplate.err)
	}
	name := fmt.Sprintf("meertijd_test_%d_%d_%s", os.Getpid(), pgCounter.Add(1), randHex(4))
	err = createFromTemplate(ctx, admin, name, pgTemplate.name)
	// Another checkout's test run (other migrations) dropped it as old
	// while this one was running: build it again. With several checkouts
	// testing at once that can happen again between building and copying,
	// so a few times.
	for try := 0; try < 5 && err != nil && strings.Contains(err.Error(), "does not exist"); try++ {
		var tmpl string
		if tmpl, err = ensurePGTemplate(ctx, admin, serverURL); err == nil {
			err = createFromTemplate(ctx, admin, name, tmpl)
		}
	}
	if err != nil {
		t.Fatalf("storetest: create database: %v", err)
	}
	// Tests need no durability: commits need not wait for the disk.
	if _, err := admin.ExecContext(ctx, `ALTER DATABASE `+quoteIdent(name)+` SET synchronous_commit = off`); err != nil {
		dropDatabase(ctx, serverURL, name)
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() {
		if err := dropDatabase(context.Background(), serverURL, name); err != nil {
			t.Errorf("storetest: drop %s: %v", name, err)
		}
	})
	return withDatabase(serverURL, name)
}

// createFromTemplate copies the template; PostgreSQL refuses while another
// session is briefly connected to it, so that error is retried.
func createFromTemplate(ctx context.Context, admin *sql.DB, name, template string) error {
	var err error
	for i := 0; i < 50; i++ {
		_, err = admin.ExecContext(ctx, `CREATE DATABASE `+quoteIdent(name)+` TEMPLATE `+quoteIdent(template))
		if err == nil || !strings.Contains(err.Error(), "being accessed by other users") {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

// ensurePGTemplate returns the name of a migrated template database for the
// current migrations, creating it when absent. The name carries a hash of
// the migrations, so a schema change makes a new one and concurrent test
// processes share it. It is built under a scratch name and renamed when
// complete, so nobody copies a half-migrated template.
func ensurePGTemplate(ctx context.Context, admin *sql.DB, serverURL string) (string, error) {
	h, err := migrationsHash()
	if err != nil {
		return "", err
	}
	// Per role: a role may only copy a template it owns, and test runs as
	// different roles (a developer as postgres, CI as meertijd) share a server.
	var role string
	if err := admin.QueryRowContext(ctx, `SELECT current_user`).Scan(&role); err != nil {
		return "", err
	}
	prefix := "meertijd_tmpl_" + safeIdent(role) + "_"
	name := prefix + h
	exists := func() (bool, error) {
		var n int
		err := admin.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&n)
		return n > 0, err
	}
	if ok, err := exists(); err != nil || ok {
		return name, err
	}
	scratch := fmt.Sprintf("meertijd_tmplbuild_%d_%s", os.Getpid(), randHex(4))
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+quoteIdent(scratch)); err != nil {
		return "", err
	}
	db, err := store.Open(ctx, withDatabase(serverURL, scratch), "")
	if err == nil {
		err = db.Migrate(ctx)
		db.Close()
	}
	if err == nil {
		_, err = admin.ExecContext(ctx, `ALTER DATABASE `+quoteIdent(scratch)+` RENAME TO `+quoteIdent(name))
		if err != nil {
			// Another process won the race; use its template.
			if ok, _ := exists(); ok {
				err = nil
			}
		}
	}
	if err != nil || scratchLeft(ctx, admin, scratch) {
		dropDatabase(ctx, serverURL, scratch)
	}
	if err != nil {
		return "", err
	}
	// Templates of older migrations are of no further use.
	rows, qerr := admin.QueryContext(ctx, `SELECT datname FROM pg_database WHERE starts_with(datname, $2) AND datname <> $1`, name, prefix)
	if qerr == nil {
		var old []string
		for rows.Next() {
			var n string
			if rows.Scan(&n) == nil {
				old = append(old, n)
			}
		}
		rows.Close()
		for _, n := range old {
			dropDatabase(ctx, serverURL, n)
		}
	}
	return name, nil
}

func scratchLeft(ctx context.Context, admin *sql.DB, scratch string) bool {
	var n int
	_ = admin.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, scratch).Scan(&n)
	return n > 0
}

func dropDatabase(ctx context.Context, serverURL, name string) error {
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+quoteIdent(name)+` WITH (FORCE)`)
	return err
}

// migrationsHash identifies the PostgreSQL migrations' content.
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(store.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.Contains(path, "postgres") {
			return err
		}
		b, err := fs.ReadFile(store.Migrations(), path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

func withDatabase(serverURL, name string) string {
	u, err := url.Parse(serverURL)
	if err != nil {
		return serverURL
	}
	u.Path = "/" + name
	return u.String()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// safeIdent keeps the letters and digits of a role name for use in a
// database name.
func safeIdent(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}
