-- Foundation schema (issue 2). Kept in step with migrations/postgres/00001_init.sql:
-- same tables, columns, constraints and indexes; only the types differ.
-- Dates are ISO TEXT (YYYY-MM-DD); timestamps are UTC TIMESTAMP; booleans INTEGER 0/1;
-- JSON is TEXT. Tables whose rows are audited use AUTOINCREMENT so a deleted row's id
-- is never reused (PostgreSQL identities never reuse ids either).

-- +goose Up
CREATE TABLE regions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    code                TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    insurers            TEXT    NOT NULL DEFAULT '[]',
    programme_start     TEXT,
    settings            TEXT    NOT NULL DEFAULT '{}',
    share_participation INTEGER NOT NULL DEFAULT 0,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL DEFAULT '',
    totp_secret    BLOB,
    totp_enabled   INTEGER NOT NULL DEFAULT 0,
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    locale         TEXT    NOT NULL DEFAULT 'nl',
    disabled       INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    last_login_at  TIMESTAMP
);

CREATE TABLE regioplans (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id       INTEGER NOT NULL REFERENCES regions (id),
    year            INTEGER NOT NULL,
    conditions      TEXT    NOT NULL DEFAULT '{}',
    learning_offers TEXT    NOT NULL DEFAULT '[]',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (region_id, year)
);

CREATE TABLE interventions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    regioplan_id INTEGER NOT NULL REFERENCES regioplans (id) ON DELETE CASCADE,
    code         TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    element      TEXT    NOT NULL CHECK (element IN ('A', 'B', 'C', 'D')),
    mandatory    INTEGER NOT NULL DEFAULT 0,
    position     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (regioplan_id, code)
);

CREATE TABLE practices (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id           INTEGER NOT NULL REFERENCES regions (id),
    agb                 TEXT    NOT NULL,
    name                TEXT    NOT NULL,
    street              TEXT    NOT NULL DEFAULT '',
    postcode            TEXT    NOT NULL DEFAULT '',
    city                TEXT    NOT NULL DEFAULT '',
    registered_patients INTEGER NOT NULL DEFAULT 0,
    consultant_user_id  INTEGER REFERENCES users (id),
    joined_on           TEXT,
    inflow_wave         TEXT    NOT NULL DEFAULT '',
    status              TEXT    NOT NULL,
    search_key          TEXT    NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    UNIQUE (region_id, agb)
);
CREATE INDEX practices_region_name ON practices (region_id, name);
CREATE INDEX practices_consultant ON practices (consultant_user_id);

CREATE TABLE persons (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id  INTEGER NOT NULL REFERENCES regions (id),
    name       TEXT    NOT NULL,
    email      TEXT    NOT NULL DEFAULT '',
    big        TEXT    NOT NULL DEFAULT '',
    kabiz      TEXT    NOT NULL DEFAULT '',
    search_key TEXT    NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- A BIG number identifies one person within a region (empty = unknown).
CREATE UNIQUE INDEX persons_region_big ON persons (region_id, big) WHERE big <> '';
CREATE INDEX persons_region_email ON persons (region_id, email);
CREATE INDEX persons_region_name ON persons (region_id, search_key);

CREATE TABLE memberships (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   INTEGER NOT NULL REFERENCES persons (id),
    practice_id INTEGER NOT NULL REFERENCES practices (id),
    role        TEXT    NOT NULL,
    fte         REAL    NOT NULL DEFAULT 0,
    from_date   TEXT    NOT NULL,
    to_date     TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (person_id, practice_id, role, from_date)
);
CREATE INDEX memberships_practice ON memberships (practice_id, to_date, from_date, role, fte);
CREATE INDEX memberships_person ON memberships (person_id);

CREATE TABLE grants (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT    NOT NULL,
    region_id   INTEGER REFERENCES regions (id),
    practice_id INTEGER REFERENCES practices (id)
);
CREATE UNIQUE INDEX grants_unique ON grants (user_id, role, COALESCE(region_id, 0), COALESCE(practice_id, 0));
CREATE INDEX grants_region_role ON grants (region_id, role);
CREATE INDEX grants_practice ON grants (practice_id);

CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id, code_hash);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL DEFAULT '',
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB      NOT NULL,
    expiry TIMESTAMP NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT      NOT NULL,
    at  TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TIMESTAMP NOT NULL,
    actor_user_id INTEGER,
    actor_name    TEXT    NOT NULL DEFAULT '',
    region_id     INTEGER,
    entity        TEXT    NOT NULL,
    entity_id     INTEGER NOT NULL,
    action        TEXT    NOT NULL,
    changes       TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_region ON audit_log (region_id, at);

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- +goose Down
DROP TABLE app_meta;
DROP TABLE audit_log;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE recovery_codes;
DROP TABLE grants;
DROP TABLE memberships;
DROP TABLE persons;
DROP TABLE practices;
DROP TABLE interventions;
DROP TABLE regioplans;
DROP TABLE users;
DROP TABLE regions;
