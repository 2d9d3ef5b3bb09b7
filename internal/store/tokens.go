package store

import (
	"context"
	"database/sql"
	"errors"
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
}

// CreateAPIToken stores the SHA-256 hash of a new token.
func (db *DB) CreateAPIToken(ctx context.Context, a mtvp.Actor, userID int64, name, hash string) (APIToken, error) {
	t := APIToken{UserID: userID, Name: name, CreatedAt: db.now()}
	if hash == "" {
		return t, invalid("token", "err.required")
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = $1`, userID).Scan(&n); err != nil {
			return internal(err)
		}
		if n == 0 {
			return notFound()
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			userID, name, hash, t.CreatedAt).Scan(&t.ID)
		if isUnique(err) {
			return conflict()
		}
		if err != nil {
			return internal(err)
		}
		return db.auditCredentials(ctx, tx, a, userID, []mtvp.Change{{Field: "APIToken", New: name}})
	})
	return t, err
}

// tokenUseResolution: a token's last use is written at most this often, so
// API reads do not each cost a write.
const tokenUseResolution = time.Minute

// UserByTokenHash returns the (not disabled) user owning a token hash and
// records its use. Unknown tokens and disabled users are ENOTFOUND.
func (db *DB) UserByTokenHash(ctx context.Context, hash string) (mtvp.User, error) {
	// The token and its user in one query, then the grants: every API
	// request runs this.
	var id int64
	var last sql.NullTime
	u, err := scanUser(scanAlso{db.rd.QueryRowContext(ctx, `SELECT `+userCols+`, t.id, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`, hash), []any{&id, &last}})
	if err != nil {
		return mtvp.User{}, rowErr(err)
	}
	users := []mtvp.User{u}
	if err := loadGrants(ctx, db.rd, users, `g.user_id = $1`, u.ID); err != nil {
		return mtvp.User{}, err
	}
	u = users[0]
	if u.Disabled {
		return mtvp.User{}, notFound()
	}
	now := db.now()
	if !last.Valid || now.Sub(last.Time) >= tokenUseResolution {
		if _, err := db.sql.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, now); err != nil {
			return mtvp.User{}, internal(err)
		}
	}
	return u, nil
}

// APITokens lists a user's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT id, user_id, name, created_at, last_used_at FROM api_tokens
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var last sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &last); err != nil {
			return nil, internal(err)
		}
		t.CreatedAt, t.LastUsedAt = utc(t.CreatedAt), nullTime(last)
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
		return db.auditCredentials(ctx, tx, a, userID, []mtvp.Change{{Field: "APIToken", Old: name}})
	})
}
