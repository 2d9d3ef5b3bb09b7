package main

import (
	"context"
	"io"

	"meertijd/internal/app"
	"meertijd/internal/importer"
	"meertijd/internal/mtvp"
)

// cmdImport imports practices and staff from a CSV or XLSX file into a
// region, all or nothing; --dry-run only reports.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", stderr)
	cfg := dbFlags(fs)
	region := fs.String("region", "", "regiocode")
	dryRun := fs.Bool("dry-run", false, "alleen controleren, niets opslaan")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *region == "" || fs.NArg() != 1 {
		return usageError{"gebruik: meertijd import --region CODE [--dry-run] BESTAND.csv|BESTAND.xlsx"}
	}
	db, err := app.OpenDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return importer.ImportFile(ctx, db, *region, fs.Arg(0), mtvp.SystemActor, *dryRun, stdout)
}
