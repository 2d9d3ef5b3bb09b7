-- The session's user beside its data (issue 14): the session and its user
-- are read with one query (SessionStore.FindCtx joins users on it). NULL
-- for a session without a signed-in user, and for sessions written before
-- this column (their user is then read by ID, as before).
-- Kept in step with migrations/sqlite/00026_session_user.sql.

-- +goose Up
ALTER TABLE sessions ADD COLUMN user_id BIGINT;

-- +goose Down
ALTER TABLE sessions DROP COLUMN user_id;
