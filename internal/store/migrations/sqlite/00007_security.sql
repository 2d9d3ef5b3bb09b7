-- Security (issue 11). Kept in step with migrations/postgres/00007_security.sql.

-- +goose Up
-- session_epoch: sessions remember the epoch they were signed in under; a
-- password change or reset, a second-factor reset or disabling the login
-- raises it and so ends every other session.
-- must_change_password: the password was issued by an administrator and
-- is for one login only.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

-- Tokens expire; NULL (tokens made before this migration) counts as
-- created_at plus the default lifetime.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;

-- One row per throttle key (account+IP, account, IP, second factor):
-- failures since the last success or since the key was forgotten, and the
-- moment of the last one. An attempt is reserved (failures + 1) before
-- the password is checked, in one transaction.
CREATE TABLE login_throttle (
    key      TEXT PRIMARY KEY,
    failures INTEGER   NOT NULL DEFAULT 0,
    last_at  TIMESTAMP NOT NULL
);
CREATE INDEX login_throttle_last ON login_throttle (last_at);
DROP TABLE login_failures;

-- +goose Down
CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT      NOT NULL,
    at  TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);
DROP TABLE login_throttle;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE users DROP COLUMN session_epoch;
