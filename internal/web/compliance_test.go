package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"meertijd/internal/clock"
	"meertijd/internal/export/pdftext"
	"meertijd/internal/export/xlsxtest"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// The dashboard, its filters, the practice's own standing, freezing a
// snapshot and its exports, on the authorisation fixture: region A with
// P1 (Anna de Vries, praktijkhouder; consultant A) and P2 (no staff).
func TestComplianceDashboardAndSnapshots(t *testing.T) {
	f := newFixture(t)
	check := func(what string, rec *httptest.ResponseRecorder, status int, wants ...string) string {
		t.Helper()
		body := rec.Body.String()
		if rec.Code != status {
			t.Fatalf("%s: status %d, want %d: %.400s", what, rec.Code, status, body)
		}
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s: lacks %q", what, w)
			}
		}
		if m := rawKey.FindString(body); m != "" && strings.Contains(m, "normen") {
			t.Errorf("%s: raw message key %q", what, m)
		}
		return body
	}
	base := "/regio/{region}/normen"
	body := check("dashboard", f.do(adminA, "GET", base, nil), 200,
		"0 van 2 praktijken voldoen aan alle normen", "Praktijk Een", "Praktijk Twee", "Niet voldaan", "N.v.t.", "Risico")
	if !strings.Contains(body, `aria-current="page">Normen`) {
		t.Error("nav: Normen not marked current")
	}
	// Intervision: P1 counts Anna and misses; P2 has nobody (not applicable
	// and therefore left out of a per-requirement filter).
	check("filter requirement", f.do(adminA, "GET", base+"?eis=intervisie&status=niet-voldaan", nil), 200,
		"0 van 1 praktijken voldoen aan alle normen", "Praktijk Een")
	body = check("filter consultant", f.do(adminA, "GET", base+"?consulent="+strconv.FormatInt(f.users[consultantA].ID, 10), nil), 200,
		"0 van 1 praktijken voldoen aan alle normen")
	if strings.Contains(body, "Praktijk Twee</a>") {
		t.Error("consultant filter shows Praktijk Twee")
	}
	check("filter met", f.do(adminA, "GET", base+"?status=voldaan", nil), 200, "0 van 0 praktijken", "Geen praktijken gevonden.")
	body = check("consultant", f.do(consultantA, "GET", base, nil), 200, "Normen "+strconv.Itoa(clock.Now().Year())+" van mijn praktijken", "Praktijk Een")
	if strings.Contains(body, "Praktijk Twee") {
		t.Error("consultant sees another consultant's practice")
	}
	check("bad date", f.do(adminA, "GET", base+"?jaar=2026&peildatum=2025-01-01", nil), 200, "De peildatum moet in het gekozen programmajaar liggen")

	// The practice's own standing names its people and the next step.
	check("practice", f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}/normen", nil), 200,
		"Anna de Vries", "Nog 1 huisarts naar intervisie", "Volgende stappen", "nog niet aan alle normen")
	check("practice page link", f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}", nil), 200, `/normen">Normen</a>`)

	// Freezing: a future reference date is refused, nothing is written.
	today := mtvp.DateOf(clock.Now())
	before := f.auditCount()
	check("freeze future", f.do(adminA, "POST", base+"/momentopnamen", url.Values{"jaar": {strconv.Itoa(today.Year() + 1)}, "peildatum": {mtvp.NewDate(today.Year()+1, time.January, 15).String()}}), 422,
		"De peildatum mag niet na vandaag liggen")
	if f.auditCount() != before {
		t.Error("refused freeze wrote an audit entry")
	}
	rec := f.do(adminA, "POST", base+"/momentopnamen", url.Values{"jaar": {strconv.Itoa(today.Year())}, "peildatum": {today.String()}, "notitie": {"=Jaargesprek CZ"}})
	check("freeze", rec, 303)
	loc := rec.Header().Get("Location")
	if !strings.HasPrefix(loc, "/regio/regio-a/normen/momentopnamen/") {
		t.Fatalf("redirect to %q", loc)
	}
	// A later rename does not reach the snapshot.
	p1 := f.p1
	p1.Name = "Praktijk Een (nieuw)"
	if err := f.db.UpdatePractice(context.Background(), mtvp.SystemActor, &p1); err != nil {
		t.Fatal(err)
	}
	body = check("snapshot", f.do(adminA, "GET", loc, nil), 200, "0 van 2 praktijken voldoen aan alle normen", "Praktijk Een", "=Jaargesprek CZ")
	if strings.Contains(body, "(nieuw)") {
		t.Error("snapshot shows the renamed practice")
	}
	check("list", f.do(adminA, "GET", base+"/momentopnamen", nil), 200, "0 van 2 praktijken voldoen aan alle normen", "=Jaargesprek CZ")

	rec = f.do(adminA, "GET", loc+"/normen.xlsx", nil)
	check("xlsx", rec, 200)
	x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("Overzicht")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][1] != "Praktijk" || rows[0][4] != "Intervisie" || rows[1][1] != "Praktijk Een" || !strings.HasPrefix(rows[1][4], "Niet voldaan (0 van 1, 1 nodig)") {
		t.Errorf("overview sheet = %q", rows)
	}
	details, err := x.GetRows("Details")
	if err != nil {
		t.Fatal(err)
	}
	if len(details) != 1+2*len(mtvp.AllRequirements) || !strings.Contains(strings.Join(details[1], "|"), "Nog 1 huisarts naar intervisie") {
		t.Errorf("details sheet = %q", details)
	}
	rec = f.do(adminA, "GET", loc+"/normen.csv", nil)
	csv := check("csv", rec, 200, "AGB-code;Praktijk;Consulent", "01000001;Praktijk Een;consultant A (P1)", "Nog 1 huisarts naar intervisie")
	if !strings.HasPrefix(csv, "\xEF\xBB\xBF") || rec.Header().Get("Content-Disposition") != `attachment; filename="normen-regio-a-`+today.String()+`.csv"` {
		t.Errorf("csv headers: %q", rec.Header())
	}
	rec = f.do(adminA, "GET", loc+"/normen.pdf", nil)
	check("pdf", rec, 200)
	txt := pdftext.Extract(t, rec.Body.Bytes())
	for _, want := range []string{"Normen Regio A " + strconv.Itoa(today.Year()), "0 van 2 praktijken voldoen aan alle normen", "Praktijk Een", "01000001",
		"Intervisie", "Niet voldaan", "Wat ontbreekt", "Nog 1 huisarts naar intervisie", "=Jaargesprek CZ", "Pagina 1 van"} {
		if !strings.Contains(txt, want) {
			t.Errorf("PDF lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "Anna de Vries") {
		t.Error("PDF names a person")
	}

	// English.
	req := httptest.NewRequest("GET", f.expand(base), nil)
	req.AddCookie(englishCookie(t, f, adminA))
	rec = httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	// What is missing in words; the at-risk list (which also says it) only
	// fills in the last weeks of the year, so it is not what this checks.
	check("english", rec, 200, "0 of 2 practices meet all norms", "Intervision", "Not met", "0 of 1, 1 needed")
}

// newCountingFixture is newFixture with a database that counts its
// statements (store.DB.Queries). Only for tests that are not parallel.
func newCountingFixture(t *testing.T) *fixture {
	t.Helper()
	off := store.CountQueries()
	f := newFixture(t)
	off()
	if f.db.Queries() < 0 {
		t.Fatal("query counting is off")
	}
	return f
}

// The dashboard sends the same number of queries for a region of 3 and of
// 30 practices. Not parallel: it switches query counting on.
func TestComplianceDashboardQueryCount(t *testing.T) {
	f := newCountingFixture(t)
	ctx := context.Background()
	sys := mtvp.SystemActor
	region := func(code string, n int) {
		r := mtvp.Region{Code: code, Name: "Regio " + code, ProgrammeStart: mtvp.MustDate("2024-01-01"), Settings: mtvp.DefaultNormSettings()}
		if err := f.db.CreateRegion(ctx, sys, &r); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < n; i++ {
			p := mtvp.Practice{RegionID: r.ID, AGB: fmt.Sprintf("%02d%06d", len(code), i+1), Name: fmt.Sprintf("Praktijk %s %d", code, i), Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-01-01")}
			if err := f.db.CreatePractice(ctx, sys, &p); err != nil {
				t.Fatal(err)
			}
			for j, role := range []mtvp.StaffRole{mtvp.RolePraktijkhouder, mtvp.RoleDoktersassistent, mtvp.RoleDoktersassistent} {
				person := mtvp.Person{Name: fmt.Sprintf("Persoon %s %d-%d", code, i, j)}
				m := mtvp.Membership{Role: role, FTE: 0.8, From: mtvp.MustDate("2023-01-01")}
				if err := f.db.AddStaff(ctx, sys, p.ID, &person, &m); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	region("klein", 3)
	region("groot", 30)
	count := func(path string) int64 {
		t.Helper()
		before := f.db.Queries()
		rec := f.do(platform, "GET", path, nil)
		if rec.Code != 200 {
			t.Fatalf("%s: status %d", path, rec.Code)
		}
		return f.db.Queries() - before
	}
	// Warm up (prepared statements, session) on another reference date:
	// the standings of today are not cached yet.
	today := mtvp.DateOf(clock.Now())
	other := mtvp.NewDate(today.Year(), 1, 1)
	if other == today {
		other = other.AddDays(1)
	}
	count("/regio/klein/normen?peildatum=" + other.String())
	small, big := count("/regio/klein/normen"), count("/regio/groot/normen")
	if small != big {
		t.Errorf("dashboard queries: %d for 3 practices, %d for 30", small, big)
	}
	// Again, nothing changed: the standings come from the cache (the
	// region's change counter is read, the facts are not).
	if again := count("/regio/groot/normen"); again >= big {
		t.Errorf("dashboard queries: %d cold, %d cached", big, again)
	} else {
		t.Logf("dashboard: %d queries per page, %d once cached", small, again)
	}
}

// The practice's standing names what is under way: an assistant's place
// in a session of the year is pending (mtvp.EvaluateCompliance counts it,
// so the API, exports and snapshots agree) and with it the norm is met.
func TestPracticeStandingEnrolment(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f) // Anna completed "Het goede gesprek"; Bert Jansen (assistant) has no training
	ctx := context.Background()
	bert, _ := strconv.ParseInt(f.staffID("Bert Jansen"), 10, 64)
	// A session of this programme year (today: it has not begun) counts
	// as pending; the fixture's other session may fall in next year.
	today := mtvp.DateOf(clock.Now())
	ses := mtvp.TrainingSession{TrainingID: 1, Dates: []mtvp.Date{today}, Place: "Gulpen", Capacity: 5}
	if err := f.db.CreateSession(ctx, mtvp.SystemActor, &ses); err != nil {
		t.Fatal(err)
	}
	e := mtvp.Enrolment{SessionID: ses.ID, PersonID: bert, PracticeID: f.p1.ID}
	if err := f.db.Enrol(ctx, mtvp.SystemActor, &e); err != nil {
		t.Fatal(err)
	}
	rec := f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}/normen", nil)
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	for _, want := range []string{"Scholing assistenten", "Nog 1 assistent scholen: 0 van 1 geschoold, 1 nodig",
		"Bert Jansen is ingeschreven voor Het goede gesprek", "telt mee na afronding",
		"Met wat nu loopt (aanvragen, aanmeldingen en inschrijvingen) wordt de norm gehaald.",
		"Voldaan: 1 van 1 huisartsen geschoold in het goede gesprek, 1 nodig"} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %q", want)
		}
	}
	// Another practice's login sees nothing of P1.
	if rec := f.do(practiceP2, "GET", "/regio/{region}/praktijken/{practice}/normen", nil); rec.Code != 404 || strings.Contains(rec.Body.String(), "Bert Jansen") {
		t.Errorf("P2: status %d", rec.Code)
	}
}

// A GP whose intervision group does not meet again this year is not
// promised the norm; once the group plans a meeting, the page says the
// norm will be met. At the year's last day, so on any day of the year.
func TestPracticeStandingIntervisionNoMeetingLeft(t *testing.T) {
	f := ivWorld(t) // P1: Anna (place in G1, no meeting attended), Carla (waiting), Daan; G1 met on March 10
	path := "/regio/{region}/praktijken/{practice}/normen?jaar={ivyear}&peildatum={ivyear}-12-31"
	rec := f.do(practiceP1, "GET", path, nil)
	ivStatus(t, rec, 200)
	body := rec.Body.String()
	for _, want := range []string{"Aangemeld, maar de groep komt dit jaar niet meer bijeen",
		"1 huisarts heeft een plaats in een groep die in " + f.vars["{ivyear}"] + " niet meer bijeenkomt"} {
		if !strings.Contains(body, want) {
			t.Errorf("lacks %q", want)
		}
	}
	if strings.Contains(body, "wordt de norm gehaald") {
		t.Error("promises the norm for a group without a meeting left")
	}
	year, _ := strconv.Atoi(f.vars["{ivyear}"])
	mt := mtvp.Meeting{GroupID: f.ivID("{group}"), Date: mtvp.NewDate(year, time.December, 31), Start: "19:00", End: "21:30"}
	if err := f.db.CreateMeeting(context.Background(), mtvp.SystemActor, &mt); err != nil {
		t.Fatal(err)
	}
	body = f.do(practiceP1, "GET", path, nil).Body.String()
	if !strings.Contains(body, "wordt de norm gehaald") || strings.Contains(body, "komt dit jaar niet meer bijeen") {
		t.Errorf("with a meeting left the places would meet the norm: %s", trExcerpt(body, "Intervisie"))
	}
}

// The training norms a region switched off do not show on a practice's
// Scholing page nor on the region's training status.
func TestTrainingNormsSwitchedOff(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	page := f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}/scholing", nil).Body.String()
	if !strings.Contains(page, "<strong>Assistenten:</strong>") {
		t.Fatalf("norms not shown with the default settings")
	}
	reg := f.regionA
	reg.Settings.Requirements = []mtvp.Requirement{mtvp.ReqIntervision, mtvp.ReqFinalPlan}
	if err := f.db.UpdateRegion(context.Background(), mtvp.SystemActor, &reg); err != nil {
		t.Fatal(err)
	}
	rec := f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}/scholing", nil)
	ivStatus(t, rec, 200)
	page = rec.Body.String()
	for _, bad := range []string{"<strong>Assistenten:</strong>", "<strong>Huisartsen (het goede gesprek):</strong>", "voldaan"} {
		if strings.Contains(page, bad) {
			t.Errorf("Scholing page still shows %q: %s", bad, trExcerpt(page, bad))
		}
	}
	if !strings.Contains(page, "De regio hanteert geen scholingsnormen") {
		t.Error("no sentence that the region applies no training norms")
	}
	status := f.do(adminA, "GET", "/regio/{region}/scholing/stand", nil).Body.String()
	if strings.Contains(status, "voldoen aan de norm") || strings.Contains(status, "<th scope=\"col\">Assistenten</th>") {
		t.Errorf("status page shows switched-off norms")
	}
}

// The live dashboard downloads with its filters: the XLSX holds the rows
// the page shows, the reference date as a real date, under an autofilter;
// the CSV the same rows.
func TestComplianceDashboardExport(t *testing.T) {
	f := newFixture(t)
	year := clock.Now().Year()
	ref := fmt.Sprintf("%d-06-30", year)
	base := "/regio/{region}/normen"
	page := f.do(adminA, "GET", base+"?eis=intervisie&status=niet-voldaan&jaar="+strconv.Itoa(year)+"&peildatum="+ref, nil).Body.String()
	if !strings.Contains(page, "/stand.xlsx?") || !strings.Contains(page, "status=niet-voldaan") {
		t.Fatalf("no export link with the filters")
	}
	rec := f.do(adminA, "GET", base+"/stand.xlsx?eis=intervisie&status=niet-voldaan&jaar="+strconv.Itoa(year)+"&peildatum="+ref, nil)
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Disposition"), "normen-regio-a-"+ref+".xlsx") {
		t.Fatalf("xlsx: %d %v", rec.Code, rec.Header())
	}
	book := xlsxtest.Open(t, rec.Body.Bytes())
	sheet := book.F.GetSheetList()[0]
	book.AutoFilter(sheet)
	rows := book.Rows(sheet)
	if len(rows) != 2 || rows[1][1] != "Praktijk Een" {
		t.Fatalf("filtered rows: %q", rows)
	}
	for _, col := range []string{"AGB-code", "Praktijk", "Consulent", "Intervisie", "Voldoet aan alle normen", "Risico"} {
		book.Column(sheet, col)
	}
	if d := book.Date(sheet, book.Column(sheet, "Peildatum"), 2); d.Format("2006-01-02") != ref {
		t.Errorf("reference date %v", d)
	}
	// Unfiltered: both practices; a consultant only their own.
	if rows := xlsxtest.Open(t, f.do(adminA, "GET", base+"/stand.xlsx", nil).Body.Bytes()).Rows(sheet); len(rows) != 3 {
		t.Errorf("unfiltered rows %q", rows)
	}
	csv := f.do(consultantA, "GET", base+"/stand.csv", nil).Body.String()
	if !strings.Contains(csv, "Praktijk Een") || strings.Contains(csv, "Praktijk Twee") {
		t.Errorf("consultant csv: %q", csv)
	}
}
