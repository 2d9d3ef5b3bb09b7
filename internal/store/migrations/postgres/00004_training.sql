-- Training menu (issue 5). Kept in step with migrations/sqlite/00004_training.sql.

-- +goose Up
CREATE TABLE training_themes (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id BIGINT  NOT NULL REFERENCES regions (id),
    name      TEXT    NOT NULL,
    position  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (region_id, name)
);

CREATE TABLE trainings (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id   BIGINT  NOT NULL REFERENCES regions (id),
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    target      TEXT    NOT NULL CHECK (target IN ('assistenten', 'huisartsen', 'beide')),
    themes      JSONB   NOT NULL DEFAULT '[]',
    provider    TEXT    NOT NULL DEFAULT '',
    register    TEXT    NOT NULL DEFAULT 'geen',
    points      DOUBLE PRECISION    NOT NULL DEFAULT 0,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX trainings_region ON trainings (region_id, title);

CREATE TABLE training_sessions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    training_id BIGINT  NOT NULL REFERENCES trainings (id),
    region_id   BIGINT  NOT NULL REFERENCES regions (id),
    dates       JSONB   NOT NULL DEFAULT '[]',
    first_date  DATE    NOT NULL,
    last_date   DATE    NOT NULL,
    start_time  TEXT    NOT NULL DEFAULT '',
    end_time    TEXT    NOT NULL DEFAULT '',
    place       TEXT    NOT NULL DEFAULT '',
    online      BOOLEAN NOT NULL DEFAULT FALSE,
    capacity    INTEGER NOT NULL CHECK (capacity > 0),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX training_sessions_training ON training_sessions (training_id, first_date);
CREATE INDEX training_sessions_region ON training_sessions (region_id, first_date);

-- One sign-up per person and session; a cancelled one may be renewed.
-- queued_at orders the waiting list.
CREATE TABLE training_enrolments (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  BIGINT  NOT NULL REFERENCES training_sessions (id),
    person_id   BIGINT  NOT NULL REFERENCES persons (id),
    practice_id BIGINT  NOT NULL REFERENCES practices (id),
    status      TEXT    NOT NULL CHECK (status IN ('geplaatst', 'wachtlijst', 'geannuleerd')),
    queued_at   TIMESTAMPTZ NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (session_id, person_id)
);
CREATE INDEX training_enrolments_session ON training_enrolments (session_id, status, queued_at);
CREATE INDEX training_enrolments_practice ON training_enrolments (practice_id);

CREATE TABLE training_completions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id   BIGINT  NOT NULL REFERENCES training_sessions (id),
    training_id  BIGINT  NOT NULL REFERENCES trainings (id),
    person_id    BIGINT  NOT NULL REFERENCES persons (id),
    completed_on DATE    NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (session_id, person_id)
);
CREATE INDEX training_completions_person ON training_completions (person_id, completed_on);

CREATE TABLE training_claims (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id     BIGINT  NOT NULL REFERENCES regions (id),
    practice_id   BIGINT  NOT NULL REFERENCES practices (id),
    person_id     BIGINT  NOT NULL REFERENCES persons (id),
    title         TEXT    NOT NULL,
    provider      TEXT    NOT NULL DEFAULT '',
    completed_on  DATE    NOT NULL,
    theme         TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('in_behandeling', 'goedgekeurd', 'afgewezen')),
    reason        TEXT    NOT NULL DEFAULT '',
    decided_by    BIGINT  REFERENCES users (id),
    decided_name  TEXT    NOT NULL DEFAULT '',
    decided_at    TIMESTAMPTZ,
    evidence_name TEXT    NOT NULL DEFAULT '',
    evidence_type TEXT    NOT NULL DEFAULT '',
    evidence_size INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX training_claims_practice ON training_claims (practice_id, status);
CREATE INDEX training_claims_person ON training_claims (person_id);
CREATE INDEX training_claims_region ON training_claims (region_id, status);

-- Evidence files live apart so listing claims never reads them.
CREATE TABLE training_claim_evidence (
    claim_id BIGINT  PRIMARY KEY REFERENCES training_claims (id) ON DELETE CASCADE,
    data     BYTEA   NOT NULL
);

-- +goose Down
DROP TABLE training_claim_evidence;
DROP TABLE training_claims;
DROP TABLE training_completions;
DROP TABLE training_enrolments;
DROP TABLE training_sessions;
DROP TABLE trainings;
DROP TABLE training_themes;
