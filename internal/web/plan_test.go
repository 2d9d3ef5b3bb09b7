package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/export/pdftext"
	"meertijd/internal/mtvp"
)

// TestPlanFlow writes, conflicts, shares, agrees, finalises and exports a
// plan through the web pages.
func TestPlanFlow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := "/regio/{region}/praktijken/{practice}/plan/2026"
	check := func(what string, code, want int, body string, contains ...string) {
		t.Helper()
		if code != want {
			t.Fatalf("%s: status %d, want %d\n%.2000s", what, code, want, body)
		}
		for _, c := range contains {
			if !strings.Contains(body, c) {
				t.Fatalf("%s: body lacks %q\n%.4000s", what, c, body)
			}
		}
		if m := rawKey.FindString(body); m != "" {
			t.Fatalf("%s: raw message key %q", what, m)
		}
	}
	noPlan := func(what string) {
		t.Helper()
		if _, err := f.db.Plan(ctx, f.p1.ID, 2026); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
			t.Fatalf("%s: a plan was saved (%v)", what, err)
		}
	}

	rec := f.do(practiceP1, "GET", base, nil)
	check("empty plan page", rec.Code, 200, rec.Body.String(), "Er is nog geen plan van aanpak", "Plan schrijven")
	rec = f.do(practiceP1, "GET", base+"/bewerken", nil)
	check("new form", rec.Code, 200, rec.Body.String(), "A.1 Triagetraining", `name="items.A.1.count" value="1"`)

	form := url.Values{"version": {"0"}, "base": {"0"}, "ambition": {"Meer tijd voor het goede gesprek"},
		"items.A.1.current": {"De telefoon loopt vol"}, "items.A.1.goal": {"Rust aan de balie"}, "items.A.1.count": {"1"},
		"items.A.1.actions.0.description": {"Triagetraining volgen"}, "items.A.1.actions.0.owner": {"Assistenten"},
		"items.A.1.actions.0.start": {"2026-03-01"}, "items.A.1.actions.0.end": {"2026-02-01"}, "items.A.1.actions.0.status": {"gepland"}}
	// "Add action" re-renders with one more row and saves nothing.
	add := cloneValues(form)
	add.Set("add_action", "A.1")
	rec = f.do(practiceP1, "POST", base, add)
	check("add action", rec.Code, 200, rec.Body.String(), `name="items.A.1.count" value="3"`, "Triagetraining volgen")
	noPlan("add action")
	// Bad input: message beside the field, 422, nothing saved.
	rec = f.do(practiceP1, "POST", base, form)
	check("end before start", rec.Code, 422, rec.Body.String(), "Het einde ligt vóór de start.", `id="f-items-A-1-actions-0-end-error"`)
	noPlan("bad input")
	// The consultant reads but never writes.
	rec = f.do(consultantA, "POST", base, form)
	check("consultant save", rec.Code, 403, rec.Body.String())
	noPlan("consultant")

	form.Set("items.A.1.actions.0.end", "2026-06-30")
	rec = f.do(practiceP1, "POST", base, form)
	check("save", rec.Code, 303, rec.Body.String())
	// A second writer who opened the empty form is refused and sees what
	// changed meanwhile; nothing is overwritten.
	other := cloneValues(form)
	other.Set("ambition", "Iets heel anders")
	rec = f.do(adminA, "POST", base, other)
	check("conflict", rec.Code, 409, rec.Body.String(), "Iemand anders heeft het plan intussen opgeslagen", "Meer tijd voor het goede gesprek", "Iets heel anders", `name="version" value="1"`)
	pl, err := f.db.Plan(ctx, f.p1.ID, 2026)
	if err != nil || len(pl.Versions) != 1 || pl.Latest().Content.Ambition != "Meer tijd voor het goede gesprek" {
		t.Fatalf("after conflict: %+v %v", pl.Versions, err)
	}
	// Version 2 changes the owner: the diff shows it per field.
	form.Set("version", "1")
	form.Set("base", "1")
	form.Set("items.A.1.actions.0.owner", "Anna de Vries")
	rec = f.do(practiceP1, "POST", base, form)
	check("save 2", rec.Code, 303, rec.Body.String())
	// After saving, the page shows the version just saved.
	if loc := rec.Header().Get("Location"); !strings.HasSuffix(loc, "/plan/2026?versie=2") {
		t.Errorf("after saving: redirect to %q", loc)
	}
	rec = f.do(consultantA, "GET", base+"?van=1&naar=2", nil)
	check("diff", rec.Code, 200, rec.Body.String(), "Actie 1: Wie", "Assistenten", "Anna de Vries", "Opmerking plaatsen")
	if strings.Contains(rec.Body.String(), "/bewerken") {
		t.Fatal("the consultant is offered the edit form")
	}

	// Finalising needs sharing and a recorded discussion.
	rec = f.do(practiceP1, "GET", base+"/stap/definitief", nil)
	check("finalise from concept", rec.Code, 200, rec.Body.String(), "Dit kan alleen als het plan in bespreking is; het is nu concept.")
	rec = f.do(practiceP1, "POST", base+"/stap/delen", url.Values{"version": {"2"}})
	check("share", rec.Code, 303, rec.Body.String())
	rec = f.do(practiceP1, "POST", base+"/stap/definitief", url.Values{"version": {"3"}})
	check("finalise undiscussed", rec.Code, 422, rec.Body.String(), "leg eerst vast wanneer het team het besprak")
	rec = f.do(practiceP1, "POST", base+"/instemming", url.Values{"version": {"3"}, "discussed_on": {"2026-02-01"}})
	check("agreement without people", rec.Code, 422, rec.Body.String(), "Leg vast welke medewerkers met het plan instemmen.")
	rec = f.do(practiceP1, "POST", base+"/instemming", url.Values{"version": {"3"}, "discussed_on": {"2026-02-01"}, "agreed": {strconv.FormatInt(f.person.ID, 10)}})
	check("agreement", rec.Code, 303, rec.Body.String())
	rec = f.do(practiceP1, "POST", base+"/stap/definitief", url.Values{"version": {"4"}})
	check("finalise", rec.Code, 303, rec.Body.String())

	rec = f.do(adminA, "GET", "/regio/{region}/plannen?jaar=2026", nil)
	check("region view", rec.Code, 200, rec.Body.String(), "Praktijk Een", "definitief", "geen plan")

	// English pages: translated, no raw message keys.
	for _, pg := range []struct {
		w    who
		path string
		want string
	}{
		{practiceP1, base + "?van=1&naar=2", "Plan of approach 2026"},
		{practiceP1, base + "/stap/herzien", "Revise (new draft version)"},
		{practiceP1, base + "/bewerken", "The plan is final. Revise it"},
		{consultantA, base, "Comments on the plan as a whole"},
		{adminA, "/regio/{region}/plannen?jaar=2026&status=definitief", "1 of 2 practices"},
	} {
		req := httptest.NewRequest("GET", f.expand(pg.path), nil)
		req.AddCookie(englishCookie(t, f, pg.w))
		rec := httptest.NewRecorder()
		f.handler.ServeHTTP(rec, req)
		check("english "+pg.path, rec.Code, 200, rec.Body.String(), pg.want)
		if m := rawKey.FindString(rec.Body.String()); m != "" {
			t.Errorf("%s: raw message key %q", pg.path, m)
		}
	}

	rec = f.do(practiceP1, "POST", base+"/teamoverleg", url.Values{"held_on": {"2026-02-10"}, "works": {"De belafspraken werken"}, "needs": {"Meer tijd voor overleg"}})
	check("team review", rec.Code, 303, rec.Body.String())
	rec = f.do(practiceP1, "GET", base+"/pdf", nil)
	check("pdf", rec.Code, 200, "")
	if ct := rec.Header().Get("Content-Type"); ct != "application/pdf" {
		t.Fatalf("content type %q", ct)
	}
	txt := pdftext.Extract(t, rec.Body.Bytes())
	for _, want := range []string{"Plan van aanpak 2026", "Praktijk Een · Versie 2 · definitief", "Meer tijd voor het goede gesprek",
		"A.1 Triagetraining (verplicht)", "De telefoon loopt vol", "Triagetraining volgen", "Anna de Vries", "01-03-2026", "30-06-2026",
		"gepland", "Besproken in het team op", "1 februari 2026", "Afgedrukt op",
		"Teamoverleg", "Overleg op 10 februari 2026", "Wat werkt?", "De belafspraken werken", "Wat heeft ieder nodig?", "Meer tijd voor overleg"} {
		if !strings.Contains(txt, want) {
			t.Errorf("PDF lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "Uitkomsten") {
		t.Error("PDF has an outcomes section without any indicator")
	}
	// With indicators the plan ends with the practice's outcomes beside
	// the region's and the country's.
	indicatorWorld(f)
	rec = f.do(practiceP1, "GET", base+"/pdf", nil)
	check("pdf with outcomes", rec.Code, 200, "")
	txt = pdftext.Extract(t, rec.Body.Bytes())
	for _, want := range []string{"Uitkomsten", "Consulten per verzekerde", "Signaal: 8 kwartalen op rij", "Bron van de regiocijfers: CZ."} {
		if !strings.Contains(txt, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	if strings.Contains(txt, "Praktijk Twee") {
		t.Error("P1's plan shows another practice")
	}
}

// englishCookie signs w in with English chosen for the session.
func englishCookie(t *testing.T, f *fixture, w who) *http.Cookie {
	t.Helper()
	ctx, err := f.srv.sessions.Load(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	f.srv.sessions.Put(ctx, sessUserID, f.users[w].ID)
	f.srv.sessions.Put(ctx, sessMFADone, true)
	f.srv.sessions.Put(ctx, sessLang, "en")
	token, _, err := f.srv.sessions.Commit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Cookie{Name: f.srv.sessions.Cookie.Name, Value: token}
}

var rawKey = regexp.MustCompile(`\bplan\.[a-z_]+\.[a-z_.-]*`)

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
