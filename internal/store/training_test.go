package store_test

import (
	"sync"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

type trainingFixture struct {
	db       *store.DB
	region   mtvp.Region
	p1, p2   mtvp.Practice
	training mtvp.Training
}

func today() mtvp.Date { return mtvp.DateOf(clock.Now()) }

func newTrainingFixture(t *testing.T) trainingFixture {
	t.Helper()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	f := trainingFixture{db: db, region: r, p1: addPractice(t, db, r.ID, agb(1), "De Linde"), p2: addPractice(t, db, r.ID, agb(2), "Het Anker")}
	f.training = mtvp.Training{RegionID: r.ID, Title: "Triage voor assistenten", Target: mtvp.TargetAssistants,
		Themes: []string{mtvp.ThemeTriage}, Provider: "NHG", Register: mtvp.RegisterKABIZ, Points: 4, Active: true}
	must(t, db.CreateTraining(ctx, admin, &f.training))
	return f
}

func (f trainingFixture) session(t *testing.T, capacity int, first mtvp.Date) mtvp.TrainingSession {
	t.Helper()
	s := mtvp.TrainingSession{TrainingID: f.training.ID, Dates: []mtvp.Date{first, first.AddDays(7)}, StartTime: "09:00", EndTime: "12:30", Place: "Maastricht", Capacity: capacity}
	must(t, f.db.CreateSession(ctx, admin, &s))
	return s
}

func TestTrainingsAndThemes(t *testing.T) {
	f := newTrainingFixture(t)
	db := f.db
	themes, err := db.TrainingThemes(ctx, f.region.ID)
	must(t, err)
	if len(themes) != 6 || themes[0] != mtvp.ThemeTriage {
		t.Fatalf("default themes %v", themes)
	}
	bad := mtvp.Training{RegionID: f.region.ID, Title: "Koken", Target: mtvp.TargetBoth, Themes: []string{"koken"}}
	wantField(t, db.CreateTraining(ctx, admin, &bad), "themes", "training.err.theme_unknown")
	// The region adds a theme; a theme in use cannot be dropped.
	must(t, db.SaveTrainingThemes(ctx, admin, f.region.ID, append(themes, "koken")))
	must(t, db.CreateTraining(ctx, admin, &bad))
	wantField(t, db.SaveTrainingThemes(ctx, admin, f.region.ID, themes), "themes", "training.err.theme_in_use")
	// Optimistic locking.
	stale := f.training
	f.training.Title = "Triage (nieuw)"
	must(t, db.UpdateTraining(ctx, admin, &f.training))
	stale.Title = "Anders"
	wantCode(t, db.UpdateTraining(ctx, admin, &stale), mtvp.ECONFLICT)
	got, err := db.TrainingByID(ctx, f.training.ID)
	must(t, err)
	if got.Title != "Triage (nieuw)" || got.Version != 2 || got.Points != 4 || got.Register != mtvp.RegisterKABIZ || !got.Active {
		t.Fatalf("training read back %+v", got)
	}
	// Inactive trainings are hidden from the menu unless asked for.
	bad.Active = false
	must(t, db.UpdateTraining(ctx, admin, &bad))
	list, err := db.ListTrainings(ctx, f.region.ID, false)
	must(t, err)
	all, err := db.ListTrainings(ctx, f.region.ID, true)
	must(t, err)
	if len(list) != 1 || len(all) != 2 {
		t.Fatalf("active %d, all %d", len(list), len(all))
	}
	h, err := db.History(ctx, store.EntityTraining, f.training.ID)
	must(t, err)
	if len(h) != 2 {
		t.Fatalf("history %d", len(h))
	}
}

func TestEnrolmentWaitingListAndPromotion(t *testing.T) {
	f := newTrainingFixture(t)
	db := f.db
	s := f.session(t, 2, today().AddDays(30))
	var people []mtvp.Person
	for i, name := range []string{"Anna", "Bep", "Cor", "Dini"} {
		p, _ := addStaff(t, db, f.p1.ID, name, "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
		_ = i
		people = append(people, p)
	}
	var es []mtvp.Enrolment
	for _, p := range people {
		e := mtvp.Enrolment{SessionID: s.ID, PersonID: p.ID, PracticeID: f.p1.ID}
		must(t, db.Enrol(ctx, admin, &e))
		es = append(es, e)
	}
	want := []mtvp.EnrolmentStatus{mtvp.EnrolmentPlaced, mtvp.EnrolmentPlaced, mtvp.EnrolmentWaiting, mtvp.EnrolmentWaiting}
	for i, e := range es {
		if e.Status != want[i] {
			t.Fatalf("enrolment %d: %s, want %s", i, e.Status, want[i])
		}
	}
	// Twice: refused.
	again := mtvp.Enrolment{SessionID: s.ID, PersonID: people[0].ID, PracticeID: f.p1.ID}
	wantField(t, db.Enrol(ctx, admin, &again), "person", "training.err.already_enrolled")
	// Someone of another practice: refused.
	other, _ := addStaff(t, db, f.p2.ID, "Els", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	wrong := mtvp.Enrolment{SessionID: s.ID, PersonID: other.ID, PracticeID: f.p1.ID}
	wantField(t, db.Enrol(ctx, admin, &wrong), "person", "training.err.person_not_on_staff")
	// A stale cancel changes nothing.
	wantCode(t, db.CancelEnrolment(ctx, admin, es[0].ID, es[0].Version+1), mtvp.ECONFLICT)
	// Cancelling a place promotes the first waiting, in the same transaction.
	must(t, db.CancelEnrolment(ctx, admin, es[0].ID, es[0].Version))
	list, err := db.SessionEnrolments(ctx, s.ID)
	must(t, err)
	status := map[int64]mtvp.EnrolmentStatus{}
	for _, e := range list {
		status[e.PersonID] = e.Status
	}
	if status[people[0].ID] != mtvp.EnrolmentCancelled || status[people[2].ID] != mtvp.EnrolmentPlaced || status[people[3].ID] != mtvp.EnrolmentWaiting {
		t.Fatalf("after cancel: %v", status)
	}
	got, err := db.SessionByID(ctx, s.ID)
	must(t, err)
	if got.Enrolled != 2 || got.Waiting != 1 || got.Free() != 0 {
		t.Fatalf("counts %d/%d", got.Enrolled, got.Waiting)
	}
	// Renewing the cancelled sign-up puts Anna at the back of the queue.
	must(t, db.Enrol(ctx, admin, &again))
	if again.Status != mtvp.EnrolmentWaiting || again.ID != es[0].ID {
		t.Fatalf("renewed: %+v", again)
	}
	// More capacity moves the waiting list up (Dini before Anna).
	got.Capacity = 3
	must(t, db.UpdateSession(ctx, admin, &got))
	if got.Enrolled != 3 || got.Waiting != 1 {
		t.Fatalf("after capacity 3: %d/%d", got.Enrolled, got.Waiting)
	}
	d, err := db.EnrolmentByID(ctx, es[3].ID)
	must(t, err)
	if d.Status != mtvp.EnrolmentPlaced {
		t.Fatalf("Dini %s", d.Status)
	}
	// Capacity below the places taken: refused.
	got.Capacity = 2
	wantField(t, db.UpdateSession(ctx, admin, &got), "capacity", "training.err.capacity_below_placed")
	// A session that has begun takes no sign-ups.
	past := f.session(t, 5, today().AddDays(-3))
	late := mtvp.Enrolment{SessionID: past.ID, PersonID: people[1].ID, PracticeID: f.p1.ID}
	wantField(t, db.Enrol(ctx, admin, &late), "session", "training.err.session_started")
	pe, err := db.PracticeEnrolments(ctx, f.p1.ID)
	must(t, err)
	if len(pe) != 4 {
		t.Fatalf("practice enrolments %d", len(pe))
	}
}

// The last place taken twice at once: exactly one gets it, the other waits.
func TestEnrolLastPlaceConcurrently(t *testing.T) {
	f := newTrainingFixture(t)
	db := f.db
	for round := 0; round < 5; round++ {
		s := f.session(t, 1, today().AddDays(30+round))
		a, _ := addStaff(t, db, f.p1.ID, "Anna", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
		b, _ := addStaff(t, db, f.p2.ID, "Bep", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
		es := []mtvp.Enrolment{{SessionID: s.ID, PersonID: a.ID, PracticeID: f.p1.ID}, {SessionID: s.ID, PersonID: b.ID, PracticeID: f.p2.ID}}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range es {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				errs[i] = db.Enrol(ctx, admin, &es[i])
			}(i)
		}
		close(start)
		wg.Wait()
		must(t, errs[0])
		must(t, errs[1])
		placed := 0
		for _, e := range es {
			if e.Status == mtvp.EnrolmentPlaced {
				placed++
			}
		}
		got, err := db.SessionByID(ctx, s.ID)
		must(t, err)
		if placed != 1 || got.Enrolled != 1 || got.Waiting != 1 {
			t.Fatalf("round %d: placed %d, session %d/%d", round, placed, got.Enrolled, got.Waiting)
		}
	}
}

func TestCompletionsAllOrNothing(t *testing.T) {
	f := newTrainingFixture(t)
	db := f.db
	s := f.session(t, 10, today().AddDays(-20))
	a, _ := addStaff(t, db, f.p1.ID, "Anna", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	b, _ := addStaff(t, db, f.p2.ID, "Bep", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	other := addRegion(t, db, "primacura")
	op := addPractice(t, db, other.ID, agb(9), "Elders")
	x, _ := addStaff(t, db, op.ID, "Xander", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	on := today().AddDays(-13)
	bad := []mtvp.Completion{{PersonID: a.ID, CompletedOn: on}, {PersonID: x.ID, CompletedOn: on}, {PersonID: b.ID, CompletedOn: today().AddDays(1)}}
	err := db.RecordCompletions(ctx, admin, s.ID, bad)
	wantField(t, err, "row.2", "training.err.person_unknown")
	wantField(t, err, "row.3", "training.err.date_future")
	cs, err := db.SessionCompletions(ctx, s.ID)
	must(t, err)
	if len(cs) != 0 {
		t.Fatalf("a bad list saved %d completions", len(cs))
	}
	must(t, db.RecordCompletions(ctx, admin, s.ID, []mtvp.Completion{{PersonID: a.ID, CompletedOn: on}, {PersonID: b.ID, CompletedOn: on}}))
	// Recording again changes the date, not the count.
	must(t, db.RecordCompletions(ctx, admin, s.ID, []mtvp.Completion{{PersonID: a.ID, CompletedOn: on.AddDays(1)}}))
	cs, err = db.SessionCompletions(ctx, s.ID)
	must(t, err)
	if len(cs) != 2 || cs[0].PersonName != "Anna" || !cs[0].CompletedOn.Equal(on.AddDays(1)) || cs[0].Target != mtvp.TargetAssistants {
		t.Fatalf("completions %+v", cs)
	}
	must(t, db.DeleteCompletion(ctx, admin, s.ID, cs[1].ID))
	wantCode(t, db.DeleteCompletion(ctx, admin, s.ID, cs[1].ID), mtvp.ENOTFOUND)
}

var pdf = []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

func TestClaimsRulesAndDecision(t *testing.T) {
	f := newTrainingFixture(t)
	db := f.db
	consultant := addUser(t, db, "consulent@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: f.region.ID})
	f.p1.ConsultantID = consultant.ID
	must(t, db.UpdatePractice(ctx, admin, &f.p1))
	anna, _ := addStaff(t, db, f.p1.ID, "Anna", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	dirk, _ := addStaff(t, db, f.p1.ID, "Dirk", "12345678901", mtvp.RolePraktijkhouder, 1, "2010-01-01")
	els, _ := addStaff(t, db, f.p2.ID, "Els", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	claim := func(person int64, on, theme string) *mtvp.Claim {
		return &mtvp.Claim{PracticeID: f.p1.ID, PersonID: person, Title: "Cursus", Provider: "Elders", CompletedOn: mtvp.MustDate(on), Theme: theme}
	}
	wantField(t, db.SubmitClaim(ctx, admin, claim(anna.ID, "2022-08-31", mtvp.ThemeSOH), nil), "completed_on", "training.err.claim_before_cutoff")
	wantField(t, db.SubmitClaim(ctx, admin, claim(dirk.ID, "2023-01-01", mtvp.ThemeTriage), nil), "theme", "training.err.claim_theme_role")
	wantField(t, db.SubmitClaim(ctx, admin, claim(els.ID, "2023-01-01", mtvp.ThemeSOH), nil), "person", "training.err.claim_person_outside")
	wantField(t, db.SubmitClaim(ctx, admin, claim(anna.ID, "2023-01-01", mtvp.ThemeSOH), &store.Evidence{Name: "x.exe", Data: []byte("MZ\x90")}), "evidence", "training.err.evidence_type")
	big := make([]byte, mtvp.MaxEvidenceSize+1)
	copy(big, pdf)
	wantField(t, db.SubmitClaim(ctx, admin, claim(anna.ID, "2023-01-01", mtvp.ThemeSOH), &store.Evidence{Name: "groot.pdf", Data: big}), "evidence", "training.err.evidence_too_large")
	list, err := db.ListClaims(ctx, store.ClaimFilter{RegionID: f.region.ID})
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("refused claims saved: %d", len(list))
	}
	c := claim(anna.ID, "2023-01-01", mtvp.ThemeSOH)
	must(t, db.SubmitClaim(ctx, admin, c, &store.Evidence{Name: "certificaat.pdf", Data: pdf}))
	if c.Status != mtvp.ClaimPending || c.EvidenceType != "application/pdf" || c.PersonName != "Anna" || c.RegionID != f.region.ID {
		t.Fatalf("claim %+v", c)
	}
	ev, err := db.ClaimEvidence(ctx, c.ID)
	must(t, err)
	if string(ev.Data) != string(pdf) || ev.Name != "certificaat.pdf" {
		t.Fatalf("evidence %q", ev.Name)
	}
	// Pending counts as pending only.
	facts, err := db.TrainingFacts(ctx, f.region.ID, 0)
	must(t, err)
	r := mtvp.TrainingNorm(mtvp.EvaluateTrainingNorms(facts[f.p1.ID], f.region.Settings, today()), mtvp.ReqAssistantTraining)
	if r.Denominator != 1 || r.Actual != 0 || r.Pending != 1 {
		t.Fatalf("pending: %+v", r)
	}
	// The consultant's queue.
	q, err := db.ListClaims(ctx, store.ClaimFilter{RegionID: f.region.ID, OnlyConsultant: consultant.ID, Status: mtvp.ClaimPending})
	must(t, err)
	if len(q) != 1 {
		t.Fatalf("queue %d", len(q))
	}
	_, err = db.DecideClaim(ctx, mtvp.Actor{UserID: consultant.ID, Name: consultant.Name}, c.ID, c.Version, mtvp.ClaimRejected, "")
	wantField(t, err, "reason", "training.err.reason_required")
	_, err = db.DecideClaim(ctx, admin, c.ID, c.Version+1, mtvp.ClaimApproved, "")
	wantCode(t, err, mtvp.ECONFLICT)
	got, err := db.DecideClaim(ctx, mtvp.Actor{UserID: consultant.ID, Name: consultant.Name}, c.ID, c.Version, mtvp.ClaimApproved, "Certificaat klopt")
	must(t, err)
	if got.Status != mtvp.ClaimApproved || got.DecidedBy != consultant.ID || got.DecidedAt.IsZero() || got.Reason != "Certificaat klopt" {
		t.Fatalf("decided %+v", got)
	}
	// Decided once: a second decision is a conflict.
	_, err = db.DecideClaim(ctx, admin, got.ID, got.Version, mtvp.ClaimRejected, "toch niet")
	wantCode(t, err, mtvp.ECONFLICT)
	facts, err = db.TrainingFacts(ctx, f.region.ID, f.p1.ID)
	must(t, err)
	r = mtvp.TrainingNorm(mtvp.EvaluateTrainingNorms(facts[f.p1.ID], f.region.Settings, today()), mtvp.ReqAssistantTraining)
	if r.Actual != 1 || r.Pending != 0 || !r.Met() {
		t.Fatalf("approved: %+v", r)
	}
	rows, err := db.Participation(ctx, f.region.ID, 0)
	must(t, err)
	if len(rows) != 1 || !rows[0].ByClaim || rows[0].PersonName != "Anna" {
		t.Fatalf("participation %+v", rows)
	}
}

// The facts of a whole region, a locum at two practices included.
func TestTrainingFactsRegion(t *testing.T) {
	f := newTrainingFixture(t)
	db := f.db
	s := f.session(t, 10, today().AddDays(-20))
	lot := mtvp.Person{Name: "Lot", BIG: "12345678901"}
	m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.4, From: mtvp.MustDate("2020-01-01")}
	must(t, db.AddStaff(ctx, admin, f.p1.ID, &lot, &m))
	m2 := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.4, From: mtvp.MustDate("2020-01-01")}
	lot2 := mtvp.Person{Name: "Lot", BIG: "12345678901"}
	must(t, db.AddStaff(ctx, admin, f.p2.ID, &lot2, &m2))
	addStaff(t, db, f.p1.ID, "Anna", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	addStaff(t, db, f.p1.ID, "Bep", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	on := today().AddDays(-13)
	must(t, db.RecordCompletions(ctx, admin, s.ID, []mtvp.Completion{{PersonID: lot.ID, CompletedOn: on}}))
	facts, err := db.TrainingFacts(ctx, f.region.ID, 0)
	must(t, err)
	r1 := mtvp.TrainingNorm(mtvp.EvaluateTrainingNorms(facts[f.p1.ID], f.region.Settings, today()), mtvp.ReqAssistantTraining)
	r2 := mtvp.TrainingNorm(mtvp.EvaluateTrainingNorms(facts[f.p2.ID], f.region.Settings, today()), mtvp.ReqAssistantTraining)
	if r1.Denominator != 3 || r1.Required != 2 || r1.Actual != 1 || r1.Met() {
		t.Fatalf("practice 1: %+v", r1)
	}
	if r2.Denominator != 1 || r2.Actual != 1 || !r2.Met() {
		t.Fatalf("practice 2: %+v", r2)
	}
	// Before the completion date it does not count yet.
	if r := mtvp.TrainingNorm(mtvp.EvaluateTrainingNorms(facts[f.p2.ID], f.region.Settings, on.AddDays(-1)), mtvp.ReqAssistantTraining); r.Actual != 0 {
		t.Fatalf("before completion: %+v", r)
	}
	rows, err := db.Participation(ctx, f.region.ID, 0)
	must(t, err)
	if len(rows) != 2 || rows[0].PracticeName != "De Linde" || rows[1].PracticeName != "Het Anker" || rows[0].Register != mtvp.RegisterKABIZ {
		t.Fatalf("participation %+v", rows)
	}
}
