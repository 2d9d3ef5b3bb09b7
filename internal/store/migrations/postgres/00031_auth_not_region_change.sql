-- Sign-ins and other authentication events no longer move the region's
-- change counter (issue 14). They are audited per region (the region's
-- security log), but nothing derived from the region's data depends on
-- them: every sign-in threw away the region's cached standing, dashboard
-- and menu counts, and an API token's hourly use changed the ETag of the
-- answer it was fetching.
-- Kept in step with migrations/sqlite/00031_auth_not_region_change.sql.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_log_region_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO region_changes (region_id, counter)
    SELECT region_id, COUNT(*) FROM new_rows WHERE region_id IS NOT NULL AND entity <> 'auth'
    GROUP BY region_id ORDER BY region_id
    ON CONFLICT (region_id) DO UPDATE SET counter = region_changes.counter + EXCLUDED.counter;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_log_region_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO region_changes (region_id, counter)
    SELECT region_id, COUNT(*) FROM new_rows WHERE region_id IS NOT NULL
    GROUP BY region_id ORDER BY region_id
    ON CONFLICT (region_id) DO UPDATE SET counter = region_changes.counter + EXCLUDED.counter;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
