package demo_test

import (
	"context"
	"math"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

// TestLoadAllOnce: `serve --demo` loads plans, intervision and training
// with the regions; a second run changes nothing.
func TestLoadAllOnce(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	now := clock.Now()
	res, err := demo.LoadAll(ctx, db, fakeHash, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Plans == 0 || res.Groups == 0 || res.Trainings != 10 {
		t.Fatalf("activity: %+v", res)
	}
	before, err := db.AuditCount(ctx)
	if err != nil {
		t.Fatal(err)
	}
	again, err := demo.LoadAll(ctx, db, fakeHash, now)
	if err != nil || !again.AlreadyLoaded {
		t.Fatalf("second run: %+v, %v", again, err)
	}
	if after, _ := db.AuditCount(ctx); after != before {
		t.Fatalf("second run wrote %d audit entries", after-before)
	}
	regions, err := db.ListRegions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	year := now.Year()
	for _, reg := range regions {
		over, err := db.PlanOverview(ctx, reg.ID, year, 0)
		if err != nil {
			t.Fatal(err)
		}
		statuses := map[mtvp.PlanStatus]int{}
		for _, s := range over {
			statuses[s.Status]++
		}
		groups, err := db.ListGroups(ctx, mtvp.GroupFilter{RegionID: reg.ID, Year: year})
		if err != nil {
			t.Fatal(err)
		}
		members, waiting, meetings := 0, 0, 0
		for _, g := range groups {
			members, waiting, meetings = members+g.Members, waiting+g.Waiting, meetings+g.Meetings
		}
		claims, err := db.ListClaims(ctx, store.ClaimFilter{RegionID: reg.ID})
		if err != nil {
			t.Fatal(err)
		}
		claimStatus := map[mtvp.ClaimStatus]int{}
		for _, c := range claims {
			claimStatus[c.Status]++
		}
		t.Logf("%s: plans %v; %d groups, %d members, %d waiting, %d meetings; claims %v", reg.Code, statuses, len(groups), members, waiting, meetings, claimStatus)
		for _, st := range mtvp.PlanStatuses {
			if statuses[st] == 0 {
				t.Errorf("%s: no plan with status %q", reg.Code, st)
			}
		}
		if len(groups) == 0 || members == 0 || waiting == 0 || meetings == 0 {
			t.Errorf("%s: intervision incomplete", reg.Code)
		}
		for _, st := range []mtvp.ClaimStatus{mtvp.ClaimPending, mtvp.ClaimApproved, mtvp.ClaimRejected} {
			if claimStatus[st] == 0 {
				t.Errorf("%s: no claim %q", reg.Code, st)
			}
		}
		acts, err := db.Activities(ctx, store.ActivityFilter{RegionID: reg.ID})
		if err != nil {
			t.Fatal(err)
		}
		kinds, signed, waitingActs := map[string]int{}, 0, 0
		for _, x := range acts {
			kinds[x.Kind]++
			signed += x.Placed + x.Waiting
			if x.Waiting > 0 {
				waitingActs++
			}
		}
		for _, k := range mtvp.BuiltinActivityKinds {
			if kinds[k] == 0 {
				t.Errorf("%s: no activity of kind %q", reg.Code, k)
			}
		}
		if signed == 0 || waitingActs == 0 {
			t.Errorf("%s: activities without sign-ups (%d) or waiting list (%d)", reg.Code, signed, waitingActs)
		}
		facts, err := db.IntervisionFacts(ctx, reg.ID, year)
		if err != nil {
			t.Fatal(err)
		}
		if mtvp.DateOf(now).After(mtvp.NewDate(year, time.March, 1)) && len(mtvp.IntervisionParticipants(facts, year, mtvp.DateOf(now))) == 0 {
			t.Errorf("%s: nobody attended an intervision meeting", reg.Code)
		}
	}
}

// TestLoadAllImportsPrimaCuraHistory: PrimaCura's last year comes in
// through the history import from generated XLSX lists — intervision
// groups with attendance, completions and annual visits — recorded
// afterwards with the files' names, and counted by the norms.
func TestLoadAllImportsPrimaCuraHistory(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	now := clock.Now()
	res, err := demo.LoadAll(ctx, db, fakeHash, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.HistoryRows < 100 {
		t.Fatalf("history rows imported: %d", res.HistoryRows)
	}
	reg, err := db.RegionByCode(ctx, "primacura")
	if err != nil {
		t.Fatal(err)
	}
	year := mtvp.DateOf(now).Year() - 1
	groups, err := db.ListGroups(ctx, mtvp.GroupFilter{RegionID: reg.ID, Year: year})
	if err != nil || len(groups) == 0 {
		t.Fatalf("groups of %d: %d %v", year, len(groups), err)
	}
	// The list gives the GAIA dates: last year's meetings are not left for
	// the facilitators to finish.
	for _, g := range groups {
		ms, err := db.Meetings(ctx, g.Group.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.GAIASubmitted.IsZero() || m.GAIASubmitted.Before(m.Date) {
				t.Errorf("%s %s: submitted to GAIA on %v", g.Group.Name, m.Date, m.GAIASubmitted)
			}
		}
	}
	visits, err := db.ListVisits(ctx, store.VisitFilter{RegionID: reg.ID, Year: year, OnlyRecorded: true})
	if err != nil || len(visits) == 0 {
		t.Fatalf("visits of %d: %d %v", year, len(visits), err)
	}
	ref := mtvp.YearEnd(year)
	facts, err := db.ComplianceFacts(ctx, reg.ID, year, ref)
	if err != nil {
		t.Fatal(err)
	}
	met := map[mtvp.Requirement]int{}
	for _, f := range facts {
		for _, r := range mtvp.EvaluateCompliance(f, reg.Settings, year, ref).Requirements {
			if r.Status == mtvp.StatusMet {
				met[r.Code]++
			}
		}
	}
	if met[mtvp.ReqIntervision] == 0 || met[mtvp.ReqAssistantTraining] == 0 || met[mtvp.ReqAnnualVisit] == 0 {
		t.Errorf("norms met in %d: %v", year, met)
	}
	hist, err := db.RegionHistory(ctx, reg.ID, 100000)
	if err != nil {
		t.Fatal(err)
	}
	runs := 0
	for _, e := range hist {
		if e.Entity == store.EntityImport {
			runs++
		}
	}
	// Intervision, trainings, visits and the quarterly indicators.
	if runs != 4 {
		t.Errorf("%d import runs in PrimaCura's history, want 4", runs)
	}
	ind, err := db.IndicatorValues(ctx, store.IndicatorFilter{RegionID: reg.ID, Levels: []mtvp.IndicatorLevel{mtvp.LevelRegion}})
	if err != nil || len(ind) < 4*4*3 {
		t.Errorf("region indicators: %d %v; want four indicators over at least three years", len(ind), err)
	}
}

// TestLoadAllPulse: ZIO's last two quarters hold a closed pulse with
// figures for most practices and "too few answers" for some.
func TestLoadAllPulse(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	now := clock.Now()
	if _, err := demo.LoadAll(ctx, db, fakeHash, now); err != nil {
		t.Fatal(err)
	}
	reg, err := db.RegionByCode(ctx, "zio")
	if err != nil {
		t.Fatal(err)
	}
	rounds, err := db.PulseRounds(ctx, reg.ID)
	if err != nil || len(rounds) != 2 {
		t.Fatalf("rounds %+v %v", rounds, err)
	}
	tallies, err := db.PulseTallies(ctx, reg.ID)
	if err != nil {
		t.Fatal(err)
	}
	shown, few := 0, 0
	for _, tl := range tallies {
		if mtvp.PracticePulseFigure(tl, true).Shown() {
			shown++
		} else {
			few++
		}
	}
	for _, r := range rounds {
		if !r.ClosedOn(mtvp.DateOf(now)) {
			t.Errorf("round %v is open", r.Quarter)
		}
		var of []mtvp.PulseTally
		for _, tl := range tallies {
			if tl.RoundID == r.ID {
				of = append(of, tl)
			}
		}
		if f := mtvp.RegionPulseFigure(of, true, nil); !f.Shown() {
			t.Errorf("%v: no region figure for a funder (%s)", r.Quarter, f.Hidden)
		}
	}
	if shown < 10 || few == 0 {
		t.Errorf("practice figures: %d shown, %d with too few answers", shown, few)
	}
}

// TestLoadAllAgenda: ZIO and PrimaCura have agenda weeks enough for a
// funder's region figures: most weeks shown, the early weeks of three
// practices hidden as small.
func TestLoadAllAgenda(t *testing.T) {
	ctx := context.Background()
	db := storetest.New(t)
	if _, err := demo.LoadAll(ctx, db, fakeHash, clock.Now()); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"zio", "primacura"} {
		reg, err := db.RegionByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		figs, err := db.RegionConsultFigures(ctx, reg.ID, mtvp.ConsultHuisarts)
		if err != nil {
			t.Fatal(err)
		}
		rc := mtvp.BuildRegionConsult(figs, mtvp.ConsultHuisarts)
		shown, small := 0, 0
		for _, w := range rc.Weeks {
			switch w.State {
			case mtvp.Shown:
				shown++
			case mtvp.Small:
				small++
			}
		}
		if len(rc.Weeks) != 30 || shown < 20 || small != 4 {
			t.Errorf("%s: %d weeks, %d shown, %d small; want 30, at least 20, 4", code, len(rc.Weeks), shown, small)
		}
		for _, q := range rc.Quarters {
			if !q.Hidden() && (q.Practices < mtvp.SuppressBelow || math.IsNaN(q.PerGPFTE)) {
				t.Errorf("%s %v: %+v", code, q.Quarter, q)
			}
		}
	}
}
