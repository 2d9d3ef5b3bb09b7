package mtvp

import (
	"math"
	"testing"
)

// practiceWeek is one practice's huisarts figures of one week: n consults
// of min minutes each, GP FTE fte.
func practiceWeek(practice int64, w Week, n int64, min float64, fte float64) ConsultFigures {
	cw := ConsultWeek{PracticeID: practice, Week: w, Role: ConsultHuisarts}
	for range n {
		cw.Add(int64(min*60), min >= 20)
	}
	return ConsultFigures{ConsultWeek: cw, GPFTE: fte}
}

// weeksOf lists the ISO weeks of 2026 from first to last.
func weeksOf(first, last int) []Week {
	return WeekRange(Week{2026, first}, Week{2026, last})
}

// regionFigs: practices 1..n contribute every week of weeks, except where
// only says otherwise (week number → the practices that contribute).
func regionFigs(n int64, weeks []Week, only map[int][]int64) []ConsultFigures {
	var out []ConsultFigures
	for _, w := range weeks {
		ps := only[w.Week]
		if ps == nil {
			for p := int64(1); p <= n; p++ {
				ps = append(ps, p)
			}
		}
		for _, p := range ps {
			out = append(out, practiceWeek(p, w, 20+p*3, 10+float64(p), 1+float64(p%3)/2))
		}
	}
	return out
}

func TestRegionConsultWeightedByConsults(t *testing.T) {
	w := Week{2026, 10}
	var figs []ConsultFigures
	// Five practices: one with many short consults, four with few long
	// ones. The mean weighs each practice by its consults.
	figs = append(figs, practiceWeek(1, w, 100, 10, 2))
	for p := int64(2); p <= 5; p++ {
		figs = append(figs, practiceWeek(p, w, 10, 20, 1))
	}
	// Another role and a week without consults do not count.
	figs = append(figs, ConsultFigures{ConsultWeek: ConsultWeek{PracticeID: 1, Week: w, Role: ConsultPOHGGZ, Count: 3, Seconds: 3 * 1800}})
	rc := BuildRegionConsult(figs, ConsultHuisarts)
	if len(rc.Weeks) != 1 || len(rc.Quarters) != 1 {
		t.Fatalf("weeks %d quarters %d, want 1 and 1", len(rc.Weeks), len(rc.Quarters))
	}
	f := rc.Weeks[0]
	wantMean := (100*10 + 40*20) / 140.0
	if f.Hidden() || f.Practices != 5 || f.Consults != 140 || math.Abs(f.Mean-wantMean) > 1e-9 {
		t.Fatalf("week %+v, want 5 practices, 140 consults, mean %.3f", f, wantMean)
	}
	if f.MeetsGoal {
		t.Errorf("mean %.2f meets the 15-minute goal?", f.Mean)
	}
	if got := f.BucketShares[1] + f.BucketShares[3]; math.Abs(got-1) > 1e-9 || math.Abs(f.BucketShares[1]-100.0/140) > 1e-9 {
		t.Errorf("buckets %v", f.BucketShares)
	}
	if math.Abs(f.DoubleShare-40.0/140) > 1e-9 {
		t.Errorf("double share %v, want %v", f.DoubleShare, 40.0/140)
	}
	if want := 140.0 / 6; math.Abs(f.PerGPFTE-want) > 1e-9 {
		t.Errorf("per GP FTE %v, want %v", f.PerGPFTE, want)
	}
	if q := rc.Quarters[0]; q.Quarter != (Quarter{2026, 1}) || q.Consults != 140 || q.Practices != 5 {
		t.Errorf("quarter %+v", q)
	}
	if poh := BuildRegionConsult(figs, ConsultPOHGGZ); len(poh.Weeks) != 1 || !poh.Weeks[0].Hidden() || poh.Weeks[0].State != Small {
		t.Errorf("POH-GGZ of one practice: %+v, want hidden as small", poh.Weeks)
	}
}

func TestQuarterOfWeek(t *testing.T) {
	for _, c := range []struct {
		w    Week
		want Quarter
	}{
		{Week{2026, 1}, Quarter{2026, 1}},  // 29 Dec 2025 – 4 Jan 2026
		{Week{2026, 14}, Quarter{2026, 2}}, // 30 Mar – 5 Apr: Thursday 2 April
		{Week{2026, 13}, Quarter{2026, 1}}, // 23 – 29 Mar
		{Week{2026, 53}, Quarter{2026, 4}}, // 28 Dec 2026 – 3 Jan 2027
	} {
		if got := QuarterOfWeek(c.w); got != c.want {
			t.Errorf("QuarterOfWeek(%v) = %v, want %v", c.w, got, c.want)
		}
	}
}

// weekAttack is what a funder computes from what it sees: for every shown
// quarter, the quarter minus its shown weeks. With exactly one hidden
// week that is the hidden week's consults; it returns those weeks.
func weekAttack(rc RegionConsult) []Week {
	var got []Week
	for _, q := range rc.Quarters {
		if q.Hidden() {
			continue
		}
		var hidden []Week
		for _, w := range rc.Weeks {
			if w.Quarter == q.Quarter && w.Hidden() {
				hidden = append(hidden, w.Week)
			}
		}
		if len(hidden) == 1 {
			got = append(got, hidden[0])
		}
	}
	return got
}

func TestRegionConsultSuppression(t *testing.T) {
	q1 := weeksOf(1, 13) // the weeks of 2026-Q1
	cases := []struct {
		name      string
		figs      []ConsultFigures
		small     []int // weeks hidden as small
		quarter   CellState
		minHidden int // weeks hidden in all (at least)
	}{
		{"every week 6 practices", regionFigs(6, q1, nil), nil, Shown, 0},
		{"one week of 3: a second week is hidden", regionFigs(6, q1, map[int][]int64{5: {1, 2, 3}}), []int{5}, Shown, 2},
		{"one empty week counts as small", regionFigs(6, q1, map[int][]int64{7: {}}), []int{7}, Shown, 2},
		{"two small weeks of different practices", regionFigs(8, q1, map[int][]int64{3: {1, 2, 3}, 9: {4, 5, 6}}), []int{3, 9}, Shown, 2},
		// The two hidden weeks add up to three practices' figures: one
		// more week is hidden.
		{"two small weeks of the same practices", regionFigs(8, q1, map[int][]int64{3: {1, 2, 3}, 9: {1, 2, 3}}), []int{3, 9}, Shown, 3},
		{"four practices in all: everything small", regionFigs(4, q1, nil), []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, Small, 13},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rc := BuildRegionConsult(c.figs, ConsultHuisarts)
			if len(rc.Weeks) != 13 || len(rc.Quarters) != 1 {
				t.Fatalf("weeks %d quarters %d", len(rc.Weeks), len(rc.Quarters))
			}
			small := map[int]bool{}
			for _, w := range c.small {
				small[w] = true
			}
			hidden := 0
			for _, w := range rc.Weeks {
				if small[w.Week.Week] != (w.State == Small) {
					t.Errorf("week %v: state %v, small want %v", w.Week, w.State, small[w.Week.Week])
				}
				if w.Hidden() {
					hidden++
					if w.Consults != 0 || w.Practices != 0 || !math.IsNaN(w.Mean) || !math.IsNaN(w.DoubleShare) || !math.IsNaN(w.BucketShares[2]) {
						t.Errorf("hidden week %v carries figures: %+v", w.Week, w)
					}
				}
			}
			if hidden < c.minHidden {
				t.Errorf("%d weeks hidden, want at least %d", hidden, c.minHidden)
			}
			if rc.Quarters[0].State != c.quarter {
				t.Errorf("quarter state %v, want %v", rc.Quarters[0].State, c.quarter)
			}
			// The subtraction attack recovers no week.
			if got := weekAttack(rc); len(got) > 0 {
				t.Errorf("quarter minus shown weeks gives week(s) %v away", got)
			}
		})
	}
}

// TestRegionConsultSubtractionAttack: the funder's sums add up (the
// quarter is the sum of its weeks), so the attack is real when only the
// small week is hidden; after suppression the hidden weeks together hold
// at least 5 practices.
func TestRegionConsultSubtractionAttack(t *testing.T) {
	q1 := weeksOf(1, 13)
	figs := regionFigs(6, q1, map[int][]int64{5: {2, 4}})
	weeks, quarters := SumRegionConsult(figs, ConsultHuisarts)
	var shown int64
	for _, w := range weeks {
		if w.Week.Week != 5 {
			shown += w.Count
		}
	}
	if quarters[0].Count-shown != weeks[4].Count || weeks[4].Practices != 2 {
		t.Fatalf("the quarter is not the sum of its weeks: the attack test tests nothing")
	}
	rc := BuildRegionConsult(figs, ConsultHuisarts)
	ids := map[int64]bool{}
	for i, w := range rc.Weeks {
		if w.Hidden() {
			for id := range weeks[i].practiceIDs {
				ids[id] = true
			}
		}
	}
	if len(ids) < SuppressBelow {
		t.Errorf("the hidden weeks hold %d practices together, want at least %d", len(ids), SuppressBelow)
	}
	if rc.Weeks[4].State != Small {
		t.Errorf("week 5 state %v, want small", rc.Weeks[4].State)
	}
	var compl int
	for _, w := range rc.Weeks {
		if w.State == Complementary {
			compl++
		}
	}
	if compl != 1 || rc.Quarters[0].Hidden() {
		t.Errorf("%d complementary weeks, quarter hidden %v: want one week and the quarter shown", compl, rc.Quarters[0].Hidden())
	}
}

// TestRegionConsultQuartersApart: a week counts in the quarter of its
// Thursday; each quarter is protected on its own.
func TestRegionConsultQuartersApart(t *testing.T) {
	figs := regionFigs(6, weeksOf(10, 16), map[int][]int64{11: {1}, 15: {1, 2}})
	rc := BuildRegionConsult(figs, ConsultHuisarts)
	if len(rc.Quarters) != 2 || rc.Quarters[0].Quarter != (Quarter{2026, 1}) || rc.Quarters[1].Quarter != (Quarter{2026, 2}) {
		t.Fatalf("quarters %+v", rc.Quarters)
	}
	if got := weekAttack(rc); len(got) > 0 {
		t.Errorf("weeks %v given away", got)
	}
	for _, q := range rc.Quarters {
		if q.Hidden() {
			t.Errorf("quarter %v hidden; a second week will do", q.Quarter)
		}
	}
}

func TestRegionConsultEmpty(t *testing.T) {
	if rc := BuildRegionConsult(nil, ConsultHuisarts); rc.HasData() || len(rc.Quarters) != 0 {
		t.Errorf("no data: %+v", rc)
	}
}
