package mtvp

import (
	"math"
	"sort"
)

// funderTable is the FigureTable of a year's funder figures, with the
// index of each figure's cell.
type funderTable struct {
	FigureTable
	started, takePart [4]int // per quarter of the year
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

// newFunderTable lays out every count of the year's figures and the
// relations a funder can see between them:
//   - a quarter's running total is the previous one plus the practices that
//     started minus those that stopped (the latter assumed known), also
//     across the year boundary: the previous year's Q4 and the next year's
//     Q1 are published in those years' figures (CellFixed here);
//   - the practices taking part on the reference date are the quarter's
//     running total minus those that stopped or start later in that
//     quarter, the sum of the plan statuses, and (up to a known difference)
//     the practices of the compliance shares;
//   - visit coverage: visited + planned + not planned = total;
//   - training: the people per training add up to the people in all and to
//     the completions, up to a known difference (people with two
//     trainings, repeated completions).
func newFunderTable(in FunderInput, ref Date) funderTable {
	ft := funderTable{taking: map[int64]bool{}}
	takePart := func(q Quarter) (taking, started, patients int) {
		for _, p := range in.Participants {
			if p.TakesPartIn(q) {
				taking++
				patients += p.RegisteredPatients
				if QuarterOf(p.JoinedOn) == q {
					started++
				}
			}
		}
		return
	}
	left := func(q Quarter) int { // took part in the quarter before q but not in q
		n := 0
		prev := Quarter{q.Year, q.Q - 1}
		if q.Q == 1 {
			prev = Quarter{q.Year - 1, 4}
		}
		for _, p := range in.Participants {
			if p.TakesPartIn(prev) && !p.TakesPartIn(q) {
				n++
			}
		}
		return n
	}
	quarters := QuartersOf(in.Year)
	prevTP, _, _ := takePart(Quarter{in.Year - 1, 4})
	prev := ft.Add(prevTP, CellFixed)
	for i, q := range quarters {
		tp, started, patients := takePart(q)
		ft.started[i], ft.takePart[i], ft.patients[i] = ft.Add(started, CellFlow), ft.Add(tp, CellCount), patients
		// takePart = prev + started − left
		ft.Relate(Relation{Terms: []Term{{ft.takePart[i], 1}, {prev, -1}, {ft.started[i], -1}}, Const: -left(q)})
		prev = ft.takePart[i]
	}
	next := Quarter{in.Year + 1, 1}
	nextTP, nextStarted, _ := takePart(next)
	ntp, nst := ft.Add(nextTP, CellFixed), ft.Add(nextStarted, CellFixed)
	ft.Relate(Relation{Terms: []Term{{ntp, 1}, {prev, -1}, {nst, -1}}, Const: -left(next)})

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
	ft.takingPart = ft.Add(len(ft.taking), CellCount)
	ft.Relate(Relation{Terms: []Term{{ft.takePart[qi], 1}, {ft.takingPart, -1}}, Const: notOnRef})
	counts := map[PlanStatus]int{}
	for id := range ft.taking {
		counts[in.PlanStatus[id]]++
	}
	for _, s := range PlanStatuses {
		ft.planStatus = append(ft.planStatus, ft.Add(counts[s], CellCount))
	}
	ft.Relate(SumRelation(ft.takingPart, ft.planStatus, 0))
	if cc := complianceCounts(in, ref); cc != nil {
		// The practices behind the compliance shares are, up to a known
		// difference, those taking part on the reference date.
		ft.compliance = cc
		ft.addCompliance(cc)
		ft.Relate(Relation{Terms: []Term{{ft.takingPart, 1}, {cc.totalCell, -1}}, Const: len(ft.taking) - cc.total})
	}
	for _, s := range in.Snapshots {
		sc := complianceCells{compliant: s.Compliant, total: s.Practices, met: s.Met, applicable: s.Applicable}
		ft.addCompliance(&sc)
		if s.Ref.Year() == in.Year {
			// A snapshot's practices are those taking part on its
			// reference date: the quarter's running total up to a known
			// difference.
			q := s.Ref.Quarter() - 1
			ft.Relate(Relation{Terms: []Term{{ft.takePart[q], 1}, {sc.totalCell, -1}}, Const: ft.Cells[ft.takePart[q]].Value - s.Practices})
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
	if len(ft.perTraining) > 0 {
		ft.Relate(SumRelation(ft.part[3], ft.perTraining, pt.TrainingPeople-sum))
		ft.Relate(SumRelation(ft.part[4], ft.perTraining, pt.TrainingCompletions-sum))
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
