package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"meertijd/internal/app"
	"meertijd/internal/store"
)

// cmdBackup writes a consistent copy of the SQLite database while the app
// may keep running.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", stderr)
	cfg := dbFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"gebruik: meertijd backup [--data ./data] BESTAND"}
	}
	if _, err := os.Stat(fs.Arg(0)); err == nil {
		return fmt.Errorf("%s bestaat al; kies een nieuwe bestandsnaam (een back-up overschrijft niets)", fs.Arg(0))
	}
	db, err := app.OpenDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		if errors.Is(err, store.ErrBackupPostgres) {
			return fmt.Errorf("PostgreSQL: maak een back-up met pg_dump (zie README)")
		}
		return err
	}
	fmt.Fprintf(stdout, "back-up geschreven naar %s\nBewaar de geheime sleutel (secret.key in de datamap, of MEERTIJD_SECRET_KEY) apart: zonder die sleutel werkt de tweestapsverificatie na herstel niet.\n", fs.Arg(0))
	return nil
}

// cmdRestore puts a backup in place of the data folder's SQLite database;
// the app must be stopped.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("restore", stderr)
	cfg := dbFlags(fs)
	replace := fs.Bool("vervang", false, "een bestaande database vervangen (die blijft ernaast bewaard)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"gebruik: meertijd restore [--data ./data] [--vervang] BESTAND"}
	}
	if cfg.DatabaseURL != "" {
		return fmt.Errorf("PostgreSQL: herstel met pg_restore of psql (zie README)")
	}
	moved, err := store.RestoreSQLite(ctx, fs.Arg(0), cfg.DataDir, *replace, time.Now())
	if errors.Is(err, store.ErrRestoreExists) {
		return fmt.Errorf("in %s staat al een database; geef --vervang om die te vervangen (de oude blijft ernaast bewaard)", cfg.DataDir)
	}
	if err != nil {
		return err
	}
	if moved != "" {
		fmt.Fprintf(stdout, "de vorige database staat nu in %s\n", moved)
	}
	// Opening migrates a backup of an older version up to this one.
	db, err := app.OpenDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "back-up %s hersteld in %s\n", fs.Arg(0), cfg.DataDir)
	return nil
}
