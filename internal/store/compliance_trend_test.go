package store_test

import (
	"reflect"
	"slices"
	"testing"

	"meertijd/internal/mtvp"
)

// TestComplianceFactsSeries: the facts of a series equal ComplianceFacts
// at each of its dates — the final plan in force and the waiting lists
// included, which are the date-dependent parts — and the trend counts the
// compliant practices at each date with EvaluateCompliance.
func TestComplianceFactsSeries(t *testing.T) {
	db := newDB(t)
	w := newComplianceWorld(t, db, "reeks", 3)
	p0, p1 := w.practices[0], w.practices[1]
	w.finalPlan(t, p0) // final today: not in force at the earlier dates
	// A second plan, never final: a fact with number 0 at every date.
	c := mtvp.PlanContent{Ambition: "Later"}
	_, err := db.SavePlan(ctx, admin, p1.ID, w.year, 0, &c)
	must(t, err)
	// A full group: one member, two on its waiting list (signed up today),
	// one of whom leaves today.
	small := mtvp.Group{RegionID: w.region.ID, Year: w.year, Name: "Klein", FacilitatorID: w.group.FacilitatorID, Place: "Gulpen", Weekday: 3, Times: "19:00", Capacity: 1}
	must(t, db.CreateGroup(ctx, admin, &small))
	for i, pe := range []mtvp.Person{w.staff[p0.ID][3], w.staff[p1.ID][3], w.staff[p1.ID][4]} {
		r, err := db.SignUp(ctx, admin, small.ID, map[int]int64{0: p0.ID, 1: p1.ID, 2: p1.ID}[i], pe.ID, mtvp.NewDate(w.year, 1, 5))
		must(t, err)
		if i == 2 {
			_, err := db.LeaveGroup(ctx, admin, r.Member.ID, today(), r.Member.Version)
			must(t, err)
		}
	}

	refs := []mtvp.Date{today().AddDays(-45), today().AddDays(-1), today(), today().AddDays(1)}
	series, err := db.ComplianceFactsSeries(ctx, w.region.ID, w.year, refs)
	must(t, err)
	if len(series) != len(refs) {
		t.Fatalf("%d dates, want %d", len(series), len(refs))
	}
	sawWaiting, sawPlan := false, false
	for i, ref := range refs {
		want, err := db.ComplianceFacts(ctx, w.region.ID, w.year, ref)
		must(t, err)
		got := series[i]
		for _, m := range []map[int64]mtvp.ComplianceFacts{want, got} {
			for id, f := range m {
				slices.Sort(f.IntervisionWaiting)
				m[id] = f
			}
		}
		if !reflect.DeepEqual(got, want) {
			for id := range want {
				if !reflect.DeepEqual(got[id], want[id]) {
					t.Errorf("%s practice %d:\n got plan %+v waiting %v\nwant plan %+v waiting %v", ref, id,
						got[id].Plan, got[id].IntervisionWaiting, want[id].Plan, want[id].IntervisionWaiting)
				}
			}
			t.Fatalf("%s: series facts differ from ComplianceFacts", ref)
		}
		sawWaiting = sawWaiting || len(got[p1.ID].IntervisionWaiting) > 0
		sawPlan = sawPlan || (got[p0.ID].Plan != nil && got[p0.ID].Plan.Number > 0)
	}
	if !sawWaiting || !sawPlan {
		t.Errorf("the world does not exercise the dated facts (waiting %v, plan %v)", sawWaiting, sawPlan)
	}
	if _, err := db.ComplianceFactsSeries(ctx, w.region.ID, w.year, []mtvp.Date{today(), today().AddDays(-1)}); mtvp.ErrorCode(err) != mtvp.EINVALID {
		t.Errorf("dates out of order: %v", err)
	}

	// The trend: at each date, practices counted and compliant as the
	// domain evaluates them one date at a time.
	points, err := db.ComplianceTrend(ctx, w.region.ID, w.year, today())
	must(t, err)
	dates := mtvp.TrendDates(w.year, today())
	if len(points) != len(dates) {
		t.Fatalf("%d trend points, want %d", len(points), len(dates))
	}
	for i, p := range points {
		facts, err := db.ComplianceFacts(ctx, w.region.ID, w.year, dates[i])
		must(t, err)
		want := mtvp.TrendPoint{Ref: dates[i]}
		for _, f := range facts {
			if mtvp.CountsInCompliance(f.Practice, w.year) {
				want.Counted++
				if mtvp.EvaluateCompliance(f, w.region.Settings, w.year, dates[i]).Compliant {
					want.Compliant++
				}
			}
		}
		if p != want {
			t.Errorf("trend at %s: %+v, want %+v", dates[i], p, want)
		}
	}
}

// TestComplianceTrendFresh: a write in the region is seen by the next
// trend (the cache follows the region's change counter).
func TestComplianceTrendFresh(t *testing.T) {
	db := newDB(t)
	w := newComplianceWorld(t, db, "vers", 2)
	before, err := db.ComplianceTrend(ctx, w.region.ID, w.year, today())
	must(t, err)
	if len(before) == 0 {
		t.Fatal("no trend point for today")
	}
	addPractice(t, db, w.region.ID, agb(90), "Nieuwe praktijk")
	after, err := db.ComplianceTrend(ctx, w.region.ID, w.year, today())
	must(t, err)
	if got, was := after[len(after)-1].Counted, before[len(before)-1].Counted; got != was+1 {
		t.Errorf("after adding a practice the trend counts %d, was %d", got, was)
	}
}
