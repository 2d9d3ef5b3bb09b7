-- Sign-ins and other authentication events no longer move the region's
-- change counter (issue 14). They are audited per region (the region's
-- security log), but nothing derived from the region's data depends on
-- them: every sign-in threw away the region's cached standing, dashboard
-- and menu counts, and an API token's hourly use changed the ETag of the
-- answer it was fetching.
-- Kept in step with migrations/postgres/00031_auth_not_region_change.sql.

-- +goose Up
DROP TRIGGER audit_log_region_change;

-- +goose StatementBegin
CREATE TRIGGER audit_log_region_change AFTER INSERT ON audit_log
WHEN NEW.region_id IS NOT NULL AND NEW.entity <> 'auth'
BEGIN
    INSERT INTO region_changes (region_id, counter) VALUES (NEW.region_id, 1)
    ON CONFLICT (region_id) DO UPDATE SET counter = counter + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_log_region_change;

-- +goose StatementBegin
CREATE TRIGGER audit_log_region_change AFTER INSERT ON audit_log
WHEN NEW.region_id IS NOT NULL
BEGIN
    INSERT INTO region_changes (region_id, counter) VALUES (NEW.region_id, 1)
    ON CONFLICT (region_id) DO UPDATE SET counter = counter + 1;
END;
-- +goose StatementEnd
