package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meertijd/internal/app"
	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestImportHistoryCommand: `meertijd import --soort bezoeken` checks a
// visits list (--dry-run saves nothing), refuses a broken one with row and
// column, imports a clean one, and a second run changes nothing.
func TestImportHistoryCommand(t *testing.T) {
	c := newCLI(t)
	if _, errs, code := c.run("", "migrate"); code != 0 {
		t.Fatal(errs)
	}
	cfg := app.Config{DataDir: c.args[1]}
	if len(c.args) > 2 {
		cfg.DatabaseURL = c.args[3]
	}
	ctx := context.Background()
	db, err := app.OpenDB(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	reg := mtvp.Region{Code: "zio", Name: "ZIO", Insurers: []string{"CZ"}, ProgrammeStart: mtvp.MustDate("2023-01-01"), Settings: mtvp.DefaultNormSettings()}
	if err := db.CreateRegion(ctx, mtvp.SystemActor, &reg); err != nil {
		t.Fatal(err)
	}
	p := mtvp.Practice{RegionID: reg.ID, AGB: "01061234", Name: "De Linde", City: "Maastricht", Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2023-01-01")}
	if err := db.CreatePractice(ctx, mtvp.SystemActor, &p); err != nil {
		t.Fatal(err)
	}
	db.Close()
	year := mtvp.DateOf(clock.Now()).Year() - 1
	write := func(name, body string) string {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("bezoeken.csv", fmt.Sprintf("AGB-code praktijk;datum bezoek;consulent;samenvatting\n01061234;20-09-%d;Carla;Goed op weg.\n", year))
	bad := write("fout.csv", fmt.Sprintf("AGB-code praktijk;datum bezoek;consulent;samenvatting\n01061234;31-02-%d;Carla;Goed\n", year))

	if _, errs, code := c.run("", "import", "--region", "zio", "--soort", "onzin", good); code != 2 || !strings.Contains(errs, "--soort") {
		t.Errorf("unknown kind: %d %q", code, errs)
	}
	if out, errs, code := c.run("", "import", "--region", "zio", "--soort", "bezoeken", "--dry-run", bad); code == 0 || !strings.Contains(out, `rij 2, kolom "datum bezoek"`) {
		t.Errorf("broken list: %d %q %q", code, out, errs)
	}
	for i, want := range []string{"1 bezoek", "1 bezoek", "1 rij staat er al"} {
		args := []string{"import", "--region", "zio", "--soort", "bezoeken", good}
		if i == 0 {
			args = append(args[:5], "--dry-run", good)
		}
		out, errs, code := c.run("", args...)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("run %d: %d %q %q", i, code, out, errs)
		}
	}
}
