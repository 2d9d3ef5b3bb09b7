package mtvp

import "math"

// Funnel plots (issue 15 §3) compare the practices of a region on a rate
// indicator (consults per insured, referrals per 1,000) against the region
// mean, with control limits that narrow as practices grow. The method is
// Spiegelhalter's:
//
//	Spiegelhalter DJ. Funnel plots for comparing institutional
//	performance. Statistics in Medicine 2005;24:1185–1202.
//	doi:10.1002/sim.1970 (§3.2 and appendix A.1.2, the normal
//	approximation to the Poisson for an indirectly standardised rate)
//
// A practice's rate is y = per × O / n: O events (consults, referrals)
// among n registered patients, per = 1 or 1,000. Under the null the count
// is Poisson with mean θn/per, so y has standard deviation
// sqrt(per × θ / n). The limits are θ ± z × sqrt(per × θ / n) with
// z = 1.959964 (95 %, two-sided) and z = 3.090232 (99.8 %). With counts of
// hundreds to tens of thousands per practice per quarter the normal
// approximation is within rounding of the exact Poisson limits. The target
// θ is the region mean weighted by size: Σ y_i n_i / Σ n_i (the pooled
// rate of the region).

// Two-sided z-values of the funnel limits.
const (
	Z95  = 1.959963984540054 // 95 %: Φ⁻¹(0.975)
	Z998 = 3.090232306167813 // 99.8 %: Φ⁻¹(0.999)
)

// FunnelPoint is one practice on a funnel plot.
type FunnelPoint struct {
	PracticeID int64
	Size       float64 // registered patients
	Value      float64 // rate
}

// FunnelLimits are the control limits at one size.
type FunnelLimits struct {
	Size               float64
	Lower95, Upper95   float64
	Lower998, Upper998 float64
}

// PoissonFunnelLimits returns the limits around target for a practice of
// size n, a rate per `per` patients. Lower limits stop at 0.
func PoissonFunnelLimits(target, n, per float64) FunnelLimits {
	l := FunnelLimits{Size: n}
	if n <= 0 || target < 0 || per <= 0 {
		return l
	}
	sd := math.Sqrt(per * target / n)
	l.Lower95 = math.Max(0, target-Z95*sd)
	l.Upper95 = target + Z95*sd
	l.Lower998 = math.Max(0, target-Z998*sd)
	l.Upper998 = target + Z998*sd
	return l
}

// FunnelTarget is the size-weighted mean of the points (0 without size).
func FunnelTarget(points []FunnelPoint) float64 {
	var sum, size float64
	for _, p := range points {
		if p.Size > 0 {
			sum += p.Value * p.Size
			size += p.Size
		}
	}
	if size == 0 {
		return 0
	}
	return sum / size
}

// FunnelPosition says where a point lies against its limits.
type FunnelPosition int

const (
	FunnelWithin   FunnelPosition = iota // inside the 95 % limits
	FunnelAbove95                        // above the 95 %, inside the 99.8 % limits
	FunnelBelow95                        // below the 95 %, inside the 99.8 % limits
	FunnelAbove998                       // above the 99.8 % limit
	FunnelBelow998                       // below the 99.8 % limit
)

// Key is the message key of the position.
func (p FunnelPosition) Key() string {
	return [...]string{"ind.funnel.within", "ind.funnel.above95", "ind.funnel.below95", "ind.funnel.above998", "ind.funnel.below998"}[p]
}

// Position places a value against limits.
func (l FunnelLimits) Position(v float64) FunnelPosition {
	switch {
	case v > l.Upper998:
		return FunnelAbove998
	case v < l.Lower998:
		return FunnelBelow998
	case v > l.Upper95:
		return FunnelAbove95
	case v < l.Lower95:
		return FunnelBelow95
	}
	return FunnelWithin
}
