package store

import (
	"context"
	"slices"
	"strconv"

	"meertijd/internal/lru"
	"meertijd/internal/mtvp"
)

// grantsMemo: the session and token lookups read the user and the user's
// grants with every request, and the grants (a subquery over grants,
// regions and practices, sent as JSON and decoded) were most of that
// statement's work on PostgreSQL (BenchmarkNationalLoad). users.grants_version
// (migration 00028: triggers raise it whenever what a grant shows changes)
// lets a process keep the grants it read: the lookup passes the user and
// version it knows for the credential, and the database sends the grants
// only when they are not that version. A shortcut only: the database
// decides, in the same statement.
type grantsMemo struct {
	users *lru.Cache[int64, knownGrants] // user → the grants last read
	creds *lru.Cache[string, int64]      // credential (token hash, session token) → user
}

type knownGrants struct {
	version int64
	grants  []mtvp.Grant
}

// grantsMemoEntries bounds each of grantsMemo's caches.
const grantsMemoEntries = 20000

func newGrantsMemo() grantsMemo {
	return grantsMemo{lru.New[int64, knownGrants](grantsMemoEntries), lru.New[string, int64](grantsMemoEntries)}
}

// expect returns the user and grants version this process knows for a
// credential (0, -1: none).
func (m grantsMemo) expect(cred string) (userID, version int64) {
	id, ok := m.creds.Get(cred)
	if !ok {
		return 0, -1
	}
	k, ok := m.users.Get(id)
	if !ok {
		return 0, -1
	}
	return id, k.version
}

// known returns a copy of the grants of userID at version.
func (m grantsMemo) known(userID, version int64) ([]mtvp.Grant, bool) {
	k, ok := m.users.Get(userID)
	if !ok || k.version != version {
		return nil, false
	}
	return slices.Clone(k.grants), true
}

func (m grantsMemo) put(cred string, userID, version int64, grants []mtvp.Grant) {
	m.users.Add(userID, knownGrants{version: version, grants: slices.Clone(grants)})
	m.creds.Add(cred, userID)
}

// grantsCols returns the columns of a query over users u that give the
// user's grants version and grants, the grants NULL when they are the
// version this process knows for cred; with their two arguments, numbered
// from $argN. Finish with resolveGrants.
func (db *DB) grantsCols(cred string, argN int) (cols string, args []any) {
	id, version := db.grantsMemo.expect(cred)
	same := `u.id = $` + strconv.Itoa(argN) + ` AND u.grants_version = $` + strconv.Itoa(argN+1)
	return `u.grants_version, CASE WHEN u.id IS NULL OR (` + same + `) THEN NULL ELSE ` + db.userGrantsCol() + ` END`,
		[]any{id, version}
}

// resolveGrants fills u's grants from what grantsCols read: the JSON when
// sent, else the grants this process knows (read anew should they have
// been forgotten meanwhile), and keeps them for cred.
func (db *DB) resolveGrants(ctx context.Context, cred string, u *mtvp.User, version int64, text []byte) error {
	if len(text) > 0 {
		if err := scanGrants(u, text); err != nil {
			return err
		}
		db.grantsMemo.put(cred, u.ID, version, u.Grants)
		return nil
	}
	if grants, ok := db.grantsMemo.known(u.ID, version); ok {
		u.Grants = grants
		if len(u.Grants) == 0 {
			u.Grants = nil
		}
		return nil
	}
	users := []mtvp.User{*u}
	if err := loadGrants(ctx, db.reads(), users, `g.user_id = $1`, u.ID); err != nil {
		return err
	}
	u.Grants = users[0].Grants
	return nil
}
