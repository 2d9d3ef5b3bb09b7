package web

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// TestPlanStepConflictShowsChanges: a workflow step confirmed after
// someone else changed the plan is refused (409), changes nothing, and
// shows what changed meanwhile; confirming again with the new version works.
func TestPlanStepConflictShowsChanges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := "/regio/{region}/praktijken/{practice}/plan/2026"
	c := mtvp.PlanContent{Ambition: "Rust aan de balie"}
	if _, err := f.db.SavePlan(ctx, mtvp.SystemActor, f.p1.ID, 2026, 0, &c); err != nil {
		t.Fatal(err)
	}
	// The practice opens "delen"; the form carries what it saw.
	rec := f.do(practiceP1, "GET", base+"/stap/delen", nil)
	if rec.Code != 200 {
		t.Fatalf("step page: %d", rec.Code)
	}
	form := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`).FindAllStringSubmatch(rec.Body.String(), -1) {
		form.Set(m[1], m[2])
	}
	if form.Get("version") == "" || form.Get("base") != "1" || form.Get("base_status") != "concept" {
		t.Fatalf("step form fields: %v", form)
	}
	// Meanwhile the region admin saves a new text.
	c2 := mtvp.PlanContent{Ambition: "Meer tijd voor het goede gesprek"}
	pl, err := f.db.SavePlan(ctx, mtvp.SystemActor, f.p1.ID, 2026, 1, &c2)
	if err != nil {
		t.Fatal(err)
	}
	rec = f.do(practiceP1, "POST", base+"/stap/delen", form)
	body := bodyOf(rec)
	if rec.Code != 409 {
		t.Fatalf("stale step: status %d\n%.3000s", rec.Code, body)
	}
	for _, want := range []string{"hieronder ziet u wat er intussen veranderde", "Intussen gewijzigd door een ander",
		"concept (Versie 1)", "concept (Versie 2)", "Rust aan de balie", "Meer tijd voor het goede gesprek",
		`name="version" value="` + strconv.Itoa(pl.Version) + `"`, `name="base" value="2"`} {
		if !strings.Contains(body, want) {
			t.Errorf("conflict page lacks %q\n%.4000s", want, body)
		}
	}
	now, err := f.db.Plan(ctx, f.p1.ID, 2026)
	if err != nil || now.Latest().Status != mtvp.PlanConcept || now.Version != pl.Version {
		t.Fatalf("the stale step changed the plan: %+v %v", now.Latest(), err)
	}
	// Confirming again with the version shown goes through.
	form.Set("version", strconv.Itoa(pl.Version))
	form.Set("base", "2")
	if rec = f.do(practiceP1, "POST", base+"/stap/delen", form); rec.Code != 303 {
		t.Fatalf("second confirm: %d", rec.Code)
	}
}
