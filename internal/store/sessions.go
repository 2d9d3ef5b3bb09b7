package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/alexedwards/scs/v2"
)

var (
	_ scs.Store    = (*SessionStore)(nil)
	_ scs.CtxStore = (*SessionStore)(nil)
)

// SessionStore implements scs.Store and scs.CtxStore
// (github.com/alexedwards/scs/v2) on both engines.
type SessionStore struct{ db *DB }

// Find returns the data of an unexpired session.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit stores (inserts or replaces) a session.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete removes a session.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// FindCtx returns the data of an unexpired session.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.reads().QueryRowContext(ctx, `SELECT data FROM sessions WHERE token = $1 AND expiry > $2`,
		token, realNow()).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, internal(err)
	}
	return b, true, nil
}

// CommitCtx stores (inserts or replaces) a session.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if b == nil {
		b = []byte{}
	}
	_, err := s.db.sql.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, b, ts(expiry))
	return internal(err)
}

// DeleteCtx removes a session.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.sql.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, token)
	return internal(err)
}

// DeleteExpired removes expired sessions; run it now and then.
func (s *SessionStore) DeleteExpired(ctx context.Context) error {
	_, err := s.db.sql.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, realNow())
	return internal(err)
}

// realNow is wall-clock time for session expiry: scs sets the expiry from
// time.Now, so it is compared with the same clock, never the calendar
// clock a test may move.
func realNow() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
