package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"meertijd/internal/agenda"
)

func TestAgendaUploadAndWeeks(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	if err := agenda.GenerateCSV(&buf, agenda.Gen{Rows: 1500, Seed: 3, BadEvery: 50, PerDay: 100}); err != nil {
		t.Fatal(err)
	}
	csv := buf.String()
	base := "/api/v1/practices/{practice}/agenda-uploads"

	// No mapping yet: 422 mapping_required with the columns and a guess.
	rec := f.do(practiceP1, request{method: http.MethodPost, path: base, body: csv})
	var refusal agendaRefusal
	json.Unmarshal(rec.Body.Bytes(), &refusal)
	if rec.Code != http.StatusUnprocessableEntity || refusal.Error.Code != "mapping_required" || len(refusal.Columns) != 8 || refusal.Guess == nil || refusal.Guess.Start != "Begintijd" {
		t.Fatalf("without mapping: %d %s", rec.Code, rec.Body.String())
	}
	// With the mapping: 201, remembered for the next upload.
	rec = f.do(consultantA, request{method: http.MethodPost, path: base + "?start=Begintijd&end=Eindtijd&type=Afspraaksoort&role=Behandelaar&file_name=his.csv", body: csv})
	var up consultUploadJSON
	json.Unmarshal(rec.Body.Bytes(), &up)
	if rec.Code != http.StatusCreated || up.Rows != 1500 || up.Bad != 30 || up.Used != 1470 || len(up.BadRows) != 20 || up.FirstWeek != "2026-W02" || up.FileName != "his.csv" {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body.String())
	}
	rec = f.do(practiceP1, request{method: http.MethodPost, path: base, body: csv})
	if rec.Code != http.StatusCreated {
		t.Fatalf("second upload with the remembered mapping: %d %s", rec.Code, rec.Body.String())
	}

	rec = f.get(practiceP1, "/api/v1/practices/{practice}/consult-weeks?role=huisarts&from=2026-W03&to=2026-W04")
	var weeks consultWeeksJSON
	json.Unmarshal(rec.Body.Bytes(), &weeks)
	if rec.Code != http.StatusOK || len(weeks.Weeks) != 2 || weeks.GoalMinutes != 15 || weeks.LastUpload == nil || weeks.LastUpload.Used != 1470 {
		t.Fatalf("weeks: %d %s", rec.Code, rec.Body.String())
	}
	w := weeks.Weeks[0]
	b := w.Buckets
	if w.Week != "2026-W03" || w.Role != "huisarts" || w.Consults != b.Lt10+b.M1015+b.M1520+b.M2030+b.Ge30 || w.MeanMinutes < 5 || w.MeanMinutes > 30 {
		t.Errorf("week %+v", w)
	}
	if (w.GPFTE > 0) != (w.ConsultsPerGPFTE != nil) {
		t.Errorf("per-FTE figure %v with GP FTE %v", w.ConsultsPerGPFTE, w.GPFTE)
	}
	for _, q := range []string{"?from=2026-53", "?role=tandarts", "?week=1"} {
		if rec := f.get(practiceP1, "/api/v1/practices/{practice}/consult-weeks"+q); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", q, rec.Code)
		}
	}
	// Nothing usable: 422 with the reasons, nothing changed.
	rec = f.do(practiceP1, request{method: http.MethodPost, path: base, body: "Patiëntnummer;Patiëntnaam;Geboortedatum;BSN;Begintijd;Eindtijd;Afspraaksoort;Behandelaar\nP;N;G;B;x;y;Consult;Huisarts\n"})
	json.Unmarshal(rec.Body.Bytes(), &refusal)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(refusal.Error.Message, "geen bruikbare afspraak") || refusal.Bad != 1 || refusal.BadRows[0].Line != 2 {
		t.Errorf("refused: %d %s", rec.Code, rec.Body.String())
	}
	rec = f.get(practiceP1, "/api/v1/practices/{practice}/consult-weeks")
	var after consultWeeksJSON
	json.Unmarshal(rec.Body.Bytes(), &after)
	if after.LastUpload.ID != weeks.LastUpload.ID {
		t.Error("a refused upload became the last upload")
	}
	// Practitioners by name get a role through practitioner=Name:role.
	var named strings.Builder
	named.WriteString("Begin;Eind;Wie\n")
	for i := 0; i < 12; i++ {
		named.WriteString("02-03-2026 09:00;02-03-2026 09:16;Dr. A. Jansen\n")
	}
	rec = f.do(practiceP1, request{method: http.MethodPost, path: base + "?start=Begin&end=Eind&role=Wie&default_role=overig", body: named.String()})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "behandelaar of rol onbekend") || !strings.Contains(rec.Body.String(), `"unknown_practitioners":["Dr. A. Jansen"]`) {
		t.Fatalf("names without roles: %d %s", rec.Code, rec.Body.String())
	}
	rec = f.do(practiceP1, request{method: http.MethodPost, path: base + "?start=Begin&end=Eind&role=Wie&practitioner=Dr.%20A.%20Jansen:huisarts", body: named.String()})
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"used":12`) {
		t.Fatalf("with practitioner roles: %d %s", rec.Code, rec.Body.String())
	}
	if rec := f.do(practiceP1, request{method: http.MethodPost, path: base + "?practitioner=Jansen", body: named.String()}); rec.Code != http.StatusBadRequest {
		t.Errorf("practitioner without role: %d", rec.Code)
	}
	// FHIR with the same route.
	buf.Reset()
	agenda.GenerateFHIR(&buf, agenda.Gen{Rows: 300, Seed: 4})
	rec = f.do(practiceP1, request{method: http.MethodPost, path: base + "?file_name=a.ndjson", body: buf.String()})
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"format":"fhir"`) {
		t.Errorf("FHIR: %d %s", rec.Code, rec.Body.String())
	}
}
