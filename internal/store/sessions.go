package store

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"time"

	"github.com/alexedwards/scs/v2"

	"meertijd/internal/mtvp"
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

// SessionUserKey is the session value (an int64) that names the signed-in
// user. CommitCtx keeps it in the session's user_id column too, so that
// FindCtx can read the session and its user with one query.
const SessionUserKey = "uid"

// sessionUserMemo receives the session's user read by FindCtx.
type sessionUserMemo struct {
	user  mtvp.User
	found bool
}

type sessionUserKey struct{}

// WithSessionUser prepares ctx (the request's, before the session is
// loaded) so that FindCtx reads the session's user in the same query as
// the session; SessionUser returns it.
func WithSessionUser(ctx context.Context) context.Context {
	return context.WithValue(ctx, sessionUserKey{}, &sessionUserMemo{})
}

// SessionUser returns the user (with grants) FindCtx read beside the
// session in ctx; ok is false when it read none (no session, a session
// without a user, or one written before the user_id column: read the user
// by ID then).
func SessionUser(ctx context.Context) (u mtvp.User, ok bool) {
	if m, _ := ctx.Value(sessionUserKey{}).(*sessionUserMemo); m != nil && m.found {
		return m.user, true
	}
	return mtvp.User{}, false
}

// FindCtx returns the data of an unexpired session. With a context of
// WithSessionUser it reads the session's user too, in the same query.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	var err error
	if m, _ := ctx.Value(sessionUserKey{}).(*sessionUserMemo); m != nil {
		var r userRow
		var grants []byte
		var grantsVersion sql.NullInt64
		dest := append(append([]any{&b}, r.dest()...), &grantsVersion, &grants)
		// The grants only when this process does not know them (grants_memo.go).
		grantsCols, grantsArgs := s.db.grantsCols(token, 3)
		args := append([]any{token, realNow()}, grantsArgs...)
		// A request about one region reads it here too (region_prefetch.go).
		pf := prefetchOf(ctx)
		var region regionPrefetchRow
		cols, joins, pfArgs := s.db.prefetchSQL(pf, 5)
		if pf != nil {
			dest, args = append(dest, region.dest()...), append(args, pfArgs...)
		}
		err = s.db.reads().QueryRowContext(ctx, `SELECT s.data, `+userCols+`, `+grantsCols+cols+`
			FROM sessions s LEFT JOIN users u ON u.id = s.user_id`+joins+` WHERE s.token = $1 AND s.expiry > $2`,
			args...).Scan(dest...)
		if err == nil {
			if err := region.keep(s.db, pf); err != nil {
				return nil, false, internal(err)
			}
		}
		if err == nil && r.id.Valid {
			m.user, m.found = r.user(), true
			if err := s.db.resolveGrants(ctx, token, &m.user, grantsVersion.Int64, grants); err != nil {
				return nil, false, err
			}
		}
	} else {
		err = s.db.reads().QueryRowContext(ctx, `SELECT data FROM sessions WHERE token = $1 AND expiry > $2`,
			token, realNow()).Scan(&b)
	}
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

// same reports whether a session decoded as deadline and values holds the
// content w was written with.
func (w sessionWrite) same(deadline time.Time, values map[string]any) bool {
	return deadline.Equal(w.deadline) && reflect.DeepEqual(values, w.values)
}

// CommitCtx stores (inserts or replaces) a session, unless only its idle
// expiry moved by less than sessionRefresh since this process wrote it.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if b == nil {
		b = []byte{}
	}
	deadline, values, decErr := SessionCodec{}.Decode(b)
	if prev, ok := s.db.sessionWrites.Load(token); ok && decErr == nil {
		if p := prev.(sessionWrite); !expiry.Before(p.expiry) && expiry.Sub(p.expiry) < sessionRefresh && p.same(deadline, values) {
			return nil
		}
	}
	var userID any
	if id, ok := values[SessionUserKey].(int64); ok && id != 0 {
		userID = id
	}
	_, err := s.db.sql.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry, user_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry, user_id = excluded.user_id`,
		token, b, ts(expiry), userID)
	if err != nil {
		s.db.sessionWrites.Delete(token)
		return internal(err)
	}
	if decErr == nil {
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
