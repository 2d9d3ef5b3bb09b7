-- +goose Up
-- An invitation may carry several grants in its region (a consultant who
-- also facilitates intervision): the first stays in role/practice_id, the
-- others are a JSON list [{"role": …, "practice_id": …}] here.
ALTER TABLE mail_links ADD COLUMN more_grants TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE mail_links DROP COLUMN more_grants;
