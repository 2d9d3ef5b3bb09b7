package storetest

import (
	"context"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// PersonalData lists what must not reach someone who may see no personal
// data (a funder): the names and AGB codes of every practice and the names,
// e-mail addresses, BIG and KABIZ numbers of every person in the regions,
// and the extra strings (such as other logins' names and addresses).
// Strings shorter than 4 characters are left out: they would match by
// chance.
func PersonalData(t testing.TB, db *store.DB, regions []mtvp.Region, extra ...string) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			if len(s) >= 4 {
				out = append(out, s)
			}
		}
	}
	for _, reg := range regions {
		ps, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			add(p.Name, p.AGB)
		}
		people, err := db.ListPeople(ctx, reg.ID, "", 100000)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range people {
			add(p.Name, p.Email, p.BIG, p.KABIZ)
		}
	}
	add(extra...)
	if len(out) < 10 {
		t.Fatalf("too few names and numbers to look for: %v", out)
	}
	return out
}
