package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// Prepared reads: the few reads every request runs (the session, the
// signed-in user or API token with its grants, the region with its change
// counter), and the dozen of a region's compliance load (ComplianceFacts:
// planning them was a sixteenth of its CPU time, BenchmarkNationalStandings),
// go through statements prepared once on the SQLite read pool.
// modernc's SQLite parses and plans the SQL text of every Query anew, and
// for a request answered from the standings cache that parsing was a third
// of its CPU time (BenchmarkNationalLoad). database/sql prepares a pool
// statement again on each connection it meets, by itself. PostgreSQL needs
// none of it: pgx caches prepared statements per connection.
//
// Only fixed query texts may go through it (the cache is keyed by the text
// and never shrinks); a read with a text built per call uses db.rd.

// maxPreparedReads bounds the statement cache: a caller that passes texts
// built per call by mistake costs memory up to here, then runs unprepared.
const maxPreparedReads = 128

type preparedReads struct {
	db *DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// reads returns the querier of prepared reads (db.rd itself on PostgreSQL).
func (db *DB) reads() querier {
	if db.engine != EngineSQLite {
		return db.rd
	}
	return &db.prepared
}

func (p *preparedReads) stmt(ctx context.Context, query string) *sql.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.m[query]; ok {
		return st
	}
	if len(p.m) >= maxPreparedReads {
		return nil
	}
	st, err := p.db.rd.PrepareContext(ctx, query)
	if err != nil {
		// The plain query below reports the error (or works after all).
		return nil
	}
	if p.m == nil {
		p.m = map[string]*sql.Stmt{}
	}
	p.m[query] = st
	return st
}

func (p *preparedReads) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.db.rd.QueryContext(ctx, query, args...)
}

func (p *preparedReads) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.db.rd.QueryRowContext(ctx, query, args...)
}

// ExecContext is not a read: it runs on the writer, unprepared.
func (p *preparedReads) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return p.db.sql.ExecContext(ctx, query, args...)
}

// close closes the prepared statements (DB.Close).
func (p *preparedReads) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var err error
	for _, st := range p.m {
		err = errors.Join(err, st.Close())
	}
	p.m = nil
	return err
}
