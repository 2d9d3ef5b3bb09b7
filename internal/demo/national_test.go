package demo_test

import (
	"context"
	"meertijd/internal/clock"
	"testing"
	"time"

	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

// TestLoadNationalSmall loads a scaled-down national set and checks its
// counts and mix; a second load is refused.
func TestLoadNationalSmall(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	now := time.Date(2026, time.October, 15, 12, 0, 0, 0, time.UTC)
	opts := demo.NationalOptions{Regions: 2, Practices: 50, People: 800, LargestRegion: 30, Now: now}
	res, err := demo.LoadNational(ctx, db, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", res)
	if len(res.Regions) != 2 || res.Practices != 50 || res.PracticesPerRegion[0] != 30 {
		t.Fatalf("regions %v, practices %d %v", res.Regions, res.Practices, res.PracticesPerRegion)
	}
	if res.People < 780 || res.People > 820 || res.Memberships <= res.People {
		t.Fatalf("people %d, memberships %d", res.People, res.Memberships)
	}
	if res.Plans == 0 || res.Groups == 0 || res.Attended == 0 || res.Trainings != 10 || res.Completions == 0 || res.Enrolments == 0 {
		t.Fatalf("activity: %+v", res)
	}
	if res.PendingClaims == 0 || res.ApprovedClaims == 0 || res.RejectedClaims == 0 {
		t.Fatalf("claims: %+v", res)
	}
	if _, err := demo.LoadNational(ctx, db, opts); err == nil {
		t.Fatal("a second load was not refused")
	}

	// What was written reads back: practices, locums at two practices,
	// plans in every status with final ones holding every mandatory
	// intervention, intervision participants.
	year := now.Year()
	ref := mtvp.DateOf(now)
	total, locums := 0, 0
	for _, code := range res.Regions {
		reg, err := db.RegionByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			t.Fatal(err)
		}
		total += len(ps)
		staff, err := db.RegionStaff(ctx, reg.ID)
		if err != nil {
			t.Fatal(err)
		}
		at := map[int64]map[int64]bool{}
		for _, ms := range staff {
			for _, m := range ms {
				if at[m.PersonID] == nil {
					at[m.PersonID] = map[int64]bool{}
				}
				at[m.PersonID][m.PracticeID] = true
			}
		}
		for _, prs := range at {
			if len(prs) > 1 {
				locums++
			}
		}
		rules, err := db.PlanRules(ctx, reg.ID, year)
		if err != nil {
			t.Fatal(err)
		}
		facts, err := db.PlanFinalFacts(ctx, reg.ID, year, ref)
		if err != nil {
			t.Fatal(err)
		}
		final := 0
		for _, f := range facts {
			if ok, _ := f.FinalWithMandatory(rules.Regioplan); ok {
				final++
			}
		}
		iv, err := db.IntervisionFacts(ctx, reg.ID, year)
		if err != nil {
			t.Fatal(err)
		}
		claims, err := db.ListClaims(ctx, store.ClaimFilter{RegionID: reg.ID})
		if err != nil {
			t.Fatal(err)
		}
		if final == 0 || len(mtvp.IntervisionParticipants(iv, year, ref)) == 0 || len(claims) == 0 {
			t.Errorf("%s: %d final plans, %d intervision facts, %d claims", code, final, len(iv), len(claims))
		}
	}
	if total != 50 || locums == 0 {
		t.Fatalf("%d practices read back, %d locums at two practices", total, locums)
	}

	// The set is a mix: some practices meet every norm, others do not (a
	// set where none does measures nothing). It has no visits, so the
	// annual visit is "not recorded" everywhere rather than "not met".
	regions, err := db.NationalComplianceFacts(ctx, year, ref)
	if err != nil {
		t.Fatal(err)
	}
	met, n := 0, 0
	for _, r := range regions {
		for _, f := range r.Practices {
			st := mtvp.EvaluateCompliance(f, r.Region.Settings, year, ref)
			if st.Compliant {
				met++
			}
			for _, rq := range st.Requirements {
				if rq.Code == mtvp.ReqAnnualVisit && rq.Status != mtvp.StatusNotRecorded {
					t.Fatalf("%s: annual visit %s, want not recorded", f.Practice.Name, rq.Status)
				}
			}
			n++
		}
	}
	if n != 50 || met == 0 || met == n {
		t.Fatalf("%d of %d practices compliant, want a mix", met, n)
	}
}

// BenchmarkLoadNational: generating and writing the whole national set
// (40 regions, 5,000 practices, 80,000 people with their activity) into a
// fresh database.
//
//	go test -run '^$' -bench LoadNational -benchtime 1x ./internal/demo/
func BenchmarkLoadNational(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db := storetest.New(b)
		b.StartTimer()
		res, err := demo.LoadNational(ctx, db, demo.NationalOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Practices != 5000 {
			b.Fatalf("%d practices", res.Practices)
		}
		b.ReportMetric(float64(res.People), "people")
		b.ReportMetric(float64(res.Memberships), "memberships")
	}
}

// `serve --demo` on a national data folder adds the small demo beside the
// national regions (README, "Try it at national scale"): its plans,
// intervision, training, visits, activities and news go into its own
// regions only, and the national regions keep exactly what they had.
func TestDemoBesideNational(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	now := clock.Now() // as serve --demo does
	nat, err := demo.LoadNational(ctx, db, demo.NationalOptions{Regions: 2, Practices: 20, People: 300, LargestRegion: 12, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	before := storetest.TableDigests(t, db)
	nationalPlans := map[string]int{}
	for _, code := range nat.Regions {
		reg, err := db.RegionByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		over, err := db.PlanOverview(ctx, reg.ID, now.Year(), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range over {
			if s.PlanID != 0 {
				nationalPlans[code]++
			}
		}
	}
	res, err := demo.LoadAll(ctx, db, fakeHash, now)
	if err != nil {
		t.Fatalf("the demo beside the national data: %v", err)
	}
	if res.Plans == 0 || res.Groups == 0 || res.Trainings == 0 {
		t.Fatalf("the demo regions got no activity: %+v", res)
	}
	for _, code := range nat.Regions {
		reg, _ := db.RegionByCode(ctx, code)
		over, err := db.PlanOverview(ctx, reg.ID, now.Year(), 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range over {
			if s.PlanID != 0 {
				n++
			}
		}
		if n != nationalPlans[code] {
			t.Errorf("region %s: %d plans after the demo, %d before", code, n, nationalPlans[code])
		}
	}
	if len(storetest.ChangedTables(before, storetest.TableDigests(t, db))) == 0 {
		t.Fatal("the demo wrote nothing")
	}
}
