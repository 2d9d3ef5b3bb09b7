package demo

// Demo consultant visits (issue 7): last year every active practice with a
// consultant had its annual visit; this year about half have been visited,
// a quarter have a visit planned (one in eight overdue) and the rest none
// yet, so "Mijn bezoeken", the coverage page and the annual-visit
// requirement all show something real. Written through the store's visit
// methods, as the consultants would, in a fixed pattern.

import (
	"context"
	"fmt"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

var demoFindings = []struct{ deployment, well, obstacles, solutions string }{
	{"Twee assistenten werken met de triagewijzer; de huisarts kijkt mee bij twijfel.", "Minder korte consulten voor vragen die de assistent zelf kan afhandelen.", "Het spreekuur loopt op maandag nog steeds uit.", "Maandag een extra belblok voor de assistent inroosteren."},
	{"Langere consulten voor patiënten met meerdere klachten, gepland via een eigen code.", "Patiënten waarderen de tijd; de huisartsen ervaren minder haast.", "De agenda raakt vol met lange afspraken.", "Per dag een vast aantal lange plekken en die bewaken."},
	{"Overleg met het wijkteam eens per zes weken.", "Korte lijnen met de wijkverpleging.", "Het sociaal domein is slecht bereikbaar buiten kantoortijden.", "Vaste contactpersoon bij de gemeente vragen."},
	{"Veelgebruikers besproken in het teamoverleg; per patiënt een regiebehandelaar.", "Een paar patiënten komen merkbaar minder vaak.", "Registratie kost veel tijd.", "Een eenvoudige lijst in het HIS bijhouden in plaats van een apart bestand."},
}

var demoJudgements = []string{
	"Goed op weg: het team staat achter het plan en de eerste interventies lopen.",
	"Enthousiast begonnen; de planning is krap en verdient aandacht.",
	"De praktijk zoekt nog haar weg; afgesproken om over drie maanden opnieuw te kijken.",
}

// loadVisits writes the demo visits and returns how many it made.
func loadVisits(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	today := mtvp.DateOf(now)
	year := today.Year()
	jan1 := mtvp.NewDate(year, time.January, 1)
	daysIn := int(today.Time().Sub(jan1.Time()).Hours() / 24) // days of this year before today
	regions, err := ownRegions(ctx, db)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, reg := range regions {
		practices, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return n, err
		}
		i := 0
		for _, ps := range practices {
			p := ps.Practice
			if p.Status != mtvp.PracticeActive || p.ConsultantID == 0 {
				continue
			}
			i++
			a := mtvp.Actor{UserID: p.ConsultantID, Name: p.ConsultantName}
			// Last year: visited between March and November (PrimaCura's
			// come in through the history import, see history.go).
			if !p.JoinedOn.IsZero() && p.JoinedOn.Year() < year && reg.Code != historyRegion {
				on := mtvp.NewDate(year-1, time.March, 1).AddDays((i * 23) % 270)
				if err := demoVisit(ctx, db, a, p, year-1, on, on, i); err != nil {
					return n, err
				}
				n++
			}
			switch k := i % 8; {
			case k < 4 && daysIn > 14:
				on := jan1.AddDays(7 + (i*17)%(daysIn-10))
				if err := demoVisit(ctx, db, a, p, year, on, on, i); err != nil {
					return n, err
				}
				n++
			case k == 4 || k == 5:
				on := today.AddDays(10 + (i*11)%50)
				if k == 4 && daysIn > 20 {
					on = today.AddDays(-3 - i%10) // overdue: planned, not recorded
				}
				if on.Year() != year {
					on = mtvp.NewDate(year, time.December, 31)
				}
				v := mtvp.Visit{PracticeID: p.ID, Year: year, PlannedOn: on}
				if err := db.CreateVisit(ctx, a, &v); err != nil {
					return n, fmt.Errorf("demo: plan visit %s: %w", p.Name, err)
				}
				n++
			}
		}
	}
	return n, nil
}

// demoVisit plans and records one visit along the practice's plan of the
// year (findings for its interventions, when it has a plan).
func demoVisit(ctx context.Context, db *store.DB, a mtvp.Actor, p mtvp.Practice, year int, planned, visited mtvp.Date, i int) error {
	v := mtvp.Visit{PracticeID: p.ID, Year: year, PlannedOn: planned}
	if err := db.CreateVisit(ctx, a, &v); err != nil {
		return fmt.Errorf("demo: plan visit %s: %w", p.Name, err)
	}
	v.VisitedOn, v.Judgement = visited, demoJudgements[i%len(demoJudgements)]
	if pl, err := db.Plan(ctx, p.ID, year); err == nil {
		if cur := pl.Current(); cur != nil {
			for j, it := range cur.Content.Items {
				if j >= 3 {
					break
				}
				f := demoFindings[(i+j)%len(demoFindings)]
				v.Findings = append(v.Findings, mtvp.VisitFinding{InterventionID: it.InterventionID,
					Deployment: f.deployment, GoesWell: f.well, Obstacles: f.obstacles, Solutions: f.solutions})
			}
		}
	} else if mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		return err
	}
	v.Actions = []mtvp.VisitAction{
		{Description: "Plan van aanpak bespreken in het teamoverleg", Owner: "Praktijkmanager", Due: visited.AddDays(30), Done: i%2 == 0},
		{Description: "Aanmelden voor een intervisiegroep", Owner: "Huisartsen", Due: visited.AddDays(60)},
	}
	if err := db.RecordVisit(ctx, a, &v); err != nil {
		return fmt.Errorf("demo: record visit %s: %w", p.Name, err)
	}
	return nil
}
