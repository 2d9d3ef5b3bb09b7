package mtvp

import (
	"math"
	"testing"
)

// TestAnhojCriticalValues: the critical values of Anhøj & Olesen 2014
// (PLoS ONE 9(11):e113825), Table 1, "upper limit for longest run" and
// "lower limit for number of crossings" for 10 to 30 useful observations.
func TestAnhojCriticalValues(t *testing.T) {
	table := []struct{ n, longest, crossings int }{
		{10, 6, 2}, {11, 6, 2}, {12, 7, 3}, {13, 7, 3}, {14, 7, 4}, {15, 7, 4}, {16, 7, 4},
		{17, 7, 5}, {18, 7, 5}, {19, 7, 6}, {20, 7, 6}, {21, 7, 6}, {22, 7, 7}, {23, 8, 7},
		{24, 8, 8}, {25, 8, 8}, {26, 8, 8}, {27, 8, 9}, {28, 8, 9}, {29, 8, 10}, {30, 8, 10},
	}
	for _, c := range table {
		if got := RunLimit(c.n); got != c.longest {
			t.Errorf("RunLimit(%d) = %d, table says %d", c.n, got, c.longest)
		}
		if got := CrossingsMin(c.n); got != c.crossings {
			t.Errorf("CrossingsMin(%d) = %d, table says %d", c.n, got, c.crossings)
		}
	}
	// Beyond the table, by hand: qbinom(0.05, 99, 0.5) = 41 (P(X <= 40) =
	// 0.0443, P(X <= 41) = 0.0666); round(log2(100) + 3) = round(9.64) = 10.
	if got := CrossingsMin(100); got != 41 {
		t.Errorf("CrossingsMin(100) = %d, want 41", got)
	}
	if got := RunLimit(100); got != 10 {
		t.Errorf("RunLimit(100) = %d, want 10", got)
	}
}

// TestAnhojRules: worked examples, counted by hand.
func TestAnhojRules(t *testing.T) {
	flat := make([]float64, 0, 16)
	flat = append(flat, 4, 6, 5, 4, 6, 5, 4, 6)
	flat = append(flat, 3, 3, 3, 3, 3, 3, 3, 3)
	cases := []struct {
		name      string
		values    []float64
		baseline  int
		median    float64
		useful    int
		longest   int
		crossings int
		longRun   bool
		few       bool
		inRun     []int // indices marked as part of a long run
	}{
		// A steady rise: one run below (1..6) and one above (7..12) the
		// median 6.5. Longest run 6 <= 7, but 1 crossing < 3.
		{"rise", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 0, 6.5, 12, 6, 1, false, true, nil},
		// Alternating around the median 5: 9 crossings, runs of 1: random.
		{"alternating", []float64{1, 9, 2, 8, 3, 7, 4, 6, 1, 9}, 0, 5, 10, 1, 9, false, false, nil},
		// Baseline of 8 quarters with median 5 (the two 5s are on the
		// median and skipped), then 8 quarters at 3 after the start: 14
		// useful points, a run of 8 > round(log2(14) + 3) = 7; 6
		// crossings >= 4.
		{"shift after baseline", flat, 8, 5, 14, 8, 6, true, false, []int{8, 9, 10, 11, 12, 13, 14, 15}},
		// Points on the median neither break nor extend a run: the 5s
		// between the 7s leave one run of four above; 8 useful points
		// are fewer than the 10 the rules are tested on: no signal, though
		// 1 crossing is few.
		{"median points skipped", []float64{7, 5, 7, 5, 7, 7, 1, 2, 3, 4, 5}, 0, 5, 8, 4, 1, false, false, nil},
		// Four baseline points (median 6.5), then 8 below: 12 useful
		// points, a run of 8 > round(log2(12) + 3) = 7; 4 crossings >= 3.
		{"run of eight", []float64{6, 7, 6, 7, 1, 2, 1, 2, 1, 2, 1, 2}, 4, 6.5, 12, 8, 4, true, false, []int{4, 5, 6, 7, 8, 9, 10, 11}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := AnhojRules(c.values, c.baseline)
			if r.Median != c.median || r.Useful != c.useful || r.LongestRun != c.longest || r.Crossings != c.crossings {
				t.Fatalf("median %v useful %d longest %d crossings %d; want %v %d %d %d", r.Median, r.Useful, r.LongestRun, r.Crossings,
					c.median, c.useful, c.longest, c.crossings)
			}
			if r.LongRun != c.longRun || r.FewCrossings != c.few {
				t.Errorf("long run %v, few crossings %v; want %v %v (limits %d, %d)", r.LongRun, r.FewCrossings, c.longRun, c.few, r.RunLimit, r.CrossingsMin)
			}
			if r.Signal() != (c.longRun || c.few) {
				t.Errorf("Signal() = %v", r.Signal())
			}
			want := make([]bool, len(c.values))
			for _, i := range c.inRun {
				want[i] = true
			}
			for i := range want {
				if r.InLongRun[i] != want[i] {
					t.Errorf("point %d in long run = %v, want %v", i, r.InLongRun[i], want[i])
				}
			}
		})
	}
	if r := AnhojRules(nil, 0); r.Signal() || r.N != 0 {
		t.Errorf("empty series: %+v", r)
	}
	if r := AnhojRules([]float64{3, 3, 3}, 0); r.Signal() || r.Useful != 0 {
		t.Errorf("all on the median: %+v", r)
	}
}

// TestPoissonFunnelLimits: limits by hand from Spiegelhalter (2005),
// θ ± z·sqrt(per·θ/n).
func TestPoissonFunnelLimits(t *testing.T) {
	cases := []struct {
		name                     string
		target, n, per           float64
		lo95, hi95, lo998, hi998 float64
	}{
		// 1.2 consults per insured per quarter, 2,000 patients:
		// sd = sqrt(1.2/2000) = 0.0244949.
		{"consults", 1.2, 2000, 1, 1.151990, 1.248010, 1.124305, 1.275695},
		// 60 referrals per 1,000, 5,000 patients: sd = sqrt(12) = 3.464102.
		{"referrals", 60, 5000, 1000, 53.210486, 66.789514, 49.295121, 70.704879},
		// A tiny practice: the lower limits stop at 0 (sd = sqrt(200)).
		{"tiny", 2, 10, 1000, 0, 29.718076, 0, 45.702484},
	}
	for _, c := range cases {
		l := PoissonFunnelLimits(c.target, c.n, c.per)
		for _, x := range []struct {
			name      string
			got, want float64
		}{{"lower 95", l.Lower95, c.lo95}, {"upper 95", l.Upper95, c.hi95}, {"lower 99.8", l.Lower998, c.lo998}, {"upper 99.8", l.Upper998, c.hi998}} {
			if math.Abs(x.got-x.want) > 1e-5 {
				t.Errorf("%s: %s = %.6f, want %.6f", c.name, x.name, x.got, x.want)
			}
		}
	}
	l := PoissonFunnelLimits(1.2, 2000, 1)
	for v, want := range map[float64]FunnelPosition{1.2: FunnelWithin, 1.26: FunnelAbove95, 1.14: FunnelBelow95, 1.3: FunnelAbove998, 1.1: FunnelBelow998} {
		if got := l.Position(v); got != want {
			t.Errorf("Position(%v) = %v, want %v", v, got, want)
		}
	}
	target := FunnelTarget([]FunnelPoint{{Size: 1000, Value: 1}, {Size: 3000, Value: 2}, {Size: 0, Value: 9}})
	if math.Abs(target-1.75) > 1e-12 {
		t.Errorf("FunnelTarget = %v, want 1.75 (size-weighted, no-size points left out)", target)
	}
}

// TestParseQuarterText: the ways a quarter is written in a sheet.
func TestParseQuarterText(t *testing.T) {
	for _, c := range []struct {
		in   string
		year int
		want Quarter
		ok   bool
	}{
		{"2024-K1", 0, Quarter{2024, 1}, true}, {"2024 Q3", 0, Quarter{2024, 3}, true}, {"2024k4", 0, Quarter{2024, 4}, true},
		{"K2 2025", 0, Quarter{2025, 2}, true}, {"2024-2", 0, Quarter{2024, 2}, true}, {"3", 2024, Quarter{2024, 3}, true},
		{"K3", 2024, Quarter{2024, 3}, true}, {"2024-K1", 2024, Quarter{2024, 1}, true},
		{"2024-K1", 2023, Quarter{}, false}, {"2024-K5", 0, Quarter{}, false}, {"3", 0, Quarter{}, false}, {"", 2024, Quarter{}, false},
		{"1999-K1", 0, Quarter{}, false}, {"voorjaar", 2024, Quarter{}, false},
	} {
		got, ok := ParseQuarterText(c.in, c.year)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseQuarterText(%q, %d) = %v, %v; want %v, %v", c.in, c.year, got, ok, c.want, c.ok)
		}
	}
}
