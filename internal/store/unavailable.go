package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// A dropped database connection (PostgreSQL restarted or failed over, an
// administrator ended the backend, the network broke) is not a bug: the
// request could not run now and may run in a moment. IsUnavailable tells
// such errors from the rest, so the web and the API answer 503 with
// Retry-After (and run an idempotent read once more) instead of 500.

// IsUnavailable reports whether err means the database could not be
// reached or dropped the connection, as opposed to a query that failed.
func IsUnavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01–57P03: admin shutdown,
		// crash shutdown, cannot connect now.
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" || pgErr.Code == "57P03"
	}
	var connErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &connErr), errors.As(err, &netErr):
		return true
	}
	// pgx reports a connection it closed after a failure this way.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection reset by peer") || strings.Contains(msg, "broken pipe")
}

// lastDrop is when DropIdle last emptied the pool (unix nanoseconds).
var lastDrop atomic.Int64

// suspectWindow: for this long after a dropped connection was seen (DropIdle,
// readRetryConn), every
// pooled PostgreSQL connection is pinged before it is used again (pgx pings
// only one idle for over a second), so that a read after a commit, or a
// retried read, does not meet a sibling the server ended at the same time.
const suspectWindow = 5 * time.Second

// pgConnector opens PostgreSQL connections through pgx, pinging reused
// ones inside the suspect window, and runs a plain read again on another
// connection when its own was dropped (readRetryConn).
func pgConnector(dsn string) (driver.Connector, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	base := stdlib.GetConnector(*cfg, stdlib.OptionShouldPing(func(_ context.Context, p stdlib.ShouldPingParams) bool {
		return p.IdleDuration > time.Second || time.Now().UnixNano()-suspectAt.Load() < int64(suspectWindow)
	}))
	return retryConnector{base}, nil
}

// suspectAt is when a dropped connection was last seen (unix nanoseconds).
var suspectAt atomic.Int64

type retryConnector struct{ driver.Connector }

func (c retryConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if sc, ok := conn.(*stdlib.Conn); ok {
		return &readRetryConn{Conn: sc}, nil
	}
	return conn, nil
}

// readRetryConn is a pgx connection (all its methods, by embedding) whose
// reads outside a transaction that meet a dropped connection report
// driver.ErrBadConn: database/sql then runs the query again on another
// connection, as it does when a connection is found bad before use. A
// query cannot have changed anything outside a transaction unless it
// writes, and the store writes only in transactions (inTx), so running it
// again is safe: only a statement that starts with SELECT is run again
// (an UPDATE … RETURNING is a query too). Within a transaction the error
// stands (the transaction is lost with its connection).
type readRetryConn struct {
	*stdlib.Conn
	inTx bool // database/sql uses a connection from one goroutine at a time
}

func (c *readRetryConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.Conn.QueryContext(ctx, query, args)
	if err != nil && !c.inTx && ctx.Err() == nil && isSelect(query) && IsUnavailable(err) {
		suspectAt.Store(time.Now().UnixNano())
		return nil, driver.ErrBadConn
	}
	return rows, err
}

// isSelect reports whether query starts with SELECT.
func isSelect(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) >= 6 && strings.EqualFold(q[:6], "select")
}

func (c *readRetryConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.inTx = true
	return &retryTx{Tx: tx, c: c}, nil
}

type retryTx struct {
	driver.Tx
	c *readRetryConn
}

func (t *retryTx) Commit() error   { t.c.inTx = false; return t.Tx.Commit() }
func (t *retryTx) Rollback() error { t.c.inTx = false; return t.Tx.Rollback() }

// DropIdle closes the idle connections of the pool, at most once per
// 100 ms, and opens the suspect window: after one connection turned out
// dropped, its idle siblings usually are too (a restart ends them all), and
// a retry must not pick one of them. Connections in use are closed by the
// driver as they fail.
func (db *DB) DropIdle() {
	now := time.Now().UnixNano()
	suspectAt.Store(now)
	last := lastDrop.Load()
	if now-last < int64(100*time.Millisecond) || !lastDrop.CompareAndSwap(last, now) {
		return
	}
	if db.engine != EnginePostgres {
		return // SQLite's connections are files: nothing to drop
	}
	db.sql.SetMaxIdleConns(0)
	db.sql.SetMaxIdleConns(pgMaxConns)
}

// commit commits tx. On PostgreSQL a connection dropped during COMMIT
// leaves the outcome unknown: the server may have committed and ended the
// connection before its answer left. So the transaction's id is read
// first (only when it wrote), and after such a failure its fate is asked on
// a fresh connection (txid_status): committed is success; anything else
// is ErrUnavailable-kind and nothing was stored.
func (db *DB) commit(ctx context.Context, tx *sql.Tx) error {
	var xid sql.NullInt64
	if db.engine == EnginePostgres {
		if err := tx.QueryRowContext(ctx, `SELECT txid_current_if_assigned()`).Scan(&xid); err != nil {
			_ = tx.Rollback()
			return internal(err)
		}
	}
	err := tx.Commit()
	if err == nil || !xid.Valid || !IsUnavailable(err) {
		return internal(err)
	}
	db.DropIdle()
	for attempt := 0; attempt < 5; attempt++ {
		var status sql.NullString
		if qerr := db.sql.QueryRowContext(ctx, `SELECT txid_status($1)`, xid.Int64).Scan(&status); qerr == nil {
			switch status.String {
			case "committed":
				return nil
			case "in progress":
				// The ending backend has not finished: ask again.
			default: // aborted, or too old to know
				return internal(err)
			}
		}
		select {
		case <-ctx.Done():
			return internal(err)
		case <-time.After(time.Duration(attempt+1) * 50 * time.Millisecond):
		}
	}
	return internal(err)
}
