package mtvp

import (
	"math"
	"testing"
)

// TestBuildOutcome: a practice's series beside the region's and the
// country's, with the median taken from the quarters before its start.
func TestBuildOutcome(t *testing.T) {
	var vs []IndicatorValue
	add := func(level IndicatorLevel, practice int64, y, q int, v float64) {
		vs = append(vs, IndicatorValue{Level: level, PracticeID: practice, Indicator: IndConsultsPerInsured, Quarter: Quarter{y, q}, Value: v,
			Source: "Vektis", SourceDate: NewDate(y+1, 1, 15)})
	}
	// Practice 7: six quarters of 2022–2023 around 1.3, then eight at 1.1
	// after its start in 2023-Q3. Another practice's figures are ignored.
	before := []float64{1.31, 1.29, 1.32, 1.28, 1.30, 1.33}
	for i, v := range before {
		add(LevelPractice, 7, 2022+(i/4), i%4+1, v)
	}
	for i := 0; i < 8; i++ {
		add(LevelPractice, 7, 2023+(i+2)/4, (i+2)%4+1, 1.1)
	}
	add(LevelPractice, 8, 2022, 1, 9)
	add(LevelRegion, 0, 2022, 1, 1.25)
	add(LevelCountry, 0, 2021, 4, 1.2)
	o := BuildOutcome(vs, IndConsultsPerInsured, LevelPractice, 7, NewDate(2023, 7, 1))
	if len(o.Quarters) != 15 || o.Quarters[0] != (Quarter{2021, 4}) {
		t.Fatalf("quarters %v", o.Quarters)
	}
	if !math.IsNaN(o.Own[0]) || o.Own[1] != 1.31 || o.Region[1] != 1.25 || o.Country[0] != 1.2 {
		t.Errorf("series own %v region %v country %v", o.Own, o.Region, o.Country)
	}
	if o.Start != 7 || o.Quarters[o.Start] != (Quarter{2023, 3}) {
		t.Errorf("start at %d", o.Start)
	}
	if !o.BaselineBeforeStart || math.Abs(o.Runs.Median-1.305) > 1e-12 || !o.Runs.LongRun || o.Runs.LongestRun != 8 {
		t.Errorf("runs %+v baseline %v", o.Runs, o.BaselineBeforeStart)
	}
	fl := o.Flagged()
	if fl[6] || !fl[7] || !fl[14] {
		t.Errorf("flagged %v", fl)
	}
	// Without enough quarters before the start the median is of all.
	o = BuildOutcome(vs, IndConsultsPerInsured, LevelPractice, 7, NewDate(2022, 7, 1))
	if o.BaselineBeforeStart || o.Runs.Baseline != 0 {
		t.Errorf("baseline of 2 quarters used: %+v", o.Runs)
	}
}

// TestBuildFunnel: the latest quarter with two practices of known size,
// the size-weighted target and each practice's place.
func TestBuildFunnel(t *testing.T) {
	q := func(y, n int) Quarter { return Quarter{y, n} }
	v := func(p int64, qq Quarter, x float64) IndicatorValue {
		return IndicatorValue{Level: LevelPractice, PracticeID: p, Indicator: IndReferralsPerThousand, Quarter: qq, Value: x}
	}
	vs := []IndicatorValue{v(1, q(2024, 1), 60), v(2, q(2024, 1), 40), v(3, q(2024, 1), 75), v(1, q(2024, 2), 10), v(4, q(2024, 2), 10)}
	sizes := map[int64]int{1: 4000, 2: 2000, 3: 4000}
	f, ok := BuildFunnel(vs, IndReferralsPerThousand, sizes)
	if !ok || f.Quarter != q(2024, 1) {
		t.Fatalf("funnel %v %v: 2024-Q2 has one practice of known size", f.Quarter, ok)
	}
	// (60·4000 + 40·2000 + 75·4000) / 10000 = 62
	if math.Abs(f.Target-62) > 1e-9 || len(f.Rows) != 3 || f.Rows[0].PracticeID != 2 {
		t.Fatalf("target %v rows %+v", f.Target, f.Rows)
	}
	// Practice 2: sd = sqrt(1000·62/2000) = 5.568; 40 < 62 − 3.09·5.568 = 44.8.
	if f.Rows[0].Position != FunnelBelow998 {
		t.Errorf("practice 2: %v", f.Rows[0].Position)
	}
	// Practice 3: sd = sqrt(15.5) = 3.937; 75 > 62 + 3.09·3.937 = 74.17.
	if f.Rows[2].Position != FunnelAbove998 {
		t.Errorf("practice 3: %v", f.Rows[2].Position)
	}
	if f.Rows[1].Position != FunnelWithin {
		t.Errorf("practice 1: %v", f.Rows[1].Position)
	}
	if len(f.Curve) != 41 || f.Curve[0].Size >= 2000 || f.Curve[40].Size <= 4000 {
		t.Errorf("curve from %v to %v", f.Curve[0].Size, f.Curve[len(f.Curve)-1].Size)
	}
	if _, ok := BuildFunnel(vs, IndWaitingDays, sizes); ok {
		t.Error("a funnel for waiting times (not a rate)")
	}
}
