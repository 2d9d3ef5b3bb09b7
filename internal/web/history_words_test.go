package web

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
)

// TestHistoryEveryEntityInWords renders the history of every kind of
// audited record (the demo regions' full activity plus the fixture's
// region with changes to its settings, themes, practice, person and a
// snapshot) in Dutch and English, on the region's history, the practice
// history and the practice page, and fails on anything not in words: Go
// list or struct syntax, CamelCase or snake_case field names, ISO dates,
// record ids, translation keys. Every kind must be named.
func TestHistoryEveryEntityInWords(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	ivSetup(f)
	ctx := context.Background()
	sys := mtvp.SystemActor
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	c := mtvp.PlanContent{Ambition: "Rust"}
	_, err := f.db.SavePlan(ctx, sys, f.p1.ID, f.year, 0, &c)
	must(err)
	reg := f.regionA
	reg.Settings.IntervisionThreshold = 0.6
	reg.Insurers = []string{"CZ", "VGZ"}
	must(f.db.UpdateRegion(ctx, sys, &reg))
	must(f.db.SaveTrainingThemes(ctx, sys, reg.ID, append(mtvp.DefaultThemes, "Leefstijl")))
	sso := mtvp.SSOProvider{RegionID: reg.ID, Name: "Microsoft", Issuer: "https://login.microsoftonline.com/tenant/v2.0", ClientID: "app", Domains: []string{"example.nl"}, Enabled: true}
	must(f.db.SaveSSOProvider(ctx, sys, &sso, []byte("versleuteld")))
	sso.Domains, sso.Enabled = []string{"example.nl", "praktijk.nl"}, false
	must(f.db.SaveSSOProvider(ctx, sys, &sso, nil))
	p := f.p1
	p.RegisteredPatients, p.City = 2600, "Heer"
	must(f.db.UpdatePractice(ctx, sys, &p))
	if rec := f.do(adminA, "POST", "/regio/{region}/uitnodigingen", url.Values{"name": {"Nieuw"}, "email": {"nieuw@example.nl"}, "role": {"consultant"}}); rec.Code != 303 {
		t.Fatalf("invitation: %d", rec.Code)
	}
	must(f.db.CreateComplianceSnapshot(ctx, sys, &mtvp.ComplianceSnapshot{RegionID: reg.ID, Year: f.year, Ref: mtvp.DateOf(clock.Now()), Note: "Kwartaal"}))
	must(f.db.SetOptOuts(ctx, sys, f.users[practiceP1].ID, []string{mtvp.KindNewsletter, mtvp.RemindMeeting}, map[string]bool{mtvp.KindNewsletter: true, mtvp.RemindMeeting: true}))
	agendaWorld(f)
	res, err := demo.LoadAll(ctx, f.db, func(pw string) (string, error) { return "x$" + pw, nil }, clock.Now())
	must(err)
	_ = res

	regions, err := f.db.ListRegions(ctx)
	must(err)
	var names []string // proper names that may look like CamelCase
	for _, r := range regions {
		names = append(names, r.Name)
	}
	kinds := map[string]bool{}
	strip := regexp.MustCompile(`(?s)<[^>]*>`)
	bad := map[string]*regexp.Regexp{
		"Go syntax":     regexp.MustCompile(`[{}]|\[\]|\[[^\]]*\]|<nil>|map\[`),
		"CamelCase":     regexp.MustCompile(`\b[A-Z][a-z]+[A-Z][A-Za-z]*\b|\b[a-z]+[A-Z][A-Za-z]*\b`),
		"snake_case":    regexp.MustCompile(`\b[a-z]+_[a-z_]+\b`),
		"ISO date":      regexp.MustCompile(`\b\d{4}-\d\d-\d\d\b`),
		"record id":     regexp.MustCompile(`#\d+`),
		"key":           regexp.MustCompile(`\b(admin|practice|history|plan|visit|training|intervision)\.[a-z_.]+`),
		"Go time":       regexp.MustCompile(`\+0000|UTC`),
		"(leeg) marker": regexp.MustCompile(`\(leeg\)|\(empty\)`),
	}
	check := func(where, page string) {
		t.Helper()
		main := page[strings.Index(page, "<main"):]
		main = main[:strings.Index(main, "</main>")]
		text := html.UnescapeString(strip.ReplaceAllString(main, "\n"))
		for _, n := range names {
			text = strings.ReplaceAll(text, n, "Regio")
		}
		for what, re := range bad {
			for _, m := range re.FindAllString(text, 3) {
				i := strings.Index(text, m)
				t.Errorf("%s: %s %q in …%s…", where, what, m, strings.ReplaceAll(text[max(0, i-80):min(len(text), i+40)], "\n", " "))
			}
		}
	}
	kindOf := regexp.MustCompile(`(?s)<p class="adm-history__head">.*?· ([^·:<]+): `)
	for i, r := range regions {
		w := who("admin " + r.Code)
		u := &mtvp.User{Email: "hist" + strconv.Itoa(i) + "@example.nl", Name: "Historie " + r.Code, Grants: []mtvp.Grant{{Role: mtvp.AccountRegionAdmin, RegionID: r.ID}}}
		must(f.db.CreateUser(ctx, sys, u, ""))
		f.users[w] = u
		for _, english := range []bool{false, true} {
			page := pageIn(t, f, w, english, "/regio/"+r.Code+"/historie?aantal=1000")
			check(r.Code+" history en="+strconv.FormatBool(english), page)
			if !english {
				for _, m := range kindOf.FindAllStringSubmatch(page, -1) {
					kinds[strings.TrimSpace(html.UnescapeString(m[1]))] = true
				}
			}
			ps, err := f.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: r.ID})
			must(err)
			for _, pr := range ps[:min(3, len(ps))] {
				base := "/regio/" + r.Code + "/praktijken/" + strconv.FormatInt(pr.ID, 10)
				check(pr.Name+" history", pageIn(t, f, w, english, base+"/historie"))
				check(pr.Name+" page", pageIn(t, f, w, english, base))
			}
		}
	}
	var missing []string
	for entity := range historyRecords {
		if k := admT("nl", "admin.entity."+entity, ""); k == "" {
			missing = append(missing, entity+" (no name)")
		} else if !kinds[k] {
			missing = append(missing, entity+" ("+k+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("kinds of record not in any history: %v (shown: %v)", missing, kinds)
	}
}

// TestHistoryCleanOldValues: values written before the audit wrote lists
// and structs in words read as words.
func TestHistoryCleanOldValues(t *testing.T) {
	for in, want := range map[string]string{
		"[]": "", "{0 }": "", "<nil>": "", "{12 Anna de Vries}": "Anna de Vries",
		"[SOLK triage]": "SOLK, triage", "SOLK; triage": "SOLK; triage", "2026-11-29": "29-11-2026",
		"2026-03-04 10:15:00 +0000 UTC": "04-03-2026 11:15", "gewoon tekst": "gewoon tekst",
	} {
		if got := historyClean(in); got != want {
			t.Errorf("historyClean(%q) = %q, want %q", in, got, want)
		}
	}
}
