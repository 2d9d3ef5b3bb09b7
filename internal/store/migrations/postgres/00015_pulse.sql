-- The job-satisfaction pulse (issue 15 §4). Kept in step with
-- migrations/sqlite/00015_pulse.sql.

-- +goose Up
-- A region's pulse of one quarter: open from opened_on to the quarter's
-- end, unless the region admin closes it earlier (closed_at).
CREATE TABLE pulse_rounds (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id   BIGINT  NOT NULL REFERENCES regions (id),
    year        INTEGER   NOT NULL,
    quarter     INTEGER   NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    opened_on   DATE      NOT NULL,
    closed_at   TIMESTAMPTZ,
    created_by  BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    version     INTEGER   NOT NULL DEFAULT 1,
    UNIQUE (region_id, year, quarter)
);

-- A practice in a round: the shared link its staff may use, and how many
-- answers it takes (the staff on the day the round opened; personal links
-- count towards it too).
CREATE TABLE pulse_practices (
    round_id    BIGINT  NOT NULL REFERENCES pulse_rounds (id) ON DELETE CASCADE,
    practice_id BIGINT  NOT NULL REFERENCES practices (id),
    link_token  TEXT    NOT NULL UNIQUE,
    staff       INTEGER NOT NULL,
    answers     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, practice_id)
);

-- Personal one-time links sent by e-mail: only the token's hash, and
-- whether it was used — not when, and nothing that points at the answer.
CREATE TABLE pulse_tokens (
    token_hash  TEXT    PRIMARY KEY,
    round_id    BIGINT  NOT NULL REFERENCES pulse_rounds (id) ON DELETE CASCADE,
    practice_id BIGINT  NOT NULL REFERENCES practices (id),
    person_id   BIGINT  NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    used        BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (round_id, person_id, practice_id)
);

-- Anonymous answers: no person, account, token or time; the key is
-- random; the application never reads them in the order they were written.
CREATE TABLE pulse_answers (
    id               TEXT    PRIMARY KEY,
    round_id         BIGINT  NOT NULL REFERENCES pulse_rounds (id) ON DELETE CASCADE,
    practice_id      BIGINT  NOT NULL REFERENCES practices (id),
    workload         INTEGER NOT NULL CHECK (workload BETWEEN 0 AND 10),
    satisfaction     INTEGER NOT NULL CHECK (satisfaction BETWEEN 0 AND 10),
    time_for_patient INTEGER NOT NULL CHECK (time_for_patient BETWEEN 0 AND 10),
    comment          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX pulse_answers_round ON pulse_answers (round_id, practice_id);

-- +goose Down
DROP TABLE pulse_answers;
DROP TABLE pulse_tokens;
DROP TABLE pulse_practices;
DROP TABLE pulse_rounds;
