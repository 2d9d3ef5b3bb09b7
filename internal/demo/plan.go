package demo

import (
	"context"
	"fmt"
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
// plans.
func LoadPlans(ctx context.Context, db *store.DB, now time.Time) error {
	today := mtvp.DateOf(now)
	year := today.Year()
	regions, err := db.ListRegions(ctx)
	if err != nil {
		return err
	}
	for _, reg := range regions {
		over, err := db.PlanOverview(ctx, reg.ID, year, 0)
		if err != nil {
			return err
		}
		for _, s := range over {
			if s.PlanID != 0 {
				return fmt.Errorf("demo: region %s already has plans", reg.Code)
			}
		}
		practices, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID, Status: mtvp.PracticeActive})
		if err != nil {
			return err
		}
		for i, ps := range practices {
			p := ps.Practice
			stage := i % 5
			if stage == 0 {
				continue // no plan yet
			}
			w := planWriter{ctx: ctx, db: db, p: p, a: mtvp.Actor{Name: "Praktijkmanager " + p.Name}, today: today}
			if stage == 4 && !p.JoinedOn.IsZero() && p.JoinedOn.Year() < year {
				if _, err := w.final(year - 1); err != nil {
					return err
				}
			}
			if err := w.write(year, stage); err != nil {
				return err
			}
		}
	}
	return nil
}

type planWriter struct {
	ctx   context.Context
	db    *store.DB
	p     mtvp.Practice
	a     mtvp.Actor
	today mtvp.Date
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
	return c
}

// write brings the plan of year to stage 1 (concept), 2 (in bespreking),
// 3 (definitief) or 4 (definitief with a revision open).
func (w planWriter) write(year, stage int) error {
	if stage == 1 {
		rules, err := w.db.PlanRules(w.ctx, w.p.RegionID, year)
		if err != nil {
			return err
		}
		c := w.content(year, rules, false)
		_, err = w.db.SavePlan(w.ctx, w.a, w.p.ID, year, 0, &c)
		return err
	}
	if stage == 2 {
		pl, err := w.shared(year)
		if err != nil {
			return err
		}
		_, err = w.agree(pl)
		return err
	}
	pl, err := w.final(year)
	if err != nil {
		return err
	}
	if err := w.conversation(pl); err != nil {
		return err
	}
	if stage == 4 {
		_, err = w.db.PlanStep(w.ctx, w.a, pl.ID, pl.Version, mtvp.StepRevise)
	}
	return err
}

// shared saves the plan (in versions more than one) and shares it.
func (w planWriter) shared(year int) (mtvp.Plan, error) {
	rules, err := w.db.PlanRules(w.ctx, w.p.RegionID, year)
	if err != nil {
		return mtvp.Plan{}, err
	}
	c := w.content(year, rules, year < w.today.Year())
	first := c
	first.Items = nil
	pl, err := w.db.SavePlan(w.ctx, w.a, w.p.ID, year, 0, &first)
	if err != nil {
		return pl, fmt.Errorf("demo: plan %s %d: %w", w.p.Name, year, err)
	}
	if pl, err = w.db.SavePlan(w.ctx, w.a, w.p.ID, year, pl.Version, &c); err != nil {
		return pl, fmt.Errorf("demo: plan %s %d: %w", w.p.Name, year, err)
	}
	return w.db.PlanStep(w.ctx, w.a, pl.ID, pl.Version, mtvp.StepShare)
}

// agree records a team discussion with every current staff member.
func (w planWriter) agree(pl mtvp.Plan) (mtvp.Plan, error) {
	staff, err := w.db.CurrentStaffNames(w.ctx, w.p.ID)
	if err != nil {
		return pl, err
	}
	var ids []int64
	for id := range staff {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return pl, nil
	}
	day := w.today.AddDays(-10)
	if pl.Year < w.today.Year() {
		day = mtvp.NewDate(pl.Year, time.March, 15)
	}
	return w.db.RecordPlanAgreement(w.ctx, w.a, pl.ID, pl.Version, day, ids)
}

// final writes, shares, agrees and finalises the plan of year.
func (w planWriter) final(year int) (mtvp.Plan, error) {
	pl, err := w.shared(year)
	if err != nil {
		return pl, err
	}
	if pl, err = w.agree(pl); err != nil {
		return pl, err
	}
	if len(pl.Latest().Agreed) == 0 {
		return pl, nil // nobody to agree: stays in bespreking
	}
	pl, err = w.db.PlanStep(w.ctx, w.a, pl.ID, pl.Version, mtvp.StepFinalise)
	if err != nil {
		return pl, fmt.Errorf("demo: finalise %s %d: %w", w.p.Name, year, err)
	}
	return pl, nil
}

// conversation adds the consultant's question with the practice's answer
// and a team review.
func (w planWriter) conversation(pl mtvp.Plan) error {
	if w.p.ConsultantID != 0 {
		q := mtvp.PlanComment{PlanID: pl.ID, Section: mtvp.PlanSectionAmbition, AuthorRole: mtvp.AccountConsultant,
			Body: "Mooie ambitie. Hoe betrekken jullie de assistenten bij de evaluatie?"}
		if err := w.db.AddPlanComment(w.ctx, mtvp.Actor{UserID: w.p.ConsultantID, Name: w.p.ConsultantName}, &q); err != nil {
			return err
		}
		a := mtvp.PlanComment{PlanID: pl.ID, ParentID: q.ID, AuthorRole: mtvp.AccountPractice,
			Body: "Ze schuiven aan bij het teamoverleg in september en doen de telefoonmeting zelf."}
		if err := w.db.AddPlanComment(w.ctx, w.a, &a); err != nil {
			return err
		}
	}
	r := mtvp.PlanReview{PlanID: pl.ID, HeldOn: w.today.AddDays(-3),
		Works: "De triage aan de telefoon geeft rust in de ochtend.", NotWorks: "Het MDO schiet erbij in als het druk is.",
		Connect: "Assistenten en POH stemmen vaker kort af.", Needs: "Een vast moment per week voor overleg."}
	return w.db.AddPlanReview(w.ctx, w.a, &r)
}
