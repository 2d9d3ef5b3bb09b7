-- Unsubscribing from the newsletter (AVG, RFC 8058): every newsletter mail
-- carries a personal link (mail_links purpose 'unsubscribe', for user_id,
-- region_id the newsletter's region) that switches the newsletter off
-- without signing in, and the outbox knows which mails announce their
-- List-Unsubscribe as one-click (List-Unsubscribe-Post).
-- Kept in step with migrations/sqlite/00030_newsletter_unsubscribe.sql.

-- +goose Up
ALTER TABLE mail_links DROP CONSTRAINT mail_links_purpose_check;
ALTER TABLE mail_links ADD CONSTRAINT mail_links_purpose_check CHECK (purpose IN ('invite', 'reset', 'unsubscribe'));

ALTER TABLE mail_outbox ADD COLUMN unsubscribe_one_click BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE mail_outbox DROP COLUMN unsubscribe_one_click;

DELETE FROM mail_links WHERE purpose = 'unsubscribe';
ALTER TABLE mail_links DROP CONSTRAINT mail_links_purpose_check;
ALTER TABLE mail_links ADD CONSTRAINT mail_links_purpose_check CHECK (purpose IN ('invite', 'reset'));
