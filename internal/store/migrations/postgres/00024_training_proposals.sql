-- Training proposals (issue 16 §3): a practice proposes a training that is
-- not on the menu, its consultant advises, the region accepts (a training
-- is made: training_id) or declines with a reason (mtvp.ProposalTransition).
-- Kept in step with migrations/sqlite/00024_training_proposals.sql.

-- +goose Up
CREATE TABLE training_proposals (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    region_id     BIGINT NOT NULL REFERENCES regions (id),
    practice_id   BIGINT NOT NULL REFERENCES practices (id),
    title         TEXT NOT NULL,
    provider      TEXT NOT NULL,
    theme         TEXT NOT NULL,
    target        TEXT NOT NULL CHECK (target IN ('assistenten', 'huisartsen', 'beide')),
    why           TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('ingediend', 'geadviseerd', 'geaccepteerd', 'afgewezen')),
    advice        TEXT NOT NULL DEFAULT '',
    advice_text   TEXT NOT NULL DEFAULT '',
    advised_by    BIGINT REFERENCES users (id),
    advised_name  TEXT NOT NULL DEFAULT '',
    advised_at    TIMESTAMPTZ,
    reason        TEXT NOT NULL DEFAULT '',
    counts        BOOLEAN NOT NULL DEFAULT FALSE,
    training_id   BIGINT REFERENCES trainings (id),
    decided_by    BIGINT REFERENCES users (id),
    decided_name  TEXT NOT NULL DEFAULT '',
    decided_at    TIMESTAMPTZ,
    proposed_by   BIGINT REFERENCES users (id),
    proposer_name TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX training_proposals_region ON training_proposals (region_id, status);
CREATE INDEX training_proposals_practice ON training_proposals (practice_id);

-- A training accepted from a proposal as not counting for the norms: its
-- completions are kept but count for no norm (mtvp.Completion.NotCounting).
ALTER TABLE trainings ADD COLUMN counts_for_norms BOOLEAN NOT NULL DEFAULT TRUE;

-- +goose Down
ALTER TABLE trainings DROP COLUMN counts_for_norms;
DROP TABLE training_proposals;
