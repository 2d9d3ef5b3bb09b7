-- Foundation schema (issue 2). Kept in step with migrations/sqlite/00001_init.sql:
-- same tables, columns, constraints and indexes; only the types differ.
-- Dates are DATE; timestamps TIMESTAMPTZ (written in UTC); booleans BOOLEAN; JSON is JSONB.

-- +goose Up
CREATE TABLE regions (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    insurers            JSONB   NOT NULL DEFAULT '[]',
    programme_start     DATE,
    settings            JSONB   NOT NULL DEFAULT '{}',
    share_participation BOOLEAN NOT NULL DEFAULT FALSE,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    password_hash  TEXT    NOT NULL DEFAULT '',
    totp_secret    BYTEA,
    totp_enabled   BOOLEAN NOT NULL DEFAULT FALSE,
    totp_last_step BIGINT  NOT NULL DEFAULT 0,
    locale         TEXT    NOT NULL DEFAULT 'nl',
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    last_login_at  TIMESTAMPTZ
);

CREATE TABLE regioplans (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id       BIGINT NOT NULL REFERENCES regions (id),
    year            INTEGER NOT NULL,
    conditions      JSONB   NOT NULL DEFAULT '{}',
    learning_offers JSONB   NOT NULL DEFAULT '[]',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (region_id, year)
);

CREATE TABLE interventions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    regioplan_id BIGINT NOT NULL REFERENCES regioplans (id) ON DELETE CASCADE,
    code         TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    element      TEXT    NOT NULL CHECK (element IN ('A', 'B', 'C', 'D')),
    mandatory    BOOLEAN NOT NULL DEFAULT FALSE,
    position     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (regioplan_id, code)
);

CREATE TABLE practices (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id           BIGINT NOT NULL REFERENCES regions (id),
    agb                 TEXT    NOT NULL,
    name                TEXT    NOT NULL,
    street              TEXT    NOT NULL DEFAULT '',
    postcode            TEXT    NOT NULL DEFAULT '',
    city                TEXT    NOT NULL DEFAULT '',
    registered_patients INTEGER NOT NULL DEFAULT 0,
    consultant_user_id  BIGINT REFERENCES users (id),
    joined_on           DATE,
    inflow_wave         TEXT    NOT NULL DEFAULT '',
    status              TEXT    NOT NULL,
    search_key          TEXT    NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (region_id, agb)
);
CREATE INDEX practices_region_name ON practices (region_id, name);
CREATE INDEX practices_consultant ON practices (consultant_user_id);

CREATE TABLE persons (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id  BIGINT NOT NULL REFERENCES regions (id),
    name       TEXT    NOT NULL,
    email      TEXT    NOT NULL DEFAULT '',
    big        TEXT    NOT NULL DEFAULT '',
    kabiz      TEXT    NOT NULL DEFAULT '',
    search_key TEXT    NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- A BIG number identifies one person within a region (empty = unknown).
CREATE UNIQUE INDEX persons_region_big ON persons (region_id, big) WHERE big <> '';
CREATE INDEX persons_region_email ON persons (region_id, email);
CREATE INDEX persons_region_name ON persons (region_id, search_key);

CREATE TABLE memberships (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES persons (id),
    practice_id BIGINT NOT NULL REFERENCES practices (id),
    role        TEXT    NOT NULL,
    fte         DOUBLE PRECISION NOT NULL DEFAULT 0,
    from_date   DATE    NOT NULL,
    to_date     DATE,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (person_id, practice_id, role, from_date)
);
CREATE INDEX memberships_practice ON memberships (practice_id, to_date, from_date, role, fte);
CREATE INDEX memberships_person ON memberships (person_id);

CREATE TABLE grants (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        TEXT    NOT NULL,
    region_id   BIGINT REFERENCES regions (id),
    practice_id BIGINT REFERENCES practices (id)
);
CREATE UNIQUE INDEX grants_unique ON grants (user_id, role, COALESCE(region_id, 0), COALESCE(practice_id, 0));
CREATE INDEX grants_region_role ON grants (region_id, role);
CREATE INDEX grants_practice ON grants (practice_id);

CREATE TABLE recovery_codes (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   TIMESTAMPTZ
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id, code_hash);

CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL DEFAULT '',
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BYTEA       NOT NULL,
    expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE login_failures (
    id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key TEXT      NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE audit_log (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor_user_id BIGINT,
    actor_name    TEXT    NOT NULL DEFAULT '',
    region_id     BIGINT,
    entity        TEXT    NOT NULL,
    entity_id     BIGINT  NOT NULL,
    action        TEXT    NOT NULL,
    changes       JSONB   NOT NULL DEFAULT '[]'
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
