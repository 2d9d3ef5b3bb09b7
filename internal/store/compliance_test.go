package store_test

import (
	"fmt"
	"reflect"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// complianceWorld is a region with n practices of 3 assistants and 2 GPs,
// a training, an intervision group for this year with a meeting, and a
// regioplan with a mandatory intervention.
type complianceWorld struct {
	db        *store.DB
	region    mtvp.Region
	practices []mtvp.Practice
	staff     map[int64][]mtvp.Person // practice → assistants 0–2, GPs 3–4
	session   mtvp.TrainingSession
	group     mtvp.Group
	meeting   mtvp.Meeting
	rp        mtvp.Regioplan
	year      int
}

func newComplianceWorld(t *testing.T, db *store.DB, code string, n int) *complianceWorld {
	t.Helper()
	w := &complianceWorld{db: db, region: addRegion(t, db, code), staff: map[int64][]mtvp.Person{}, year: today().Year()}
	tr := mtvp.Training{RegionID: w.region.ID, Title: "Positieve gezondheid", Target: mtvp.TargetBoth,
		Themes: []string{mtvp.ThemeTriage}, Provider: "NHG", Register: mtvp.RegisterKABIZ, Points: 4, Active: true}
	must(t, db.CreateTraining(ctx, admin, &tr))
	first := today().AddDays(-20)
	w.session = mtvp.TrainingSession{TrainingID: tr.ID, Dates: []mtvp.Date{first}, StartTime: "09:00", EndTime: "12:30", Place: "Maastricht", Capacity: 30}
	must(t, db.CreateSession(ctx, admin, &w.session))
	fac := addUser(t, db, "ekc-"+code+"@example.nl", mtvp.Grant{Role: mtvp.AccountFacilitator, RegionID: w.region.ID})
	w.group = mtvp.Group{RegionID: w.region.ID, Year: w.year, Name: "Heuvelland", FacilitatorID: fac.ID, Place: "Gulpen", Weekday: 2, Times: "19:00–21:30", Capacity: 30}
	must(t, db.CreateGroup(ctx, admin, &w.group))
	w.rp = mtvp.Regioplan{RegionID: w.region.ID, Year: w.year, Interventions: []mtvp.Intervention{
		{Code: "A.1", Title: "Triagetraining", Element: mtvp.ElementA, Mandatory: true},
		{Code: "B.2", Title: "Wijkteam", Element: mtvp.ElementB},
	}}
	must(t, db.SaveRegioplan(ctx, admin, &w.rp))
	for i := 0; i < n; i++ {
		p := addPractice(t, db, w.region.ID, agb(i+1), fmt.Sprintf("Praktijk %02d", i+1))
		w.practices = append(w.practices, p)
		for j, role := range []mtvp.StaffRole{mtvp.RoleDoktersassistent, mtvp.RoleDoktersassistent, mtvp.RoleDoktersassistent, mtvp.RolePraktijkhouder, mtvp.RoleVasteWaarnemer} {
			big := ""
			if j >= 3 { // GPs have a BIG number, unique in the test
				big = fmt.Sprintf("%011d", len(code)*1000000+i*10+j)
			}
			pe, _ := addStaff(t, db, p.ID, fmt.Sprintf("%s %d-%d", role, i, j), big, role, 0.8, "2020-01-01")
			w.staff[p.ID] = append(w.staff[p.ID], pe)
		}
	}
	// The year's dates are its first and last day, so the world holds on any
	// day of the year (the reference date is today).
	w.meeting = mtvp.Meeting{GroupID: w.group.ID, Date: mtvp.NewDate(w.year, 1, 1), Start: "19:00", End: "21:30"}
	must(t, db.CreateMeeting(ctx, admin, &w.meeting))
	// It meets once more on the last day: a member who has not attended yet
	// still can.
	last := mtvp.Meeting{GroupID: w.group.ID, Date: mtvp.NewDate(w.year, 12, 31), Start: "19:00", End: "21:30"}
	must(t, db.CreateMeeting(ctx, admin, &last))
	return w
}

// train completes the training (on both menus) for the first k assistants
// of practice p and the given others.
func (w *complianceWorld) train(t *testing.T, p mtvp.Practice, k int, others ...mtvp.Person) {
	t.Helper()
	var cs []mtvp.Completion
	for _, pe := range append(w.staff[p.ID][:k:k], others...) {
		cs = append(cs, mtvp.Completion{PersonID: pe.ID, CompletedOn: w.session.Dates[0]})
	}
	must(t, w.db.RecordCompletions(ctx, admin, w.session.ID, cs))
}

// intervision signs person up on 1 January and, when attend, marks them
// present at that day's meeting.
func (w *complianceWorld) intervision(t *testing.T, p mtvp.Practice, person int64, attend bool) {
	t.Helper()
	r, err := w.db.SignUp(ctx, admin, w.group.ID, p.ID, person, mtvp.NewDate(w.year, 1, 1))
	must(t, err)
	if attend {
		must(t, w.db.SetAttendance(ctx, admin, w.meeting.ID, map[int64]mtvp.AttendanceStatus{r.Member.ID: mtvp.AttendPresent}))
	}
}

// finalPlan writes, discusses and finalises practice p's plan.
func (w *complianceWorld) finalPlan(t *testing.T, p mtvp.Practice) {
	t.Helper()
	c := mtvp.PlanContent{Ambition: "Meer tijd", Items: []mtvp.PlanItem{{InterventionID: w.rp.Interventions[1].ID, Goal: "Korte lijnen"}}}
	pl, err := w.db.SavePlan(ctx, admin, p.ID, w.year, 0, &c)
	must(t, err)
	pl, err = w.db.PlanStep(ctx, admin, pl.ID, pl.Version, mtvp.StepShare)
	must(t, err)
	pl, err = w.db.RecordPlanAgreement(ctx, admin, pl.ID, pl.Version, today(), []int64{w.staff[p.ID][3].ID})
	must(t, err)
	_, err = w.db.PlanStep(ctx, admin, pl.ID, pl.Version, mtvp.StepFinalise)
	must(t, err)
}

func TestComplianceFactsRegion(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	w := newComplianceWorld(t, db, "cmp", 3)
	p1, p2, p3 := w.practices[0], w.practices[1], w.practices[2]
	s := w.region.Settings
	ref := today()

	// Practice 1: everything in order.
	w.train(t, p1, 2, w.staff[p1.ID][4])
	w.intervision(t, p1, w.staff[p1.ID][3].ID, true)
	w.finalPlan(t, p1)
	// Practice 2: 1 of 3 trained and a pending claim; a GP signed up who has
	// not attended; a locum GP of practice 1 also works here.
	w.train(t, p2, 1)
	claim := mtvp.Claim{PracticeID: p2.ID, PersonID: w.staff[p2.ID][1].ID, Title: "Cursus", Provider: "Elders", CompletedOn: mtvp.MustDate("2023-01-01"), Theme: mtvp.ThemeSOH}
	must(t, db.SubmitClaim(ctx, admin, &claim, nil))
	w.intervision(t, p2, w.staff[p2.ID][3].ID, false)
	locum := w.staff[p1.ID][3]
	must(t, db.CreateMembership(ctx, admin, &mtvp.Membership{PersonID: locum.ID, PracticeID: p2.ID, Role: mtvp.RoleVasteWaarnemer, FTE: 0.2, From: mtvp.MustDate("2024-01-01")}))
	// Practice 3: an assistant who left before the reference date.
	staff3, err := db.Staff(ctx, p3.ID, false)
	must(t, err)
	for _, m := range staff3 {
		if m.PersonID == w.staff[p3.ID][0].ID {
			must(t, db.EndMembership(ctx, admin, m.ID, ref.AddDays(-1), m.Version))
		}
	}

	// And a full group: one GP holds its only place, the other waits.
	small := mtvp.Group{RegionID: w.region.ID, Year: w.year, Name: "Klein", FacilitatorID: w.group.FacilitatorID, Place: "Vaals", Weekday: 3, Capacity: 1}
	must(t, db.CreateGroup(ctx, admin, &small))
	for _, gp := range w.staff[p3.ID][3:] {
		_, err := db.SignUp(ctx, admin, small.ID, p3.ID, gp.ID, mtvp.NewDate(w.year, 1, 1))
		must(t, err)
	}

	facts, err := db.ComplianceFacts(ctx, w.region.ID, w.year, ref)
	must(t, err)
	if len(facts) != 3 {
		t.Fatalf("%d practices", len(facts))
	}
	if ids := store.SortedPracticeIDs(facts); !reflect.DeepEqual(ids, []int64{p1.ID, p2.ID, p3.ID}) {
		t.Fatalf("order %v", ids)
	}
	type row struct {
		code    mtvp.Requirement
		status  mtvp.ComplianceStatus
		explain string
	}
	check := func(p mtvp.Practice, compliant bool, want ...row) {
		t.Helper()
		st := mtvp.EvaluateCompliance(facts[p.ID], s, w.year, ref)
		if st.Compliant != compliant {
			t.Errorf("%s compliant = %v", p.Name, st.Compliant)
		}
		for _, x := range want {
			r := st.Requirement(x.code)
			if r.Status != x.status || r.Explanation != x.explain {
				t.Errorf("%s %s: %s %q, want %s %q", p.Name, x.code, r.Status, r.Explanation, x.status, x.explain)
			}
		}
		// One practice loaded alone gives the same standing.
		one, err := db.PracticeComplianceFacts(ctx, p.ID, w.year, ref)
		must(t, err)
		if alone := mtvp.EvaluateCompliance(one, s, w.year, ref); !reflect.DeepEqual(alone, st) {
			t.Errorf("%s alone:\n%+v\nregion:\n%+v", p.Name, alone, st)
		}
	}
	check(p1, true,
		row{mtvp.ReqAssistantTraining, mtvp.StatusMet, "Voldaan: 2 van 3 assistenten geschoold, 2 nodig"},
		row{mtvp.ReqIntervision, mtvp.StatusMet, "Voldaan: 1 van 2 huisartsen namen deel aan intervisie, 1 nodig"},
		row{mtvp.ReqGPTraining, mtvp.StatusMet, "Voldaan: 1 van 2 huisartsen geschoold in het goede gesprek, 1 nodig"},
		row{mtvp.ReqFinalPlan, mtvp.StatusMet, fmt.Sprintf("Voldaan: het plan van aanpak %d is definitief (versie 1) met alle verplichte interventies", w.year)},
		row{mtvp.ReqAnnualVisit, mtvp.StatusNotRecorded, "Het jaarbezoek wordt nog niet geregistreerd in meertijd"},
	)
	check(p2, false,
		row{mtvp.ReqAssistantTraining, mtvp.StatusNotMet, "Nog 1 assistent scholen: 1 van 3 geschoold, 2 nodig"},
		// The locum took part (at practice 1's sign-up) and counts here too: 1 of 3.
		row{mtvp.ReqIntervision, mtvp.StatusNotMet, "Nog 1 huisarts naar intervisie: 1 van 3 namen deel, 2 nodig"},
		row{mtvp.ReqFinalPlan, mtvp.StatusNotMet, fmt.Sprintf("Er is nog geen plan van aanpak %d", w.year)},
	)
	st2 := mtvp.EvaluateCompliance(facts[p2.ID], s, w.year, ref)
	if r := st2.Requirement(mtvp.ReqAssistantTraining); r.Pending != 1 {
		t.Errorf("pending claim: %+v", r)
	}
	if r := st2.Requirement(mtvp.ReqIntervision); r.Pending != 1 {
		t.Errorf("signed up without attending: %+v", r)
	}
	check(p3, false,
		row{mtvp.ReqAssistantTraining, mtvp.StatusNotMet, "Nog 1 assistent scholen: 0 van 2 geschoold, 1 nodig"},
		row{mtvp.ReqIntervision, mtvp.StatusNotMet, "Nog 1 huisarts naar intervisie: 0 van 2 namen deel, 1 nodig"},
	)
	if f := facts[p3.ID]; len(f.IntervisionWaiting) != 1 || f.IntervisionWaiting[0] != w.staff[p3.ID][4].ID {
		t.Errorf("waiting list: %v", f.IntervisionWaiting)
	}
	// The waiting GP is pending; the one with the only place in a group that
	// has no meeting left is not, and is told so.
	if r := mtvp.EvaluateCompliance(facts[p3.ID], s, w.year, ref).Requirement(mtvp.ReqIntervision); r.Pending != 1 || len(r.People) != 2 || !r.People[0].NoMeetingLeft || !r.People[1].Pending {
		t.Errorf("waiting list pending, place without a meeting not: %+v", r)
	}

	// A mandatory intervention added later: the final plan lacks it.
	w.rp.Interventions = append(w.rp.Interventions, mtvp.Intervention{Code: "D.1", Title: "Het goede gesprek", Element: mtvp.ElementD, Mandatory: true})
	must(t, db.SaveRegioplan(ctx, admin, &w.rp))
	facts, err = db.ComplianceFacts(ctx, w.region.ID, w.year, ref)
	must(t, err)
	check(p1, false, row{mtvp.ReqFinalPlan, mtvp.StatusNotMet, fmt.Sprintf("Het definitieve plan van aanpak %d mist de verplichte interventie D.1 Het goede gesprek", w.year)})

	// Before the plan was final (yesterday) it was not final.
	facts, err = db.ComplianceFacts(ctx, w.region.ID, w.year, ref.AddDays(-1))
	must(t, err)
	if r := mtvp.EvaluateCompliance(facts[p1.ID], s, w.year, ref.AddDays(-1)).Requirement(mtvp.ReqFinalPlan); r.Status != mtvp.StatusNotMet {
		t.Errorf("plan yesterday: %+v", r)
	}

	_, err = db.PracticeComplianceFacts(ctx, 999999, w.year, ref)
	wantCode(t, err, mtvp.ENOTFOUND)
	national, err := db.NationalComplianceFacts(ctx, w.year, ref)
	must(t, err)
	if len(national) != 1 || len(national[0].Practices) != 3 || national[0].Region.ID != w.region.ID {
		t.Fatalf("national %+v", national)
	}
}

// The number of queries does not grow with the number of practices.
// Not parallel: it switches query counting on while opening its database.
func TestComplianceFactsQueryCount(t *testing.T) {
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
			w.intervision(t, p, w.staff[p.ID][3].ID, i%2 == 0)
			if i%3 == 0 {
				w.finalPlan(t, p)
			}
		}
	}
	count := func(fn func() error) int64 {
		t.Helper()
		before := db.Queries()
		must(t, fn())
		return db.Queries() - before
	}
	ref := today()
	var nSmall, nBig int
	qSmall := count(func() error {
		f, err := db.ComplianceFacts(ctx, small.region.ID, small.year, ref)
		nSmall = len(f)
		return err
	})
	qBig := count(func() error {
		f, err := db.ComplianceFacts(ctx, big.region.ID, big.year, ref)
		nBig = len(f)
		return err
	})
	if nSmall != 3 || nBig != 30 {
		t.Fatalf("practices %d, %d", nSmall, nBig)
	}
	// Constant in the number of practices: one query per kind of fact
	// (11 since the groups' meeting dates came in, 12 with the placed
	// training sign-ups, pending for the training norms, 13 with the
	// attendance at activities whose kind counts towards a norm).
	if qSmall != qBig || qSmall > 13 {
		t.Fatalf("queries: %d for 3 practices, %d for 30", qSmall, qBig)
	}
	qOne := count(func() error {
		_, err := db.PracticeComplianceFacts(ctx, big.practices[7].ID, big.year, ref)
		return err
	})
	if qOne > qBig+1 {
		t.Fatalf("one practice: %d queries", qOne)
	}
	qNational := count(func() error { _, err := db.NationalComplianceFacts(ctx, big.year, ref); return err })
	if qNational != 1+2*qBig {
		t.Fatalf("national: %d queries, want %d", qNational, 1+2*qBig)
	}
	t.Logf("ComplianceFacts: %d queries per region; one practice %d; national (2 regions) %d", qBig, qOne, qNational)
}
