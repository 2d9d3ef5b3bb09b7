package main

import (
	"context"
	"io"
	"strings"

	"meertijd/internal/app"
	"meertijd/internal/importer"
	"meertijd/internal/mtvp"
)

// cmdImport imports practices and staff — or, with --soort, one of the
// history lists (intervisie, scholing, evc, plannen, bezoeken) — from a
// CSV or XLSX file into a region, all or nothing; --dry-run only reports.
func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", stderr)
	cfg := dbFlags(fs)
	region := fs.String("region", "", "regiocode")
	kinds := make([]string, len(importer.HistoryKinds))
	for i, k := range importer.HistoryKinds {
		kinds[i] = string(k)
	}
	kind := fs.String("soort", "", "historielijst: "+strings.Join(kinds, ", ")+" (leeg: praktijken en medewerkers)")
	dryRun := fs.Bool("dry-run", false, "alleen controleren, niets opslaan")
	if err := parse(fs, args); err != nil {
		return err
	}
	usage := usageError{"gebruik: meertijd import --region CODE [--soort " + strings.Join(kinds, "|") + "] [--dry-run] BESTAND.csv|BESTAND.xlsx"}
	if *region == "" || fs.NArg() != 1 {
		return usage
	}
	var hk importer.HistoryKind
	if *kind != "" {
		var ok bool
		if hk, ok = importer.ParseHistoryKind(*kind); !ok {
			return usage
		}
	}
	db, err := app.OpenDB(ctx, *cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if hk != "" {
		return importer.ImportHistoryFile(ctx, db, *region, fs.Arg(0), hk, mtvp.SystemActor, *dryRun, stdout)
	}
	return importer.ImportFile(ctx, db, *region, fs.Arg(0), mtvp.SystemActor, *dryRun, stdout)
}
