package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// tableDump is every row of every table, as text, in a stable order.
func tableDump(t *testing.T, db *store.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	tables, err := db.QueryStringsForTest(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		rows, err := db.QueryRowsForTest(ctx, fmt.Sprintf(`SELECT * FROM %q ORDER BY 1, 2`, tb))
		if err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		out[tb] = rows
	}
	return out
}

// A backup taken from the demo database and restored into another data
// folder holds every row of every table; a write after the backup is not
// in it; a folder with a database is refused unless replace keeps the old
// one aside; a file that is not a meertijd database is refused.
func TestBackupRestoreRoundTrip(t *testing.T) {
	live := t.TempDir()
	db, err := store.Open(ctx, "", live)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	must(t, db.Migrate(ctx))
	if _, err := demo.Load(ctx, db, func(string) (string, error) { return "$test$", nil }, time.Now()); err != nil {
		t.Fatal(err)
	}
	want := tableDump(t, db)
	if len(want["practices"]) < 100 || len(want["audit_log"]) == 0 {
		t.Fatalf("demo set too small: %d practices", len(want["practices"]))
	}
	file := filepath.Join(t.TempDir(), "meertijd-backup.db")
	must(t, db.Backup(ctx, file))
	if err := db.Backup(ctx, file); err == nil {
		t.Error("a second backup overwrote the first")
	}
	// The live database moves on; the backup does not.
	must(t, db.CreateRegion(ctx, mtvp.SystemActor, &mtvp.Region{Code: "na-backup", Name: "Na de back-up", Insurers: []string{"CZ"},
		ProgrammeStart: mtvp.MustDate("2026-01-01"), Settings: mtvp.DefaultNormSettings()}))

	restored := t.TempDir()
	if moved, err := store.RestoreSQLite(context.Background(), file, restored, false, time.Now()); err != nil || moved != "" {
		t.Fatalf("restore into an empty folder: %q %v", moved, err)
	}
	rdb, err := store.Open(ctx, "", restored)
	if err != nil {
		t.Fatal(err)
	}
	must(t, rdb.Migrate(ctx))
	got := tableDump(t, rdb)
	if len(got) != len(want) {
		t.Fatalf("%d tables restored, want %d", len(got), len(want))
	}
	for tb, rows := range want {
		if strings.Join(got[tb], "\n") != strings.Join(rows, "\n") {
			t.Errorf("table %s: %d rows restored, want %d (or they differ)", tb, len(got[tb]), len(rows))
		}
	}
	if _, err := rdb.RegionByCode(ctx, "na-backup"); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Errorf("a region written after the backup: %v, want not found", err)
	}
	if _, err := rdb.RegionByCode(ctx, "zio"); err != nil {
		t.Errorf("a demo region is not in the backup: %v", err)
	}
	rdb.Close()

	// A folder that holds a database: refused, or kept aside.
	if _, err := store.RestoreSQLite(ctx, file, restored, false, time.Now()); err == nil {
		t.Error("restore over an existing database without replace")
	}
	moved, err := store.RestoreSQLite(ctx, file, restored, true, time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	if err != nil || !strings.HasSuffix(moved, "meertijd.db.voor-herstel-20261202T100000Z") {
		t.Fatalf("restore with replace: %q %v", moved, err)
	}
	if _, err := os.Stat(moved); err != nil {
		t.Errorf("the old database was not kept aside: %v", err)
	}

	// Not a meertijd database: refused, nothing written.
	junk := filepath.Join(t.TempDir(), "junk.db")
	must(t, os.WriteFile(junk, []byte("dit is geen database"), 0o600))
	empty := t.TempDir()
	if _, err := store.RestoreSQLite(ctx, junk, empty, false, time.Now()); err == nil {
		t.Error("a file that is not a database was restored")
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("a refused restore wrote %d files", len(entries))
	}
	half := filepath.Join(t.TempDir(), "half.db")
	data, _ := os.ReadFile(file)
	must(t, os.WriteFile(half, data[:len(data)/2], 0o600))
	if err := store.CheckSQLiteBackup(ctx, half); err == nil {
		t.Error("a truncated backup passed the check")
	}
}
