package store_test

import (
	"testing"

	"meertijd/internal/mtvp"
)

// activity creates a network meeting today and places person of practice
// p on it; the sign-up is returned for recording attendance.
func (w *complianceWorld) activity(t *testing.T, p mtvp.Practice, person int64) mtvp.ActivitySignUp {
	t.Helper()
	act := mtvp.Activity{RegionID: w.region.ID, Kind: mtvp.KindNetwork, Title: "Netwerkavond " + p.Name, Date: today(),
		StartTime: "19:00", EndTime: "21:00", Place: "Maastricht", Capacity: 20}
	must(t, w.db.CreateActivity(ctx, admin, &act))
	x := mtvp.ActivitySignUp{ActivityID: act.ID, PersonID: person, PracticeID: p.ID}
	must(t, w.db.SignUpForActivity(ctx, admin, &x))
	return x
}

// setKind stores what the network meeting counts towards (a form value of
// mtvp.ActivityKind.Setting).
func (w *complianceWorld) setKind(t *testing.T, setting string) {
	t.Helper()
	kinds, err := w.db.ActivityKinds(ctx, w.region.ID)
	must(t, err)
	for _, k := range kinds {
		if k.Code == mtvp.KindNetwork {
			k.Counts, k.Norm = mtvp.ParseActivitySetting(setting)
			must(t, w.db.SaveActivityKind(ctx, admin, &k))
			return
		}
	}
	t.Fatal("no network kind")
}

// TestActivityAttendanceCountsTowardsNorm: attendance at an activity whose
// kind counts towards the assistant norm changes a practice's standing
// (on SQLite and PostgreSQL), through the cached region standings too;
// a default kind, or absence, changes nothing.
func TestActivityAttendanceCountsTowardsNorm(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	w := newComplianceWorld(t, db, "telt", 2)
	p := w.practices[0]
	w.train(t, p, 1) // 1 of 3 assistants: not met (2 needed)
	ref := today()
	standing := func() mtvp.RequirementResult {
		t.Helper()
		rs, err := db.RegionStandings(ctx, w.region.ID, w.year, ref)
		must(t, err)
		ps, ok := rs.Practice(p.ID)
		if !ok {
			t.Fatal("practice missing")
		}
		return ps.Standing.Requirement(mtvp.ReqAssistantTraining)
	}
	if r := standing(); r.Status != mtvp.StatusNotMet || r.Actual != 1 {
		t.Fatalf("start %+v", r)
	}
	bep, cor := w.staff[p.ID][1], w.staff[p.ID][2]
	x := w.activity(t, p, bep.ID)
	absent := w.activity(t, p, cor.ID)
	must(t, db.SetActivityAttendance(ctx, admin, x.ID, x.Version, true))
	must(t, db.SetActivityAttendance(ctx, admin, absent.ID, absent.Version, false))
	// The network meeting counts for nothing yet (the default).
	if r := standing(); r.Actual != 1 {
		t.Fatalf("default kind counted: %+v", r)
	}
	w.setKind(t, "norm:"+string(mtvp.ReqGPTraining))
	if r := standing(); r.Actual != 1 {
		t.Fatalf("a kind for another norm counted: %+v", r)
	}
	w.setKind(t, "norm:"+string(mtvp.ReqAssistantTraining))
	r := standing()
	if r.Status != mtvp.StatusMet || r.Actual != 2 {
		t.Fatalf("attended activity did not count: %+v", r)
	}
	for _, pp := range r.People {
		switch pp.PersonID {
		case bep.ID:
			if !pp.Met || pp.ViaActivity != x.ActivityID || pp.ViaDate != ref {
				t.Errorf("Bep %+v", pp)
			}
		case cor.ID:
			if pp.Met {
				t.Errorf("absent Cor counted: %+v", pp)
			}
		}
	}
	// The practice facts read directly agree.
	f, err := db.PracticeComplianceFacts(ctx, p.ID, w.year, ref)
	must(t, err)
	if len(f.Activities) != 1 || f.Activities[0].PersonID != bep.ID || f.Activities[0].Norm != mtvp.ReqAssistantTraining {
		t.Fatalf("facts %+v", f.Activities)
	}
	// The training pages' facts agree (the same norm evaluator).
	tf, err := db.TrainingFacts(ctx, w.region.ID, p.ID)
	must(t, err)
	reg, err := db.RegionByID(ctx, w.region.ID)
	must(t, err)
	if n := mtvp.TrainingNorm(mtvp.EvaluateTrainingNorms(tf[p.ID], reg.Settings, ref), mtvp.ReqAssistantTraining); n.Actual != 2 {
		t.Errorf("training facts: %d met", n.Actual)
	}
	// Both network meetings were held today (the regioplan page's count).
	held, err := db.ActivitiesHeld(ctx, w.region.ID, w.year, ref)
	must(t, err)
	if held[mtvp.KindNetwork] != 2 {
		t.Errorf("held %v", held)
	}
	if held, err = db.ActivitiesHeld(ctx, w.region.ID, w.year, ref.AddDays(-1)); err != nil || held[mtvp.KindNetwork] != 0 {
		t.Errorf("held before today %v %v", held, err)
	}
	// Back to the default: the standing is as before.
	w.setKind(t, "")
	if r := standing(); r.Actual != 1 {
		t.Fatalf("after reset %+v", r)
	}
}
