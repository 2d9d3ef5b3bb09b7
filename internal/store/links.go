package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"meertijd/internal/mtvp"
)

// Link purposes (table mail_links).
const (
	LinkInvite = "invite"
	LinkReset  = "reset"
	// LinkUnsubscribe switches a login's newsletter off without signing
	// in. Unlike the others it is not used up: it works again until it
	// expires (switching off twice changes nothing; a mail provider may
	// post it more than once).
	LinkUnsubscribe = "unsubscribe"
)

// Link is a link sent by mail: an invitation with the grant it gives, a
// password reset of a login (both work once) or a newsletter's
// unsubscribe link (Grant.RegionID: the newsletter's region). Only a hash
// of its token is kept.
// Times are on the security clock (real time), which the caller passes.
type Link struct {
	ID            int64
	Purpose       string
	Email         string
	Name          string
	Locale        string
	UserID        int64        // reset: the login; invite: the login made by accepting
	Grant         mtvp.Grant   // invite: the grant (RegionCode, PracticeName filled when read)
	More          []mtvp.Grant // invite: further grants in the same region (Grants)
	CreatedBy     int64
	CreatedByName string
	CreatedAt     time.Time
	ExpiresAt     time.Time
	UsedAt        time.Time
	RevokedAt     time.Time
}

// Grants are every grant an invitation gives: Grant, then More.
func (l Link) Grants() []mtvp.Grant {
	if l.Grant.Role == "" {
		return nil
	}
	return append([]mtvp.Grant{l.Grant}, l.More...)
}

// moreGrantJSON is one of Link.More as stored in mail_links.more_grants
// (its region is the link's).
type moreGrantJSON struct {
	Role       mtvp.AccountRole `json:"role"`
	PracticeID int64            `json:"practice_id,omitempty"`
}

func encodeMoreGrants(gs []mtvp.Grant) string {
	if len(gs) == 0 {
		return ""
	}
	out := make([]moreGrantJSON, len(gs))
	for i, g := range gs {
		out[i] = moreGrantJSON{Role: g.Role, PracticeID: g.PracticeID}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func decodeMoreGrants(s string, regionID int64, regionCode string) ([]mtvp.Grant, error) {
	if s == "" {
		return nil, nil
	}
	var in []moreGrantJSON
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, err
	}
	out := make([]mtvp.Grant, len(in))
	for i, g := range in {
		out[i] = mtvp.Grant{Role: g.Role, RegionID: regionID, RegionCode: regionCode, PracticeID: g.PracticeID}
	}
	return out, nil
}

// StateAt is the link's state at now.
func (l Link) StateAt(now time.Time) mtvp.LinkState {
	return mtvp.LinkStateAt(l.ExpiresAt, l.UsedAt, l.RevokedAt, now)
}

const linkCols = `l.id, l.purpose, l.email, l.name, l.locale, COALESCE(l.user_id, 0), l.role, COALESCE(l.region_id, 0), COALESCE(l.practice_id, 0),
	COALESCE(r.code, ''), COALESCE(p.name, ''), COALESCE(l.created_by, 0), COALESCE(u.name, ''), l.created_at, l.expires_at, l.used_at, l.revoked_at, l.more_grants`

const linkFrom = ` FROM mail_links l LEFT JOIN regions r ON r.id = l.region_id LEFT JOIN practices p ON p.id = l.practice_id
	LEFT JOIN users u ON u.id = l.created_by`

func scanLink(s rowScanner) (Link, error) {
	var l Link
	var role string
	var created, expires time.Time
	var used, revoked sql.NullTime
	var more string
	err := s.Scan(&l.ID, &l.Purpose, &l.Email, &l.Name, &l.Locale, &l.UserID, &role, &l.Grant.RegionID, &l.Grant.PracticeID,
		&l.Grant.RegionCode, &l.Grant.PracticeName, &l.CreatedBy, &l.CreatedByName, &created, &expires, &used, &revoked, &more)
	if err != nil {
		return l, err
	}
	l.Grant.Role = mtvp.AccountRole(role)
	if l.More, err = decodeMoreGrants(more, l.Grant.RegionID, l.Grant.RegionCode); err != nil {
		return l, err
	}
	l.CreatedAt, l.ExpiresAt, l.UsedAt, l.RevokedAt = utc(created), utc(expires), nullTime(used), nullTime(revoked)
	return l, err
}

// CreateLink stores a link with the hash of its token and writes its mail
// into the outbox, in one transaction. A new invitation revokes the open
// invitations of the same address in the same region (re-inviting sends a
// fresh link; the old one stops working); a new reset link revokes the
// login's open reset links.
func (db *DB) CreateLink(ctx context.Context, l *Link, tokenHash string, m *Mail) error {
	l.Email = normEmail(l.Email)
	if l.Locale != "en" {
		l.Locale = "nl"
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := ts(l.CreatedAt)
		var err error
		if l.Purpose == LinkInvite {
			_, err = tx.ExecContext(ctx, `UPDATE mail_links SET revoked_at = $3 WHERE purpose = 'invite' AND email = $1
				AND COALESCE(region_id, 0) = $2 AND used_at IS NULL AND revoked_at IS NULL`, l.Email, l.Grant.RegionID, now)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE mail_links SET revoked_at = $2 WHERE purpose = 'reset' AND user_id = $1
				AND used_at IS NULL AND revoked_at IS NULL`, l.UserID, now)
		}
		if err != nil {
			return internal(err)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO mail_links (purpose, token_hash, email, name, locale, user_id, role, region_id, practice_id,
			created_by, created_at, expires_at, more_grants) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			l.Purpose, tokenHash, l.Email, l.Name, l.Locale, nullID(l.UserID), string(l.Grant.Role), nullID(l.Grant.RegionID),
			nullID(l.Grant.PracticeID), nullID(l.CreatedBy), now, ts(l.ExpiresAt), encodeMoreGrants(l.More)).Scan(&l.ID)
		if err != nil {
			if isForeignKey(err) {
				return notFound()
			}
			return internal(err)
		}
		if m != nil {
			if _, err := db.enqueueMail(ctx, tx, m); err != nil {
				return err
			}
		}
		if l.Purpose == LinkInvite {
			// Who invited whom with which roles is in the region's history
			// (never the token).
			return db.audit(ctx, tx, mtvp.Actor{UserID: l.CreatedBy, Name: l.CreatedByName}, l.Grant.RegionID, EntityInvitation, l.ID, ActionCreate,
				mtvp.Diff(nil, invitationAudit(*l)))
		}
		return nil
	})
}

// EntityInvitation is the audit entity of an invitation link.
const EntityInvitation = "invitation"

// invitationAudit is what the history shows of an invitation: the address,
// name and roles (formatted as a login's roles are, auditUser).
func invitationAudit(l Link) *userAudit {
	u := mtvp.User{Email: l.Email, Name: l.Name, Grants: l.Grants()}
	a := auditUser(&u, 0)
	return &userAudit{Email: a.Email, Name: a.Name, Roles: a.Roles}
}

// LinkByToken returns the link of purpose with this token hash (any
// state: the page tells an expired link from a used one).
func (db *DB) LinkByToken(ctx context.Context, purpose, tokenHash string) (Link, error) {
	l, err := scanLink(db.rd.QueryRowContext(ctx, `SELECT `+linkCols+linkFrom+` WHERE l.purpose = $1 AND l.token_hash = $2`, purpose, tokenHash))
	return l, rowErr(err)
}

// LinkByID returns a link.
func (db *DB) LinkByID(ctx context.Context, id int64) (Link, error) {
	l, err := scanLink(db.rd.QueryRowContext(ctx, `SELECT `+linkCols+linkFrom+` WHERE l.id = $1`, id))
	return l, rowErr(err)
}

// ListInvitations lists the invitations into a region (practiceID ≠ 0:
// only those for that practice), newest first.
func (db *DB) ListInvitations(ctx context.Context, regionID, practiceID int64) ([]Link, error) {
	cond, args := `l.region_id = $1`, []any{regionID}
	if practiceID != 0 {
		cond, args = cond+` AND l.practice_id = $2`, append(args, practiceID)
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT `+linkCols+linkFrom+` WHERE l.purpose = 'invite' AND `+cond+` ORDER BY l.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	return out, db.fillMorePracticeNames(ctx, regionID, out)
}

// fillMorePracticeNames names the practices of the further grants of
// links into one region (the first grant's name comes with the row), with
// one query for the whole list.
func (db *DB) fillMorePracticeNames(ctx context.Context, regionID int64, links []Link) error {
	need := false
	for _, l := range links {
		for _, g := range l.More {
			need = need || g.PracticeID != 0
		}
	}
	if !need {
		return nil
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT id, name FROM practices WHERE region_id = $1`, regionID)
	if err != nil {
		return internal(err)
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return internal(err)
		}
		names[id] = name
	}
	for i := range links {
		for j := range links[i].More {
			links[i].More[j].PracticeName = names[links[i].More[j].PracticeID]
		}
	}
	return internal(rows.Err())
}

// RevokeLink stops an open link from working (an invitation's revocation
// is audited for a); a used or revoked link is left as it is.
func (db *DB) RevokeLink(ctx context.Context, a mtvp.Actor, id int64, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var purpose string
		var region sql.NullInt64
		err := tx.QueryRowContext(ctx, `UPDATE mail_links SET revoked_at = $2 WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL
			RETURNING purpose, region_id`, id, ts(now)).Scan(&purpose, &region)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return internal(err)
		}
		if purpose != LinkInvite {
			return nil
		}
		return db.audit(ctx, tx, a, region.Int64, EntityInvitation, id, ActionDelete, nil)
	})
}

// errLinkInvalid: the link is unknown, used, revoked or expired.
func errLinkInvalid() error { return &mtvp.Error{Code: mtvp.ENOTFOUND, Message: "link.invalid"} }

// useLink marks the open link of purpose with this token used at now,
// inside tx; only one caller ever succeeds.
func useLink(ctx context.Context, tx *sql.Tx, purpose, tokenHash string, now time.Time) (Link, error) {
	return useLinkBy(ctx, tx, purpose, `token_hash`, tokenHash, now)
}

// useLinkBy is useLink for the link whose column col (token_hash or id)
// holds val.
func useLinkBy(ctx context.Context, tx *sql.Tx, purpose, col string, val any, now time.Time) (Link, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `UPDATE mail_links SET used_at = $3 WHERE purpose = $1 AND `+col+` = $2
		AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3 RETURNING id`, purpose, val, ts(now)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, errLinkInvalid()
	}
	if err != nil {
		return Link{}, internal(err)
	}
	l, err := scanLink(tx.QueryRowContext(ctx, `SELECT `+linkCols+linkFrom+` WHERE l.id = $1`, id))
	return l, internal(err)
}

// AcceptInvitation uses the invitation with this token and creates its
// login (name, language and password hash as chosen) with the invited
// grants, in one transaction. An unknown, used, revoked or expired link is
// ENOTFOUND "link.invalid"; an address that has a login is ECONFLICT
// "invite.has_login_accept" (the invitee signs in and accepts with
// AcceptInvitationAsLogin; the link stays unused).
func (db *DB) AcceptInvitation(ctx context.Context, tokenHash string, now time.Time, name, locale, passwordHash string) (mtvp.User, error) {
	var u mtvp.User
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		l, err := useLink(ctx, tx, LinkInvite, tokenHash, now)
		if err != nil {
			return err
		}
		u, err = db.acceptInvitationTx(ctx, tx, l, name, locale, passwordHash)
		return err
	})
	return u, err
}

// acceptInvitationTx creates the login of the used invitation l with its
// grants, inside tx; an address that has a login is errHasLogin.
func (db *DB) acceptInvitationTx(ctx context.Context, tx *sql.Tx, l Link, name, locale, passwordHash string) (mtvp.User, error) {
	if _, err := db.userBy(ctx, tx, `u.email = $1`, l.Email); err == nil {
		return mtvp.User{}, errHasLogin()
	} else if mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		return mtvp.User{}, err
	}
	u := mtvp.User{Email: l.Email, Name: name, Locale: locale, Grants: l.Grants()}
	u.Normalize()
	u.Grants = normGrants(u.Grants)
	if err := u.Validate(); err != nil {
		return u, err
	}
	if err := db.createUser(ctx, tx, inviter(l), &u, passwordHash); err != nil {
		return u, err
	}
	_, err := tx.ExecContext(ctx, `UPDATE mail_links SET user_id = $2 WHERE id = $1`, l.ID, u.ID)
	return u, internal(err)
}

// errHasLogin: the invited address already has a login.
func errHasLogin() error {
	return &mtvp.Error{Code: mtvp.ECONFLICT, Message: "invite.has_login_accept"}
}

// inviter is the actor of what accepting an invitation writes: the one
// who invited.
func inviter(l Link) mtvp.Actor { return mtvp.Actor{UserID: l.CreatedBy, Name: l.CreatedByName} }

// AcceptInvitationAsLogin uses the invitation with this token for the
// signed-in login userID, whose e-mail address must be the invited one
// (else EFORBIDDEN "invite.other_login", link unused): the invited grants
// are added to its grants (grants it has stay; one it has already is not
// doubled), audited as a change by the inviter, in one transaction.
func (db *DB) AcceptInvitationAsLogin(ctx context.Context, tokenHash string, now time.Time, userID int64) (mtvp.User, error) {
	var u mtvp.User
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		l, err := useLink(ctx, tx, LinkInvite, tokenHash, now)
		if err != nil {
			return err
		}
		old, err := db.userBy(ctx, tx, `u.id = $1`, userID)
		if err != nil {
			return err
		}
		if normEmail(old.Email) != l.Email || old.Disabled {
			return &mtvp.Error{Code: mtvp.EFORBIDDEN, Message: "invite.other_login"}
		}
		u = old
		u.Grants = normGrants(append(append([]mtvp.Grant(nil), old.Grants...), l.Grants()...))
		if err := u.Validate(); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET version = version + 1, updated_at = $2 WHERE id = $1`, u.ID, db.now())
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		if err := db.writeGrants(ctx, tx, &u); err != nil {
			return err
		}
		u.Version++
		if err := db.auditLogin(ctx, tx, inviter(l), &old, &u, ActionUpdate); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE mail_links SET user_id = $2 WHERE id = $1`, l.ID, u.ID)
		return internal(err)
	})
	return u, err
}

// ResetPasswordByLink uses the reset link with this token, sets the
// login's password hash, ends every session of the login (session epoch)
// and revokes its API tokens — all in one transaction, so a failure
// leaves the link usable and the old credentials as they were. It
// returns the login's id. The second factor is not touched: signing in
// still asks for it. A disabled login's link is "link.invalid".
func (db *DB) ResetPasswordByLink(ctx context.Context, tokenHash string, now time.Time, passwordHash string) (int64, error) {
	var userID int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		l, err := useLink(ctx, tx, LinkReset, tokenHash, now)
		if err != nil {
			return err
		}
		var name string
		var disabled bool
		err = tx.QueryRowContext(ctx, `SELECT name, disabled FROM users WHERE id = $1`, l.UserID).Scan(&name, &disabled)
		if errors.Is(err, sql.ErrNoRows) || disabled {
			return errLinkInvalid()
		}
		if err != nil {
			return internal(err)
		}
		userID = l.UserID
		_, err = db.newPasswordTx(ctx, tx, mtvp.Actor{UserID: l.UserID, Name: name}, l.UserID, passwordHash,
			PasswordChange{RevokeTokens: true}, "(hersteld via e-mail)")
		return err
	})
	return userID, err
}

// UnsubscribeByLink switches the newsletter off for the login of the open
// unsubscribe link with this token hash, recorded in the login's history
// as its own change (made through the link). An unknown, revoked or
// expired link is ENOTFOUND "link.invalid"; a login already opted out is
// left as it is. It returns the link.
func (db *DB) UnsubscribeByLink(ctx context.Context, tokenHash string, now time.Time) (Link, error) {
	var l Link
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		l, err = scanLink(tx.QueryRowContext(ctx, `SELECT `+linkCols+linkFrom+` WHERE l.purpose = $1 AND l.token_hash = $2`, LinkUnsubscribe, tokenHash))
		if errors.Is(err, sql.ErrNoRows) {
			return errLinkInvalid()
		}
		if err != nil {
			return internal(err)
		}
		if l.StateAt(now) != mtvp.LinkOpen || l.UserID == 0 {
			return errLinkInvalid()
		}
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, l.UserID).Scan(&name); errors.Is(err, sql.ErrNoRows) {
			return errLinkInvalid()
		} else if err != nil {
			return internal(err)
		}
		kinds := []string{mtvp.KindNewsletter}
		return db.setOptOuts(ctx, tx, mtvp.Actor{UserID: l.UserID, Name: name}, l.UserID, kinds, map[string]bool{mtvp.KindNewsletter: true})
	})
	return l, err
}

// insertUnsubscribeLink stores the unsubscribe link of a newsletter mail
// inside tx.
func insertUnsubscribeLink(ctx context.Context, tx *sql.Tx, l *Link, tokenHash string) error {
	l.Purpose = LinkUnsubscribe
	err := tx.QueryRowContext(ctx, `INSERT INTO mail_links (purpose, token_hash, email, name, locale, user_id, region_id, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		l.Purpose, tokenHash, normEmail(l.Email), l.Name, l.Locale, nullID(l.UserID), nullID(l.Grant.RegionID), ts(l.CreatedAt), ts(l.ExpiresAt)).Scan(&l.ID)
	return internal(err)
}
