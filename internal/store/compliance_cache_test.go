package store_test

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestRegionStandingsFresh: a write followed by a read always shows the new
// standing, for every kind of write that can change it. Each step first
// reads the standing (so it is cached), writes, reads again: the counter
// moved, the standing changed the way the write says, and it equals a
// standing evaluated without the cache.
func TestRegionStandingsFresh(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	w := newComplianceWorld(t, db, "vers", 2)
	p := w.practices[0]
	other := newComplianceWorld(t, db, "ander", 1) // another region's writes leave this one cached
	ref := today()

	consultant := addUser(t, db, "consulent-vers@example.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: w.region.ID})
	p.ConsultantID = consultant.ID
	must(t, db.UpdatePractice(ctx, admin, &p))
	// The region records visits this year: a missing visit is not met.
	reg, err := db.RegionByID(ctx, w.region.ID)
	must(t, err)
	reg.Settings.VisitsRecordedFrom = mtvp.NewDate(w.year, time.January, 1)
	must(t, db.UpdateRegion(ctx, admin, &reg))

	read := func() *store.RegionStandings {
		t.Helper()
		rs, err := db.RegionStandings(ctx, w.region.ID, w.year, ref)
		must(t, err)
		return rs
	}
	req := func(rs *store.RegionStandings, code mtvp.Requirement) mtvp.RequirementResult {
		t.Helper()
		ps, ok := rs.Practice(p.ID)
		if !ok {
			t.Fatalf("practice %d missing", p.ID)
		}
		return ps.Standing.Requirement(code)
	}
	// uncached evaluates the region without the cache.
	uncached := func() map[int64]mtvp.Standing {
		t.Helper()
		reg, err := db.RegionByID(ctx, w.region.ID)
		must(t, err)
		facts, err := db.ComplianceFacts(ctx, w.region.ID, w.year, ref)
		must(t, err)
		out := map[int64]mtvp.Standing{}
		for id, f := range facts {
			out[id] = mtvp.EvaluateCompliance(f, reg.Settings, w.year, ref)
		}
		return out
	}

	steps := []struct {
		name  string
		write func()
		// changed reports whether the standing moved the expected way.
		changed func(before, after *store.RegionStandings) bool
	}{
		{"membership", func() {
			staff, err := db.Staff(ctx, p.ID, false)
			must(t, err)
			for _, m := range staff {
				if m.PersonID == w.staff[p.ID][0].ID {
					must(t, db.EndMembership(ctx, admin, m.ID, ref.AddDays(-1), m.Version))
				}
			}
		}, func(b, a *store.RegionStandings) bool {
			return req(b, mtvp.ReqAssistantTraining).Denominator == 3 && req(a, mtvp.ReqAssistantTraining).Denominator == 2
		}},
		{"completion", func() { w.train(t, p, 0, w.staff[p.ID][1]) }, func(b, a *store.RegionStandings) bool {
			return req(a, mtvp.ReqAssistantTraining).Actual == req(b, mtvp.ReqAssistantTraining).Actual+1
		}},
		{"claim decision", func() {
			c := mtvp.Claim{PracticeID: p.ID, PersonID: w.staff[p.ID][2].ID, Title: "Cursus", Provider: "Elders",
				CompletedOn: mtvp.MustDate("2023-01-01"), Theme: mtvp.ThemeSOH}
			must(t, db.SubmitClaim(ctx, admin, &c, nil))
			if r := req(read(), mtvp.ReqAssistantTraining); r.Pending != 1 {
				t.Fatalf("claim submitted: %+v", r)
			}
			_, err := db.DecideClaim(ctx, admin, c.ID, c.Version, mtvp.ClaimApproved, "")
			must(t, err)
		}, func(b, a *store.RegionStandings) bool {
			return req(a, mtvp.ReqAssistantTraining).Actual == req(b, mtvp.ReqAssistantTraining).Actual+1 &&
				req(a, mtvp.ReqAssistantTraining).Pending == 0
		}},
		{"attendance", func() { w.intervision(t, p, w.staff[p.ID][3].ID, true) }, func(b, a *store.RegionStandings) bool {
			return req(b, mtvp.ReqIntervision).Actual == 0 && req(a, mtvp.ReqIntervision).Actual == 1
		}},
		{"activity attendance", func() {
			// The network meeting counts towards intervision; the second
			// GP attends one.
			w.setKind(t, "norm:"+string(mtvp.ReqIntervision))
			x := w.activity(t, p, w.staff[p.ID][4].ID)
			if r := req(read(), mtvp.ReqIntervision); r.Actual != 1 {
				t.Fatalf("signed up: %+v", r)
			}
			must(t, db.SetActivityAttendance(ctx, admin, x.ID, x.Version, true))
		}, func(b, a *store.RegionStandings) bool {
			return req(b, mtvp.ReqIntervision).Actual == 1 && req(a, mtvp.ReqIntervision).Actual == 2
		}},
		{"activity kind setting", func() { w.setKind(t, "") }, func(b, a *store.RegionStandings) bool {
			return req(b, mtvp.ReqIntervision).Actual == 2 && req(a, mtvp.ReqIntervision).Actual == 1
		}},
		{"plan status", func() { w.finalPlan(t, p) }, func(b, a *store.RegionStandings) bool {
			return req(b, mtvp.ReqFinalPlan).Status == mtvp.StatusNotMet && req(a, mtvp.ReqFinalPlan).Status == mtvp.StatusMet
		}},
		{"visit", func() {
			v := mtvp.Visit{PracticeID: p.ID, Year: w.year, PlannedOn: ref}
			must(t, db.CreateVisit(ctx, admin, &v))
			v.VisitedOn, v.Judgement = ref, "Goed op weg"
			must(t, db.RecordVisit(ctx, admin, &v))
		}, func(b, a *store.RegionStandings) bool {
			return req(b, mtvp.ReqAnnualVisit).Status != mtvp.StatusMet && req(a, mtvp.ReqAnnualVisit).Status == mtvp.StatusMet
		}},
		{"settings", func() {
			reg, err := db.RegionByID(ctx, w.region.ID)
			must(t, err)
			reg.Settings.AssistantTrainingThreshold = 1
			must(t, db.UpdateRegion(ctx, admin, &reg))
		}, func(b, a *store.RegionStandings) bool {
			return req(b, mtvp.ReqAssistantTraining).Required == 1 && req(a, mtvp.ReqAssistantTraining).Required == 2
		}},
		{"regioplan", func() {
			w.rp.Interventions = append(w.rp.Interventions, mtvp.Intervention{Code: "D.1", Title: "Het goede gesprek", Element: mtvp.ElementD, Mandatory: true})
			must(t, db.SaveRegioplan(ctx, admin, &w.rp))
		}, func(b, a *store.RegionStandings) bool {
			return req(b, mtvp.ReqFinalPlan).Status == mtvp.StatusMet && req(a, mtvp.ReqFinalPlan).Status == mtvp.StatusNotMet
		}},
	}
	for _, s := range steps {
		before := read()
		if again := read(); again != before {
			t.Fatalf("%s: a second read without a write evaluated again", s.name)
		}
		otherBefore, err := db.RegionStandings(ctx, other.region.ID, other.year, ref)
		must(t, err)
		s.write()
		after := read()
		if after.Counter <= before.Counter {
			t.Errorf("%s: counter %d → %d", s.name, before.Counter, after.Counter)
		}
		if !s.changed(before, after) {
			t.Errorf("%s: standing did not change as expected:\nbefore %+v\nafter  %+v", s.name,
				req(before, mtvp.ReqAssistantTraining), req(after, mtvp.ReqAssistantTraining))
		}
		want := uncached()
		for _, ps := range after.Practices {
			if !reflect.DeepEqual(ps.Standing, want[ps.Practice.ID]) {
				t.Errorf("%s: %s cached\n%+v\nuncached\n%+v", s.name, ps.Practice.Name, ps.Standing, want[ps.Practice.ID])
			}
		}
		if otherAfter, err := db.RegionStandings(ctx, other.region.ID, other.year, ref); err != nil || otherAfter != otherBefore {
			t.Errorf("%s: another region's standing was evaluated again (%v)", s.name, err)
		}
	}
}

// TestRegionStandingsCache: one evaluation for many concurrent readers,
// distinct entries per year and reference date, and the bound.
func TestRegionStandingsCache(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	w := newComplianceWorld(t, db, "lru", 3)
	ref := today()
	before := db.StandingsCacheStats()
	var wg sync.WaitGroup
	got := make([]*store.RegionStandings, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rs, err := db.RegionStandings(ctx, w.region.ID, w.year, ref)
			if err != nil {
				t.Error(err)
			}
			got[i] = rs
		}()
	}
	wg.Wait()
	for _, rs := range got[1:] {
		if rs != got[0] {
			t.Fatal("concurrent readers got different evaluations")
		}
	}
	st := db.StandingsCacheStats()
	if st.Misses-before.Misses != 1 || st.Hits-before.Hits != 15 {
		t.Fatalf("16 concurrent reads: %+v (before %+v)", st, before)
	}
	if len(got[0].Practices) != 3 || got[0].Practices[0].Practice.Name != "Praktijk 01" {
		t.Fatalf("practices %+v", got[0].Practices)
	}
	yesterday, err := db.RegionStandings(ctx, w.region.ID, w.year, ref.AddDays(-1))
	must(t, err)
	if yesterday == got[0] || yesterday.Ref != ref.AddDays(-1) {
		t.Fatal("another reference date shares the entry")
	}
	db.SetStandingsCacheEntries(1)
	if n := db.StandingsCacheStats().Entries; n != 1 {
		t.Fatalf("bound 1: %d entries", n)
	}
	again, err := db.RegionStandings(ctx, w.region.ID, w.year, ref)
	must(t, err)
	if again == got[0] {
		t.Fatal("evicted entry still served")
	}
	reg, counter, err := db.RegionByCodeWithChange(ctx, " LRU ")
	must(t, err)
	if c, _ := db.RegionChange(ctx, w.region.ID); reg.ID != w.region.ID || counter != c || c == 0 {
		t.Fatalf("RegionByCodeWithChange: %d %d, RegionChange %d", reg.ID, counter, c)
	}
	if _, _, err := db.RegionByCodeWithChange(ctx, "geen"); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Fatalf("unknown code: %v", err)
	}
	if _, err := db.RegionStandings(ctx, 999999, w.year, ref); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Fatalf("unknown region: %v", err)
	}
}

// TestRegionStandingsTwoServers: two app servers on one database, each
// with its own cache. A write through one is seen by the other's next read:
// the change counter lives in the database.
func TestRegionStandingsTwoServers(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	w := newComplianceWorld(t, a, "twee", 1)
	p := w.practices[0]
	ref := today()
	read := func(db *store.DB) mtvp.RequirementResult {
		t.Helper()
		rs, err := db.RegionStandings(ctx, w.region.ID, w.year, ref)
		must(t, err)
		ps, _ := rs.Practice(p.ID)
		return ps.Standing.Requirement(mtvp.ReqAssistantTraining)
	}
	if x, y := read(a), read(b); x.Actual != 0 || y.Actual != 0 {
		t.Fatalf("before: %d, %d", x.Actual, y.Actual)
	}
	// Server b records a completion; server a, with its cached standing,
	// sees it on the next read.
	wb := *w
	wb.db = b
	wb.train(t, p, 1)
	if x := read(a); x.Actual != 1 {
		t.Fatalf("server a after server b's write: %+v", x)
	}
}

// Sign-ins (and every other authentication event) are audited in the
// region but do not move its change counter: nothing cached from the
// region's data depends on them. A write to the region's data does.
func TestAuthEventsKeepRegionCounter(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "aanmeld")
	u := addUser(t, db, "m@aanmeld.nl", mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: r.ID})
	before, err := db.RegionChange(ctx, r.ID)
	must(t, err)
	must(t, db.RecordAuthEvent(ctx, store.AuthEvent{UserID: u.ID, Email: u.Email, Action: store.AuthLogin, IP: "192.0.2.1"}))
	if after, _ := db.RegionChange(ctx, r.ID); after != before {
		t.Errorf("a sign-in moved the region's counter from %d to %d", before, after)
	}
	if entries, err := db.AuthEvents(ctx, r.ID, 10); err != nil || len(entries) == 0 {
		t.Fatalf("the sign-in is not in the region's security log: %v %v", entries, err)
	}
	reg, err := db.RegionByID(ctx, r.ID)
	must(t, err)
	reg.Name = "Regio Aanmelden"
	must(t, db.UpdateRegion(ctx, admin, &reg))
	if after, _ := db.RegionChange(ctx, r.ID); after == before {
		t.Error("a change to the region did not move its counter")
	}
}
