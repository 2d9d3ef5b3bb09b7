package store_test

import (
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func TestParticipantsStopDates(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "fund")
	a := addPractice(t, db, r.ID, agb(1), "Actief")
	b := addPractice(t, db, r.ID, agb(2), "Stopt")
	b.Status = mtvp.PracticeStopped
	must(t, db.UpdatePractice(ctx, admin, &b))
	c := mtvp.Practice{RegionID: r.ID, AGB: agb(3), Name: "Aangemeld", Status: mtvp.PracticeInterested}
	must(t, db.CreatePractice(ctx, admin, &c))
	other := addRegion(t, db, "ander")
	addPractice(t, db, other.ID, agb(4), "Elders")

	ps, err := db.Participants(ctx, r.ID)
	must(t, err)
	if len(ps) != 3 {
		t.Fatalf("participants of another region or missing: %+v", ps)
	}
	day := today()
	for _, p := range ps {
		switch p.ID {
		case a.ID, c.ID:
			if !p.StoppedOn.IsZero() {
				t.Errorf("%s has a stop date %s", p.Name, p.StoppedOn)
			}
		case b.ID:
			if !p.StoppedOn.Equal(day) {
				t.Errorf("stopped on %s, want %s (the audit entry)", p.StoppedOn, day)
			}
			if p.TakesPartOn(day) || !p.TakesPartIn(mtvp.QuarterOf(day)) {
				t.Errorf("a practice that stopped today took part this quarter, not today")
			}
		}
	}
	list := mtvp.ParticipationList(ps, mtvp.QuarterOf(day))
	if len(list) != 2 || list[0].Name != "Actief" || list[1].Name != "Stopt" {
		t.Errorf("quarterly list: %+v", list)
	}
}

func TestParticipationTotalsAndList(t *testing.T) {
	w := newIVWorld(t)
	g := w.group(t, "Heuvelland", 5)
	r1, err := w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.gps1[0].ID, d("2026-01-05"))
	must(t, err)
	_, err = w.db.SignUp(ctx, admin, g.ID, w.p2.ID, w.gps2[0].ID, d("2026-01-05"))
	must(t, err)
	m := mtvp.Meeting{GroupID: g.ID, Date: d("2026-03-10"), Start: "19:00", End: "21:30"}
	must(t, w.db.CreateMeeting(ctx, admin, &m))
	must(t, w.db.SetAttendance(ctx, admin, m.ID, map[int64]mtvp.AttendanceStatus{r1.Member.ID: mtvp.AttendPresent}))

	tot, err := w.db.ParticipationTotals(ctx, w.region.ID, 2026)
	must(t, err)
	if tot.IntervisionGroups != 1 || tot.IntervisionMembers != 2 || tot.IntervisionAttended != 1 || tot.TrainingPeople != 0 {
		t.Errorf("totals %+v", tot)
	}
	list, err := w.db.IntervisionParticipation(ctx, w.region.ID, 2026)
	must(t, err)
	if len(list) != 2 || list[0].Group != "Heuvelland" || list[0].PracticeName != "Praktijk Een" || list[0].Attended != 1 ||
		list[1].PracticeName != "Praktijk Twee" || list[1].Attended != 0 || list[0].PersonName == "" {
		t.Errorf("list %+v", list)
	}
	if other, err := w.db.ParticipationTotals(ctx, w.region.ID, 2025); err != nil || other.IntervisionGroups != 0 {
		t.Errorf("2025: %+v %v", other, err)
	}
}

func TestObstacleFactsAndPlanStatuses(t *testing.T) {
	f := newVisitFixture(t)
	db := f.db
	carla := mtvp.Actor{UserID: f.consultant.ID, Name: f.consultant.Name}
	v := mtvp.Visit{PracticeID: f.p1.ID, Year: f.year, PlannedOn: today()}
	must(t, db.CreateVisit(ctx, carla, &v))
	facts, err := db.ObstacleFacts(ctx, f.region.ID, f.year)
	must(t, err)
	if len(facts) != 0 {
		t.Fatalf("a planned visit has obstacles: %+v", facts)
	}
	items := f.items()
	v.VisitedOn = today()
	v.Judgement = "Goed op weg"
	v.Findings = []mtvp.VisitFinding{{InterventionID: items[0].InterventionID, Obstacles: "Tijdgebrek"}, {InterventionID: items[1].InterventionID, GoesWell: "Prima"}}
	must(t, db.RecordVisit(ctx, carla, &v))
	facts, err = db.ObstacleFacts(ctx, f.region.ID, f.year)
	must(t, err)
	if len(facts) != 1 || facts[0].Text != "Tijdgebrek" || facts[0].PracticeID != f.p1.ID || facts[0].Code == "" {
		t.Errorf("obstacles %+v", facts)
	}
	st, err := db.PlanStatuses(ctx, f.region.ID, f.year)
	must(t, err)
	if len(st) != 1 || st[f.p1.ID] != mtvp.PlanConcept {
		t.Errorf("plan statuses %+v", st)
	}
}

func TestSnapshotFacts(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "snap")
	other := addRegion(t, db, "ander")
	var ps []mtvp.Practice
	standings := map[int64]mtvp.Standing{}
	for i := 0; i < 7; i++ {
		p := addPractice(t, db, r.ID, agb(10+i), "Praktijk")
		ps = append(ps, p)
		standings[p.ID] = standingFor(p, i < 5)
	}
	snap := mtvp.NewComplianceSnapshot(r.ID, 2026, mtvp.MustDate("2026-11-30"), "Jaargesprek", r.Settings, ps, standings)
	must(t, db.CreateComplianceSnapshot(ctx, admin, &snap))
	po := addPractice(t, db, other.ID, agb(40), "Elders")
	os := mtvp.NewComplianceSnapshot(other.ID, 2026, mtvp.MustDate("2026-11-30"), "", other.Settings, []mtvp.Practice{po}, map[int64]mtvp.Standing{po.ID: standingFor(po, true)})
	must(t, db.CreateComplianceSnapshot(ctx, admin, &os))

	facts, err := db.SnapshotFacts(ctx, r.ID)
	must(t, err)
	if len(facts) != 1 {
		t.Fatalf("snapshots of another region: %+v", facts)
	}
	f := facts[0]
	if f.Title != "Jaargesprek" || f.Practices != 7 || f.Compliant != 5 || f.Met[mtvp.ReqIntervision] != 7 || f.Applicable[mtvp.ReqAssistantTraining] != 2 ||
		f.Met[mtvp.ReqAssistantTraining] != 0 {
		t.Errorf("facts %+v", f)
	}
	if _, ok := f.Applicable[mtvp.ReqGPTraining]; !ok {
		t.Errorf("a requirement applying to no practice is not listed")
	}
}

// TestFunderInputQueryCount: the figures of a region take the same number
// of queries for 3 practices as for 30. Not parallel: it switches query
// counting on while opening its database.
func TestFunderInputQueryCount(t *testing.T) {
	off := store.CountQueries()
	db := newDB(t)
	off()
	if db.Queries() < 0 {
		t.Fatal("query counting is off")
	}
	small := newComplianceWorld(t, db, "klein", 3)
	big := newComplianceWorld(t, db, "groot", 30)
	for _, w := range []*complianceWorld{small, big} {
		for i, p := range w.practices {
			w.train(t, p, 1+i%3)
			if i%3 == 0 {
				w.finalPlan(t, p)
			}
		}
	}
	count := func(w *complianceWorld) (int64, mtvp.FunderInput) {
		t.Helper()
		before := db.Queries()
		in, err := db.FunderInput(ctx, w.region, w.year, today())
		must(t, err)
		return db.Queries() - before, in
	}
	qSmall, inSmall := count(small)
	qBig, inBig := count(big)
	if len(inSmall.Participants) != 3 || len(inBig.Participants) != 30 || len(inBig.Compliance) != 30 {
		t.Fatalf("participants %d, %d", len(inSmall.Participants), len(inBig.Participants))
	}
	if qSmall != qBig || qBig > 30 {
		t.Errorf("queries: %d for 3 practices, %d for 30", qSmall, qBig)
	}
	t.Logf("FunderInput: %d queries", qBig)
}
