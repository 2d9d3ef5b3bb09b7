package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// ExistingAGBs returns a lookup of the practice AGB codes a region already
// has, for Parse.
func ExistingAGBs(ctx context.Context, db *store.DB, regionID int64) (func(string) bool, error) {
	list, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: regionID})
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(list))
	for _, p := range list {
		set[p.AGB] = true
	}
	return func(agb string) bool { return set[agb] }, nil
}

// Check parses a file against a region's current practices.
func Check(ctx context.Context, db *store.DB, regionID int64, data []byte) (*Preview, error) {
	existing, err := ExistingAGBs(ctx, db, regionID)
	if err != nil {
		return nil, err
	}
	return Parse(data, existing), nil
}

// ErrRefused is the error of a file with errors: nothing was imported.
var ErrRefused = &mtvp.Error{Code: mtvp.EINVALID, Message: "import.err.refused"}

// Apply checks the file again against the region as it is now and, when
// it is clean, applies it in one transaction (store.ApplyImport: all or
// nothing). A file with errors returns its preview and ErrRefused.
func Apply(ctx context.Context, db *store.DB, a mtvp.Actor, regionID int64, data []byte) (*Preview, mtvp.ImportResult, error) {
	p, err := Check(ctx, db, regionID, data)
	if err != nil {
		return nil, mtvp.ImportResult{}, err
	}
	if !p.OK() {
		return p, mtvp.ImportResult{}, ErrRefused
	}
	res, err := db.ApplyImport(ctx, a, regionID, p.Batch)
	return p, res, err
}

// ImportFile is `meertijd import --region CODE FILE [--dry-run]`: it checks
// the file, prints a Dutch report of every error (row, column, message) and
// refuses the file when there is any; otherwise it imports it (or with
// dryRun only reports what it would do).
func ImportFile(ctx context.Context, db *store.DB, regionCode, path string, actor mtvp.Actor, dryRun bool, w io.Writer) error {
	reg, err := db.RegionByCode(ctx, regionCode)
	if err != nil {
		if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
			return fmt.Errorf("regio %q bestaat niet", regionCode)
		}
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("bestand %s: %w", path, err)
	}
	if fi.Size() > MaxSize {
		return fmt.Errorf("%s: %s", path, i18n.T("nl", "import.err.too_large", MaxSize>>20))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("bestand %s: %w", path, err)
	}
	p, err := Check(ctx, db, reg.ID, data)
	if err != nil {
		return err
	}
	if !p.OK() {
		WriteReport(w, p, "nl")
		return errors.New(RefusedText(p, "nl"))
	}
	fmt.Fprintln(w, Summary(p, "nl"))
	if dryRun {
		fmt.Fprintln(w, i18n.T("nl", "import.dry_run_ok"))
		return nil
	}
	res, err := db.ApplyImport(ctx, actor, reg.ID, p.Batch)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, ResultText(res, "nl"))
	return nil
}

// WriteReport writes every error of a preview, one per line: where (sheet,
// row, column), the message and the cell's value.
func WriteReport(w io.Writer, p *Preview, lang string) {
	for _, e := range p.Errors() {
		var where []string
		if e.Sheet != "" {
			where = append(where, i18n.T(lang, "import.report.sheet", e.Sheet))
		}
		if e.Row > 0 {
			where = append(where, i18n.T(lang, "import.report.row", e.Row))
		}
		if e.Column != "" {
			where = append(where, i18n.T(lang, "import.report.column", e.Column))
		}
		line := e.Message(lang)
		if len(where) > 0 {
			line = strings.Join(where, ", ") + ": " + line
		}
		if e.Value != "" && e.Row > 0 {
			line += " " + i18n.T(lang, "import.report.value", e.Value)
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, RefusedText(p, lang))
}

// Count formats a number with its noun: "1 praktijk", "3 praktijken"
// (key and key+"_one" in the catalog).
func Count(lang, key string, n int) string {
	if n == 1 && i18n.Has(lang, key+"_one") {
		return i18n.T(lang, key+"_one")
	}
	return i18n.T(lang, key, n)
}

// RefusedText says a file was refused and how many errors it has.
func RefusedText(p *Preview, lang string) string {
	if p.ErrorRows == 0 {
		return i18n.T(lang, "import.err.refused_file")
	}
	return i18n.T(lang, "import.err.refused_count", Count(lang, "import.n_errors", p.ErrorCount), Count(lang, "import.n_rows", p.ErrorRows))
}

// ErrorsIntro is the line above a refused file's errors on the page.
func ErrorsIntro(p *Preview, lang string) string {
	if p.ErrorRows == 0 {
		return i18n.T(lang, "import.errors_intro_file")
	}
	return i18n.T(lang, "import.errors_intro", Count(lang, "import.n_errors", p.ErrorCount), Count(lang, "import.n_rows", p.ErrorRows))
}

// Summary describes a clean preview: "12 praktijken, 85 medewerkers; 3
// praktijken bestaan al en worden bijgewerkt".
func Summary(p *Preview, lang string) string {
	s := Count(lang, "import.n_practices", p.Practices) + ", " + Count(lang, "import.n_staff", p.Staff)
	if p.PracticesExisting > 0 {
		s += "; " + Count(lang, "import.summary_existing", p.PracticesExisting)
	}
	return s
}

// ResultText describes what an applied import did.
func ResultText(r mtvp.ImportResult, lang string) string {
	return i18n.T(lang, "import.done", r.PracticesCreated, r.PracticesUpdated, r.PeopleCreated, r.PeopleMatched, r.MembershipsCreated, r.MembershipsSkipped)
}

// ImportHistoryFile is `meertijd import --region CODE --soort KIND FILE
// [--dry-run]`: it checks a history list, prints a Dutch report of every
// error (row, column, message) and refuses the file when there is any;
// otherwise it imports it all or nothing (with dryRun it only reports what
// it would do).
func ImportHistoryFile(ctx context.Context, db *store.DB, regionCode, path string, kind HistoryKind, actor mtvp.Actor, dryRun bool, w io.Writer) error {
	reg, err := db.RegionByCode(ctx, regionCode)
	if err != nil {
		if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
			return fmt.Errorf("regio %q bestaat niet", regionCode)
		}
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("bestand %s: %w", path, err)
	}
	p, err := ImportHistory(ctx, db, reg.ID, data, HistoryOptions{Kind: kind, FileName: filepath.Base(path), Actor: actor, DryRun: dryRun})
	if errors.Is(err, ErrRefused) {
		WriteReport(w, p, "nl")
		return errors.New(RefusedText(p, "nl"))
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(w, HistorySummary(p, "nl"))
	if dryRun {
		fmt.Fprintln(w, i18n.T("nl", "import.dry_run_ok"))
	}
	return nil
}
