-- Security (issue 11). Kept in step with migrations/sqlite/00007_security.sql.

-- +goose Up
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;

CREATE TABLE login_throttle (
    key      TEXT PRIMARY KEY,
    failures INTEGER     NOT NULL DEFAULT 0,
    last_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_throttle_last ON login_throttle (last_at);
DROP TABLE login_failures;

-- +goose Down
CREATE TABLE login_failures (
    id  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key TEXT      NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
DROP TABLE login_throttle;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE users DROP COLUMN session_epoch;
