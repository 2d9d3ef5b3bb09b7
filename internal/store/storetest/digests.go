package storetest

import (
	"context"
	"slices"
	"testing"

	"meertijd/internal/store"
)

// TableDigests returns store.DB.TableDigests, failing the test on error.
func TableDigests(t testing.TB, db *store.DB) map[string]string {
	t.Helper()
	d, err := db.TableDigests(context.Background())
	if err != nil {
		t.Fatalf("storetest: table digests: %v", err)
	}
	return d
}

// ChangedTables names the tables whose digest differs between before and
// after (or that exist in only one), sorted; tables in ignore are skipped
// (e.g. "sessions", which a signed-in request may touch).
func ChangedTables(before, after map[string]string, ignore ...string) []string {
	var out []string
	for tb, d := range before {
		if !slices.Contains(ignore, tb) && after[tb] != d {
			out = append(out, tb)
		}
	}
	for tb := range after {
		if _, ok := before[tb]; !ok && !slices.Contains(ignore, tb) {
			out = append(out, tb)
		}
	}
	slices.Sort(out)
	return out
}
