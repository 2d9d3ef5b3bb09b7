package mtvp

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Accountability to the insurers (domain.md, "Accountability"): funders see
// region-level figures only. Everything a funder sees passes through the
// suppression of this file, and the figures page, the figures API and the
// annual report are all built by BuildFunderFigures, so one rule holds in
// every view.

// SuppressBelow: a count under this is never shown to a funder, only
// "< 5". Zero is suppressed too: "0 practices do not meet the norm" says
// something about every single practice.
const SuppressBelow = 5

// FunderCount is a count as a funder may see it. When Suppressed, N is 0 so
// the true value cannot leak through a template or a JSON field.
type FunderCount struct {
	N          int
	Suppressed bool
	// Complementary: hidden although not small itself, so that a small
	// count cannot be computed back from it (SuppressFunderFigures).
	Complementary bool
	// Rounded: N is rounded to PatientsRoundTo.
	Rounded bool
}

// SuppressCount is THE suppression rule: counts under SuppressBelow are
// hidden.
func SuppressCount(n int) FunderCount {
	if n < SuppressBelow {
		return FunderCount{Suppressed: true}
	}
	return FunderCount{N: n}
}

// ComplementaryMark stands for a count hidden by complementary suppression.
const ComplementaryMark = "x"

// String is "< 5" for a small count, "x" for a complementary suppressed
// one, else the number.
func (c FunderCount) String() string {
	if c.Complementary {
		return ComplementaryMark
	}
	if c.Suppressed {
		return "< " + strconv.Itoa(SuppressBelow)
	}
	return strconv.Itoa(c.N)
}

// Share bounds: how a suppressed share is still stated.
const (
	ShareExact = ""      // Met and Percent are shown
	ShareBelow = "below" // fewer than 5 meet it
	ShareAbove = "above" // fewer than 5 do not meet it: more than Of−5 meet it
	ShareNone  = "none"  // fewer than 5 practices in all: nothing is said
	// ShareHidden: the number of practices is hidden so that a small count
	// elsewhere cannot be computed back from it: nothing is said.
	ShareHidden = "hidden"
)

// FunderShare is "met out of of" as a funder may see it. Met and Percent are
// hidden when fewer than 5 practices meet OR fewer than 5 do not (the
// complement follows from the total, which is shown).
type FunderShare struct {
	Of      FunderCount
	Met     FunderCount
	Percent int    // rounded; 0 unless Bound is ShareExact
	Bound   string // ShareExact, ShareBelow, ShareAbove or ShareNone
}

// SuppressShare applies the suppression rule to met out of of.
func SuppressShare(met, of int) FunderShare {
	s := FunderShare{Of: SuppressCount(of)}
	switch {
	case of < SuppressBelow:
		s.Met, s.Bound = FunderCount{Suppressed: true}, ShareNone
	case met < SuppressBelow:
		s.Met, s.Bound = FunderCount{Suppressed: true}, ShareBelow
	case of-met < SuppressBelow:
		s.Met, s.Bound = FunderCount{Suppressed: true}, ShareAbove
	default:
		s.Met = FunderCount{N: met}
		s.Percent = int(math.Round(100 * float64(met) / float64(of)))
	}
	return s
}

// shareIn is SuppressShare, or nothing at all when the number of
// practices is hidden to protect another count (SuppressFunderFigures).
func shareIn(met, of int, ofState CellState) FunderShare {
	if ofState == Complementary {
		return FunderShare{Of: FunderCount{Suppressed: true, Complementary: true}, Met: FunderCount{Suppressed: true}, Bound: ShareHidden}
	}
	return SuppressShare(met, of)
}

// AboveFloor is the number the share is known to exceed when Bound is
// ShareAbove ("more than 53 of 58").
func (s FunderShare) AboveFloor() int { return s.Of.N - SuppressBelow }

// ---- quarters ----

// Quarter is a calendar quarter, the unit of inflow and of the list the
// region sends the insurers.
type Quarter struct {
	Year int
	Q    int // 1..4
}

// QuarterOf returns the quarter of d.
func QuarterOf(d Date) Quarter { return Quarter{d.Year(), d.Quarter()} }

// ParseQuarter reads "2026-Q1" (years 2000…9999, see Quarter.Valid).
func ParseQuarter(s string) (Quarter, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if !wavePattern.MatchString(s) {
		return Quarter{}, false
	}
	y, _ := strconv.Atoi(s[:4])
	q := Quarter{y, int(s[6] - '0')}
	// "0000-Q1" has the shape but no programme can lie there (found by
	// FuzzParsePeriods).
	return q, q.Valid()
}

// String is "2026-Q1" (the inflow wave format).
func (q Quarter) String() string { return strconv.Itoa(q.Year) + "-Q" + strconv.Itoa(q.Q) }

// Start is the first day of the quarter.
func (q Quarter) Start() Date { return NewDate(q.Year, time.Month(3*(q.Q-1)+1), 1) }

// End is the last day of the quarter.
func (q Quarter) End() Date { return q.Next().Start().AddDays(-1) }

// Next is the following quarter.
func (q Quarter) Next() Quarter {
	if q.Q == 4 {
		return Quarter{q.Year + 1, 1}
	}
	return Quarter{q.Year, q.Q + 1}
}

// QuartersOf lists the four quarters of year.
func QuartersOf(year int) []Quarter {
	return []Quarter{{year, 1}, {year, 2}, {year, 3}, {year, 4}}
}

// Participant is a practice with the day it left the programme (zero when
// it has not; taken from the audit log of its status).
type Participant struct {
	Practice
	StoppedOn Date
}

// TakesPartIn reports whether the practice took part in MTVP on at least
// one day of q: it started (JoinedOn) by the quarter's end, is active or
// stopped (a practice only signed up has not started), and did not stop
// before the quarter began.
func (p Participant) TakesPartIn(q Quarter) bool {
	if p.JoinedOn.IsZero() || p.Status == PracticeInterested || p.JoinedOn.After(q.End()) {
		return false
	}
	return !(p.Status == PracticeStopped && !p.StoppedOn.IsZero() && p.StoppedOn.Before(q.Start()))
}

// TakesPartOn reports whether the practice took part on day d.
func (p Participant) TakesPartOn(d Date) bool {
	if p.JoinedOn.IsZero() || p.Status == PracticeInterested || p.JoinedOn.After(d) {
		return false
	}
	return !(p.Status == PracticeStopped && !p.StoppedOn.After(d))
}

// ParticipationList returns the practices taking part in q, by name: the
// quarterly list the region sends the insurers (AGB, name, registered
// patients, start date).
func ParticipationList(ps []Participant, q Quarter) []Participant {
	var out []Participant
	for _, p := range ps {
		if p.TakesPartIn(q) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name); a != b {
			return a < b
		}
		return out[i].AGB < out[j].AGB
	})
	return out
}

// ---- the figures ----

// SnapshotFacts is a frozen compliance snapshot reduced to counts: per
// requirement how many practices meet it out of how many it applies to.
type SnapshotFacts struct {
	Title     string
	Year      int
	Ref       Date
	FrozenAt  time.Time
	Practices int
	Compliant int
	// Met and Applicable per requirement.
	Met        map[Requirement]int
	Applicable map[Requirement]int
}

// VisitCounts is the visit coverage of a year, as counts.
type VisitCounts struct {
	Visited, Planned, NotPlanned int
}

// ParticipationTotals are aggregate counts of intervision and training
// participation (no names).
type ParticipationTotals struct {
	IntervisionGroups   int // groups of the year
	IntervisionMembers  int // distinct people with a place in a group
	IntervisionAttended int // of them: attended at least one meeting
	TrainingPeople      int // distinct people who completed a training (or an approved claim) in the year
	TrainingCompletions int // completions and approved claims in the year
	// PerTraining: people per training title in the year.
	PerTraining map[string]int
}

// ObstacleFact is one "what gets in the way" item of a recorded visit
// report, for the intervention it was named under.
type ObstacleFact struct {
	PracticeID int64
	Code       string // intervention code, "A.1"
	Title      string // intervention title
	Text       string // the obstacles text of the finding
}

// FunderInput is everything the figures are computed from. Standings,
// Visits and Snapshots may be missing (nil) while their areas are not
// available; the figures then say "not available".
type FunderInput struct {
	Region Region
	Year   int
	Ref    Date // reference date of the standings
	// Today: the quarters of every year up to next year are suppressed
	// together (zero: up to Year).
	Today        Date
	Participants []Participant
	// PlanStatus: the latest plan version's status per practice for the
	// year (practices without a plan are absent).
	PlanStatus map[int64]PlanStatus
	// Standings from EvaluateCompliance of the practices that count in
	// compliance (CountsInCompliance), the same set as the region's
	// compliance dashboard.
	Standings []Standing
	// StandingsAvailable: the compliance facts could be loaded.
	StandingsAvailable bool
	// Compliance: facts per practice (store.ComplianceFacts); the practices
	// that CountsInCompliance are evaluated with EvaluateCompliance at Ref
	// and added to Standings.
	Compliance    map[int64]ComplianceFacts
	Visits        *VisitCounts
	Snapshots     []SnapshotFacts
	Participation ParticipationTotals
	Obstacles     []ObstacleFact
}

// QuarterFigure is one quarter's inflow as a funder sees it.
type QuarterFigure struct {
	Quarter  Quarter
	Started  FunderCount // practices that started in the quarter
	TakePart FunderCount // practices taking part in the quarter
	Patients FunderCount // their registered patients (hidden under 5 practices)
}

// PlanStatusFigure counts the practices taking part by plan status.
type PlanStatusFigure struct {
	Status PlanStatus // PlanNone: no plan yet
	Count  FunderCount
}

// NormFigure is the share of practices meeting one requirement.
type NormFigure struct {
	Code  Requirement
	Share FunderShare
	// NotRecorded: the requirement is not tracked yet (annual visit before
	// visits existed).
	NotRecorded bool
}

// SnapshotFigure is a frozen snapshot as aggregates.
type SnapshotFigure struct {
	Title     string
	Year      int
	Ref       Date
	FrozenAt  time.Time
	Practices FunderCount
	Compliant FunderShare
	Norms     []NormFigure
}

// VisitFigure is the visit coverage as a funder sees it.
type VisitFigure struct {
	Visited, Planned, NotPlanned FunderCount
	Total                        FunderCount
}

// ObstacleFigure is an obstacle named in several visit reports under one
// intervention.
type ObstacleFigure struct {
	Text  string
	Count FunderCount
}

// InterventionObstacles are the most named obstacles of one intervention.
type InterventionObstacles struct {
	Code, Title string
	Top         []ObstacleFigure
}

// ParticipationFigure is ParticipationTotals with suppression applied.
type ParticipationFigure struct {
	IntervisionGroups   FunderCount
	IntervisionMembers  FunderCount
	IntervisionAttended FunderCount
	TrainingPeople      FunderCount
	TrainingCompletions FunderCount
	PerTraining         []TrainingFigure
}

// TrainingFigure is the number of people who completed one training.
type TrainingFigure struct {
	Title  string
	People FunderCount
}

// FunderFigures are the region-level figures of a year. No field names a
// practice or a person, and every count has passed SuppressCount.
type FunderFigures struct {
	RegionCode string
	RegionName string
	Year       int
	Ref        Date
	// TakingPart: practices taking part on the reference date (December 31
	// when the reference date lies outside the year).
	TakingPart         FunderCount
	TakingPartPatients FunderCount
	Quarters           []QuarterFigure
	PlanStatuses       []PlanStatusFigure
	Norms              []NormFigure
	Compliant          FunderShare
	NormsAvailable     bool
	Visits             *VisitFigure
	Snapshots          []SnapshotFigure
	Participation      ParticipationFigure
	// Obstacles: per intervention, obstacles named in at least
	// SuppressBelow visit reports (free text from fewer reports could point
	// at one practice).
	Obstacles []InterventionObstacles
	// ShareParticipation: the region shares its named participation lists
	// with funders.
	ShareParticipation bool
}

// BuildFunderFigures computes the figures of in.Year, suppression applied.
// It is the one function behind the funder page, the figures API and the
// annual report. All counts a funder sees together go through one
// FigureTable (funderTable) and SuppressFunderFigures; registered patients
// are rounded (RoundPatients).
func BuildFunderFigures(in FunderInput) FunderFigures {
	f := FunderFigures{RegionCode: in.Region.Code, RegionName: in.Region.Name, Year: in.Year, Ref: in.Ref,
		ShareParticipation: in.Region.ShareParticipation, NormsAvailable: in.StandingsAvailable}
	ref := in.Ref
	if ref.IsZero() || ref.Year() != in.Year {
		ref = YearEnd(in.Year)
	}
	ft := newFunderTable(in, ref)
	states := SuppressFunderFigures(ft.FigureTable)
	count := func(cell int) FunderCount { return countIn(ft.Cells[cell].Value, states[cell]) }
	// Inflow per quarter.
	for i, q := range QuartersOf(in.Year) {
		if ft.takePart[i] < 0 {
			// Before the first practice started: nobody, and nothing to
			// protect.
			f.Quarters = append(f.Quarters, QuarterFigure{Quarter: q, Patients: FunderCount{Suppressed: true}})
			continue
		}
		patients := FunderCount{Suppressed: true}
		if ft.Cells[ft.takePart[i]].Value >= SuppressBelow {
			patients = FunderCount{N: RoundPatients(ft.patients[i]), Rounded: true}
		}
		f.Quarters = append(f.Quarters, QuarterFigure{Quarter: q, Started: count(ft.started[i]), TakePart: count(ft.takePart[i]), Patients: patients})
	}
	f.TakingPart = count(ft.takingPart)
	f.TakingPartPatients = FunderCount{Suppressed: true}
	if len(ft.taking) >= SuppressBelow {
		f.TakingPartPatients = FunderCount{N: RoundPatients(ft.takingPatients), Rounded: true}
	}
	// Plan status of the practices taking part.
	for i, s := range PlanStatuses {
		f.PlanStatuses = append(f.PlanStatuses, PlanStatusFigure{Status: s, Count: count(ft.planStatus[i])})
	}
	// Share of practices meeting each norm.
	if cc := ft.compliance; cc != nil {
		f.NormsAvailable = true
		for _, code := range AllRequirements {
			if !in.Region.Settings.Applies(code) {
				continue
			}
			f.Norms = append(f.Norms, NormFigure{Code: code, Share: shareIn(cc.met[code], cc.applicable[code], ft.stateOf(states, cc.ofCell, code)),
				NotRecorded: cc.applicable[code] == 0 && cc.notRecorded[code] > 0})
		}
		f.Compliant = shareIn(cc.compliant, cc.total, states[cc.totalCell])
	}
	if in.Visits != nil {
		f.Visits = &VisitFigure{Visited: count(ft.visits[0]), Planned: count(ft.visits[1]), NotPlanned: count(ft.visits[2]), Total: count(ft.visits[3])}
	}
	for i, s := range in.Snapshots {
		sc := ft.snapshots[i]
		sf := SnapshotFigure{Title: s.Title, Year: s.Year, Ref: s.Ref, FrozenAt: s.FrozenAt, Practices: count(sc.totalCell),
			Compliant: shareIn(s.Compliant, s.Practices, states[sc.totalCell])}
		for _, code := range AllRequirements {
			if n, ok := s.Applicable[code]; ok {
				sf.Norms = append(sf.Norms, NormFigure{Code: code, Share: shareIn(s.Met[code], n, ft.stateOf(states, sc.ofCell, code))})
			}
		}
		f.Snapshots = append(f.Snapshots, sf)
	}
	f.Participation = ParticipationFigure{
		IntervisionGroups: count(ft.part[0]), IntervisionMembers: count(ft.part[1]), IntervisionAttended: count(ft.part[2]),
		TrainingPeople: count(ft.part[3]), TrainingCompletions: count(ft.part[4]),
	}
	for i, t := range ft.trainingTitles {
		f.Participation.PerTraining = append(f.Participation.PerTraining, TrainingFigure{Title: t, People: count(ft.perTraining[i])})
	}
	f.Obstacles = TopObstacles(in.Obstacles, 3, SuppressBelow)
	return f
}

func sortedIDs(m map[int64]ComplianceFacts) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// ObstacleItems splits a free-text obstacles field into items: one per
// line, bullet or semicolon; a text without separators is one item.
func ObstacleItems(text string) []string {
	var out []string
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ';' || r == '•' }) {
		line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-*·–"))
		line = strings.TrimRight(line, ".!,: ")
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// obstacleKey compares items case- and space-insensitively.
func obstacleKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// TopObstacles counts, per intervention code, in how many practices' visit
// reports each obstacle item was named (a practice counts once per item)
// and returns at most n items per intervention, most named first. Items
// named by fewer than minPractices practices are left out (minPractices 0:
// all), and counts are suppressed as for funders. Interventions are ordered
// by code.
func TopObstacles(facts []ObstacleFact, n, minPractices int) []InterventionObstacles {
	type item struct {
		text      string
		practices map[int64]bool
	}
	byCode := map[string]map[string]*item{}
	titles := map[string]string{}
	for _, f := range facts {
		if f.Code == "" {
			continue
		}
		if titles[f.Code] == "" {
			titles[f.Code] = f.Title
		}
		m := byCode[f.Code]
		if m == nil {
			m = map[string]*item{}
			byCode[f.Code] = m
		}
		for _, it := range ObstacleItems(f.Text) {
			k := obstacleKey(it)
			x := m[k]
			if x == nil {
				x = &item{text: it, practices: map[int64]bool{}}
				m[k] = x
			}
			x.practices[f.PracticeID] = true
		}
	}
	codes := make([]string, 0, len(byCode))
	for c := range byCode {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var out []InterventionObstacles
	for _, c := range codes {
		var items []*item
		for _, x := range byCode[c] {
			if len(x.practices) >= minPractices {
				items = append(items, x)
			}
		}
		if len(items) == 0 {
			continue
		}
		sort.Slice(items, func(i, j int) bool {
			if a, b := len(items[i].practices), len(items[j].practices); a != b {
				return a > b
			}
			return obstacleKey(items[i].text) < obstacleKey(items[j].text)
		})
		if len(items) > n {
			items = items[:n]
		}
		io := InterventionObstacles{Code: c, Title: titles[c]}
		for _, x := range items {
			io.Top = append(io.Top, ObstacleFigure{Text: x.text, Count: SuppressCount(len(x.practices))})
		}
		out = append(out, io)
	}
	return out
}

// ---- access ----

// CanSeeFunderFigures: the region's accountability page and figures API:
// its funders and region admins (who see exactly what the funders see).
func (u *User) CanSeeFunderFigures(region int64) bool {
	return u.CanAdminRegion(region) || u.hasRegionRole(region, AccountFunder)
}

// CanDownloadParticipantList: the quarterly list of participating
// practices (AGB, name, patients, start date) is what the REGION sends its
// insurers each quarter; it names practices, so funders do not download it
// here (they see the same quarter as counts on their page).
func (u *User) CanDownloadParticipantList(region int64) bool { return u.CanAdminRegion(region) }

// CanDownloadAnnualReport: the annual report of a year, for the meeting
// with the insurers: the region admins, who prepare and hand it out, and
// the region's funders (aggregates only, as on their page).
func (u *User) CanDownloadAnnualReport(region int64) bool { return u.CanSeeFunderFigures(region) }

// AnnualReportObstacleMin is how many practices must name an obstacle in
// their visit reports before u's annual report quotes it: every obstacle
// in the region admin's edition (read before it is handed out), only those
// named at SuppressBelow or more practices in a funder's, the floor under
// every figure funders see.
func (u *User) AnnualReportObstacleMin(region int64) int {
	if u.CanAdminRegion(region) {
		return 0
	}
	return SuppressBelow
}

// IsFunderIn reports a funder grant in the region (navigation).
func (u *User) IsFunderIn(region int64) bool { return u.hasRegionRole(region, AccountFunder) }

// OnlyFunderIn reports a login whose only grants in the region are funder
// grants (and that is no platform admin): the region's home page, with
// unsuppressed counts, is not for it; its landing page is the
// accountability page.
func (u *User) OnlyFunderIn(region int64) bool {
	if u == nil || u.IsPlatformAdmin() || !u.IsFunderIn(region) {
		return false
	}
	for _, g := range u.Grants {
		if g.RegionID == region && g.Role != AccountFunder {
			return false
		}
	}
	return true
}
