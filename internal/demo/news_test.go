package demo_test

import (
	"context"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store/storetest"
)

// TestLoadAllProposalsAndNews: every region has training proposals in each
// status (an accepted one on the menu) and news, some of it live.
func TestLoadAllProposalsAndNews(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	now := clock.Now()
	if _, err := demo.LoadAll(ctx, db, fakeHash, now); err != nil {
		t.Fatal(err)
	}
	regions, err := db.ListRegions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, reg := range regions {
		counts, err := db.ProposalCounts(ctx, reg.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range mtvp.ProposalStatuses {
			if counts[s] == 0 {
				t.Errorf("%s: no proposal %s", reg.Code, s)
			}
		}
		news, err := db.ListNews(ctx, reg.ID)
		if err != nil {
			t.Fatal(err)
		}
		live := 0
		for _, n := range news {
			if n.Live(mtvp.DateOf(now)) {
				live++
			}
		}
		if len(news) < 3 || live == 0 || live == len(news) {
			t.Errorf("%s: %d news, %d live", reg.Code, len(news), live)
		}
	}
}
