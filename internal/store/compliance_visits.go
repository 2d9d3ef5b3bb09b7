package store

import (
	"context"

	"meertijd/internal/mtvp"
)

// visitFacts returns the RECORDED consultant visits of the region's
// practices (only practiceID's when it is not 0) in year, for the
// annual-visit requirement, and whether visits are tracked at all.
//
// Until the visits area supplies data it returns (nil, false, nil): the
// requirement is then "niet_geregistreerd". The visits area replaces this
// one function's body (one query, whatever the number of practices); it
// lives in its own file for that reason.
func (db *DB) visitFacts(ctx context.Context, regionID int64, practiceID int64, year int) (facts []mtvp.VisitFact, tracked bool, err error) {
	return nil, false, nil
}
