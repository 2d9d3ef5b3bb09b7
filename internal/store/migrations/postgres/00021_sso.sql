-- +goose Up
-- Single sign-on (issue 17 §1): a region's OpenID Connect provider (the
-- host's own comes from serve flags), and the state of each sign-in on its
-- way through the provider: single use, short-lived, bound to the browser
-- by the hash of a cookie value.
CREATE TABLE sso_providers (
    region_id     BIGINT      PRIMARY KEY REFERENCES regions (id) ON DELETE CASCADE,
    name          TEXT      NOT NULL,
    issuer        TEXT      NOT NULL,
    client_id     TEXT      NOT NULL,
    client_secret BYTEA,                -- encrypted with the secret key; NULL: none
    domains       TEXT      NOT NULL,   -- allowed e-mail domains, comma separated
    enabled       BOOLEAN   NOT NULL DEFAULT TRUE,
    version       INTEGER   NOT NULL DEFAULT 1,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE sso_states (
    state_hash   TEXT      PRIMARY KEY,
    browser_hash TEXT      NOT NULL,
    provider     TEXT      NOT NULL,
    nonce        TEXT      NOT NULL,
    verifier     TEXT      NOT NULL,
    next         TEXT      NOT NULL DEFAULT '/',
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);
CREATE INDEX sso_states_expires ON sso_states (expires_at);

-- +goose Down
DROP TABLE sso_states;
DROP TABLE sso_providers;
