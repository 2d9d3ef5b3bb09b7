-- A version of each user's grants (issue 14). The session and token
-- lookups read the user's grants with every request; a process that knows
-- the grants of a version passes it, and the grants are sent only when it
-- moved (store/grants_memo.go). The triggers raise it whenever what a
-- grant shows changes: a grant added, changed or removed, the name of its
-- practice, the code of its region.
-- Kept in step with migrations/postgres/00028_grants_version.sql.

-- +goose Up
ALTER TABLE users ADD COLUMN grants_version INTEGER NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE TRIGGER grants_version_insert AFTER INSERT ON grants
BEGIN
    UPDATE users SET grants_version = grants_version + 1 WHERE id = NEW.user_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER grants_version_update AFTER UPDATE ON grants
BEGIN
    UPDATE users SET grants_version = grants_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER grants_version_delete AFTER DELETE ON grants
BEGIN
    UPDATE users SET grants_version = grants_version + 1 WHERE id = OLD.user_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER grants_version_practice_name AFTER UPDATE OF name ON practices
WHEN OLD.name IS NOT NEW.name
BEGIN
    UPDATE users SET grants_version = grants_version + 1
    WHERE id IN (SELECT user_id FROM grants WHERE practice_id = NEW.id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER grants_version_region_code AFTER UPDATE OF code ON regions
WHEN OLD.code IS NOT NEW.code
BEGIN
    UPDATE users SET grants_version = grants_version + 1
    WHERE id IN (SELECT user_id FROM grants WHERE region_id = NEW.id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER grants_version_region_code;
DROP TRIGGER grants_version_practice_name;
DROP TRIGGER grants_version_delete;
DROP TRIGGER grants_version_update;
DROP TRIGGER grants_version_insert;
ALTER TABLE users DROP COLUMN grants_version;
