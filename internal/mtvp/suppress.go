package mtvp

import (
	"math"
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
	// CellSum is a sum over practices (the consults of a week in the
	// region): hidden when fewer than SuppressBelow practices contribute to
	// it (FigureCell.Contributors), whatever its value; a hidden sum may
	// lie anywhere from 0 up.
	CellSum
)

// FigureCell is one count of a FigureTable.
type FigureCell struct {
	Value int
	Kind  CellKind
	// Hide: hidden whatever its value (a sum of registered patients over
	// fewer than 5 practices). Such a cell protects nothing itself.
	Hide bool
	// Importance: 0 for most cells; higher for headline figures (a running
	// total of practices: 1; the practices taking part on a year's
	// reference date: 2). Complementary suppression hides a less important
	// cell of equal relevance wherever one will do, and shows the most
	// important cells again first.
	Importance int
	// Locked: the cell's state was decided before (State) and stays.
	Locked bool
	State  CellState
	// Contributors: the practices a CellSum adds up.
	Contributors int
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

// AddHeadline appends a cell of this importance (FigureCell.Importance)
// and returns its index.
func (t *FigureTable) AddHeadline(value int, kind CellKind, importance int) int {
	t.Cells = append(t.Cells, FigureCell{Value: value, Kind: kind, Importance: importance})
	return len(t.Cells) - 1
}

// AddSum appends a CellSum of this importance and returns its index.
func (t *FigureTable) AddSum(value, contributors, importance int) int {
	t.Cells = append(t.Cells, FigureCell{Value: value, Kind: CellSum, Contributors: contributors, Importance: importance})
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
	// Masked: a flow of zero hidden so that a small count cannot be
	// computed back; shown as "< 5" like a small flow (which is true), so
	// that a hidden flow is 0..4 or, as "x", at least 5.
	Masked
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
	case CellSum:
		return c.Contributors < SuppressBelow
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
		case c.Locked:
			st[i] = c.State
		case c.Kind == CellFixed:
		case c.isSmall():
			st[i] = Small
		case c.Hide:
			st[i] = Withheld
		}
	}
	for range t.Cells {
		known := disclosed(t, st)
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
		if t.Cells[c].Kind == CellFlow && t.Cells[c].Value == 0 {
			st[c] = Masked
		}
	}
	// The greedy choice may hide more than needed: show again every
	// complementary cell that protects nothing, headline cells first, then
	// the largest first.
	var compl []int
	for i := range st {
		if (st[i] == Complementary || st[i] == Masked) && !t.Cells[i].Locked {
			compl = append(compl, i)
		}
	}
	sort.SliceStable(compl, func(a, b int) bool {
		ca, cb := t.Cells[compl[a]], t.Cells[compl[b]]
		if ca.Importance != cb.Importance {
			return ca.Importance > cb.Importance
		}
		return ca.Value > cb.Value
	})
	for _, i := range compl {
		was := st[i]
		st[i] = Shown
		if leaks(t, st) {
			st[i] = was
		}
	}
	return st
}

// leaks reports whether some small count of t is disclosed under st.
func leaks(t FigureTable, st []CellState) bool {
	known := disclosed(t, st)
	for i := range st {
		if st[i] == Small && known[i] {
			return true
		}
	}
	return false
}

// complementCandidate picks the cell to hide next: the smallest shown
// cell of the relations that hold a leaked cell, else of those that hold a
// hidden cell that is computable, else of any relation with a hidden
// cell; at each of these steps the least important cells first
// (FigureCell.Importance). A flow of zero only when there is nothing else.
func complementCandidate(t FigureTable, st []CellState, known []bool, leaked []int) int {
	isLeaked := map[int]bool{}
	for _, i := range leaked {
		isLeaked[i] = true
	}
	pick := func(zero bool, importance int, want func(int) bool) int {
		best := -1
		for _, r := range t.Relations {
			holds := false
			for _, tm := range r.Terms {
				holds = holds || want(tm.Cell)
			}
			if !holds {
				continue
			}
			for _, tm := range r.Terms {
				c := t.Cells[tm.Cell]
				if st[tm.Cell] != Shown || c.Kind == CellFixed || c.Locked || (!zero && c.Kind == CellFlow && c.Value == 0) || c.Importance > importance {
					continue
				}
				if best < 0 || c.Value < t.Cells[best].Value || (c.Value == t.Cells[best].Value && tm.Cell < best) {
					best = tm.Cell
				}
			}
		}
		return best
	}
	maxImportance := 0
	for _, c := range t.Cells {
		maxImportance = max(maxImportance, c.Importance)
	}
	leakedCell := func(i int) bool { return isLeaked[i] }
	computable := func(i int) bool { return st[i].Hidden() && known[i] }
	hidden := func(i int) bool { return st[i].Hidden() }
	for importance := 0; importance <= maxImportance; importance++ {
		for _, zero := range []bool{false, true} {
			for _, want := range []func(int) bool{leakedCell, computable, hidden} {
				if c := pick(zero, importance, want); c >= 0 {
					return c
				}
			}
		}
	}
	return -1
}

// unbounded stands for "no upper bound" in the interval reasoning.
const unbounded = float64(1 << 50)

// linRow is Σ a[k]·x[cells[k]] = b over the cells of a table.
type linRow struct {
	cells []int
	a     []float64
	b     float64
}

const eps = 1e-9

// disclosed reports, per cell, whether a funder who sees the shown cells
// of t (and knows the relations and the suppression rule) can compute its
// value exactly. Shown cells are disclosed trivially. The reasoning: the
// hidden cells fixed by the linear system (Gaussian elimination), then
// bounds — a Small or Masked cell lies in 0..4, a Complementary one is at
// least 5, a Withheld one or a hidden CellSum at least 0 — narrowed through every relation and every row of the
// eliminated system (so also through differences of relations, as of two
// totals over the same rows) until nothing changes; a hidden cell whose
// bounds meet is disclosed, and the elimination runs again with it known.
func disclosed(t FigureTable, st []CellState) []bool {
	n := len(t.Cells)
	known := make([]bool, n)
	lo, hi := make([]float64, n), make([]float64, n)
	for i, c := range t.Cells {
		switch st[i] {
		case Shown:
			known[i] = true
			lo[i], hi[i] = float64(c.Value), float64(c.Value)
		case Small, Complementary, Masked:
			switch {
			case c.Kind == CellSum:
				lo[i], hi[i] = 0, unbounded // a sum's state says nothing of its size
			case st[i] == Complementary:
				lo[i], hi[i] = SuppressBelow, unbounded
			default:
				lo[i], hi[i] = 0, SuppressBelow-1
			}
		default:
			lo[i], hi[i] = 0, unbounded
		}
	}
	var base []linRow
	for _, r := range t.Relations {
		var row linRow
		for _, tm := range r.Terms {
			row.cells = append(row.cells, tm.Cell)
			row.a = append(row.a, float64(tm.Coef))
		}
		row.b = float64(r.Const)
		base = append(base, row)
	}
	for changed := true; changed; {
		changed = false
		fixed, derived := eliminate(t, base, known)
		for _, i := range fixed {
			known[i], changed = true, true
			lo[i], hi[i] = float64(t.Cells[i].Value), float64(t.Cells[i].Value)
		}
		if narrowBounds(append(derived, base...), lo, hi) {
			for i := range known {
				if !known[i] && hi[i]-lo[i] < 0.5 {
					known[i], changed = true, true
				}
			}
		}
	}
	return known
}

// eliminate brings the relations, restricted to the unknown cells, to
// reduced row echelon form. It returns the unknown cells the system fixes
// (cell j is fixed when the unit vector e_j lies in the row space, that
// is when a row of the reduced form is e_j) and the rows of the reduced
// form as relations (their right-hand side taken from the true values).
func eliminate(t FigureTable, base []linRow, known []bool) (fixed []int, derived []linRow) {
	var cols []int
	col := map[int]int{}
	for i := range t.Cells {
		if !known[i] {
			col[i] = len(cols)
			cols = append(cols, i)
		}
	}
	if len(cols) == 0 {
		return nil, nil
	}
	var rows [][]float64
	for _, r := range base {
		row := make([]float64, len(cols))
		nonzero := false
		for k, c := range r.cells {
			if j, ok := col[c]; ok {
				row[j] += r.a[k]
				nonzero = true
			}
		}
		if nonzero {
			rows = append(rows, row)
		}
	}
	// Partial pivoting; the coefficients are small integers and the
	// tables small, so float64 is exact enough.
	pivotRow := 0
	for c := 0; c < len(cols) && pivotRow < len(rows); c++ {
		p := -1
		for r := pivotRow; r < len(rows); r++ {
			if math.Abs(rows[r][c]) > eps && (p < 0 || math.Abs(rows[r][c]) > math.Abs(rows[p][c])) {
				p = r
			}
		}
		if p < 0 {
			continue
		}
		rows[pivotRow], rows[p] = rows[p], rows[pivotRow]
		inv := 1 / rows[pivotRow][c]
		for k := range rows[pivotRow] {
			rows[pivotRow][k] *= inv
		}
		for r := range rows {
			if r == pivotRow || math.Abs(rows[r][c]) <= eps {
				continue
			}
			f := rows[r][c]
			for k := range rows[r] {
				rows[r][k] -= f * rows[pivotRow][k]
			}
		}
		pivotRow++
	}
	for _, row := range rows[:pivotRow] {
		var d linRow
		for k, v := range row {
			if math.Abs(v) > eps {
				d.cells = append(d.cells, cols[k])
				d.a = append(d.a, v)
				d.b += v * float64(t.Cells[cols[k]].Value)
			}
		}
		if len(d.cells) == 1 {
			fixed = append(fixed, d.cells[0])
		} else if len(d.cells) > 1 {
			derived = append(derived, d)
		}
	}
	sort.Ints(fixed)
	return fixed, derived
}

// narrowBounds tightens the integer bounds lo/hi through every row
// (interval propagation) until nothing changes; it reports whether
// anything did.
func narrowBounds(rows []linRow, lo, hi []float64) bool {
	any := false
	for round := 0; round < 4*len(lo)+4; round++ {
		changed := false
		for _, r := range rows {
			// a_j·x_j = b − Σ others.
			for j, c := range r.cells {
				rlo, rhi := r.b, r.b
				for k, o := range r.cells {
					if k == j {
						continue
					}
					olo, ohi := r.a[k]*lo[o], r.a[k]*hi[o]
					if olo > ohi {
						olo, ohi = ohi, olo
					}
					rlo, rhi = rlo-ohi, rhi-olo
				}
				xlo, xhi := rlo/r.a[j], rhi/r.a[j]
				if xlo > xhi {
					xlo, xhi = xhi, xlo
				}
				xlo, xhi = math.Ceil(xlo-eps), math.Floor(xhi+eps)
				if xlo > lo[c] && xlo > -unbounded {
					lo[c], changed = xlo, true
				}
				if xhi < hi[c] && xhi < unbounded {
					hi[c], changed = xhi, true
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
