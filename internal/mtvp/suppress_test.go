package mtvp

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The tests of this file attack the suppressed tables as a funder would,
// independently of Disclosed: by subtraction (a relation with one hidden
// cell gives it; two relations subtracted, as consecutive running totals,
// give the difference of their hidden cells) and by search (is there an
// assignment of the hidden cells, with the small count at another value,
// that fits the shown cells, the relations and what the funder knows of a
// hidden cell: "< 5" is 0..4, "x" is at least 5?). A small count with only
// one possible value is recovered, and the test fails.

// subtractionAttack repeats: a relation with exactly one unknown cell gives
// it; so does the difference or sum of two relations in which all unknown
// cells but one cancel.
func subtractionAttack(t FigureTable, st []CellState) map[int]int {
	known := map[int]int{}
	for i, c := range t.Cells {
		if !st[i].Hidden() {
			known[i] = c.Value
		}
	}
	rels := append([]Relation(nil), t.Relations...)
	for i := range t.Relations {
		for j := i + 1; j < len(t.Relations); j++ {
			for _, sign := range []int{-1, 1} {
				r := Relation{Const: t.Relations[i].Const + sign*t.Relations[j].Const}
				coef := map[int]int{}
				for _, tm := range t.Relations[i].Terms {
					coef[tm.Cell] += tm.Coef
				}
				for _, tm := range t.Relations[j].Terms {
					coef[tm.Cell] += sign * tm.Coef
				}
				for c, k := range coef {
					if k != 0 {
						r.Terms = append(r.Terms, Term{c, k})
					}
				}
				rels = append(rels, r)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, r := range rels {
			unknown, rest := -1, r.Const
			for _, tm := range r.Terms {
				if v, ok := known[tm.Cell]; ok {
					rest -= tm.Coef * v
				} else if unknown == -1 {
					unknown = tm.Cell
				} else {
					unknown = -2
				}
			}
			if unknown < 0 {
				continue
			}
			for _, tm := range r.Terms {
				if tm.Cell == unknown && rest%tm.Coef == 0 {
					known[unknown], changed = rest/tm.Coef, true
				}
			}
		}
	}
	return known
}

// feasible searches an assignment of the hidden cells that fits everything
// the funder sees (the shown cells, the relations, "< 5" is 0..4, "x" at
// least 5) with cell fix set to val. Values are searched up to limit, in at
// most budget steps; decided is false when the budget ran out.
func feasible(t FigureTable, st []CellState, fix, val, limit, budget int) (ok, decided bool) {
	n := len(t.Cells)
	v := make([]int, n)
	set := make([]bool, n)
	lo, hi := make([]int, n), make([]int, n)
	for i, c := range t.Cells {
		switch st[i] {
		case Shown:
			v[i], set[i] = c.Value, true
		case Small, Masked:
			lo[i], hi[i] = 0, SuppressBelow-1
		case Complementary:
			lo[i], hi[i] = SuppressBelow, limit
		default:
			lo[i], hi[i] = 0, limit
		}
	}
	if val < lo[fix] || val > hi[fix] {
		return false, true
	}
	v[fix], set[fix] = val, true
	steps := 0
	var search func() bool
	search = func() bool {
		if steps++; steps > budget {
			return false
		}
		var forced []int
		defer func() {
			for _, i := range forced {
				set[i] = false
			}
		}()
		for changed := true; changed; {
			changed = false
			for _, r := range t.Relations {
				free, rest, coef := -1, r.Const, 0
				for _, tm := range r.Terms {
					if set[tm.Cell] {
						rest -= tm.Coef * v[tm.Cell]
					} else if free == -1 || free == tm.Cell {
						free, coef = tm.Cell, coef+tm.Coef
					} else {
						free = -2
					}
				}
				switch {
				case free == -1 && rest != 0:
					return false
				case free >= 0:
					if coef == 0 || rest%coef != 0 || rest/coef < lo[free] || rest/coef > hi[free] {
						return false
					}
					v[free], set[free], changed = rest/coef, true, true
					forced = append(forced, free)
				}
			}
		}
		// Branch on the unset cell of the relation with fewest unset cells.
		next, fewest := -1, n+1
		for _, r := range t.Relations {
			k, c := 0, -1
			for _, tm := range r.Terms {
				if !set[tm.Cell] {
					k, c = k+1, tm.Cell
				}
			}
			if k > 0 && k < fewest {
				next, fewest = c, k
			}
		}
		if next < 0 {
			return true // the cells in no relation take any value in range
		}
		// From the true value outwards: close to the truth is where an
		// assignment is most likely.
		tv := t.Cells[next].Value
		for d := 0; tv-d >= lo[next] || tv+d <= hi[next]; d++ {
			for _, x := range []int{tv - d, tv + d} {
				if x < lo[next] || x > hi[next] || (d == 0 && x == tv+d && x != tv-d) {
					continue
				}
				v[next], set[next] = x, true
				ok := search()
				set[next] = false
				if ok {
					return true
				}
				if d == 0 {
					break
				}
			}
		}
		return false
	}
	ok = search()
	return ok, ok || steps <= budget
}

// attack fails the test when a small count of t is recovered under st.
func attack(t *testing.T, name string, ft FigureTable, st []CellState) {
	t.Helper()
	limit := 0
	for _, c := range ft.Cells {
		limit = max(limit, c.Value)
	}
	limit += SuppressBelow + 1
	sub := subtractionAttack(ft, st)
	for i, c := range ft.Cells {
		if st[i] != Small {
			continue
		}
		if v, ok := sub[i]; ok {
			t.Errorf("%s: cell %d (%d, hidden as < 5) recovered by subtraction as %d; states %v", name, i, c.Value, v, st)
		}
		if ok, decided := feasible(ft, st, i, c.Value, limit, 1<<20); !ok || !decided {
			t.Fatalf("%s: the true value %d of cell %d does not fit the attacker's model (decided %v)", name, c.Value, i, decided)
		}
		other, undecided := false, false
		for x := 0; x < SuppressBelow && !other; x++ {
			if x != c.Value {
				ok, decided := feasible(ft, st, i, x, limit, 1<<18)
				other, undecided = other || ok, undecided || !decided
			}
		}
		if !other && !undecided {
			t.Errorf("%s: cell %d (%d, hidden as < 5) has only one possible value; states %v", name, i, c.Value, st)
		}
		if !other && undecided {
			t.Logf("%s: cell %d: search budget exhausted", name, i)
		}
	}
	// The complementary cells are not small: what the funder is told
	// about them ("x": at least 5) is true.
	for i, c := range ft.Cells {
		if st[i] == Complementary && c.Value < SuppressBelow || st[i] == Masked && c.Value != 0 {
			t.Errorf("%s: complementary cell %d is %d", name, i, c.Value)
		}
	}
}

// primaryOnly is cell-by-cell suppression, as before issue 11.
func primaryOnly(ft FigureTable) []CellState {
	st := make([]CellState, len(ft.Cells))
	for i, c := range ft.Cells {
		if c.isSmall() {
			st[i] = Small
		}
	}
	return st
}

// chainTable is a running total over quarters: total[q] = total[q−1] +
// started[q] − left[q], from the programme's start (nobody before it). A
// quarter in which practices stopped has no relation: the funder cannot
// tell how many (see newFunderTable).
func chainTable(started, left []int) FigureTable {
	var ft FigureTable
	prev, total := -1, 0
	for i, s := range started {
		total += s - left[i]
		sc, tc := ft.Add(s, CellFlow), ft.Add(total, CellCount)
		r := Relation{Terms: []Term{{tc, 1}, {sc, -1}}}
		if prev >= 0 {
			r.Terms = append(r.Terms, Term{prev, -1})
		}
		if left[i] == 0 { // else the funder cannot tell how many stopped
			ft.Relate(r)
		}
		prev = tc
	}
	return ft
}

// partitionTable is rows plus their total, with an extra difference the
// funder knows (people under two trainings: extra ≤ 0).
func partitionTable(rows []int, extra int) FigureTable {
	var ft FigureTable
	sum := 0
	var parts []int
	for _, r := range rows {
		parts = append(parts, ft.Add(r, CellCount))
		sum += r
	}
	extra = max(extra, slices.Max(rows)-sum) // people under two trainings: never fewer than the largest row
	tot := ft.Add(sum+extra, CellCount)
	ft.Relate(SumRelation(tot, parts, extra))
	return ft
}

// twoWayTable is an r×c table with row, column and grand totals.
func twoWayTable(v [][]int) FigureTable {
	var ft FigureTable
	cells := make([][]int, len(v))
	colSum := make([]int, len(v[0]))
	var rowTotals []int
	grand := 0
	for i, row := range v {
		sum := 0
		for j, x := range row {
			cells[i] = append(cells[i], ft.Add(x, CellCount))
			sum += x
			colSum[j] += x
		}
		rt := ft.Add(sum, CellCount)
		ft.Relate(SumRelation(rt, cells[i], 0))
		rowTotals = append(rowTotals, rt)
		grand += sum
	}
	var colTotals []int
	for j := range v[0] {
		ct := ft.Add(colSum[j], CellCount)
		var col []int
		for i := range v {
			col = append(col, cells[i][j])
		}
		ft.Relate(SumRelation(ct, col, 0))
		colTotals = append(colTotals, ct)
	}
	g := ft.Add(grand, CellCount)
	ft.Relate(SumRelation(g, rowTotals, 0))
	ft.Relate(SumRelation(g, colTotals, 0))
	return ft
}

func TestSuppressFunderFiguresCases(t *testing.T) {
	for _, tc := range []struct {
		name string
		ft   FigureTable
		// leaks: cell-by-cell suppression of this table is broken by the
		// attacks (so the attacks can fail).
		leaks bool
	}{
		{"issue 11: one practice starts, running totals beside it", chainTable([]int{40, 0, 1, 0, 6}, []int{0, 0, 0, 0, 0}), true},
		{"a start in the first quarter", chainTable([]int{6, 0, 0, 0, 2, 6, 0, 0}, []int{0, 0, 0, 0, 0, 0, 0, 0}), true},
		{"starts and stops", chainTable([]int{30, 3, 0, 7, 2}, []int{0, 1, 0, 0, 0}), true},
		{"quiet years", chainTable([]int{30, 0, 0, 0, 0, 0, 0, 0}, []int{0, 0, 0, 0, 0, 0, 0, 0}), false},
		{"issue 11: a training row from the total minus the others", partitionTable([]int{12, 9, 3}, 0), true},
		{"visits: 0 + 5 = 5", partitionTable([]int{0, 5}, 0), true},
		{"visits: 4 + 4 + 6 = 14", partitionTable([]int{4, 4, 6}, 0), true},
		{"plan statuses all final", partitionTable([]int{0, 0, 0, 58}, 0), true},
		{"two-way", twoWayTable([][]int{{8, 1, 7}, {6, 9, 12}, {5, 7, 0}}), true},
		{"two-way without small cells", twoWayTable([][]int{{8, 6, 7}, {6, 9, 12}}), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.leaks {
				st := primaryOnly(tc.ft)
				sub := subtractionAttack(tc.ft, st)
				recovered := false
				for i, c := range tc.ft.Cells {
					if st[i] != Small {
						continue
					}
					if _, ok := sub[i]; ok {
						recovered = true
					}
					other := false
					for x := 0; x < SuppressBelow; x++ {
						ok, _ := feasible(tc.ft, st, i, x, 200, 1<<20)
						other = other || ok && x != c.Value
					}
					recovered = recovered || !other
				}
				if !recovered {
					t.Fatalf("the attacks recover nothing from cell-by-cell suppression")
				}
			}
			st := SuppressFunderFigures(tc.ft)
			attack(t, tc.name, tc.ft, st)
			if !tc.leaks {
				for i, s := range st {
					if s == Complementary {
						t.Errorf("cell %d hidden although nothing needs protection", i)
					}
				}
			}
		})
	}
}

func TestSuppressFunderFiguresRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 2026))
	small := func() int { return []int{0, 0, 1, 2, 3, 4, 5, 6, 8, 11, 15}[rng.IntN(11)] }
	for n := 0; n < 1200; n++ {
		var ft FigureTable
		switch n % 4 {
		case 0:
			n := 4 + rng.IntN(8)
			started, left := make([]int, n), make([]int, n)
			total := 0
			for i := range started {
				started[i] = small()
				total += started[i]
				if i > 0 && rng.IntN(4) == 0 {
					left[i] = min(total, rng.IntN(3))
					total -= left[i]
				}
			}
			ft = chainTable(started, left)
		case 1:
			rows := make([]int, 2+rng.IntN(4))
			for i := range rows {
				rows[i] = small()
			}
			ft = partitionTable(rows, 0)
		case 2:
			// Training rows with two totals (people, completions): a total
			// differs from the sum of the rows by people under two trainings
			// or repeated completions, which the funder cannot know, so the
			// relation holds (as in newFunderTable) only when they add up.
			rows := make([]int, 2+rng.IntN(4))
			for i := range rows {
				rows[i] = small()
			}
			ft = partitionTable(rows, 0)
			if rng.IntN(2) == 0 {
				ft.Relations = nil // people under two trainings
			}
			var parts []int
			for i := range rows {
				parts = append(parts, i)
			}
			tot := ft.Add(ft.Cells[len(rows)].Value, CellCount)
			ft.Relate(SumRelation(tot, parts, 0))
		case 3:
			// A running total split by plan status in one quarter, as on
			// the funder page.
			n := 4 + rng.IntN(4)
			started, left := make([]int, n), make([]int, n)
			for i := range started {
				started[i] = small()
			}
			ft = chainTable(started, left)
			q := 2*rng.IntN(n) + 1 // a quarter's running total
			last := ft.Cells[q].Value
			rows := []int{min(last, small()), 0}
			rows[1] = min(last-rows[0], small())
			rows = append(rows, last-rows[0]-rows[1])
			var parts []int
			for _, r := range rows {
				parts = append(parts, ft.Add(r, CellCount))
			}
			tot := ft.Add(last, CellCount)
			ft.Relate(SumRelation(tot, parts, 0))
			ft.Relate(Relation{Terms: []Term{{q, 1}, {tot, -1}}})
		}
		name := fmt.Sprintf("table %d %v", n, ft.Cells)
		attack(t, name, ft, SuppressFunderFigures(ft))
		if t.Failed() {
			return
		}
	}
}

// TestSuppressFunderFiguresDeterministic: the same figures give the same
// pattern every time (a funder reloading the page learns nothing new).
func TestSuppressFunderFiguresDeterministic(t *testing.T) {
	ft := twoWayTable([][]int{{8, 1, 7}, {6, 9, 12}, {5, 7, 0}})
	a := fmt.Sprint(SuppressFunderFigures(ft))
	for range 5 {
		if b := fmt.Sprint(SuppressFunderFigures(ft)); a != b {
			t.Fatalf("%s then %s", a, b)
		}
	}
}
