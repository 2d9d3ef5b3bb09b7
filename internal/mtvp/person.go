package mtvp

import (
	"math"
	"strings"
	"time"
)

// StaffRole is a person's role at a practice.
type StaffRole string

const (
	RolePraktijkhouder   StaffRole = "praktijkhouder"
	RoleHidha            StaffRole = "hidha"
	RoleVasteWaarnemer   StaffRole = "vaste_waarnemer"
	RoleWaarnemer        StaffRole = "waarnemer"
	RoleDoktersassistent StaffRole = "doktersassistent"
	RolePOHSomatiek      StaffRole = "poh_somatiek"
	RolePOHGGZ           StaffRole = "poh_ggz"
	RolePraktijkmanager  StaffRole = "praktijkmanager"
	RoleOverig           StaffRole = "overig"
)

// StaffRoles in display order.
var StaffRoles = []StaffRole{RolePraktijkhouder, RoleHidha, RoleVasteWaarnemer, RoleWaarnemer,
	RoleDoktersassistent, RolePOHSomatiek, RolePOHGGZ, RolePraktijkmanager, RoleOverig}

func (r StaffRole) Valid() bool {
	for _, x := range StaffRoles {
		if x == r {
			return true
		}
	}
	return false
}

// IsGP reports whether the role is a GP (huisarts) role.
func (r StaffRole) IsGP() bool {
	return r == RolePraktijkhouder || r == RoleHidha || r == RoleVasteWaarnemer || r == RoleWaarnemer
}

// ParseStaffRole accepts the code or common spreadsheet spellings
// ("Doktersassistente", "POH-GGZ", "Vaste waarnemer", "HIDHA").
func ParseStaffRole(s string) (StaffRole, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer("-", "_", " ", "_").Replace(k)
	switch k {
	case "assistente", "doktersassistente", "assistent", "da":
		k = string(RoleDoktersassistent)
	case "huisarts_praktijkhouder", "praktijkhouder_huisarts", "ph":
		k = string(RolePraktijkhouder)
	case "huisarts_in_dienst_van_huisarts", "hidha's", "hagro_hidha":
		k = string(RoleHidha)
	case "poh_s", "poh_som", "poh":
		k = string(RolePOHSomatiek)
	case "poh_ggz_", "pohggz":
		k = string(RolePOHGGZ)
	case "manager", "praktijk_manager":
		k = string(RolePraktijkmanager)
	case "vaste_waarneemster":
		k = string(RoleVasteWaarnemer)
	case "waarneemster", "locum":
		k = string(RoleWaarnemer)
	}
	r := StaffRole(k)
	return r, r.Valid()
}

// Person is someone on a practice's staff. A person needs no login; one
// person may work at several practices (a locum at two).
type Person struct {
	ID        int64
	RegionID  int64
	Name      string
	Email     string
	BIG       string // 11 digits, optional
	KABIZ     string // quality register number of assistants, optional
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Normalize trims user input.
func (p *Person) Normalize() {
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	p.BIG = strings.ReplaceAll(strings.TrimSpace(p.BIG), " ", "")
	p.KABIZ = strings.TrimSpace(p.KABIZ)
}

// Validate checks a person.
func (p *Person) Validate() error {
	f := FieldErrors{}
	p.validate(f)
	return f.Err()
}

func (p *Person) validate(f FieldErrors) {
	if p.Name == "" {
		f.Add("name", "err.required")
	} else if len(p.Name) > 200 {
		f.Add("name", "err.too_long")
	}
	if p.Email != "" && !ValidEmail(p.Email) {
		f.Add("email", "err.email_format")
	}
	if p.BIG != "" && !ValidBIG(p.BIG) {
		f.Add("big", "err.big_format")
	}
	if len(p.KABIZ) > 20 {
		f.Add("kabiz", "err.too_long")
	}
}

// Membership is a person's work at a practice in a role, for a period.
type Membership struct {
	ID         int64
	PersonID   int64
	PracticeID int64
	Role       StaffRole
	FTE        float64 // 0 – 1.5
	From       Date
	To         Date // zero = open-ended
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// MaxFTE is the highest FTE accepted for one membership.
const MaxFTE = 1.5

// Normalize rounds FTE to hundredths.
func (m *Membership) Normalize() { m.FTE = math.Round(m.FTE*100) / 100 }

// Validate checks a membership.
func (m *Membership) Validate() error {
	f := FieldErrors{}
	m.validate(f)
	return f.Err()
}

func (m *Membership) validate(f FieldErrors) {
	if !m.Role.Valid() {
		f.Add("role", "err.role_unknown")
	}
	if m.FTE < 0 || m.FTE > MaxFTE || math.IsNaN(m.FTE) {
		f.Add("fte", "err.fte_range")
	}
	if m.From.IsZero() {
		f.Add("from", "err.required")
	}
	if !m.To.IsZero() && !m.From.IsZero() && m.To.Before(m.From) {
		f.Add("to", "err.to_before_from")
	}
}

// ActiveOn reports whether the membership covers day d.
func (m Membership) ActiveOn(d Date) bool {
	if m.From.After(d) {
		return false
	}
	return m.To.IsZero() || !m.To.Before(d)
}

// ValidateStaff checks a new person with their first membership together,
// so a form shows every problem at once.
func ValidateStaff(p *Person, m *Membership) error {
	f := FieldErrors{}
	p.validate(f)
	m.validate(f)
	return f.Err()
}

// StaffMember is a membership with its person, as a practice's staff list
// shows it.
type StaffMember struct {
	Membership
	Person Person
	// OtherPractices counts the person's other current practices (a locum);
	// names of other practices are not shown to a practice.
	OtherPractices int
}
