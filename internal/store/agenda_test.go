package store_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"meertijd/internal/agenda"
	"meertijd/internal/mtvp"
)

func uploadOf(p mtvp.Practice, res agenda.Result) *mtvp.ConsultUpload {
	return &mtvp.ConsultUpload{PracticeID: p.ID, Format: string(res.Format), FileName: "agenda.csv", Rows: res.Rows, Used: res.Used,
		Skipped: res.Skipped, Bad: res.Bad, BadRows: res.BadRows, First: res.First, Last: res.Last}
}

func parseGen(t *testing.T, g agenda.Gen) (agenda.Result, []byte) {
	t.Helper()
	var buf bytes.Buffer
	must(t, agenda.GenerateCSV(&buf, g))
	file := bytes.Clone(buf.Bytes())
	h, err := agenda.ReadHeader(bytes.NewReader(file))
	must(t, err)
	m := agenda.GuessMapping(h)
	res, err := agenda.ParseCSV(bytes.NewReader(file), m)
	must(t, err)
	mj, _ := json.Marshal(m)
	return res, mj
}

// TestAgendaNoPatientIdentifierStored parses a generated export full of
// patient numbers, names, birth dates and BSNs, stores it as the web
// upload does (aggregates, upload record with bad rows, the guessed
// mapping), and searches every table for every identifier.
func TestAgendaNoPatientIdentifierStored(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p := addPractice(t, db, r.ID, agb(1), "De Linde")
	g := agenda.Gen{Rows: 3000, Seed: 11, BadEvery: 7}
	res, mapping := parseGen(t, g)
	must(t, db.SaveAgendaMapping(ctx, p.ID, mapping))
	must(t, db.SaveAgenda(ctx, admin, uploadOf(p, res), res.Weeks))

	var fhir bytes.Buffer
	must(t, agenda.GenerateFHIR(&fhir, agenda.Gen{Rows: 500, Seed: 12, BadEvery: 9, From: mtvp.MustDate("2027-03-01").Time()}))
	fres, err := agenda.ParseFHIR(&fhir, agenda.Mapping{})
	must(t, err)
	up := uploadOf(p, fres)
	up.FileName = "agenda.ndjson"
	must(t, db.SaveAgenda(ctx, admin, up, fres.Weeks))

	var needles []string
	for i := 0; i < g.Rows; i++ {
		num, name, birth, bsn := agenda.GenPatient(i)
		needles = append(needles, num, name, bsn)
		if i < 20 {
			needles = append(needles, birth)
		}
	}
	hits, tables, err := db.SearchAllTablesForTest(ctx, needles)
	must(t, err)
	if tables < 30 {
		t.Fatalf("searched only %d tables", tables)
	}
	if len(hits) > 0 {
		t.Fatalf("patient identifiers stored: %v", hits[:min(len(hits), 10)])
	}
	// The search does find what is stored (the test can fail).
	hits, _, err = db.SearchAllTablesForTest(ctx, []string{"De Linde", "Begintijd", "begintijd onleesbaar"})
	must(t, err)
	for _, want := range []string{"practices: De Linde", "agenda_mappings: Begintijd", "agenda_uploads: begintijd onleesbaar"} {
		if !slices.Contains(hits, want) {
			t.Fatalf("search found %v, not %q: it cannot see what is stored", hits, want)
		}
	}
}

func TestAgendaReplacePeriod(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p := addPractice(t, db, r.ID, agb(1), "De Linde")
	other := addPractice(t, db, r.ID, agb(2), "Het Anker")
	// Weeks 2026-W02 … W11 (100 a day, 50 days).
	res, _ := parseGen(t, agenda.Gen{Rows: 5000, Seed: 1, PerDay: 100})
	must(t, db.SaveAgenda(ctx, admin, uploadOf(p, res), res.Weeks))
	must(t, db.SaveAgenda(ctx, admin, uploadOf(other, res), res.Weeks))
	all, err := db.AgendaWeeks(ctx, p.ID, mtvp.Week{}, mtvp.Week{})
	must(t, err)
	if fmt.Sprint(all) != fmt.Sprint(withPractice(res.Weeks, p.ID)) {
		t.Fatalf("stored weeks differ from parsed:\n%v\n%v", all, res.Weeks)
	}

	// The same upload again changes nothing (idempotent).
	must(t, db.SaveAgenda(ctx, admin, uploadOf(p, res), res.Weeks))
	again, err := db.AgendaWeeks(ctx, p.ID, mtvp.Week{}, mtvp.Week{})
	must(t, err)
	if fmt.Sprint(again) != fmt.Sprint(all) {
		t.Fatal("re-uploading the same period changed the aggregates")
	}

	// A corrected export of weeks 5–6 only replaces those weeks.
	part, _ := parseGen(t, agenda.Gen{Rows: 600, Seed: 2, PerDay: 60, From: mtvp.MustDate("2026-01-26").Time()})
	if part.First != (mtvp.Week{Year: 2026, Week: 5}) || part.Last != (mtvp.Week{Year: 2026, Week: 6}) {
		t.Fatalf("fixture period %v–%v", part.First, part.Last)
	}
	must(t, db.SaveAgenda(ctx, admin, uploadOf(p, part), part.Weeks))
	got, err := db.AgendaWeeks(ctx, p.ID, mtvp.Week{}, mtvp.Week{})
	must(t, err)
	var want []mtvp.ConsultWeek
	for _, w := range all {
		if w.Week.Week < 5 || w.Week.Week > 6 {
			want = append(want, w)
		}
	}
	want = append(want, withPractice(part.Weeks, p.ID)...)
	if sum(got) != sum(want) || len(got) != len(want) {
		t.Errorf("after replacing weeks 5–6: %d rows (%d consults), want %d (%d)", len(got), sum(got), len(want), sum(want))
	}
	w56, err := db.AgendaWeeks(ctx, p.ID, mtvp.Week{Year: 2026, Week: 5}, mtvp.Week{Year: 2026, Week: 6})
	must(t, err)
	if fmt.Sprint(w56) != fmt.Sprint(withPractice(part.Weeks, p.ID)) {
		t.Errorf("weeks 5–6 = %v, want the corrected upload", w56)
	}
	// The other practice is untouched.
	o, err := db.AgendaWeeks(ctx, other.ID, mtvp.Week{}, mtvp.Week{})
	must(t, err)
	if sum(o) != res.Used {
		t.Errorf("other practice has %d consults, want %d", sum(o), res.Used)
	}

	up, ok, err := db.LatestAgendaUpload(ctx, p.ID)
	must(t, err)
	if !ok || up.Used != part.Used || up.First != part.First || up.Last != part.Last || up.By.Name != admin.Name || up.RegionID != r.ID || up.BadRows == nil {
		t.Errorf("latest upload %+v", up)
	}
	if _, ok, _ := db.LatestAgendaUpload(ctx, 9999); ok {
		t.Error("upload of an unknown practice")
	}

	// Nothing usable, an unknown practice: refused, nothing written.
	wantCode(t, db.SaveAgenda(ctx, admin, &mtvp.ConsultUpload{PracticeID: p.ID}, nil), mtvp.EINVALID)
	wantCode(t, db.SaveAgenda(ctx, admin, uploadOf(mtvp.Practice{ID: 9999}, part), part.Weeks), mtvp.ENOTFOUND)
	final, _ := db.AgendaWeeks(ctx, p.ID, mtvp.Week{}, mtvp.Week{})
	if sum(final) != sum(got) {
		t.Error("a refused upload changed the aggregates")
	}
}

func TestAgendaMapping(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p := addPractice(t, db, r.ID, agb(1), "De Linde")
	if m, err := db.AgendaMapping(ctx, p.ID); err != nil || m != nil {
		t.Fatalf("mapping before saving: %s %v", m, err)
	}
	must(t, db.SaveAgendaMapping(ctx, p.ID, []byte(`{"start":"Begin"}`)))
	must(t, db.SaveAgendaMapping(ctx, p.ID, []byte(`{"start":"Aanvang"}`)))
	m, err := db.AgendaMapping(ctx, p.ID)
	must(t, err)
	if string(m) != `{"start":"Aanvang"}` {
		t.Errorf("mapping = %s", m)
	}
	wantCode(t, db.SaveAgendaMapping(ctx, p.ID, []byte(`{`)), mtvp.EINVALID)
	wantCode(t, db.SaveAgendaMapping(ctx, 9999, []byte(`{}`)), mtvp.ENOTFOUND)
}

func withPractice(ws []mtvp.ConsultWeek, id int64) []mtvp.ConsultWeek {
	out := make([]mtvp.ConsultWeek, len(ws))
	for i, w := range ws {
		w.PracticeID = id
		out[i] = w
	}
	return out
}

func sum(ws []mtvp.ConsultWeek) int64 {
	var n int64
	for _, w := range ws {
		n += w.Count
	}
	return n
}
