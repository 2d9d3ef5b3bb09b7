package agenda

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

// Mapping names, per practice, which CSV columns hold what. Column names
// are matched without regard to case or surrounding spaces. Start is
// required; End or Duration gives the length; Date is set when the date is
// a column of its own (then Start and End hold only a time). Role names the
// practitioner/role column; Roles maps the practice's own practitioner
// names to roles and DefaultRole counts rows with an empty or absent role
// (a practice with one GP).
type Mapping struct {
	Date        string                      `json:"date,omitempty"`
	Start       string                      `json:"start"`
	End         string                      `json:"end,omitempty"`
	Duration    string                      `json:"duration,omitempty"`
	Type        string                      `json:"type,omitempty"`
	Role        string                      `json:"role,omitempty"`
	DefaultRole mtvp.ConsultRole            `json:"default_role,omitempty"`
	Roles       map[string]mtvp.ConsultRole `json:"roles,omitempty"`
}

// Check reports, in Dutch, what is wrong with the mapping itself.
func (m Mapping) Check() error {
	var errs []string
	if strings.TrimSpace(m.Start) == "" {
		errs = append(errs, "kies de kolom met de begintijd")
	}
	if strings.TrimSpace(m.End) == "" && strings.TrimSpace(m.Duration) == "" {
		errs = append(errs, "kies de kolom met de eindtijd of die met de duur")
	}
	if strings.TrimSpace(m.Role) == "" && m.DefaultRole == "" {
		errs = append(errs, "kies de kolom met de behandelaar of rol, of een vaste rol voor alle afspraken")
	}
	if m.DefaultRole != "" && !m.DefaultRole.Valid() {
		errs = append(errs, "de vaste rol is onbekend")
	}
	for name, r := range m.Roles {
		if !r.Valid() {
			errs = append(errs, fmt.Sprintf("de rol voor behandelaar %q is onbekend", name))
		}
	}
	if len(errs) > 0 {
		return &FileError{Msg: "Kolomindeling onvolledig: " + strings.Join(errs, "; ") + "."}
	}
	return nil
}

// Fits reports whether every mapped column is in header.
func (m Mapping) Fits(header []string) bool {
	_, err := m.indices(header)
	return err == nil && m.Check() == nil
}

type colIdx struct{ date, start, end, dur, typ, role, need int }

func (m Mapping) indices(header []string) (colIdx, error) {
	pos := map[string]int{}
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := pos[k]; !dup {
			pos[k] = i
		}
	}
	var missing []string
	find := func(name string) int {
		name = strings.TrimSpace(name)
		if name == "" {
			return -1
		}
		i, ok := pos[strings.ToLower(name)]
		if !ok {
			missing = append(missing, fmt.Sprintf("%q", name))
			return -1
		}
		return i
	}
	c := colIdx{date: find(m.Date), start: find(m.Start), end: find(m.End), dur: find(m.Duration), typ: find(m.Type), role: find(m.Role)}
	if len(missing) > 0 {
		return c, &FileError{Msg: "Kolom " + strings.Join(missing, ", ") + " staat niet in de kopregel van het bestand. Controleer de kolomindeling."}
	}
	for _, i := range []int{c.date, c.start, c.end, c.dur, c.typ, c.role} {
		c.need = max(c.need, i+1)
	}
	return c, nil
}

// Header is the first line of a CSV export and its first data row, for
// the mapping step.
type Header struct {
	Columns []string
	Sample  []string
	Comma   rune
}

// sniffComma picks the separator the header line uses most: ';', ',' or tab.
func sniffComma(line []byte) rune {
	best, n := ';', bytes.Count(line, []byte{';'})
	if c := bytes.Count(line, []byte{','}); c > n {
		best, n = ',', c
	}
	if c := bytes.Count(line, []byte{'\t'}); c > n {
		best = '\t'
	}
	return best
}

func newCSVReader(r io.Reader) (*csv.Reader, rune, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	skipBOM(br)
	first, err := br.Peek(4096)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, 0, err
	}
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	comma := sniffComma(first)
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr, comma, nil
}

func readHeader(cr *csv.Reader) ([]string, error) {
	rec, err := cr.Read()
	if err == io.EOF {
		return nil, &FileError{Msg: "Het bestand is leeg.", err: ErrNoUsableRows}
	}
	if err != nil {
		return nil, &FileError{Msg: "De kopregel van het bestand is onleesbaar.", err: err}
	}
	cols := make([]string, len(rec))
	for i, c := range rec {
		cols[i] = strings.TrimSpace(c)
	}
	if len(cols) < 2 {
		return nil, &FileError{Msg: "In de kopregel staat maar één kolom. Gebruik een puntkomma (;) of komma (,) tussen de kolommen."}
	}
	return cols, nil
}

// ReadHeader reads the header line and the first data row of a CSV export.
func ReadHeader(r io.Reader) (Header, error) {
	cr, comma, err := newCSVReader(r)
	if err != nil {
		return Header{}, err
	}
	cols, err := readHeader(cr)
	if err != nil {
		return Header{}, err
	}
	h := Header{Columns: cols, Comma: comma}
	if rec, err := cr.Read(); err == nil {
		h.Sample = append([]string(nil), rec...)
	}
	return h, nil
}

// GuessMapping proposes a mapping from the header names (and, to tell a
// date-and-time column from a time-only one, the first data row).
func GuessMapping(h Header) Mapping {
	var m Mapping
	name := func(i int) string { return h.Columns[i] }
	sample := func(i int) string {
		if i < len(h.Sample) {
			return h.Sample[i]
		}
		return ""
	}
	has := func(k string, words ...string) bool {
		for _, w := range words {
			if strings.Contains(k, w) {
				return true
			}
		}
		return false
	}
	for i, c := range h.Columns {
		k := strings.ToLower(c)
		switch {
		case has(k, "patient", "patiënt", "bsn", "naam pat", "geboorte"):
			// never proposed for anything
		case m.Start == "" && has(k, "begin", "start", "aanvang", "van"):
			m.Start = name(i)
		case m.End == "" && has(k, "eind", "einde", "end", "tot"):
			m.End = name(i)
		case m.Duration == "" && has(k, "duur", "duration", "minuten", "minutes"):
			m.Duration = name(i)
		case m.Type == "" && has(k, "type", "soort", "afspraaksoort", "categorie"):
			m.Type = name(i)
		case m.Role == "" && has(k, "rol", "role", "behandelaar", "medewerker", "practitioner", "functie", "discipline"):
			m.Role = name(i)
		case m.Date == "" && (k == "datum" || k == "date" || k == "afspraakdatum"):
			m.Date = name(i)
		}
	}
	if m.Date != "" && m.Start != "" {
		for i, c := range h.Columns {
			if c == m.Start {
				if _, ok := ParseDateTime(sample(i)); ok {
					m.Date = "" // the start column carries its own date
				}
			}
		}
	}
	if m.End != "" && m.Duration != "" {
		m.Duration = ""
	}
	return m
}

// ParseCSV reads a CSV export with mapping m in one pass.
func ParseCSV(r io.Reader, m Mapping) (Result, error) {
	if err := m.Check(); err != nil {
		return Result{}, err
	}
	cr, _, err := newCSVReader(r)
	if err != nil {
		return Result{}, err
	}
	header, err := readHeader(cr)
	if err != nil {
		return Result{}, err
	}
	ix, err := m.indices(header)
	if err != nil {
		return Result{}, err
	}
	a := newAggregator(FormatCSV)
	roles := newRoleCache(m.Roles)
	types := typeCache{}
	startHint := "verwacht bijvoorbeeld 02-12-2026 08:30 of 2026-12-02T08:30"
	if ix.date >= 0 {
		startHint = "verwacht een datum als 02-12-2026 en een tijd als 08:30"
	}
	lastErrLine, repeats := int64(-1), 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := int64(0)
			if errors.As(err, &pe) {
				line = int64(pe.Line)
			}
			a.res.Rows++
			a.bad(line, "regel onleesbaar (aanhalingstekens kloppen niet)")
			if line == lastErrLine {
				if repeats++; repeats > 3 {
					break
				}
			}
			lastErrLine = line
			continue
		}
		a.res.Rows++
		line, _ := cr.FieldPos(0)
		if len(rec) < ix.need {
			a.bad(int64(line), fmt.Sprintf("te weinig kolommen (%d, nodig %d)", len(rec), ix.need))
			continue
		}
		var date string
		if ix.date >= 0 {
			date = rec[ix.date]
		}
		start, ok := parseAt(date, rec[ix.start], ix.date >= 0)
		if !ok {
			a.bad(int64(line), "begintijd onleesbaar ("+startHint+")")
			continue
		}
		var secs int64
		switch {
		case ix.end >= 0 && strings.TrimSpace(rec[ix.end]) != "":
			end, ok := parseAt(date, rec[ix.end], ix.date >= 0)
			if !ok {
				a.bad(int64(line), "eindtijd onleesbaar ("+startHint+")")
				continue
			}
			secs = int64(end.Sub(start).Seconds())
		case ix.dur >= 0 && strings.TrimSpace(rec[ix.dur]) != "":
			d, ok := ParseMinutes(rec[ix.dur])
			if !ok {
				a.bad(int64(line), "duur onleesbaar (verwacht minuten, bijvoorbeeld 15, of 0:15)")
				continue
			}
			secs = d
		default:
			a.bad(int64(line), "eindtijd en duur ontbreken")
			continue
		}
		if reason := lengthProblem(secs); reason != "" {
			a.bad(int64(line), reason)
			continue
		}
		role := m.DefaultRole
		if ix.role >= 0 && strings.TrimSpace(rec[ix.role]) != "" {
			r, ok := roles.lookup(rec[ix.role])
			if !ok {
				roles.miss(rec[ix.role])
				a.bad(int64(line), "behandelaar of rol onbekend; wijs de rol toe in de kolomindeling")
				continue
			}
			role = r
		}
		if role == "" {
			a.bad(int64(line), "behandelaar of rol ontbreekt")
			continue
		}
		typ := ""
		if ix.typ >= 0 {
			typ = rec[ix.typ]
		}
		a.add(start, secs, role, types.double(typ, secs))
	}
	return a.finish(roles)
}

func parseAt(date, s string, dateCol bool) (t time.Time, ok bool) {
	if dateCol {
		if t, ok = ParseDateClock(date, s); ok {
			return t, true
		}
	}
	return ParseDateTime(s)
}

// lengthProblem judges a consult's length in seconds.
func lengthProblem(secs int64) string {
	switch {
	case secs <= 0:
		return "eindtijd ligt niet na de begintijd"
	case secs > mtvp.MaxConsultMinutes*60:
		return fmt.Sprintf("afspraak duurt langer dan %d minuten", mtvp.MaxConsultMinutes)
	}
	return ""
}
