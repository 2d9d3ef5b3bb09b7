-- Consultant visits (issue 7). Kept in step with migrations/sqlite/00006_visits.sql.

-- +goose Up
-- One row per visit of a consultant to a practice for a programme
-- (calendar) year. A practice has at most one visit that is not cancelled
-- per year (the annual visit); a cancelled one may be replaced.
CREATE TABLE visits (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id          BIGINT  NOT NULL REFERENCES regions (id),
    practice_id        BIGINT  NOT NULL REFERENCES practices (id),
    year               INTEGER NOT NULL,
    planned_on         DATE    NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('gepland', 'afgerond', 'geannuleerd')),
    consultant_user_id BIGINT  REFERENCES users (id),
    consultant_name    TEXT    NOT NULL DEFAULT '',
    visited_on         DATE,
    plan_version       INTEGER NOT NULL DEFAULT 0,
    judgement          TEXT    NOT NULL DEFAULT '',
    recorded_by        BIGINT  REFERENCES users (id),
    recorded_name      TEXT    NOT NULL DEFAULT '',
    recorded_at        TIMESTAMPTZ,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX visits_region_year ON visits (region_id, year, status);
CREATE INDEX visits_practice_year ON visits (practice_id, year);
CREATE UNIQUE INDEX visits_one_active ON visits (practice_id, year) WHERE status <> 'geannuleerd';

-- Per intervention of the practice's plan: how it is deployed, what goes
-- well, what gets in the way and how to solve it. Code and title are
-- copied from the plan so an old report reads the same later.
CREATE TABLE visit_findings (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    visit_id        BIGINT  NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL DEFAULT 0,
    intervention_id BIGINT  NOT NULL DEFAULT 0,
    code            TEXT    NOT NULL DEFAULT '',
    title           TEXT    NOT NULL DEFAULT '',
    deployment      TEXT    NOT NULL DEFAULT '',
    goes_well       TEXT    NOT NULL DEFAULT '',
    obstacles       TEXT    NOT NULL DEFAULT '',
    solutions       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX visit_findings_visit ON visit_findings (visit_id, position);

-- Actions agreed during the visit.
CREATE TABLE visit_actions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    visit_id    BIGINT  NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL DEFAULT 0,
    description TEXT    NOT NULL,
    owner       TEXT    NOT NULL DEFAULT '',
    due_on      DATE,
    done        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX visit_actions_visit ON visit_actions (visit_id, position);

-- +goose Down
DROP TABLE visit_actions;
DROP TABLE visit_findings;
DROP TABLE visits;
