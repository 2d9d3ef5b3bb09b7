package mtvp

import (
	"regexp"
	"strings"
	"time"
)

// Element is a core element (kernelement) of the national MTVP guideline.
type Element string

const (
	ElementA Element = "A" // Anders werken in de praktijk
	ElementB Element = "B" // Samenwerken met het netwerk
	ElementC Element = "C" // Uitbreiding personele capaciteit
	ElementD Element = "D" // Het goede gesprek
)

// Elements in guideline order.
var Elements = []Element{ElementA, ElementB, ElementC, ElementD}

var elementNames = map[Element]string{
	ElementA: "Anders werken in de praktijk",
	ElementB: "Samenwerken met het netwerk",
	ElementC: "Uitbreiding personele capaciteit",
	ElementD: "Het goede gesprek",
}

// Name is the Dutch name from the guideline (a proper name; not translated).
func (e Element) Name() string { return elementNames[e] }

func (e Element) Valid() bool { _, ok := elementNames[e]; return ok }

// Minimum conditions (minimale hordes) of the national guideline.
const (
	ConditionLearningEnvironment = "lerende_omgeving"
	ConditionRegionalApproach    = "regionale_aanpak"
	ConditionCommitment          = "commitment"
)

// Conditions in guideline order.
var Conditions = []string{ConditionLearningEnvironment, ConditionRegionalApproach, ConditionCommitment}

// Learning-environment offerings besides intervision a region may switch on.
const (
	OfferPracticeProfile = "praktijkprofiel"
	OfferNetworkMeetings = "netwerkbijeenkomsten"
	OfferShadowing       = "meelopen"
	OfferPracticeScan    = "praktijkscan"
)

// LearningOffers in display order.
var LearningOffers = []string{OfferPracticeProfile, OfferNetworkMeetings, OfferShadowing, OfferPracticeScan}

// Regioplan is a region's plan for one programme (calendar) year.
type Regioplan struct {
	ID       int64
	RegionID int64
	Year     int
	// Conditions maps a minimum condition to how the region meets it.
	Conditions map[string]string
	// LearningOffers switched on, besides intervision.
	LearningOffers []string
	Interventions  []Intervention
	Version        int
	UpdatedAt      time.Time
}

// Intervention is one offering of the region under a core element.
type Intervention struct {
	ID          int64
	Code        string // "A.1"
	Title       string
	Description string
	Element     Element
	Mandatory   bool
	Position    int
}

var interventionCode = regexp.MustCompile(`^[A-D](\.[0-9]{1,2})?$`)

// Mandatory returns the mandatory interventions.
func (p *Regioplan) Mandatory() []Intervention {
	var out []Intervention
	for _, i := range p.Interventions {
		if i.Mandatory {
			out = append(out, i)
		}
	}
	return out
}

// ByElement returns the interventions under e, in order.
func (p *Regioplan) ByElement(e Element) []Intervention {
	var out []Intervention
	for _, i := range p.Interventions {
		if i.Element == e {
			out = append(out, i)
		}
	}
	return out
}

// Validate checks the plan; field names are "interventions.N.field" so the
// editor can show the message beside the right row.
func (p *Regioplan) Validate() error {
	f := FieldErrors{}
	if p.Year < 2020 || p.Year > 2100 {
		f.Add("year", "err.year_range")
	}
	seen := map[string]bool{}
	for n, i := range p.Interventions {
		p.Interventions[n].Code = strings.ToUpper(strings.TrimSpace(i.Code))
		p.Interventions[n].Title = strings.TrimSpace(i.Title)
		i = p.Interventions[n]
		prefix := "interventions." + itoa(n) + "."
		if !interventionCode.MatchString(i.Code) {
			f.Add(prefix+"code", "err.intervention_code")
		} else if seen[i.Code] {
			f.Add(prefix+"code", "err.duplicate")
		}
		seen[i.Code] = true
		if !i.Element.Valid() {
			f.Add(prefix+"element", "err.element")
		} else if interventionCode.MatchString(i.Code) && Element(i.Code[:1]) != i.Element {
			f.Add(prefix+"code", "err.intervention_element")
		}
		if i.Title == "" {
			f.Add(prefix+"title", "err.required")
		}
		if len(i.Title) > 200 {
			f.Add(prefix+"title", "err.too_long")
		}
	}
	for c := range p.Conditions {
		if !contains(Conditions, c) {
			f.Add("conditions", "err.condition_unknown")
		}
	}
	for _, o := range p.LearningOffers {
		if !contains(LearningOffers, o) {
			f.Add("learning_offers", "err.offer_unknown")
		}
	}
	return f.Err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
