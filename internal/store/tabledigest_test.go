package store_test

import (
	"context"
	"slices"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store/storetest"
)

// TestTableDigests: a write shows in exactly the tables it touches, a read
// in none (both engines).
func TestTableDigests(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	before := storetest.TableDigests(t, db)
	if len(before) < 20 {
		t.Fatalf("only %d tables: %v", len(before), before)
	}
	if got := storetest.ChangedTables(before, storetest.TableDigests(t, db)); len(got) != 0 {
		t.Fatalf("nothing written, yet changed: %v", got)
	}
	r := mtvp.Region{Code: "regio-x", Name: "Regio X", ProgrammeStart: mtvp.MustDate("2024-01-01"), Settings: mtvp.DefaultNormSettings()}
	if err := db.CreateRegion(ctx, mtvp.SystemActor, &r); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RegionByCode(ctx, "regio-x"); err != nil {
		t.Fatal(err)
	}
	after := storetest.TableDigests(t, db)
	changed := storetest.ChangedTables(before, after)
	if !slices.Contains(changed, "regions") || !slices.Contains(changed, "audit_log") {
		t.Fatalf("a new region changed %v", changed)
	}
	if got := storetest.ChangedTables(before, after, changed...); len(got) != 0 {
		t.Fatalf("ignored tables still reported: %v", got)
	}
	ids, err := db.QueryIDsForTest(ctx, `SELECT id FROM regions WHERE code = $1`, "regio-x")
	if err != nil || len(ids) != 1 || ids[0] != r.ID {
		t.Fatalf("QueryIDsForTest: %v %v, want [%d]", ids, err, r.ID)
	}
	// IntegrityCheck reads every table TableNames lists (PostgreSQL).
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}
