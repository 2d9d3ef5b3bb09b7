package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

const userCols = `u.id, u.email, u.name, u.locale, u.totp_enabled, u.disabled, u.version, u.created_at, u.last_login_at, u.session_epoch, u.must_change_password`

func scanUser(s rowScanner) (mtvp.User, error) {
	var r userRow
	err := s.Scan(r.dest()...)
	return r.user(), err
}

// userRow receives userCols, also from an outer join that found no user
// (every column NULL: user() is then the zero user).
type userRow struct {
	id, version, epoch           sql.NullInt64
	email, name, locale          sql.NullString
	totp, disabled, mustChangePw sql.NullBool
	created, last                sql.NullTime
}

func (r *userRow) dest() []any {
	return []any{&r.id, &r.email, &r.name, &r.locale, &r.totp, &r.disabled, &r.version, &r.created, &r.last, &r.epoch, &r.mustChangePw}
}

func (r *userRow) user() mtvp.User {
	return mtvp.User{ID: r.id.Int64, Email: r.email.String, Name: r.name.String, Locale: r.locale.String, TOTPEnabled: r.totp.Bool,
		Disabled: r.disabled.Bool, Version: int(r.version.Int64), CreatedAt: nullTime(r.created), LastLoginAt: nullTime(r.last),
		SessionEpoch: r.epoch.Int64, MustChangePassword: r.mustChangePw.Bool}
}

// loadGrants fills the grants of users (matched by ID) with one query; the
// users are selected by the SQL condition cond on grants g (with args).
func loadGrants(ctx context.Context, q querier, users []mtvp.User, cond string, args ...any) error {
	if len(users) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, `SELECT g.user_id, g.id, g.role, COALESCE(g.region_id, 0), COALESCE(g.practice_id, 0),
		COALESCE(r.code, ''), COALESCE(p.name, '')
		FROM grants g LEFT JOIN regions r ON r.id = g.region_id LEFT JOIN practices p ON p.id = g.practice_id
		WHERE `+cond+` ORDER BY g.user_id, g.id`, args...)
	if err != nil {
		return internal(err)
	}
	defer rows.Close()
	idx := make(map[int64]int, len(users))
	for i, u := range users {
		idx[u.ID] = i
	}
	for rows.Next() {
		var uid int64
		var g mtvp.Grant
		if err := rows.Scan(&uid, &g.ID, &g.Role, &g.RegionID, &g.PracticeID, &g.RegionCode, &g.PracticeName); err != nil {
			return internal(err)
		}
		if i, ok := idx[uid]; ok {
			users[i].Grants = append(users[i].Grants, g)
		}
	}
	return internal(rows.Err())
}

// userGrantsCol is a column of a query over users u: the user's grants
// (RegionCode and PracticeName filled) as a JSON array ordered by id, so a
// user and their grants are read in one query — one round trip where every
// request reads them (decode with scanGrants).
func (db *DB) userGrantsCol() string {
	const fields = `'id', g.id, 'role', g.role, 'region_id', COALESCE(g.region_id, 0), 'practice_id', COALESCE(g.practice_id, 0),
		'region_code', COALESCE(r.code, ''), 'practice_name', COALESCE(p.name, '')`
	const from = ` FROM grants g LEFT JOIN regions r ON r.id = g.region_id LEFT JOIN practices p ON p.id = g.practice_id
		WHERE g.user_id = u.id`
	if db.engine == EnginePostgres {
		return `COALESCE((SELECT json_agg(json_build_object(` + fields + `) ORDER BY g.id)` + from + `)::text, '[]')`
	}
	// SQLite's json_group_array keeps the order of its input.
	return `(SELECT json_group_array(json(x.one)) FROM (SELECT json_object(` + fields + `) AS one` + from + ` ORDER BY g.id) x)`
}

// grantJSON is one grant as userGrantsCol writes it.
type grantJSON struct {
	ID           int64            `json:"id"`
	Role         mtvp.AccountRole `json:"role"`
	RegionID     int64            `json:"region_id"`
	PracticeID   int64            `json:"practice_id"`
	RegionCode   string           `json:"region_code"`
	PracticeName string           `json:"practice_name"`
}

// scanGrants decodes a userGrantsCol value into u's grants.
func scanGrants(u *mtvp.User, text []byte) error {
	var gs []grantJSON
	if err := json.Unmarshal(text, &gs); err != nil {
		return internal(err)
	}
	u.Grants = nil
	if len(gs) > 0 {
		u.Grants = make([]mtvp.Grant, len(gs))
	}
	for i, g := range gs {
		u.Grants[i] = mtvp.Grant(g)
	}
	return nil
}

func (db *DB) userBy(ctx context.Context, q querier, cond string, arg any) (mtvp.User, error) {
	var grants []byte
	u, err := scanUser(scanAlso{q.QueryRowContext(ctx, `SELECT `+userCols+`, `+db.userGrantsCol()+` FROM users u WHERE `+cond, arg), []any{&grants}})
	if err != nil {
		return u, rowErr(err)
	}
	return u, scanGrants(&u, grants)
}

// UserByID returns a user with grants (RegionCode, PracticeName filled).
func (db *DB) UserByID(ctx context.Context, id int64) (mtvp.User, error) {
	return db.userBy(ctx, db.reads(), `u.id = $1`, id)
}

// UserByEmail returns a user with grants.
func (db *DB) UserByEmail(ctx context.Context, email string) (mtvp.User, error) {
	return db.userBy(ctx, db.rd, `u.email = $1`, normEmail(email))
}

func normEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// listUsers runs the users query and the grants query for the same
// condition: two queries, however many users.
func (db *DB) listUsers(ctx context.Context, cond string, args ...any) ([]mtvp.User, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+userCols+` FROM users u WHERE `+cond, args...)
	if err != nil {
		return nil, internal(err)
	}
	var out []mtvp.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, internal(err)
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	if err := loadGrants(ctx, db.rd, out, `g.user_id IN (SELECT u.id FROM users u WHERE `+cond+`)`, args...); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return lessName(out[i].Name, out[j].Name, out[i].ID, out[j].ID) })
	return out, nil
}

// ListUsers lists users having a grant in the region (regionID 0: all), by
// name, with all their grants.
func (db *DB) ListUsers(ctx context.Context, regionID int64) ([]mtvp.User, error) {
	if regionID == 0 {
		return db.listUsers(ctx, `1 = 1`)
	}
	return db.listUsers(ctx, `EXISTS (SELECT 1 FROM grants rg WHERE rg.user_id = u.id AND rg.region_id = $1)`, regionID)
}

// Consultants lists the enabled users with a consultant grant in the
// region, by name, with grants.
func (db *DB) Consultants(ctx context.Context, regionID int64) ([]mtvp.User, error) {
	return db.listUsers(ctx, `NOT u.disabled AND EXISTS (SELECT 1 FROM grants rg
		WHERE rg.user_id = u.id AND rg.region_id = $1 AND rg.role = $2)`, regionID, string(mtvp.AccountConsultant))
}

// normGrants drops duplicate grants, keeping the first.
func normGrants(gs []mtvp.Grant) []mtvp.Grant {
	seen := map[string]bool{}
	var out []mtvp.Grant
	for _, g := range gs {
		k := fmt.Sprint(g.Role, g.RegionID, g.PracticeID)
		if !seen[k] {
			seen[k] = true
			out = append(out, g)
		}
	}
	return out
}

// writeGrants replaces the grants of a user after checking every region and
// practice exists and each practice lies in its grant's region.
func (db *DB) writeGrants(ctx context.Context, tx *sql.Tx, u *mtvp.User) error {
	f := mtvp.FieldErrors{}
	for n, g := range u.Grants {
		prefix := "grants." + strconv.Itoa(n) + "."
		if g.RegionID != 0 {
			var code string
			if err := tx.QueryRowContext(ctx, `SELECT code FROM regions WHERE id = $1`, g.RegionID).Scan(&code); errors.Is(err, sql.ErrNoRows) {
				f.Add(prefix+"region", "err.not_found")
				continue
			} else if err != nil {
				return internal(err)
			}
			u.Grants[n].RegionCode = code
		}
		if g.PracticeID != 0 {
			var region int64
			var name string
			err := tx.QueryRowContext(ctx, `SELECT region_id, name FROM practices WHERE id = $1`, g.PracticeID).Scan(&region, &name)
			if errors.Is(err, sql.ErrNoRows) {
				f.Add(prefix+"practice", "err.not_found")
				continue
			} else if err != nil {
				return internal(err)
			}
			if region != g.RegionID {
				f.Add(prefix+"practice", "err.grant_scope")
			}
			u.Grants[n].PracticeName = name
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM grants WHERE user_id = $1`, u.ID); err != nil {
		return internal(err)
	}
	for n, g := range u.Grants {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO grants (user_id, role, region_id, practice_id) VALUES ($1, $2, $3, $4) RETURNING id`,
			u.ID, string(g.Role), nullID(g.RegionID), nullID(g.PracticeID)).Scan(&id)
		if err != nil {
			return internal(err)
		}
		u.Grants[n].ID = id
	}
	return nil
}

// userAudit is what the history shows of a user; the grants as one line.
type userAudit struct {
	Email    string
	Name     string
	Locale   string
	Disabled bool
	Roles    string
}

// auditUser is what the history of region shows of u: its roles in that
// region only (region 0: all roles), so no region sees another's.
func auditUser(u *mtvp.User, region int64) *userAudit {
	var roles []string
	for _, g := range u.Grants {
		if region != 0 && g.RegionID != region {
			continue
		}
		s := string(g.Role)
		if g.RegionCode != "" {
			s += "@" + g.RegionCode
		}
		if g.PracticeName != "" {
			s += " (" + g.PracticeName + ")"
		}
		roles = append(roles, s)
	}
	return &userAudit{u.Email, u.Name, u.Locale, u.Disabled, strings.Join(roles, "; ")}
}

// Audit entries about a login belong to every region the login has a grant
// in (before or after the change): a login may see the union of its grants,
// so each of those regions' administrators must find a password or
// second-factor reset, a token, or a change of roles in their region's
// history, also for a consultant who works in two regions. The entry is
// written once per region, all with the same time, each showing only that
// region's roles; a region whose view did not change gets no update entry.
// A login without any region grant (a platform admin) gets one entry
// without a region. History folds identical copies back into one entry.

// grantRegions returns the distinct regions of the users' grants, ascending.
func grantRegions(users ...*mtvp.User) []int64 {
	var out []int64
	for _, u := range users {
		for _, g := range u.Grants {
			if g.RegionID != 0 && !slices.Contains(out, g.RegionID) {
				out = append(out, g.RegionID)
			}
		}
	}
	slices.Sort(out)
	return out
}

// auditLogin records the change of login u (old is nil when created).
func (db *DB) auditLogin(ctx context.Context, tx *sql.Tx, a mtvp.Actor, old, u *mtvp.User, action string) error {
	users := []*mtvp.User{u}
	if old != nil {
		users = append(users, old)
	}
	regions := grantRegions(users...)
	if len(regions) == 0 {
		regions = []int64{0}
	}
	at := db.now()
	for _, r := range regions {
		var changes []mtvp.Change
		if old == nil {
			changes = mtvp.Diff(nil, auditUser(u, r))
		} else {
			changes = mtvp.Diff(auditUser(old, r), auditUser(u, r))
		}
		if err := db.auditAt(ctx, tx, at, a, r, EntityUser, u.ID, action, changes); err != nil {
			return err
		}
	}
	return nil
}

// auditCredentials records a change of a user's secrets or tokens (never
// the secrets) or of its mail opt-outs in every region of the user's
// stored grants.
func (db *DB) auditCredentials(ctx context.Context, tx *sql.Tx, a mtvp.Actor, userID int64, changes []mtvp.Change) error {
	regions, err := userRegions(ctx, tx, userID)
	if err != nil {
		return err
	}
	at := db.now()
	for _, r := range regions {
		if err := db.auditAt(ctx, tx, at, a, r, EntityUser, userID, ActionUpdate, changes); err != nil {
			return err
		}
	}
	return nil
}

// CreateUser validates and inserts u with its grants and password hash
// (may be "" for a user who must set one later). With u.MustChangePassword
// the password is one-time (issued by an administrator). Duplicate e-mail is EINVALID
// field "email" = "err.email_taken".
func (db *DB) CreateUser(ctx context.Context, a mtvp.Actor, u *mtvp.User, passwordHash string) error {
	u.Normalize()
	u.Grants = normGrants(u.Grants)
	if err := u.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.createUser(ctx, tx, a, u, passwordHash) })
}

// createUser inserts a validated u inside tx (see CreateUser).
func (db *DB) createUser(ctx context.Context, tx *sql.Tx, a mtvp.Actor, u *mtvp.User, passwordHash string) error {
	now := db.now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, locale, disabled, version, created_at, updated_at, must_change_password)
		VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7) RETURNING id`,
		u.Email, u.Name, passwordHash, u.Locale, u.Disabled, now, u.MustChangePassword && passwordHash != "").Scan(&id)
	if isUnique(err) {
		return invalid("email", "err.email_taken")
	}
	if err != nil {
		return internal(err)
	}
	u.ID, u.Version, u.CreatedAt, u.TOTPEnabled, u.LastLoginAt = id, 1, now, false, time.Time{}
	if err := db.writeGrants(ctx, tx, u); err != nil {
		return err
	}
	return db.auditLogin(ctx, tx, a, nil, u, ActionCreate)
}

// UpdateUser updates name, locale, disabled and replaces the grants if
// u.Version is current. E-mail and credentials do not change here.
func (db *DB) UpdateUser(ctx context.Context, a mtvp.Actor, u *mtvp.User) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := db.userBy(ctx, tx, `u.id = $1`, u.ID)
		if err != nil {
			return err
		}
		u.Email = old.Email
		u.Normalize()
		u.Grants = normGrants(u.Grants)
		if err := u.Validate(); err != nil {
			return err
		}
		if old.Version != u.Version {
			return conflict()
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE users SET name = $3, locale = $4, disabled = $5, version = version + 1, updated_at = $6
			WHERE id = $1 AND version = $2`, u.ID, u.Version, u.Name, u.Locale, u.Disabled, now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		if err := db.writeGrants(ctx, tx, u); err != nil {
			return err
		}
		u.Version++
		u.CreatedAt, u.LastLoginAt, u.TOTPEnabled = old.CreatedAt, old.LastLoginAt, old.TOTPEnabled
		u.SessionEpoch, u.MustChangePassword = old.SessionEpoch, old.MustChangePassword
		if u.Disabled && !old.Disabled {
			// A disabled login's sessions end and its tokens are revoked:
			// enabling it again does not bring them back.
			if err := tx.QueryRowContext(ctx, `UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch`, u.ID).Scan(&u.SessionEpoch); err != nil {
				return internal(err)
			}
			names, err := deleteTokens(ctx, tx, u.ID)
			if err != nil {
				return err
			}
			for _, n := range names {
				if err := db.auditCredentials(ctx, tx, a, u.ID, []mtvp.Change{{Field: "APIToken", Old: n}}); err != nil {
					return err
				}
			}
		}
		return db.auditLogin(ctx, tx, a, &old, u, ActionUpdate)
	})
}

// ---- credentials ----

// Credentials are the secrets of a login, never part of mtvp.User.
type Credentials struct {
	UserID       int64
	PasswordHash string
	TOTPSecret   []byte // encrypted at rest by internal/auth
	TOTPEnabled  bool
	TOTPLastStep int64 // last accepted TOTP time step; a code is used once
}

func (db *DB) credentials(ctx context.Context, cond string, arg any) (Credentials, error) {
	var c Credentials
	err := db.rd.QueryRowContext(ctx, `SELECT id, password_hash, totp_secret, totp_enabled, totp_last_step
		FROM users WHERE `+cond, arg).Scan(&c.UserID, &c.PasswordHash, &c.TOTPSecret, &c.TOTPEnabled, &c.TOTPLastStep)
	return c, rowErr(err)
}

// CredentialsByEmail returns the credentials for a login e-mail.
func (db *DB) CredentialsByEmail(ctx context.Context, email string) (Credentials, error) {
	return db.credentials(ctx, `email = $1`, normEmail(email))
}

// CredentialsByUserID returns the credentials of a user.
func (db *DB) CredentialsByUserID(ctx context.Context, userID int64) (Credentials, error) {
	return db.credentials(ctx, `id = $1`, userID)
}

// SetPassword replaces the password hash.
func (db *DB) SetPassword(ctx context.Context, a mtvp.Actor, userID int64, hash string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`, userID, hash, db.now())
		if err := affectedOne(res, err); err != nil {
			return err
		}
		return db.auditCredentials(ctx, tx, a, userID, []mtvp.Change{{Field: "Password", New: "(gewijzigd)"}})
	})
}

// affectedOne turns "no row matched the id" into ENOTFOUND.
func affectedOne(res sql.Result, err error) error {
	if err != nil {
		return internal(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return internal(err)
	}
	if n == 0 {
		return notFound()
	}
	return nil
}

// SetTOTP stores an (encrypted) secret and whether it is enabled; enabling
// also replaces the recovery code hashes in the same transaction, disabling
// removes them.
func (db *DB) SetTOTP(ctx context.Context, a mtvp.Actor, userID int64, secret []byte, enabled bool, recoveryHashes []string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.setTOTP(ctx, tx, a, userID, secret, enabled, recoveryHashes) })
}

func (db *DB) setTOTP(ctx context.Context, tx *sql.Tx, a mtvp.Actor, userID int64, secret []byte, enabled bool, recoveryHashes []string) error {
	var was bool
	if err := tx.QueryRowContext(ctx, `SELECT totp_enabled FROM users WHERE id = $1`, userID).Scan(&was); err != nil {
		return rowErr(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $2, totp_enabled = $3, updated_at = $4 WHERE id = $1`,
		userID, secret, enabled, db.now()); err != nil {
		return internal(err)
	}
	// Enabling replaces the recovery codes; without a second factor
	// they mean nothing, so disabling drops them.
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
		return internal(err)
	}
	if enabled {
		for _, h := range recoveryHashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, h); err != nil {
				return internal(err)
			}
		}
	}
	changes := mtvp.Diff(&struct{ TOTPEnabled bool }{was}, &struct{ TOTPEnabled bool }{enabled})
	if enabled && was {
		changes = append(changes, mtvp.Change{Field: "TOTPSecret", New: "(gewijzigd)"})
	}
	return db.auditCredentials(ctx, tx, a, userID, changes)
}

// UseTOTPStep records step as used if it is later than the last used one;
// false means the code was already used (replay) and nothing changed.
func (db *DB) UseTOTPStep(ctx context.Context, userID int64, step int64) (bool, error) {
	res, err := db.sql.ExecContext(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, internal(err)
	}
	n, err := res.RowsAffected()
	return n == 1, internal(err)
}

// UseRecoveryCode marks the unused recovery code with this hash as used;
// false when none matches.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, hash string) (bool, error) {
	res, err := db.sql.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $3
		WHERE id = (SELECT id FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL ORDER BY id LIMIT 1)
		AND used_at IS NULL`, userID, hash, db.now())
	if err != nil {
		return false, internal(err)
	}
	n, err := res.RowsAffected()
	return n == 1, internal(err)
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (db *DB) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.rd.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	return n, internal(err)
}

// RecordLogin sets LastLoginAt.
func (db *DB) RecordLogin(ctx context.Context, userID int64, at time.Time) error {
	res, err := db.sql.ExecContext(ctx, `UPDATE users SET last_login_at = $2 WHERE id = $1`, userID, ts(at))
	return affectedOne(res, err)
}

// LoginLocales maps each of emails that has a login to that login's
// language ("nl" or "en"), in a query per 500 addresses: a mail to many
// people (a pulse round) is written in each one's language without a
// lookup per person. Keys are the addresses normalised (lower case).
func (db *DB) LoginLocales(ctx context.Context, emails []string) (map[string]string, error) {
	out := map[string]string{}
	for start := 0; start < len(emails); start += 500 {
		chunk := emails[start:min(start+500, len(emails))]
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, e := range chunk {
			marks[i] = "$" + strconv.Itoa(i+1)
			args[i] = normEmail(e)
		}
		rows, err := db.rd.QueryContext(ctx, `SELECT email, locale FROM users WHERE email IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, internal(err)
		}
		for rows.Next() {
			var e, l string
			if err := rows.Scan(&e, &l); err != nil {
				rows.Close()
				return nil, internal(err)
			}
			out[e] = l
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal(err)
		}
	}
	return out, nil
}
