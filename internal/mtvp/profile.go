package mtvp

import (
	"strings"
	"time"
)

// Practice profile (issue 16 §2): a page the practice and its consultant
// keep together. Built from data already in meertijd — size, team, chosen
// interventions over the years, participation, visits, outcome figures —
// with two free fields typed in: focus and ambitions, versioned.

// PracticeProfileText is one saved version of the free fields.
type PracticeProfileText struct {
	PracticeID int64
	Version    int // 0: never saved
	Focus      string
	Ambitions  string
	UserName   string
	SavedAt    time.Time
}

// MaxProfileText bounds each free field.
const MaxProfileText = 4000

// Normalize trims the fields.
func (p *PracticeProfileText) Normalize() {
	p.Focus = strings.TrimSpace(p.Focus)
	p.Ambitions = strings.TrimSpace(p.Ambitions)
}

// Validate checks the lengths and control characters.
func (p *PracticeProfileText) Validate() error {
	f := FieldErrors{}
	for field, v := range map[string]string{"focus": p.Focus, "ambitions": p.Ambitions} {
		if len(v) > MaxProfileText {
			f.Add(field, "err.too_long")
		} else if _, bad := ControlChar(v); bad {
			f.Add(field, "err.control_char")
		}
	}
	return f.Err()
}

// CanSeePracticeProfile: the practice, its consultant and the region
// admins — the same people who see the practice; never another practice
// or a funder (funders see only aggregated figures).
func (u *User) CanSeePracticeProfile(p *Practice) bool { return u.CanSeePractice(p) }

// CanEditPracticeProfile: the practice itself and its own consultant keep
// the free fields; a region admin may correct them.
func (u *User) CanEditPracticeProfile(p *Practice) bool {
	if u == nil || p == nil {
		return false
	}
	if u.CanEditStaff(p) {
		return true
	}
	return p.ConsultantID == u.ID && u.hasRegionRole(p.RegionID, AccountConsultant)
}
