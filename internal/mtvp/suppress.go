package mtvp

import (
	"math/big"
	"sort"
)

// Complementary suppression (issue 11). Hiding a small count cell by cell
// is not enough when the funder also sees totals and running totals: the
// hidden cell follows by subtraction. The figures a funder sees together
// are therefore laid out as one FigureTable — the counts plus the linear
// relations between them — and SuppressFunderFigures decides, for the whole
// table at once, which counts are hidden: first every small count (primary
// suppression), then as many further counts as are needed so that no small
// count can be computed exactly from what is still shown (complementary
// suppression).

// CellKind says when a count is small enough to hide.
type CellKind int

const (
	// CellCount is a number of practices or people with some property:
	// 0 to 4 is hidden ("0 practices have no plan" says something about
	// every practice).
	CellCount CellKind = iota
	// CellFlow is a number of events in a period (practices that started
	// in a quarter): 1 to 4 is hidden; no event at all is shown.
	CellFlow
	// CellFixed is a count published in another view (the previous or
	// next year's figures): the funder may know it, so it counts as shown,
	// and this table never hides it.
	CellFixed
)

// FigureCell is one count of a FigureTable.
type FigureCell struct {
	Value int
	Kind  CellKind
	// Hide: hidden whatever its value (a sum of registered patients over
	// fewer than 5 practices). Such a cell protects nothing itself.
	Hide bool
}

// Term is Coef × a cell (Coef is +1 or −1).
type Term struct {
	Cell int
	Coef int
}

// Relation is a linear equation the funder knows: Σ Coef×Value = Const.
// Const holds whatever a funder may know that is not a cell of the table
// (practices that stopped, people counted under two trainings): it is
// assumed known.
type Relation struct {
	Terms []Term
	Const int
}

// SumRelation is total = Σ parts + extra.
func SumRelation(total int, parts []int, extra int) Relation {
	r := Relation{Terms: []Term{{total, 1}}, Const: extra}
	for _, p := range parts {
		r.Terms = append(r.Terms, Term{p, -1})
	}
	return r
}

// FigureTable is every count a funder sees together, and how they hang
// together.
type FigureTable struct {
	Cells     []FigureCell
	Relations []Relation
}

// Add appends a cell and returns its index.
func (t *FigureTable) Add(value int, kind CellKind) int {
	t.Cells = append(t.Cells, FigureCell{Value: value, Kind: kind})
	return len(t.Cells) - 1
}

// Relate adds a relation.
func (t *FigureTable) Relate(r Relation) { t.Relations = append(t.Relations, r) }

// CellState is the outcome for one cell.
type CellState int

const (
	Shown         CellState = iota
	Small                   // hidden: a small count (primary suppression), shown as "< 5"
	Complementary           // hidden so that a small count cannot be computed back
	Withheld                // hidden by the caller (FigureCell.Hide)
)

// Hidden reports whether the cell is not shown.
func (s CellState) Hidden() bool { return s != Shown }

// isSmall is THE primary suppression rule for a cell.
func (c FigureCell) isSmall() bool {
	switch c.Kind {
	case CellCount:
		return c.Value < SuppressBelow
	case CellFlow:
		return c.Value > 0 && c.Value < SuppressBelow
	}
	return false
}

// SuppressFunderFigures decides which cells of t a funder may see: small
// counts are hidden, then, as long as some small count can still be
// computed exactly from the shown cells and the relations (a sum with one
// hidden part, differences of running totals, any combination of
// equations, or the bounds every hidden count is known to lie in), one
// more cell is hidden: the smallest shown count in a relation that gives
// the small count away. The result has one state per cell.
func SuppressFunderFigures(t FigureTable) []CellState {
	st := make([]CellState, len(t.Cells))
	for i, c := range t.Cells {
		switch {
		case c.Kind == CellFixed:
		case c.isSmall():
			st[i] = Small
		case c.Hide:
			st[i] = Withheld
		}
	}
	for range t.Cells {
		known := Disclosed(t, st)
		var leaked []int
		for i := range t.Cells {
			if st[i] == Small && known[i] {
				leaked = append(leaked, i)
			}
		}
		if len(leaked) == 0 {
			break
		}
		c := complementCandidate(t, st, known, leaked)
		if c < 0 {
			break // nothing left to hide: cannot happen with CellFixed cells only at the edges
		}
		st[c] = Complementary
	}
	// The greedy choice may hide more than needed: show again every
	// complementary cell that protects nothing, the largest first.
	var compl []int
	for i := range st {
		if st[i] == Complementary {
			compl = append(compl, i)
		}
	}
	sort.SliceStable(compl, func(a, b int) bool { return t.Cells[compl[a]].Value > t.Cells[compl[b]].Value })
	for _, i := range compl {
		st[i] = Shown
		if leaks(t, st) {
			st[i] = Complementary
		}
	}
	return st
}

// leaks reports whether some small count of t is disclosed under st.
func leaks(t FigureTable, st []CellState) bool {
	known := Disclosed(t, st)
	for i := range st {
		if st[i] == Small && known[i] {
			return true
		}
	}
	return false
}

// complementCandidate picks the cell to hide next: among the shown cells
// of the relations that hold a leaked cell or a hidden cell that is
// computable, the smallest (a flow of zero never: hiding it would show
// that it is zero); failing that, of any relation with a hidden cell.
func complementCandidate(t FigureTable, st []CellState, known []bool, leaked []int) int {
	isLeaked := map[int]bool{}
	for _, i := range leaked {
		isLeaked[i] = true
	}
	pick := func(want func(Relation) bool) int {
		best := -1
		for _, r := range t.Relations {
			if !want(r) {
				continue
			}
			for _, tm := range r.Terms {
				c := t.Cells[tm.Cell]
				if st[tm.Cell] != Shown || c.Kind == CellFixed || (c.Kind == CellFlow && c.Value == 0) {
					continue
				}
				if best < 0 || c.Value < t.Cells[best].Value || (c.Value == t.Cells[best].Value && tm.Cell < best) {
					best = tm.Cell
				}
			}
		}
		return best
	}
	if c := pick(func(r Relation) bool {
		for _, tm := range r.Terms {
			if isLeaked[tm.Cell] {
				return true
			}
		}
		return false
	}); c >= 0 {
		return c
	}
	if c := pick(func(r Relation) bool {
		for _, tm := range r.Terms {
			if st[tm.Cell].Hidden() && known[tm.Cell] {
				return true
			}
		}
		return false
	}); c >= 0 {
		return c
	}
	return pick(func(r Relation) bool {
		for _, tm := range r.Terms {
			if st[tm.Cell].Hidden() {
				return true
			}
		}
		return false
	})
}

// unbounded stands for "no upper bound" in the interval reasoning.
const unbounded = int64(1) << 50

// Disclosed reports, per cell, whether a funder who sees the shown cells
// of t (and knows the relations and the suppression rule) can compute its
// value exactly. Shown cells are disclosed trivially. The reasoning: the
// hidden cells fixed by the linear system (Gaussian elimination over the
// rationals), then bounds — a Small cell lies in 0..4 (1..4 for a flow), a
// Complementary one is at least 5, a Withheld one at least 0 — narrowed
// through every relation until nothing changes; a hidden cell whose bounds
// meet is disclosed, and the elimination runs again with it known.
func Disclosed(t FigureTable, st []CellState) []bool {
	n := len(t.Cells)
	known := make([]bool, n)
	lo, hi := make([]int64, n), make([]int64, n)
	for i, c := range t.Cells {
		switch st[i] {
		case Shown:
			known[i] = true
			lo[i], hi[i] = int64(c.Value), int64(c.Value)
		case Small:
			lo[i], hi[i] = 0, SuppressBelow-1
			if c.Kind == CellFlow {
				lo[i] = 1
			}
		case Complementary:
			lo[i], hi[i] = SuppressBelow, unbounded
		default:
			lo[i], hi[i] = 0, unbounded
		}
	}
	for changed := true; changed; {
		changed = false
		for _, i := range linearlyFixed(t, known) {
			known[i], changed = true, true
			lo[i], hi[i] = int64(t.Cells[i].Value), int64(t.Cells[i].Value)
		}
		if narrowBounds(t, lo, hi) {
			for i := range known {
				if !known[i] && lo[i] == hi[i] {
					known[i], changed = true, true
				}
			}
		}
	}
	return known
}

// linearlyFixed returns the unknown cells that the relations fix, given the
// known ones: cell j is fixed when the unit vector e_j lies in the row space
// of the relations restricted to the unknown cells, that is when a row of
// the reduced row echelon form is e_j.
func linearlyFixed(t FigureTable, known []bool) []int {
	var cols []int
	col := map[int]int{}
	for i := range t.Cells {
		if !known[i] {
			col[i] = len(cols)
			cols = append(cols, i)
		}
	}
	if len(cols) == 0 {
		return nil
	}
	var rows [][]*big.Rat
	for _, r := range t.Relations {
		row := make([]*big.Rat, len(cols))
		for k := range row {
			row[k] = new(big.Rat)
		}
		nonzero := false
		for _, tm := range r.Terms {
			if k, ok := col[tm.Cell]; ok {
				row[k].Add(row[k], big.NewRat(int64(tm.Coef), 1))
				nonzero = true
			}
		}
		if nonzero {
			rows = append(rows, row)
		}
	}
	// Reduced row echelon form.
	pivotRow := 0
	for c := 0; c < len(cols) && pivotRow < len(rows); c++ {
		p := -1
		for r := pivotRow; r < len(rows); r++ {
			if rows[r][c].Sign() != 0 {
				p = r
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[pivotRow], rows[p] = rows[p], rows[pivotRow]
		inv := new(big.Rat).Inv(rows[pivotRow][c])
		for k := range rows[pivotRow] {
			rows[pivotRow][k].Mul(rows[pivotRow][k], inv)
		}
		for r := range rows {
			if r == pivotRow || rows[r][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(rows[r][c])
			for k := range rows[r] {
				rows[r][k].Sub(rows[r][k], new(big.Rat).Mul(f, rows[pivotRow][k]))
			}
		}
		pivotRow++
	}
	var out []int
	for _, row := range rows[:pivotRow] {
		only := -1
		for k, v := range row {
			if v.Sign() != 0 {
				if only >= 0 {
					only = -2
					break
				}
				only = k
			}
		}
		if only >= 0 {
			out = append(out, cols[only])
		}
	}
	sort.Ints(out)
	return out
}

// narrowBounds tightens lo/hi through every relation (interval
// propagation) until nothing changes; it reports whether anything did.
func narrowBounds(t FigureTable, lo, hi []int64) bool {
	any := false
	for round := 0; round < 4*len(t.Cells)+4; round++ {
		changed := false
		for _, r := range t.Relations {
			// Σ coef·x = Const: for each term, coef·x = Const − Σ others.
			for _, tm := range r.Terms {
				rlo, rhi := int64(r.Const), int64(r.Const)
				for _, o := range r.Terms {
					if o.Cell == tm.Cell {
						continue
					}
					olo, ohi := scaled(o.Coef, lo[o.Cell], hi[o.Cell])
					rlo, rhi = sat(rlo-ohi), sat(rhi-olo)
				}
				if tm.Coef < 0 {
					rlo, rhi = -rhi, -rlo
				}
				if rlo > lo[tm.Cell] {
					lo[tm.Cell], changed = rlo, true
				}
				if rhi < hi[tm.Cell] {
					hi[tm.Cell], changed = rhi, true
				}
			}
		}
		if !changed {
			break
		}
		any = true
	}
	return any
}

func scaled(coef int, lo, hi int64) (int64, int64) {
	if coef < 0 {
		return -hi, -lo
	}
	return lo, hi
}

// sat keeps interval arithmetic with "unbounded" from overflowing.
func sat(v int64) int64 {
	if v > unbounded {
		return unbounded
	}
	if v < -unbounded {
		return -unbounded
	}
	return v
}
