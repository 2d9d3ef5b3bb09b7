-- Visits recorded from (issue 12). Kept in step with
-- migrations/sqlite/00012_visits_recorded_from.sql.

-- +goose Up
-- The annual visit is judged from the region's setting
-- visits_recorded_from (before it "not recorded", from it a missing visit
-- is "not met"). Until now it was judged in a year once the region had any
-- visit in that year: a region that already records visits keeps being
-- judged, from January 1 of its first year with a visit.
UPDATE regions r SET settings = jsonb_set(r.settings, '{visits_recorded_from}', to_jsonb(lpad(v.first_year::text, 4, '0') || '-01-01'))
    FROM (SELECT region_id, MIN(year) AS first_year FROM visits WHERE status <> 'geannuleerd' GROUP BY region_id) v
    WHERE v.region_id = r.id AND COALESCE(r.settings -> 'visits_recorded_from', 'null'::jsonb) = 'null'::jsonb;

-- +goose Down
UPDATE regions SET settings = settings - 'visits_recorded_from';
