-- E-mail (issue 13): the outbox, invitation and password-reset links,
-- personal opt-outs, personal calendar feeds and region reminder settings.
-- Kept in step with migrations/postgres/00009_mail.sql.

-- +goose Up
-- Every mail is rendered and written here in the same transaction as the
-- change that causes it; the sender claims rows with a lease, delivers them
-- and marks them sent. dedupe_key (when set) makes a reminder once per
-- subject, recipient and day.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id      TEXT      NOT NULL UNIQUE,
    kind            TEXT      NOT NULL,
    region_id       INTEGER   REFERENCES regions (id),
    user_id         INTEGER   REFERENCES users (id) ON DELETE SET NULL,
    recipient       TEXT      NOT NULL,
    recipient_name  TEXT      NOT NULL DEFAULT '',
    locale          TEXT      NOT NULL DEFAULT 'nl',
    subject         TEXT      NOT NULL,
    body_text       TEXT      NOT NULL,
    body_html       TEXT      NOT NULL DEFAULT '',
    unsubscribe_url TEXT      NOT NULL DEFAULT '',
    attachment_name TEXT      NOT NULL DEFAULT '',
    attachment_type TEXT      NOT NULL DEFAULT '',
    attachment      BLOB,
    dedupe_key      TEXT,
    attempts        INTEGER   NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_owner     TEXT      NOT NULL DEFAULT '',
    lease_until     TIMESTAMP,
    last_error      TEXT      NOT NULL DEFAULT '',
    sent_at         TIMESTAMP,
    failed_at       TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX mail_outbox_dedupe ON mail_outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, failed_at, next_attempt_at);
CREATE INDEX mail_outbox_region ON mail_outbox (region_id, id);

-- One-time links sent by mail: an invitation (purpose 'invite', with the
-- grant it gives) or a password reset (purpose 'reset', for user_id). Only
-- a hash of the token is stored.
CREATE TABLE mail_links (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose     TEXT      NOT NULL CHECK (purpose IN ('invite', 'reset')),
    token_hash  TEXT      NOT NULL UNIQUE,
    email       TEXT      NOT NULL,
    name        TEXT      NOT NULL DEFAULT '',
    locale      TEXT      NOT NULL DEFAULT 'nl',
    user_id     INTEGER   REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT      NOT NULL DEFAULT '',
    region_id   INTEGER   REFERENCES regions (id),
    practice_id INTEGER   REFERENCES practices (id),
    created_by  INTEGER   REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    revoked_at  TIMESTAMP
);
CREATE INDEX mail_links_region ON mail_links (region_id, purpose, created_at);
CREATE INDEX mail_links_email ON mail_links (email, purpose);

-- A person's opt-out of one kind of reminder or the digest.
CREATE TABLE mail_optouts (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- The secret of a login's personal calendar feed (hash only) and the
-- token used in its mails' unsubscribe links.
ALTER TABLE users ADD COLUMN calendar_token_hash TEXT NOT NULL DEFAULT '';
-- Reminder settings of a region (JSON; {} = the defaults).
ALTER TABLE regions ADD COLUMN reminder_settings TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE regions DROP COLUMN reminder_settings;
ALTER TABLE users DROP COLUMN calendar_token_hash;
DROP TABLE mail_optouts;
DROP TABLE mail_links;
DROP TABLE mail_outbox;
