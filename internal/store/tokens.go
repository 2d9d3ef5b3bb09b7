package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// APIToken is a bearer token's metadata; the token itself is never stored.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
}

// Token lifetimes: a token expires; without a choice after
// DefaultTokenLifetime, at most after MaxTokenLifetime. Tokens made before
// expiry existed count from their creation.
const (
	DefaultTokenLifetime = 90 * 24 * time.Hour
	MaxTokenLifetime     = 366 * 24 * time.Hour
)

// Expired reports whether the token no longer works at now.
func (t APIToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// CreateAPIToken stores the SHA-256 hash of a new token that expires after
// DefaultTokenLifetime.
func (db *DB) CreateAPIToken(ctx context.Context, a mtvp.Actor, userID int64, name, hash string) (APIToken, error) {
	return db.CreateAPITokenUntil(ctx, a, userID, name, hash, realNow().Add(DefaultTokenLifetime))
}

// CreateAPITokenUntil stores the SHA-256 hash of a new token named name
// (required: what it is for) that works until expires (within
// MaxTokenLifetime from now). Tokens expire by the wall clock.
func (db *DB) CreateAPITokenUntil(ctx context.Context, a mtvp.Actor, userID int64, name, hash string, expires time.Time) (APIToken, error) {
	name = strings.Join(strings.Fields(name), " ")
	t := APIToken{UserID: userID, Name: name, CreatedAt: db.now(), ExpiresAt: ts(expires)}
	if hash == "" {
		return t, invalid("token", "err.required")
	}
	if name == "" {
		return t, invalid("name", "err.required")
	}
	if len(name) > 100 {
		return t, invalid("name", "err.too_long")
	}
	if now := realNow(); !expires.After(now) || expires.After(now.Add(MaxTokenLifetime)) {
		return t, invalid("expires", "err.token_expiry")
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1`, userID).Scan(&n); err != nil {
			return internal(err)
		}
		if n == 0 {
			return notFound()
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			userID, name, hash, t.CreatedAt, t.ExpiresAt).Scan(&t.ID)
		if isUnique(err) {
			return conflict()
		}
		if err != nil {
			return internal(err)
		}
		if err := db.auditCredentials(ctx, tx, a, userID, []mtvp.Change{{Field: "APIToken", New: name}}); err != nil {
			return err
		}
		return db.recordAuthEvent(ctx, tx, AuthEvent{UserID: userID, Action: AuthTokenCreated, Detail: name, By: &a})
	})
	return t, err
}

// tokenUseResolution: a token's last use is written at most this often, so
// API reads do not each cost a write.
const tokenUseResolution = time.Minute

// tokenUseAudit: a token's use is written to the audit log at its first
// use and then at most once per this interval.
const tokenUseAudit = time.Hour

// UserByTokenHash is UserByToken without a client address.
func (db *DB) UserByTokenHash(ctx context.Context, hash string) (mtvp.User, error) {
	return db.UserByToken(ctx, hash, "")
}

// UserByToken returns the user owning a token hash and records its use
// (and, now and then, an authentication event with the client's address).
// Unknown, expired and revoked tokens and disabled users are ENOTFOUND;
// an expired token presented is logged.
func (db *DB) UserByToken(ctx context.Context, hash, ip string) (mtvp.User, error) {
	// The token, its user and the user's grants in one query: every API
	// request runs this.
	var t APIToken
	var last, expires sql.NullTime
	var grants []byte
	var grantsVersion int64
	// The grants only when this process does not know them (grants_memo.go).
	grantsCols, args := db.grantsCols(hash, 2)
	args = append([]any{hash}, args...)
	// A request about one region reads it here too (region_prefetch.go).
	pf := prefetchOf(ctx)
	var region regionPrefetchRow
	cols, joins, pfArgs := db.prefetchSQL(pf, 4)
	extra := []any{&t.ID, &t.Name, &t.CreatedAt, &last, &expires, &grantsVersion, &grants}
	if pf != nil {
		extra, args = append(extra, region.dest()...), append(args, pfArgs...)
	}
	u, err := scanUser(scanAlso{db.reads().QueryRowContext(ctx, `SELECT `+userCols+`, t.id, t.name, t.created_at, t.last_used_at, t.expires_at, `+grantsCols+cols+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id`+joins+` WHERE t.token_hash = $1`, args...), extra})
	if err != nil {
		return mtvp.User{}, rowErr(err)
	}
	if err := region.keep(db, pf); err != nil {
		return mtvp.User{}, internal(err)
	}
	if err := db.resolveGrants(ctx, hash, &u, grantsVersion, grants); err != nil {
		return mtvp.User{}, err
	}
	t.UserID = u.ID
	t.CreatedAt, t.LastUsedAt, t.ExpiresAt = utc(t.CreatedAt), nullTime(last), tokenExpiry(t.CreatedAt, expires)
	now := realNow()
	if t.Expired(now) {
		if err := db.RecordAuthEvent(ctx, AuthEvent{UserID: u.ID, Email: u.Email, Action: AuthTokenRefused, IP: ip, Detail: t.Name}); err != nil {
			return mtvp.User{}, err
		}
		return mtvp.User{}, notFound()
	}
	if u.Disabled {
		return mtvp.User{}, notFound()
	}
	if t.LastUsedAt.IsZero() || now.Sub(t.LastUsedAt) >= tokenUseResolution {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, t.ID, now); err != nil {
				return internal(err)
			}
			if t.LastUsedAt.IsZero() || now.Sub(t.LastUsedAt) >= tokenUseAudit {
				return db.recordAuthEvent(ctx, tx, AuthEvent{UserID: u.ID, Email: u.Email, Action: AuthTokenUsed, IP: ip, Detail: t.Name})
			}
			return nil
		})
		if err != nil {
			return mtvp.User{}, err
		}
	}
	return u, nil
}

// tokenExpiry is a token's stored expiry, or for a token made before
// expiry existed its creation plus the default lifetime.
func tokenExpiry(created time.Time, expires sql.NullTime) time.Time {
	if expires.Valid {
		return utc(expires.Time)
	}
	return utc(created).Add(DefaultTokenLifetime)
}

// APITokens lists a user's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT id, user_id, name, created_at, last_used_at, expires_at FROM api_tokens
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var last, expires sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &last, &expires); err != nil {
			return nil, internal(err)
		}
		t.CreatedAt, t.LastUsedAt, t.ExpiresAt = utc(t.CreatedAt), nullTime(last), tokenExpiry(t.CreatedAt, expires)
		out = append(out, t)
	}
	return out, internal(rows.Err())
}

// DeleteAPIToken revokes one of a user's tokens.
func (db *DB) DeleteAPIToken(ctx context.Context, a mtvp.Actor, userID, tokenID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var name string
		err := tx.QueryRowContext(ctx, `DELETE FROM api_tokens WHERE id = $1 AND user_id = $2 RETURNING name`, tokenID, userID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound()
		}
		if err != nil {
			return internal(err)
		}
		if err := db.auditCredentials(ctx, tx, a, userID, []mtvp.Change{{Field: "APIToken", Old: name}}); err != nil {
			return err
		}
		return db.recordAuthEvent(ctx, tx, AuthEvent{UserID: userID, Action: AuthTokenRevoked, Detail: name, By: &a})
	})
}
