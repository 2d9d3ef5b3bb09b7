package mtvp

import (
	"strings"
	"time"
)

// Training proposals (issue 16 §3): a practice proposes a training that is
// not on the menu; its consultant advises; the region admin accepts it
// (it joins the menu) or declines it with a reason.

// ProposalStatus is where a proposal stands.
type ProposalStatus string

const (
	ProposalSubmitted ProposalStatus = "ingediend"
	ProposalAdvised   ProposalStatus = "geadviseerd"
	ProposalAccepted  ProposalStatus = "geaccepteerd"
	ProposalDeclined  ProposalStatus = "afgewezen"
)

// ProposalStatuses in display order.
var ProposalStatuses = []ProposalStatus{ProposalSubmitted, ProposalAdvised, ProposalAccepted, ProposalDeclined}

func (s ProposalStatus) Valid() bool {
	for _, x := range ProposalStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// Open reports whether the region still has to decide.
func (s ProposalStatus) Open() bool { return s == ProposalSubmitted || s == ProposalAdvised }

// ProposalAction is a step of the workflow.
type ProposalAction string

const (
	ProposalAdvise  ProposalAction = "adviseren"
	ProposalAccept  ProposalAction = "accepteren"
	ProposalDecline ProposalAction = "afwijzen"
)

// Advice is the consultant's verdict.
type Advice string

const (
	AdvicePositive Advice = "positief"
	AdviceNegative Advice = "negatief"
)

func (a Advice) Valid() bool { return a == AdvicePositive || a == AdviceNegative }

// ProposalTransition is THE workflow: the status a proposal in from moves
// to by act. The consultant advises once, while it is submitted; the region
// decides while it is open (with or without advice: a practice without a
// consultant gets none). A decided proposal is final: ECONFLICT.
func ProposalTransition(from ProposalStatus, act ProposalAction) (ProposalStatus, error) {
	switch act {
	case ProposalAdvise:
		if from == ProposalSubmitted {
			return ProposalAdvised, nil
		}
	case ProposalAccept:
		if from.Open() {
			return ProposalAccepted, nil
		}
	case ProposalDecline:
		if from.Open() {
			return ProposalDeclined, nil
		}
	default:
		return from, Errorf(EINVALID, "unknown proposal action %q", act)
	}
	return from, Errorf(ECONFLICT, "proposal is %s: cannot %s", from, act)
}

// Proposal is a practice's proposal for a new training.
type Proposal struct {
	ID         int64
	RegionID   int64
	PracticeID int64
	Title      string
	Provider   string
	Theme      string
	Target     TargetGroup
	Why        string
	Status     ProposalStatus
	// The consultant's advice.
	Advice      Advice
	AdviceText  string
	AdvisedBy   int64
	AdvisedName string
	AdvisedAt   time.Time
	// The region's decision.
	Reason      string // why declined
	Counts      bool   // accepted as counting for the norms
	TrainingID  int64  // the menu entry made on acceptance
	DecidedBy   int64
	DecidedName string
	DecidedAt   time.Time
	// Who proposed it.
	ProposedBy   int64
	ProposerName string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Filled when listed.
	PracticeName string
}

// Normalize trims input.
func (p *Proposal) Normalize() {
	p.Title = strings.TrimSpace(p.Title)
	p.Provider = strings.TrimSpace(p.Provider)
	p.Theme = strings.TrimSpace(p.Theme)
	p.Why = strings.TrimSpace(p.Why)
}

// Validate checks a new proposal against the region's themes.
func (p *Proposal) Validate(regionThemes []string) error {
	f := FieldErrors{}
	if p.Title == "" {
		f.Add("title", "err.required")
	} else if len(p.Title) > 200 {
		f.Add("title", "err.too_long")
	}
	if p.Provider == "" {
		f.Add("provider", "err.required")
	} else if len(p.Provider) > 200 {
		f.Add("provider", "err.too_long")
	}
	if p.Theme == "" {
		f.Add("theme", "err.required")
	} else if !hasTheme(regionThemes, p.Theme) {
		f.Add("theme", "training.err.theme_unknown")
	}
	if !p.Target.Valid() {
		f.Add("target", "err.required")
	}
	if p.Why == "" {
		f.Add("why", "err.required")
	} else if len(p.Why) > 5000 {
		f.Add("why", "err.too_long")
	}
	return f.Err()
}

// ValidateAdvice checks the consultant's advice.
func ValidateAdvice(a Advice, text string) error {
	f := FieldErrors{}
	if !a.Valid() {
		f.Add("advice", "err.required")
	}
	if strings.TrimSpace(text) == "" {
		f.Add("advice_text", "err.required")
	} else if len(text) > 5000 {
		f.Add("advice_text", "err.too_long")
	}
	return f.Err()
}

// ProposalMayCount reports whether a training on theme for target may be
// put on the menu as counting for the norms: its theme qualifies for the
// norm of a group it is meant for (the region's assistants' or GPs'
// themes, as for prior-learning claims).
func ProposalMayCount(theme string, target TargetGroup, s NormSettings) bool {
	return (target.ForAssistants() && hasTheme(s.AssistantThemes, theme)) ||
		(target.ForGPs() && hasTheme(s.GPThemes, theme))
}

// ValidateProposalDecision checks the region's decision: a decline needs a
// reason; accepting as counting needs a qualifying theme.
func ValidateProposalDecision(p Proposal, act ProposalAction, counts bool, reason string, s NormSettings) error {
	f := FieldErrors{}
	switch act {
	case ProposalAccept:
		if counts && !ProposalMayCount(p.Theme, p.Target, s) {
			f.Add("counts", "proposal.err.theme_not_qualifying")
		}
	case ProposalDecline:
		if strings.TrimSpace(reason) == "" {
			f.Add("reason", "err.required")
		}
	default:
		f.Add("decision", "err.required")
	}
	if len(reason) > 5000 {
		f.Add("reason", "err.too_long")
	}
	return f.Err()
}

// MenuTraining is the menu entry an accepted proposal becomes: active, on
// the proposal's theme and target group, without accreditation (the region
// edits that on the training's page), counting for the norms or not.
func (p Proposal) MenuTraining(counts bool) Training {
	return Training{RegionID: p.RegionID, Title: p.Title, Provider: p.Provider, Target: p.Target,
		Themes: []string{p.Theme}, Register: RegisterNone, Active: true, NotCounting: !counts,
		Description: p.Why}
}

// Access policy of proposals.

// CanProposeTraining: the practice itself (the region may enter one for it).
func (u *User) CanProposeTraining(p *Practice) bool { return u.CanEditStaff(p) }

// CanProposeIn: the region admin (for any practice) and practice logins
// (for their own) propose trainings in the region.
func (u *User) CanProposeIn(region int64) bool {
	return u.CanAdminRegion(region) || u.hasRegionRole(region, AccountPractice)
}

// CanSeeProposal: who sees the practice sees its proposals (the practice,
// its consultant, the region); never another practice.
func (u *User) CanSeeProposal(p *Practice) bool { return u.CanSeePractice(p) }

// CanAdviseProposal: the practice's own consultant.
func (u *User) CanAdviseProposal(p *Practice) bool {
	return u != nil && p != nil && p.ConsultantID != 0 && p.ConsultantID == u.ID &&
		u.hasRegionRole(p.RegionID, AccountConsultant, AccountRegionAdmin)
}

// CanDecideProposal: the region admin.
func (u *User) CanDecideProposal(region int64) bool { return u.CanAdminRegion(region) }

// CanListProposals: every working role in the region gets a list (scoped
// by ProposalScope); funders get counts only (CanSeeProposalCounts).
func (u *User) CanListProposals(region int64) bool {
	return u.CanAdminRegion(region) || u.hasRegionRole(region, AccountConsultant, AccountPractice)
}

// CanSeeProposalCounts: the region's proposals counted per status; for a
// funder suppressed (SuppressCount).
func (u *User) CanSeeProposalCounts(region int64) bool {
	return u.CanListProposals(region) || u.IsFunderIn(region)
}

// ProposalScope says which proposals of a region the user lists: all (the
// region), those of the practices it advises (consultant), those of its own
// practices (practice). ok is false when it lists none.
func (u *User) ProposalScope(region int64) (all bool, consultant int64, practices []int64, ok bool) {
	if !u.CanListProposals(region) {
		return false, 0, nil, false
	}
	if u.CanAdminRegion(region) {
		return true, 0, nil, true
	}
	if u.hasRegionRole(region, AccountConsultant) {
		consultant = u.ID
	}
	for _, g := range u.Grants {
		if g.Role == AccountPractice && g.RegionID == region {
			practices = append(practices, g.PracticeID)
		}
	}
	return false, consultant, practices, true
}

// ProposalCounts are a region's proposals per status.
type ProposalCounts map[ProposalStatus]int

// SuppressedProposalCounts is what a funder sees: the counts per status
// and their total as one FigureTable through SuppressFunderFigures (small
// counts hidden, and whatever would give one away by subtraction).
func SuppressedProposalCounts(c ProposalCounts) (per map[ProposalStatus]FunderCount, total FunderCount) {
	var t FigureTable
	var cells []int
	n := 0
	for _, s := range ProposalStatuses {
		cells = append(cells, t.Add(c[s], CellCount))
		n += c[s]
	}
	tot := t.AddHeadline(n, CellCount, 1)
	t.Relate(SumRelation(tot, cells, 0))
	st := SuppressFunderFigures(t)
	show := func(i int) FunderCount {
		switch st[i] {
		case Shown:
			return FunderCount{N: t.Cells[i].Value}
		case Small:
			return FunderCount{Suppressed: true}
		}
		return FunderCount{Suppressed: true, Complementary: true}
	}
	per = map[ProposalStatus]FunderCount{}
	for k, s := range ProposalStatuses {
		per[s] = show(cells[k])
	}
	return per, show(tot)
}
