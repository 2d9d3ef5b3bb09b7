package store_test

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

func TestOpenPingEngine(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	must(t, db.Ping(ctx))
	if db.Engine() != storetest.Engine() {
		t.Fatalf("engine %q, storetest says %q", db.Engine(), storetest.Engine())
	}
	// Migrating again changes nothing.
	must(t, db.Migrate(ctx))
	v, err := db.SchemaVersion(ctx)
	must(t, err)
	if v < 1 {
		t.Fatalf("schema version %d", v)
	}
}

func TestOpenSQLiteCreatesDataDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir() + "/nested/data"
	for _, url := range []string{"", "sqlite:", "sqlite:" + dir + "/meertijd.db"} {
		db, err := store.Open(ctx, url, dir)
		must(t, err)
		must(t, db.Migrate(ctx))
		must(t, db.Ping(ctx))
		if db.Engine() != store.EngineSQLite {
			t.Fatalf("engine %q", db.Engine())
		}
		must(t, db.Close())
	}
	if _, err := store.Open(ctx, "mysql://x", dir); err == nil {
		t.Fatal("mysql URL accepted")
	}
}

func TestMeta(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	v, err := db.Meta(ctx, "demo")
	must(t, err)
	if v != "" {
		t.Fatalf("absent key = %q", v)
	}
	must(t, db.SetMeta(ctx, "demo", "1"))
	must(t, db.SetMeta(ctx, "demo", "2"))
	v, err = db.Meta(ctx, "demo")
	must(t, err)
	if v != "2" {
		t.Fatalf("meta = %q", v)
	}
}

func TestRegions(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	if r.ID == 0 || r.Version != 1 || r.CreatedAt.IsZero() {
		t.Fatalf("created %+v", r)
	}
	addRegion(t, db, "primacura")

	got, err := db.RegionByID(ctx, r.ID)
	must(t, err)
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("roundtrip:\n got %+v\nwant %+v", got, r)
	}
	byCode, err := db.RegionByCode(ctx, " ZIO ")
	must(t, err)
	if byCode.ID != r.ID {
		t.Fatal("by code")
	}
	_, err = db.RegionByID(ctx, 999)
	wantCode(t, err, mtvp.ENOTFOUND)
	_, err = db.RegionByCode(ctx, "nope")
	wantCode(t, err, mtvp.ENOTFOUND)

	list, err := db.ListRegions(ctx)
	must(t, err)
	if len(list) != 2 || list[0].Code != "primacura" || list[1].Code != "zio" {
		t.Fatalf("list %+v", list)
	}

	// Validation and duplicates.
	bad := mtvp.Region{Code: "X Y", Name: ""}
	err = db.CreateRegion(ctx, admin, &bad)
	wantField(t, err, "code", "err.region_code")
	dup := mtvp.Region{Code: "zio", Name: "Ander", Settings: mtvp.DefaultNormSettings()}
	wantField(t, db.CreateRegion(ctx, admin, &dup), "code", "err.duplicate")

	// Update with version check.
	r.Name = "ZIO Maastricht-Heuvelland"
	r.Settings.IntervisionThreshold = 0.6
	r.ShareParticipation = true
	must(t, db.UpdateRegion(ctx, admin, &r))
	if r.Version != 2 {
		t.Fatalf("version %d", r.Version)
	}
	got, err = db.RegionByID(ctx, r.ID)
	must(t, err)
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("after update:\n got %+v\nwant %+v", got, r)
	}
	stale := r
	stale.Version = 1
	stale.Name = "Oud"
	wantCode(t, db.UpdateRegion(ctx, admin, &stale), mtvp.ECONFLICT)
	missing := r
	missing.ID = 999
	wantCode(t, db.UpdateRegion(ctx, admin, &missing), mtvp.ENOTFOUND)
	inv := r
	inv.Settings.IntervisionThreshold = 2
	wantField(t, db.UpdateRegion(ctx, admin, &inv), "intervision_threshold", "err.threshold_range")

	h, err := db.History(ctx, store.EntityRegion, r.ID)
	must(t, err)
	if len(h) != 2 || h[0].Action != store.ActionUpdate || h[1].Action != store.ActionCreate {
		t.Fatalf("history %+v", h)
	}
	fields := map[string]mtvp.Change{}
	for _, c := range h[0].Changes {
		fields[c.Field] = c
	}
	if c := fields["Name"]; c.Old != "Regio zio" || c.New != "ZIO Maastricht-Heuvelland" {
		t.Fatalf("name change %+v in %+v", c, h[0].Changes)
	}
	if c := fields["Settings.IntervisionThreshold"]; c.Old != "0.5" || c.New != "0.6" {
		t.Fatalf("settings change %+v", h[0].Changes)
	}
	if h[0].Actor.Name != admin.Name || h[0].RegionID != r.ID || h[0].At.Location() != time.UTC {
		t.Fatalf("entry %+v", h[0])
	}
}

func TestConcurrentUpdatesOneWins(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p := addPractice(t, db, r.ID, agb(1), "Huisartsenpraktijk De Linde")
	for round := 0; round < 5; round++ {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				c := p
				c.Name = []string{"Een", "Twee"}[i]
				errs[i] = db.UpdatePractice(ctx, admin, &c)
			}(i)
		}
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			switch mtvp.ErrorCode(err) {
			case "":
				ok++
			case mtvp.ECONFLICT:
				conflicts++
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
		if ok != 1 || conflicts != 1 {
			t.Fatalf("round %d: %d succeeded, %d conflicts", round, ok, conflicts)
		}
		var err error
		p, err = db.PracticeByID(ctx, p.ID)
		must(t, err)
		if p.Version != round+2 {
			t.Fatalf("version %d after round %d", p.Version, round)
		}
	}
}

func TestConcurrentWritersNeverBusy(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			p := mtvp.Practice{RegionID: r.ID, AGB: agb(100 + i), Name: "Praktijk", Status: mtvp.PracticeInterested}
			if err := db.CreatePractice(ctx, admin, &p); err != nil {
				errs <- err
				return
			}
			if _, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: r.ID}); err != nil {
				errs <- err
			}
			if err := db.SessionStore().Commit("tok"+agb(i), []byte("x"), time.Now().Add(time.Hour)); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	list, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: r.ID})
	must(t, err)
	if len(list) != 40 {
		t.Fatalf("%d practices", len(list))
	}
}
