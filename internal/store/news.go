package store

import (
	"context"
	"database/sql"
	"time"

	"meertijd/internal/mtvp"
)

// Region news (issue 16 §4): announcements, who read them, and the
// monthly newsletter's sends. Who an announcement is for is mtvp.NewsItem.For.

// EntityNews is the audit entity of an announcement.
const EntityNews = "news"

const newsCols = `n.id, n.region_id, n.title, n.body, n.links, n.roles, n.waves, n.publish_on, n.expires_on,
	COALESCE(n.author_id, 0), n.author_name, n.version, n.created_at, n.updated_at`

func scanNews(s rowScanner) (mtvp.NewsItem, error) {
	var n mtvp.NewsItem
	var links, roles, waves []byte
	var created, updated time.Time
	err := s.Scan(&n.ID, &n.RegionID, &n.Title, &n.Body, &links, &roles, &waves, &n.PublishOn, &n.ExpiresOn,
		&n.AuthorID, &n.AuthorName, &n.Version, &created, &updated)
	if err != nil {
		return n, err
	}
	n.CreatedAt, n.UpdatedAt = utc(created), utc(updated)
	if err := jsonScan(links, &n.Links); err != nil {
		return n, err
	}
	if err := jsonScan(roles, &n.Roles); err != nil {
		return n, err
	}
	return n, jsonScan(waves, &n.Waves)
}

func nullDate(d mtvp.Date) any {
	if d.IsZero() {
		return nil
	}
	return d
}

// ListNews returns a region's announcements, newest publish date first.
func (db *DB) ListNews(ctx context.Context, regionID int64) ([]mtvp.NewsItem, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT `+newsCols+` FROM news_items n WHERE n.region_id = $1 ORDER BY n.publish_on DESC, n.id DESC`, regionID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []mtvp.NewsItem
	for rows.Next() {
		n, err := scanNews(rows)
		if err != nil {
			return nil, internal(err)
		}
		out = append(out, n)
	}
	return out, internal(rows.Err())
}

// NewsByID returns one announcement.
func (db *DB) NewsByID(ctx context.Context, id int64) (mtvp.NewsItem, error) {
	return db.newsByID(ctx, db.rd, id)
}

func (db *DB) newsByID(ctx context.Context, q querier, id int64) (mtvp.NewsItem, error) {
	n, err := scanNews(q.QueryRowContext(ctx, `SELECT `+newsCols+` FROM news_items n WHERE n.id = $1`, id))
	return n, rowErr(err)
}

func newsJSON(n *mtvp.NewsItem) (links, roles, waves string, err error) {
	if n.Links == nil {
		n.Links = []mtvp.NewsLink{}
	}
	if n.Roles == nil {
		n.Roles = []mtvp.AccountRole{}
	}
	if n.Waves == nil {
		n.Waves = []string{}
	}
	if links, err = jsonText(n.Links); err != nil {
		return
	}
	if roles, err = jsonText(n.Roles); err != nil {
		return
	}
	waves, err = jsonText(n.Waves)
	return
}

// SaveNews validates and inserts (n.ID 0) or updates (if n.Version is
// current, else ECONFLICT) an announcement.
func (db *DB) SaveNews(ctx context.Context, a mtvp.Actor, n *mtvp.NewsItem) error {
	n.Normalize()
	if err := n.Validate(); err != nil {
		return err
	}
	links, roles, waves, err := newsJSON(n)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		if n.ID == 0 {
			err := tx.QueryRowContext(ctx, `INSERT INTO news_items (region_id, title, body, links, roles, waves, publish_on, expires_on,
				author_id, author_name, version, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id`,
				n.RegionID, n.Title, n.Body, links, roles, waves, n.PublishOn, nullDate(n.ExpiresOn), nullID(a.UserID), a.Name, now).Scan(&n.ID)
			if isForeignKey(err) {
				return invalid("region", "err.not_found")
			}
			if err != nil {
				return internal(err)
			}
			cur, err := db.newsByID(ctx, tx, n.ID)
			if err != nil {
				return err
			}
			*n = cur
			return db.audit(ctx, tx, a, n.RegionID, EntityNews, n.ID, ActionCreate, mtvp.Diff(nil, n))
		}
		old, err := db.newsByID(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		if old.Version != n.Version || old.RegionID != n.RegionID {
			return conflict()
		}
		res, err := tx.ExecContext(ctx, `UPDATE news_items SET title = $3, body = $4, links = $5, roles = $6, waves = $7, publish_on = $8,
			expires_on = $9, version = version + 1, updated_at = $10 WHERE id = $1 AND version = $2`,
			n.ID, n.Version, n.Title, n.Body, links, roles, waves, n.PublishOn, nullDate(n.ExpiresOn), now)
		if err := checkUpdated(res, err); err != nil {
			return err
		}
		cur, err := db.newsByID(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		*n = cur
		return db.audit(ctx, tx, a, n.RegionID, EntityNews, n.ID, ActionUpdate, mtvp.Diff(&old, n))
	})
}

// MarkNewsRead records that user read the announcement (again: no change).
func (db *DB) MarkNewsRead(ctx context.Context, newsID, userID int64) error {
	_, err := db.sql.ExecContext(ctx, `INSERT INTO news_reads (news_id, user_id, read_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		newsID, userID, db.now())
	return internal(err)
}

// NewsRead returns which of the region's announcements user has read.
func (db *DB) NewsRead(ctx context.Context, regionID, userID int64) (map[int64]bool, error) {
	return idSet(db.rd.QueryContext(ctx, `SELECT r.news_id FROM news_reads r JOIN news_items n ON n.id = r.news_id
		WHERE n.region_id = $1 AND r.user_id = $2`, regionID, userID))
}

// PracticeWaves maps the region's practices to their inflow wave.
func (db *DB) PracticeWaves(ctx context.Context, regionID int64) (map[int64]string, error) {
	return scanIDTexts(db.rd.QueryContext(ctx, `SELECT id, inflow_wave FROM practices WHERE region_id = $1`, regionID))
}

// NewsletterSend is one sending of a month's newsletter.
type NewsletterSend struct {
	Month      string
	Recipients int
	SentName   string
	SentAt     time.Time
}

// NewsletterMail is one recipient's newsletter mail with its personal
// unsubscribe link (Link: UserID, Email, Name, Locale, Grant.RegionID,
// CreatedAt and ExpiresAt; TokenHash: the hash of the token in the mail).
type NewsletterMail struct {
	Mail      *Mail
	Link      Link
	TokenHash string
}

// QueueNewsletter writes the newsletter mails with their unsubscribe links
// and the record of the send in one transaction; it returns how many mails
// were new (a mail already in the outbox under the same DedupeKey is
// skipped with its link, so sending twice mails nobody twice). A login
// that opted out of the newsletter gets none, also when it did so while
// the mails were being written.
func (db *DB) QueueNewsletter(ctx context.Context, a mtvp.Actor, regionID int64, month string, mails []NewsletterMail) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		n = 0
		optedOut, err := optOutsIn(ctx, tx, regionID, mtvp.KindNewsletter)
		if err != nil {
			return err
		}
		for _, m := range mails {
			if m.Mail.UserID != 0 && optedOut[m.Mail.UserID] {
				continue
			}
			ok, err := db.enqueueMail(ctx, tx, m.Mail)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			n++
			if m.TokenHash != "" {
				l := m.Link
				if err := insertUnsubscribeLink(ctx, tx, &l, m.TokenHash); err != nil {
					return err
				}
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO newsletter_sends (region_id, month, recipients, sent_by, sent_name, sent_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, regionID, month, n, nullID(a.UserID), a.Name, db.now())
		return internal(err)
	})
	return n, err
}

// NewsletterSends lists a month's sends, newest first.
func (db *DB) NewsletterSends(ctx context.Context, regionID int64, month string) ([]NewsletterSend, error) {
	rows, err := db.rd.QueryContext(ctx, `SELECT month, recipients, sent_name, sent_at FROM newsletter_sends
		WHERE region_id = $1 AND month = $2 ORDER BY sent_at DESC, id DESC`, regionID, month)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	var out []NewsletterSend
	for rows.Next() {
		var s NewsletterSend
		if err := rows.Scan(&s.Month, &s.Recipients, &s.SentName, &s.SentAt); err != nil {
			return nil, internal(err)
		}
		s.SentAt = utc(s.SentAt)
		out = append(out, s)
	}
	return out, internal(rows.Err())
}
