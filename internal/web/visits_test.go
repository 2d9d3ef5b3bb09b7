package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestVisitPlanRecordAndRead: P1's consultant plans the annual visit and
// records it along P1's plan; the practice sees the report only once
// recorded; a stale save is 409 with what changed; the region's coverage
// counts the visit.
func TestVisitPlanRecordAndRead(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	today := mtvp.DateOf(clock.Now())
	year := today.Year()
	if year != f.year {
		rp := mtvp.Regioplan{RegionID: f.regionA.ID, Year: year, Interventions: []mtvp.Intervention{{Code: "A.1", Element: mtvp.ElementA, Title: "Triagetraining", Mandatory: true}}}
		if err := f.db.SaveRegioplan(ctx, mtvp.SystemActor, &rp); err != nil {
			t.Fatal(err)
		}
	}
	c := mtvp.PlanContent{Ambition: "Meer tijd"}
	pl, err := f.db.SavePlan(ctx, mtvp.SystemActor, f.p1.ID, year, 0, &c)
	if err != nil {
		t.Fatal(err)
	}
	a1 := pl.Current().Content.Items[0].InterventionID
	base := "/regio/regio-a/praktijken/" + strconv.FormatInt(f.p1.ID, 10) + "/bezoeken"

	// Plan: a date outside any sensible form is refused with the field named.
	rec := f.do(consultantA, http.MethodPost, base, url.Values{"planned_on": {"morgen"}})
	wantStatus(t, rec.Code, http.StatusUnprocessableEntity, rec.Body.String())
	if !strings.Contains(bodyOf(rec), `id="f-planned-on-error"`) {
		t.Fatalf("no field error: %s", bodyOf(rec))
	}
	rec = f.do(consultantA, http.MethodPost, base, url.Values{"planned_on": {today.String()}})
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	visit := rec.Header().Get("Location")
	if !strings.HasPrefix(visit, base+"/") {
		t.Fatalf("location %q", visit)
	}
	// The practice does not see a planned visit.
	rec = f.do(practiceP1, http.MethodGet, visit, nil)
	wantStatus(t, rec.Code, http.StatusNotFound, rec.Body.String())
	rec = f.do(practiceP1, http.MethodGet, base, nil)
	wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
	if strings.Contains(bodyOf(rec), visit) {
		t.Fatal("practice list shows the planned visit")
	}

	// The report form follows the plan.
	rec = f.do(consultantA, http.MethodGet, visit+"/verslag", nil)
	wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
	body := bodyOf(rec)
	fid := "finding." + strconv.FormatInt(a1, 10)
	if !strings.Contains(body, "A.1 Triagetraining") || !strings.Contains(body, `name="`+fid+`.obstacles"`) {
		t.Fatalf("report form: %s", body)
	}
	orig := url.Values{}
	for _, m := range strings.Split(body, `<input type="hidden" name="orig_`)[1:] {
		name := m[:strings.Index(m, `"`)]
		v := m[strings.Index(m, `value="`)+7:]
		orig.Set("orig_"+name, v[:strings.Index(v, `"`)])
	}
	form := url.Values{"version": {"1"}, "visited_on": {today.String()}, "judgement": {""}, "action_rows": {"3"},
		fid + ".deployment": {"Assistenten trieren met de NTS"}, fid + ".obstacles": {"Te weinig tijd voor scholing"},
		"action.1.description": {"Scholing plannen"}, "action.1.owner": {"Praktijkmanager"}, "action.1.due": {today.AddDays(-3).String()}}
	for k, v := range orig {
		form[k] = v
	}
	rec = f.do(consultantA, http.MethodPost, visit+"/verslag", form)
	wantStatus(t, rec.Code, http.StatusUnprocessableEntity, rec.Body.String())
	body = bodyOf(rec)
	// The action typed in row 1 is shown as row 0 with its error there.
	for _, want := range []string{`id="f-judgement-error"`, `id="f-action-0-due-error"`, "Te weinig tijd voor scholing", `value="Scholing plannen"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("422 page lacks %q: %s", want, body)
		}
	}
	form.Set("judgement", "Goed op weg")
	form.Set("action.1.due", today.String())
	rec = f.do(consultantA, http.MethodPost, visit+"/verslag", form)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())

	// The practice reads its report now.
	rec = f.do(practiceP1, http.MethodGet, visit, nil)
	wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
	body = bodyOf(rec)
	for _, want := range []string{"Goed op weg", "Te weinig tijd voor scholing", "Scholing plannen", "Praktijkmanager"} {
		if !strings.Contains(body, want) {
			t.Fatalf("practice's report lacks %q", want)
		}
	}
	if strings.Contains(body, "/verslag") {
		t.Fatal("practice is offered the report form")
	}

	// A second save on the form opened before: 409, nothing overwritten,
	// the change by the other shown.
	form.Set("judgement", "Anders")
	rec = f.do(adminA, http.MethodPost, visit+"/verslag", form)
	wantStatus(t, rec.Code, http.StatusConflict, rec.Body.String())
	body = bodyOf(rec)
	if !strings.Contains(body, "Iemand anders heeft dit bezoek") || !strings.Contains(body, "Goed op weg") || !strings.Contains(body, "Oordeel") {
		t.Fatalf("conflict page: %s", body)
	}
	id, _ := strconv.ParseInt(visit[strings.LastIndex(visit, "/")+1:], 10, 64)
	v, err := f.db.VisitByID(ctx, id)
	if err != nil || v.Judgement != "Goed op weg" {
		t.Fatalf("after conflict: %+v %v", v, err)
	}

	// Coverage: P1 visited, P2 (no visit) not planned.
	rec = f.do(adminA, http.MethodGet, "/regio/regio-a/bezoeken?jaar="+strconv.Itoa(year), nil)
	wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
	body = bodyOf(rec)
	if !strings.Contains(body, "1 van 2 praktijken bezocht") || !strings.Contains(body, "Praktijk Twee") {
		t.Fatalf("coverage: %s", body)
	}
	rec = f.do(adminA, http.MethodGet, "/regio/regio-a/bezoeken?jaar="+strconv.Itoa(year)+"&status=bezocht", nil)
	if body = bodyOf(rec); strings.Contains(body, "Praktijk Twee") || !strings.Contains(body, "Praktijk Een") {
		t.Fatalf("filtered coverage: %s", body)
	}
	// The region's history names the visit and its report.
	rec = f.do(adminA, http.MethodGet, "/regio/regio-a/historie", nil)
	wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
	if body = bodyOf(rec); !strings.Contains(body, "Bezoek") || !strings.Contains(body, "verslag vastgelegd") || !strings.Contains(body, "Goed op weg") {
		t.Fatalf("history: %s", body)
	}
	// Findings and statuses in words, not as stored codes.
	if strings.Contains(body, "Findings ") || !strings.Contains(body, "Bevindingen ") || !strings.Contains(body, "Afgerond") {
		t.Fatalf("history labels: %s", body)
	}
	// "Mijn bezoeken" of consultant A lists P1 as visited.
	rec = f.do(consultantA, http.MethodGet, "/regio/regio-a/mijn-bezoeken", nil)
	wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
	if body = bodyOf(rec); !strings.Contains(body, "Bezocht (1)") || strings.Contains(body, "Praktijk Twee") {
		t.Fatalf("my visits: %s", body)
	}
}

// TestVisitNavLinks: "Mijn bezoeken" for consultants, "Bezoeken" for region
// admins, neither for practices, facilitators and funders; the practice
// page links to its visits for everyone who sees it.
func TestVisitNavLinks(t *testing.T) {
	f := newFixture(t)
	const mine, coverage = `href="/regio/regio-a/mijn-bezoeken"`, `href="/regio/regio-a/bezoeken"`
	for w, want := range map[who][2]bool{
		consultantA: {true, false}, consultantA2: {true, false}, adminA: {false, true}, platform: {false, true},
		practiceP1: {false, false}, facilitatorA: {false, false},
	} {
		rec := f.do(w, http.MethodGet, "/regio/{region}", nil)
		wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
		nav := rec.Body.String()
		if i := strings.Index(nav, `class="site-nav`); i >= 0 {
			nav = nav[i:]
			nav = nav[:strings.Index(nav, "</nav>")]
		}
		if strings.Contains(nav, mine) != want[0] || strings.Contains(nav, coverage) != want[1] {
			t.Errorf("%s: menu %q", w, nav)
		}
	}
	rec := f.do(funderA, http.MethodGet, "/account", nil)
	if body := rec.Body.String(); strings.Contains(body, "bezoeken\"") {
		t.Errorf("funder menu offers visits")
	}
	for _, w := range []who{practiceP1, consultantA, adminA} {
		body := f.do(w, http.MethodGet, "/regio/{region}/praktijken/{practice}", nil).Body.String()
		if !strings.Contains(body, f.expand("/regio/{region}/praktijken/{practice}")+`/bezoeken"`) {
			t.Errorf("%s: practice page lacks the visits link", w)
		}
	}
	// The current page is marked.
	if body := f.do(adminA, http.MethodGet, "/regio/{region}/bezoeken", nil).Body.String(); !strings.Contains(body, coverage+` aria-current="page"`) {
		t.Error("coverage not marked current")
	}
	if body := f.do(consultantA, http.MethodGet, "/regio/{region}/mijn-bezoeken", nil).Body.String(); !strings.Contains(body, mine+` aria-current="page"`) {
		t.Error("my visits not marked current")
	}
}

// TestVisitPlanningConflictAndCancel: two planners on one visit: the stale
// one gets 409 with what changed and saves nothing; cancelling frees the
// year for a new visit.
func TestVisitPlanningConflictAndCancel(t *testing.T) {
	f := newFixture(t)
	visitWorld(f)
	today := mtvp.DateOf(clock.Now())
	moved := today.AddDays(-1)
	if moved.Year() != today.Year() {
		moved = today.AddDays(1)
	}
	path := "/regio/regio-a/praktijken/" + strconv.FormatInt(f.p1.ID, 10) + "/bezoeken/1"
	orig := url.Values{"orig_planned_on": {today.String()}, "orig_consultant": {string(consultantA)}, "orig_status": {"gepland"}}
	form := func(date, status string) url.Values {
		v := url.Values{"version": {"1"}, "planned_on": {date}, "status": {status}}
		for k, x := range orig {
			v[k] = x
		}
		return v
	}
	rec := f.do(consultantA, http.MethodPost, path, form(moved.String(), "gepland"))
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	rec = f.do(adminA, http.MethodPost, path, form(today.String(), "geannuleerd"))
	wantStatus(t, rec.Code, http.StatusConflict, rec.Body.String())
	if body := bodyOf(rec); !strings.Contains(body, "Geplande datum") || !strings.Contains(body, moved.Short()) {
		t.Fatalf("conflict: %s", body)
	}
	v, err := f.db.VisitByID(context.Background(), 1)
	if err != nil || v.Status != mtvp.VisitPlanned || !v.PlannedOn.Equal(moved) {
		t.Fatalf("after conflict: %+v %v", v, err)
	}
	// Cancel with the current version; then a new visit may be planned.
	cancel := form(moved.String(), "geannuleerd")
	cancel.Set("version", "2")
	rec = f.do(adminA, http.MethodPost, path, cancel)
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	rec = f.do(consultantA, http.MethodPost, "/regio/regio-a/praktijken/"+strconv.FormatInt(f.p1.ID, 10)+"/bezoeken", url.Values{"planned_on": {today.String()}})
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	// The practice sees neither the cancelled nor the new planned visit.
	wantStatus(t, f.do(practiceP1, http.MethodGet, path, nil).Code, http.StatusNotFound, "")
}

// TestVisitNoPlanNamesTheYear: the report form of a visit to a practice
// without a plan says for which year the plan is missing.
func TestVisitNoPlanNamesTheYear(t *testing.T) {
	f := newFixture(t)
	today := mtvp.DateOf(clock.Now())
	base := "/regio/regio-a/praktijken/" + strconv.FormatInt(f.p1.ID, 10) + "/bezoeken"
	rec := f.do(consultantA, http.MethodPost, base, url.Values{"planned_on": {today.String()}})
	wantStatus(t, rec.Code, http.StatusSeeOther, rec.Body.String())
	rec = f.do(consultantA, http.MethodGet, rec.Header().Get("Location")+"/verslag", nil)
	wantStatus(t, rec.Code, http.StatusOK, rec.Body.String())
	want := "De praktijk heeft voor " + strconv.Itoa(today.Year()) + " (het jaar van dit bezoek) nog geen plan van aanpak."
	if !strings.Contains(bodyOf(rec), want) {
		t.Errorf("report form lacks %q", want)
	}
}
