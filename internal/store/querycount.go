package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
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
// on.
func openPool(driverName, dsn string) (*sql.DB, error) {
	if !countQueries.Load() {
		return sql.Open(driverName, dsn)
	}
	// Borrow the registered driver from a pool that is never used.
	probe, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	d := probe.Driver()
	probe.Close()
	var base driver.Connector
	if dc, ok := d.(driver.DriverContext); ok {
		if base, err = dc.OpenConnector(dsn); err != nil {
			return nil, err
		}
	} else {
		base = dsnConnector{d: d, dsn: dsn}
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
	c.n.Add(1)
	return c.Conn.Prepare(query)
}

func (c *countingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.n.Add(1)
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
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
