package mtvp

import "math"

// Consult duration of a region (issue 15 §5): the weekly aggregates of its
// practices summed per week and per quarter, for one consult role. Means
// and shares are taken over the summed counts, so every practice weighs
// with its number of consults. Funders see region aggregates only, with
// the small-number suppression of their other figures: a week or quarter
// to which fewer than SuppressBelow practices contribute is hidden, and
// since a quarter is the sum of its weeks, further weeks (or the quarter)
// are hidden wherever a hidden week would follow by subtraction
// (SuppressFunderFigures on CellSum cells).

// QuarterOfWeek is the quarter an ISO week counts in: the quarter of its
// Thursday (as the week's year is its Thursday's).
func QuarterOfWeek(w Week) Quarter { return QuarterOf(w.Monday().AddDays(3)) }

// RegionConsultSum is the region's sum over its practices of one week or
// quarter, for one role.
type RegionConsultSum struct {
	ConsultWeek         // PracticeID 0; Week zero for a quarter
	Quarter     Quarter // the week's quarter, or the quarter
	Practices   int
	// FTEConsults and FTEWeeks: the consults of the practices that list GP
	// FTE, and that FTE summed over the weeks (huisarts only).
	FTEConsults int64
	FTEWeeks    float64
	practiceIDs map[int64]bool
}

// RegionConsultFigure is a week's or quarter's region figure as a viewer
// may see it. When Hidden, every number is zero or NaN, so the true
// values cannot leak through a template or a JSON field.
type RegionConsultFigure struct {
	Week    Week    // zero for a quarter
	Quarter Quarter // the week's quarter, or the quarter
	// State: Shown, Small (fewer than 5 practices) or Complementary
	// (hidden so that a small one cannot be computed back).
	State        CellState
	Practices    int
	Consults     int64
	Mean         float64 // minutes
	BucketShares [ConsultBuckets]float64
	DoubleShare  float64
	// PerGPFTE: GP consults per FTE GP per week (huisarts only; NaN
	// otherwise or without FTE).
	PerGPFTE  float64
	MeetsGoal bool
}

// Hidden reports a figure that is not shown.
func (f RegionConsultFigure) Hidden() bool { return f.State.Hidden() }

// RegionConsult is a region's consult duration for one role: every week
// from the first to the last with data, and every quarter they touch.
type RegionConsult struct {
	Role     ConsultRole
	Weeks    []RegionConsultFigure
	Quarters []RegionConsultFigure
}

// HasData reports whether any practice contributed.
func (rc RegionConsult) HasData() bool { return len(rc.Weeks) > 0 }

// SumRegionConsult adds the practices' figures of role (FiguresOf, each
// with its practice's GP FTE) per week and per quarter, from the first to
// the last week with data.
func SumRegionConsult(figs []ConsultFigures, role ConsultRole) (weeks, quarters []RegionConsultSum) {
	byWeek := map[Week]*RegionConsultSum{}
	var first, last Week
	for _, f := range figs {
		if f.Role != role || f.Count <= 0 {
			continue
		}
		s := byWeek[f.Week]
		if s == nil {
			s = &RegionConsultSum{ConsultWeek: ConsultWeek{Week: f.Week, Role: role}}
			byWeek[f.Week] = s
		}
		addPractice(s, f)
		if first.Year == 0 || f.Week.Before(first) {
			first = f.Week
		}
		if last.Year == 0 || last.Before(f.Week) {
			last = f.Week
		}
	}
	if first.Year == 0 {
		return nil, nil
	}
	byQuarter := map[Quarter]*RegionConsultSum{}
	var qs []Quarter
	for _, w := range WeekRange(first, last) {
		s := RegionConsultSum{ConsultWeek: ConsultWeek{Week: w, Role: role}}
		if x := byWeek[w]; x != nil {
			s = *x
		}
		q := QuarterOfWeek(w)
		s.Quarter = q
		weeks = append(weeks, s)
		if byQuarter[q] == nil {
			byQuarter[q] = &RegionConsultSum{ConsultWeek: ConsultWeek{Role: role}, Quarter: q}
			qs = append(qs, q)
		}
	}
	// A quarter's practices are counted once however many weeks they
	// contribute.
	seen := map[Quarter]map[int64]bool{}
	for _, f := range figs {
		if f.Role != role || f.Count <= 0 {
			continue
		}
		q := QuarterOfWeek(f.Week)
		s := byQuarter[q]
		s.Merge(f.ConsultWeek)
		s.FTEConsults, s.FTEWeeks = s.FTEConsults+fteConsults(f), s.FTEWeeks+fteOf(f)
		if seen[q] == nil {
			seen[q] = map[int64]bool{}
		}
		if !seen[q][f.PracticeID] {
			seen[q][f.PracticeID] = true
			s.Practices++
		}
	}
	for _, q := range qs {
		quarters = append(quarters, *byQuarter[q])
	}
	return weeks, quarters
}

func fteOf(f ConsultFigures) float64 {
	if f.Role != ConsultHuisarts || f.GPFTE <= 0 {
		return 0
	}
	return f.GPFTE
}

func fteConsults(f ConsultFigures) int64 {
	if fteOf(f) == 0 {
		return 0
	}
	return f.Count
}

func addPractice(s *RegionConsultSum, f ConsultFigures) {
	s.Merge(f.ConsultWeek)
	s.Practices++
	if s.practiceIDs == nil {
		s.practiceIDs = map[int64]bool{}
	}
	s.practiceIDs[f.PracticeID] = true
	s.FTEConsults += fteConsults(f)
	s.FTEWeeks += fteOf(f)
}

// BuildRegionConsult is the region's consult duration of role as a funder
// may see it (and the region admin, who sees what the funders see): the
// sums of SumRegionConsult, suppressed as one table — every week and
// quarter is a cell, every quarter the sum of its weeks.
func BuildRegionConsult(figs []ConsultFigures, role ConsultRole) RegionConsult {
	weeks, quarters := SumRegionConsult(figs, role)
	rc := RegionConsult{Role: role}
	if len(weeks) == 0 {
		return rc
	}
	var t FigureTable
	wCells := make([]int, len(weeks))
	parts := map[Quarter][]int{}
	quarterWeeks := map[Quarter][]int{}
	for i, w := range weeks {
		wCells[i] = t.AddSum(int(w.Count), w.Practices, 0)
		parts[w.Quarter] = append(parts[w.Quarter], wCells[i])
		quarterWeeks[w.Quarter] = append(quarterWeeks[w.Quarter], i)
	}
	// A quarter weighs more than a week: a second week is hidden before
	// the quarter is.
	qCells := make([]int, len(quarters))
	for j, q := range quarters {
		qCells[j] = t.AddSum(int(q.Count), q.Practices, 1)
		t.Relate(SumRelation(qCells[j], parts[q.Quarter], 0))
	}
	st := SuppressFunderFigures(t)
	// The hidden weeks of a shown quarter add up to the quarter minus the
	// shown weeks: together they too must hold SuppressBelow practices or
	// more (two hidden weeks of the same three practices would give those
	// three away), else one more week is hidden, or the quarter.
	for j := 0; j < len(quarters); {
		ids, hidden, smallest := map[int64]bool{}, false, -1
		for _, i := range quarterWeeks[quarters[j].Quarter] {
			if st[wCells[i]].Hidden() {
				hidden = true
				for id := range weeks[i].practiceIDs {
					ids[id] = true
				}
			} else if smallest < 0 || weeks[i].Count < weeks[smallest].Count {
				smallest = i
			}
		}
		if st[qCells[j]].Hidden() || !hidden || len(ids) >= SuppressBelow {
			j++
			continue
		}
		c := qCells[j]
		if smallest >= 0 {
			c = wCells[smallest]
		}
		t.Cells[c].Locked, t.Cells[c].State = true, Complementary
		st = SuppressFunderFigures(t)
		j = 0
	}
	for i, w := range weeks {
		rc.Weeks = append(rc.Weeks, regionFigure(w, st[wCells[i]]))
	}
	for j, q := range quarters {
		rc.Quarters = append(rc.Quarters, regionFigure(q, st[qCells[j]]))
	}
	return rc
}

// regionFigure turns a sum into its figure; a hidden one keeps only its
// week, quarter and state.
func regionFigure(s RegionConsultSum, state CellState) RegionConsultFigure {
	f := RegionConsultFigure{Week: s.Week, Quarter: s.Quarter, State: state, Mean: math.NaN(), DoubleShare: math.NaN(), PerGPFTE: math.NaN()}
	for b := range f.BucketShares {
		f.BucketShares[b] = math.NaN()
	}
	if state.Hidden() {
		return f
	}
	f.Practices, f.Consults = s.Practices, s.Count
	f.Mean, f.DoubleShare, f.MeetsGoal = s.MeanMinutes(), s.DoubleShare(), s.MeetsGoal()
	for b := range f.BucketShares {
		f.BucketShares[b] = s.BucketShare(b)
	}
	if s.FTEWeeks > 0 {
		f.PerGPFTE = float64(s.FTEConsults) / s.FTEWeeks
	}
	return f
}

// CanSeeRegionConsult: the region's consult duration (aggregates of its
// practices' agenda uploads): its funders and region admins, who see what
// the funders see. Consultants, who also see their own practices' figures,
// do not: the region's sum minus theirs could give a practice away.
func (u *User) CanSeeRegionConsult(region int64) bool { return u.CanSeeFunderFigures(region) }

// RegionFiguresOf is FiguresOf for the weeks of several practices (by
// practice, as store.RegionAgendaWeeks reads them), each practice's GP FTE
// from its own staff.
func RegionFiguresOf(weeks []ConsultWeek, staff map[int64][]StaffMember) []ConsultFigures {
	out := make([]ConsultFigures, 0, len(weeks))
	for start := 0; start < len(weeks); {
		end := start
		for end < len(weeks) && weeks[end].PracticeID == weeks[start].PracticeID {
			end++
		}
		out = append(out, FiguresOf(weeks[start:end], MembershipsOf(staff[weeks[start].PracticeID]))...)
		start = end
	}
	return out
}
