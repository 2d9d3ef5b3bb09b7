package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestPlanFinalWithPartOfTeamWarns: making a plan final while some current
// staff have not agreed shows who, and goes on only when confirmed; with
// everyone agreeing there is no warning.
func TestPlanFinalWithPartOfTeamWarns(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sys := mtvp.SystemActor
	year := clock.Now().Year()
	today := mtvp.DateOf(clock.Now())
	bert := mtvp.Person{Name: "Bert Jansen"}
	if err := f.db.AddStaff(ctx, sys, f.p1.ID, &bert, &mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.6, From: mtvp.MustDate("2021-01-01")}); err != nil {
		t.Fatal(err)
	}
	rp := mtvp.Regioplan{RegionID: f.regionA.ID, Year: year, Interventions: []mtvp.Intervention{{Code: "A.1", Element: mtvp.ElementA, Title: "Triagetraining"}}}
	if year != f.year {
		if err := f.db.SaveRegioplan(ctx, sys, &rp); err != nil {
			t.Fatal(err)
		}
	}
	c := mtvp.PlanContent{Ambition: "Rust in de praktijk"}
	pl, err := f.db.SavePlan(ctx, sys, f.p1.ID, year, 0, &c)
	if err != nil {
		t.Fatal(err)
	}
	if pl, err = f.db.PlanStep(ctx, sys, pl.ID, pl.Version, mtvp.StepShare); err != nil {
		t.Fatal(err)
	}
	if pl, err = f.db.RecordPlanAgreement(ctx, sys, pl.ID, pl.Version, today, []int64{f.person.ID}); err != nil {
		t.Fatal(err)
	}
	base := "/regio/{region}/praktijken/{practice}/plan/" + strconv.Itoa(year) + "/stap/definitief"
	v := strconv.Itoa(pl.Version)

	rec := f.do(practiceP1, "GET", base, nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `id="plan-not-agreed"`) || !strings.Contains(body, "Bert Jansen") || !strings.Contains(body, `name="partial_ok"`) {
		t.Fatalf("step page lacks the warning naming Bert (%d)", rec.Code)
	}
	if strings.Contains(body[strings.Index(body, `id="plan-not-agreed"`):], f.person.Name+"</li>") {
		t.Errorf("Anna agreed but is listed")
	}
	rec = f.do(practiceP1, "POST", base, url.Values{"version": {v}})
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "Niet iedereen heeft ingestemd.") || !strings.Contains(rec.Body.String(), `aria-invalid="true"`) {
		t.Fatalf("unconfirmed: %d", rec.Code)
	}
	if got, _ := f.db.Plan(ctx, f.p1.ID, year); got.Latest().Status != mtvp.PlanDiscussion {
		t.Fatalf("unconfirmed step changed the plan: %s", got.Latest().Status)
	}
	rec = f.do(practiceP1, "POST", base, url.Values{"version": {v}, "partial_ok": {"1"}})
	if rec.Code != 303 {
		t.Fatalf("confirmed: %d %s", rec.Code, rec.Body.String())
	}
	if got, _ := f.db.Plan(ctx, f.p1.ID, year); got.Latest().Status != mtvp.PlanFinal {
		t.Fatalf("confirmed step: %s", got.Latest().Status)
	}
}
