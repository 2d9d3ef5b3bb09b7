-- Intervision (issue 4). Kept in step with migrations/sqlite/00003_intervision.sql.
-- Uploaded year plans and reports live in the database (intervision_files.data): one
-- backup holds everything, writes are transactional, and no file name from a user ever
-- reaches the file system.

-- +goose Up
CREATE TABLE intervision_groups (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id           BIGINT  NOT NULL REFERENCES regions (id),
    year                INTEGER NOT NULL,
    name                TEXT    NOT NULL,
    facilitator_user_id BIGINT  NOT NULL REFERENCES users (id),
    place               TEXT    NOT NULL,
    place_key           TEXT    NOT NULL DEFAULT '',
    weekday             INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    times               TEXT    NOT NULL DEFAULT '',
    capacity            INTEGER NOT NULL CHECK (capacity > 0),
    mixed               BOOLEAN NOT NULL DEFAULT FALSE,
    year_plan           TEXT    NOT NULL DEFAULT '',
    year_report         TEXT    NOT NULL DEFAULT '',
    calendar_token      TEXT    NOT NULL UNIQUE,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX intervision_groups_region_year ON intervision_groups (region_id, year, name);
CREATE INDEX intervision_groups_facilitator ON intervision_groups (facilitator_user_id);

CREATE TABLE intervision_members (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id     BIGINT  NOT NULL REFERENCES intervision_groups (id),
    person_id    BIGINT  NOT NULL REFERENCES persons (id),
    practice_id  BIGINT  NOT NULL REFERENCES practices (id),
    role         TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('lid', 'wachtlijst')),
    signed_up_at TIMESTAMPTZ NOT NULL,
    joined_on    DATE,
    left_on      DATE,
    promoted_at  TIMESTAMPTZ,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
-- One current place (or waiting-list entry) per person and group.
CREATE UNIQUE INDEX intervision_members_current ON intervision_members (group_id, person_id) WHERE left_on IS NULL;
CREATE INDEX intervision_members_group ON intervision_members (group_id, status, left_on, signed_up_at);
CREATE INDEX intervision_members_person ON intervision_members (person_id);
CREATE INDEX intervision_members_practice ON intervision_members (practice_id);

CREATE TABLE intervision_meetings (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id          BIGINT  NOT NULL REFERENCES intervision_groups (id),
    meeting_date      DATE    NOT NULL,
    start_time        TEXT    NOT NULL,
    end_time          TEXT    NOT NULL,
    place             TEXT    NOT NULL DEFAULT '',
    theme             TEXT    NOT NULL DEFAULT '',
    gaia_submitted_on DATE,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX intervision_meetings_group ON intervision_meetings (group_id, meeting_date);

CREATE TABLE intervision_attendance (
    meeting_id BIGINT  NOT NULL REFERENCES intervision_meetings (id) ON DELETE CASCADE,
    member_id  BIGINT  NOT NULL REFERENCES intervision_members (id),
    status     TEXT    NOT NULL CHECK (status IN ('aanwezig', 'afwezig', 'afgemeld')),
    PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX intervision_attendance_member ON intervision_attendance (member_id);

CREATE TABLE intervision_files (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id     BIGINT  NOT NULL REFERENCES intervision_groups (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('jaarplan', 'jaarverslag')),
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    sha256       TEXT    NOT NULL,
    data         BYTEA   NOT NULL,
    uploaded_by  TEXT    NOT NULL DEFAULT '',
    uploaded_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (group_id, kind)
);

-- +goose Down
DROP TABLE intervision_files;
DROP TABLE intervision_attendance;
DROP TABLE intervision_meetings;
DROP TABLE intervision_members;
DROP TABLE intervision_groups;
