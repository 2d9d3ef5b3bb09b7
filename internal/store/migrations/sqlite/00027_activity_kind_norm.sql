-- Which norm an activity kind counts towards (issue 16 §1): a kind whose
-- counts is 'norm' names the requirement code here (intervisie,
-- scholing_assistenten, scholing_huisartsen); '' otherwise. A kind set to
-- 'norm' before this column names no norm and counts towards nothing
-- until the region picks one.
-- Kept in step with migrations/postgres/00027_activity_kind_norm.sql.

-- +goose Up
ALTER TABLE activity_kinds ADD COLUMN norm TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE activity_kinds DROP COLUMN norm;
