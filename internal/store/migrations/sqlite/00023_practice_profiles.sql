-- Practice profile (issue 16 §2): the free fields a practice and its
-- consultant keep together (focus, ambitions); every saved version is
-- kept. The rest of the profile is read from data already in meertijd.
-- Kept in step with migrations/postgres/00023_practice_profiles.sql.

-- +goose Up
CREATE TABLE practice_profile_versions (
    practice_id INTEGER NOT NULL REFERENCES practices (id),
    version     INTEGER NOT NULL,
    focus       TEXT    NOT NULL DEFAULT '',
    ambitions   TEXT    NOT NULL DEFAULT '',
    user_id     INTEGER REFERENCES users (id),
    user_name   TEXT    NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (practice_id, version)
);

-- +goose Down
DROP TABLE practice_profile_versions;
