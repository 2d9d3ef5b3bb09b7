-- A change counter per region (issue 14). Kept in step with
-- migrations/sqlite/00010_region_changes.sql.

-- +goose Up
-- counter grows with every audit entry of the region. Every write that
-- can change a region's standing is audited in its own transaction, so the
-- trigger below bumps the counter in that same transaction: a reader that
-- sees the write sees the new counter. Caches of derived data (the
-- evaluated compliance standing, ETags) key on it. A region without a row
-- has counter 0.
CREATE TABLE region_changes (
    region_id BIGINT PRIMARY KEY,
    counter   BIGINT NOT NULL
);

-- One statement-level trigger: a bulk INSERT of many audit rows bumps each
-- region once, by its number of rows, in region order (two transactions
-- touching the same regions lock them in the same order).
-- +goose StatementBegin
CREATE FUNCTION audit_log_region_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO region_changes (region_id, counter)
    SELECT region_id, COUNT(*) FROM new_rows WHERE region_id IS NOT NULL
    GROUP BY region_id ORDER BY region_id
    ON CONFLICT (region_id) DO UPDATE SET counter = region_changes.counter + EXCLUDED.counter;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_region_change AFTER INSERT ON audit_log
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_log_region_change();

-- +goose Down
DROP TRIGGER audit_log_region_change ON audit_log;
DROP FUNCTION audit_log_region_change();
DROP TABLE region_changes;
