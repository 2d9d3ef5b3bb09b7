package agenda

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// Hostile input (issue 17): whatever a practice uploads, the readers never
// panic, and a refusal is a *FileError with a Dutch message. CI runs each
// target for a fixed number of inputs (.ci/run); the long form is
//
//	go test -run '^$' -fuzz '^FuzzParseCSV$' -fuzztime 10m ./internal/agenda/

// checkRefusal fails unless err is nil or a *FileError with a message.
func checkRefusal(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var fe *FileError
	if !errors.As(err, &fe) || strings.TrimSpace(fe.Msg) == "" || strings.Contains(fe.Msg, "%!") {
		t.Fatalf("%s: refusal without a clear message: %T %v", what, err, err)
	}
}

// checkResult fails when an accepted file's aggregates are not sane.
func checkResult(t *testing.T, res Result) {
	t.Helper()
	if res.Used+res.Bad+res.Skipped > res.Rows || res.Used < 0 || res.Bad < 0 {
		t.Fatalf("counts do not add up: %+v", res)
	}
	if len(res.BadRows) > MaxBadRows || len(res.UnknownRoles) > MaxUnknownRoles {
		t.Fatalf("unbounded lists: %d bad rows, %d unknown roles", len(res.BadRows), len(res.UnknownRoles))
	}
	var total int64
	for _, w := range res.Weeks {
		if w.Week.Week < 1 || w.Week.Week > 53 || !w.Role.Valid() {
			t.Fatalf("bad aggregate %+v", w)
		}
		total += w.Count
		if w.Seconds < 0 {
			t.Fatalf("negative consult time %+v", w)
		}
	}
	if total != res.Used {
		t.Fatalf("weeks hold %d consults, %d rows used", total, res.Used)
	}
}

func FuzzParseCSV(f *testing.F) {
	var gen bytes.Buffer
	if err := GenerateCSV(&gen, Gen{Rows: 20, Seed: 7}); err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		gen.String(),
		"Begintijd;Eindtijd;Rol\n02-12-2026 08:30;02-12-2026 08:45;huisarts\n",
		"Datum,Begin,Duur (min),Behandelaar\n2026-12-02,08:30,10,Dr. Jansen\n2026-02-30,25:00,-5,\n",
		"\ufeffstart;end;role\n2026-12-02T08:30:00+01:00;2026-12-02T08:40:00Z;poh-s\n",
		"Begintijd;Eindtijd\n\"02-12-2026 08:30;02-12-2026 08:45\n",
		"a;b;c\n1;2;3\n\x00\x01;\xff\xfe;\"\"\"\n",
		"", "\n\n\n", ";;;;\n;;;;\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ReadHeader(bytes.NewReader(data))
		checkRefusal(t, "ReadHeader", err)
		if err != nil {
			return
		}
		m := GuessMapping(h)
		if m.Check() != nil {
			// The user would be asked; try the most permissive choice.
			if len(h.Columns) == 0 {
				return
			}
			m = Mapping{Start: h.Columns[0], Duration: h.Columns[len(h.Columns)-1], DefaultRole: "huisarts"}
		}
		res, err := ParseCSV(bytes.NewReader(data), m)
		checkRefusal(t, "ParseCSV", err)
		if err == nil {
			checkResult(t, res)
		}
	})
}

func FuzzParseFHIR(f *testing.F) {
	var gen bytes.Buffer
	if err := GenerateFHIR(&gen, Gen{Rows: 10, Seed: 8}); err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		gen.String(),
		`{"resourceType":"Appointment","status":"fulfilled","start":"2026-12-02T08:30:00+01:00","end":"2026-12-02T08:40:00+01:00","participant":[{"actor":{"display":"huisarts"}}]}` + "\n",
		`{"resourceType":"Appointment","status":"booked","start":"2026-12-02T08:30:00Z","minutesDuration":-10}` + "\n",
		`{"resourceType":"Appointment","start":"9999-12-31T23:59:59+14:00","end":"0001-01-01T00:00:00-12:00"}` + "\n",
		`{"resourceType":"Patient"}` + "\n" + `[1,2,3]` + "\nnull\n{\n",
		"\ufeff{}\n", "", "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseFHIR(bytes.NewReader(data), Mapping{DefaultRole: "huisarts"})
		checkRefusal(t, "ParseFHIR", err)
		if err == nil {
			checkResult(t, res)
		}
		Detect(data)
	})
}

// FuzzParseDateTime: the date, clock and duration readers of both formats
// never panic, and what they accept is a real moment of a plausible year.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"02-12-2026 08:30", "2026-12-02T08:30:00+01:00", "2026-12-02 08:30:00Z", "29-02-2025 10:00", "2026-03-29 02:30",
		"31-12-9999 23:59", "1-1-1 0:0", "2026-12-02T24:00", "2026-12-02T08:30:00+99:99", "08:30", "12", "-5", "1e9", "", " "} {
		f.Add(s, "08:30")
	}
	f.Fuzz(func(t *testing.T, s, clock string) {
		if tm, ok := ParseDateTime(s); ok {
			checkMoment(t, s, tm)
		}
		if tm, ok := ParseDateClock(s, clock); ok {
			checkMoment(t, s+" "+clock, tm)
		}
		if secs, ok := ParseMinutes(s); ok && secs < 0 {
			t.Fatalf("ParseMinutes(%q) = %d", s, secs)
		}
		parseInstant(s)
	})
}

func checkMoment(t *testing.T, s string, tm time.Time) {
	t.Helper()
	if y := tm.Year(); y < 1 || y > 9999 {
		t.Fatalf("%q read as %v", s, tm)
	}
}
