package agenda

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"meertijd/internal/mtvp"
)

// expected recomputes the aggregates of a generated file straight from
// the generator, independent of the parser.
func expected(g Gen) map[string]*mtvp.ConsultWeek {
	g.defaults()
	out := map[string]*mtvp.ConsultWeek{}
	g.appointments(func(i int, start time.Time, minutes int, role, typ string) {
		if g.BadEvery > 0 && i%g.BadEvery == g.BadEvery-1 {
			return
		}
		r, _ := mtvp.ParseConsultRole(role)
		y, w := start.ISOWeek()
		k := fmt.Sprintf("%d-%d-%s", y, w, r)
		if out[k] == nil {
			out[k] = &mtvp.ConsultWeek{Week: mtvp.Week{Year: y, Week: w}, Role: r}
		}
		out[k].Add(int64(minutes)*60, mtvp.IsDoubleConsult(typ, float64(minutes)))
	})
	return out
}

func compare(t *testing.T, res Result, want map[string]*mtvp.ConsultWeek) {
	t.Helper()
	if len(res.Weeks) != len(want) {
		t.Fatalf("%d week×role aggregates, want %d", len(res.Weeks), len(want))
	}
	for _, w := range res.Weeks {
		k := fmt.Sprintf("%d-%d-%s", w.Week.Year, w.Week.Week, w.Role)
		e := want[k]
		if e == nil {
			t.Fatalf("unexpected aggregate %s", k)
		}
		if w != *e {
			t.Errorf("%s: got %+v, want %+v", k, w, *e)
		}
	}
}

var gpMapping = Mapping{Start: "Begintijd", End: "Eindtijd", Type: "Afspraaksoort", Role: "Behandelaar"}

func TestParseCSVGenerated(t *testing.T) {
	cases := []struct {
		name string
		g    Gen
		m    Mapping
	}{
		{"dutch semicolon", Gen{Rows: 3000, Seed: 1}, gpMapping},
		{"iso comma", Gen{Rows: 3000, Seed: 2, Comma: ',', ISO: true}, gpMapping},
		{"duration column", Gen{Rows: 2000, Seed: 3, Duration: true}, Mapping{Start: "begintijd", Duration: "Duur (min)", Type: "Afspraaksoort", Role: " behandelaar "}},
		{"around new year", Gen{Rows: 5000, Seed: 4, From: time.Date(2026, 12, 21, 0, 0, 0, 0, Amsterdam)}, gpMapping},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := GenerateCSV(&buf, c.g); err != nil {
				t.Fatal(err)
			}
			res, err := ParseCSV(&buf, c.m)
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != int64(c.g.Rows) || res.Used != res.Rows || res.Bad != 0 {
				t.Fatalf("rows %d used %d bad %d (%v)", res.Rows, res.Used, res.Bad, res.BadRows)
			}
			compare(t, res, expected(c.g))
			if res.First != res.Weeks[0].Week || res.Last != res.Weeks[len(res.Weeks)-1].Week || !res.First.Before(res.Last) {
				t.Errorf("period %v–%v", res.First, res.Last)
			}
		})
	}
}

func TestParseCSVAroundNewYearWeeks(t *testing.T) {
	// 28 Dec 2026 – 1 Jan 2027 is ISO week 2026-W53; 4 Jan 2027 is 2027-W01.
	csv := "start;eind;rol\n31-12-2026 09:00;31-12-2026 09:15;huisarts\n04-01-2027 09:00;04-01-2027 09:20;huisarts\n"
	res, err := ParseCSV(strings.NewReader(csv), Mapping{Start: "start", End: "eind", Role: "rol"})
	if err != nil {
		t.Fatal(err)
	}
	if res.First != (mtvp.Week{Year: 2026, Week: 53}) || res.Last != (mtvp.Week{Year: 2027, Week: 1}) {
		t.Errorf("weeks %v–%v", res.First, res.Last)
	}
}

func TestParseCSVBrokenLines(t *testing.T) {
	var buf bytes.Buffer
	g := Gen{Rows: 1000, Seed: 5, BadEvery: 10}
	if err := GenerateCSV(&buf, g); err != nil {
		t.Fatal(err)
	}
	res, err := ParseCSV(&buf, gpMapping)
	if err != nil {
		t.Fatal(err)
	}
	if res.Bad != 100 || res.Used != 900 || res.Rows != 1000 {
		t.Fatalf("bad %d used %d rows %d", res.Bad, res.Used, res.Rows)
	}
	if len(res.BadRows) != MaxBadRows {
		t.Fatalf("%d bad rows listed, want %d", len(res.BadRows), MaxBadRows)
	}
	// Row i (0-based) is on line i+2; every 10th row (i=9, 19, …) is bad.
	for k, b := range res.BadRows {
		if want := int64(10*k + 11); b.Line != want {
			t.Errorf("bad row %d on line %d, want %d", k, b.Line, want)
		}
		if !strings.Contains(b.Reason, "begintijd onleesbaar") {
			t.Errorf("reason %q", b.Reason)
		}
	}
	compare(t, res, expected(g))
}

func TestParseCSVEveryKindOfBadRow(t *testing.T) {
	csv := strings.Join([]string{
		"Behandelaar;Soort;Patiënt;Eind;Begin",                       // another column order
		"Huisarts;Consult;P1;02-12-2026 08:45;02-12-2026 08:30",      // 2 ok
		"Huisarts;Consult;P2;02-12-2026 08:45",                       // 3 too few columns
		"Huisarts;Consult;P3;02-12-2026 08:30;02-12-2026 08:45",      // 4 end before start
		"Huisarts;Consult;P4;02-12-2026 14:30;02-12-2026 08:30",      // 5 too long
		"Dr. Jansen;Consult;P5;02-12-2026 08:45;02-12-2026 08:30",    // 6 unknown role
		";Consult;P6;02-12-2026 08:45;02-12-2026 08:30",              // 7 no role
		"Huisarts;Consult;P7;;02-12-2026 08:30",                      // 8 no end
		"Huisarts;Consult;P8;2-12-2026 9:05;2/12/2026 8:50",          // 9 ok, short forms
		"POH;Dubbel consult;P9;2026-12-02 09:20:00;2026-12-02 09:00", // 10 ok, ISO with space
		"Huisarts;Consult;P10;02-12-2026 08:45;2026-13-02 08:30",     // 11 bad month
	}, "\r\n") + "\r\n"
	res, err := ParseCSV(strings.NewReader(csv), Mapping{Start: "Begin", End: "Eind", Type: "Soort", Role: "Behandelaar"})
	if err != nil {
		t.Fatal(err)
	}
	want := []BadRow{
		{Line: 3, Reason: "te weinig kolommen (4, nodig 5)"},
		{Line: 4, Reason: "eindtijd ligt niet na de begintijd"},
		{Line: 5, Reason: "afspraak duurt langer dan 240 minuten"},
		{Line: 6, Reason: "behandelaar of rol onbekend; wijs de rol toe in de kolomindeling"},
		{Line: 7, Reason: "behandelaar of rol ontbreekt"},
		{Line: 8, Reason: "eindtijd en duur ontbreken"},
		{Line: 11, Reason: "begintijd onleesbaar (verwacht bijvoorbeeld 02-12-2026 08:30 of 2026-12-02T08:30)"},
	}
	if fmt.Sprint(res.BadRows) != fmt.Sprint(want) {
		t.Errorf("bad rows\n got %v\nwant %v", res.BadRows, want)
	}
	if res.Used != 3 || res.Bad != 7 || res.Rows != 10 {
		t.Errorf("used %d bad %d rows %d", res.Used, res.Bad, res.Rows)
	}
	for _, b := range res.BadRows {
		if strings.Contains(b.Reason, "P") && strings.Contains(b.Reason, "P1") {
			t.Errorf("reason quotes a cell: %q", b.Reason)
		}
	}
	// The practice names its own practitioner: the row counts.
	m := Mapping{Start: "Begin", End: "Eind", Type: "Soort", Role: "Behandelaar", Roles: map[string]mtvp.ConsultRole{"dr.  JANSEN": mtvp.ConsultHuisarts}, DefaultRole: mtvp.ConsultHuisarts}
	res, err = ParseCSV(strings.NewReader(csv), m)
	if err != nil {
		t.Fatal(err)
	}
	if res.Used != 5 {
		t.Errorf("with role map and default role: used %d, want 5 (%v)", res.Used, res.BadRows)
	}
	var gp, poh mtvp.ConsultWeek
	for _, w := range res.Weeks {
		switch w.Role {
		case mtvp.ConsultHuisarts:
			gp = w
		case mtvp.ConsultPOHSom:
			poh = w
		}
	}
	if gp.Count != 4 || gp.Seconds != 4*15*60 || poh.Count != 1 || poh.Doubles != 1 || poh.Buckets[3] != 1 {
		t.Errorf("gp %+v poh %+v", gp, poh)
	}
}

func TestParseCSVSeparateDateColumn(t *testing.T) {
	csv := "Datum,Van,Tot,Soort,Functie,BSN\n02-12-2026,08:30,08:42,Consult,Huisarts,999999990\n\"03-12-2026\",\"8:00\",\"8:25\",\"Consult, lang\",\"POH-GGZ\",\"123\"\n"
	h, err := ReadHeader(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	m := GuessMapping(h)
	if fmt.Sprint(m) != fmt.Sprint(Mapping{Date: "Datum", Start: "Van", End: "Tot", Type: "Soort", Role: "Functie"}) {
		t.Fatalf("guessed %+v", m)
	}
	res, err := ParseCSV(strings.NewReader(csv), m)
	if err != nil {
		t.Fatal(err)
	}
	if res.Used != 2 || res.Weeks[0].Seconds != 12*60 || res.Weeks[1].Role != mtvp.ConsultPOHGGZ || res.Weeks[1].Seconds != 25*60 || res.Weeks[1].Doubles != 1 {
		t.Errorf("%+v", res.Weeks)
	}
}

func TestParseCSVDaylightSaving(t *testing.T) {
	csv := strings.Join([]string{
		"start;einde;rol",
		// Sunday 29 March 2026: 02:00 CET jumps to 03:00 CEST.
		"29-03-2026 01:45;29-03-2026 03:15;huisarts", // 30 real minutes
		// Sunday 25 October 2026: 03:00 CEST falls back to 02:00 CET.
		"25-10-2026 01:30;25-10-2026 03:30;huisarts",              // 3 real hours: too long? no, 180 min
		"2026-10-25T02:30:00+02:00;2026-10-25T02:10:00+01:00;poh", // 40 minutes across the fall-back
		"2026-03-29T00:50:00Z;2026-03-29T01:10:00Z;poh",           // 20 minutes at 01:50 CET–03:10 CEST
	}, "\n")
	res, err := ParseCSV(strings.NewReader(csv), Mapping{Start: "start", End: "einde", Role: "rol"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Bad != 0 {
		t.Fatalf("bad rows: %v", res.BadRows)
	}
	got := map[string]int64{}
	for _, w := range res.Weeks {
		got[fmt.Sprintf("%s %s", w.Week, w.Role)] = w.Seconds / 60
	}
	want := map[string]int64{
		"2026-W13 huisarts": 30, "2026-W13 poh_somatiek": 20,
		"2026-W43 huisarts": 180, "2026-W43 poh_somatiek": 40,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("minutes per week\n got %v\nwant %v", got, want)
	}
}

func TestParseCSVRefused(t *testing.T) {
	cases := []struct {
		name, csv string
		m         Mapping
		msg       string
	}{
		{"empty", "", gpMapping, "Het bestand is leeg."},
		{"header only", "Begintijd;Eindtijd;Behandelaar\n", Mapping{Start: "Begintijd", End: "Eindtijd", Role: "Behandelaar"}, "er staan geen afspraken in"},
		{"all bad", "Begintijd;Eindtijd;Behandelaar\nx;y;huisarts\n", Mapping{Start: "Begintijd", End: "Eindtijd", Role: "Behandelaar"}, "alle 1 regels zijn afgekeurd"},
		{"column missing", "Begintijd;Eindtijd\n", gpMapping, `Kolom "Afspraaksoort", "Behandelaar" staat niet in de kopregel`},
		{"one column", "Begintijd\n02-12-2026 08:30\n", gpMapping, "maar één kolom"},
		{"mapping incomplete", "a;b\n", Mapping{Start: "a"}, "kies de kolom met de eindtijd of die met de duur"},
	}
	for _, c := range cases {
		_, err := ParseCSV(strings.NewReader(c.csv), c.m)
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(fe.Msg, c.msg) {
			t.Errorf("%s: err %v, want a FileError with %q", c.name, err, c.msg)
		}
	}
	_, err := ParseCSV(strings.NewReader("Begintijd;Eindtijd;Behandelaar\nx;y;huisarts\n"), Mapping{Start: "Begintijd", End: "Eindtijd", Role: "Behandelaar"})
	var fe *FileError
	if !errors.Is(err, ErrNoUsableRows) || !errors.As(err, &fe) || fe.Result == nil || len(fe.Result.BadRows) != 1 || fe.Result.BadRows[0].Line != 2 {
		t.Errorf("refusal carries no bad rows: %v", err)
	}
}

func TestParseFHIR(t *testing.T) {
	var buf bytes.Buffer
	g := Gen{Rows: 2000, Seed: 7, BadEvery: 100}
	if err := GenerateFHIR(&buf, g); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("\n{not json\n{\"resourceType\":\"Patient\",\"id\":\"x\"}\n")
	buf.WriteString(`{"resourceType":"Appointment","status":"booked","start":"2026-01-05T10:00:00+01:00","minutesDuration":25,"participant":[{"actor":{"reference":"PractitionerRole/7","display":"Anna"},"type":[{"coding":[{"code":"ATND"}]}]}],"serviceType":[{"coding":[{"display":"Praktijkondersteuning GGZ"}]}]}` + "\n")
	buf.WriteString(`{"resourceType":"Appointment","status":"booked","start":"2026-01-05T11:00:00+01:00","participant":[]}`)
	if err := GenerateFHIR(&bytes.Buffer{}, g); err != nil {
		t.Fatal(err)
	}
	res, err := ParseFHIR(&buf, Mapping{})
	if err != nil {
		t.Fatal(err)
	}
	// Generated: 2000 rows, every 100th bad (20), 40 cancelled; then an
	// empty line (not a row), broken JSON, a Patient, a GGZ consult and an
	// appointment without end or duration.
	if res.Rows != 2004 || res.Skipped != 40 || res.Bad != 20+3 || res.Used != 2000-40-20+1 {
		t.Errorf("rows %d skipped %d bad %d used %d", res.Rows, res.Skipped, res.Bad, res.Used)
	}
	reasons := map[string]bool{}
	for _, b := range res.BadRows {
		reasons[b.Reason] = true
	}
	if len(res.BadRows) != MaxBadRows {
		t.Errorf("%d bad rows listed", len(res.BadRows))
	}
	js, _ := json.Marshal(res)
	for i := 0; i < g.Rows; i += 97 {
		num, name, _, bsn := GenPatient(i)
		for _, id := range []string{num, name, bsn} {
			if bytes.Contains(js, []byte(id)) || strings.Contains(fmt.Sprintf("%+v", res.Weeks), id) {
				t.Fatalf("result holds patient identifier %q", id)
			}
		}
	}
	ggz := false
	for _, w := range res.Weeks {
		if w.Role == mtvp.ConsultPOHGGZ && w.Week == (mtvp.Week{Year: 2026, Week: 2}) && w.Buckets[3] > 0 {
			ggz = true
		}
	}
	if !ggz {
		t.Error("the serviceType role of a PractitionerRole participant was not used")
	}
}

func TestParseFHIRNoUsableRow(t *testing.T) {
	_, err := ParseFHIR(strings.NewReader(`{"resourceType":"Appointment","status":"cancelled","start":"2026-01-05T10:00:00+01:00","minutesDuration":10}`+"\n"), Mapping{})
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "geannuleerd") {
		t.Errorf("err %v", err)
	}
}

func TestDetect(t *testing.T) {
	if Detect([]byte("\xEF\xBB\xBF \n{\"resourceType\"")) != FormatFHIR || Detect([]byte("Begin;Eind")) != FormatCSV {
		t.Error("Detect")
	}
}

func TestParseDateTimeForms(t *testing.T) {
	ok := map[string]string{
		"02-12-2026 08:30":           "2026-12-02T08:30:00+01:00",
		"2-12-2026 8:30":             "2026-12-02T08:30:00+01:00",
		"02/12/2026 08:30:15":        "2026-12-02T08:30:15+01:00",
		"02.06.2026 08:30":           "2026-06-02T08:30:00+02:00",
		"2026-06-02T08:30":           "2026-06-02T08:30:00+02:00",
		"2026-06-02 08:30:00.123":    "2026-06-02T08:30:00+02:00",
		"2026-06-02T06:30:00Z":       "2026-06-02T08:30:00+02:00",
		"2026-06-02T08:30:00+0200":   "2026-06-02T08:30:00+02:00",
		" 2026-06-02T03:30:00-03:00": "2026-06-02T08:30:00+02:00",
		"29-02-2028 10:00":           "2028-02-29T10:00:00+01:00",
	}
	for in, want := range ok {
		got, good := ParseDateTime(in)
		if !good || got.In(Amsterdam).Format(time.RFC3339) != want {
			t.Errorf("ParseDateTime(%q) = %v %v, want %s", in, got, good, want)
		}
	}
	for _, in := range []string{"", "02-12-2026", "29-02-2026 10:00", "02-12-26 08:30", "2026-12-02T8:3", "02-12-2026 08:60", "02-12-2026 08:30 CET", "02-12/2026 08:30", "2026-12-02T08:30+1"} {
		if _, good := ParseDateTime(in); good {
			t.Errorf("ParseDateTime(%q) accepted", in)
		}
	}
	mins := map[string]int64{"15": 900, "12,5": 750, "7.25": 435, "15 min": 900, "0:15": 900, "01:05:30": 3930}
	for in, want := range mins {
		if got, good := ParseMinutes(in); !good || got != want {
			t.Errorf("ParseMinutes(%q) = %d %v, want %d", in, got, good, want)
		}
	}
	for _, in := range []string{"", "abc", "1:5", "15,", "-3", "0:61"} {
		if _, good := ParseMinutes(in); good {
			t.Errorf("ParseMinutes(%q) accepted", in)
		}
	}
}
