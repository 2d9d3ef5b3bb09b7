package demo

import (
	"math"
	"math/rand/v2"

	"meertijd/internal/importer"
	"meertijd/internal/mtvp"
)

// indicatorList is PrimaCura's quarterly indicators since three years
// before last year, as the region gets them from its insurers: per
// practice, for the region and the national reference, each with its
// source and date (the source is dated six weeks after the quarter; a
// quarter whose figures are not out yet is left out). A practice's
// consults per insured drift down after it starts MTVP, so the run charts
// show a signal.
func indicatorList(in *regionInput, year int, today mtvp.Date, rng *rand.Rand) historyList {
	l := historyList{kind: importer.HistoryIndicators, rows: [][]any{{"niveau", "AGB-code praktijk", "indicator", "kwartaal", "waarde", "bron", "datum bron"}}}
	type fig struct {
		ind  mtvp.Indicator
		base float64
		sd   float64
		drop float64 // change after the MTVP start
	}
	figs := []fig{
		{mtvp.IndConsultsPerInsured, 1.22, 0.03, -0.09},
		{mtvp.IndReferralsPerThousand, 62, 3, -5},
		{mtvp.IndWaitingDays, 3.2, 0.4, 0.6},
		{mtvp.IndCostsPerInsured, 41, 1.5, -1},
	}
	round := func(v float64, ind mtvp.Indicator) float64 {
		p := math.Pow10(ind.Decimals())
		return math.Round(v*p) / p
	}
	for q := (mtvp.Quarter{Year: year - 3, Q: 1}); ; q = q.Next() {
		published := q.End().AddDays(45)
		if published.After(today) {
			break
		}
		for _, f := range figs {
			var sum, size float64
			for _, p := range in.practices {
				if p.p.Status == mtvp.PracticeInterested || p.p.RegisteredPatients == 0 {
					continue
				}
				// Each practice its own level, steady over time.
				own := f.base * (1 + 0.06*math.Sin(float64(p.p.ID)))
				v := own + rng.NormFloat64()*f.sd
				if !p.p.JoinedOn.IsZero() && !q.Start().Before(p.p.JoinedOn) {
					v += f.drop
				}
				v = math.Max(0, round(v, f.ind))
				sum += v * float64(p.p.RegisteredPatients)
				size += float64(p.p.RegisteredPatients)
				l.rows = append(l.rows, []any{"praktijk", p.p.AGB, string(f.ind), q.String(), v, "Vektis", published})
			}
			if size > 0 {
				l.rows = append(l.rows, []any{"regio", "", string(f.ind), q.String(), round(sum/size, f.ind), "CZ kwartaalrapportage", published})
			}
			l.rows = append(l.rows, []any{"landelijk", "", string(f.ind), q.String(), round(f.base+rng.NormFloat64()*f.sd/3, f.ind), "Vektis landelijk", published})
		}
	}
	return l
}
