-- Learning activities (issue 16 §1): network meetings, shadowing, practice
-- scans and kinds a region adds, with sign-ups by the shared seat rule.
-- Kept in step with migrations/sqlite/00022_activities.sql.

-- +goose Up
-- A region's added kinds, and the stored setting of built-in kinds
-- (a built-in without a row counts towards nothing).
CREATE TABLE activity_kinds (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id  BIGINT  NOT NULL REFERENCES regions (id),
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL DEFAULT '',
    counts     TEXT    NOT NULL DEFAULT '' CHECK (counts IN ('', 'norm', 'regioplan')),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (region_id, code)
);

CREATE TABLE activities (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id          BIGINT  NOT NULL REFERENCES regions (id),
    kind               TEXT    NOT NULL,
    title              TEXT    NOT NULL,
    description        TEXT    NOT NULL DEFAULT '',
    day                DATE    NOT NULL,
    start_time         TEXT    NOT NULL,
    end_time           TEXT    NOT NULL,
    place              TEXT    NOT NULL,
    capacity           INTEGER NOT NULL CHECK (capacity > 0),
    host_practice_id   BIGINT REFERENCES practices (id),
    host_status        TEXT    NOT NULL DEFAULT '' CHECK (host_status IN ('', 'gevraagd', 'geaccepteerd', 'afgewezen')),
    scan_by            TEXT    NOT NULL DEFAULT '',
    scan_consultant_id BIGINT REFERENCES users (id),
    result_name        TEXT    NOT NULL DEFAULT '',
    result_type        TEXT    NOT NULL DEFAULT '',
    result_size        INTEGER NOT NULL DEFAULT 0,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX activities_region ON activities (region_id, day);
CREATE INDEX activities_host ON activities (host_practice_id);

CREATE TABLE activity_results (
    activity_id BIGINT  PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    data        BYTEA   NOT NULL
);

-- One sign-up per person and activity; a cancelled one may be renewed.
-- queued_at orders the waiting list; attended is NULL until recorded.
CREATE TABLE activity_signups (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity_id BIGINT  NOT NULL REFERENCES activities (id),
    person_id   BIGINT  NOT NULL REFERENCES persons (id),
    practice_id BIGINT  NOT NULL REFERENCES practices (id),
    status      TEXT    NOT NULL CHECK (status IN ('geplaatst', 'wachtlijst', 'geannuleerd')),
    queued_at   TIMESTAMPTZ NOT NULL,
    promoted_at TIMESTAMPTZ,
    attended    BOOLEAN,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (activity_id, person_id)
);
CREATE INDEX activity_signups_practice ON activity_signups (practice_id);

-- +goose Down
DROP TABLE activity_signups;
DROP TABLE activity_results;
DROP TABLE activities;
DROP TABLE activity_kinds;
