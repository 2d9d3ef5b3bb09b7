package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

// The compliance benchmarks of issue 6 run on the national data set
// (demo.LoadNational: 40 regions, 5,000 practices, about 80,000 people).
// Loading it takes a while, so it is kept between runs: on SQLite in
// $TMPDIR/meertijd-bench-national.db, on PostgreSQL (MEERTIJD_TEST_POSTGRES
// set) in the database meertijd_bench_national. A meta key records the day
// and schema it was made for; on any other day or schema it is made anew
// (the data is relative to today).
//
//	go test -run '^$' -bench Compliance -benchtime 20x ./internal/store/

const nationalBenchKey = "bench_national"

var nationalBench struct {
	once sync.Once
	db   *store.DB
	err  error
}

// nationalDB returns the database with the national data set.
func nationalDB(b *testing.B) *store.DB {
	b.Helper()
	nationalBench.once.Do(func() {
		start := time.Now()
		var loaded bool
		nationalBench.db, loaded, nationalBench.err = openNational(context.Background())
		if loaded {
			b.Logf("national data set loaded in %v", time.Since(start).Round(time.Millisecond))
		}
	})
	if nationalBench.err != nil {
		b.Fatal(nationalBench.err)
	}
	return nationalBench.db
}

func openNational(ctx context.Context) (*store.DB, bool, error) {
	serverURL := os.Getenv(storetest.EnvPostgres)
	path := filepath.Join(os.TempDir(), "meertijd-bench-national.db")
	const pgName = "meertijd_bench_national"
	open := func(fresh bool) (*store.DB, error) {
		dbURL := "sqlite:" + path
		if serverURL != "" {
			admin, err := sql.Open("pgx", serverURL)
			if err != nil {
				return nil, err
			}
			defer admin.Close()
			if fresh {
				if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pgName+` WITH (FORCE)`); err != nil {
					return nil, err
				}
			}
			var n int
			if err := admin.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, pgName).Scan(&n); err != nil {
				return nil, err
			}
			if n == 0 {
				if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+pgName); err != nil {
					return nil, err
				}
			}
			u, err := url.Parse(serverURL)
			if err != nil {
				return nil, err
			}
			u.Path = "/" + pgName
			dbURL = u.String()
		} else if fresh {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
					return nil, err
				}
			}
		}
		db, err := store.Open(ctx, dbURL, "")
		if err != nil {
			return nil, err
		}
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
		return db, nil
	}
	db, err := open(false)
	if err != nil {
		return nil, false, err
	}
	version, err := db.SchemaVersion(ctx)
	if err != nil {
		db.Close()
		return nil, false, err
	}
	key := fmt.Sprintf("national v1 %s schema %d", mtvp.DateOf(time.Now()), version)
	if got, err := db.Meta(ctx, nationalBenchKey); err == nil && got == key {
		return db, false, nil
	}
	db.Close()
	if db, err = open(true); err != nil {
		return nil, false, err
	}
	if _, err := demo.LoadNational(ctx, db, demo.NationalOptions{}); err != nil {
		db.Close()
		return nil, false, err
	}
	if err := db.SetMeta(ctx, nationalBenchKey, key); err != nil {
		db.Close()
		return nil, false, err
	}
	return db, true, nil
}

// BenchmarkRegionCompliance200: the standing of every practice of a
// 200-practice region: ComplianceFacts' fixed set of queries, then
// EvaluateCompliance per practice. Target: under 50 ms.
func BenchmarkRegionCompliance200(b *testing.B) {
	db := nationalDB(b)
	reg, err := db.RegionByCode(ctx, demo.NationalRegionCode(0))
	if err != nil {
		b.Fatal(err)
	}
	ref := mtvp.DateOf(time.Now())
	year := ref.Year()
	b.ResetTimer()
	for b.Loop() {
		facts, err := db.ComplianceFacts(ctx, reg.ID, year, ref)
		if err != nil {
			b.Fatal(err)
		}
		met := 0
		for _, f := range facts {
			if st := mtvp.EvaluateCompliance(f, reg.Settings, year, ref); st.Compliant {
				met++
			}
		}
		if len(facts) != 200 {
			b.Fatalf("%d practices", len(facts))
		}
	}
}

// BenchmarkNationalCompliance5000: the standing of all 5,000 practices of
// the 40 regions. Target: under 2 s.
func BenchmarkNationalCompliance5000(b *testing.B) {
	db := nationalDB(b)
	ref := mtvp.DateOf(time.Now())
	year := ref.Year()
	b.ResetTimer()
	for b.Loop() {
		regions, err := db.NationalComplianceFacts(ctx, year, ref)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, r := range regions {
			for _, f := range r.Practices {
				mtvp.EvaluateCompliance(f, r.Region.Settings, year, ref)
				n++
			}
		}
		if n != 5000 {
			b.Fatalf("%d practices", n)
		}
	}
}
