package demo

import (
	"context"
	"fmt"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// LoadTraining gives every demo region a training menu (issue 5): five
// trainings with a past and an upcoming session each, completions for
// part of the staff, sign-ups for the upcoming sessions (the fullest on a
// waiting list), and prior-learning claims that are pending, approved or
// rejected by the practice's consultant. Run it once, after Load, on the
// same database; it is deterministic and refuses a region that already
// has trainings. now must be the present: sign-ups are only taken for
// sessions that have not begun.
func LoadTraining(ctx context.Context, db *store.DB, now time.Time) error {
	today := mtvp.DateOf(now)
	a := mtvp.SystemActor
	regions, err := db.ListRegions(ctx)
	if err != nil {
		return err
	}
	type spec struct {
		title, provider, desc string
		target                mtvp.TargetGroup
		themes                []string
		register              mtvp.Register
		points                float64
	}
	specs := []spec{
		{"Triage voor doktersassistenten", "NHG", "Werken met de NHG-Triagewijzer: urgentie inschatten aan de telefoon en de balie.", mtvp.TargetAssistants, []string{mtvp.ThemeTriage}, mtvp.RegisterKABIZ, 4},
		{"Omgaan met lastige patiënten", "Zuyd Hogeschool", "Grenzen stellen en de-escaleren aan de balie.", mtvp.TargetAssistants, []string{mtvp.ThemeDifficultPatients}, mtvp.RegisterKABIZ, 3},
		{"Positieve gezondheid in de praktijk", "Institute for Positive Health", "Het spinnenweb als gespreksinstrument voor de hele praktijk.", mtvp.TargetBoth, []string{mtvp.ThemePositiveHealth}, mtvp.RegisterGAIA, 3},
		{"Het goede gesprek", "ROS Robuust", "Samen beslissen en de hulpvraag achter de klacht.", mtvp.TargetGPs, []string{mtvp.ThemeGoodConversation, mtvp.ThemePositiveHealth}, mtvp.RegisterGAIA, 4},
		{"SOLK in de huisartsenpraktijk", "NHG", "Somatisch onvoldoende verklaarde lichamelijke klachten.", mtvp.TargetGPs, []string{mtvp.ThemeSOLK}, mtvp.RegisterGAIA, 2},
	}
	for _, reg := range regions {
		existing, err := db.ListTrainings(ctx, reg.ID, true)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			return fmt.Errorf("demo: region %s already has trainings", reg.Code)
		}
		type run struct {
			t          mtvp.Training
			past, next mtvp.TrainingSession
		}
		var runs []run
		for i, sp := range specs {
			t := mtvp.Training{RegionID: reg.ID, Title: sp.title, Description: sp.desc, Target: sp.target, Themes: sp.themes,
				Provider: sp.provider, Register: sp.register, Points: sp.points, Active: true}
			if err := db.CreateTraining(ctx, a, &t); err != nil {
				return fmt.Errorf("demo: training %s: %w", sp.title, err)
			}
			past := mtvp.TrainingSession{TrainingID: t.ID, Dates: []mtvp.Date{today.AddDays(-120 + 14*i), today.AddDays(-113 + 14*i)},
				StartTime: "18:30", EndTime: "21:30", Place: "Regiokantoor", Capacity: 400}
			next := mtvp.TrainingSession{TrainingID: t.ID, Dates: []mtvp.Date{today.AddDays(21 + 7*i)}, StartTime: "13:00", EndTime: "17:00",
				Online: i%2 == 1, Place: "Regiokantoor", Capacity: 4 + 4*i}
			if next.Online {
				next.Place = ""
			}
			for _, s := range []*mtvp.TrainingSession{&past, &next} {
				if err := db.CreateSession(ctx, a, s); err != nil {
					return fmt.Errorf("demo: session of %s: %w", sp.title, err)
				}
			}
			runs = append(runs, run{t, past, next})
		}
		practices, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return err
		}
		completions := make([][]mtvp.Completion, len(runs))
		done := map[int64]bool{}
		signedUp := make([]int, len(runs))
		claims := 0
		for pi, p := range practices {
			staff, err := db.Staff(ctx, p.ID, false)
			if err != nil {
				return err
			}
			for si, m := range staff {
				if done[m.PersonID] || !m.ActiveOn(today) {
					continue
				}
				k := pi*7 + si*3
				assistant := m.Role == mtvp.RoleDoktersassistent
				gp := m.Role == mtvp.RolePraktijkhouder || m.Role == mtvp.RoleVasteWaarnemer
				if !assistant && !gp {
					continue
				}
				// About half completed a training on their menu.
				if k%5 < 2 || (k%5 == 2 && pi%3 == 0) {
					ri := []int{0, 1, 2}[k%3]
					if gp {
						ri = []int{2, 3, 4}[k%3]
					}
					on := runs[ri].past.LastDate()
					completions[ri] = append(completions[ri], mtvp.Completion{PersonID: m.PersonID, CompletedOn: on})
					done[m.PersonID] = true
					continue
				}
				// Some claim prior learning elsewhere.
				if k%5 == 3 && claims < 12 {
					c := mtvp.Claim{PracticeID: p.ID, PersonID: m.PersonID, Title: "Scholing elders", Provider: "Elders gevolgd",
						CompletedOn: mtvp.NewDate(2023, time.March, 1+claims), Theme: mtvp.ThemeSOH}
					if gp {
						c.Title, c.Theme = "Positieve gezondheid (elders)", mtvp.ThemePositiveHealth
					}
					if err := db.SubmitClaim(ctx, a, &c, &store.Evidence{Name: "certificaat.pdf", Data: demoPDF}); err != nil {
						return fmt.Errorf("demo: claim in %s: %w", p.Name, err)
					}
					if claims%3 != 0 && p.ConsultantID != 0 {
						u, err := db.UserByID(ctx, p.ConsultantID)
						if err != nil {
							return err
						}
						status, reason := mtvp.ClaimApproved, "Certificaat gecontroleerd."
						if claims%3 == 2 {
							status, reason = mtvp.ClaimRejected, "Geen bewijs van deelname; stuur het certificaat mee."
						}
						if _, err := db.DecideClaim(ctx, mtvp.Actor{UserID: u.ID, Name: u.Name}, c.ID, c.Version, status, reason); err != nil {
							return err
						}
					}
					claims++
					done[m.PersonID] = true
					continue
				}
				// Others sign up for an upcoming session (a few more than fit).
				ri := k % 2
				if gp {
					ri = 3
				}
				if signedUp[ri] < runs[ri].next.Capacity+2 {
					e := mtvp.Enrolment{SessionID: runs[ri].next.ID, PersonID: m.PersonID, PracticeID: p.ID}
					if err := db.Enrol(ctx, a, &e); err != nil {
						return fmt.Errorf("demo: sign-up in %s: %w", p.Name, err)
					}
					signedUp[ri]++
					done[m.PersonID] = true
				}
			}
		}
		for ri, cs := range completions {
			if len(cs) == 0 {
				continue
			}
			if err := db.RecordCompletions(ctx, a, runs[ri].past.ID, cs); err != nil {
				return fmt.Errorf("demo: completions of %s: %w", runs[ri].t.Title, err)
			}
		}
	}
	return nil
}

// demoPDF is a minimal PDF used as evidence of the demo claims.
var demoPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
