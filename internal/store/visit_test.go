package store_test

import (
	"strings"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

type visitFixture struct {
	db         *store.DB
	region     mtvp.Region
	consultant mtvp.User
	p1, p2     mtvp.Practice
	year       int
	plan       mtvp.Plan
}

// newVisitFixture: region with a consultant; P1 (the consultant's, with a
// plan for this year holding A.1 and B.2), P2 (no consultant) and a
// stopped practice.
func newVisitFixture(t *testing.T) visitFixture {
	t.Helper()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	f := visitFixture{db: db, region: r, year: today().Year()}
	f.consultant = addUser(t, db, "carla@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})
	f.p1 = addPractice(t, db, r.ID, agb(1), "De Linde")
	f.p1.ConsultantID = f.consultant.ID
	must(t, db.UpdatePractice(ctx, admin, &f.p1))
	f.p2 = addPractice(t, db, r.ID, agb(2), "Het Anker")
	stopped := mtvp.Practice{RegionID: r.ID, AGB: agb(3), Name: "Gestopt", Status: mtvp.PracticeStopped}
	must(t, db.CreatePractice(ctx, admin, &stopped))
	rp := mtvp.Regioplan{RegionID: r.ID, Year: f.year, Interventions: []mtvp.Intervention{
		{Code: "A.1", Element: mtvp.ElementA, Title: "Triagetraining", Mandatory: true},
		{Code: "B.2", Element: mtvp.ElementB, Title: "Samenwerking wijkteam"},
	}}
	must(t, db.SaveRegioplan(ctx, admin, &rp))
	c := mtvp.PlanContent{Ambition: "Meer tijd", Items: []mtvp.PlanItem{{InterventionID: rp.Interventions[1].ID, Goal: "Korte lijnen"}}}
	pl, err := db.SavePlan(ctx, admin, f.p1.ID, f.year, 0, &c)
	must(t, err)
	f.plan = pl
	return f
}

func (f visitFixture) items() []mtvp.PlanItem { return f.plan.Current().Content.Items }

func TestVisitPlanRecordAndHistory(t *testing.T) {
	f := newVisitFixture(t)
	db := f.db
	day := today()
	carla := mtvp.Actor{UserID: f.consultant.ID, Name: f.consultant.Name}

	// Planning: the practice's consultant by default, one visit a year.
	v := mtvp.Visit{PracticeID: f.p1.ID, Year: f.year, PlannedOn: day}
	must(t, db.CreateVisit(ctx, carla, &v))
	if v.ConsultantID != f.consultant.ID || v.ConsultantName != f.consultant.Name || v.Status != mtvp.VisitPlanned || v.RegionID != f.region.ID {
		t.Fatalf("planned: %+v", v)
	}
	again := mtvp.Visit{PracticeID: f.p1.ID, Year: f.year, PlannedOn: day}
	wantField(t, db.CreateVisit(ctx, carla, &again), "planned_on", "visit.err.already_planned")
	noConsultant := mtvp.Visit{PracticeID: f.p2.ID, Year: f.year, PlannedOn: day}
	wantField(t, db.CreateVisit(ctx, admin, &noConsultant), "consultant", "visit.err.consultant_required")
	outside := mtvp.Visit{PracticeID: f.p2.ID, Year: f.year, PlannedOn: mtvp.NewDate(f.year+1, 1, 5), ConsultantID: f.consultant.ID}
	wantField(t, db.CreateVisit(ctx, admin, &outside), "planned_on", "visit.err.date_outside_year")
	notConsultant := mtvp.Visit{PracticeID: f.p2.ID, Year: f.year, PlannedOn: day, ConsultantID: 999999}
	wantField(t, db.CreateVisit(ctx, admin, &notConsultant), "consultant", "visit.err.consultant_unknown")

	// The outcome follows the plan: an intervention outside it is refused,
	// and nothing is saved when anything is wrong.
	items := f.items()
	if len(items) != 2 {
		t.Fatalf("plan items %+v", items)
	}
	rec := v
	rec.VisitedOn = day
	rec.Findings = []mtvp.VisitFinding{
		{InterventionID: items[0].InterventionID, Deployment: "Triage door assistenten", Obstacles: "Te weinig tijd"},
		{InterventionID: 424242, Deployment: "Iets anders"},
	}
	err := db.RecordVisit(ctx, carla, &rec)
	wantField(t, err, "findings.1.intervention_id", "visit.err.intervention_not_in_plan")
	if mtvp.FieldErrorsOf(err)["judgement"] != "visit.err.judgement_required" {
		t.Fatalf("judgement not required: %v", err)
	}
	rec.Findings = rec.Findings[:1]
	rec.Findings = append(rec.Findings, mtvp.VisitFinding{InterventionID: items[1].InterventionID, GoesWell: "Wijkteam bereikbaar", Solutions: "Vast overleg"},
		mtvp.VisitFinding{InterventionID: items[1].InterventionID})
	rec.Judgement = "Goed op weg"
	rec.VisitedOn = day.AddDays(1)
	wantField(t, db.RecordVisit(ctx, carla, &rec), "visited_on", "visit.err.date_future")
	rec.VisitedOn = day
	rec.Actions = []mtvp.VisitAction{{Description: "Triageprotocol bijwerken", Owner: "Praktijkmanager", Due: day.AddDays(30)}, {}, {Description: "Evalueren", Due: day.AddDays(-400)}}
	wantField(t, db.RecordVisit(ctx, carla, &rec), "actions.1.due", "visit.err.due_before_visit")
	rec.Actions = rec.Actions[:1]
	if got, err := db.VisitByID(ctx, v.ID); err != nil || got.Status != mtvp.VisitPlanned || got.Version != 1 {
		t.Fatalf("refused outcome changed the visit: %+v %v", got, err)
	}
	must(t, db.RecordVisit(ctx, carla, &rec))
	got, err := db.VisitByID(ctx, v.ID)
	must(t, err)
	if got.Status != mtvp.VisitDone || !got.VisitedOn.Equal(day) || got.Judgement != "Goed op weg" || got.Version != 2 || got.PlanVersion != 1 ||
		got.RecordedBy.Name != f.consultant.Name || got.RecordedAt.IsZero() || got.PracticeName != "De Linde" {
		t.Fatalf("recorded: %+v", got)
	}
	if len(got.Findings) != 2 || got.Findings[0].Code != "A.1" || got.Findings[0].Title != "Triagetraining" || got.Findings[1].Code != "B.2" || got.Findings[1].Solutions != "Vast overleg" {
		t.Fatalf("findings: %+v", got.Findings)
	}
	if len(got.Actions) != 1 || got.Actions[0].Owner != "Praktijkmanager" || !got.Actions[0].Due.Equal(day.AddDays(30)) || got.Actions[0].Done {
		t.Fatalf("actions: %+v", got.Actions)
	}

	// Concurrent edits: the stale one is refused and changes nothing.
	a := got
	b := got
	a.Actions[0].Done = true
	must(t, db.RecordVisit(ctx, carla, &a))
	b.Judgement = "Overschreven?"
	wantCode(t, db.RecordVisit(ctx, admin, &b), mtvp.ECONFLICT)
	got, err = db.VisitByID(ctx, v.ID)
	must(t, err)
	if !got.Actions[0].Done || got.Judgement != "Goed op weg" || got.Version != 3 {
		t.Fatalf("after conflict: %+v", got)
	}
	// A recorded visit's planning is fixed.
	plan := got
	plan.PlannedOn = day
	wantField(t, db.UpdateVisit(ctx, admin, &plan), "status", "visit.err.recorded")

	// The audit log reads the changes.
	h, err := db.History(ctx, store.EntityVisit, v.ID)
	must(t, err)
	if len(h) != 3 || h[0].Action != store.ActionUpdate || h[1].Action != store.ActionRecord || h[2].Action != store.ActionCreate {
		t.Fatalf("history: %+v", h)
	}
	var text []string
	for _, c := range h[1].Changes {
		text = append(text, c.Field+"="+c.New)
	}
	if s := strings.Join(text, "\n"); !strings.Contains(s, "Findings A.1=ingezet: Triage door assistenten") || !strings.Contains(s, "Actions=Triageprotocol bijwerken (Praktijkmanager)") {
		t.Fatalf("record changes: %s", s)
	}

	// Lists.
	vs, err := db.ListVisits(ctx, store.VisitFilter{PracticeID: f.p1.ID})
	must(t, err)
	if len(vs) != 1 || vs[0].Findings != nil {
		t.Fatalf("list: %+v", vs)
	}
	vs, err = db.ListVisits(ctx, store.VisitFilter{RegionID: f.region.ID, Year: f.year, ConsultantID: f.consultant.ID, OnlyRecorded: true})
	must(t, err)
	if len(vs) != 1 {
		t.Fatalf("region list: %+v", vs)
	}
}

func TestVisitCancelAndCoverage(t *testing.T) {
	f := newVisitFixture(t)
	db := f.db
	day := today()
	// P2 gets a consultant-less visit planned by naming the consultant,
	// which is then cancelled and planned again.
	v := mtvp.Visit{PracticeID: f.p2.ID, Year: f.year, PlannedOn: day, ConsultantID: f.consultant.ID}
	must(t, db.CreateVisit(ctx, admin, &v))
	v.Status = mtvp.VisitCancelled
	must(t, db.UpdateVisit(ctx, admin, &v))
	cancelled := v
	rec := v
	rec.VisitedOn, rec.Judgement = day, "x"
	wantField(t, db.RecordVisit(ctx, admin, &rec), "status", "visit.err.cancelled")
	w := mtvp.Visit{PracticeID: f.p2.ID, Year: f.year, PlannedOn: day.AddDays(-1), ConsultantID: f.consultant.ID}
	if day.AddDays(-1).Year() != f.year {
		w.PlannedOn = day
	}
	must(t, db.CreateVisit(ctx, admin, &w))
	// The cancelled one cannot come back while another is planned.
	cancelled.Status = mtvp.VisitPlanned
	wantField(t, db.UpdateVisit(ctx, admin, &cancelled), "status", "visit.err.already_planned")

	// P1 visited, P2 planned; the stopped practice is not listed.
	p1 := mtvp.Visit{PracticeID: f.p1.ID, Year: f.year, PlannedOn: day}
	must(t, db.CreateVisit(ctx, admin, &p1))
	p1.VisitedOn, p1.Judgement = day, "Prima"
	must(t, db.RecordVisit(ctx, admin, &p1))
	cov, err := db.VisitCoverage(ctx, f.region.ID, f.year, 0, day, 60)
	must(t, err)
	if cov.Total() != 2 || cov.Visited != 1 || cov.Planned != 1 || cov.NotPlanned != 0 {
		t.Fatalf("coverage: %+v", cov)
	}
	if cov.Rows[0].PracticeName != "De Linde" || cov.Rows[0].State != mtvp.VisitStateVisited || cov.Rows[1].State != mtvp.VisitStatePlanned || cov.Rows[1].Visit.ID != w.ID {
		t.Fatalf("rows: %+v", cov.Rows)
	}
	// A day after the planned date without recording: overdue.
	cov, err = db.VisitCoverage(ctx, f.region.ID, f.year, 0, w.PlannedOn.AddDays(1), 60)
	must(t, err)
	if cov.Overdue != 1 || !cov.Rows[1].Overdue {
		t.Fatalf("overdue: %+v", cov)
	}
	// Next year nothing is planned; with the year nearly over every
	// practice is overdue. The consultant filter keeps only their own.
	cov, err = db.VisitCoverage(ctx, f.region.ID, f.year+1, f.consultant.ID, mtvp.NewDate(f.year+1, 12, 1), 60)
	must(t, err)
	if cov.Total() != 1 || cov.NotPlanned != 1 || cov.Overdue != 1 || cov.Rows[0].PracticeID != f.p1.ID {
		t.Fatalf("next year: %+v", cov)
	}
}
