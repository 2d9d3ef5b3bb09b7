package mtvp

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// PracticeStatus is where a practice stands in the programme.
type PracticeStatus string

const (
	PracticeInterested PracticeStatus = "aangemeld" // signed up, not started
	PracticeActive     PracticeStatus = "actief"    // taking part
	PracticeStopped    PracticeStatus = "gestopt"   // left the programme
)

// PracticeStatuses in display order.
var PracticeStatuses = []PracticeStatus{PracticeInterested, PracticeActive, PracticeStopped}

func (s PracticeStatus) Valid() bool {
	return s == PracticeInterested || s == PracticeActive || s == PracticeStopped
}

// Practice is a GP practice (huisartsenpraktijk) in a region.
type Practice struct {
	ID                 int64
	RegionID           int64
	AGB                string // 8 digits
	Name               string
	Street             string
	Postcode           string
	City               string
	RegisteredPatients int   // ingeschreven op naam (ION)
	ConsultantID       int64 // user id of the assigned consultant; 0 = none
	ConsultantName     string
	JoinedOn           Date   // start in MTVP
	InflowWave         string // "2024-Q1"; derived from JoinedOn when empty
	Status             PracticeStatus
	Version            int
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// PracticeSummary is a practice row in the region overview.
type PracticeSummary struct {
	Practice
	StaffCount int     // current memberships
	GPFTE      float64 // FTE of praktijkhouders, hidha's and vaste waarnemers
}

// PatientsPerGPFTE is the "normpraktijk" comparison figure (2,095 = 1.0).
func (s PracticeSummary) PatientsPerGPFTE() int {
	if s.GPFTE <= 0 {
		return 0
	}
	return int(float64(s.RegisteredPatients)/s.GPFTE + 0.5)
}

// Size classifies by number of GP FTE as Dutch statistics do.
func (s PracticeSummary) Size() string {
	switch {
	case s.GPFTE <= 1.2:
		return "solo"
	case s.GPFTE <= 2.2:
		return "duo"
	default:
		return "groep"
	}
}

// PracticeFilter selects practices for the overview.
type PracticeFilter struct {
	RegionID     int64
	Query        string // name, AGB or city contains
	Status       PracticeStatus
	ConsultantID int64
	InflowWave   string
	// OnlyConsultant restricts to a consultant's own practices (access rule,
	// not a user filter).
	OnlyConsultant int64
	// OnlyPractices restricts to these ids (practice logins); nil = no limit.
	OnlyPractices []int64
}

var (
	agbPattern      = regexp.MustCompile(`^[0-9]{8}$`)
	bigPattern      = regexp.MustCompile(`^[0-9]{11}$`)
	postcodePattern = regexp.MustCompile(`^[1-9][0-9]{3} ?[A-Z]{2}$`)
	wavePattern     = regexp.MustCompile(`^[0-9]{4}-Q[1-4]$`)
)

// ValidAGB reports whether s is an 8-digit AGB code.
func ValidAGB(s string) bool { return agbPattern.MatchString(s) }

// ValidBIG reports whether s is an 11-digit BIG number.
func ValidBIG(s string) bool { return bigPattern.MatchString(s) }

// ValidEmail accepts a bare address (no display name).
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// WaveOf names the inflow wave (quarter) of a start date: "2024-Q1".
func WaveOf(d Date) string {
	if d.IsZero() {
		return ""
	}
	return strconv.Itoa(d.Year()) + "-Q" + strconv.Itoa(d.Quarter())
}

// Normalize trims and canonicalises user input before validation.
func (p *Practice) Normalize() {
	p.AGB = strings.ReplaceAll(strings.TrimSpace(p.AGB), " ", "")
	p.Name = strings.TrimSpace(p.Name)
	p.Street = strings.TrimSpace(p.Street)
	p.Postcode = strings.ToUpper(strings.TrimSpace(p.Postcode))
	if len(p.Postcode) == 6 && postcodePattern.MatchString(p.Postcode) {
		p.Postcode = p.Postcode[:4] + " " + p.Postcode[4:]
	}
	p.City = strings.TrimSpace(p.City)
	p.InflowWave = strings.ToUpper(strings.TrimSpace(p.InflowWave))
	p.InflowWave = strings.Replace(p.InflowWave, "-Q", "-Q", 1)
	if p.InflowWave == "" {
		p.InflowWave = WaveOf(p.JoinedOn)
	}
	if p.Status == "" {
		p.Status = PracticeInterested
	}
}

// Validate checks a practice.
func (p *Practice) Validate() error {
	f := FieldErrors{}
	if p.AGB == "" {
		f.Add("agb", "err.required")
	} else if !ValidAGB(p.AGB) {
		f.Add("agb", "err.agb_format")
	}
	if p.Name == "" {
		f.Add("name", "err.required")
	} else if len(p.Name) > 200 {
		f.Add("name", "err.too_long")
	}
	if p.Postcode != "" && !postcodePattern.MatchString(p.Postcode) {
		f.Add("postcode", "err.postcode_format")
	}
	if p.RegisteredPatients < 0 || p.RegisteredPatients > 100000 {
		f.Add("registered_patients", "err.patients_range")
	}
	if p.InflowWave != "" && !wavePattern.MatchString(p.InflowWave) {
		f.Add("inflow_wave", "err.wave_format")
	}
	if !p.Status.Valid() {
		f.Add("status", "err.status_unknown")
	}
	if p.Status == PracticeActive && p.JoinedOn.IsZero() {
		f.Add("joined_on", "err.joined_required")
	}
	return f.Err()
}
