package store_test

import (
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// hasAfterwards reports that the newest audit entry of a record carries
// the "recorded afterwards" line with date on.
func hasAfterwards(t *testing.T, db *store.DB, entity string, id int64, on mtvp.Date) bool {
	t.Helper()
	h, err := db.History(ctx, entity, id)
	must(t, err)
	if len(h) == 0 {
		t.Fatalf("%s %d: no history", entity, id)
	}
	for _, c := range h[0].Changes {
		if c.Field == "RecordedAfterwards" && c.New == on.String() {
			return true
		}
	}
	return false
}

// TestRecordPastIntervision: a region admin signs a GP up for a group of
// last year with the real date; attendance at that year's meetings after
// the date is accepted, before it refused; both are audited as recorded
// afterwards, and the intervision norm of that year is met.
func TestRecordPastIntervision(t *testing.T) {
	w := newIVWorld(t)
	last := today().Year() - 1
	g := mtvp.Group{RegionID: w.region.ID, Year: last, Name: "Vorig jaar", FacilitatorID: w.facilitator.ID, Place: "Gulpen", Weekday: 2, Capacity: 6}
	must(t, w.db.CreateGroup(ctx, admin, &g))
	on := mtvp.NewDate(last, time.March, 1)
	res, err := w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.gps1[0].ID, on)
	must(t, err)
	if res.Member.Status != mtvp.MemberActive || !res.Member.Joined.Equal(on) {
		t.Fatalf("member %+v", res.Member)
	}
	if !hasAfterwards(t, w.db, store.EntityMember, res.Member.ID, on) {
		t.Fatal("sign-up not audited as recorded afterwards")
	}
	// The year after the group's is still closed.
	_, err = w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.gps1[1].ID, mtvp.NewDate(last+1, time.January, 2))
	wantField(t, err, "group", "intervision.err.group_closed")

	before := mtvp.Meeting{GroupID: g.ID, Date: mtvp.NewDate(last, time.February, 10), Start: "19:00", End: "21:00", Place: "Gulpen"}
	after := mtvp.Meeting{GroupID: g.ID, Date: mtvp.NewDate(last, time.April, 14), Start: "19:00", End: "21:00", Place: "Gulpen"}
	must(t, w.db.CreateMeeting(ctx, admin, &before))
	must(t, w.db.CreateMeeting(ctx, admin, &after))
	err = w.db.SetAttendance(ctx, admin, before.ID, map[int64]mtvp.AttendanceStatus{res.Member.ID: mtvp.AttendPresent})
	wantCode(t, err, mtvp.EINVALID)
	must(t, w.db.SetAttendance(ctx, admin, after.ID, map[int64]mtvp.AttendanceStatus{res.Member.ID: mtvp.AttendPresent}))
	if !hasAfterwards(t, w.db, store.EntityMeeting, after.ID, after.Date) {
		t.Fatal("attendance of a past year not audited as recorded afterwards")
	}
	ref := mtvp.NewDate(last, time.December, 31)
	facts, err := w.db.PracticeComplianceFacts(ctx, w.p1.ID, last, ref)
	must(t, err)
	reg, err := w.db.RegionByID(ctx, w.region.ID)
	must(t, err)
	st := mtvp.EvaluateCompliance(facts, reg.Settings, last, ref)
	found := false
	for _, rq := range st.Requirements {
		found = found || rq.Code == mtvp.ReqIntervision
		if rq.Code == mtvp.ReqIntervision && rq.Actual != 1 {
			t.Fatalf("intervision %d of %d, want 1 (the recorded GP)", rq.Actual, rq.Denominator)
		}
	}
	if !found {
		t.Fatal("no intervision requirement evaluated")
	}
}

// TestRecordPastEnrolment: a sign-up dated before a session that has
// since taken place is accepted and reads back its date; without a date
// the started session is refused.
func TestRecordPastEnrolment(t *testing.T) {
	f := newTrainingFixture(t)
	da, _ := addStaff(t, f.db, f.p1.ID, "Dina Assistent", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	first := today().AddDays(-200)
	s := f.session(t, 10, first)
	e := mtvp.Enrolment{SessionID: s.ID, PersonID: da.ID, PracticeID: f.p1.ID}
	wantField(t, f.db.Enrol(ctx, admin, &e), "session", "training.err.session_started")
	on := first.AddDays(-14)
	e = mtvp.Enrolment{SessionID: s.ID, PersonID: da.ID, PracticeID: f.p1.ID, SignedUpOn: on}
	must(t, f.db.Enrol(ctx, admin, &e))
	if e.Status != mtvp.EnrolmentPlaced || !e.SignedUpOn.Equal(on) {
		t.Fatalf("enrolment %+v", e)
	}
	if !hasAfterwards(t, f.db, store.EntityEnrolment, e.ID, on) {
		t.Fatal("not audited as recorded afterwards")
	}
	// A date after the session began is refused too.
	late := mtvp.Enrolment{SessionID: s.ID, PersonID: da.ID, PracticeID: f.p2.ID, SignedUpOn: first.AddDays(1)}
	wantField(t, f.db.Enrol(ctx, admin, &late), "session", "training.err.session_started")
}

// TestRecordPastFinalisation: a plan of last year is finalised with its
// real date; a date outside the year, in the future or before the team
// discussion is refused and nothing changes.
func TestRecordPastFinalisation(t *testing.T) {
	db := newDB(t)
	last := today().Year() - 1
	r := addRegion(t, db, "hist")
	pr := addPractice(t, db, r.ID, agb(1), "Praktijk Historie")
	rp := mtvp.Regioplan{RegionID: r.ID, Year: last, Interventions: []mtvp.Intervention{{Code: "A.1", Title: "Triage", Element: mtvp.ElementA}}}
	must(t, db.SaveRegioplan(ctx, admin, &rp))
	bram, _ := addStaff(t, db, pr.ID, "Bram Hendriks", "", mtvp.RolePraktijkhouder, 1, "2020-01-01")
	c := mtvp.PlanContent{Ambition: "Meer tijd", Items: []mtvp.PlanItem{{InterventionID: rp.Interventions[0].ID, Goal: "Betere triage"}}}
	p, err := db.SavePlan(ctx, admin, pr.ID, last, 0, &c)
	must(t, err)
	p, err = db.PlanStep(ctx, admin, p.ID, p.Version, mtvp.StepShare)
	must(t, err)
	discussed := mtvp.NewDate(last, time.May, 20)
	p, err = db.RecordPlanAgreement(ctx, admin, p.ID, p.Version, discussed, []int64{bram.ID})
	must(t, err)
	for _, tc := range []struct {
		on  mtvp.Date
		key string
	}{
		{mtvp.NewDate(last-1, time.December, 1), "history.err.date_outside_year"},
		{today().AddDays(1), "history.err.date_future"},
		{discussed.AddDays(-1), "history.err.final_before_discussion"},
	} {
		_, err = db.PlanStepOn(ctx, admin, p.ID, p.Version, mtvp.StepFinalise, tc.on)
		wantField(t, err, "finalised_on", tc.key)
	}
	on := mtvp.NewDate(last, time.June, 3)
	p, err = db.PlanStepOn(ctx, admin, p.ID, p.Version, mtvp.StepFinalise, on)
	must(t, err)
	if l := p.Latest(); l.Status != mtvp.PlanFinal || !mtvp.DateOf(l.FinalisedAt).Equal(on) {
		t.Fatalf("final %+v", l)
	}
	if !hasAfterwards(t, db, store.EntityPlan, p.ID, on) {
		t.Fatal("not audited as recorded afterwards")
	}
	// The compliance of that year sees the plan final from that date.
	facts, err := db.PlanFinalFacts(ctx, r.ID, last, on.AddDays(-1))
	must(t, err)
	if facts[pr.ID].Number != 0 {
		t.Fatalf("final before its date: %+v", facts[pr.ID])
	}
	facts, err = db.PlanFinalFacts(ctx, r.ID, last, on)
	must(t, err)
	if facts[pr.ID].Number != 1 {
		t.Fatalf("not final on its date: %+v", facts[pr.ID])
	}
}
