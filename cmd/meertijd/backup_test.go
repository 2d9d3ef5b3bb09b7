package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// backup and restore on the command line: a copy of a data folder's
// database, restored into another folder and refused over an existing one
// without --vervang. On PostgreSQL both point to pg_dump.
func TestBackupRestoreCommands(t *testing.T) {
	c := newCLI(t)
	if out, _, code := c.run("", "migrate"); code != 0 {
		t.Fatalf("migrate: %d %q", code, out)
	}
	if _, _, code := c.run("een lang genoeg wachtwoord\n", "user", "add", "--email", "beheer@host.nl", "--name", "Beheer", "--role", "platform-admin"); code != 0 {
		t.Fatalf("user add: %d", code)
	}
	file := filepath.Join(t.TempDir(), "backup.db")
	if strings.Contains(strings.Join(c.args, " "), "postgres://") {
		if _, errs, code := c.run("", "backup", file); code != 1 || !strings.Contains(errs, "pg_dump") {
			t.Fatalf("backup on PostgreSQL: %d %q", code, errs)
		}
		return
	}
	out, _, code := c.run("", "backup", file)
	if code != 0 || !strings.Contains(out, "geheime sleutel") {
		t.Fatalf("backup: %d %q", code, out)
	}
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", st, err)
	}
	if _, errs, code := c.run("", "backup", file); code != 1 || !strings.Contains(errs, "bestaat al") {
		t.Fatalf("backup over an existing file: %d %q", code, errs)
	}
	if _, errs, code := c.run("", "backup"); code != 2 || !strings.Contains(errs, "gebruik") {
		t.Fatalf("backup without a file: %d %q", code, errs)
	}

	// Restored into a fresh folder, the account is there.
	other := &cli{t: t, args: []string{"--data", t.TempDir()}}
	if out, errs, code := other.run("", "restore", file); code != 0 || !strings.Contains(out, "hersteld") {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	if out, _, code := other.run("", "token", "list", "--email", "beheer@host.nl"); code != 0 {
		t.Fatalf("the restored database lacks the account: %d %q", code, out)
	}
	if _, errs, code := other.run("", "restore", file); code != 1 || !strings.Contains(errs, "--vervang") {
		t.Fatalf("restore over a database: %d %q", code, errs)
	}
	if out, _, code := other.run("", "restore", "--vervang", file); code != 0 || !strings.Contains(out, "voor-herstel") {
		t.Fatalf("restore --vervang: %d %q", code, out)
	}
}
