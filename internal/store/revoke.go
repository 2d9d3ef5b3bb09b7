package store

import (
	"context"
	"database/sql"

	"meertijd/internal/mtvp"
)

// Ending a login's sessions and tokens. Sessions carry the session epoch
// they were signed in under (the web layer compares it with the user's on
// every request); raising users.session_epoch ends every session at once
// without knowing their tokens. API tokens are rows and are deleted.

// PasswordChange says what else a new password does besides ending every
// session of the login.
type PasswordChange struct {
	// Issued: an administrator set it (or it was sent to the user): it
	// serves one login, after which the user must choose a new one.
	Issued bool
	// RevokeTokens: the account was reset (by an administrator or a reset
	// link): its API tokens stop working too.
	RevokeTokens bool
}

// NewPassword stores a new password hash, ends every session of the login
// (the caller puts the returned epoch into its own session to keep it)
// and, as pc says, marks it one-time and revokes the API tokens — all in
// one transaction, audited without the secret. Use it for every password
// that a person changes or an administrator sets; SetPassword is only for
// re-hashing the same password.
func (db *DB) NewPassword(ctx context.Context, a mtvp.Actor, userID int64, hash string, pc PasswordChange) (epoch int64, err error) {
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		label := "(gewijzigd)"
		if pc.Issued {
			label = "(eenmalig, uitgegeven)"
		}
		epoch, err = db.newPasswordTx(ctx, tx, a, userID, hash, pc, label)
		return err
	})
	return epoch, err
}

// newPasswordTx is NewPassword inside tx: the new hash, the next session
// epoch, the one-time mark and (pc.RevokeTokens) no API tokens left,
// audited as label. A disabled or unknown login is ENOTFOUND.
func (db *DB) newPasswordTx(ctx context.Context, tx *sql.Tx, a mtvp.Actor, userID int64, hash string, pc PasswordChange, label string) (epoch int64, err error) {
	err = tx.QueryRowContext(ctx, `UPDATE users SET password_hash = $2, must_change_password = $3,
		session_epoch = session_epoch + 1, updated_at = $4 WHERE id = $1 RETURNING session_epoch`,
		userID, hash, pc.Issued, db.now()).Scan(&epoch)
	if err != nil {
		return 0, rowErr(err)
	}
	changes := []mtvp.Change{{Field: "Password", New: label}}
	if pc.RevokeTokens {
		names, err := deleteTokens(ctx, tx, userID)
		if err != nil {
			return 0, err
		}
		for _, n := range names {
			changes = append(changes, mtvp.Change{Field: "APIToken", Old: n})
		}
	}
	return epoch, db.auditCredentials(ctx, tx, a, userID, changes)
}

// RevokeSessions ends every session of a login (for example after its
// second factor was reset or it was disabled) and returns the new epoch.
func (db *DB) RevokeSessions(ctx context.Context, userID int64) (int64, error) {
	var epoch int64
	err := db.sql.QueryRowContext(ctx, `UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch`, userID).Scan(&epoch)
	return epoch, rowErr(err)
}

// ResetTOTP clears a login's second factor (it enrols again at the next
// login) and ends its sessions, in one transaction.
func (db *DB) ResetTOTP(ctx context.Context, a mtvp.Actor, userID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.setTOTP(ctx, tx, a, userID, nil, false, nil); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1`, userID)
		return internal(err)
	})
}

// deleteTokens removes every API token of a user and returns their names.
func deleteTokens(ctx context.Context, tx *sql.Tx, userID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1 RETURNING name`, userID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, internal(err)
		}
		names = append(names, n)
	}
	return names, internal(rows.Err())
}
