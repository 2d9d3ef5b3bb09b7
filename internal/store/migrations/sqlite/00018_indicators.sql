-- Indicators over time (issue 15 §2). Kept in step with
-- migrations/postgres/00018_indicators.sql.

-- +goose Up
-- One row per figure: an indicator for a quarter, of a practice
-- (level 'praktijk'), the region ('regio') or the country ('landelijk', the
-- national reference the region compares itself with, kept per region with
-- its source). Imported from the region's files; a re-import of the same
-- key changes the row.
CREATE TABLE indicator_values (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id   INTEGER NOT NULL REFERENCES regions (id),
    level       TEXT    NOT NULL CHECK (level IN ('praktijk', 'regio', 'landelijk')),
    practice_id INTEGER REFERENCES practices (id),
    indicator   TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    quarter     INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    value       REAL    NOT NULL,
    source      TEXT    NOT NULL,
    source_date TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    CHECK ((level = 'praktijk') = (practice_id IS NOT NULL))
);
CREATE UNIQUE INDEX indicator_values_key ON indicator_values (region_id, level, COALESCE(practice_id, 0), indicator, year, quarter);
CREATE INDEX indicator_values_practice ON indicator_values (practice_id) WHERE practice_id IS NOT NULL;

-- +goose Down
DROP TABLE indicator_values;
