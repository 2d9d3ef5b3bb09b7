package agenda

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strings"
	"time"

	"meertijd/internal/mtvp"
)

type fhirCoding struct {
	Code    string `json:"code"`
	Display string `json:"display"`
}

type fhirConcept struct {
	Text   string       `json:"text"`
	Coding []fhirCoding `json:"coding"`
}

func (c *fhirConcept) texts() []string {
	if c == nil {
		return nil
	}
	var out []string
	if c.Text != "" {
		out = append(out, c.Text)
	}
	for _, k := range c.Coding {
		if k.Display != "" {
			out = append(out, k.Display)
		}
		if k.Code != "" {
			out = append(out, k.Code)
		}
	}
	return out
}

// fhirAppointment holds the fields of an R4 Appointment that are read.
// Patient participants decode into the same struct but their reference
// and display are only compared against "Practitioner", never kept.
type fhirAppointment struct {
	ResourceType    string        `json:"resourceType"`
	Status          string        `json:"status"`
	Start           string        `json:"start"`
	End             string        `json:"end"`
	MinutesDuration *float64      `json:"minutesDuration"`
	AppointmentType *fhirConcept  `json:"appointmentType"`
	ServiceType     []fhirConcept `json:"serviceType"`
	Participant     []struct {
		Type  []fhirConcept `json:"type"`
		Actor *struct {
			Reference string `json:"reference"`
			Display   string `json:"display"`
		} `json:"actor"`
	} `json:"participant"`
}

// notConsult are statuses of appointments that did not take place.
var notConsult = map[string]bool{"cancelled": true, "noshow": true, "entered-in-error": true, "proposed": true, "pending": true, "waitlist": true}

// MaxFHIRLine bounds one NDJSON line (one Appointment).
const MaxFHIRLine = 1 << 20

// ParseFHIR reads FHIR R4 Appointment resources, one JSON object per line
// (NDJSON). Only m.Roles and m.DefaultRole of the mapping are used.
func ParseFHIR(r io.Reader, m Mapping) (Result, error) {
	for name, role := range m.Roles {
		if !role.Valid() {
			return Result{}, &FileError{Msg: "De rol voor behandelaar " + name + " is onbekend."}
		}
	}
	br := bufio.NewReaderSize(r, 256<<10)
	skipBOM(br)
	a := newAggregator(FormatFHIR)
	roles := newRoleCache(m.Roles)
	types := typeCache{}
	var line int64
	var long []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(long)+len(chunk) <= MaxFHIRLine {
				long = append(long, chunk...)
			} else {
				long = append(long[:0], 'x') // mark as too long; keep reading to the newline
			}
			continue
		}
		if long != nil {
			chunk = append(long, chunk...)
			long = nil
		}
		if len(chunk) > 0 {
			line++
			a.fhirLine(line, bytes.TrimSpace(chunk), roles, types, m.DefaultRole)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return Result{}, &FileError{Msg: "Het bestand kon niet helemaal gelezen worden.", err: err}
		}
	}
	return a.finish(roles)
}

func (a *aggregator) fhirLine(line int64, b []byte, roles *roleCache, types typeCache, defaultRole mtvp.ConsultRole) {
	if len(b) == 0 {
		return
	}
	a.res.Rows++
	if len(b) > MaxFHIRLine {
		a.bad(line, "regel te lang")
		return
	}
	var ap fhirAppointment
	if err := json.Unmarshal(b, &ap); err != nil {
		a.bad(line, "geen geldige JSON")
		return
	}
	if ap.ResourceType != "Appointment" {
		a.bad(line, "geen FHIR Appointment (resourceType)")
		return
	}
	if notConsult[ap.Status] {
		a.res.Skipped++
		return
	}
	start, ok := parseInstant(ap.Start)
	if !ok {
		a.bad(line, "start ontbreekt of is onleesbaar (verwacht bijvoorbeeld 2026-12-02T08:30:00+01:00)")
		return
	}
	var secs int64
	switch {
	case ap.End != "":
		end, ok := parseInstant(ap.End)
		if !ok {
			a.bad(line, "end is onleesbaar (verwacht bijvoorbeeld 2026-12-02T08:45:00+01:00)")
			return
		}
		secs = int64(end.Sub(start).Seconds())
	case ap.MinutesDuration != nil && !math.IsNaN(*ap.MinutesDuration):
		secs = int64(math.Round(*ap.MinutesDuration * 60))
	default:
		a.bad(line, "end en minutesDuration ontbreken")
		return
	}
	if reason := lengthProblem(secs); reason != "" {
		a.bad(line, reason)
		return
	}
	role, found := fhirRole(&ap, roles)
	if !found {
		if defaultRole == "" {
			for _, p := range ap.Participant {
				if p.Actor != nil && strings.HasPrefix(p.Actor.Reference, "Practitioner") && p.Actor.Display != "" {
					roles.miss(p.Actor.Display)
					break
				}
			}
			a.bad(line, "rol van de behandelaar onbekend (participant Practitioner of serviceType)")
			return
		}
		role = defaultRole
	}
	typ := ""
	if t := ap.AppointmentType.texts(); len(t) > 0 {
		typ = strings.Join(t, " ")
	}
	a.add(start, secs, role, types.double(typ, secs))
}

// fhirRole finds the role of the appointment's practitioner: from a
// Practitioner participant's type or display name, else from serviceType.
func fhirRole(ap *fhirAppointment, roles *roleCache) (mtvp.ConsultRole, bool) {
	first := func(cs []fhirConcept) (mtvp.ConsultRole, bool) {
		for i := range cs {
			for _, s := range cs[i].texts() {
				if r, ok := roles.lookup(s); ok {
					return r, true
				}
			}
		}
		return "", false
	}
	for _, p := range ap.Participant {
		if p.Actor == nil || !strings.HasPrefix(p.Actor.Reference, "Practitioner") {
			continue
		}
		if r, ok := first(p.Type); ok {
			return r, true
		}
		if p.Actor.Display != "" {
			if r, ok := roles.lookup(p.Actor.Display); ok {
				return r, true
			}
		}
	}
	return first(ap.ServiceType)
}

// parseInstant reads a FHIR instant/dateTime with a time; without an
// offset it is an Amsterdam wall-clock time.
func parseInstant(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	return ParseDateTime(s)
}
