package store_test

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestMigrationVisitsRecordedFrom: migration 00012 gives a region that
// already records visits the setting visits_recorded_from (January 1 of
// its first year with a visit that is not cancelled), so its annual visits
// stay judged; a region without visits keeps "not recorded".
func TestMigrationVisitsRecordedFrom(t *testing.T) {
	f := newVisitFixture(t)
	db := f.db
	v := mtvp.Visit{PracticeID: f.p1.ID, Year: f.year, PlannedOn: mtvp.NewDate(f.year, time.June, 1)}
	must(t, db.CreateVisit(ctx, admin, &v))
	quiet := addRegion(t, db, "zonder-bezoeken")

	engine := "sqlite"
	clear := `UPDATE regions SET settings = json_remove(settings, '$.visits_recorded_from')`
	if db.Engine() == store.EnginePostgres {
		engine = "postgres"
		clear = `UPDATE regions SET settings = settings - 'visits_recorded_from'`
	}
	must(t, db.ExecForTest(ctx, clear))
	b, err := fs.ReadFile(store.Migrations(), "migrations/"+engine+"/00012_visits_recorded_from.sql")
	must(t, err)
	up := strings.Split(strings.SplitN(string(b), "-- +goose Up", 2)[1], "-- +goose Down")[0]
	must(t, db.ExecForTest(ctx, up))

	reg, err := db.RegionByID(ctx, f.region.ID)
	must(t, err)
	if want := mtvp.NewDate(f.year, time.January, 1); !reg.Settings.VisitsRecordedFrom.Equal(want) {
		t.Fatalf("region with visits: recorded from %v, want %v", reg.Settings.VisitsRecordedFrom, want)
	}
	q, err := db.RegionByID(ctx, quiet.ID)
	must(t, err)
	if !q.Settings.VisitsRecordedFrom.IsZero() {
		t.Fatalf("region without visits: %v", q.Settings.VisitsRecordedFrom)
	}
	// Running it again changes nothing.
	must(t, db.ExecForTest(ctx, up))
	again, err := db.RegionByID(ctx, f.region.ID)
	must(t, err)
	if !again.Settings.VisitsRecordedFrom.Equal(reg.Settings.VisitsRecordedFrom) || again.Version != reg.Version {
		t.Fatalf("second run: %+v", again.Settings)
	}
}
