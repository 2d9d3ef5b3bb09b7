package mtvp

import (
	"strings"
	"time"
	"unicode/utf8"
)

// A compliance snapshot freezes the standing of every practice of a region
// for a programme year at a reference date, e.g. for the yearly meeting
// with the insurers. It is built from the Standings EvaluateCompliance
// returns (never computed a second way), holds no names of people, and
// copies what it shows of each practice (AGB, name, consultant, inflow
// wave) so it never changes afterwards.

// ComplianceSnapshot is one frozen standing of a region.
type ComplianceSnapshot struct {
	ID          int64
	RegionID    int64
	Year        int
	Ref         Date
	Note        string
	Settings    NormSettings // the region's settings at freeze time
	CreatedBy   int64
	CreatedName string
	CreatedAt   time.Time
	// PracticeCount and CompliantCount: practices in the snapshot and those
	// meeting every applicable requirement.
	PracticeCount  int
	CompliantCount int
	// Practices in display order; empty in lists (ListComplianceSnapshots).
	Practices []SnapshotPractice
}

// SnapshotPractice is one practice as frozen.
type SnapshotPractice struct {
	PracticeID   int64
	AGB          string
	Name         string
	Consultant   string
	InflowWave   string
	Compliant    bool
	Requirements []SnapshotRequirement // AllRequirements order
}

// Requirement returns the frozen result for code (not applicable if absent).
func (p SnapshotPractice) Requirement(code Requirement) SnapshotRequirement {
	for _, r := range p.Requirements {
		if r.Code == code {
			return r
		}
	}
	return SnapshotRequirement{Code: code, Status: StatusNotApplicable}
}

// SnapshotRequirement is one requirement's frozen result (no people).
type SnapshotRequirement struct {
	Code                                   Requirement
	Status                                 ComplianceStatus
	Required, Actual, Pending, Denominator int
	Explanation                            string // Dutch, as frozen
	MessageKey                             string // the same sentence for i18n
	Args                                   []any
}

// Text is the explanation in lang: the message in that language when the
// key is known, else the frozen Dutch sentence.
func (r SnapshotRequirement) Text(lang string) string {
	if lang == "nl" || r.MessageKey == "" {
		return r.Explanation
	}
	if s := (Msg{Key: r.MessageKey, Args: r.Args}).Text(lang); s != r.MessageKey && !strings.Contains(s, "%!") {
		return s
	}
	return r.Explanation
}

// MaxSnapshotNote is the longest note a snapshot takes (characters).
const MaxSnapshotNote = 1000

// ValidateSnapshotRequest checks what a region admin asks to freeze: a
// reference date inside the programme year and not after today (a
// snapshot records what was, not a forecast), and a short note.
func ValidateSnapshotRequest(year int, ref Date, note string, today Date) error {
	f := FieldErrors{}
	switch {
	case year < 2000 || year > 2100:
		f.Add("jaar", "normen.err.year")
	case ref.IsZero():
		f.Add("peildatum", "err.required")
	case ref.Year() != year:
		f.Add("peildatum", "normen.err.ref_outside_year")
	case ref.After(today):
		f.Add("peildatum", "normen.err.ref_future")
	}
	if utf8.RuneCountInString(note) > MaxSnapshotNote {
		f.Add("notitie", "normen.err.note_too_long")
	}
	return f.Err()
}

// NewComplianceSnapshot builds a snapshot of practices (in the given order)
// from their standings; a practice without a standing is left out. Names of
// people are never copied.
func NewComplianceSnapshot(regionID int64, year int, ref Date, note string, s NormSettings, practices []Practice, standings map[int64]Standing) ComplianceSnapshot {
	snap := ComplianceSnapshot{RegionID: regionID, Year: year, Ref: ref, Note: strings.TrimSpace(note), Settings: s}
	for _, p := range practices {
		st, ok := standings[p.ID]
		if !ok {
			continue
		}
		sp := SnapshotPractice{PracticeID: p.ID, AGB: p.AGB, Name: p.Name, Consultant: p.ConsultantName, InflowWave: p.InflowWave, Compliant: st.Compliant}
		for _, r := range st.Requirements {
			sp.Requirements = append(sp.Requirements, SnapshotRequirement{
				Code: r.Code, Status: r.Status, Required: r.Required, Actual: r.Actual, Pending: r.Pending, Denominator: r.Denominator,
				Explanation: r.Explanation, MessageKey: r.MessageKey, Args: r.Args,
			})
		}
		snap.Practices = append(snap.Practices, sp)
		snap.PracticeCount++
		if sp.Compliant {
			snap.CompliantCount++
		}
	}
	return snap
}

// CountsInCompliance reports whether a practice belongs in the standing of
// a programme year: it takes part (status actief) and started in or before
// that year (practices that signed up but have not started, or stopped,
// have no norms to meet).
func CountsInCompliance(p Practice, year int) bool {
	if p.Status != PracticeActive {
		return false
	}
	return p.JoinedOn.IsZero() || p.JoinedOn.Year() <= year
}

// Who may see and freeze the standing. Names of people appear only on the
// practice's own page (CanSeePracticeStanding); the dashboard and snapshots
// show counts.

// CanSeeComplianceDashboard: the region's practices × requirements
// (consultants: their own practices, see PracticeScope).
func (u *User) CanSeeComplianceDashboard(region int64) bool { return u.CanListPractices(region) }

// CanSeePracticeStanding: a practice's own standing with names.
func (u *User) CanSeePracticeStanding(p *Practice) bool { return u.CanSeePractice(p) }

// CanFreezeSnapshot: freeze the region's standing.
func (u *User) CanFreezeSnapshot(region int64) bool { return u.CanAdminRegion(region) }

// CanSeeSnapshots: list, view and export the region's frozen snapshots
// (all practices of the region, so region admins only).
func (u *User) CanSeeSnapshots(region int64) bool { return u.CanAdminRegion(region) }
