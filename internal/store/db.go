// Package store keeps meertijd's data in SQLite (embedded default) or
// PostgreSQL with plain database/sql and one schema for both.
//
// The methods are grouped by topic: regions.go, regioplan.go, practices.go,
// people.go, users.go, tokens.go, throttle.go, sessions.go, audit.go,
// meta.go and import.go; api.go describes the contract they fulfil.
package store

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Migrations returns the embedded migrations, migrations/{sqlite,postgres}.
func Migrations() fs.FS { return migrations }

// DB is the storage of meertijd.
type DB struct {
	// sql runs every write and every transaction. On SQLite it is a pool of
	// exactly one connection, so writers queue in Go instead of failing with
	// SQLITE_BUSY; on PostgreSQL it is the one shared pool.
	sql *sql.DB
	// rd runs plain reads. On SQLite it is a pool of read-only connections
	// (WAL lets them read while the writer writes); on PostgreSQL it is sql.
	rd     *sql.DB
	engine string // "sqlite" or "postgres"
	now    func() time.Time
	// stmts holds the writeQueries prepared on the SQLite writer (nil on
	// PostgreSQL, and until Migrate); see txExec.
	stmts atomic.Pointer[map[string]*sql.Stmt]
	// standings caches evaluated compliance by region change (see
	// compliance_cache.go).
	standings *standingsCache
	// trends caches the compliance trend by region change (see
	// compliance_trend.go).
	trends trendCache
	// prepared holds the hot reads prepared on the SQLite read pool (see
	// prepared_reads.go).
	prepared preparedReads
	// sessionWrites remembers the sessions this process wrote (token →
	// sessionWrite), so an unchanged session is not written on every
	// request (see SessionStore.CommitCtx).
	sessionWrites sync.Map
	// regionMemo keeps decoded regions for the region prefetch (see
	// region_prefetch.go).
	regionMemo regionMemo
	// grantsMemo keeps users' grants for the session and token lookups
	// (see grants_memo.go).
	grantsMemo grantsMemo
}

// Engine names.
const (
	EngineSQLite   = "sqlite"
	EnginePostgres = "postgres"
)

// pgMaxConns is the size of the PostgreSQL pool; as many stay idle (closing
// and reopening connections above a smaller idle limit cost more than they
// saved). Four per core of this process, between 8 and 25, unless
// MEERTIJD_PG_MAX_CONNS says otherwise (the database server's cores are
// what really count, and only the operator knows them). More is not
// faster: with 64 clients on 2 cores shared with PostgreSQL, 25
// connections gave 3,800–4,250 compliance answers/s at a p99 of 45–56 ms,
// 8 gave 4,700–5,100/s at 34–38 ms (BenchmarkNationalLoad); the backends
// compete for the same cores.
var pgMaxConns = pgPoolSize(os.Getenv("MEERTIJD_PG_MAX_CONNS"), runtime.GOMAXPROCS(0))

// pgPoolSize is the pool size for the setting env (empty: derived from
// cores) on a process with cores cores.
func pgPoolSize(env string, cores int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(env)); err == nil && n > 0 {
		return n
	}
	return min(25, max(8, 4*cores))
}

// SQLiteFile is the database file name inside the data folder.
const SQLiteFile = "meertijd.db"

// Open connects to url ("" or "sqlite:" → SQLite file in dataDir;
// "postgres://…" → PostgreSQL). It does not migrate.
//
// "sqlite:PATH" and "file:PATH" name an explicit SQLite file; without a
// path the file is meertijd.db in dataDir (created with mode 0750).
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return openPostgres(ctx, url)
	case url == "", strings.HasPrefix(url, "sqlite:"), strings.HasPrefix(url, "file:"):
		path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
		path = strings.TrimPrefix(path, "//")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
		if path == "" {
			if dataDir == "" {
				dataDir = "."
			}
			path = filepath.Join(dataDir, SQLiteFile)
		}
		return openSQLite(ctx, path)
	}
	return nil, fmt.Errorf("store: unsupported database URL (use postgres://… or sqlite:PATH)")
}

// sqliteDSN puts busy_timeout first so every later pragma already waits
// instead of failing when another connection holds a lock.
func sqliteDSN(path string, readOnly bool) string {
	q := "_pragma=busy_timeout(10000)" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(ON)" +
		"&_pragma=synchronous(NORMAL)" +
		"&_time_format=sqlite"
	if readOnly {
		// Readers map the file (up to 1 GiB) instead of copying every page
		// they visit through a read system call into their own 2 MB page
		// cache: the pages are shared by all readers through the OS, and a
		// region's compliance load, which touches thousands of pages,
		// costs a tenth less CPU (BenchmarkNationalStandings).
		q += "&_pragma=query_only(1)&_pragma=mmap_size(1073741824)"
	} else {
		q += "&_txlock=immediate"
	}
	return "file:" + path + "?" + q
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: create data folder: %w", err)
	}
	w, err := openPool("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// The writer connects first: it creates the file and switches it to WAL
	// before any reader looks at it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	r, err := openPool("sqlite", sqliteDSN(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{sql: w, rd: r, engine: EngineSQLite, now: defaultNow, standings: newStandingsCache(DefaultStandingsCacheEntries),
		regionMemo: newRegionMemo(), grantsMemo: newGrantsMemo()}
	db.prepared.db = db
	return db, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	p, err := openPool("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	// As many idle as open: with fewer, a burst above the idle limit
	// closes connections on return and opens new ones (a new PostgreSQL
	// backend each) for the next request; under 64 concurrent clients that
	// churn cut throughput to a seventh (BenchmarkNationalLoad). Idle ones
	// still close after five quiet minutes.
	p.SetMaxOpenConns(pgMaxConns)
	p.SetMaxIdleConns(pgMaxConns)
	p.SetConnMaxIdleTime(5 * time.Minute)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("store: connect to postgres: %w", err)
	}
	return &DB{sql: p, rd: p, engine: EnginePostgres, now: defaultNow, standings: newStandingsCache(DefaultStandingsCacheEntries),
		regionMemo: newRegionMemo(), grantsMemo: newGrantsMemo()}, nil
}

// defaultNow is UTC with microsecond precision, the precision both engines
// keep, so a timestamp reads back exactly as written.
func defaultNow() time.Time { return clock.Now().UTC().Truncate(time.Microsecond) }

// Migrate brings the schema to the newest version.
func (db *DB) Migrate(ctx context.Context) error {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.engine == EnginePostgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
		// Two instances starting at once must not migrate twice.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	opts = append(opts, goose.WithDisableGlobalRegistry(true))
	p, err := goose.NewProvider(dialect, db.sql, sub, opts...)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return db.prepareWrites(ctx)
}

// SchemaVersion returns the newest applied migration version.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := db.rd.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v)
	return v.Int64, err
}

// Close closes the pools.
func (db *DB) Close() error {
	var err error
	if m := db.stmts.Swap(nil); m != nil {
		for _, st := range *m {
			err = errors.Join(err, st.Close())
		}
	}
	err = errors.Join(err, db.prepared.close())
	if db.rd != nil && db.rd != db.sql {
		err = errors.Join(err, db.rd.Close())
	}
	if db.sql != nil {
		err = errors.Join(err, db.sql.Close())
	}
	return err
}

// Ping checks the database answers (for /readyz).
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.rd.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Engine names the engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.engine }

// ---- helpers shared by the topic files ----

// querier is what both *sql.DB and *sql.Tx offer, so a read helper can run
// inside a transaction or on the read pool.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in one transaction (BEGIN IMMEDIATE on SQLite) and commits
// when it returns nil. Inside fn only tx may be used: on SQLite the writer
// pool has a single connection.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	// A write may move the region's counter: later reads of this request
	// must not answer from a prefetch made before it.
	forgetPrefetch(ctx)
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return internal(err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return db.commit(ctx, tx)
}

// ---- statements prepared once (SQLite) ----

// writeQueries are the statements that run once per written row: the audit
// entry of every change and the rows of practices, persons and memberships
// that the demo data, AddStaffBatch and the import write by the hundred.
//
// modernc's SQLite parses and plans the SQL text of every Exec and Query
// anew; for these short statements that is most of their cost (a third of
// loading the demo data). So on SQLite Migrate prepares them once on the
// single writer connection, and txExec and txQueryRow bind them to a
// transaction with Tx.StmtContext, which reuses the statement already
// prepared on that connection (and prepares it again by itself should the
// connection ever be replaced). PostgreSQL needs none of this: pgx caches
// prepared statements per connection by itself.
//
// Another topic file with a statement it runs per row adds it from an
// init function, `writeQueries = append(writeQueries, sqlInsertX)`, and runs
// it with db.txExec or db.txQueryRow; other statements run unprepared.
var writeQueries = []string{
	sqlInsertAudit,
	sqlInsertPerson,
	sqlInsertPersonByBIG,
	sqlInsertMembership,
	sqlMembershipRegions,
	sqlPracticeRegion,
	sqlPersonByID,
	sqlPersonByBIG,
	sqlRegionExists,
	sqlInsertPractice,
	sqlConsultantName,
}

// prepareWrites prepares writeQueries on the SQLite writer. It runs after
// migrating (the tables must exist) and outside any transaction (the
// writer pool's one connection must be free).
func (db *DB) prepareWrites(ctx context.Context) error {
	if db.engine != EngineSQLite || db.stmts.Load() != nil {
		return nil
	}
	m := make(map[string]*sql.Stmt, len(writeQueries))
	for _, q := range writeQueries {
		st, err := db.sql.PrepareContext(ctx, q)
		if err != nil {
			for _, st := range m {
				st.Close()
			}
			return fmt.Errorf("store: prepare: %w", err)
		}
		m[q] = st
	}
	if !db.stmts.CompareAndSwap(nil, &m) {
		for _, st := range m {
			st.Close()
		}
	}
	return nil
}

// txStmt returns the prepared statement of query bound to tx, or nil when
// query is not one of writeQueries or nothing is prepared (PostgreSQL).
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	m := db.stmts.Load()
	if m == nil {
		return nil
	}
	st := (*m)[query]
	if st == nil {
		return nil
	}
	return tx.StmtContext(ctx, st)
}

// txExec is tx.ExecContext through a prepared statement where there is one.
func (db *DB) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := db.txStmt(ctx, tx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// txQueryRow is tx.QueryRowContext through a prepared statement where there
// is one.
func (db *DB) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := db.txStmt(ctx, tx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// internal wraps a driver error; mtvp.ErrorCode reports it as EINTERNAL.
// *mtvp.Error values pass through unchanged.
func internal(err error) error {
	if err == nil {
		return nil
	}
	var e *mtvp.Error
	if errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("store: %w", err)
}

func notFound() error { return &mtvp.Error{Code: mtvp.ENOTFOUND, Message: "err.not_found"} }
func conflict() error { return &mtvp.Error{Code: mtvp.ECONFLICT, Message: "err.conflict"} }

// invalid is an EINVALID error with one field.
func invalid(field, key string) error {
	f := mtvp.FieldErrors{}
	f.Add(field, key)
	return f.Err()
}

// rowErr turns sql.ErrNoRows into ENOTFOUND.
func rowErr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound()
	}
	return internal(err)
}

// isUnique reports a unique-constraint violation on either engine.
func isUnique(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// isForeignKey reports a foreign-key violation on either engine.
func isForeignKey(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

// scanAlso scans the columns of a scan function (scanUser, scanRegion)
// followed by more columns into extra.
type scanAlso struct {
	s     rowScanner
	extra []any
}

func (x scanAlso) Scan(dest ...any) error { return x.s.Scan(append(dest, x.extra...)...) }

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// utc normalises a scanned timestamp (drivers return local or fixed zones).
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func nullTime(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return utc(t.Time)
}

// ts is how a timestamp is stored and compared: UTC with microsecond
// precision, which both engines keep, so comparisons agree on both.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// jsonText marshals v for a JSON column (TEXT on SQLite, JSONB on
// PostgreSQL).
func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", internal(err)
	}
	return string(b), nil
}

// jsonScan unmarshals a JSON column; empty means the zero value.
func jsonScan(b []byte, v any) error {
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return internal(err)
	}
	return nil
}

// likePattern makes a case-insensitive "contains" pattern for the
// lower-cased search_key columns, escaping LIKE's wildcards.
func likePattern(q string) string {
	q = strings.ToLower(strings.TrimSpace(q))
	q = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
	return "%" + q + "%"
}

// placeholders returns "$n, $n+1, …" for k arguments starting at n.
func placeholders(n, k int) string {
	var b strings.Builder
	for i := 0; i < k; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", n+i)
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// today is the calendar date in the programme's zone.
func (db *DB) today() mtvp.Date { return mtvp.DateOf(db.now()) }

// Today is the day the store checks dates against (sign-ups after the day
// of an activity are refused, and so on): the app's calendar clock.
func (db *DB) Today() mtvp.Date { return db.today() }

// PoolStats returns the connection pools' statistics by name ("write" and
// "read" on SQLite; "shared" on PostgreSQL), for the metrics.
func (db *DB) PoolStats() map[string]sql.DBStats {
	if db.rd == db.sql {
		return map[string]sql.DBStats{"shared": db.sql.Stats()}
	}
	return map[string]sql.DBStats{"write": db.sql.Stats(), "read": db.rd.Stats()}
}
