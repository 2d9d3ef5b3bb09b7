-- History import (issue 12). Kept in step with migrations/postgres/00008_history_import.sql.

-- +goose Up
-- A person's own AGB code (8 digits), optional: the history import matches
-- people by BIG number, then AGB code, then e-mail, then name at a practice,
-- and fills it in when a row names it for a person found otherwise.
ALTER TABLE persons ADD COLUMN agb TEXT NOT NULL DEFAULT '';
CREATE INDEX persons_region_agb ON persons (region_id, agb);

-- +goose Down
DROP INDEX persons_region_agb;
ALTER TABLE persons DROP COLUMN agb;
