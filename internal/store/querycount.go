package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sync"
	"sync/atomic"
)

// Counting the statements a call sends, so tests can prove a page or a
// loader uses a fixed number of queries whatever the number of practices:
//
//	off := store.CountQueries()   // in a test that is not parallel
//	db := storetest.New(t)
//	off()
//	before := db.Queries()
//	db.ComplianceFacts(ctx, ...)
//	n := db.Queries() - before
//
// Counting is off by default: production pools are plain database/sql
// pools. While it is on, Open wraps the driver connections of the pools it
// opens; every statement run or prepared directly on a connection counts
// as one (running an already prepared statement again does not).

var (
	countQueries atomic.Bool
	poolCounters sync.Map // *sql.DB → *atomic.Int64
)

// CountQueries makes every DB opened until off is called count its
// statements (see DB.Queries). For tests only; call it from a test that is
// not parallel, so other tests' databases are unaffected.
func CountQueries() (off func()) {
	countQueries.Store(true)
	return func() { countQueries.Store(false) }
}

// Queries returns the number of statements db has sent on its pools since
// it was opened, or -1 when it was not opened while CountQueries was on.
func (db *DB) Queries() int64 {
	var n int64 = -1
	for _, p := range []*sql.DB{db.sql, db.rd} {
		if c, ok := poolCounters.Load(p); ok {
			if n < 0 {
				n = 0
			}
			n += c.(*atomic.Int64).Load()
		}
		if db.rd == db.sql {
			break
		}
	}
	return n
}

// openPool is sql.Open, wrapped to count statements while CountQueries is
// on. PostgreSQL connections come from pgConnector (pings after a drop).
func openPool(driverName, dsn string) (*sql.DB, error) {
	var base driver.Connector
	if driverName == "pgx" {
		c, err := pgConnector(dsn)
		if err != nil {
			return nil, err
		}
		base = c
	} else if !countQueries.Load() {
		return sql.Open(driverName, dsn)
	} else {
		// Borrow the registered driver from a pool that is never used.
		probe, err := sql.Open(driverName, dsn)
		if err != nil {
			return nil, err
		}
		d := probe.Driver()
		probe.Close()
		if dc, ok := d.(driver.DriverContext); ok {
			if base, err = dc.OpenConnector(dsn); err != nil {
				return nil, err
			}
		} else {
			base = dsnConnector{d: d, dsn: dsn}
		}
	}
	if !countQueries.Load() {
		return sql.OpenDB(base), nil
	}
	n := new(atomic.Int64)
	db := sql.OpenDB(countingConnector{base: base, n: n})
	poolCounters.Store(db, n)
	return db, nil
}

type dsnConnector struct {
	d   driver.Driver
	dsn string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.d.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.d }

type countingConnector struct {
	base driver.Connector
	n    *atomic.Int64
}

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: conn, n: c.n}, nil
}

func (c countingConnector) Driver() driver.Driver { return c.base.Driver() }

// countingConn forwards every optional interface of the wrapped connection
// (or answers the way database/sql treats its absence).
type countingConn struct {
	driver.Conn
	n *atomic.Int64
}

func (c *countingConn) Prepare(query string) (driver.Stmt, error) {
	st, err := c.Conn.Prepare(query)
	if err != nil {
		return nil, err
	}
	return &countingStmt{Stmt: st, n: c.n}, nil
}

func (c *countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		st, err := p.PrepareContext(ctx, query)
		if err != nil {
			return nil, err
		}
		return &countingStmt{Stmt: st, n: c.n}, nil
	}
	return c.Prepare(query)
}

// countingStmt counts every run of a prepared statement.
type countingStmt struct {
	driver.Stmt
	n *atomic.Int64
}

func (s *countingStmt) Exec(args []driver.Value) (driver.Result, error) {
	s.n.Add(1)
	return s.Stmt.Exec(args) //nolint:staticcheck // the fallback database/sql uses too
}

func (s *countingStmt) Query(args []driver.Value) (driver.Rows, error) {
	s.n.Add(1)
	return s.Stmt.Query(args) //nolint:staticcheck // the fallback database/sql uses too
}

func (s *countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if e, ok := s.Stmt.(driver.StmtExecContext); ok {
		s.n.Add(1)
		return e.ExecContext(ctx, args)
	}
	vals, err := namedToValues(args)
	if err != nil {
		return nil, err
	}
	return s.Exec(vals)
}

func (s *countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if q, ok := s.Stmt.(driver.StmtQueryContext); ok {
		s.n.Add(1)
		return q.QueryContext(ctx, args)
	}
	vals, err := namedToValues(args)
	if err != nil {
		return nil, err
	}
	return s.Query(vals)
}

func (s *countingStmt) CheckNamedValue(nv *driver.NamedValue) error {
	if v, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return v.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func namedToValues(args []driver.NamedValue) ([]driver.Value, error) {
	vals := make([]driver.Value, len(args))
	for i, a := range args {
		if a.Name != "" {
			return nil, errors.New("store: named arguments need StmtQueryContext")
		}
		vals[i] = a.Value
	}
	return vals, nil
}

func (c *countingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip // database/sql prepares instead (counted there)
	}
	rows, err := q.QueryContext(ctx, query, args)
	if err != driver.ErrSkip {
		c.n.Add(1)
	}
	return rows, err
}

func (c *countingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	res, err := e.ExecContext(ctx, query, args)
	if err != driver.ErrSkip {
		c.n.Add(1)
	}
	return res, err
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin() //nolint:staticcheck // the fallback database/sql uses too
}

func (c *countingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if v, ok := c.Conn.(driver.NamedValueChecker); ok {
		return v.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *countingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *countingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *countingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}
