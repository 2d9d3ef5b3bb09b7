package mtvp

import (
	"math"
	"sort"
)

// Run chart rules (issue 15 §3): Anhøj's two rules for non-random
// variation in a run chart, as published in
//
//	Anhøj J, Olesen AV. Run charts revisited: a simulation study of run
//	chart rules for detection of non-random variation in health care
//	processes. PLoS ONE 2014;9(11):e113825. doi:10.1371/journal.pone.0113825
//
// and implemented in the R package qicharts2 (qic(), runs.analysis):
//
//   - unusually long run: a run is a sequence of points on the same side of
//     the median (points on the median are skipped: they neither break nor
//     add to a run). The longest run signals when it is longer than
//     round(log2(n) + 3), n the number of useful points (not on the median).
//   - too few crossings: a crossing is two consecutive useful points on
//     opposite sides of the median. Fewer crossings than the lower 5 %
//     limit of the binomial distribution with n − 1 trials and p = 0.5
//     (qbinom(0.05, n − 1, 0.5)) signal.
//
// Either signal means the process shifted: real change, not noise. The
// rules are tested from AnhojMinPoints useful points on, where the
// published table of critical values starts; with fewer the analysis
// reports the counts but no signal.

// AnhojMinPoints is the fewest useful points the rules are tested on.
const AnhojMinPoints = 10

// RunChart is the analysis of one series.
type RunChart struct {
	N            int     // points
	Baseline     int     // points the median was taken from (0 = all)
	Median       float64 // centre line
	Useful       int     // points not on the median
	LongestRun   int
	RunLimit     int // longest run allowed: round(log2(Useful) + 3)
	Crossings    int
	CrossingsMin int  // fewest crossings allowed: qbinom(0.05, Useful-1, 0.5)
	LongRun      bool // LongestRun > RunLimit
	FewCrossings bool // Crossings < CrossingsMin
	// Tested: enough useful points (AnhojMinPoints) to apply the rules.
	Tested bool
	// InLongRun marks the points of every run longer than RunLimit.
	InLongRun []bool
}

// Signal reports non-random variation by either rule.
func (r RunChart) Signal() bool { return r.LongRun || r.FewCrossings }

// Median returns the median of values (NaN for none).
func Median(values []float64) float64 {
	if len(values) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), values...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// AnhojRules analyses a series. baseline > 0 takes the median from the
// first baseline points only (the period before a change, "freeze" in
// qicharts2) and tests the whole series against it; 0 uses all points.
func AnhojRules(values []float64, baseline int) RunChart {
	r := RunChart{N: len(values), InLongRun: make([]bool, len(values))}
	if len(values) == 0 {
		return r
	}
	if baseline <= 0 || baseline > len(values) {
		baseline = 0
	}
	r.Baseline = baseline
	if baseline > 0 {
		r.Median = Median(values[:baseline])
	} else {
		r.Median = Median(values)
	}
	// side: -1 below, +1 above, 0 on the median (skipped).
	side := make([]int, len(values))
	for i, v := range values {
		switch {
		case v > r.Median:
			side[i] = 1
		case v < r.Median:
			side[i] = -1
		}
	}
	type run struct{ side, length int }
	var runs []run
	var members [][]int
	for i, s := range side {
		if s == 0 {
			continue
		}
		r.Useful++
		if len(runs) > 0 && runs[len(runs)-1].side == s {
			runs[len(runs)-1].length++
			members[len(members)-1] = append(members[len(members)-1], i)
			continue
		}
		runs = append(runs, run{s, 1})
		members = append(members, []int{i})
	}
	if r.Useful == 0 {
		return r
	}
	r.Crossings = len(runs) - 1
	for _, x := range runs {
		r.LongestRun = max(r.LongestRun, x.length)
	}
	r.RunLimit = RunLimit(r.Useful)
	r.CrossingsMin = CrossingsMin(r.Useful)
	r.Tested = r.Useful >= AnhojMinPoints
	if !r.Tested {
		return r
	}
	r.LongRun = r.LongestRun > r.RunLimit
	r.FewCrossings = r.Crossings < r.CrossingsMin
	for k, x := range runs {
		if x.length > r.RunLimit {
			for _, i := range members[k] {
				r.InLongRun[i] = true
			}
		}
	}
	return r
}

// RunLimit is the longest run expected by chance among n useful points:
// round(log2(n) + 3), rounding halves up (R's round() rounds half to even,
// but log2(n) + 3 is never exactly x.5 for a whole n).
func RunLimit(n int) int {
	if n < 1 {
		return 0
	}
	return int(math.Floor(math.Log2(float64(n)) + 3 + 0.5))
}

// CrossingsMin is the fewest crossings expected by chance among n useful
// points: the lower 5 % quantile of Binomial(n − 1, 0.5), i.e. the
// smallest k with P(X ≤ k) ≥ 0.05 (R's qbinom(0.05, n - 1, 0.5)).
func CrossingsMin(n int) int {
	trials := n - 1
	if trials < 1 {
		return 0
	}
	cum := 0.0
	for k := 0; k <= trials; k++ {
		cum += binomialPMF(trials, k)
		// A small tolerance as in R's qbinom, against rounding just
		// below 0.05.
		if cum >= 0.05*(1-64*2.220446e-16) {
			return k
		}
	}
	return trials
}

// binomialPMF is P(X = k) for X ~ Binomial(n, 0.5), in log space so large
// n does not overflow.
func binomialPMF(n, k int) float64 {
	lg := func(x int) float64 { v, _ := math.Lgamma(float64(x) + 1); return v }
	return math.Exp(lg(n) - lg(k) - lg(n-k) - float64(n)*math.Ln2)
}
