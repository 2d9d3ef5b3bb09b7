package mtvp

import (
	"math"
	"sort"
)

// Outcomes (issue 15 §3): one indicator's picture for a practice or a
// region, computed once and shown by the pages, the API and the PDFs.

// MinBaseline is how many quarters before the MTVP start a run chart
// needs to take its median from them (the "before" period); with fewer,
// the median is that of all quarters.
const MinBaseline = 6

// Outcome is one indicator over time: the own series (a practice's or the
// region's) beside the region's and the country's, and the run chart
// analysis of the own series.
type Outcome struct {
	Indicator Indicator
	Quarters  []Quarter // every quarter with any figure, in order
	Own       []float64 // per quarter; NaN where there is no figure
	Region    []float64 // practice outcomes only; nil on a region's
	Country   []float64
	OwnSource []string // per quarter: the own figure's source ("" when none)
	OwnDate   []Date   // per quarter: the own figure's source date
	// The distinct sources of the comparison series, in order of use.
	RegionSources, CountrySources []string
	// Runs analyses the own figures present; RunQuarter[i] is the index in
	// Quarters of its point i.
	Runs       RunChart
	RunQuarter []int
	// Start is the index in Quarters of the quarter MTVP started (-1 when
	// unknown or outside the quarters shown).
	Start int
	// BaselineBeforeStart: the median is taken from the quarters before
	// the start (at least MinBaseline of them).
	BaselineBeforeStart bool
}

// HasOwn reports whether the own series has any figure.
func (o Outcome) HasOwn() bool { return len(o.RunQuarter) > 0 }

// Flagged reports, per quarter, whether the own figure lies in an
// unusually long run.
func (o Outcome) Flagged() []bool {
	out := make([]bool, len(o.Quarters))
	for i, q := range o.RunQuarter {
		out[q] = o.Runs.InLongRun[i]
	}
	return out
}

// BuildOutcome puts together one indicator of a practice (own =
// LevelPractice with its id; region and country beside it) or of a region
// (own = LevelRegion; country beside it). start is the MTVP start (a
// practice's JoinedOn, a region's programme start; zero when unknown).
func BuildOutcome(values []IndicatorValue, ind Indicator, own IndicatorLevel, practiceID int64, start Date) Outcome {
	o := Outcome{Indicator: ind, Start: -1}
	ownS := Series(values, ind, own, practiceID)
	var regS []SeriesPoint
	if own == LevelPractice {
		regS = Series(values, ind, LevelRegion, 0)
	}
	cS := Series(values, ind, LevelCountry, 0)
	seen := map[Quarter]bool{}
	for _, s := range [][]SeriesPoint{ownS, regS, cS} {
		for _, p := range s {
			if !seen[p.Quarter] {
				seen[p.Quarter] = true
				o.Quarters = append(o.Quarters, p.Quarter)
			}
		}
	}
	sort.Slice(o.Quarters, func(i, j int) bool { return o.Quarters[i].Before(o.Quarters[j]) })
	at := make(map[Quarter]int, len(o.Quarters))
	for i, q := range o.Quarters {
		at[q] = i
	}
	fill := func(s []SeriesPoint) []float64 {
		out := make([]float64, len(o.Quarters))
		for i := range out {
			out[i] = math.NaN()
		}
		for _, p := range s {
			out[at[p.Quarter]] = p.Value
		}
		return out
	}
	o.Own = fill(ownS)
	if own == LevelPractice {
		o.Region = fill(regS)
	}
	o.Country = fill(cS)
	o.RegionSources, o.CountrySources = sources(regS), sources(cS)
	o.OwnSource = make([]string, len(o.Quarters))
	o.OwnDate = make([]Date, len(o.Quarters))
	for _, p := range ownS {
		o.OwnSource[at[p.Quarter]], o.OwnDate[at[p.Quarter]] = p.Source, p.SourceDate
	}
	if !start.IsZero() {
		if i, ok := at[QuarterOf(start)]; ok {
			o.Start = i
		}
	}
	baseline := 0
	startQ := QuarterOf(start)
	for _, p := range ownS {
		o.RunQuarter = append(o.RunQuarter, at[p.Quarter])
		if !start.IsZero() && p.Quarter.Before(startQ) {
			baseline++
		}
	}
	if baseline >= MinBaseline && baseline < len(ownS) {
		o.BaselineBeforeStart = true
	} else {
		baseline = 0
	}
	o.Runs = AnhojRules(SeriesValues(ownS), baseline)
	return o
}

// sources lists the distinct sources of a series in order of use.
func sources(s []SeriesPoint) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range s {
		if !seen[p.Source] {
			seen[p.Source] = true
			out = append(out, p.Source)
		}
	}
	return out
}

// FunnelRow is one practice on a funnel plot with its limits.
type FunnelRow struct {
	FunnelPoint
	Limits   FunnelLimits
	Position FunnelPosition
}

// Funnel compares the practices of a region on a rate indicator in one
// quarter.
type Funnel struct {
	Indicator Indicator
	Quarter   Quarter
	Target    float64 // size-weighted region mean
	Rows      []FunnelRow
	// Curve holds the limits at sizes from the smallest to the largest
	// practice, for drawing.
	Curve []FunnelLimits
}

// BuildFunnel compares practices on a rate indicator in the latest quarter
// with figures of at least two practices of known size (sizes: registered
// patients per practice). ok is false for an indicator without a funnel or
// without such a quarter.
func BuildFunnel(values []IndicatorValue, ind Indicator, sizes map[int64]int) (Funnel, bool) {
	per := ind.RatePer()
	if per == 0 {
		return Funnel{}, false
	}
	byQ := map[Quarter][]FunnelPoint{}
	for _, v := range values {
		if v.Indicator == ind && v.Level == LevelPractice && sizes[v.PracticeID] > 0 {
			byQ[v.Quarter] = append(byQ[v.Quarter], FunnelPoint{PracticeID: v.PracticeID, Size: float64(sizes[v.PracticeID]), Value: v.Value})
		}
	}
	var best Quarter
	found := false
	for q, ps := range byQ {
		if len(ps) >= 2 && (!found || best.Before(q)) {
			best, found = q, true
		}
	}
	if !found {
		return Funnel{}, false
	}
	f := Funnel{Indicator: ind, Quarter: best}
	pts := byQ[best]
	sort.Slice(pts, func(i, j int) bool {
		return pts[i].Size < pts[j].Size || (pts[i].Size == pts[j].Size && pts[i].PracticeID < pts[j].PracticeID)
	})
	f.Target = FunnelTarget(pts)
	for _, p := range pts {
		l := PoissonFunnelLimits(f.Target, p.Size, per)
		f.Rows = append(f.Rows, FunnelRow{FunnelPoint: p, Limits: l, Position: l.Position(p.Value)})
	}
	lo, hi := pts[0].Size, pts[len(pts)-1].Size
	lo = math.Max(lo*0.8, 1)
	hi *= 1.1
	const steps = 40
	for i := 0; i <= steps; i++ {
		// Geometric steps: the limits change fastest at small sizes.
		n := lo * math.Pow(hi/lo, float64(i)/steps)
		f.Curve = append(f.Curve, PoissonFunnelLimits(f.Target, n, per))
	}
	return f, true
}

// ---- access ----

// CanSeePracticeOutcomes: a practice's indicators — the practice itself,
// its consultant and the region admin (issue 15 §5).
func (u *User) CanSeePracticeOutcomes(p *Practice) bool { return u.CanSeePractice(p) }

// CanSeeRegionOutcomes: the region's indicators beside the country's —
// region admins, consultants and funders (funders without any practice
// row: see CanSeeOutcomePractices).
func (u *User) CanSeeRegionOutcomes(region int64) bool {
	return u.CanListPractices(region) || u.CanSeeFunderFigures(region)
}

// CanSeeOutcomePractices: practice rows on the region's outcome page (the
// funnel plot): region admins all practices, consultants their own
// (PracticeScope); never funders.
func (u *User) CanSeeOutcomePractices(region int64) bool { return u.CanListPractices(region) }

// CanImportIndicators: the region admin imports the region's figures —
// its practices, the region and its national reference (with source).
func (u *User) CanImportIndicators(region int64) bool { return u.CanAdminRegion(region) }
