package mtvp

import (
	"math"
	"sort"
)

// funderTable is the FigureTable of a year's funder figures, with the
// index of each figure's cell.
type funderTable struct {
	FigureTable
	started, takePart [4]int // per quarter of the year; −1 before the first practice started
	patients          [4]int // registered patients per quarter (rounded, not a cell)
	takingPart        int    // on the reference date
	taking            map[int64]bool
	takingPatients    int
	planStatus        []int // per PlanStatuses
	visits            [4]int
	part              [5]int // groups, members, attended, training people, completions
	trainingTitles    []string
	perTraining       []int
	compliance        *complianceCells // nil: not available
	snapshots         []complianceCells
}

// complianceCells are the counts behind a set of compliance shares (the
// year's or a snapshot's): the number of practices is a cell, and so is the
// number a requirement applies to when that is the same number (a funder
// sees both and may subtract).
type complianceCells struct {
	compliant, total int
	met, applicable  map[Requirement]int
	notRecorded      map[Requirement]int
	totalCell        int
	ofCell           map[Requirement]int
}

func (ft *funderTable) addCompliance(c *complianceCells) {
	c.totalCell = ft.Add(c.total, CellCount)
	c.ofCell = map[Requirement]int{}
	for _, code := range AllRequirements {
		if n, ok := c.applicable[code]; ok && n == c.total {
			c.ofCell[code] = ft.Add(n, CellCount)
			ft.Relate(SumRelation(c.ofCell[code], []int{c.totalCell}, 0))
		}
	}
}

// stateOf is the state of the "of" cell of a requirement's share (Shown
// when it is no cell).
func (ft *funderTable) stateOf(states []CellState, cells map[Requirement]int, code Requirement) CellState {
	if i, ok := cells[code]; ok {
		return states[i]
	}
	return Shown
}

// timeline is the running total of practices over every quarter from the
// programme's first start to the end of next year (as seen from today):
// the quarters of all the years a funder can ask for, suppressed
// together so that each year's figures hide exactly what the others
// assume hidden.
type timeline struct {
	FigureTable
	quarters          []Quarter
	started, takePart []int // cells per quarter
	patients          []int // registered patients per quarter (not cells)
	states            []CellState
}

// newTimeline lays out the quarters: total[q] = total[q−1] + started[q] −
// stopped[q]. A funder cannot tell how many practices stopped, so a
// quarter in which some did gives no relation.
func newTimeline(in FunderInput) timeline {
	var first Quarter
	for _, p := range in.Participants {
		if !p.JoinedOn.IsZero() && p.Status != PracticeInterested {
			if q := QuarterOf(p.JoinedOn); first.Year == 0 || q.Year < first.Year || q.Year == first.Year && q.Q < first.Q {
				first = q
			}
		}
	}
	if first.Year == 0 {
		return timeline{} // nobody ever started
	}
	last := max(in.Year, in.Today.Year()+1)
	var tl timeline
	prev := -1
	for q := first; q.Year <= last; q = q.Next() {
		taking, started, patients, stopped := 0, 0, 0, 0
		for _, p := range in.Participants {
			if p.TakesPartIn(q) {
				taking++
				patients += p.RegisteredPatients
				if QuarterOf(p.JoinedOn) == q {
					started++
				}
			} else if prev >= 0 && p.TakesPartIn(tl.quarters[len(tl.quarters)-1]) {
				stopped++
			}
		}
		importance := 1
		if q.Q == 4 || q == QuarterOf(in.Today) {
			importance = 2 // a year's reference quarter (ReferenceDate)
		}
		sc, tc := tl.Add(started, CellFlow), tl.AddHeadline(taking, CellCount, importance)
		if stopped == 0 {
			r := Relation{Terms: []Term{{tc, 1}, {sc, -1}}}
			if prev >= 0 {
				r.Terms = append(r.Terms, Term{prev, -1})
			}
			tl.Relate(r)
		}
		tl.quarters = append(tl.quarters, q)
		tl.started, tl.takePart, tl.patients = append(tl.started, sc), append(tl.takePart, tc), append(tl.patients, patients)
		prev = tc
	}
	tl.states = SuppressFunderFigures(tl.FigureTable)
	return tl
}

// newFunderTable lays out every count of the year's figures and the
// relations a funder can see between them:
//   - the quarters (newTimeline): the other years' quarters keep the
//     timeline's states; this year's may only be hidden further;
//   - the practices taking part on the reference date are the quarter's
//     running total (unless practices stopped or start later in that
//     quarter), the sum of the plan statuses, and the practices of the
//     compliance shares (unless some do not count there);
//   - visit coverage: visited + planned + not planned = total;
//   - training: the people per training add up to the people in all and to
//     the completions (when they do: see below).
//
// Like the practices that stopped, differences a funder cannot know give
// no relation; a funder who assumes none is not certain of anything.
func newFunderTable(in FunderInput, ref Date) funderTable {
	ft := funderTable{taking: map[int64]bool{}, started: [4]int{-1, -1, -1, -1}, takePart: [4]int{-1, -1, -1, -1}}
	tl := newTimeline(in)
	ft.FigureTable = FigureTable{Cells: append([]FigureCell(nil), tl.Cells...), Relations: tl.Relations}
	quarters := QuartersOf(in.Year)
	for i, q := range tl.quarters {
		if q.Year == in.Year {
			ft.started[q.Q-1], ft.takePart[q.Q-1], ft.patients[q.Q-1] = tl.started[i], tl.takePart[i], tl.patients[i]
		}
		for _, c := range []int{tl.started[i], tl.takePart[i]} {
			if q.Year != in.Year || tl.states[c].Hidden() {
				ft.Cells[c].Locked, ft.Cells[c].State = true, tl.states[c]
			}
		}
	}

	// On the reference date.
	qi := QuarterOf(ref).Q - 1
	notOnRef := 0
	for _, p := range in.Participants {
		if p.TakesPartOn(ref) {
			ft.taking[p.ID] = true
			ft.takingPatients += p.RegisteredPatients
		} else if p.TakesPartIn(quarters[qi]) {
			notOnRef++
		}
	}
	ft.takingPart = ft.AddHeadline(len(ft.taking), CellCount, 2)
	if notOnRef == 0 && ft.takePart[qi] >= 0 {
		ft.Relate(Relation{Terms: []Term{{ft.takePart[qi], 1}, {ft.takingPart, -1}}})
	}
	counts := map[PlanStatus]int{}
	for id := range ft.taking {
		counts[in.PlanStatus[id]]++
	}
	for _, s := range PlanStatuses {
		ft.planStatus = append(ft.planStatus, ft.Add(counts[s], CellCount))
	}
	ft.Relate(SumRelation(ft.takingPart, ft.planStatus, 0))
	if cc := complianceCounts(in, ref); cc != nil {
		ft.compliance = cc
		ft.addCompliance(cc)
		if cc.total == len(ft.taking) {
			ft.Relate(Relation{Terms: []Term{{ft.takingPart, 1}, {cc.totalCell, -1}}})
		}
	}
	for _, s := range in.Snapshots {
		sc := complianceCells{compliant: s.Compliant, total: s.Practices, met: s.Met, applicable: s.Applicable}
		ft.addCompliance(&sc)
		if q := s.Ref.Quarter() - 1; s.Ref.Year() == in.Year && ft.takePart[q] >= 0 && ft.Cells[ft.takePart[q]].Value == s.Practices {
			// A snapshot's practices are those taking part on its
			// reference date: often the quarter's running total.
			ft.Relate(Relation{Terms: []Term{{ft.takePart[q], 1}, {sc.totalCell, -1}}})
		}
		ft.snapshots = append(ft.snapshots, sc)
	}

	if v := in.Visits; v != nil {
		ft.visits = [4]int{ft.Add(v.Visited, CellCount), ft.Add(v.Planned, CellCount), ft.Add(v.NotPlanned, CellCount),
			ft.Add(v.Visited+v.Planned+v.NotPlanned, CellCount)}
		ft.Relate(SumRelation(ft.visits[3], ft.visits[:3], 0))
	}

	pt := in.Participation
	for i, n := range []int{pt.IntervisionGroups, pt.IntervisionMembers, pt.IntervisionAttended, pt.TrainingPeople, pt.TrainingCompletions} {
		ft.part[i] = ft.Add(n, CellCount)
	}
	for t := range pt.PerTraining {
		ft.trainingTitles = append(ft.trainingTitles, t)
	}
	sort.Slice(ft.trainingTitles, func(i, j int) bool {
		if a, b := pt.PerTraining[ft.trainingTitles[i]], pt.PerTraining[ft.trainingTitles[j]]; a != b {
			return a > b
		}
		return ft.trainingTitles[i] < ft.trainingTitles[j]
	})
	sum := 0
	for _, t := range ft.trainingTitles {
		ft.perTraining = append(ft.perTraining, ft.Add(pt.PerTraining[t], CellCount))
		sum += pt.PerTraining[t]
	}
	// The rows add up to the people in all unless someone followed two
	// trainings, and to the completions unless someone completed one
	// twice; the funder cannot know those differences, so only a sum that
	// holds exactly is a relation.
	if len(ft.perTraining) > 0 && sum == pt.TrainingPeople {
		ft.Relate(SumRelation(ft.part[3], ft.perTraining, 0))
	}
	if len(ft.perTraining) > 0 && sum == pt.TrainingCompletions {
		ft.Relate(SumRelation(ft.part[4], ft.perTraining, 0))
	}
	return ft
}

// complianceCounts evaluates the practices that count in compliance at
// ref and counts, per requirement, how many meet it out of how many it
// applies to. Nil when the compliance facts are not available.
func complianceCounts(in FunderInput, ref Date) *complianceCells {
	if !in.StandingsAvailable && in.Compliance == nil {
		return nil
	}
	standings := in.Standings
	for _, id := range sortedIDs(in.Compliance) {
		cf := in.Compliance[id]
		if CountsInCompliance(cf.Practice, in.Year) {
			standings = append(standings, EvaluateCompliance(cf, in.Region.Settings, in.Year, ref))
		}
	}
	c := &complianceCells{met: map[Requirement]int{}, applicable: map[Requirement]int{}, notRecorded: map[Requirement]int{}}
	for _, st := range standings {
		c.total++
		if st.Compliant {
			c.compliant++
		}
		for _, r := range st.Requirements {
			switch r.Status {
			case StatusMet:
				c.met[r.Code]++
				c.applicable[r.Code]++
			case StatusNotMet:
				c.applicable[r.Code]++
			case StatusNotRecorded:
				c.notRecorded[r.Code]++
			}
		}
	}
	return c
}

// countIn is a cell's value as the funder sees it.
func countIn(v int, s CellState) FunderCount {
	switch s {
	case Shown:
		return FunderCount{N: v}
	case Complementary:
		return FunderCount{Suppressed: true, Complementary: true}
	}
	return FunderCount{Suppressed: true}
}

// PatientsRoundTo: registered patients are shown to funders rounded to
// this, so that the difference of two totals does not give one
// practice's size.
const PatientsRoundTo = 1000

// RoundPatients rounds a number of registered patients for funders.
func RoundPatients(n int) int {
	return int(math.Round(float64(n)/PatientsRoundTo)) * PatientsRoundTo
}
