package mtvp

import "time"

// TrendDates are the reference dates of a year's compliance trend: the
// last day of every month of year that has ended by today, then today
// itself when it falls inside year (the month under way). A year that is
// over has its twelve month ends; one that has not begun has none.
func TrendDates(year int, today Date) []Date {
	var out []Date
	for m := time.January; m <= time.December; m++ {
		end := NewDate(year, m+1, 0) // day 0 of the next month: the last day of m
		if !end.Before(today) {
			if today.Year() == year {
				out = append(out, today)
			}
			break
		}
		out = append(out, end)
	}
	return out
}

// TrendPoint is the share of a region's practices that meet every
// requirement at one reference date.
type TrendPoint struct {
	Ref       Date
	Counted   int // practices that count in compliance (CountsInCompliance)
	Compliant int // of Counted, those with Standing.Compliant
}

// Percent is Compliant as a whole percentage of Counted (0 when none count).
func (p TrendPoint) Percent() int {
	if p.Counted == 0 {
		return 0
	}
	return (p.Compliant*100 + p.Counted/2) / p.Counted
}
