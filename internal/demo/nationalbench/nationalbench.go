// Package nationalbench gives benchmarks the national data set
// (demo.LoadNational: 40 regions, 5,000 practices, about 80,000 people)
// on SQLite, or on PostgreSQL when MEERTIJD_TEST_POSTGRES is set.
//
// Loading it takes a while, so it is kept between runs: on SQLite in
// $TMPDIR/meertijd-bench-national.db, on PostgreSQL in the database
// meertijd_bench_national. A meta key records the day and schema it was
// made for; on another day or schema it is made anew (the data is relative
// to today). Within a process it is opened once and never closed; between
// processes a lock file in $TMPDIR lets one load it while the others wait.
package nationalbench

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

// MetaKey records what the cached data set was made for.
const MetaKey = "bench_national"

// Version changes when the generator changes, so an old cache is remade.
const Version = "national v3"

const pgName = "meertijd_bench_national"

// EnvName, when set (letters, digits, underscores), is added to the cache's
// file and database name, so branches with other migrations keep their own
// cache instead of remaking (and dropping) each other's.
const EnvName = "MEERTIJD_BENCH_NAME"

// cacheName is the cache's base name with EnvName's suffix.
func cacheName(base string) string {
	n := os.Getenv(EnvName)
	for _, r := range n {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return base
		}
	}
	if n == "" {
		return base
	}
	return base + "_" + strings.ToLower(n)
}

var cached struct {
	once sync.Once
	db   *store.DB
	err  error
}

// DB returns the database with the national data set, loading it when
// the cache is missing or stale.
func DB(tb testing.TB) *store.DB {
	tb.Helper()
	cached.once.Do(func() {
		start := time.Now()
		var loaded bool
		cached.db, loaded, cached.err = open(context.Background())
		if loaded {
			tb.Logf("national data set loaded in %v", time.Since(start).Round(time.Millisecond))
		}
	})
	if cached.err != nil {
		tb.Fatal(cached.err)
	}
	return cached.db
}

func open(ctx context.Context) (*store.DB, bool, error) {
	// Benchmarks of several packages run as processes at once (go test
	// ./...): one checks and loads the cache while the others wait.
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "meertijd-bench-national.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, false, err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return nil, false, err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)

	// A cache the migrations cannot bring up to date (made by a branch
	// with other migrations) is made anew, as a stale one is.
	db, err := connect(ctx, false)
	if err == nil {
		version, err := db.SchemaVersion(ctx)
		if err != nil {
			db.Close()
			return nil, false, err
		}
		if got, err := db.Meta(ctx, MetaKey); err == nil && got == cacheKey(version) {
			return db, false, nil
		}
		db.Close()
	}
	if db, err = connect(ctx, true); err != nil {
		return nil, false, err
	}
	version, err := db.SchemaVersion(ctx)
	if err != nil {
		db.Close()
		return nil, false, err
	}
	key := cacheKey(version)
	if _, err := demo.LoadNational(ctx, db, demo.NationalOptions{}); err != nil {
		db.Close()
		return nil, false, err
	}
	if err := db.SetMeta(ctx, MetaKey, key); err != nil {
		db.Close()
		return nil, false, err
	}
	// Reopen, as the next process would: closing the last connection
	// checkpoints SQLite's write-ahead log, so the benchmarks read the
	// database as a running server does, not through the bulk load's
	// megabytes of log frames (reads there cost several times more CPU and
	// far more system calls).
	if err := db.Close(); err != nil {
		return nil, false, err
	}
	if db, err = connect(ctx, false); err != nil {
		return nil, false, err
	}
	return db, true, nil
}

// cacheKey is what a cache made today at schema version holds in MetaKey.
func cacheKey(version int64) string {
	return fmt.Sprintf("%s %s schema %d", Version, mtvp.DateOf(time.Now()), version)
}

// connect opens (fresh: after removing) the cache database and migrates it.
func connect(ctx context.Context, fresh bool) (*store.DB, error) {
	path := filepath.Join(os.TempDir(), cacheName("meertijd-bench-national")+".db")
	pgName := cacheName(pgName)
	dbURL := "sqlite:" + path
	if serverURL := os.Getenv(storetest.EnvPostgres); serverURL != "" {
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
	// The benchmarks report statements per request (DB.Queries): one
	// atomic add per statement, nothing beside a round trip.
	off := store.CountQueries()
	db, err := store.Open(ctx, dbURL, "")
	off()
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// CPUTimer measures the CPU time of this process (user + system), which
// on a machine shared with other work says more than the wall clock.
type CPUTimer struct{ start time.Duration }

// StartCPU starts a CPUTimer.
func StartCPU() CPUTimer { return CPUTimer{cpuTime()} }

// ReportPerOp reports the CPU time per operation as "cpu-ms/op".
func (c CPUTimer) ReportPerOp(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64(cpuTime()-c.start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
