package chart

import "math"

// Ticks is a set of evenly spaced, "nice" axis values (multiples of 1, 2,
// 2.5 or 5 times a power of ten) covering a data range.
type Ticks struct {
	Min, Max, Step float64
	Values         []float64
}

// NiceTicks returns about n (at least 2) nice ticks covering [lo, hi]. An
// empty or degenerate range is widened around its value; NaN bounds give
// the range 0–1.
func NiceTicks(lo, hi float64, n int) Ticks {
	if n < 2 {
		n = 2
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		lo, hi = 0, 1
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi == lo {
		if lo == 0 {
			hi = 1
		} else {
			d := math.Abs(lo) * 0.1
			lo, hi = lo-d, hi+d
		}
	}
	step := niceStep((hi - lo) / float64(n-1))
	start := math.Floor(lo/step+1e-9) * step
	end := math.Ceil(hi/step-1e-9) * step
	t := Ticks{Min: start, Max: end, Step: step}
	count := int(math.Round((end-start)/step)) + 1
	for i := 0; i < count; i++ {
		v := start + float64(i)*step
		// Kill floating-point dust (0.30000000000000004) and negative zero.
		v = math.Round(v/step*1e6) / 1e6 * step
		if v == 0 {
			v = 0
		}
		t.Values = append(t.Values, v)
	}
	return t
}

func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	exp := math.Floor(math.Log10(raw))
	pow := math.Pow(10, exp)
	f := raw / pow
	var nice float64
	switch {
	case f <= 1:
		nice = 1
	case f <= 2:
		nice = 2
	case f <= 2.5:
		nice = 2.5
	case f <= 5:
		nice = 5
	default:
		nice = 10
	}
	return nice * pow
}
