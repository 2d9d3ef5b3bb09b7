-- Reminders and digests (issue 13): what the daily reminder run remembers
-- having sent, when a training place was given from the waiting list, and
-- indexes for choosing the day's reminders by date.
-- Kept in step with migrations/postgres/00013_reminders_digest.sql.

-- +goose Up
-- A reminder that must not be chosen again once written (a norm at risk
-- per period, a waiting-list place once): mtvp.Reminder.Remember keys,
-- written in the transaction that writes the mails.
CREATE TABLE reminder_memory (
    key        TEXT PRIMARY KEY,
    region_id  INTEGER REFERENCES regions (id),
    -- until_on: the last day the memory matters (a norm's year end, a
    -- place's date to decline); older rows are not loaded.
    until_on   TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reminder_memory_until ON reminder_memory (until_on);

-- When a sign-up moved up from the waiting list into a freed place (as
-- intervision_members.promoted_at).
ALTER TABLE training_enrolments ADD COLUMN promoted_at TIMESTAMP;
CREATE INDEX training_enrolments_promoted ON training_enrolments (promoted_at) WHERE promoted_at IS NOT NULL;
CREATE INDEX intervision_members_promoted ON intervision_members (promoted_at) WHERE promoted_at IS NOT NULL;

-- The day's meetings and sessions are looked up by date over all regions.
CREATE INDEX intervision_meetings_date ON intervision_meetings (meeting_date);
CREATE INDEX training_sessions_first_date ON training_sessions (first_date);

-- +goose Down
DROP INDEX training_sessions_first_date;
DROP INDEX intervision_meetings_date;
DROP INDEX intervision_members_promoted;
DROP INDEX training_enrolments_promoted;
ALTER TABLE training_enrolments DROP COLUMN promoted_at;
DROP TABLE reminder_memory;
