-- Unsubscribing from the newsletter (AVG, RFC 8058): every newsletter mail
-- carries a personal link (mail_links purpose 'unsubscribe', for user_id,
-- region_id the newsletter's region) that switches the newsletter off
-- without signing in, and the outbox knows which mails announce their
-- List-Unsubscribe as one-click (List-Unsubscribe-Post).
-- SQLite cannot change a CHECK constraint: mail_links is rebuilt (no table
-- refers to it).
-- Kept in step with migrations/postgres/00030_newsletter_unsubscribe.sql.

-- +goose Up
CREATE TABLE mail_links_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose     TEXT      NOT NULL CHECK (purpose IN ('invite', 'reset', 'unsubscribe')),
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
    revoked_at  TIMESTAMP,
    more_grants TEXT NOT NULL DEFAULT ''
);
INSERT INTO mail_links_new (id, purpose, token_hash, email, name, locale, user_id, role, region_id, practice_id,
    created_by, created_at, expires_at, used_at, revoked_at, more_grants)
SELECT id, purpose, token_hash, email, name, locale, user_id, role, region_id, practice_id,
    created_by, created_at, expires_at, used_at, revoked_at, more_grants FROM mail_links;
DROP TABLE mail_links;
ALTER TABLE mail_links_new RENAME TO mail_links;
CREATE INDEX mail_links_region ON mail_links (region_id, purpose, created_at);
CREATE INDEX mail_links_email ON mail_links (email, purpose);

ALTER TABLE mail_outbox ADD COLUMN unsubscribe_one_click INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE mail_outbox DROP COLUMN unsubscribe_one_click;

DELETE FROM mail_links WHERE purpose = 'unsubscribe';
CREATE TABLE mail_links_old (
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
    revoked_at  TIMESTAMP,
    more_grants TEXT NOT NULL DEFAULT ''
);
INSERT INTO mail_links_old SELECT id, purpose, token_hash, email, name, locale, user_id, role, region_id, practice_id,
    created_by, created_at, expires_at, used_at, revoked_at, more_grants FROM mail_links;
DROP TABLE mail_links;
ALTER TABLE mail_links_old RENAME TO mail_links;
CREATE INDEX mail_links_region ON mail_links (region_id, purpose, created_at);
CREATE INDEX mail_links_email ON mail_links (email, purpose);
