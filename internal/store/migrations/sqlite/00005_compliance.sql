-- Frozen compliance snapshots (issue 6). Kept in step with
-- migrations/postgres/00005_compliance.sql.
--
-- A snapshot is the standing of every practice of a region for a programme
-- year at a reference date, frozen by a region admin (e.g. for the yearly
-- meeting with the insurers). The practice's AGB, name, consultant and
-- inflow wave are copied at freeze time, so a snapshot never changes
-- afterwards: there is no update or delete path, and the triggers below
-- refuse one.

-- +goose Up
CREATE TABLE compliance_snapshots (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    region_id      INTEGER NOT NULL REFERENCES regions (id),
    year           INTEGER NOT NULL,
    ref_date       TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    settings       TEXT    NOT NULL DEFAULT '{}',
    practices      INTEGER NOT NULL DEFAULT 0,
    compliant      INTEGER NOT NULL DEFAULT 0,
    created_by     INTEGER REFERENCES users (id),
    created_name   TEXT    NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX compliance_snapshots_region ON compliance_snapshots (region_id, created_at);

CREATE TABLE compliance_snapshot_practices (
    snapshot_id  INTEGER NOT NULL REFERENCES compliance_snapshots (id),
    practice_id  INTEGER NOT NULL REFERENCES practices (id),
    position     INTEGER NOT NULL,
    agb          TEXT    NOT NULL DEFAULT '',
    name         TEXT    NOT NULL,
    consultant   TEXT    NOT NULL DEFAULT '',
    inflow_wave  TEXT    NOT NULL DEFAULT '',
    compliant    INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, practice_id)
);

CREATE TABLE compliance_snapshot_rows (
    snapshot_id  INTEGER NOT NULL REFERENCES compliance_snapshots (id),
    practice_id  INTEGER NOT NULL REFERENCES practices (id),
    requirement  TEXT    NOT NULL,
    position     INTEGER NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('voldaan', 'niet_voldaan', 'nvt', 'niet_geregistreerd')),
    required     INTEGER NOT NULL DEFAULT 0,
    actual       INTEGER NOT NULL DEFAULT 0,
    pending      INTEGER NOT NULL DEFAULT 0,
    denominator  INTEGER NOT NULL DEFAULT 0,
    explanation  TEXT    NOT NULL DEFAULT '',
    message_key  TEXT    NOT NULL DEFAULT '',
    message_args TEXT    NOT NULL DEFAULT '[]',
    PRIMARY KEY (snapshot_id, practice_id, requirement)
);

-- +goose StatementBegin
CREATE TRIGGER compliance_snapshots_frozen_u BEFORE UPDATE ON compliance_snapshots
BEGIN SELECT RAISE(ABORT, 'compliance snapshots are frozen'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER compliance_snapshots_frozen_d BEFORE DELETE ON compliance_snapshots
BEGIN SELECT RAISE(ABORT, 'compliance snapshots are frozen'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER compliance_snapshot_practices_frozen_u BEFORE UPDATE ON compliance_snapshot_practices
BEGIN SELECT RAISE(ABORT, 'compliance snapshots are frozen'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER compliance_snapshot_practices_frozen_d BEFORE DELETE ON compliance_snapshot_practices
BEGIN SELECT RAISE(ABORT, 'compliance snapshots are frozen'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER compliance_snapshot_rows_frozen_u BEFORE UPDATE ON compliance_snapshot_rows
BEGIN SELECT RAISE(ABORT, 'compliance snapshots are frozen'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER compliance_snapshot_rows_frozen_d BEFORE DELETE ON compliance_snapshot_rows
BEGIN SELECT RAISE(ABORT, 'compliance snapshots are frozen'); END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE compliance_snapshot_rows;
DROP TABLE compliance_snapshot_practices;
DROP TABLE compliance_snapshots;
