package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestRecordPastSignUp: a group of last year is closed to the practice but
// open to the region admin with the real date; each refusal names
// signed_up_on with its own message and writes nothing; the admin's
// sign-up is audited as recorded afterwards.
func TestRecordPastSignUp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	last := clock.Now().Year() - 1
	g := mtvp.Group{RegionID: f.regionA.ID, Year: last, Name: "Vorig jaar", FacilitatorID: f.users[facilitatorA].ID, Place: "Gulpen", Weekday: 2, Capacity: 6}
	if err := f.db.CreateGroup(ctx, mtvp.SystemActor, &g); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/intervision-groups/" + itoa(g.ID) + "/members"
	body := func(on string) string {
		s := `{"practice_id":` + itoa(f.p1.ID) + `,"person_id":{anna}`
		if on != "" {
			s += `,"signed_up_on":"` + on + `"`
		}
		return s + "}"
	}
	march := mtvp.NewDate(last, time.March, 1).String()
	for _, tc := range []struct {
		who     who
		on, key string
	}{
		{practiceP1, march, "history.err.year_closed"},
		{adminA, "", "history.err.date_required_past"},
		{adminA, "01-03-" + itoa(int64(last)), "api.err.date_format"},
		{adminA, mtvp.NewDate(last+1, time.January, 1).String(), "history.err.date_outside_year"},
	} {
		before := f.auditCount()
		rec := f.send(tc.who, http.MethodPost, path, body(tc.on))
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		_, _, fields := errorOf(t, rec)
		if k, _ := fieldKey(fields, "signed_up_on"); k != tc.key {
			t.Errorf("%s %q: key %q, want %s", tc.who, tc.on, k, tc.key)
		}
		if f.auditCount() != before {
			t.Errorf("%s %q: refused but audited", tc.who, tc.on)
		}
	}
	rec := f.send(adminA, http.MethodPost, path, body(march))
	wantStatus(t, rec, http.StatusCreated)
	id := int64(decodeBody(t, rec)["id"].(float64))
	h, err := f.db.History(ctx, store.EntityMember, id)
	if err != nil || len(h) == 0 {
		t.Fatalf("history %v %v", h, err)
	}
	found := false
	for _, c := range h[0].Changes {
		found = found || (c.Field == "RecordedAfterwards" && c.New == march)
	}
	if !found {
		t.Fatalf("not audited as recorded afterwards: %+v", h[0].Changes)
	}
}

// TestRecordPastFinalisation: the step "definitief" takes finalised_on:
// a practice may not date it in an earlier year, the region admin may;
// the date belongs to that step only.
func TestRecordPastFinalisation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	last := clock.Now().Year() - 1
	rp := mtvp.Regioplan{RegionID: f.regionA.ID, Year: last, Interventions: []mtvp.Intervention{{Code: "A.1", Title: "Triage", Element: mtvp.ElementA}}}
	if err := f.db.SaveRegioplan(ctx, mtvp.SystemActor, &rp); err != nil {
		t.Fatal(err)
	}
	c := mtvp.PlanContent{Ambition: "Meer tijd", Items: []mtvp.PlanItem{{InterventionID: rp.Interventions[0].ID, Goal: "Betere triage"}}}
	pl, err := f.db.SavePlan(ctx, mtvp.SystemActor, f.p1.ID, last, 0, &c)
	if err == nil {
		pl, err = f.db.PlanStep(ctx, mtvp.SystemActor, pl.ID, pl.Version, mtvp.StepShare)
	}
	if err == nil {
		pl, err = f.db.RecordPlanAgreement(ctx, mtvp.SystemActor, pl.ID, pl.Version, mtvp.NewDate(last, time.May, 1), []int64{f.anna.ID})
	}
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/practices/{practice}/plans/" + itoa(int64(last)) + "/steps"
	june := mtvp.NewDate(last, time.June, 3).String()
	step := func(s, on string) string {
		return `{"version":` + itoa(int64(pl.Version)) + `,"step":"` + s + `","finalised_on":"` + on + `"}`
	}
	for _, tc := range []struct {
		who       who
		body, key string
	}{
		{practiceP1, step("definitief", june), "history.err.admin_only"},
		{adminA, step("terug", june), "history.err.finalised_on_step"},
		{adminA, step("definitief", "3-6-"+itoa(int64(last))), "api.err.date_format"},
		{adminA, step("definitief", mtvp.NewDate(last, time.April, 30).String()), "history.err.final_before_discussion"},
	} {
		rec := f.send(tc.who, http.MethodPost, path, tc.body)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		_, _, fields := errorOf(t, rec)
		if k, _ := fieldKey(fields, "finalised_on"); k != tc.key {
			t.Errorf("%s %s: key %q, want %s (%s)", tc.who, tc.body, k, tc.key, rec.Body.String())
		}
	}
	rec := f.send(adminA, http.MethodPost, path, step("definitief", june))
	wantStatus(t, rec, http.StatusCreated)
	got, err := f.db.Plan(ctx, f.p1.ID, last)
	if err != nil {
		t.Fatal(err)
	}
	if l := got.Latest(); l.Status != mtvp.PlanFinal || mtvp.DateOf(l.FinalisedAt).String() != june {
		t.Fatalf("final: %+v", l)
	}
}

// TestWithdrawClaimAndUndoCompletion: a reason is required (422, nothing
// changed); a stale version is 409; the practice cannot withdraw a decided
// claim; both removals are audited with their reason and the norms read
// them at once.
func TestWithdrawClaimAndUndoCompletion(t *testing.T) {
	f := newFixture(t)
	completionWorld(f)
	ctx := context.Background()
	before := f.auditCount()
	rec := f.send(practiceP1, http.MethodPost, "/api/v1/claims/1/withdrawal", `{"version":1,"reason":"  "}`)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if _, _, fields := errorOf(t, rec); fields["reason"] == nil {
		t.Fatalf("no reason: %s", rec.Body.String())
	}
	wantStatus(t, f.send(practiceP1, http.MethodPost, "/api/v1/claims/1/withdrawal", `{"version":7,"reason":"Dubbel"}`), http.StatusConflict)
	if f.auditCount() != before {
		t.Fatal("refused withdrawals were audited")
	}
	c, err := f.db.ClaimByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.DecideClaim(ctx, mtvp.SystemActor, c.ID, c.Version, mtvp.ClaimApproved, ""); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, f.send(practiceP1, http.MethodPost, "/api/v1/claims/1/withdrawal", `{"version":2,"reason":"Dubbel"}`), http.StatusForbidden)
	rec = f.send(adminA, http.MethodPost, "/api/v1/claims/1/withdrawal", `{"version":2,"reason":"Dubbel ingevoerd"}`)
	wantStatus(t, rec, http.StatusCreated)
	wantStatus(t, f.get(adminA, "/api/v1/claims/1"), http.StatusNotFound)
	h, err := f.db.History(ctx, store.EntityClaim, 1)
	if err != nil || len(h) == 0 || h[0].Action != store.ActionDelete {
		t.Fatalf("claim history %+v %v", h, err)
	}
	if !hasChange(h[0].Changes, "Reason", "Dubbel ingevoerd") || !hasChange(h[0].Changes, "Status", "") {
		t.Fatalf("claim audit %+v", h[0].Changes)
	}

	// Lotte's completion counts for the GP norm until it is undone.
	gpActual := func() float64 {
		return complianceReq(t, decodeBody(t, f.get(adminA, "/api/v1/practices/{practice}/compliance")), "scholing_huisartsen")["actual"].(float64)
	}
	if n := gpActual(); n != 1 {
		t.Fatalf("before undo: %v met", n)
	}
	wantStatus(t, f.send(adminA, http.MethodPost, "/api/v1/completions/1/undo", `{}`), http.StatusUnprocessableEntity)
	wantStatus(t, f.send(adminA, http.MethodPost, "/api/v1/completions/1/undo", `{"reason":"Verkeerde persoon"}`), http.StatusCreated)
	if n := gpActual(); n != 0 {
		t.Fatalf("after undo: %v met", n)
	}
	h, err = f.db.History(ctx, store.EntityCompletion, 1)
	if err != nil || len(h) == 0 || !hasChange(h[0].Changes, "Reason", "Verkeerde persoon") {
		t.Fatalf("completion history %+v %v", h, err)
	}
	wantStatus(t, f.send(adminA, http.MethodPost, "/api/v1/completions/1/undo", `{"reason":"Nog eens"}`), http.StatusNotFound)
}

func hasChange(cs []mtvp.Change, field, value string) bool {
	for _, c := range cs {
		if c.Field == field && (value == "" || c.New == value) {
			return true
		}
	}
	return false
}
