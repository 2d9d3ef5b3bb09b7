package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/xuri/excelize/v2"

	"meertijd/internal/clock"
	"meertijd/internal/export/pdftext"
	"meertijd/internal/mtvp"
)

func ivWorld(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	ivSetup(f)
	return f
}

func (f *fixture) ivID(name string) int64 {
	n, err := strconv.ParseInt(f.vars[name], 10, 64)
	if err != nil {
		f.t.Fatalf("no %s", name)
	}
	return n
}

func ivStatus(t *testing.T, rec *httptest.ResponseRecorder, status int) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %.600s", rec.Code, status, rec.Body.String())
	}
}

func TestIntervisionPrivacyOnGroupPage(t *testing.T) {
	f := ivWorld(t)
	g := "/regio/{region}/intervisie/{group}"
	// P2 sees its own Piet, counts for the rest, never Anna or Carla of P1.
	body := f.do(practiceP2, "GET", g, nil).Body.String()
	if !strings.Contains(body, "Piet Peters") || strings.Contains(body, "Anna de Vries") || strings.Contains(body, "Carla") {
		t.Fatalf("practice P2 sees the wrong names")
	}
	if !strings.Contains(body, "De groep heeft 2 leden en 1 wachtenden") {
		t.Fatal("counts missing for the practice")
	}
	// The facilitator sees everyone and the waiting position.
	body = f.do(facilitatorA, "GET", g, nil).Body.String()
	for _, want := range []string{"Piet Peters", "Anna de Vries", "Carla Claessens", "Presentielijst (Excel)"} {
		if !strings.Contains(body, want) {
			t.Errorf("facilitator page lacks %q", want)
		}
	}
	// Funders do not get the overview at all (occupancy counts under 5);
	// they see intervision participation as region figures (issue 7).
	if code := f.do(funderA, "GET", "/regio/{region}/intervisie?jaar={ivyear}", nil).Code; code != http.StatusNotFound {
		t.Fatalf("funder overview: %d, want 404", code)
	}
	// Filters: only groups with room, on Monday.
	body = f.do(adminA, "GET", "/regio/{region}/intervisie?jaar={ivyear}&vrij=1&dag=1", nil).Body.String()
	if strings.Contains(body, "Heuvelland") || !strings.Contains(body, "Mergelland") {
		t.Fatal("free/day filter wrong")
	}
	// A facilitator-only login sees only its own groups in the overview.
	body = f.do(facilitatorA, "GET", "/regio/{region}/intervisie?jaar={ivyear}", nil).Body.String()
	if strings.Contains(body, "Maasvallei") || !strings.Contains(body, "Heuvelland") {
		t.Fatal("facilitator overview shows another facilitator's group")
	}
}

func TestIntervisionSignUpWaitingAndPromotion(t *testing.T) {
	f := ivWorld(t)
	ctx := context.Background()
	// The group is full: Daan of P1 lands on the waiting list (position 2).
	rec := f.do(practiceP1, "POST", "/regio/{region}/praktijken/{practice}/intervisie", url.Values{"group": {"{group}"}, "person": {"{newperson}"}})
	ivStatus(t, rec, 303)
	page := f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}/intervisie", nil).Body.String()
	if !strings.Contains(page, "wachtlijst, plaats 2") || !strings.Contains(page, "wachtlijst, plaats 1") {
		t.Fatalf("waiting positions not shown to the practice: %s", page)
	}
	// Signing someone up twice, or nobody: 422 and nothing saved.
	before := f.auditCount()
	rec = f.do(practiceP1, "POST", "/regio/{region}/praktijken/{practice}/intervisie", url.Values{"group": {"{group}"}, "person": {"{newperson}"}})
	ivStatus(t, rec, 422)
	if !strings.Contains(rec.Body.String(), "zit al in de groep of staat op de wachtlijst") {
		t.Fatal("no Dutch message for a double sign-up")
	}
	ivStatus(t, f.do(practiceP1, "POST", "/regio/{region}/intervisie/{group}/aanmelden", url.Values{"practice": {"{practice}"}}), 422)
	if f.auditCount() != before {
		t.Fatal("refused sign-up wrote something")
	}
	// Anna leaves: Carla (first waiting) moves up, Daan becomes first.
	rec = f.do(practiceP1, "POST", "/regio/{region}/intervisie/{group}/leden/{member}/afmelden", url.Values{"version": {"1"}, "from": {"praktijk"}})
	ivStatus(t, rec, 303)
	page = f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}/intervisie", nil).Body.String()
	if !strings.Contains(page, "doorgeschoven van de wachtlijst op") || !strings.Contains(page, "wachtlijst, plaats 1") || !strings.Contains(page, "afgemeld per") {
		t.Fatalf("promotion not shown to the practice: %s", page)
	}
	// The same form again (stale version): 409, nothing changed.
	before = f.auditCount()
	ivStatus(t, f.do(practiceP1, "POST", "/regio/{region}/intervisie/{group}/leden/{member}/afmelden", url.Values{"version": {"1"}}), 409)
	if f.auditCount() != before {
		t.Fatal("stale leave wrote something")
	}
	members, err := f.db.GroupMembers(ctx, f.ivID("{group}"), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 3 || members[0].Status != mtvp.MemberActive || members[1].Status != mtvp.MemberActive || members[2].Position != 1 {
		t.Fatalf("members after promotion %+v", members)
	}
}

func TestIntervisionMeetingAndAttendanceRules(t *testing.T) {
	f := ivWorld(t)
	base := "/regio/{region}/intervisie/{group}/bijeenkomsten"
	before := f.auditCount()
	rec := f.do(facilitatorA, "POST", base, url.Values{"date": {"2001-04-14"}, "start": {"19:00"}, "end": {"18:00"}})
	ivStatus(t, rec, 422)
	for _, want := range []string{"in het jaar van de groep", "na de begintijd"} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("no message %q", want)
		}
	}
	// Carla is on the waiting list, not a member: refused, nothing saved.
	members, err := f.db.GroupMembers(context.Background(), f.ivID("{group}"), false)
	if err != nil {
		t.Fatal(err)
	}
	var carla int64
	for _, m := range members {
		if m.Status == mtvp.MemberWaiting {
			carla = m.ID
		}
	}
	rec = f.do(facilitatorA, "POST", base+"/{meeting}/aanwezigheid", url.Values{"member.{member}": {"aanwezig"}, "member." + strconv.FormatInt(carla, 10): {"aanwezig"}})
	ivStatus(t, rec, 422)
	if !strings.Contains(rec.Body.String(), "geen lid van de groep") {
		t.Fatal("no reason for refused attendance")
	}
	if f.auditCount() != before {
		t.Fatal("refused input saved something")
	}
	ivStatus(t, f.do(facilitatorA, "POST", base+"/{meeting}/aanwezigheid", url.Values{"member.{member}": {"aanwezig"}, "member.{member2}": {"afgemeld"}}), 303)
	grid := f.do(facilitatorA, "GET", "/regio/{region}/intervisie/{group}", nil).Body.String()
	if !strings.Contains(grid, "aanwezig") || !strings.Contains(grid, "afgemeld") {
		t.Fatal("attendance grid does not show the statuses")
	}
	// Stale meeting edit: 409 with what changed.
	ivStatus(t, f.do(facilitatorA, "POST", base+"/{meeting}", url.Values{"version": {"1"}, "date": {"{ivyear}-03-10"}, "start": {"19:30"}, "end": {"21:30"}}), 303)
	rec = f.do(adminA, "POST", base+"/{meeting}", url.Values{"version": {"1"}, "date": {"{ivyear}-03-10"}, "start": {"18:00"}, "end": {"21:30"},
		"orig_date": {"{ivyear}-03-10"}, "orig_start": {"19:00"}, "orig_end": {"21:30"}})
	ivStatus(t, rec, 409)
	if !strings.Contains(rec.Body.String(), "19:30") {
		t.Fatal("conflict does not show the other change")
	}
}

func multipartBody(t *testing.T, fields map[string]string, files map[string][]byte) (*bytes.Buffer, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for k, data := range files {
		w, err := mw.CreateFormFile(k, k+".pdf")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

func (f *fixture) upload(w who, path string, fields map[string]string, files map[string][]byte) *httptest.ResponseRecorder {
	body, ct := multipartBody(f.t.(*testing.T), fields, files)
	req := httptest.NewRequest("POST", f.expand(path), body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(f.cookie(w))
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

func TestIntervisionYearDocsUploadAndDownload(t *testing.T) {
	f := ivWorld(t)
	path := "/regio/{region}/intervisie/{group}/jaarstukken"
	before := f.auditCount()
	rec := f.upload(facilitatorA, path, map[string]string{"version": "1", "year_plan": "Plan"}, map[string][]byte{"report_file": []byte("<html><script>alert(1)</script>")})
	ivStatus(t, rec, 422)
	if !strings.Contains(rec.Body.String(), "Alleen een PDF of een Word-bestand") {
		t.Fatal("no reason for a wrong file type")
	}
	if f.auditCount() != before {
		t.Fatal("refused upload saved the text or the file")
	}
	pdf := []byte("%PDF-1.7\n% jaarverslag\n")
	ivStatus(t, f.upload(facilitatorA, path, map[string]string{"version": "1", "year_report": "Verslag"}, map[string][]byte{"report_file": pdf}), 303)
	rec = f.do(facilitatorA, "GET", "/regio/{region}/intervisie/{group}/bestanden/jaarverslag", nil)
	ivStatus(t, rec, 200)
	h := rec.Header()
	if h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || h.Get("X-Content-Type-Options") != "nosniff" || !bytes.Equal(rec.Body.Bytes(), pdf) {
		t.Fatalf("download headers %v", h)
	}
	g, err := f.db.GroupByID(context.Background(), f.ivID("{group}"))
	if err != nil || g.YearReport != "Verslag" {
		t.Fatalf("report text %q %v", g.YearReport, err)
	}
}

func TestIntervisionAccreditationAndCalendar(t *testing.T) {
	f := ivWorld(t)
	ivStatus(t, f.do(facilitatorA, "POST", "/regio/{region}/intervisie/{group}/bijeenkomsten/{meeting}/aanwezigheid", url.Values{"member.{member}": {"aanwezig"}, "member.{member2}": {"afgemeld"}}), 303)
	rec := f.do(facilitatorA, "GET", "/regio/{region}/intervisie/{group}/accreditatie.xlsx", nil)
	ivStatus(t, rec, 200)
	x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("Presentielijst")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != "Naam" || !strings.Contains(rows[0][4], "10-03-") || !strings.Contains(rows[0][4], "2,5 u") || rows[0][6] != "Handtekening" {
		t.Fatalf("xlsx header %v", rows)
	}
	var anna []string
	for _, r := range rows[1:] {
		if r[0] == "Anna de Vries" {
			anna = r
		}
	}
	if anna == nil || anna[1] != "12345678901" || anna[2] != "Praktijkhouder" && anna[2] != "praktijkhouder" || anna[3] != "Praktijk Een" || anna[4] != "aanwezig" || anna[5] != "2.5" {
		t.Fatalf("xlsx row %v", anna)
	}
	rec = f.do(facilitatorA, "GET", "/regio/{region}/intervisie/{group}/accreditatie.pdf", nil)
	ivStatus(t, rec, 200)
	txt := pdftext.Extract(t, rec.Body.Bytes())
	for _, want := range []string{"Presentielijst intervisie Heuvelland", "Anna de Vries", "12345678901", "Piet Peters", "Handtekening", "2,5 uur", "afgemeld"} {
		if !strings.Contains(txt, want) {
			t.Errorf("pdf lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "Carla") {
		t.Error("pdf lists someone on the waiting list")
	}
}

func TestIntervisionCalendarFeed(t *testing.T) {
	f := ivWorld(t)
	rec := f.do(anon, "GET", "/intervisie/agenda/{token}", nil)
	ivStatus(t, rec, 200)
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") {
		t.Fatal(rec.Header())
	}
	cal, err := ics.ParseCalendar(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	start, err := evs[0].GetStartAt()
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(clock.Now().Year(), 3, 10, 19, 0, 0, 0, amsterdam)
	if !start.Equal(want) {
		t.Fatalf("start %v, want %v", start, want)
	}
	if s := evs[0].GetProperty(ics.ComponentPropertySummary); s == nil || !strings.Contains(s.Value, "Regie op veelgebruikers") {
		t.Fatal("summary")
	}
	if strings.Contains(rec.Body.String(), "Anna") {
		t.Fatal("the feed holds personal data")
	}
	ivStatus(t, f.do(anon, "GET", "/intervisie/agenda/"+strings.Repeat("0", 48), nil), 404)
}

var _ = http.StatusOK

func TestIntervisionLeaveDated(t *testing.T) {
	f := ivWorld(t)
	before := f.auditCount()
	// Anna joined on 5 January: leaving before that is refused beside the field.
	rec := f.do(practiceP1, "POST", "/regio/{region}/intervisie/{group}/leden/{member}/afmelden",
		url.Values{"version": {"1"}, "left": {"2001-01-01"}, "from": {"praktijk"}})
	ivStatus(t, rec, 422)
	if !strings.Contains(rec.Body.String(), `id="f-left-`+f.vars["{member}"]+`-error"`) || !strings.Contains(rec.Body.String(), "voor de datum van toetreden") {
		t.Fatalf("no message beside the date: %.2000s", rec.Body.String())
	}
	if f.auditCount() != before {
		t.Fatal("refused leave wrote something")
	}
	ivStatus(t, f.do(practiceP1, "POST", "/regio/{region}/intervisie/{group}/leden/{member}/afmelden",
		url.Values{"version": {"1"}, "left": {"{ivyear}-02-01"}}), 303)
	m, err := f.db.GroupMemberByID(context.Background(), f.ivID("{member}"))
	if err != nil || m.Left.String() != f.vars["{ivyear}"]+"-02-01" {
		t.Fatalf("left %v %v", m.Left, err)
	}
}

func TestIntervisionGroupEditConflictAndCapacity(t *testing.T) {
	f := ivWorld(t)
	path := "/regio/{region}/intervisie/{group}"
	form := func(version, capacity, place string) url.Values {
		return url.Values{"version": {version}, "name": {"Heuvelland"}, "facilitator": {"{facilitator}"}, "place": {place}, "weekday": {"2"},
			"capacity": {capacity}, "times": {"19:00–21:30"},
			"orig_name": {"Heuvelland"}, "orig_facilitator": {"{facilitator}"}, "orig_place": {"Gulpen"}, "orig_weekday": {"2"}, "orig_capacity": {"2"}, "orig_times": {"19:00–21:30"}}
	}
	// Fewer places than members: refused beside the field.
	rec := f.do(adminA, "POST", path, form("1", "1", "Gulpen"))
	ivStatus(t, rec, 422)
	if !strings.Contains(rec.Body.String(), "meer leden dan dit aantal plaatsen") {
		t.Fatal("no capacity message")
	}
	// One more place: Carla moves up from the waiting list.
	ivStatus(t, f.do(adminA, "POST", path, form("1", "3", "Eys")), 303)
	members, err := f.db.GroupMembers(context.Background(), f.ivID("{group}"), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range members {
		if m.Status != mtvp.MemberActive {
			t.Fatalf("still waiting after a capacity raise: %+v", m)
		}
	}
	// A second admin with the old version: 409 showing the other change.
	before := f.auditCount()
	rec = f.do(platform, "POST", path, form("1", "2", "Gulpen"))
	ivStatus(t, rec, 409)
	if !strings.Contains(rec.Body.String(), "Eys") || f.auditCount() != before {
		t.Fatal("conflict does not show the other change, or saved something")
	}
}

// "Everyone present" marks every member on the form present in one
// submit; the grid shows statuses in colour and in words.
func TestIntervisionAllPresentAndGrid(t *testing.T) {
	f := ivWorld(t)
	base := "/regio/{region}/intervisie/{group}/bijeenkomsten/{meeting}"
	form := f.do(facilitatorA, "GET", base, nil).Body.String()
	for _, want := range []string{`name="all_present"`, `type="radio" name="member.` + f.vars["{member}"] + `" value="aanwezig"`} {
		if !strings.Contains(form, want) {
			t.Fatalf("attendance form lacks %q", want)
		}
	}
	ivStatus(t, f.do(facilitatorA, "POST", base+"/aanwezigheid", url.Values{"all_present": {"1"}, "members": {"{member}", "{member2}"}}), 303)
	att, err := f.db.GroupAttendance(context.Background(), f.ivID("{group}"))
	if err != nil {
		t.Fatal(err)
	}
	if len(att) != 2 || att[0].Status != mtvp.AttendPresent || att[1].Status != mtvp.AttendPresent {
		t.Fatalf("after everyone present: %+v", att)
	}
	ivStatus(t, f.do(facilitatorA, "POST", base+"/aanwezigheid", url.Values{"member.{member2}": {"afwezig"}}), 303)
	grid := f.do(facilitatorA, "GET", "/regio/{region}/intervisie/{group}", nil).Body.String()
	if !strings.Contains(grid, `class="att att--afwezig">afwezig`) || !strings.Contains(grid, `class="att att--aanwezig">aanwezig`) {
		t.Errorf("grid without coloured statuses in words: %s", trExcerpt(grid, "att--"))
	}
}
