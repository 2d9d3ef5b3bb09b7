package web

import (
	"context"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestIntervisionCalendarRotate: the facilitator makes a new calendar link;
// the old URL stops working, the new one works, and the change is audited
// (without the secret). Others who see the group cannot.
func TestIntervisionCalendarRotate(t *testing.T) {
	f := ivWorld(t)
	ctx := context.Background()
	old := f.vars["{token}"]
	ivStatus(t, f.do(practiceP1, "POST", "/regio/{region}/intervisie/{group}/agenda/nieuwe-link", nil), 403)
	ivStatus(t, f.do(anon, "GET", "/intervisie/agenda/"+old, nil), 200)

	page := f.do(facilitatorA, "GET", "/regio/{region}/intervisie/{group}", nil)
	ivStatus(t, page, 200)
	if !strings.Contains(page.Body.String(), "Nieuwe link maken") {
		t.Fatal("the facilitator is not offered a new link")
	}
	if strings.Contains(f.do(practiceP1, "GET", "/regio/{region}/intervisie/{group}", nil).Body.String(), "Nieuwe link maken") {
		t.Fatal("a practice is offered a new link")
	}
	before := f.auditCount()
	ivStatus(t, f.do(facilitatorA, "POST", "/regio/{region}/intervisie/{group}/agenda/nieuwe-link", nil), 303)
	if f.auditCount() != before+1 {
		t.Fatal("rotation not audited")
	}
	tok, err := f.db.GroupCalendarToken(ctx, f.ivID("{group}"))
	if err != nil || tok == old || len(tok) < 32 {
		t.Fatalf("new token %q (%v)", tok, err)
	}
	ivStatus(t, f.do(anon, "GET", "/intervisie/agenda/"+old, nil), 404)
	ivStatus(t, f.do(anon, "GET", "/intervisie/agenda/"+tok, nil), 200)
	page = f.do(facilitatorA, "GET", "/regio/{region}/intervisie/{group}", nil)
	if !strings.Contains(page.Body.String(), "/intervisie/agenda/"+tok) || strings.Contains(page.Body.String(), old) {
		t.Fatal("the group page does not show the new link only")
	}
	hist, err := f.db.History(ctx, store.EntityGroup, f.ivID("{group}"))
	if err != nil || len(hist) == 0 {
		t.Fatal(hist, err)
	}
	last := hist[0]
	if last.Action != store.ActionRotateCalendar || strings.Contains(last.Actor.Name+strings.Join(changeTexts(last.Changes), ""), tok) {
		t.Fatalf("audit entry %+v", last)
	}
}

func changeTexts(cs []mtvp.Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Field, c.Old, c.New)
	}
	return out
}

// TestIntervisionYearDocsForMemberPractices: practices whose people are
// members read the year plan and report (text and file) but cannot change
// them; a practice without members in the group sees neither.
func TestIntervisionYearDocsForMemberPractices(t *testing.T) {
	f := ivWorld(t)
	ctx := context.Background()
	g, err := f.db.GroupByID(ctx, f.ivID("{group}"))
	if err != nil {
		t.Fatal(err)
	}
	g.YearPlan = "Zes bijeenkomsten over regie."
	if _, err := f.db.UpdateGroup(ctx, mtvp.SystemActor, &g); err != nil {
		t.Fatal(err)
	}
	for _, w := range []who{practiceP1, practiceP2} {
		rec := f.do(w, "GET", "/regio/{region}/intervisie/{group}", nil)
		ivStatus(t, rec, 200)
		body := rec.Body.String()
		for _, want := range []string{"Zes bijeenkomsten over regie.", "/bestanden/jaarplan", "jaarplan.pdf"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: group page lacks %q", w, want)
			}
		}
		if strings.Contains(body, "/jaarstukken\"") {
			t.Errorf("%s: offered to edit the year documents", w)
		}
		rec = f.do(w, "GET", "/regio/{region}/intervisie/{group}/bestanden/jaarplan", nil)
		ivStatus(t, rec, 200)
		if !strings.HasPrefix(rec.Body.String(), "%PDF") {
			t.Errorf("%s: file body %q", w, rec.Body.String())
		}
		ivStatus(t, f.do(w, "POST", "/regio/{region}/intervisie/{group}/jaarstukken", nil), 403)
	}
	// The consultant sees the group but is no member practice.
	if strings.Contains(f.do(consultantA, "GET", "/regio/{region}/intervisie/{group}", nil).Body.String(), "Zes bijeenkomsten") {
		t.Error("the consultant reads the year plan")
	}
	// G3 has no members: P1 sees no year documents there.
	rec := f.do(practiceP1, "GET", "/regio/{region}/intervisie/{group3}", nil)
	ivStatus(t, rec, 200)
	if strings.Contains(rec.Body.String(), `id="jaarstukken"`) {
		t.Error("a practice without members sees the year documents")
	}
}
