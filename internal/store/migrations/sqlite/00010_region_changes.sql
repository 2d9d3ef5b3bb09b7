-- A change counter per region (issue 14). Kept in step with
-- migrations/postgres/00010_region_changes.sql.

-- +goose Up
-- counter grows with every audit entry of the region. Every write that
-- can change a region's standing is audited in its own transaction, so the
-- trigger below bumps the counter in that same transaction: a reader that
-- sees the write sees the new counter. Caches of derived data (the
-- evaluated compliance standing, ETags) key on it. A region without a row
-- has counter 0.
CREATE TABLE region_changes (
    region_id INTEGER PRIMARY KEY,
    counter   INTEGER NOT NULL
);

-- +goose StatementBegin
CREATE TRIGGER audit_log_region_change AFTER INSERT ON audit_log
WHEN NEW.region_id IS NOT NULL
BEGIN
    INSERT INTO region_changes (region_id, counter) VALUES (NEW.region_id, 1)
    ON CONFLICT (region_id) DO UPDATE SET counter = counter + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_region_change;
DROP TABLE region_changes;
