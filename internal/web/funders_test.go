package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"meertijd/internal/clock"
	"meertijd/internal/export/pdftext"
	"meertijd/internal/mtvp"
)

// funderWorld adds practices to region A so that some figures reach 5:
// seven more active practices (one named like a formula), one stopped
// during this year and one only signed up.
func funderWorld(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	sys := mtvp.SystemActor
	year := clock.Now().Year()
	for i := 0; i < 7; i++ {
		name := fmt.Sprintf("Huisartsen Zuid %d", i)
		if i == 0 {
			name = "=HYPERLINK(\"http://x\")"
		}
		p := mtvp.Practice{RegionID: f.regionA.ID, AGB: fmt.Sprintf("0200000%d", i), Name: name, RegisteredPatients: 2000 + i,
			Status: mtvp.PracticeActive, JoinedOn: mtvp.NewDate(year, time.January, 1)}
		if err := f.db.CreatePractice(ctx, sys, &p); err != nil {
			t.Fatal(err)
		}
	}
	stopped := mtvp.Practice{RegionID: f.regionA.ID, AGB: "03000001", Name: "Gestopte Praktijk", RegisteredPatients: 1500,
		Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-01-01")}
	if err := f.db.CreatePractice(ctx, sys, &stopped); err != nil {
		t.Fatal(err)
	}
	stopped.Status = mtvp.PracticeStopped
	if err := f.db.UpdatePractice(ctx, sys, &stopped); err != nil {
		t.Fatal(err)
	}
	signedUp := mtvp.Practice{RegionID: f.regionA.ID, AGB: "03000002", Name: "Aangemelde Praktijk", Status: mtvp.PracticeInterested}
	if err := f.db.CreatePractice(ctx, sys, &signedUp); err != nil {
		t.Fatal(err)
	}
}

func setShare(t *testing.T, f *fixture, on bool) {
	t.Helper()
	ctx := context.Background()
	reg, err := f.db.RegionByCode(ctx, f.regionA.Code)
	if err != nil {
		t.Fatal(err)
	}
	reg.ShareParticipation = on
	admin := f.users[adminA]
	if err := f.db.UpdateRegion(ctx, mtvp.Actor{UserID: admin.ID, Name: admin.Name}, &reg); err != nil {
		t.Fatal(err)
	}
}

// TestFunderSharingSwitch: the region's switch alone decides whether its
// funders get the named participation lists, on the page and as files;
// turning it on is audited.
func TestFunderSharingSwitch(t *testing.T) {
	f := newFixture(t)
	ivSetup(f)
	trainingWorld(f)
	const page = "/regio/{region}/verantwoording"
	lists := []string{page + "/intervisie-deelname.csv", page + "/intervisie-deelname.xlsx", "/regio/{region}/scholing/deelname.csv", "/regio/{region}/scholing/deelname.xlsx"}

	rec := f.do(funderA, http.MethodGet, page, nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="funders-lists-off"`) || strings.Contains(rec.Body.String(), "intervisie-deelname") {
		t.Fatalf("switch off: the page offers lists (%d)", rec.Code)
	}
	// The region admin downloads its lists whatever the switch says.
	if body := f.do(adminA, http.MethodGet, page, nil).Body.String(); !strings.Contains(body, `id="funders-lists-off"`) || !strings.Contains(body, "intervisie-deelname.csv") {
		t.Errorf("switch off: the admin page should say the lists are not shared and still offer them")
	}
	for _, l := range lists {
		if rec := f.do(funderA, http.MethodGet, l, nil); rec.Code != 403 {
			t.Errorf("switch off: funder %s: %d, want 403", l, rec.Code)
		}
		if rec := f.do(adminA, http.MethodGet, l, nil); rec.Code != 200 {
			t.Errorf("switch off: region admin %s: %d, want 200", l, rec.Code)
		}
	}

	before := f.auditCount()
	setShare(t, f, true)
	hist, err := f.db.History(context.Background(), "region", f.regionA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.auditCount() != before+1 || len(hist) == 0 || !strings.Contains(fmt.Sprint(hist[0].Changes), "ShareParticipation") {
		t.Errorf("turning sharing on is not audited: %+v", hist)
	}
	rec = f.do(funderA, http.MethodGet, page, nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="funders-lists"`) || !strings.Contains(rec.Body.String(), "intervisie-deelname.csv") {
		t.Fatalf("switch on: the page offers no lists (%d)", rec.Code)
	}
	csv := f.do(funderA, http.MethodGet, lists[0], nil)
	if csv.Code != 200 || !strings.Contains(csv.Body.String(), f.person.Name) || !strings.Contains(csv.Body.String(), "Heuvelland") {
		t.Errorf("switch on: intervision list %d: %s", csv.Code, csv.Body.String())
	}
	for _, l := range lists[1:] {
		if rec := f.do(funderA, http.MethodGet, l, nil); rec.Code != 200 {
			t.Errorf("switch on: funder %s: %d, want 200", l, rec.Code)
		}
	}
	// Other regions' funders and admins still see nothing.
	if rec := f.do(adminB, http.MethodGet, lists[0], nil); rec.Code != 404 {
		t.Errorf("other region: %d", rec.Code)
	}
	// The quarterly list is never the funder's.
	if rec := f.do(funderA, http.MethodGet, page+"/deelnemers.csv", nil); rec.Code != 403 {
		t.Errorf("switch on: funder quarterly list %d", rec.Code)
	}

	setShare(t, f, false)
	if rec := f.do(funderA, http.MethodGet, lists[0], nil); rec.Code != 403 {
		t.Errorf("switch off again: %d", rec.Code)
	}
}

// TestParticipantListContent: the quarterly list holds exactly the
// practices taking part in the quarter, by name, with AGB, registered
// patients and start date, as CSV and XLSX, formulas neutralised.
func TestParticipantListContent(t *testing.T) {
	f := newFixture(t)
	funderWorld(t, f)
	year := clock.Now().Year()
	q := fmt.Sprintf("%d-Q%d", year, mtvp.DateOf(clock.Now()).Quarter())
	rec := f.do(adminA, http.MethodGet, "/regio/{region}/verantwoording/deelnemers.csv?kwartaal="+q, nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	body := strings.TrimPrefix(rec.Body.String(), "\xEF\xBB\xBF")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if lines[0] != "AGB-code;Praktijk;Ingeschreven patiënten;Startdatum;Opmerking" {
		t.Errorf("header %q", lines[0])
	}
	// P1, P2, 7 new ones and the practice that stopped this quarter (it took
	// part on at least one day of it); not the signed-up one, not region B.
	if len(lines) != 1+10 {
		t.Errorf("%d rows:\n%s", len(lines)-1, body)
	}
	for _, want := range []string{"01000001;Praktijk Een;2500;01-04-2024;", "02000000;\"'=HYPERLINK(", "03000001;Gestopte Praktijk;1500;01-01-2024;gestopt op "} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q in\n%s", want, body)
		}
	}
	for _, not := range []string{"Aangemelde Praktijk", "Praktijk Drie"} {
		if strings.Contains(body, not) {
			t.Errorf("%q listed", not)
		}
	}
	if !strings.Contains(lines[1], "=HYPERLINK") || !strings.Contains(lines[len(lines)-1], "Praktijk Twee") {
		t.Errorf("not ordered by name: first %q, last %q", lines[1], lines[len(lines)-1])
	}
	// A quarter before anyone started is empty; a bad quarter is refused.
	if rec := f.do(adminA, http.MethodGet, "/regio/{region}/verantwoording/deelnemers.csv?kwartaal=2023-Q4", nil); strings.Count(rec.Body.String(), "\n") != 1 {
		t.Errorf("2023-Q4 not empty: %s", rec.Body.String())
	}
	if rec := f.do(adminA, http.MethodGet, "/regio/{region}/verantwoording/deelnemers.csv?kwartaal=2026-Q7", nil); rec.Code != 422 {
		t.Errorf("bad quarter: %d", rec.Code)
	}
	// Q3 of 2024: P1 (April) and P2 (July) and the stopped one (2024-01).
	rec = f.do(adminA, http.MethodGet, "/regio/{region}/verantwoording/deelnemers.xlsx?kwartaal=2024-Q3", nil)
	if rec.Code != 200 {
		t.Fatalf("xlsx: %d", rec.Code)
	}
	x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if x.GetSheetName(0) != "Deelnemers 2024-Q3" || len(rows) != 4 || rows[1][1] != "Gestopte Praktijk" || rows[2][0] != "01000001" || rows[3][1] != "Praktijk Twee" || rows[3][2] != "4100" || rows[3][3] != "01-07-2024" {
		t.Errorf("xlsx %q: %q", x.GetSheetName(0), rows)
	}
}

// TestFunderPageFigures: a funder sees counts, never a count under 5 and
// never a practice's name.
func TestFunderPageFigures(t *testing.T) {
	f := newFixture(t)
	rec := f.do(funderA, http.MethodGet, "/regio/{region}/verantwoording", nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `id="funders-taking-part">&lt; 5<`) {
		t.Fatalf("two practices must show as < 5 (%d): %s", rec.Code, body)
	}
	funderWorld(t, f)
	rec = f.do(funderA, http.MethodGet, "/regio/{region}/verantwoording", nil)
	body = rec.Body.String()
	// P1, P2 and seven new ones take part today (the stopped one not).
	if !strings.Contains(body, `id="funders-taking-part">9<`) {
		t.Errorf("taking part should be 9")
	}
	for _, s := range []string{"Praktijk Een", "01000001", "Huisartsen Zuid", "Gestopte Praktijk", "HYPERLINK", f.person.Name} {
		if strings.Contains(body, s) {
			t.Errorf("funder page shows %q", s)
		}
	}
	if !strings.Contains(body, `href="/regio/regio-a/verantwoording"`) || strings.Contains(body, "deelnemers.xlsx") {
		t.Errorf("funder nav or admin downloads wrong")
	}
	// The annual report of this year and each earlier year of the programme.
	for y := clock.Now().Year(); y >= f.regionA.ProgrammeStart.Year(); y-- {
		if !strings.Contains(body, fmt.Sprintf(`href="/regio/regio-a/verantwoording/jaarverslag.pdf?jaar=%d"`, y)) {
			t.Errorf("funder page lacks the annual report of %d", y)
		}
	}
	// The admin sees the same figures plus the region's downloads.
	admin := f.do(adminA, http.MethodGet, "/regio/{region}/verantwoording", nil).Body.String()
	if !strings.Contains(admin, `id="funders-taking-part">9<`) || !strings.Contains(admin, "jaarverslag.pdf") || !strings.Contains(admin, "deelnemers.xlsx") {
		t.Errorf("admin page lacks figures or downloads")
	}
	if rec := f.do(funderA, http.MethodGet, "/regio/{region}/verantwoording?jaar=abc", nil); rec.Code != 422 {
		t.Errorf("bad year: %d", rec.Code)
	}
	if rec := f.do(funderA, http.MethodGet, "/regio/{region}/verantwoording?jaar=2025", nil); rec.Code != 200 {
		t.Errorf("2025: %d", rec.Code)
	}
}

// TestAnnualReportPDF opens the report and reads its text.
func TestAnnualReportPDF(t *testing.T) {
	f := newFixture(t)
	funderWorld(t, f)
	ivSetup(f)
	trainingWorld(f)
	ctx := context.Background()
	year := clock.Now().Year()
	// A recorded visit to P1 with an obstacle under the regioplan's A.1.
	rp, err := f.db.Regioplan(ctx, f.regionA.ID, f.year)
	if err != nil {
		t.Fatal(err)
	}
	if f.year == year {
		c := mtvp.PlanContent{Ambition: "Meer tijd", Items: []mtvp.PlanItem{{InterventionID: rp.Interventions[0].ID, Goal: "Triage"}}}
		if _, err := f.db.SavePlan(ctx, mtvp.SystemActor, f.p1.ID, year, 0, &c); err != nil {
			t.Fatal(err)
		}
		consultant := f.users[consultantA]
		a := mtvp.Actor{UserID: consultant.ID, Name: consultant.Name}
		today := mtvp.DateOf(clock.Now())
		v := mtvp.Visit{PracticeID: f.p1.ID, Year: year, PlannedOn: today}
		if err := f.db.CreateVisit(ctx, a, &v); err != nil {
			t.Fatal(err)
		}
		v.VisitedOn, v.Judgement = today, "Goed op weg"
		v.Findings = []mtvp.VisitFinding{{InterventionID: rp.Interventions[0].ID, Obstacles: "Tijdgebrek bij de assistenten\nHIS-agenda te star"}}
		if err := f.db.RecordVisit(ctx, a, &v); err != nil {
			t.Fatal(err)
		}
	}
	funder := annualReportText(t, f, funderA, f.year)
	rec := f.do(adminA, http.MethodGet, fmt.Sprintf("/regio/{region}/verantwoording/jaarverslag.pdf?jaar=%d", f.year), nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF")) {
		t.Fatalf("report: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	text := strings.Join(strings.Fields(pdftext.Extract(t, rec.Body.Bytes())), " ")
	for _, want := range []string{
		fmt.Sprintf("Jaarverslag MTVP %d", f.year), "Regio A", "voor het jaargesprek met CZ en de huisartsendelegatie",
		fmt.Sprintf("1. Het regioplan %d in het kort", f.year), "A.1 Triagetraining", "verplicht",
		"2. Deelname en instroom", "Deelnemende praktijken per kwartaal", fmt.Sprintf("%d-Q1", f.year),
		"3. Resultaten per norm", "Aandeel praktijken dat aan de norm voldoet", "Intervisie", "Scholing assistenten",
		"4. Jaarbezoeken van de consulenten", "bezocht", "niet gepland",
		"Meest genoemde belemmeringen per interventie",
		"5. Deelname aan intervisie en scholing", "intervisiegroepen", "< 5",
		"Pagina 1 van",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if f.year == year {
		for _, want := range []string{"Tijdgebrek bij de assistenten", "HIS-agenda te star"} {
			if !strings.Contains(text, want) {
				t.Errorf("report lacks the obstacle %q", want)
			}
		}
	}
	for _, not := range []string{"Praktijk Een", "01000001", f.person.Name, "Huisartsen Zuid"} {
		if strings.Contains(text, not) || strings.Contains(funder, not) {
			t.Errorf("report names %q", not)
		}
	}
	// The funder's edition: the same figures, obstacles only when named at
	// five or more practices (here at one: none quoted).
	for _, want := range []string{fmt.Sprintf("Jaarverslag MTVP %d", f.year), "Regio A", "3. Resultaten per norm", "< 5",
		"Geen belemmering is bij 5 of meer praktijken genoemd"} {
		if !strings.Contains(funder, want) {
			t.Errorf("funder's report lacks %q", want)
		}
	}
	for _, not := range []string{"Tijdgebrek bij de assistenten", "HIS-agenda te star"} {
		if strings.Contains(funder, not) {
			t.Errorf("funder's report quotes %q, named at one practice", not)
		}
	}
}

// TestFunderAnnualReportEarlierYears: a funder downloads the report of an
// earlier year of the programme beside this one; each is about its year.
func TestFunderAnnualReportEarlierYears(t *testing.T) {
	f := newFixture(t)
	funderWorld(t, f)
	this := clock.Now().Year()
	for _, y := range []int{this, this - 1, f.regionA.ProgrammeStart.Year()} {
		text := annualReportText(t, f, funderA, y)
		for _, want := range []string{fmt.Sprintf("Jaarverslag MTVP %d", y), fmt.Sprintf("1. Het regioplan %d in het kort", y), fmt.Sprintf("%d-Q4", y)} {
			if !strings.Contains(text, want) {
				t.Errorf("%d: report lacks %q", y, want)
			}
		}
		if strings.Contains(text, "Praktijk Een") {
			t.Errorf("%d: report names a practice", y)
		}
	}
	// Another region's funder gets nothing; the region's consultant neither.
	if rec := f.do(consultantA, http.MethodGet, fmt.Sprintf("/regio/{region}/verantwoording/jaarverslag.pdf?jaar=%d", this-1), nil); rec.Code != 403 {
		t.Errorf("consultant: %d", rec.Code)
	}
}

// annualReportText downloads the annual report of year as w and returns
// its text with the white space folded.
func annualReportText(t *testing.T, f *fixture, w who, year int) string {
	t.Helper()
	rec := f.do(w, http.MethodGet, fmt.Sprintf("/regio/{region}/verantwoording/jaarverslag.pdf?jaar=%d", year), nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(rec.Body.Bytes(), []byte("%PDF")) {
		t.Fatalf("%s, report %d: %d %s", w, year, rec.Code, rec.Header().Get("Content-Type"))
	}
	return strings.Join(strings.Fields(pdftext.Extract(t, rec.Body.Bytes())), " ")
}

// funderQuarterRow is one row of the inflow table as shown: page or report.
type funderQuarterRow struct {
	q               mtvp.Quarter
	started, taking string
}

var (
	pageQuarterRow   = regexp.MustCompile(`<th scope="row">(\d{4}-Q\d)</th>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*>([^<]*)</td>`)
	reportQuarterRow = regexp.MustCompile(`(\d{4}-Q\d) (< ?5|x|[\d.]+) (< ?5|x|[\d.]+) `) // the PDF's text may lose the space in "< 5"
)

// subtractQuarters is the attack of issue 11 on shown rows: a quarter's
// "< 5" starters as the difference of two shown running totals (no
// practice stopped in the fixture's quarters that are checked).
func subtractQuarters(t *testing.T, surface string, rows []funderQuarterRow, ps []mtvp.Participant) {
	t.Helper()
	small := 0
	for i, r := range rows {
		started, stopped := 0, false
		for _, p := range ps {
			if p.TakesPartIn(r.q) && mtvp.QuarterOf(p.JoinedOn) == r.q {
				started++
			}
			if i > 0 && p.TakesPartIn(rows[i-1].q) && !p.TakesPartIn(r.q) {
				stopped = true
			}
		}
		if started > 0 && started < 5 {
			small++
			if r.started != "< 5" && r.started != "&lt; 5" {
				t.Errorf("%s %s: %d started shown as %q", surface, r.q, started, r.started)
			}
		}
		if i == 0 || stopped || rows[i-1].q.Next() != r.q {
			continue
		}
		a, errA := strconv.Atoi(strings.ReplaceAll(rows[i-1].taking, ".", ""))
		b, errB := strconv.Atoi(strings.ReplaceAll(r.taking, ".", ""))
		if errA == nil && errB == nil && (r.started == "< 5" || r.started == "&lt; 5") && b-a == started {
			t.Errorf("%s %s: %d started recovered as %d − %d", surface, r.q, started, b, a)
		}
	}
	if small < 3 {
		t.Fatalf("%s: only %d quarters with 1–4 starters to attack", surface, small)
	}
}

// TestFunderFiguresResistSubtraction: the attack of issue 11 on the
// accountability page and on the annual report, over every year: in the
// year before last, 6 practices start in Q1 and one in Q3, beside the
// fixture's P1 (2024-Q2), P2 (2024-Q3) and the stopped one (2024-Q1).
func TestFunderFiguresResistSubtraction(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	year := clock.Now().Year() - 1
	for i, joined := range []mtvp.Date{mtvp.NewDate(year, 1, 1), mtvp.NewDate(year, 1, 1), mtvp.NewDate(year, 2, 1), mtvp.NewDate(year, 2, 1),
		mtvp.NewDate(year, 3, 1), mtvp.NewDate(year, 3, 1), mtvp.NewDate(year, 8, 1)} {
		p := mtvp.Practice{RegionID: f.regionA.ID, AGB: fmt.Sprintf("0600000%d", i), Name: fmt.Sprintf("Extra %d", i), RegisteredPatients: 2000 + 100*i,
			Status: mtvp.PracticeActive, JoinedOn: joined}
		if err := f.db.CreatePractice(ctx, mtvp.SystemActor, &p); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := f.db.Participants(ctx, f.regionA.ID)
	if err != nil {
		t.Fatal(err)
	}
	var page, report []funderQuarterRow
	for y := 2024; y <= clock.Now().Year()+1; y++ {
		rec := f.do(funderA, http.MethodGet, fmt.Sprintf("/regio/{region}/verantwoording?jaar=%d", y), nil)
		if rec.Code != 200 {
			t.Fatalf("%d: %d", y, rec.Code)
		}
		for _, m := range pageQuarterRow.FindAllStringSubmatch(rec.Body.String(), -1) {
			q, _ := mtvp.ParseQuarter(m[1])
			page = append(page, funderQuarterRow{q, m[2], m[3]})
		}
		rec = f.do(adminA, http.MethodGet, fmt.Sprintf("/regio/{region}/verantwoording/jaarverslag.pdf?jaar=%d", y), nil)
		if rec.Code != 200 {
			t.Fatalf("report %d: %d", y, rec.Code)
		}
		text := strings.Join(strings.Fields(pdftext.Extract(t, rec.Body.Bytes())), " ")
		for _, m := range reportQuarterRow.FindAllStringSubmatch(text, -1) {
			q, _ := mtvp.ParseQuarter(m[1])
			report = append(report, funderQuarterRow{q, strings.ReplaceAll(m[2], "<5", "< 5"), strings.ReplaceAll(m[3], "<5", "< 5")})
		}
	}
	if len(page) != 4*(clock.Now().Year()+2-2024) || len(report) != len(page) {
		t.Fatalf("%d rows on the pages, %d in the reports", len(page), len(report))
	}
	for i := range page {
		if page[i].q != report[i].q || page[i].started != strings.ReplaceAll(report[i].started, "<", "&lt;") || page[i].taking != strings.ReplaceAll(report[i].taking, "<", "&lt;") {
			t.Errorf("page %+v, report %+v: one rule, one answer", page[i], report[i])
		}
	}
	subtractQuarters(t, "page", page, ps)
	subtractQuarters(t, "report", report, ps)
}
