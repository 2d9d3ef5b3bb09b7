package store

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
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

// sessionRefresh is how far a session's idle expiry may lag behind: scs
// commits every request to push the idle deadline on, and a session whose
// data did not change is written again only once its stored expiry is this
// much behind. Without it every page view was a write, and SQLite has one
// writer.
const sessionRefresh = time.Minute

// sessionWrite is what this process last wrote for a session: its
// content, decoded (gob writes a map in random order, so equal sessions
// are not equal bytes), and its expiry.
type sessionWrite struct {
	deadline time.Time
	values   map[string]any
	expiry   time.Time
}

// sameSession reports whether b holds the content w was written with.
func (w sessionWrite) sameSession(b []byte) bool {
	deadline, values, err := (scs.GobCodec{}).Decode(b)
	return err == nil && deadline.Equal(w.deadline) && reflect.DeepEqual(values, w.values)
}

// CommitCtx stores (inserts or replaces) a session, unless only its idle
// expiry moved by less than sessionRefresh since this process wrote it.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if b == nil {
		b = []byte{}
	}
	if prev, ok := s.db.sessionWrites.Load(token); ok {
		if p := prev.(sessionWrite); !expiry.Before(p.expiry) && expiry.Sub(p.expiry) < sessionRefresh && p.sameSession(b) {
			return nil
		}
	}
	_, err := s.db.sql.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`,
		token, b, ts(expiry))
	if err != nil {
		s.db.sessionWrites.Delete(token)
		return internal(err)
	}
	if deadline, values, err := (scs.GobCodec{}).Decode(b); err == nil {
		s.db.sessionWrites.Store(token, sessionWrite{deadline: deadline, values: values, expiry: expiry})
	} else {
		// Not scs's encoding: never skip this one's writes.
		s.db.sessionWrites.Delete(token)
	}
	return nil
}

// DeleteCtx removes a session.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	s.db.sessionWrites.Delete(token)
	_, err := s.db.sql.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, token)
	return internal(err)
}

// DeleteExpired removes expired sessions; run it now and then.
func (s *SessionStore) DeleteExpired(ctx context.Context) error {
	now := realNow()
	s.db.sessionWrites.Range(func(token, w any) bool {
		if !w.(sessionWrite).expiry.After(now) {
			s.db.sessionWrites.Delete(token)
		}
		return true
	})
	_, err := s.db.sql.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, now)
	return internal(err)
}

// realNow is wall-clock time for session expiry: scs sets the expiry from
// time.Now, so it is compared with the same clock, never the calendar
// clock a test may move.
func realNow() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
