package mtvp

import (
	"regexp"
	"strings"
	"time"
)

// The training menu (menukaart): trainings with sessions, sign-ups
// (enrolments with a waiting list), completions and prior-learning claims.

// TargetGroup says for whom a training is meant.
type TargetGroup string

const (
	TargetAssistants TargetGroup = "assistenten"
	TargetGPs        TargetGroup = "huisartsen"
	TargetBoth       TargetGroup = "beide"
)

// TargetGroups in display order.
var TargetGroups = []TargetGroup{TargetAssistants, TargetGPs, TargetBoth}

func (g TargetGroup) Valid() bool {
	return g == TargetAssistants || g == TargetGPs || g == TargetBoth
}

// ForAssistants reports whether the training is on the assistants' menu.
func (g TargetGroup) ForAssistants() bool { return g == TargetAssistants || g == TargetBoth }

// ForGPs reports whether the training is on the GPs' menu.
func (g TargetGroup) ForGPs() bool { return g == TargetGPs || g == TargetBoth }

// Register is the accreditation register of a training.
type Register string

const (
	RegisterNone  Register = "geen"
	RegisterGAIA  Register = "GAIA"  // GPs, keyed on the BIG number
	RegisterKABIZ Register = "KABIZ" // assistants' quality register
)

// Registers in display order.
var Registers = []Register{RegisterNone, RegisterGAIA, RegisterKABIZ}

func (r Register) Valid() bool { return r == RegisterNone || r == RegisterGAIA || r == RegisterKABIZ }

// DefaultThemes is a new region's theme list.
var DefaultThemes = []string{ThemeTriage, ThemePositiveHealth, ThemeSOH, ThemeDifficultPatients, ThemeSOLK, ThemeGoodConversation}

// NormalizeThemes trims, drops empties and duplicates (case-insensitive),
// keeping the first spelling and the order.
func NormalizeThemes(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range in {
		t = strings.Join(strings.Fields(t), " ")
		k := strings.ToLower(t)
		if t == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}

// ValidateThemes checks a region's theme list.
func ValidateThemes(themes []string) error {
	f := FieldErrors{}
	if len(themes) == 0 {
		f.Add("themes", "err.required")
	}
	for _, t := range themes {
		if len(t) > 80 {
			f.Add("themes", "err.too_long")
		}
	}
	if len(themes) > 50 {
		f.Add("themes", "training.err.too_many_themes")
	}
	return f.Err()
}

// hasTheme compares case-insensitively.
func hasTheme(list []string, theme string) bool {
	for _, t := range list {
		if strings.EqualFold(strings.TrimSpace(t), strings.TrimSpace(theme)) {
			return true
		}
	}
	return false
}

// Training is one offering on a region's menu.
type Training struct {
	ID          int64
	RegionID    int64
	Title       string
	Description string
	Target      TargetGroup
	Themes      []string
	Provider    string
	Register    Register
	Points      float64 // accreditation points; 0 with RegisterNone
	Active      bool
	// NotCounting: accepted from a proposal as not counting for the
	// norms; its completions count for no norm.
	NotCounting bool
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Normalize trims input.
func (t *Training) Normalize() {
	t.Title = strings.TrimSpace(t.Title)
	t.Description = strings.TrimSpace(t.Description)
	t.Provider = strings.TrimSpace(t.Provider)
	t.Themes = NormalizeThemes(t.Themes)
	if t.Register == "" {
		t.Register = RegisterNone
	}
}

// Validate checks a training against the region's theme list.
func (t *Training) Validate(regionThemes []string) error {
	f := FieldErrors{}
	if t.Title == "" {
		f.Add("title", "err.required")
	} else if len(t.Title) > 200 {
		f.Add("title", "err.too_long")
	}
	if len(t.Description) > 5000 {
		f.Add("description", "err.too_long")
	}
	if len(t.Provider) > 200 {
		f.Add("provider", "err.too_long")
	}
	if !t.Target.Valid() {
		f.Add("target", "err.required")
	}
	if len(t.Themes) == 0 {
		f.Add("themes", "training.err.theme_required")
	}
	for _, th := range t.Themes {
		if !hasTheme(regionThemes, th) {
			f.Add("themes", "training.err.theme_unknown")
		}
	}
	if !t.Register.Valid() {
		f.Add("register", "training.err.register_unknown")
	}
	if t.Points < 0 || t.Points > 100 {
		f.Add("points", "training.err.points_range")
	} else if t.Register == RegisterNone && t.Points != 0 {
		f.Add("points", "training.err.points_without_register")
	}
	return f.Err()
}

// TrainingSession is one run of a training: one or more dates, a time, a
// place or online, and a capacity.
type TrainingSession struct {
	ID         int64
	TrainingID int64
	RegionID   int64
	Dates      []Date // ascending, at least one
	StartTime  string // "09:00"
	EndTime    string // "12:30"
	Place      string
	Online     bool
	Capacity   int
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Read with the session: places taken and people waiting.
	Enrolled int
	Waiting  int
	// TrainingTitle is filled when listed with its training.
	TrainingTitle string
}

var clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// MaxSessionCapacity bounds a session's places.
const MaxSessionCapacity = 500

// Normalize sorts and de-duplicates the dates and trims input.
func (s *TrainingSession) Normalize() {
	s.Place = strings.TrimSpace(s.Place)
	s.StartTime = strings.TrimSpace(s.StartTime)
	s.EndTime = strings.TrimSpace(s.EndTime)
	var ds []Date
	for _, d := range s.Dates {
		if d.IsZero() {
			continue
		}
		dup := false
		for _, e := range ds {
			if e.Equal(d) {
				dup = true
			}
		}
		if !dup {
			ds = append(ds, d)
		}
	}
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Before(ds[j-1]); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
	s.Dates = ds
}

// Validate checks a session.
func (s *TrainingSession) Validate() error {
	f := FieldErrors{}
	if len(s.Dates) == 0 {
		f.Add("dates", "training.err.date_required")
	}
	if len(s.Dates) > 20 {
		f.Add("dates", "training.err.too_many_dates")
	}
	if s.StartTime != "" && !clockPattern.MatchString(s.StartTime) {
		f.Add("start_time", "training.err.time_format")
	}
	if s.EndTime != "" && !clockPattern.MatchString(s.EndTime) {
		f.Add("end_time", "training.err.time_format")
	}
	if s.StartTime != "" && s.EndTime != "" && clockPattern.MatchString(s.StartTime) && clockPattern.MatchString(s.EndTime) && s.EndTime <= s.StartTime {
		f.Add("end_time", "training.err.end_before_start")
	}
	if !s.Online && s.Place == "" {
		f.Add("place", "training.err.place_required")
	}
	if len(s.Place) > 200 {
		f.Add("place", "err.too_long")
	}
	if s.Capacity < 1 || s.Capacity > MaxSessionCapacity {
		f.Add("capacity", "training.err.capacity_range")
	}
	return f.Err()
}

// FirstDate is the session's first day (zero without dates).
func (s TrainingSession) FirstDate() Date {
	if len(s.Dates) == 0 {
		return Date{}
	}
	return s.Dates[0]
}

// LastDate is the session's last day.
func (s TrainingSession) LastDate() Date {
	if len(s.Dates) == 0 {
		return Date{}
	}
	return s.Dates[len(s.Dates)-1]
}

// Free is the number of free places (never negative).
func (s TrainingSession) Free() int { return max(0, s.Capacity-s.Enrolled) }

// EnrolmentStatus is where a sign-up stands.
type EnrolmentStatus string

const (
	EnrolmentPlaced    EnrolmentStatus = "geplaatst"
	EnrolmentWaiting   EnrolmentStatus = "wachtlijst"
	EnrolmentCancelled EnrolmentStatus = "geannuleerd"
)

// Enrolment is one person's sign-up for a session, made by a practice.
type Enrolment struct {
	ID         int64
	SessionID  int64
	PersonID   int64
	PracticeID int64
	Status     EnrolmentStatus
	// SignedUpOn is the sign-up's date: given when history is recorded
	// (zero on input: today), read back from the queue time.
	SignedUpOn Date
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Filled when listed.
	PersonName   string
	PracticeName string
	Completed    bool
}

// Completion records that a person completed a session's training on a
// date. A training counts from that date onward.
type Completion struct {
	ID          int64
	SessionID   int64
	TrainingID  int64
	PersonID    int64
	CompletedOn Date
	CreatedAt   time.Time
	// Filled when listed.
	PersonName    string
	TrainingTitle string
	Target        TargetGroup
	NotCounting   bool // the training counts for no norm (Training.NotCounting)
}

// ValidateCompletion checks a completion date against its session: not
// before the session's first day and not in the future.
func ValidateCompletion(on Date, s TrainingSession, today Date) error {
	f := FieldErrors{}
	switch {
	case on.IsZero():
		f.Add("completed_on", "err.required")
	case on.After(today):
		f.Add("completed_on", "training.err.date_future")
	case !s.FirstDate().IsZero() && on.Before(s.FirstDate()):
		f.Add("completed_on", "training.err.completed_before_session")
	}
	return f.Err()
}

// ClaimStatus is where a prior-learning claim stands.
type ClaimStatus string

const (
	ClaimPending  ClaimStatus = "in_behandeling"
	ClaimApproved ClaimStatus = "goedgekeurd"
	ClaimRejected ClaimStatus = "afgewezen"
)

func (s ClaimStatus) Valid() bool {
	return s == ClaimPending || s == ClaimApproved || s == ClaimRejected
}

// Claim is a prior-learning claim (EVC-aanvraag): a training followed
// elsewhere, submitted by a practice for one of its people and decided by
// the practice's consultant.
type Claim struct {
	ID          int64
	RegionID    int64
	PracticeID  int64
	PersonID    int64
	Title       string
	Provider    string
	CompletedOn Date
	Theme       string
	Status      ClaimStatus
	Reason      string // the consultant's reason (required on rejection)
	DecidedBy   int64
	DecidedName string
	DecidedAt   time.Time
	// Evidence is kept in a separate table; these describe it.
	EvidenceName string
	EvidenceType string
	EvidenceSize int
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Filled when listed.
	PersonName   string
	PracticeName string
}

// Normalize trims input.
func (c *Claim) Normalize() {
	c.Title = strings.TrimSpace(c.Title)
	c.Provider = strings.TrimSpace(c.Provider)
	c.Theme = strings.TrimSpace(c.Theme)
	c.Reason = strings.TrimSpace(c.Reason)
}

// ClaimQualifies reports whether a theme qualifies for a person with these
// roles (at the practice, on the claim's date of submission) under the
// region's settings: for the assistants' norm or the GPs' norm.
func ClaimQualifies(theme string, roles []StaffRole, s NormSettings) bool {
	for _, r := range roles {
		if roleIn(r, s.AssistantTrainingRoles) && hasTheme(s.AssistantThemes, theme) {
			return true
		}
		if roleIn(r, s.GPTrainingRoles) && hasTheme(s.GPThemes, theme) {
			return true
		}
	}
	return false
}

// ValidateClaim checks a new claim. roles are the person's roles at the
// practice today (none: the person is not on its staff). Every refusal
// names its reason as a message key on a field.
func ValidateClaim(c *Claim, roles []StaffRole, s NormSettings, today Date) error {
	f := FieldErrors{}
	if c.PersonID == 0 {
		f.Add("person", "err.required")
	} else if len(roles) == 0 {
		f.Add("person", "training.err.claim_person_outside")
	}
	if c.Title == "" {
		f.Add("title", "err.required")
	} else if len(c.Title) > 200 {
		f.Add("title", "err.too_long")
	}
	if len(c.Provider) > 200 {
		f.Add("provider", "err.too_long")
	}
	switch {
	case c.CompletedOn.IsZero():
		f.Add("completed_on", "err.required")
	case c.CompletedOn.After(today):
		f.Add("completed_on", "training.err.date_future")
	case !s.PriorLearningCutoff.IsZero() && c.CompletedOn.Before(s.PriorLearningCutoff):
		f.Add("completed_on", "training.err.claim_before_cutoff")
	}
	if c.Theme == "" {
		f.Add("theme", "err.required")
	} else if len(roles) > 0 && !ClaimQualifies(c.Theme, roles, s) {
		f.Add("theme", "training.err.claim_theme_role")
	}
	return f.Err()
}

// ValidateDecision checks a consultant's decision: approve or reject, and a
// rejection needs a reason.
func ValidateDecision(status ClaimStatus, reason string) error {
	f := FieldErrors{}
	switch status {
	case ClaimApproved:
	case ClaimRejected:
		if strings.TrimSpace(reason) == "" {
			f.Add("reason", "training.err.reason_required")
		}
	default:
		f.Add("decision", "training.err.decision_unknown")
	}
	if len(reason) > 2000 {
		f.Add("reason", "err.too_long")
	}
	return f.Err()
}

// Evidence limits: a PDF or an image, at most 5 MiB.
const MaxEvidenceSize = 5 << 20

// EvidenceTypes are the accepted content types, sniffed from the content.
var EvidenceTypes = []string{"application/pdf", "image/png", "image/jpeg"}

// SniffEvidence returns the content type of an evidence file judged by its
// first bytes (never by its name or the browser's claim), or "" when it is
// not an accepted type.
func SniffEvidence(b []byte) string {
	switch {
	case len(b) >= 5 && string(b[:5]) == "%PDF-":
		return "application/pdf"
	case len(b) >= 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n":
		return "image/png"
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "image/jpeg"
	}
	return ""
}

func roleIn(r StaffRole, roles []StaffRole) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}
