package chart

import (
	"math"
	"strconv"
	"strings"
)

// FormatNumber formats v with the given number of decimals the Dutch way:
// a comma as decimal separator and a point between thousands
// (FormatNumber(1234.5, 1) == "1.234,5"). NaN and infinities give "–".
func FormatNumber(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if decimals < 0 {
		decimals = 0
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// FormatAuto formats v with as few decimals as the step between ticks needs
// (0 for a step of 5, 1 for 0,5, 2 for 0,25 …), at most 6.
func FormatAuto(v, step float64) string {
	return FormatNumber(v, decimalsFor(step))
}

func decimalsFor(step float64) int {
	step = math.Abs(step)
	if step == 0 || math.IsNaN(step) || math.IsInf(step, 0) {
		return 0
	}
	for d := 0; d < 6; d++ {
		scaled := step * math.Pow10(d)
		if math.Abs(scaled-math.Round(scaled)) < 1e-9*math.Max(1, scaled) {
			return d
		}
	}
	return 6
}

// FormatPercent formats a share (0.25) as a Dutch percentage ("25 %").
func FormatPercent(share float64, decimals int) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return "–"
	}
	return FormatNumber(share*100, decimals) + " %"
}
