package store_test

import (
	"reflect"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func planFixture(t *testing.T, db *store.DB) (mtvp.Region, mtvp.Practice, mtvp.Regioplan) {
	t.Helper()
	r := addRegion(t, db, "plan")
	pr := addPractice(t, db, r.ID, agb(1), "Praktijk De Linde")
	rp := mtvp.Regioplan{RegionID: r.ID, Year: 2026, Interventions: []mtvp.Intervention{
		{Code: "A.1", Title: "Triagetraining", Element: mtvp.ElementA, Mandatory: true},
		{Code: "A.2", Title: "Flexibele consultduur", Element: mtvp.ElementA},
		{Code: "B.2", Title: "Wijkteam", Element: mtvp.ElementB},
	}}
	must(t, db.SaveRegioplan(ctx, admin, &rp))
	return r, pr, rp
}

func TestPlanVersionsWorkflowAndConflict(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r, pr, rp := planFixture(t, db)
	anouk, _ := addStaff(t, db, pr.ID, "Anouk Smeets", "", mtvp.RoleDoktersassistent, 0.8, "2024-01-01")
	bram, _ := addStaff(t, db, pr.ID, "Bram Hendriks", "", mtvp.RolePraktijkhouder, 1, "2024-01-01")
	gone, gm := addStaff(t, db, pr.ID, "Oud Collega", "", mtvp.RoleDoktersassistent, 0.5, "2023-01-01")
	gm.To = mtvp.MustDate("2024-01-31")
	must(t, db.UpdateMembership(ctx, admin, &gm))
	writer := mtvp.Actor{UserID: 0, Name: "Praktijk"}

	_, err := db.Plan(ctx, pr.ID, 2026)
	wantCode(t, err, mtvp.ENOTFOUND)

	// Version 1: the mandatory A.1 is added although not sent.
	c := mtvp.PlanContent{Ambition: "Meer tijd voor het goede gesprek", Items: []mtvp.PlanItem{
		{InterventionID: rp.Interventions[2].ID, Goal: "Korte lijnen", Actions: []mtvp.PlanAction{{Description: "Kennismaken", Owner: "Anouk"}}}}}
	p, err := db.SavePlan(ctx, writer, pr.ID, 2026, 0, &c)
	must(t, err)
	if p.Version != 1 || len(p.Versions) != 1 || p.Latest().Status != mtvp.PlanConcept || len(c.Items) != 2 || c.Items[0].Code != "A.1" {
		t.Fatalf("first save: %+v / %+v", p, c)
	}
	// Creating it again from version 0 is a conflict (someone else made it).
	c0 := mtvp.PlanContent{Ambition: "ander"}
	_, err = db.SavePlan(ctx, writer, pr.ID, 2026, 0, &c0)
	wantCode(t, err, mtvp.ECONFLICT)

	// Version 2 from version 1.
	c2 := c
	c2.Ambition = "Meer tijd en minder druk"
	c2.Items = append([]mtvp.PlanItem(nil), c.Items...)
	c2.Items[1].Actions = []mtvp.PlanAction{{Description: "Kennismaken", Owner: "Bram", Status: mtvp.ActionBusy}}
	p, err = db.SavePlan(ctx, writer, pr.ID, 2026, p.Version, &c2)
	must(t, err)
	// A second writer who read version 1 is refused; nothing is saved.
	stale := mtvp.PlanContent{Ambition: "overschreven?"}
	_, err = db.SavePlan(ctx, writer, pr.ID, 2026, 1, &stale)
	wantCode(t, err, mtvp.ECONFLICT)
	got, err := db.Plan(ctx, pr.ID, 2026)
	must(t, err)
	if len(got.Versions) != 2 || got.Latest().Content.Ambition != "Meer tijd en minder druk" || got.Versions[0].Content.Ambition != "Meer tijd voor het goede gesprek" {
		t.Fatalf("versions: %+v", got.Versions)
	}
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("roundtrip\n got %+v\nwant %+v", got, p)
	}
	diff := mtvp.DiffPlan(got.Versions[0].Content, got.Versions[1].Content)
	want := []mtvp.PlanChange{
		{Field: "ambition", Old: "Meer tijd voor het goede gesprek", New: "Meer tijd en minder druk"},
		{Section: "B.2", Title: "Wijkteam", Field: "owner", Action: 1, Old: "Anouk", New: "Bram"},
		{Section: "B.2", Title: "Wijkteam", Field: "status", Action: 1, Old: "gepland", New: "bezig"},
	}
	if !reflect.DeepEqual(diff, want) {
		t.Fatalf("diff %+v", diff)
	}

	// Bad input: nothing saved.
	bad := c2
	bad.Items = []mtvp.PlanItem{{InterventionID: rp.Interventions[0].ID, Actions: []mtvp.PlanAction{{Owner: "x"}}}}
	_, err = db.SavePlan(ctx, writer, pr.ID, 2026, p.Version, &bad)
	wantField(t, err, "items.A.1.actions.0.description", "err.required")

	// Workflow: agreement only in bespreking; finalising needs it.
	_, err = db.RecordPlanAgreement(ctx, writer, p.ID, p.Version, mtvp.MustDate("2026-01-10"), []int64{anouk.ID})
	wantCode(t, err, mtvp.EINVALID)
	p, err = db.PlanStep(ctx, writer, p.ID, p.Version, mtvp.StepShare)
	must(t, err)
	if p.Latest().Status != mtvp.PlanDiscussion || p.Latest().SharedAt.IsZero() {
		t.Fatalf("share: %+v", p.Latest())
	}
	// Text is not edited while in bespreking.
	c3 := c2
	_, err = db.SavePlan(ctx, writer, pr.ID, 2026, p.Version, &c3)
	if mtvp.ErrorMessage(err) != "plan.err.step_from.concept" {
		t.Fatalf("edit in bespreking: %v", err)
	}
	_, err = db.PlanStep(ctx, writer, p.ID, p.Version, mtvp.StepFinalise)
	if mtvp.ErrorMessage(err) != "plan.err.not_discussed" {
		t.Fatalf("finalise undiscussed: %v", err)
	}
	_, err = db.RecordPlanAgreement(ctx, writer, p.ID, p.Version, mtvp.MustDate("2026-01-10"), []int64{anouk.ID, gone.ID})
	wantField(t, err, "agreed", "plan.err.agreed_not_staff")
	p, err = db.RecordPlanAgreement(ctx, writer, p.ID, p.Version, mtvp.MustDate("2026-01-10"), []int64{bram.ID, anouk.ID})
	must(t, err)
	if l := p.Latest(); l.DiscussedOn.String() != "2026-01-10" || len(l.Agreed) != 2 || l.Agreed[0].Name != "Anouk Smeets" {
		t.Fatalf("agreement: %+v", l)
	}
	// The region makes D.1 mandatory meanwhile: finalising names it.
	rp.Interventions = append(rp.Interventions, mtvp.Intervention{Code: "D.1", Title: "Positieve gezondheid", Element: mtvp.ElementD, Mandatory: true})
	must(t, db.SaveRegioplan(ctx, admin, &rp))
	_, err = db.PlanStep(ctx, writer, p.ID, p.Version, mtvp.StepFinalise)
	if mtvp.ErrorMessage(err) != "plan.err.mandatory_missing" {
		t.Fatalf("finalise without mandatory: %v", err)
	}
	rp.Interventions = rp.Interventions[:3]
	must(t, db.SaveRegioplan(ctx, admin, &rp))
	// The region's minimum per element.
	r, err = db.RegionByID(ctx, r.ID)
	must(t, err)
	r.Settings.MinPerElement = map[mtvp.Element]int{mtvp.ElementA: 2}
	must(t, db.UpdateRegion(ctx, admin, &r))
	_, err = db.PlanStep(ctx, writer, p.ID, p.Version, mtvp.StepFinalise)
	if mtvp.ErrorMessage(err) != "plan.err.min_per_element" {
		t.Fatalf("finalise below minimum: %v", err)
	}
	r.Settings.MinPerElement = map[mtvp.Element]int{mtvp.ElementA: 1}
	must(t, db.UpdateRegion(ctx, admin, &r))
	fin := mtvp.Actor{UserID: 0, Name: "Bram Hendriks"}
	p, err = db.PlanStep(ctx, fin, p.ID, p.Version, mtvp.StepFinalise)
	must(t, err)
	if l := p.Latest(); l.Status != mtvp.PlanFinal || l.FinalisedBy.Name != "Bram Hendriks" || l.FinalisedAt.IsZero() {
		t.Fatalf("final: %+v", l)
	}
	_, err = db.PlanStep(ctx, writer, p.ID, p.Version, mtvp.StepFinalise)
	wantCode(t, err, mtvp.EINVALID)

	// Revise: a new concept version; the final one stays current.
	p, err = db.PlanStep(ctx, writer, p.ID, p.Version, mtvp.StepRevise)
	must(t, err)
	if len(p.Versions) != 3 || p.Latest().Status != mtvp.PlanConcept || p.Current().Number != 2 || p.Latest().Content.Ambition != "Meer tijd en minder druk" {
		t.Fatalf("revise: %+v", p.Versions)
	}
	facts, err := db.PlanFinalFacts(ctx, r.ID, 2026, mtvp.DateOf(p.Versions[1].FinalisedAt))
	must(t, err)
	f := facts[pr.ID]
	if ok, _ := f.FinalWithMandatory(&rp); !ok || f.Number != 2 {
		t.Fatalf("fact %+v", f)
	}
	facts, err = db.PlanFinalFacts(ctx, r.ID, 2026, mtvp.MustDate("2025-12-31"))
	must(t, err)
	if f := facts[pr.ID]; f.Number != 0 {
		t.Fatalf("fact before final %+v", f)
	}

	// History records every save and step.
	h, err := db.History(ctx, store.EntityPlan, p.ID)
	must(t, err)
	if len(h) < 6 {
		t.Fatalf("history %d entries", len(h))
	}
}

func TestPlanCommentsReviewsOverviewNextYear(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r, pr, rp := planFixture(t, db)
	other := addPractice(t, db, r.ID, agb(2), "Aa Praktijk")
	a := mtvp.Actor{Name: "Praktijk"}
	c := mtvp.PlanContent{Ambition: "Rust", Items: []mtvp.PlanItem{{InterventionID: rp.Interventions[0].ID, Actions: []mtvp.PlanAction{
		{Description: "Klaar", Status: mtvp.ActionDone}, {Description: "Loopt", Status: mtvp.ActionBusy}}}}}
	p, err := db.SavePlan(ctx, a, pr.ID, 2026, 0, &c)
	must(t, err)

	// Comments: a thread per section; replies join the thread.
	q := mtvp.PlanComment{PlanID: p.ID, Section: "A.1", Body: " Hoe meten jullie dit? ", AuthorRole: mtvp.AccountConsultant}
	must(t, db.AddPlanComment(ctx, mtvp.Actor{Name: "Consulent"}, &q))
	reply := mtvp.PlanComment{PlanID: p.ID, ParentID: q.ID, Body: "Met de wachttijd", AuthorRole: mtvp.AccountPractice}
	must(t, db.AddPlanComment(ctx, a, &reply))
	bad := mtvp.PlanComment{PlanID: p.ID, Section: "Z.9", Body: "x"}
	wantField(t, db.AddPlanComment(ctx, a, &bad), "section", "plan.err.section_unknown")
	empty := mtvp.PlanComment{PlanID: p.ID, Section: mtvp.PlanSectionGeneral, Body: "  "}
	wantField(t, db.AddPlanComment(ctx, a, &empty), "body", "err.required")
	cs, err := db.PlanComments(ctx, p.ID)
	must(t, err)
	if len(cs) != 2 || cs[0].Body != "Hoe meten jullie dit?" || cs[1].ParentID != q.ID || cs[1].Section != "A.1" || cs[1].VersionNumber != 1 {
		t.Fatalf("comments %+v", cs)
	}

	// Reviews.
	rv := mtvp.PlanReview{PlanID: p.ID, HeldOn: mtvp.MustDate("2026-01-05"), Works: "Triage", Needs: "Tijd"}
	must(t, db.AddPlanReview(ctx, a, &rv))
	wantField(t, db.AddPlanReview(ctx, a, &mtvp.PlanReview{PlanID: p.ID, HeldOn: mtvp.MustDate("2026-01-05")}), "works", "plan.err.review_empty")
	rvs, err := db.PlanReviews(ctx, p.ID)
	must(t, err)
	if len(rvs) != 1 || rvs[0].Works != "Triage" || rvs[0].HeldOn.String() != "2026-01-05" {
		t.Fatalf("reviews %+v", rvs)
	}

	// Overview: every practice, with or without a plan, in one list.
	ov, err := db.PlanOverview(ctx, r.ID, 2026, 0)
	must(t, err)
	if len(ov) != 2 || ov[0].PracticeID != other.ID || ov[0].Status != mtvp.PlanNone || ov[1].Status != mtvp.PlanConcept || ov[1].Number != 1 || ov[1].LastChange.IsZero() {
		t.Fatalf("overview %+v", ov)
	}
	ov, err = db.PlanOverview(ctx, r.ID, 2026, 999)
	must(t, err)
	if len(ov) != 0 {
		t.Fatalf("consultant filter %+v", ov)
	}

	// Year 2 from year 1: the open actions are carried into the 2027
	// regioplan's interventions.
	next := mtvp.Regioplan{RegionID: r.ID, Year: 2027, Interventions: []mtvp.Intervention{
		{Code: "A.1", Title: "Triagetraining", Element: mtvp.ElementA}, {Code: "D.1", Title: "Positieve gezondheid", Element: mtvp.ElementD, Mandatory: true}}}
	must(t, db.SaveRegioplan(ctx, admin, &next))
	p27, err := db.StartNextYearPlan(ctx, a, pr.ID, 2027)
	must(t, err)
	l := p27.Latest()
	if l.Number != 1 || l.Status != mtvp.PlanConcept || l.Content.Ambition != "Rust" || len(l.Content.Items) != 2 ||
		l.Content.Items[0].InterventionID != next.Interventions[0].ID || len(l.Content.Items[0].Actions) != 1 ||
		l.Content.Items[0].Actions[0].Description != "Loopt" || l.Content.Items[1].Code != "D.1" {
		t.Fatalf("2027 %+v", l.Content)
	}
	_, err = db.StartNextYearPlan(ctx, a, pr.ID, 2029)
	wantCode(t, err, mtvp.ENOTFOUND) // no 2028 plan
	_, err = db.StartNextYearPlan(ctx, a, pr.ID, 2027)
	wantCode(t, err, mtvp.ECONFLICT)
}
