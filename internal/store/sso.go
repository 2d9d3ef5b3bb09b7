package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// Single sign-on (issue 17 §1): the regions' OpenID Connect providers and
// the state of each sign-in while the browser is at the provider.

// EntitySSO is the audit entity of a region's single sign-on settings (id:
// the region's).
const EntitySSO = "sso"

// Authentication log actions of single sign-on.
const (
	AuthSSOLogin  = "sso_login"  // the provider vouched; signed in (a second factor may follow)
	AuthSSOFailed = "sso_failed" // refused; Detail says why (mtvp.SSOReason…)
)

const ssoCols = `s.region_id, r.code, s.name, s.issuer, s.client_id, s.client_secret IS NOT NULL, s.domains, s.enabled, s.version`

func scanSSOProvider(sc rowScanner) (mtvp.SSOProvider, error) {
	var p mtvp.SSOProvider
	var domains string
	err := sc.Scan(&p.RegionID, &p.RegionCode, &p.Name, &p.Issuer, &p.ClientID, &p.HasSecret, &domains, &p.Enabled, &p.Version)
	p.Domains = mtvp.ParseDomains(domains)
	return p, err
}

// SSOProviders lists the enabled providers of every region, by region code.
func (db *DB) SSOProviders(ctx context.Context) ([]mtvp.SSOProvider, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+ssoCols+` FROM sso_providers s JOIN regions r ON r.id = s.region_id
		WHERE s.enabled ORDER BY r.code`)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.SSOProvider
	for rows.Next() {
		p, err := scanSSOProvider(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, p)
	}
	return out, internal(rows.Err())
}

// SSOProviderOfRegion returns a region's provider and its encrypted client
// secret (nil: none); ENOTFOUND when the region has none.
func (db *DB) SSOProviderOfRegion(ctx context.Context, regionID int64) (mtvp.SSOProvider, []byte, error) {
	var secret []byte
	p, err := scanSSOProvider(ssoSecretScanner{db.rd.QueryRowContext(ctx, `SELECT `+ssoCols+`, s.client_secret
		FROM sso_providers s JOIN regions r ON r.id = s.region_id WHERE s.region_id = $1`, regionID), &secret})
	return p, secret, rowErr(err)
}

// ssoSecretScanner scans the secret after the provider's columns.
type ssoSecretScanner struct {
	row    *sql.Row
	secret *[]byte
}

func (s ssoSecretScanner) Scan(dest ...any) error { return s.row.Scan(append(dest, s.secret)...) }

// ssoAudit is what the history shows of a region's provider (never the
// secret, only that it changed).
type ssoAudit struct {
	Name         string
	Issuer       string
	ClientID     string
	Domains      string
	Enabled      bool
	ClientSecret string
}

// SaveSSOProvider stores a region's provider: created when version is 0,
// else updated when version is the stored one (ECONFLICT otherwise). A
// non-nil secret replaces the stored client secret (an empty one removes
// it); nil keeps it. Audited in the region's history.
func (db *DB) SaveSSOProvider(ctx context.Context, a mtvp.Actor, p *mtvp.SSOProvider, secret []byte) error {
	p.Normalize()
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var old *ssoAudit
		var oldSecret []byte
		cur, err := scanSSOProvider(ssoSecretScanner{tx.QueryRowContext(ctx, `SELECT `+ssoCols+`, s.client_secret
			FROM sso_providers s JOIN regions r ON r.id = s.region_id WHERE s.region_id = $1`, p.RegionID), &oldSecret})
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if p.Version != 0 {
				return conflict()
			}
		case err != nil:
			return internal(err)
		default:
			if p.Version != cur.Version {
				return conflict()
			}
			old = &ssoAudit{Name: cur.Name, Issuer: cur.Issuer, ClientID: cur.ClientID, Domains: strings.Join(cur.Domains, ", "), Enabled: cur.Enabled}
		}
		newSecret, secretNote := oldSecret, ""
		if secret != nil {
			newSecret, secretNote = secret, "(gewijzigd)"
			if len(secret) == 0 {
				newSecret, secretNote = nil, "(verwijderd)"
			}
		}
		domains := strings.Join(p.Domains, ",")
		now := ts(db.now())
		if old == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO sso_providers (region_id, name, issuer, client_id, client_secret, domains, enabled, version, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)`, p.RegionID, p.Name, p.Issuer, p.ClientID, newSecret, domains, p.Enabled, now)
			if isForeignKey(err) {
				return notFound()
			}
		} else {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `UPDATE sso_providers SET name = $3, issuer = $4, client_id = $5, client_secret = $6, domains = $7,
				enabled = $8, version = version + 1, updated_at = $9 WHERE region_id = $1 AND version = $2`,
				p.RegionID, p.Version, p.Name, p.Issuer, p.ClientID, newSecret, domains, p.Enabled, now)
			err = checkUpdated(res, err)
			if err != nil {
				return err
			}
		}
		if err != nil {
			return internal(err)
		}
		p.Version++
		p.HasSecret = newSecret != nil
		n := ssoAudit{Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID, Domains: strings.Join(p.Domains, ", "), Enabled: p.Enabled, ClientSecret: secretNote}
		action := ActionUpdate
		if old == nil {
			action = ActionCreate
		}
		var o any
		if old != nil {
			o = old
		}
		return db.audit(ctx, tx, a, p.RegionID, EntitySSO, p.RegionID, action, mtvp.Diff(o, &n))
	})
}

// SSOState is a sign-in on its way through the provider. Only hashes of
// the state and of the browser's cookie value are stored.
type SSOState struct {
	StateHash   string
	BrowserHash string
	Provider    string // mtvp.SSOProvider.Key
	Nonce       string
	Verifier    string // PKCE code verifier
	Next        string
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// CreateSSOState stores a sign-in's state and removes expired ones.
func (db *DB) CreateSSOState(ctx context.Context, st SSOState) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sso_states WHERE expires_at < $1`, ts(st.CreatedAt)); err != nil {
			return internal(err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sso_states (state_hash, browser_hash, provider, nonce, verifier, next, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, st.StateHash, st.BrowserHash, st.Provider, st.Nonce, st.Verifier, st.Next, ts(st.CreatedAt), ts(st.ExpiresAt))
		return internal(err)
	})
}

// UseSSOState marks the open state with this hash used at now and returns
// it; only one caller ever succeeds. An unknown, used or expired state is
// ENOTFOUND.
func (db *DB) UseSSOState(ctx context.Context, stateHash string, now time.Time) (SSOState, error) {
	var st SSOState
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var created, expires time.Time
		err := tx.QueryRowContext(ctx, `UPDATE sso_states SET used_at = $2 WHERE state_hash = $1 AND used_at IS NULL AND expires_at > $2
			RETURNING state_hash, browser_hash, provider, nonce, verifier, next, created_at, expires_at`, stateHash, ts(now)).
			Scan(&st.StateHash, &st.BrowserHash, &st.Provider, &st.Nonce, &st.Verifier, &st.Next, &created, &expires)
		st.CreatedAt, st.ExpiresAt = utc(created), utc(expires)
		return rowErr(err)
	})
	return st, err
}

// OpenInvitation returns the newest open invitation of email (into region
// regionID when it is not 0) at now; ENOTFOUND when there is none.
func (db *DB) OpenInvitation(ctx context.Context, email string, regionID int64, now time.Time) (Link, error) {
	cond, args := ``, []any{normEmail(email), ts(now)}
	if regionID != 0 {
		cond, args = ` AND l.region_id = $3`, append(args, regionID)
	}
	l, err := scanLink(db.rd.QueryRowContext(ctx, `SELECT `+linkCols+linkFrom+` WHERE l.purpose = 'invite' AND l.email = $1
		AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > $2`+cond+` ORDER BY l.id DESC LIMIT 1`, args...))
	return l, rowErr(err)
}

// AcceptInvitationBySSO uses the open invitation id for an address a
// single sign-on provider vouched for, and creates its login with the
// invited grants and no password (name and language as given), in one
// transaction — as AcceptInvitation does for a link.
func (db *DB) AcceptInvitationBySSO(ctx context.Context, id int64, now time.Time, name, locale string) (mtvp.User, error) {
	var u mtvp.User
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		l, err := useLinkBy(ctx, tx, LinkInvite, `id`, id, now)
		if err != nil {
			return err
		}
		u, err = db.acceptInvitationTx(ctx, tx, l, name, locale, "")
		return err
	})
	return u, err
}
