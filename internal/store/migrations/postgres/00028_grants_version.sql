-- A version of each user's grants (issue 14). The session and token
-- lookups read the user's grants with every request; a process that knows
-- the grants of a version passes it, and the grants are sent only when it
-- moved (store/grants_memo.go). The triggers raise it whenever what a
-- grant shows changes: a grant added, changed or removed, the name of its
-- practice, the code of its region.
-- Kept in step with migrations/sqlite/00028_grants_version.sql.

-- +goose Up
ALTER TABLE users ADD COLUMN grants_version BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE FUNCTION grants_version_grant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE users SET grants_version = grants_version + 1 WHERE id = NEW.user_id;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE users SET grants_version = grants_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
    ELSE
        UPDATE users SET grants_version = grants_version + 1 WHERE id = OLD.user_id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER grants_version_grant AFTER INSERT OR UPDATE OR DELETE ON grants
FOR EACH ROW EXECUTE FUNCTION grants_version_grant();

-- +goose StatementBegin
CREATE FUNCTION grants_version_practice_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET grants_version = grants_version + 1
    WHERE id IN (SELECT user_id FROM grants WHERE practice_id = NEW.id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER grants_version_practice_name AFTER UPDATE OF name ON practices
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION grants_version_practice_name();

-- +goose StatementBegin
CREATE FUNCTION grants_version_region_code() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET grants_version = grants_version + 1
    WHERE id IN (SELECT user_id FROM grants WHERE region_id = NEW.id);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER grants_version_region_code AFTER UPDATE OF code ON regions
FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code) EXECUTE FUNCTION grants_version_region_code();

-- +goose Down
DROP TRIGGER grants_version_region_code ON regions;
DROP FUNCTION grants_version_region_code();
DROP TRIGGER grants_version_practice_name ON practices;
DROP FUNCTION grants_version_practice_name();
DROP TRIGGER grants_version_grant ON grants;
DROP FUNCTION grants_version_grant();
ALTER TABLE users DROP COLUMN grants_version;
