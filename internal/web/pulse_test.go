package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

var pulseLinkPattern = regexp.MustCompile(`/peiling/([A-Za-z0-9_-]+)`)

// TestPulseFlow: the region admin starts the quarter's pulse (a mail per
// staff member with an address, in their language), staff answer by the
// practice's link and a personal link without logging in, figures appear
// only after closing and over at least five answers, and the region figure
// never lets a viewer work out another practice's figures.
func TestPulseFlow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sys := mtvp.SystemActor
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	staff := func(p mtvp.Practice, name, email string) {
		pe := mtvp.Person{Name: name, Email: email}
		m := mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.5, From: mtvp.MustDate("2020-01-01")}
		must(f.db.AddStaff(ctx, sys, p.ID, &pe, &m))
	}
	for _, n := range []string{"Bas", "Cor", "Dirk", "Eef", "Fien"} {
		staff(f.p1, n+" Assistent", "")
		staff(f.p2, n+" Twee", "")
	}
	staff(f.p2, "Gert Engels", "gert@praktijktwee.nl")
	en := mtvp.User{Email: "gert@praktijktwee.nl", Name: "Gert Engels", Locale: "en", Grants: []mtvp.Grant{{Role: mtvp.AccountPractice, RegionID: f.regionA.ID, PracticeID: f.p2.ID}}}
	must(f.db.CreateUser(ctx, sys, &en, ""))

	// Last quarter's pulse, held before: P1 answered five times.
	prev := mtvp.QuarterOf(mtvp.DateOf(clock.Now()).AddDays(-100))
	for prev == mtvp.QuarterOf(mtvp.DateOf(clock.Now())) {
		prev = mtvp.QuarterOf(prev.Start().AddDays(-1))
	}
	must(f.db.StartPulse(ctx, sys, &store.PulseStart{Round: &mtvp.PulseRound{RegionID: f.regionA.ID, Quarter: prev, OpenedOn: prev.Start()},
		Practices: []store.PulsePractice{{PracticeID: f.p1.ID, LinkToken: "p1-before", Staff: 6}}}))
	for i := 0; i < 5; i++ {
		must(f.db.AnswerPulse(ctx, "p1-before", "", mtvp.PulseAnswer{Workload: 9, Satisfaction: 4, TimeForPatient: 3}, prev.Start().AddDays(i)))
	}

	base := "/regio/regio-a/peiling"
	if rec := f.do(adminA, http.MethodPost, base, nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("start: %d %s", rec.Code, rec.Body.String())
	}
	// A second start in the same quarter changes nothing.
	n := f.auditCount()
	if rec := f.do(adminA, http.MethodPost, base, nil); rec.Code != http.StatusSeeOther || f.auditCount() != n {
		t.Fatalf("second start: %d, %d audit entries", rec.Code, f.auditCount()-n)
	}
	mails, err := f.db.ListMail(ctx, f.regionA.ID, 100)
	must(err)
	personal := map[string]string{}
	for _, m := range mails {
		if m.Kind != "pulse" {
			continue
		}
		link := pulseLinkPattern.FindStringSubmatch(m.Text)
		if link == nil {
			t.Fatalf("mail to %s without a link: %s", m.To, m.Text)
		}
		personal[m.To] = link[1]
		switch m.To {
		case "anna@praktijkeen.nl":
			if m.Locale != "nl" || !strings.Contains(m.Subject, "Praktijk Een") || !strings.Contains(m.Text, "anoniem") {
				t.Errorf("Dutch mail: %s %q", m.Locale, m.Subject)
			}
		case "gert@praktijktwee.nl":
			if m.Locale != "en" || !strings.Contains(m.Text, "anonymous") {
				t.Errorf("English mail: %s %q", m.Locale, m.Subject)
			}
		}
	}
	if len(personal) != 2 {
		t.Fatalf("pulse mails to %v, want Anna and Gert", personal)
	}
	// The outbox shows the mails without the personal links.
	for _, m := range mails {
		if m.Kind == "pulse" {
			page := f.do(adminA, http.MethodGet, "/regio/regio-a/berichten/"+itoa64(m.ID), nil)
			if body := page.Body.String(); page.Code != 200 || strings.Contains(body, personal[m.To]) || !strings.Contains(body, "/peiling/…") {
				t.Errorf("outbox mail %d: %d, personal link shown", m.ID, page.Code)
			}
		}
	}

	// The practice sees its link; the answer page needs no login.
	page := f.do(practiceP1, http.MethodGet, "/regio/regio-a/praktijken/{practice}/peiling", nil)
	link := pulseLinkPattern.FindStringSubmatch(page.Body.String())
	if page.Code != 200 || link == nil {
		t.Fatalf("practice page %d without a link", page.Code)
	}
	p1Link := "/peiling/" + link[1]
	if rec := f.do(anon, http.MethodGet, p1Link, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Hoe ervaart u uw werkdruk?") {
		t.Fatalf("questionnaire: %d", rec.Code)
	}
	answer := func(path string, w, s, tp, comment string) int {
		t.Helper()
		return f.do(anon, http.MethodPost, path, url.Values{"workload": {w}, "satisfaction": {s}, "time_for_patient": {tp}, "comment": {comment}}).Code
	}
	// A bad answer: a Dutch message per question, nothing saved.
	rec := f.do(anon, http.MethodPost, p1Link, url.Values{"workload": {"11"}, "time_for_patient": {"x"}})
	if body := rec.Body.String(); rec.Code != http.StatusUnprocessableEntity || strings.Count(body, "Kies een getal van 0 tot en met 10.") < 3 {
		t.Errorf("bad answer: %d", rec.Code)
	}
	for i, v := range []string{"6", "7", "8", "5", "9"} {
		if c := answer(p1Link, v, "8", "4", []string{"Minder administratie", "", "Meer tijd", "", "Fijn team"}[i]); c != 200 {
			t.Fatalf("answer %d: %d", i, c)
		}
	}
	// The personal link works once.
	if c := answer("/peiling/"+personal["gert@praktijktwee.nl"], "3", "5", "5", ""); c != 200 {
		t.Fatalf("personal answer: %d", c)
	}
	if c := answer("/peiling/"+personal["gert@praktijktwee.nl"], "3", "5", "5", ""); c != http.StatusConflict {
		t.Errorf("personal link twice: %d", c)
	}
	page = f.do(practiceP2, http.MethodGet, "/regio/regio-a/praktijken/"+itoa64(f.p2.ID)+"/peiling", nil)
	p2Link := "/peiling/" + pulseLinkPattern.FindStringSubmatch(page.Body.String())[1]
	for i := 0; i < 3; i++ {
		if c := answer(p2Link, "2", "6", "6", ""); c != 200 {
			t.Fatalf("P2 answer: %d", c)
		}
	}
	// Open: no figures yet, only the response.
	body := f.do(adminA, http.MethodGet, base, nil).Body.String()
	if !strings.Contains(body, "uitkomst volgt als de peiling gesloten is") || strings.Contains(body, "7,0") {
		t.Errorf("open round shows figures")
	}

	rounds, err := f.db.PulseRounds(ctx, f.regionA.ID)
	must(err)
	if rec := f.do(adminA, http.MethodPost, base+"/"+itoa64(rounds[0].ID)+"/sluiten", url.Values{"version": {"1"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("close: %d", rec.Code)
	}
	if c := answer(p2Link, "2", "6", "6", ""); c != http.StatusConflict {
		t.Errorf("answer after closing: %d", c)
	}

	// P1: 5 answers, workload (6+7+8+5+9)/5 = 7,0; P2: 4 answers.
	admin := f.do(adminA, http.MethodGet, base, nil).Body.String()
	if !strings.Contains(admin, "7,0") || !strings.Contains(admin, "te weinig antwoorden") {
		t.Errorf("admin: no P1 figure or no 'te weinig antwoorden' for P2")
	}
	// The funder sees no practices, and the region is P1 alone: hidden.
	funder := f.do(funderA, http.MethodGet, base, nil).Body.String()
	if strings.Contains(funder, "7,0") || strings.Contains(funder, "Praktijk Een") || !strings.Contains(funder, "te weinig praktijken") {
		t.Errorf("funder sees figures of one practice")
	}
	// P2 (too few) sees no figures of its own, and the region (P1 alone)
	// is hidden from it too.
	p2 := f.do(practiceP2, http.MethodGet, "/regio/regio-a/praktijken/"+itoa64(f.p2.ID)+"/peiling", nil).Body.String()
	if strings.Contains(p2, "7,0") || !strings.Contains(p2, "te weinig antwoorden") || !strings.Contains(p2, "te weinig praktijken") {
		t.Errorf("P2's page shows P1's figures")
	}
	// P1 sees its figures and its comments, in alphabetical order.
	p1 := f.do(practiceP1, http.MethodGet, "/regio/regio-a/praktijken/{practice}/peiling", nil).Body.String()
	fijn, meer, minder := strings.Index(p1, "Fijn team"), strings.Index(p1, "Meer tijd"), strings.Index(p1, "Minder administratie")
	if !strings.Contains(p1, "7,0") || fijn < 0 || !(fijn < meer && meer < minder) {
		t.Errorf("P1's page: figures or comments missing")
	}
	// Two quarters with figures: the trend is drawn too (9,0 before).
	if !strings.Contains(p1, `<svg`) || !strings.Contains(p1, "9,0") || strings.Count(p1, "<svg") != 1 {
		t.Errorf("P1's page: no trend chart of two quarters")
	}
	// The consultant of P1 sees the region page with P1 only.
	cons := f.do(consultantA, http.MethodGet, base, nil).Body.String()
	if !strings.Contains(cons, "Praktijk Een") || strings.Contains(cons, "Praktijk Twee") {
		t.Errorf("consultant's region page lists other practices")
	}
}
