-- Visits recorded from (issue 12). Kept in step with
-- migrations/postgres/00012_visits_recorded_from.sql.

-- +goose Up
-- The annual visit is judged from the region's setting
-- visits_recorded_from (before it "not recorded", from it a missing visit
-- is "not met"). Until now it was judged in a year once the region had any
-- visit in that year: a region that already records visits keeps being
-- judged, from January 1 of its first year with a visit.
UPDATE regions SET settings = json_set(settings, '$.visits_recorded_from',
        (SELECT printf('%04d-01-01', MIN(v.year)) FROM visits v WHERE v.region_id = regions.id AND v.status <> 'geannuleerd'))
    WHERE json_extract(settings, '$.visits_recorded_from') IS NULL
      AND EXISTS (SELECT 1 FROM visits v WHERE v.region_id = regions.id AND v.status <> 'geannuleerd');

-- +goose Down
UPDATE regions SET settings = json_remove(settings, '$.visits_recorded_from');
