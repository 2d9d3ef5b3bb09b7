package agenda

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// Gen describes a generated agenda export, for tests, benchmarks and the
// demo. Every row carries made-up patient identifiers (a BSN-like number,
// a name, a birth date) so tests can prove they are never kept.
type Gen struct {
	Rows  int
	From  time.Time // first working day (Amsterdam); consults follow on working days
	Seed  uint64
	Comma rune // ';' (default) or ','
	ISO   bool // ISO dates instead of Dutch "02-12-2026 08:30"
	// Duration writes a duration column in minutes instead of an end time.
	Duration bool
	// BadEvery makes every n-th row unreadable (0: none).
	BadEvery int
	// PerDay consults per working day (default 120).
	PerDay int
}

// GenCSVHeader is the header GenerateCSV writes (with "Duur (min)" in
// place of "Eindtijd" when Gen.Duration is set).
var GenCSVHeader = []string{"Patiëntnummer", "Patiëntnaam", "Geboortedatum", "BSN", "Begintijd", "Eindtijd", "Afspraaksoort", "Behandelaar"}

// GenPatient returns the identifiers of generated patient i.
func GenPatient(i int) (number, name, birth, bsn string) {
	return fmt.Sprintf("PAT%07d", i), fmt.Sprintf("Pieternel Testpatiënt%d", i), fmt.Sprintf("%02d-%02d-19%02d", 1+i%28, 1+i%12, 30+i%70), fmt.Sprintf("9%08d", i)
}

var genRoles = []string{"Huisarts", "Huisarts", "Huisarts", "POH-S", "POH-GGZ", "Doktersassistente"}
var genTypes = []string{"Consult", "Consult", "Consult", "Dubbel consult", "Telefonisch consult"}

func (g *Gen) defaults() {
	if g.Comma == 0 {
		g.Comma = ';'
	}
	if g.PerDay == 0 {
		g.PerDay = 120
	}
	if g.From.IsZero() {
		g.From = time.Date(2026, 1, 5, 0, 0, 0, 0, Amsterdam)
	}
}

// genRow yields the i-th consult: day offset in working days, start minute
// of the day, length in minutes, role and type.
func (g *Gen) appointments(each func(i int, start time.Time, minutes int, role, typ string)) {
	rng := rand.New(rand.NewPCG(g.Seed, 42))
	day := g.From
	slot := 0
	for i := 0; i < g.Rows; i++ {
		if slot == g.PerDay {
			slot = 0
			day = day.AddDate(0, 0, 1)
			for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
				day = day.AddDate(0, 0, 1)
			}
		}
		start := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, Amsterdam).Add(time.Duration(slot%40) * 12 * time.Minute)
		slot++
		minutes := 5 + rng.IntN(26)
		typ := genTypes[rng.IntN(len(genTypes))]
		if typ == "Dubbel consult" {
			minutes = 20 + rng.IntN(11)
		}
		each(i, start, minutes, genRoles[rng.IntN(len(genRoles))], typ)
	}
}

func (g *Gen) stamp(buf []byte, t time.Time) []byte {
	t = t.In(Amsterdam)
	if g.ISO {
		return t.AppendFormat(buf, "2006-01-02T15:04:05")
	}
	return t.AppendFormat(buf, "02-01-2006 15:04")
}

// GenerateCSV writes a CSV agenda export.
func GenerateCSV(w io.Writer, g Gen) error {
	g.defaults()
	bw := bufio.NewWriterSize(w, 256<<10)
	sep := byte(g.Comma)
	for i, h := range GenCSVHeader {
		if i > 0 {
			bw.WriteByte(sep)
		}
		if h == "Eindtijd" && g.Duration {
			h = "Duur (min)"
		}
		bw.WriteString(h)
	}
	bw.WriteByte('\n')
	var buf []byte
	g.appointments(func(i int, start time.Time, minutes int, role, typ string) {
		num, name, birth, bsn := GenPatient(i)
		buf = buf[:0]
		for _, s := range []string{num, name, birth, bsn} {
			buf = append(buf, s...)
			buf = append(buf, sep)
		}
		if g.BadEvery > 0 && i%g.BadEvery == g.BadEvery-1 {
			buf = append(buf, "31-02-2026 25:00"...)
		} else {
			buf = g.stamp(buf, start)
		}
		buf = append(buf, sep)
		if g.Duration {
			buf = strconv.AppendInt(buf, int64(minutes), 10)
		} else {
			buf = g.stamp(buf, start.Add(time.Duration(minutes)*time.Minute))
		}
		buf = append(buf, sep)
		buf = append(buf, typ...)
		buf = append(buf, sep)
		buf = append(buf, role...)
		buf = append(buf, '\n')
		bw.Write(buf)
	})
	return bw.Flush()
}

// GenerateFHIR writes FHIR R4 Appointment resources as NDJSON, each with a
// Patient participant (identifier and name) and a Practitioner one.
func GenerateFHIR(w io.Writer, g Gen) error {
	g.defaults()
	bw := bufio.NewWriterSize(w, 256<<10)
	g.appointments(func(i int, start time.Time, minutes int, role, typ string) {
		num, name, _, bsn := GenPatient(i)
		status := "fulfilled"
		if i%50 == 24 {
			status = "cancelled"
		}
		startS := start.Format(time.RFC3339)
		if g.BadEvery > 0 && i%g.BadEvery == g.BadEvery-1 {
			startS = "gisteren"
		}
		end := start.Add(time.Duration(minutes) * time.Minute).Format(time.RFC3339)
		fmt.Fprintf(bw, `{"resourceType":"Appointment","id":"a%d","status":%q,"appointmentType":{"text":%q},"serviceType":[{"text":"Huisartsenzorg"}],"start":%q,"end":%q,"participant":[{"actor":{"reference":"Patient/%s","display":%q},"status":"accepted","type":[{"text":"patiënt"}]},{"actor":{"reference":"Practitioner/p%d","display":"Medewerker %d"},"type":[{"text":%q}],"status":"accepted"}],"identifier":[{"system":"http://fhir.nl/fhir/NamingSystem/bsn","value":%q}]}`+"\n",
			i, status, typ, startS, end, num, name, i%7, i%7, role, bsn)
	})
	return bw.Flush()
}
