-- Region news (issue 16 §4): announcements for an audience (roles, inflow
-- waves), shown on the home page until read or expired; the monthly
-- newsletter's sends.
-- Kept in step with migrations/postgres/00025_region_news.sql.

-- +goose Up
CREATE TABLE news_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id     INTEGER NOT NULL REFERENCES regions (id),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,  -- markup source (internal/markup)
    links         TEXT NOT NULL DEFAULT '[]', -- JSON [{kind, id}]: sessions, groups
    roles         TEXT NOT NULL DEFAULT '[]', -- JSON account roles; [] = everyone in the region
    waves         TEXT NOT NULL DEFAULT '[]', -- JSON inflow waves "2025-Q1"; [] = every wave
    publish_on    TEXT NOT NULL,
    expires_on    TEXT,
    author_id     INTEGER REFERENCES users (id),
    author_name   TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX news_items_region ON news_items (region_id, publish_on);

CREATE TABLE news_reads (
    news_id       INTEGER NOT NULL REFERENCES news_items (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    read_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (news_id, user_id)
);

CREATE TABLE newsletter_sends (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id     INTEGER NOT NULL REFERENCES regions (id),
    month         TEXT NOT NULL, -- "2026-12"
    recipients    INTEGER NOT NULL,
    sent_by       INTEGER REFERENCES users (id),
    sent_name     TEXT NOT NULL DEFAULT '',
    sent_at       TIMESTAMP NOT NULL
);
CREATE INDEX newsletter_sends_region ON newsletter_sends (region_id, month);

-- +goose Down
DROP TABLE newsletter_sends;
DROP TABLE news_reads;
DROP TABLE news_items;
