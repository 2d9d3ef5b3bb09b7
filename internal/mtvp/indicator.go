package mtvp

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Indicators over time (issue 15 §2): the figures insurers judge MTVP on,
// per quarter, for a practice, a region and the country. Each value carries
// where it came from (source) and the date of that source.
//
// Who holds which figures: practice and region rows belong to the region
// that imports them. Country (landelijk) rows are the national reference a
// region compares itself with; they are imported by the region's admin with
// their source (Vektis, Nivel, the insurer's report) and kept per region, so
// regions never share or overwrite each other's data and each region's
// report says which national source it used.

// Indicator is one of the outcome measures.
type Indicator string

const (
	IndConsultsPerInsured   Indicator = "consulten_per_verzekerde"
	IndPatientsPerGPFTE     Indicator = "patienten_per_fte"
	IndWaitingDays          Indicator = "wachttijd_dagen"
	IndCostsPerInsured      Indicator = "kosten_per_verzekerde"
	IndReferralsPerThousand Indicator = "verwijzingen_per_1000"
)

// Indicators in display order.
var Indicators = []Indicator{IndConsultsPerInsured, IndPatientsPerGPFTE, IndWaitingDays, IndCostsPerInsured, IndReferralsPerThousand}

// Valid reports a known indicator.
func (i Indicator) Valid() bool {
	for _, k := range Indicators {
		if k == i {
			return true
		}
	}
	return false
}

// TitleKey is the message key of the indicator's name.
func (i Indicator) TitleKey() string { return "ind.name." + string(i) }

// UnitKey is the message key of the indicator's unit.
func (i Indicator) UnitKey() string { return "ind.unit." + string(i) }

// RatePer says whether the indicator is a count per person (a Poisson
// rate) and per how many registered patients: 1 for consults per insured,
// 1,000 for referrals per 1,000. Only rates get a funnel plot (their
// spread is known from the practice's size); 0 for the others.
func (i Indicator) RatePer() float64 {
	switch i {
	case IndConsultsPerInsured:
		return 1
	case IndReferralsPerThousand:
		return 1000
	}
	return 0
}

// Decimals is how many decimals the indicator is shown with.
func (i Indicator) Decimals() int {
	switch i {
	case IndConsultsPerInsured:
		return 2
	case IndPatientsPerGPFTE, IndCostsPerInsured:
		return 0
	}
	return 1
}

// Max is the largest plausible quarterly value; larger ones are refused as
// typing errors (a missing decimal separator).
func (i Indicator) Max() float64 {
	switch i {
	case IndConsultsPerInsured:
		return 20
	case IndPatientsPerGPFTE:
		return 10000
	case IndWaitingDays:
		return 365
	case IndCostsPerInsured:
		return 100000
	case IndReferralsPerThousand:
		return 1000
	}
	return 0
}

// LowerIsBetter says which direction MTVP aims for: fewer consults per
// insured, shorter waits, lower costs, fewer referrals. Registered patients
// per FTE GP has no better direction (the normpraktijk is 2,095).
func (i Indicator) LowerIsBetter() bool {
	return i != IndPatientsPerGPFTE
}

// ParseIndicator reads an indicator by its code or a Dutch or English name
// (case, accents and punctuation ignored by the caller's normaliser).
func ParseIndicator(s string) (Indicator, bool) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer(".", "", ",", "", "-", " ", "_", " ", "ë", "e", "é", "e").Replace(k)
	k = strings.Join(strings.Fields(k), " ")
	switch k {
	case "consulten per verzekerde", "consulten per patient", "consults per insured", "consulten":
		return IndConsultsPerInsured, true
	case "patienten per fte", "ingeschreven patienten per fte huisarts", "patienten per fte huisarts", "ion per fte", "registered patients per fte gp", "patients per fte":
		return IndPatientsPerGPFTE, true
	case "wachttijd dagen", "wachttijd", "wachttijd routineafspraak", "wachttijd routineafspraak (dagen)", "waiting time", "waiting days", "waiting time (days)":
		return IndWaitingDays, true
	case "kosten per verzekerde", "kosten", "costs per insured", "zorgkosten per verzekerde":
		return IndCostsPerInsured, true
	case "verwijzingen per 1000", "verwijzingen", "verwijzingen per 1000 patienten", "referrals per 1000", "referrals":
		return IndReferralsPerThousand, true
	}
	return "", false
}

// IndicatorLevel says whose figure a value is.
type IndicatorLevel string

const (
	LevelPractice IndicatorLevel = "praktijk"
	LevelRegion   IndicatorLevel = "regio"
	LevelCountry  IndicatorLevel = "landelijk"
)

// IndicatorLevels in display order.
var IndicatorLevels = []IndicatorLevel{LevelPractice, LevelRegion, LevelCountry}

// Valid reports a known level.
func (l IndicatorLevel) Valid() bool {
	return l == LevelPractice || l == LevelRegion || l == LevelCountry
}

// ParseIndicatorLevel reads a level in Dutch or English.
func ParseIndicatorLevel(s string) (IndicatorLevel, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "praktijk", "practice":
		return LevelPractice, true
	case "regio", "region":
		return LevelRegion, true
	case "landelijk", "land", "nederland", "national", "country":
		return LevelCountry, true
	}
	return "", false
}

// Valid reports a quarter 1..4 of a year from 2000.
func (q Quarter) Valid() bool { return q.Year >= 2000 && q.Year <= 9999 && q.Q >= 1 && q.Q <= 4 }

// Index orders quarters: consecutive quarters differ by one.
func (q Quarter) Index() int { return q.Year*4 + q.Q - 1 }

// Before reports q earlier than o.
func (q Quarter) Before(o Quarter) bool { return q.Index() < o.Index() }

// Quarter notations: "2024-K1", "2024 Q1", "2024K1", "2024-1", "K1 2024",
// "Q1-2024", and "K1" or "1" when the year is given separately.
var (
	quarterYearFirst = regexp.MustCompile(`^(\d{4})\s*[-/ ]?\s*(?:K|Q|KWARTAAL)?\s*([1-4])$`)
	quarterYearLast  = regexp.MustCompile(`^(?:K|Q|KWARTAAL)\s*([1-4])\s*[-/ ]?\s*(\d{4})$`)
	quarterOnly      = regexp.MustCompile(`^(?:K|Q|KWARTAAL)?\s*([1-4])$`)
)

// ParseQuarterText reads a quarter as people write it in a sheet (see the notations above). year, when not
// 0, is the year given in a separate column: the text may then hold only
// the quarter, and a year in the text must agree with it.
func ParseQuarterText(s string, year int) (Quarter, bool) {
	t := strings.ToUpper(strings.TrimSpace(s))
	var yText, qText string
	if m := quarterYearFirst.FindStringSubmatch(t); m != nil {
		yText, qText = m[1], m[2]
	} else if m := quarterYearLast.FindStringSubmatch(t); m != nil {
		yText, qText = m[2], m[1]
	} else if m := quarterOnly.FindStringSubmatch(t); m != nil && year != 0 {
		qText = m[1]
	} else {
		return Quarter{}, false
	}
	q, _ := strconv.Atoi(qText)
	y := year
	if yText != "" {
		y2, _ := strconv.Atoi(yText)
		if year != 0 && y2 != year {
			return Quarter{}, false
		}
		y = y2
	}
	out := Quarter{y, q}
	if !out.Valid() {
		return Quarter{}, false
	}
	return out, true
}

// IndicatorValue is one figure: an indicator for a quarter, of a practice,
// a region or the country, with its source.
type IndicatorValue struct {
	ID         int64
	RegionID   int64
	Level      IndicatorLevel
	PracticeID int64 // only for LevelPractice
	Indicator  Indicator
	Quarter    Quarter
	Value      float64
	Source     string // e.g. "Vektis", "CZ kwartaalrapport"
	SourceDate Date   // the date of the source (delivered, extracted)
	Version    int
	UpdatedAt  time.Time
}

// IndicatorSourceMax is the longest source text.
const IndicatorSourceMax = 200

// Validate checks a value; the errors name the fields level, practice,
// indicator, quarter, value, source and source_date.
func (v *IndicatorValue) Validate(today Date) error {
	f := FieldErrors{}
	v.Source = strings.TrimSpace(v.Source)
	if !v.Level.Valid() {
		f.Add("level", "ind.err.level")
	}
	if v.Level == LevelPractice && v.PracticeID == 0 {
		f.Add("practice", "err.required")
	}
	if v.Level != LevelPractice && v.PracticeID != 0 {
		f.Add("practice", "ind.err.practice_not_allowed")
	}
	if !v.Indicator.Valid() {
		f.Add("indicator", "ind.err.indicator")
	}
	if !v.Quarter.Valid() {
		f.Add("quarter", "ind.err.quarter")
	} else if !today.IsZero() && today.Before(v.Quarter.Start()) {
		f.Add("quarter", "ind.err.quarter_future")
	}
	switch {
	case math.IsNaN(v.Value) || math.IsInf(v.Value, 0) || v.Value < 0:
		f.Add("value", "ind.err.value")
	case v.Indicator.Valid() && v.Value > v.Indicator.Max():
		f.Add("value", "ind.err.value_max")
	}
	if v.Source == "" {
		f.Add("source", "err.required")
	} else if len([]rune(v.Source)) > IndicatorSourceMax {
		f.Add("source", "err.too_long")
	}
	if v.SourceDate.IsZero() {
		f.Add("source_date", "err.required")
	} else if !today.IsZero() && v.SourceDate.After(today) {
		f.Add("source_date", "ind.err.date_future")
	}
	return f.Err()
}

// IndicatorKey identifies a value: a re-import of the same key changes it.
type IndicatorKey struct {
	Level      IndicatorLevel
	PracticeID int64
	Indicator  Indicator
	Quarter    Quarter
}

// Key returns the value's key.
func (v IndicatorValue) Key() IndicatorKey {
	return IndicatorKey{v.Level, v.PracticeID, v.Indicator, v.Quarter}
}

// SameFigure reports the same value, source and source date (a re-import
// that changes nothing).
func (v IndicatorValue) SameFigure(o IndicatorValue) bool {
	return math.Abs(v.Value-o.Value) < 1e-9 && v.Source == o.Source && v.SourceDate.Equal(o.SourceDate)
}

// SeriesPoint is one quarter of a series.
type SeriesPoint struct {
	Quarter    Quarter
	Value      float64
	Source     string
	SourceDate Date
}

// Series picks one indicator at one level (and practice) from values and
// sorts it by quarter.
func Series(values []IndicatorValue, ind Indicator, level IndicatorLevel, practiceID int64) []SeriesPoint {
	var out []SeriesPoint
	for _, v := range values {
		if v.Indicator == ind && v.Level == level && (level != LevelPractice || v.PracticeID == practiceID) {
			out = append(out, SeriesPoint{v.Quarter, v.Value, v.Source, v.SourceDate})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Quarter.Before(out[j].Quarter) })
	return out
}

// SeriesValues returns the values of a series.
func SeriesValues(s []SeriesPoint) []float64 {
	out := make([]float64, len(s))
	for i, p := range s {
		out[i] = p.Value
	}
	return out
}
