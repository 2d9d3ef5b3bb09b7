package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meertijd/internal/agenda"
	"meertijd/internal/mtvp"
)

// agendaUpload posts fields (in order) and then the file to P1's
// consult-duration page as login w.
func agendaUpload(t *testing.T, f *fixture, w who, fields [][2]string, name string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, kv := range fields {
		_ = mw.WriteField(kv[0], kv[1])
	}
	fw, err := mw.CreateFormFile("bestand", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, f.expand("/regio/{region}/praktijken/{practice}/consultduur"), &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(f.cookie(w))
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec
}

func agendaPage(t *testing.T, f *fixture, w who, query string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, f.expand("/regio/{region}/praktijken/{practice}/consultduur")+query, nil)
	req.AddCookie(f.cookie(w))
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	return rec.Code, bodyOf(rec)
}

func TestAgendaUploadMappingThenChart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var csv bytes.Buffer
	g := agenda.Gen{Rows: 4000, Seed: 5, BadEvery: 40, PerDay: 100}
	if err := agenda.GenerateCSV(&csv, g); err != nil {
		t.Fatal(err)
	}
	file := csv.Bytes()

	// New columns: the mapping step, with the guess selected and nothing stored.
	rec := agendaUpload(t, f, practiceP1, nil, "agenda.csv", file)
	body := bodyOf(rec)
	if rec.Code != http.StatusOK || !strings.Contains(body, "Kolommen indelen") || !strings.Contains(body, `<option value="Begintijd" selected>`) ||
		!strings.Contains(body, `<option value="Behandelaar" selected>`) {
		t.Fatalf("mapping step %d: %s", rec.Code, body)
	}
	if ws, _ := f.db.AgendaWeeks(ctx, f.p1.ID, mtvp.Week{}, mtvp.Week{}); len(ws) != 0 {
		t.Fatal("the mapping step stored aggregates")
	}
	// An incomplete mapping is refused with a Dutch message and the step again.
	rec = agendaUpload(t, f, practiceP1, [][2]string{{"mapping", "1"}, {"kol_begin", "Begintijd"}}, "agenda.csv", file)
	if body := bodyOf(rec); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "kies de kolom met de eindtijd of die met de duur") || !strings.Contains(body, "Kolommen indelen") {
		t.Fatalf("incomplete mapping %d: %s", rec.Code, body)
	}

	mapping := [][2]string{{"mapping", "1"}, {"kol_begin", "Begintijd"}, {"kol_eind", "Eindtijd"}, {"kol_soort", "Afspraaksoort"}, {"kol_rol", "Behandelaar"}}
	rec = agendaUpload(t, f, practiceP1, mapping, "agenda.csv", file)
	if rec.Code != http.StatusSeeOther || !strings.HasSuffix(rec.Header().Get("Location"), "/consultduur#laatste-upload") {
		t.Fatalf("upload %d %s: %s", rec.Code, rec.Header().Get("Location"), bodyOf(rec))
	}
	code, page := agendaPage(t, f, practiceP1, "")
	for _, want := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg" class="chart"`, "doel 15 min", `id="consult-table"`, "4000 gelezen, 3900 meegeteld, 100 afgekeurd",
		"begintijd onleesbaar", "100 regels zijn afgekeurd en niet meegeteld; de eerste 20", "week 2 (2026)", "Huisarts, week",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page %d lacks %q", code, want)
		}
	}
	for i := 0; i < g.Rows; i += 37 {
		num, name, _, bsn := agenda.GenPatient(i)
		for _, id := range []string{num, name, bsn} {
			if strings.Contains(page, id) {
				t.Fatalf("page shows patient identifier %q", id)
			}
		}
	}
	// The mapping is remembered: the same file goes straight in, and
	// replaces the same weeks (idempotent).
	before, _ := f.db.AgendaWeeks(ctx, f.p1.ID, mtvp.Week{}, mtvp.Week{})
	rec = agendaUpload(t, f, practiceP1, nil, "agenda.csv", file)
	after, _ := f.db.AgendaWeeks(ctx, f.p1.ID, mtvp.Week{}, mtvp.Week{})
	if rec.Code != http.StatusSeeOther || len(after) != len(before) || after[0] != before[0] {
		t.Fatalf("second upload %d: %d → %d rows", rec.Code, len(before), len(after))
	}
	// Asking for the mapping step again shows it.
	rec = agendaUpload(t, f, practiceP1, [][2]string{{"indelen", "1"}}, "agenda.csv", file)
	if !strings.Contains(bodyOf(rec), "Kolommen indelen") {
		t.Error("indelen=1 did not show the mapping step")
	}

	// The consultant uploads a FHIR export of later weeks.
	var fhir bytes.Buffer
	if err := agenda.GenerateFHIR(&fhir, agenda.Gen{Rows: 500, Seed: 6, PerDay: 100, From: mtvp.MustDate("2026-06-01").Time()}); err != nil {
		t.Fatal(err)
	}
	rec = agendaUpload(t, f, consultantA, nil, "agenda.ndjson", fhir.Bytes())
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("FHIR upload %d: %s", rec.Code, bodyOf(rec))
	}
	_, page = agendaPage(t, f, adminA, "?rol=poh_ggz")
	if !strings.Contains(page, "FHIR NDJSON") || !strings.Contains(page, "POH-GGZ, week") || !strings.Contains(page, "week 23 (2026)") {
		t.Errorf("after FHIR upload the admin's page lacks the upload or the POH-GGZ figures")
	}

	// A file without one usable row: refused, reasons shown, nothing changed.
	stored, _ := f.db.AgendaWeeks(ctx, f.p1.ID, mtvp.Week{}, mtvp.Week{})
	bad := "Patiëntnummer;Patiëntnaam;Geboortedatum;BSN;Begintijd;Eindtijd;Afspraaksoort;Behandelaar\nPAT1;Jan;01-01-1950;999999990;gisteren;morgen;Consult;Huisarts\n"
	rec = agendaUpload(t, f, practiceP1, nil, "leeg.csv", []byte(bad))
	body = bodyOf(rec)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Het bestand bevat geen bruikbare afspraak: alle 1 regels zijn afgekeurd") ||
		!strings.Contains(body, "<th scope=\"row\">2</th><td>begintijd onleesbaar") {
		t.Fatalf("refused file %d: %s", rec.Code, body)
	}
	if now, _ := f.db.AgendaWeeks(ctx, f.p1.ID, mtvp.Week{}, mtvp.Week{}); len(now) != len(stored) {
		t.Error("a refused file changed the aggregates")
	}
	// No file at all.
	rec = agendaUpload(t, f, practiceP1, nil, "", nil)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(bodyOf(rec), "Kies een bestand") {
		t.Errorf("no file: %d", rec.Code)
	}
}

// agendaWorld stores one accepted upload of P1 (200 consults from 5
// January 2026), as the upload page does.
func agendaWorld(f *fixture) {
	f.t.Helper()
	var buf bytes.Buffer
	if err := agenda.GenerateCSV(&buf, agenda.Gen{Rows: 200, Seed: 1}); err != nil {
		f.t.Fatal(err)
	}
	if _, err := agenda.Upload(context.Background(), f.db, mtvp.SystemActor, agenda.UploadInput{PracticeID: f.p1.ID, FileName: "agenda.csv", File: &buf,
		Mapping: &agenda.Mapping{Start: "Begintijd", End: "Eindtijd", Type: "Afspraaksoort", Role: "Behandelaar"}}); err != nil {
		f.t.Fatal(err)
	}
}

// TestAgendaPractitionerRoles: an export naming practitioners instead of
// roles: the frequent names are offered a role; once chosen the same file
// counts every row, and the choice is remembered.
func TestAgendaPractitionerRoles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("Begin;Eind;Behandelaar;Patiënt\n")
	for i := 0; i < 30; i++ {
		b.WriteString("05-01-2026 09:00;05-01-2026 09:15;Dr. A. Jansen;Pieter Patiënt" + strings.Repeat("x", i) + "\n")
		b.WriteString("05-01-2026 10:00;05-01-2026 10:20;Mw. B. de Groot;Petra Patiënt" + strings.Repeat("y", i) + "\n")
	}
	b.WriteString("05-01-2026 11:00;05-01-2026 11:20;Huisarts;Eenmalige Patiënt\n")
	file := []byte(b.String())
	mapping := [][2]string{{"mapping", "1"}, {"kol_begin", "Begin"}, {"kol_eind", "Eind"}, {"kol_rol", "Behandelaar"}}
	rec := agendaUpload(t, f, practiceP1, mapping, "agenda.csv", file)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("upload %d: %s", rec.Code, bodyOf(rec))
	}
	_, page := agendaPage(t, f, practiceP1, "")
	if !strings.Contains(page, "Behandelaars zonder rol") || !strings.Contains(page, `value="Dr. A. Jansen"`) || !strings.Contains(page, `value="Mw. B. de Groot"`) {
		t.Fatalf("no role choice for the practitioners: %s", page)
	}
	if strings.Contains(page, "Pieter Patiënt") {
		t.Fatal("a patient's name is on the page")
	}
	roles := [][2]string{{"rollen", "1"}, {"naam_0", "Dr. A. Jansen"}, {"rol_0", "huisarts"}, {"naam_1", "Mw. B. de Groot"}, {"rol_1", "poh_ggz"}}
	rec = agendaUpload(t, f, practiceP1, roles, "agenda.csv", file)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("upload with roles %d: %s", rec.Code, bodyOf(rec))
	}
	up, _, _ := f.db.LatestAgendaUpload(ctx, f.p1.ID)
	if up.Used != 61 || up.Bad != 0 || len(up.UnknownRoles) != 0 {
		t.Errorf("after choosing roles: %+v", up)
	}
	rec = agendaUpload(t, f, practiceP1, nil, "agenda.csv", file)
	if up, _, _ := f.db.LatestAgendaUpload(ctx, f.p1.ID); rec.Code != http.StatusSeeOther || up.Used != 61 {
		t.Errorf("the roles were not remembered: %d %+v", rec.Code, up)
	}
}
