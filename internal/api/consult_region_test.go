package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"meertijd/internal/store/storetest"
)

func TestRegionConsultWeeksAsFunder(t *testing.T) {
	f := newFixture(t)
	week5, names := storetest.RegionAgenda(t, f.db, f.regionA.ID, f.p1.ID, f.p2.ID)
	rec := f.get(funderA, "/api/v1/regions/{region}/consult-weeks")
	if rec.Code != http.StatusOK {
		t.Fatalf("funder: %d %s", rec.Code, rec.Body.String())
	}
	var got regionConsultJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Role != "huisarts" || len(got.Weeks) != 13 || len(got.Quarters) != 1 || got.SuppressBelow != 5 {
		t.Fatalf("answer %+v", got)
	}
	q := got.Quarters[0]
	if q.State != "shown" || q.Practices == nil || *q.Practices != 7 || q.MeanMinutes == nil || len(q.BucketShares) != 5 {
		t.Errorf("quarter %+v", q)
	}
	states := map[string]int{}
	var shown int64
	for _, w := range got.Weeks {
		states[w.State]++
		if w.State != "shown" {
			if w.Consults != nil || w.Practices != nil || w.MeanMinutes != nil || len(w.BucketShares) != 0 {
				t.Errorf("hidden week %s carries figures: %+v", w.Week, w)
			}
			continue
		}
		shown += *w.Consults
	}
	if got.Weeks[4].State != "small" || states["small"] != 1 || states["complementary"] != 1 {
		t.Errorf("week states %v, week 5 %q: want week 5 small and one complementary", states, got.Weeks[4].State)
	}
	// The subtraction attack: the quarter minus the shown weeks is two
	// weeks together, not week 5.
	if *q.Consults-shown == week5 {
		t.Errorf("the quarter minus the shown weeks gives week 5 (%d consults)", week5)
	}
	body := rec.Body.String()
	for _, s := range append(names, f.p1.Name, f.p2.Name) {
		if strings.Contains(body, s) {
			t.Errorf("the answer names %q", s)
		}
	}
	// A practice's figures stay closed to the funder; a bad role is 400.
	if rec := f.get(funderA, "/api/v1/practices/{practice}/consult-weeks"); rec.Code != http.StatusNotFound {
		t.Errorf("funder on P1's weeks: %d", rec.Code)
	}
	for _, q := range []string{"?role=tandarts", "?week=1"} {
		if rec := f.get(funderA, "/api/v1/regions/{region}/consult-weeks"+q); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", q, rec.Code)
		}
	}
	if rec := f.get(funderA, "/api/v1/regions/{region}/consult-weeks?role=poh_ggz"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"weeks":[]`) {
		t.Errorf("POH-GGZ without data: %d %s", rec.Code, fmt.Sprint(rec.Body.String()))
	}
}
