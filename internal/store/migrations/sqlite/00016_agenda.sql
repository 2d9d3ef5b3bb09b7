-- Consult duration from a practice's own agenda export (issue 15 §1). Only
-- weekly aggregates per practice and consult role are kept (never an
-- appointment, never a patient identifier), the record of each accepted
-- upload with its first bad rows, and the practice's CSV column mapping.
-- Kept in step with migrations/postgres/00016_agenda.sql.

-- +goose Up
CREATE TABLE agenda_uploads (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id     INTEGER NOT NULL REFERENCES regions (id),
    practice_id   INTEGER NOT NULL REFERENCES practices (id),
    format        TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    rows_read     INTEGER NOT NULL,
    rows_used     INTEGER NOT NULL,
    rows_skipped  INTEGER NOT NULL,
    rows_bad      INTEGER NOT NULL,
    -- JSON list of {line, reason}: the first bad rows (agenda.MaxBadRows).
    bad_rows      TEXT NOT NULL,
    -- JSON list of practitioner names without a role (staff, never patients).
    unknown_roles TEXT NOT NULL,
    first_week    TEXT NOT NULL, -- ISO week "2026-W49"
    last_week     TEXT NOT NULL,
    user_id       INTEGER REFERENCES users (id),
    user_name     TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX agenda_uploads_practice ON agenda_uploads (practice_id, id);

-- One row per practice, ISO week and consult role (mtvp.ConsultWeek). An
-- upload replaces every row of its practice from its first to its last week.
CREATE TABLE agenda_weeks (
    practice_id   INTEGER NOT NULL REFERENCES practices (id),
    week          TEXT NOT NULL, -- ISO week "2026-W49": sorts as text
    role          TEXT NOT NULL,
    consults      INTEGER NOT NULL,
    seconds       INTEGER NOT NULL,
    lt10          INTEGER NOT NULL,
    m10_15        INTEGER NOT NULL,
    m15_20        INTEGER NOT NULL,
    m20_30        INTEGER NOT NULL,
    ge30          INTEGER NOT NULL,
    doubles       INTEGER NOT NULL,
    upload_id     INTEGER NOT NULL REFERENCES agenda_uploads (id),
    PRIMARY KEY (practice_id, week, role)
);

-- The practice's CSV column mapping (agenda.Mapping as JSON), remembered
-- for its next upload.
CREATE TABLE agenda_mappings (
    practice_id   INTEGER PRIMARY KEY REFERENCES practices (id),
    mapping       TEXT NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE agenda_mappings;
DROP TABLE agenda_weeks;
DROP TABLE agenda_uploads;
