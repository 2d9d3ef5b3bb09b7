package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"meertijd/internal/mtvp"
)

// Mail is one rendered e-mail in the outbox (table mail_outbox). It is
// written in the same transaction as the change that causes it; the sender
// (internal/mail) claims it with a lease, delivers it and marks it sent.
type Mail struct {
	ID        int64
	MessageID string // "<…@host>", the same at every attempt
	Kind      string // "invite", "reset", "reminder.meeting", …
	RegionID  int64  // 0: no region (platform mail)
	UserID    int64  // the recipient's login, when known
	To        string
	ToName    string
	Locale    string // "nl" or "en"
	Subject   string
	Text      string
	HTML      string
	// UnsubscribeURL, when set, is sent as the List-Unsubscribe header.
	UnsubscribeURL string
	// UnsubscribeOneClick: a POST to UnsubscribeURL unsubscribes without
	// anything else (RFC 8058, sent as List-Unsubscribe-Post).
	UnsubscribeOneClick bool
	AttachmentName      string
	AttachmentType      string
	Attachment          []byte
	// DedupeKey, when set, is unique over the outbox: a second mail with the
	// same key is not written (a reminder once per subject and day).
	DedupeKey string

	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	SentAt        time.Time
	FailedAt      time.Time
	CreatedAt     time.Time
}

// MailState is the state of a mail in the outbox, in words for the page.
func (m Mail) State() string {
	switch {
	case !m.SentAt.IsZero():
		return "sent"
	case !m.FailedAt.IsZero():
		return "failed"
	case m.Attempts > 0:
		return "retrying"
	}
	return "queued"
}

const mailCols = `id, message_id, kind, COALESCE(region_id, 0), COALESCE(user_id, 0), recipient, recipient_name, locale,
	subject, body_text, body_html, unsubscribe_url, unsubscribe_one_click, attachment_name, attachment_type, attachment, COALESCE(dedupe_key, ''),
	attempts, next_attempt_at, last_error, sent_at, failed_at, created_at`

func scanMail(s rowScanner) (Mail, error) {
	var m Mail
	var next, created time.Time
	var sent, failed sql.NullTime
	err := s.Scan(&m.ID, &m.MessageID, &m.Kind, &m.RegionID, &m.UserID, &m.To, &m.ToName, &m.Locale,
		&m.Subject, &m.Text, &m.HTML, &m.UnsubscribeURL, &m.UnsubscribeOneClick, &m.AttachmentName, &m.AttachmentType, &m.Attachment, &m.DedupeKey,
		&m.Attempts, &next, &m.LastError, &sent, &failed, &created)
	m.NextAttemptAt, m.CreatedAt, m.SentAt, m.FailedAt = utc(next), utc(created), nullTime(sent), nullTime(failed)
	return m, err
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// enqueueMail writes m into the outbox inside tx. A mail whose DedupeKey is
// already there is skipped: the result is false and m.ID stays 0.
func (db *DB) enqueueMail(ctx context.Context, tx *sql.Tx, m *Mail) (bool, error) {
	if m.MessageID == "" || m.To == "" || m.Kind == "" {
		return false, internal(errors.New("mail without message id, recipient or kind"))
	}
	if m.Locale != "en" {
		m.Locale = "nl"
	}
	now := db.now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO mail_outbox (message_id, kind, region_id, user_id, recipient, recipient_name, locale,
		subject, body_text, body_html, unsubscribe_url, unsubscribe_one_click, attachment_name, attachment_type, attachment, dedupe_key,
		attempts, next_attempt_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 0, $17, $17)
		ON CONFLICT DO NOTHING RETURNING id`,
		m.MessageID, m.Kind, nullID(m.RegionID), nullID(m.UserID), m.To, m.ToName, m.Locale,
		m.Subject, m.Text, m.HTML, m.UnsubscribeURL, m.UnsubscribeOneClick, m.AttachmentName, m.AttachmentType, m.Attachment, nullText(m.DedupeKey),
		now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, internal(err)
	}
	m.ID, m.CreatedAt, m.NextAttemptAt = id, now, now
	return true, nil
}

// EnqueueMail writes mails that no other change causes (reminders, digests)
// in one transaction and returns how many were new; mails whose DedupeKey
// is already in the outbox are skipped.
func (db *DB) EnqueueMail(ctx context.Context, mails ...*Mail) (int, error) {
	return db.EnqueueReminders(ctx, mails, nil)
}

// ClaimMail leases up to limit due, unsent mails to owner until now+lease
// and returns them oldest first. A mail leased by another sender is not
// claimed until its lease ends (the sender died without releasing it).
func (db *DB) ClaimMail(ctx context.Context, owner string, lease time.Duration, limit int) ([]Mail, error) {
	now := db.now()
	lock := ""
	if db.engine == EnginePostgres {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	var out []Mail
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `UPDATE mail_outbox SET lease_owner = $1, lease_until = $2
			WHERE id IN (SELECT id FROM mail_outbox
				WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until < $3)
				ORDER BY id LIMIT $4`+lock+`)
			RETURNING `+mailCols, owner, ts(now.Add(lease)), now, limit)
		if err != nil {
			return internal(err)
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMail(rows)
			if err != nil {
				return internal(err)
			}
			out = append(out, m)
		}
		return internal(rows.Err())
	})
	slices.SortFunc(out, func(a, b Mail) int { return int(a.ID - b.ID) })
	return out, err
}

// MarkMailSent records that mail id was delivered. It is false when the
// mail was already marked sent (by a sender whose lease had ended).
func (db *DB) MarkMailSent(ctx context.Context, id int64) (bool, error) {
	res, err := db.sql.ExecContext(ctx, `UPDATE mail_outbox SET sent_at = $2, attempts = attempts + 1, lease_owner = '', lease_until = NULL, last_error = ''
		WHERE id = $1 AND sent_at IS NULL`, id, db.now())
	if err != nil {
		return false, internal(err)
	}
	n, err := res.RowsAffected()
	return n == 1, internal(err)
}

// MailAttemptFailed records a failed delivery: the next attempt waits
// retryIn; giveUp marks the mail failed for good (it stays visible).
func (db *DB) MailAttemptFailed(ctx context.Context, id int64, errText string, retryIn time.Duration, giveUp bool) error {
	now := db.now()
	var failed any
	if giveUp {
		failed = now
	}
	if len(errText) > 500 {
		errText = errText[:500]
	}
	_, err := db.sql.ExecContext(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
		failed_at = $4, lease_owner = '', lease_until = NULL WHERE id = $1 AND sent_at IS NULL`,
		id, ts(now.Add(retryIn)), errText, failed)
	return internal(err)
}

// ReleaseMail ends owner's leases of mails it did not send, so another
// sender may take them at once (a sender that stops releases its claims).
func (db *DB) ReleaseMail(ctx context.Context, owner string) error {
	_, err := db.sql.ExecContext(ctx, `UPDATE mail_outbox SET lease_owner = '', lease_until = NULL
		WHERE lease_owner = $1 AND sent_at IS NULL`, owner)
	return internal(err)
}

// ListMail lists the newest mails of a region (0: every mail), newest
// first.
func (db *DB) ListMail(ctx context.Context, regionID int64, limit int) ([]Mail, error) {
	cond, args := `1 = 1`, []any{limit}
	if regionID != 0 {
		cond, args = `region_id = $2`, append(args, regionID)
	}
	rows, err := db.rd.QueryContext(ctx, `SELECT `+mailCols+` FROM mail_outbox WHERE `+cond+` ORDER BY id DESC LIMIT $1`, args...)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []Mail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, m)
	}
	return out, internal(rows.Err())
}

// MailByID returns one mail of the outbox.
func (db *DB) MailByID(ctx context.Context, id int64) (Mail, error) {
	m, err := scanMail(db.rd.QueryRowContext(ctx, `SELECT `+mailCols+` FROM mail_outbox WHERE id = $1`, id))
	return m, rowErr(err)
}

// MailCounts counts the region's unsent mails (0: all) that wait and that
// failed for good.
func (db *DB) MailCounts(ctx context.Context, regionID int64) (waiting, failed int, err error) {
	cond, args := `1 = 1`, []any{}
	if regionID != 0 {
		cond, args = `region_id = $1`, append(args, regionID)
	}
	err = db.rd.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0)
		FROM mail_outbox WHERE `+cond, args...).Scan(&waiting, &failed)
	return waiting, failed, internal(err)
}

// OptOuts returns the kinds of mail a login opted out of.
func (db *DB) OptOuts(ctx context.Context, userID int64) (map[string]bool, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT kind FROM mail_optouts WHERE user_id = $1`, userID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, internal(err)
		}
		out[k] = true
	}
	return out, internal(rows.Err())
}

// OptOutsIn returns the logins with a grant in the region that opted out
// of kind: one query for a whole send (the newsletter).
func (db *DB) OptOutsIn(ctx context.Context, regionID int64, kind string) (map[int64]bool, error) {
	return optOutsIn(ctx, db.rd, regionID, kind)
}

func optOutsIn(ctx context.Context, q querier, regionID int64, kind string) (map[int64]bool, error) {
	return idSet(q.QueryContext(ctx, `SELECT DISTINCT o.user_id FROM mail_optouts o JOIN grants g ON g.user_id = o.user_id
		WHERE o.kind = $1 AND g.region_id = $2`, kind, regionID))
}

// idSet collects the IDs of a one-column query as a set.
func idSet(rows *sql.Rows, err error) (map[int64]bool, error) {
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, internal(err)
		}
		out[id] = true
	}
	return out, internal(rows.Err())
}

// SetOptOuts replaces a login's opt-outs among kinds with those in out; a
// mail switched on or off is in the login's history (every region of its
// grants), as a's change.
func (db *DB) SetOptOuts(ctx context.Context, a mtvp.Actor, userID int64, kinds []string, out map[string]bool) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.setOptOuts(ctx, tx, a, userID, kinds, out) })
}

// AuditFieldMail prefixes the audit field of a login's mail opt-out
// ("Mail.newsletter": "ja" when the login receives it, "nee" when not).
const AuditFieldMail = "Mail."

func (db *DB) setOptOuts(ctx context.Context, tx *sql.Tx, a mtvp.Actor, userID int64, kinds []string, out map[string]bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT kind FROM mail_optouts WHERE user_id = $1`, userID)
	if err != nil {
		return internal(err)
	}
	was := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return internal(err)
		}
		was[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return internal(err)
	}
	receives := map[bool]string{true: "ja", false: "nee"}
	var changes []mtvp.Change
	for _, k := range kinds {
		if was[k] == out[k] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM mail_optouts WHERE user_id = $1 AND kind = $2`, userID, k); err != nil {
			return internal(err)
		}
		if out[k] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO mail_optouts (user_id, kind) VALUES ($1, $2)`, userID, k); err != nil {
				return internal(err)
			}
		}
		changes = append(changes, mtvp.Change{Field: AuditFieldMail + k, Old: receives[!was[k]], New: receives[!out[k]]})
	}
	if len(changes) == 0 {
		return nil
	}
	return db.auditCredentials(ctx, tx, a, userID, changes)
}
