package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// trMultipart posts fields and files as multipart form data as w.
func trMultipart(t *testing.T, f *fixture, w who, path string, fields map[string]string, fileField, fileName string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if fileField != "" {
		fw, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, f.expand(path), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if c := f.cookie(w); c != nil {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

func trClaims(t *testing.T, f *fixture) []mtvp.Claim {
	t.Helper()
	cs, err := f.db.ListClaims(context.Background(), store.ClaimFilter{RegionID: f.regionA.ID})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// A practice submits a claim (refused ones save nothing), its consultant
// approves, the practice's norm counts it.
func TestTrainingClaimFlow(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f) // claim 1 pending for Anna (praktijkhouder)
	anna := f.staffID("Anna de Vries")
	bert := f.staffID("Bert Jansen")
	const path = "/regio/{region}/praktijken/{practice}/scholing/aanvragen"
	base := map[string]string{"person": bert, "title": "SOH-training", "provider": "Elders", "completed_on": "2022-08-31", "theme": mtvp.ThemeSOH}
	rec := trMultipart(t, f, practiceP1, path, base, "evidence", "cert.pdf", []byte("%PDF-1.4\n"))
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "vóór de peildatum") {
		t.Fatalf("claim before the cut-off: %d %.300s", rec.Code, rec.Body.String())
	}
	base["completed_on"], base["theme"] = "2023-03-01", mtvp.ThemeSOLK
	rec = trMultipart(t, f, practiceP1, path, base, "", "", nil)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "telt niet mee voor de functie") {
		t.Fatalf("theme not for the role: %d", rec.Code)
	}
	base["theme"] = mtvp.ThemeSOH
	rec = trMultipart(t, f, practiceP1, path, base, "evidence", "virus.pdf", []byte("MZ\x90\x00 not a pdf"))
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "PDF, PNG of JPEG") {
		t.Fatalf("evidence by content: %d", rec.Code)
	}
	if n := len(trClaims(t, f)); n != 1 {
		t.Fatalf("refused claims saved: %d claims", n)
	}
	rec = trMultipart(t, f, practiceP1, path, base, "evidence", "cert.png", []byte("\x89PNG\r\n\x1a\nrest"))
	if rec.Code != 303 {
		t.Fatalf("good claim: %d %.300s", rec.Code, rec.Body.String())
	}
	cs := trClaims(t, f)
	if len(cs) != 2 {
		t.Fatalf("%d claims", len(cs))
	}
	var bertClaim mtvp.Claim
	for _, c := range cs {
		if strconv.FormatInt(c.PersonID, 10) == bert {
			bertClaim = c
		}
	}
	// The practice page shows the pending claim in the norm sentence.
	page := f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}/scholing", nil)
	if page.Code != 200 || !strings.Contains(page.Body.String(), "0 van 1 geschoold (1 nodig), 1 aanvraag in behandeling") {
		t.Fatalf("practice page: %d %s", page.Code, trExcerpt(page.Body.String(), "Assistenten"))
	}
	// Consultant A2 (another practice's) and region admin may not decide.
	claimPath := "/regio/{region}/scholing/aanvragen/" + strconv.FormatInt(bertClaim.ID, 10)
	approve := url.Values{"version": {"1"}, "decision": {"goedgekeurd"}}
	if rec := f.do(consultantA2, "POST", claimPath, approve); rec.Code != 404 {
		t.Fatalf("other consultant: %d", rec.Code)
	}
	if rec := f.do(consultantA, "POST", claimPath, url.Values{"version": {"1"}, "decision": {"afgewezen"}}); rec.Code != 422 {
		t.Fatalf("reject without reason: %d", rec.Code)
	}
	if rec := f.do(consultantA, "POST", claimPath, approve); rec.Code != 303 {
		t.Fatalf("approve: %d %.300s", rec.Code, rec.Body.String())
	}
	// Deciding again with the old version: 409, nothing changed.
	if rec := f.do(consultantA, "POST", claimPath, url.Values{"version": {"1"}, "decision": {"afgewezen"}, "reason": {"toch niet"}}); rec.Code != 409 {
		t.Fatalf("second decision: %d", rec.Code)
	}
	page = f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}/scholing", nil)
	if !strings.Contains(page.Body.String(), "1 van 1 geschoold (1 nodig)") {
		t.Fatalf("after approval: %s", trExcerpt(page.Body.String(), "Assistenten"))
	}
	// Evidence is served as a download with its sniffed type.
	ev := f.do(practiceP1, "GET", claimPath+"/bewijs", nil)
	if ev.Code != 200 || ev.Header().Get("Content-Type") != "image/png" || !strings.HasPrefix(ev.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("evidence: %d %v", ev.Code, ev.Header())
	}
	_ = anna
}

func trExcerpt(body, near string) string {
	i := strings.Index(body, near)
	if i < 0 {
		return "(not found: " + near + ")"
	}
	return body[i:min(len(body), i+300)]
}

// Signing up through the practice page: full → waiting list; cancelling
// promotes.
func TestTrainingEnrolThroughPracticePage(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	ctx := context.Background()
	ses, err := f.db.SessionByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	ses.Capacity = 1 // Anna has the one place
	if err := f.db.UpdateSession(ctx, mtvp.SystemActor, &ses); err != nil {
		t.Fatal(err)
	}
	const path = "/regio/{region}/praktijken/{practice}/scholing/inschrijvingen"
	bert := f.staffID("Bert Jansen")
	if rec := f.do(practiceP1, "POST", path, url.Values{"session": {"1"}}); rec.Code != 422 {
		t.Fatalf("no person: %d", rec.Code)
	}
	if rec := f.do(practiceP1, "POST", path, url.Values{"session": {"1"}, "enrol_person": {bert}}); rec.Code != 303 {
		t.Fatalf("enrol: %d %.300s", rec.Code, rec.Body.String())
	}
	es, err := f.db.SessionEnrolments(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[1].Status != mtvp.EnrolmentWaiting {
		t.Fatalf("enrolments %+v", es)
	}
	// Practice P2 cannot cancel P1's sign-up.
	if rec := f.do(practiceP2, "POST", "/regio/{region}/praktijken/{practice}/scholing/inschrijvingen/1/annuleren", url.Values{"version": {"1"}}); rec.Code != 404 {
		t.Fatalf("other practice cancels: %d", rec.Code)
	}
	// Cancelling asks first (a page, no script needed); nothing changes
	// until confirmed.
	before := f.auditCount()
	rec := f.do(practiceP1, "POST", "/regio/{region}/praktijken/{practice}/scholing/inschrijvingen/1/annuleren", url.Values{"version": {"1"}})
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "Inschrijving annuleren?") || !strings.Contains(body, `name="confirm" value="1"`) ||
		!strings.Contains(body, `name="version" value="1"`) || f.auditCount() != before {
		t.Fatalf("confirm step: %d %s", rec.Code, trExcerpt(body, "<h1"))
	}
	if rec := f.do(practiceP1, "POST", "/regio/{region}/praktijken/{practice}/scholing/inschrijvingen/1/annuleren", url.Values{"version": {"1"}, "confirm": {"1"}}); rec.Code != 303 {
		t.Fatalf("cancel: %d", rec.Code)
	}
	b, err := f.db.EnrolmentByID(ctx, es[1].ID)
	if err != nil || b.Status != mtvp.EnrolmentPlaced {
		t.Fatalf("Bert not promoted: %+v %v", b, err)
	}
}

// The attendance list: a bad file saves nothing; a good one is previewed
// and recorded on confirmation.
func TestTrainingAttendanceUpload(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	ctx := context.Background()
	today := mtvp.DateOf(clock.Now())
	const path = "/regio/{region}/scholing/sessies/2/presentielijst"
	before, _ := f.db.SessionCompletions(ctx, 2)
	bad := "Naam;BIG-nummer;Datum\nAnna de Vries;12345678901;" + today.AddDays(-20).Short() + "\nOnbekend Iemand;99999999999;" + today.AddDays(-20).Short() + "\n"
	rec := trMultipart(t, f, adminA, path, nil, "bestand", "lijst.csv", []byte(bad))
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "niet gevonden in de regio") {
		t.Fatalf("bad list: %d %s", rec.Code, trExcerpt(rec.Body.String(), "Controle"))
	}
	after, _ := f.db.SessionCompletions(ctx, 2)
	if len(after) != len(before) {
		t.Fatal("a bad list changed completions")
	}
	good := "Naam;E-mail\nBert Jansen;\nAnna de Vries;anna@praktijkeen.nl\n"
	rec = trMultipart(t, f, adminA, path, nil, "bestand", "lijst.csv", []byte(good))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Afrondingen vastleggen (2)") {
		t.Fatalf("good list preview: %d %s", rec.Code, trExcerpt(rec.Body.String(), "Controle"))
	}
	if after, _ := f.db.SessionCompletions(ctx, 2); len(after) != len(before) {
		t.Fatal("preview saved")
	}
	confirm := url.Values{"confirm": {"1"}, "row_person": {f.staffID("Bert Jansen"), f.staffID("Anna de Vries")},
		"row_date": {today.AddDays(-20).String(), today.AddDays(-20).String()}}
	if rec := f.do(adminA, "POST", path, confirm); rec.Code != 303 {
		t.Fatalf("confirm: %d", rec.Code)
	}
	after, _ = f.db.SessionCompletions(ctx, 2)
	if len(after) != 2 {
		t.Fatalf("%d completions", len(after))
	}
	// The register list (GAIA: BIG numbers) opened and checked.
	x := f.do(adminA, "GET", "/regio/{region}/scholing/sessies/2/register.xlsx", nil)
	if x.Code != 200 {
		t.Fatalf("register list %d", x.Code)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.GetRows(wb.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][1] != "BIG-nummer" {
		t.Fatalf("register rows %v", rows)
	}
	found := false
	for _, r := range rows[1:] {
		if r[0] == "Anna de Vries" && r[1] == "12345678901" {
			found = true
		}
		if r[0] == "Bert Jansen" && (len(r) < 7 || !strings.Contains(r[6], "BIG-nummer ontbreekt")) {
			t.Errorf("missing BIG number not flagged: %v", r)
		}
	}
	if !found {
		t.Fatalf("Anna's BIG number missing: %v", rows)
	}
}

// The participation lists, opened and checked; a formula-like name is
// neutralised.
func TestTrainingParticipationExports(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	rec := f.do(adminA, "GET", "/regio/{region}/scholing/deelname.csv", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("csv %d", rec.Code)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\xEF\xBB\xBF")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][0] != "Praktijk" || recs[1][2] != "Anna de Vries" || recs[1][7] != "Gevolgd" {
		t.Fatalf("csv rows %v", recs)
	}
	x := f.do(practiceP1, "GET", "/regio/{region}/praktijken/{practice}/scholing/deelname.xlsx", nil)
	wb, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.GetRows(wb.GetSheetList()[0])
	if len(rows) != 2 || rows[1][4] != "Het goede gesprek" {
		t.Fatalf("xlsx rows %v", rows)
	}
	if rec := f.do(funderA, "GET", "/regio/{region}/scholing/deelname.csv", nil); rec.Code != 403 {
		t.Fatalf("funder without sharing: %d", rec.Code)
	}
}

// Bad input: Dutch messages beside the fields, 422, nothing saved; a stale
// version: 409 with what changed meanwhile, nothing overwritten.
func TestTrainingFormErrorsAndConflict(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	ctx := context.Background()
	before := f.auditCount()
	rec := f.do(adminA, "POST", "/regio/{region}/scholing", url.Values{"title": {""}, "target": {"beide"}, "register": {"geen"}, "points": {"3"}})
	body := rec.Body.String()
	if rec.Code != 422 || !strings.Contains(body, "Punten horen bij een register") || !strings.Contains(body, "Kies minstens één thema") || !strings.Contains(body, `id="f-title-error"`) {
		t.Fatalf("bad training: %d %s", rec.Code, trExcerpt(body, "utrecht-alert"))
	}
	rec = f.do(adminA, "POST", "/regio/{region}/scholing/trainingen/1/sessies", url.Values{"dates": {"31-02-2026"}, "capacity": {"0"}})
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "Vul een aantal plaatsen in van 1 tot 500") {
		t.Fatalf("bad session: %d", rec.Code)
	}
	if f.auditCount() != before {
		t.Fatal("refused forms saved something")
	}
	form := func(title string) url.Values {
		return url.Values{"version": {"1"}, "title": {title}, "target": {"beide"}, "register": {"GAIA"}, "points": {"4"},
			"themes": {mtvp.ThemeGoodConversation, mtvp.ThemePositiveHealth}, "active": {"1"},
			"orig_title": {"Het goede gesprek"}, "orig_target": {"beide"}, "orig_register": {"GAIA"}, "orig_points": {"4"},
			"orig_themes": {"het goede gesprek, positieve gezondheid"}, "orig_active": {"1"}}
	}
	if rec := f.do(adminA, "POST", "/regio/{region}/scholing/trainingen/1", form("Het goede gesprek (voorjaar)")); rec.Code != 303 {
		t.Fatalf("first edit: %d %s", rec.Code, trExcerpt(rec.Body.String(), "utrecht-alert"))
	}
	rec = f.do(adminA, "POST", "/regio/{region}/scholing/trainingen/1", form("Het goede gesprek (najaar)"))
	body = rec.Body.String()
	if rec.Code != 409 || !strings.Contains(body, "Het goede gesprek (voorjaar)") || !strings.Contains(body, "Het goede gesprek (najaar)") {
		t.Fatalf("stale edit: %d %s", rec.Code, trExcerpt(body, "utrecht-alert"))
	}
	got, err := f.db.TrainingByID(ctx, 1)
	if err != nil || got.Title != "Het goede gesprek (voorjaar)" || got.Version != 2 {
		t.Fatalf("stored: %+v %v", got, err)
	}
}

// The region's status page shows each practice's norms; a consultant sees
// only their own practices.
func TestTrainingStatusPage(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	rec := f.do(adminA, "GET", "/regio/{region}/scholing/stand", nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "Praktijk Een") || !strings.Contains(body, "Praktijk Twee") || !strings.Contains(body, "0 van 1 geschoold (1 nodig)") {
		t.Fatalf("status page: %d %s", rec.Code, trExcerpt(body, "<table"))
	}
	rec = f.do(consultantA, "GET", "/regio/{region}/scholing/stand", nil)
	if body := rec.Body.String(); !strings.Contains(body, "Praktijk Een") || strings.Contains(body, "Praktijk Twee") {
		t.Fatalf("consultant sees other practices: %s", trExcerpt(body, "<table"))
	}
}

// A stale session edit: 409 with the capacity someone else set.
func TestTrainingSessionConflict(t *testing.T) {
	f := newFixture(t)
	trainingWorld(f)
	page := f.do(adminA, "GET", "/regio/{region}/scholing/sessies/1", nil).Body.String()
	if !strings.Contains(page, `name="orig_capacity" value="5"`) {
		t.Fatalf("no original values in the form: %s", trExcerpt(page, "orig_"))
	}
	ses, err := f.db.SessionByID(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"version": {"1"}, "dates": {ses.Dates[0].Short()}, "place": {"Maastricht"}, "capacity": {"7"},
		"orig_dates": {ses.Dates[0].Short()}, "orig_place": {"Maastricht"}, "orig_capacity": {"5"}}
	if rec := f.do(adminA, "POST", "/regio/{region}/scholing/sessies/1", form); rec.Code != 303 {
		t.Fatalf("first edit: %d %s", rec.Code, trExcerpt(rec.Body.String(), "utrecht-alert"))
	}
	form.Set("capacity", "9")
	rec := f.do(adminA, "POST", "/regio/{region}/scholing/sessies/1", form)
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "Aantal plaatsen") {
		t.Fatalf("stale edit: %d %s", rec.Code, trExcerpt(rec.Body.String(), "utrecht-alert"))
	}
	if cur, _ := f.db.SessionByID(context.Background(), 1); cur.Capacity != 7 {
		t.Fatalf("capacity %d", cur.Capacity)
	}
}
