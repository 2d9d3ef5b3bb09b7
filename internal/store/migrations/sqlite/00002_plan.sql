-- Plan van aanpak (issue 3). Kept in step with migrations/postgres/00002_plan.sql.
-- A plan per practice and calendar year; every saved text is a row of
-- plan_versions (never updated except for its workflow columns); comments per
-- section as threads; dated team reviews.

-- +goose Up
CREATE TABLE plans (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id   INTEGER NOT NULL REFERENCES regions (id),
    practice_id INTEGER NOT NULL REFERENCES practices (id),
    year        INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (practice_id, year)
);
CREATE INDEX plans_region_year ON plans (region_id, year, practice_id);

CREATE TABLE plan_versions (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id              INTEGER NOT NULL REFERENCES plans (id),
    number               INTEGER NOT NULL,
    status               TEXT    NOT NULL,
    content              TEXT    NOT NULL DEFAULT '{}',
    saved_by_user_id     INTEGER,
    saved_by_name        TEXT    NOT NULL DEFAULT '',
    saved_at             TIMESTAMP NOT NULL,
    discussed_on         TEXT,
    agreed               TEXT    NOT NULL DEFAULT '[]',
    shared_at            TIMESTAMP,
    finalised_by_user_id INTEGER,
    finalised_by_name    TEXT    NOT NULL DEFAULT '',
    finalised_at         TIMESTAMP,
    UNIQUE (plan_id, number)
);
CREATE INDEX plan_versions_final ON plan_versions (plan_id, status, finalised_at);

CREATE TABLE plan_comments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id        INTEGER NOT NULL REFERENCES plans (id),
    section        TEXT    NOT NULL,
    parent_id      INTEGER REFERENCES plan_comments (id),
    version_number INTEGER NOT NULL DEFAULT 0,
    author_user_id INTEGER,
    author_name    TEXT    NOT NULL DEFAULT '',
    author_role    TEXT    NOT NULL DEFAULT '',
    body           TEXT    NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX plan_comments_plan ON plan_comments (plan_id, section, id);

CREATE TABLE plan_reviews (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id        INTEGER NOT NULL REFERENCES plans (id),
    held_on        TEXT    NOT NULL,
    works          TEXT    NOT NULL DEFAULT '',
    not_works      TEXT    NOT NULL DEFAULT '',
    connect        TEXT    NOT NULL DEFAULT '',
    needs          TEXT    NOT NULL DEFAULT '',
    author_user_id INTEGER,
    author_name    TEXT    NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX plan_reviews_plan ON plan_reviews (plan_id, held_on);

-- +goose Down
DROP TABLE plan_reviews;
DROP TABLE plan_comments;
DROP TABLE plan_versions;
DROP TABLE plans;
