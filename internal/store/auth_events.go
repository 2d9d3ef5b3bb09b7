package store

import (
	"context"
	"database/sql"

	"meertijd/internal/mtvp"
)

// EntityAuth marks authentication events in the audit log: who tried to
// sign in or used a credential, when, from which address, with what
// outcome. Never a password, code or token.
const EntityAuth = "auth"

// Authentication event actions.
const (
	AuthLogin         = "login"           // password accepted (second factor may follow)
	AuthLoginFailed   = "login_failed"    // wrong password, unknown or disabled account
	AuthLoginThrottle = "login_throttled" // refused without a check: back-off
	AuthLockout       = "lockout"         // the failure that started the back-off
	AuthSecondFactor  = "second_factor"   // TOTP code accepted
	AuthSecondFailed  = "second_failed"   // wrong TOTP or recovery code
	AuthRecoveryCode  = "recovery_code"   // a recovery code was used
	AuthLogout        = "logout"
	AuthTokenCreated  = "token_created"
	AuthTokenUsed     = "token_used" // first use, then at most once an hour
	AuthTokenRevoked  = "token_revoked"
	AuthTokenRefused  = "token_refused" // expired or revoked token presented
)

// AuthEvent is one authentication event.
type AuthEvent struct {
	UserID int64  // 0: no account matched
	Email  string // as entered (an unknown address too)
	Action string // Auth…
	IP     string
	Detail string // e.g. a token's name
	// By is who acted when not the user itself (an administrator or the
	// command line creating or revoking a token).
	By *mtvp.Actor
}

// RecordAuthEvent writes e to the audit log in every region of the
// user's grants (so each region's admins see their users' events), or
// without a region (platform admins only) when no account matched.
func (db *DB) RecordAuthEvent(ctx context.Context, e AuthEvent) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.recordAuthEvent(ctx, tx, e) })
}

func (db *DB) recordAuthEvent(ctx context.Context, tx *sql.Tx, e AuthEvent) error {
	regions := []int64{0}
	if e.UserID != 0 {
		var err error
		if regions, err = userRegions(ctx, tx, e.UserID); err != nil {
			return err
		}
		if e.Email == "" {
			if err := tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = $1`, e.UserID).Scan(&e.Email); err != nil {
				return rowErr(err)
			}
		}
	}
	changes := []mtvp.Change{{Field: "Email", New: e.Email}, {Field: "IP", New: e.IP}}
	if e.Detail != "" {
		changes = append(changes, mtvp.Change{Field: "Detail", New: e.Detail})
	}
	a := mtvp.Actor{UserID: e.UserID, Name: e.Email}
	if e.By != nil {
		a = *e.By
	}
	at := db.now()
	for _, r := range regions {
		if err := db.auditAt(ctx, tx, at, a, r, EntityAuth, e.UserID, e.Action, changes); err != nil {
			return err
		}
	}
	return nil
}

// userRegions lists the regions of a user's grants; {0} when none (a
// platform admin).
func userRegions(ctx context.Context, q querier, userID int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT region_id FROM grants WHERE user_id = $1 AND region_id IS NOT NULL ORDER BY region_id`, userID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var regions []int64
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			return nil, internal(err)
		}
		regions = append(regions, r)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	if len(regions) == 0 {
		regions = []int64{0}
	}
	return regions, nil
}

// AuthEvents returns the newest authentication events, newest first: of
// one region's users (regionID > 0), or of every region and of no region
// (regionID 0, for platform admins). An event recorded in several regions
// is one entry.
func (db *DB) AuthEvents(ctx context.Context, regionID int64, limit int) ([]mtvp.AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	var rows *sql.Rows
	var err error
	if regionID > 0 {
		rows, err = db.rd.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log
			WHERE entity = $1 AND region_id = $2 ORDER BY at DESC, id DESC LIMIT $3`, EntityAuth, regionID, limit)
	} else {
		rows, err = db.rd.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log
			WHERE entity = $1 ORDER BY at DESC, id DESC LIMIT $2`, EntityAuth, limit)
	}
	if err != nil {
		return nil, internal(err)
	}
	all, err := scanAudit(rows)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, e := range all {
		if n := len(out); n > 0 && sameChange(&out[n-1], &e) {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}
