package demo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// planTexts are a practice's own words per core element, so the demo plans
// read like real ones.
var planTexts = map[mtvp.Element][3]string{
	mtvp.ElementA: {"De telefoonlijn is 's ochtends overbelast en het spreekuur loopt structureel uit.",
		"Assistenten triëren zelfstandig met de NHG-Triagewijzer; consulten duren gemiddeld 15 minuten.",
		"Wachttijd aan de telefoon en uitloop van het spreekuur, elk kwartaal gemeten."},
	mtvp.ElementB: {"Contact met het wijkteam en het sociaal domein loopt via de patiënt zelf.",
		"Een vaste contactpersoon in het wijkteam en elke maand een MDO.",
		"Aantal warme overdrachten per kwartaal en ervaring van het team."},
	mtvp.ElementC: {"De praktijk verkent of een extra POH-GGZ of praktijkverpleegkundige helpt.",
		"Een besluit over extra formatie, gedragen door het hele team.",
		"Werkdruk (korte peiling) voor en na de uitbreiding."},
	mtvp.ElementD: {"Gesprekken blijven vaak bij de klacht; de hulpvraag erachter komt weinig aan bod.",
		"Het goede gesprek en het spinnenweb worden gebruikt bij chronische zorg.",
		"Patiëntervaring via een korte vragenlijst, twee keer per jaar."},
}

// LoadPlans gives the active practices of every demo region a plan van
// aanpak for the reference year (issue 3), spread over the workflow: no
// plan, concept, in bespreking (with the discussion recorded), definitief,
// and definitief with a revision open; final plans of last year for part
// of them, a consultant's question answered by the practice, and a team
// review. Run it once, after Load; it refuses a region that already has
// plans. Everything is written in one transaction (store.BulkPlans).
func LoadPlans(ctx context.Context, db *store.DB, now time.Time) error {
	today := mtvp.DateOf(now)
	regions, err := readRegions(ctx, db, today)
	if err != nil {
		return err
	}
	b := &store.PlanBatch{}
	for _, in := range regions {
		over, err := db.PlanOverview(ctx, in.reg.ID, today.Year(), 0)
		if err != nil {
			return err
		}
		for _, s := range over {
			if s.PlanID != 0 {
				return fmt.Errorf("demo: region %s already has plans", in.reg.Code)
			}
		}
		b.Plans = append(b.Plans, buildPlans(in, now)...)
	}
	if err := db.BulkPlans(ctx, mtvp.SystemActor, b); err != nil {
		return fmt.Errorf("demo: plans: %w", err)
	}
	return nil
}

// buildPlans makes the plans of a region's active practices: practice i
// gets stage i%5 — 0 no plan, 1 concept, 2 in bespreking, 3 definitief,
// 4 definitief with a revision open (and last year's final plan when it
// joined before this year). Moments lie between 10 January and now.
func buildPlans(in *regionInput, now time.Time) []*store.PlanRecord {
	today := mtvp.DateOf(now)
	year := today.Year()
	var out []*store.PlanRecord
	i := -1
	for _, pi := range in.practices {
		if pi.p.Status != mtvp.PracticeActive {
			continue
		}
		i++
		stage := i % 5
		if in.advanced { // seven in ten final
			stage = []int{0, 1, 2, 3, 3, 3, 4, 4, 3, 4}[i%10]
		}
		if stage == 0 {
			continue // no plan yet
		}
		w := planWriter{in: in, pi: pi, by: mtvp.SavedBy{Name: "Praktijkmanager " + pi.p.Name}, today: today, now: now, jitter: float64(i%7) / 100}
		if stage == 4 && !pi.p.JoinedOn.IsZero() && pi.p.JoinedOn.Year() < year {
			if r := w.plan(year-1, 3); r != nil {
				out = append(out, r)
			}
		}
		if r := w.plan(year, stage); r != nil {
			out = append(out, r)
		}
	}
	return out
}

type planWriter struct {
	in     *regionInput
	pi     practiceInput
	by     mtvp.SavedBy
	today  mtvp.Date
	now    time.Time
	jitter float64 // spreads the practices' moments a little
}

// content chooses the mandatory interventions and enough others for the
// region's minimums (plus one extra), with texts and two actions each.
func (w planWriter) content(year int, rules mtvp.PlanRules, done bool) mtvp.PlanContent {
	c := mtvp.PlanContent{Ambition: "Meer tijd voor het goede gesprek, minder werkdruk aan de balie en een team dat er samen achter staat."}
	if rules.Regioplan == nil {
		return c
	}
	count := map[mtvp.Element]int{}
	extra := 1
	for _, iv := range rules.Regioplan.Interventions {
		want := iv.Mandatory || count[iv.Element] < rules.MinPerElement[iv.Element]
		if !want && extra > 0 && iv.Element != mtvp.ElementC {
			want, extra = true, extra-1
		}
		if !want {
			continue
		}
		count[iv.Element]++
		txt := planTexts[iv.Element]
		status := mtvp.ActionBusy
		if done {
			status = mtvp.ActionDone
		}
		c.Items = append(c.Items, mtvp.PlanItem{InterventionID: iv.ID, Current: txt[0], Goal: txt[1], Measure: txt[2],
			Actions: []mtvp.PlanAction{
				{Description: "Startoverleg met het hele team over " + iv.Title, Owner: "Praktijkmanager",
					Start: mtvp.NewDate(year, time.February, 1), End: mtvp.NewDate(year, time.February, 28), Status: status},
				{Description: "Evaluatie in het teamoverleg", Owner: "Praktijkhouder",
					Start: mtvp.NewDate(year, time.September, 1), End: mtvp.NewDate(year, time.October, 31), Status: mtvp.ActionPlanned},
			}})
	}
	mtvp.NormalizePlan(&c, rules.Regioplan)
	return c
}

// plan writes the plan of year at stage 1 (concept), 2 (in bespreking,
// discussed), 3 (definitief, with a consultant's question and a team
// review) or 4 (3 with a revision open). A plan nobody could agree with
// stays in bespreking. nil when the year has no regioplan.
func (w planWriter) plan(year, stage int) *store.PlanRecord {
	rules := w.in.rules[year]
	if rules.Regioplan == nil {
		return nil
	}
	tl := yearTimeline(year, w.now)
	if year == w.today.Year() {
		// This year's work happens in its first months; keep the last
		// part of the period for what is recent.
		tl = newTimeline(mtvp.NewDate(year, time.January, 10), w.now.Add(-time.Hour))
	}
	c := w.content(year, rules, year < w.today.Year())
	r := &store.PlanRecord{Plan: mtvp.Plan{RegionID: w.in.reg.ID, PracticeID: w.pi.p.ID, Year: year}}
	created := tl.at(0.05 + w.jitter)
	r.Plan.CreatedAt = created
	if stage == 1 {
		r.Plan.Versions = []mtvp.PlanVersion{{Status: mtvp.PlanConcept, Content: c, SavedBy: w.by, SavedAt: created}}
		r.Plan.UpdatedAt = created
		return r
	}
	first := mtvp.PlanContent{Ambition: c.Ambition}
	second := mtvp.PlanVersion{Status: mtvp.PlanDiscussion, Content: c, SavedBy: w.by, SavedAt: tl.at(0.12 + w.jitter),
		SharedAt: tl.at(0.13 + w.jitter)}
	r.Plan.Versions = []mtvp.PlanVersion{{Status: mtvp.PlanConcept, Content: first, SavedBy: w.by, SavedAt: created}, second}
	// The team discussion: every current staff member agrees.
	discussed := mtvp.DateOf(tl.at(0.2 + w.jitter))
	if stage == 2 && year == w.today.Year() {
		discussed = w.today.AddDays(-10)
		if discussed.Before(mtvp.DateOf(second.SharedAt)) {
			discussed = mtvp.DateOf(second.SharedAt)
		}
	}
	seen := map[int64]bool{}
	var agreed []mtvp.Agreement
	for _, s := range w.pi.staff {
		if s.ActiveOn(w.today) && !seen[s.PersonID] {
			seen[s.PersonID] = true
			agreed = append(agreed, mtvp.Agreement{PersonID: s.PersonID, Name: s.Person.Name})
		}
	}
	sort.Slice(agreed, func(i, j int) bool { return strings.ToLower(agreed[i].Name) < strings.ToLower(agreed[j].Name) })
	v := &r.Plan.Versions[1]
	if len(agreed) > 0 {
		v.DiscussedOn, v.Agreed = discussed, agreed
	}
	last := v.SharedAt
	if stage >= 3 && mtvp.CheckStep(v, mtvp.StepFinalise, rules) == nil {
		v.Status, v.FinalisedBy, v.FinalisedAt = mtvp.PlanFinal, w.by, tl.at(0.22+w.jitter)
		last = v.FinalisedAt
		w.conversation(r, tl)
		if stage == 4 {
			rev := mtvp.PlanVersion{Status: mtvp.PlanConcept, Content: v.Content, SavedBy: w.by, SavedAt: tl.at(0.9 + w.jitter)}
			r.Plan.Versions = append(r.Plan.Versions, rev)
			last = rev.SavedAt
		}
	}
	r.Plan.UpdatedAt = last
	return r
}

// conversation adds the consultant's question with the practice's answer
// and a team review.
func (w planWriter) conversation(r *store.PlanRecord, tl timeline) {
	if w.pi.p.ConsultantID != 0 {
		r.Comments = append(r.Comments,
			store.PlanCommentRow{Comment: mtvp.PlanComment{Section: mtvp.PlanSectionAmbition, AuthorRole: mtvp.AccountConsultant,
				Author: mtvp.SavedBy{UserID: w.pi.p.ConsultantID, Name: w.pi.p.ConsultantName}, VersionNumber: 2, CreatedAt: tl.at(0.3 + w.jitter),
				Body: "Mooie ambitie. Hoe betrekken jullie de assistenten bij de evaluatie?"}},
			store.PlanCommentRow{Parent: 1, Comment: mtvp.PlanComment{AuthorRole: mtvp.AccountPractice, Author: w.by, VersionNumber: 2,
				CreatedAt: tl.at(0.32 + w.jitter), Body: "Ze schuiven aan bij het teamoverleg in september en doen de telefoonmeting zelf."}})
	}
	held := w.today.AddDays(-3)
	if r.Plan.Year < w.today.Year() {
		held = mtvp.NewDate(r.Plan.Year, time.October, 8)
	}
	r.Reviews = append(r.Reviews, mtvp.PlanReview{HeldOn: held, Author: w.by, CreatedAt: tl.at(0.95),
		Works: "De triage aan de telefoon geeft rust in de ochtend.", NotWorks: "Het MDO schiet erbij in als het druk is.",
		Connect: "Assistenten en POH stemmen vaker kort af.", Needs: "Een vast moment per week voor overleg."})
}
