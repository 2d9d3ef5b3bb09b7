-- A cancelled activity is removed with its sign-ups, but calendars that
-- hold it still know it by its UID (activity-<id>@meertijd). What they need
-- to drop it is kept here: the region (who may ask), what the entry said
-- and the iCal SEQUENCE of the cancellation, so the activity's .ics
-- download answers METHOD:CANCEL / STATUS:CANCELLED after the cancellation
-- mails went out. Activity ids are never reused (identity).
-- Kept in step with migrations/sqlite/00029_activity_cancellations.sql.

-- +goose Up
CREATE TABLE activity_cancellations (
    activity_id  BIGINT PRIMARY KEY,
    region_id    BIGINT  NOT NULL REFERENCES regions (id),
    title        TEXT    NOT NULL,
    day          DATE    NOT NULL,
    start_time   TEXT    NOT NULL,
    end_time     TEXT    NOT NULL,
    place        TEXT    NOT NULL,
    sequence     INTEGER NOT NULL,
    cancelled_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX activity_cancellations_region ON activity_cancellations (region_id);

-- +goose Down
DROP TABLE activity_cancellations;
