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
// has trainings. Everything is written in one transaction
// (store.BulkTraining).
func LoadTraining(ctx context.Context, db *store.DB, now time.Time) error {
	today := mtvp.DateOf(now)
	regions, err := readRegions(ctx, db, today)
	if err != nil {
		return err
	}
	b := &store.TrainingBatch{}
	for _, in := range regions {
		existing, err := db.ListTrainings(ctx, in.reg.ID, true)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			return fmt.Errorf("demo: region %s already has trainings", in.reg.Code)
		}
		buildTraining(b, in, now, 12)
	}
	if err := db.BulkTraining(ctx, mtvp.SystemActor, b); err != nil {
		return fmt.Errorf("demo: training: %w", err)
	}
	return nil
}

type trainingSpec struct {
	title, provider, desc string
	target                mtvp.TargetGroup
	themes                []string
	register              mtvp.Register
	points                float64
}

// trainingMenu: the assistants' trainings first (0–2; 2 is for both), then
// the GPs' (3–4).
var trainingMenu = []trainingSpec{
	{"Triage voor doktersassistenten", "NHG", "Werken met de NHG-Triagewijzer: urgentie inschatten aan de telefoon en de balie.", mtvp.TargetAssistants, []string{mtvp.ThemeTriage}, mtvp.RegisterKABIZ, 4},
	{"Omgaan met lastige patiënten", "Zuyd Hogeschool", "Grenzen stellen en de-escaleren aan de balie.", mtvp.TargetAssistants, []string{mtvp.ThemeDifficultPatients}, mtvp.RegisterKABIZ, 3},
	{"Positieve gezondheid in de praktijk", "Institute for Positive Health", "Het spinnenweb als gespreksinstrument voor de hele praktijk.", mtvp.TargetBoth, []string{mtvp.ThemePositiveHealth}, mtvp.RegisterGAIA, 3},
	{"Het goede gesprek", "ROS Robuust", "Samen beslissen en de hulpvraag achter de klacht.", mtvp.TargetGPs, []string{mtvp.ThemeGoodConversation, mtvp.ThemePositiveHealth}, mtvp.RegisterGAIA, 4},
	{"SOLK in de huisartsenpraktijk", "NHG", "Somatisch onvoldoende verklaarde lichamelijke klachten.", mtvp.TargetGPs, []string{mtvp.ThemeSOLK}, mtvp.RegisterGAIA, 2},
}

// buildTraining adds a region's training menu to b: the five trainings,
// each with a past session (two evenings about four months ago) and an
// upcoming one; about half the assistants and GPs completed one on their
// menu, up to maxClaims claim prior learning elsewhere (two in three
// decided by the practice's consultant: approved, or rejected with a
// reason), and others signed up for an upcoming session, a few more than
// fit (the waiting list).
func buildTraining(b *store.TrainingBatch, in *regionInput, now time.Time, maxClaims int) {
	today := mtvp.DateOf(now)
	type run struct {
		t          *mtvp.Training
		past, next *store.SessionRow
	}
	var runs []run
	for i, sp := range trainingMenu {
		t := &mtvp.Training{RegionID: in.reg.ID, Title: sp.title, Description: sp.desc, Target: sp.target, Themes: sp.themes,
			Provider: sp.provider, Register: sp.register, Points: sp.points, Active: true}
		past := &store.SessionRow{Training: t, Session: mtvp.TrainingSession{Dates: []mtvp.Date{today.AddDays(-120 + 14*i), today.AddDays(-113 + 14*i)},
			StartTime: "18:30", EndTime: "21:30", Place: "Regiokantoor", Capacity: 400}}
		next := &store.SessionRow{Training: t, Session: mtvp.TrainingSession{Dates: []mtvp.Date{today.AddDays(21 + 7*i)}, StartTime: "13:00", EndTime: "17:00",
			Online: i%2 == 1, Place: "Regiokantoor", Capacity: 4 + 4*i}}
		if next.Session.Online {
			next.Session.Place = ""
		}
		if len(in.practices) > 100 { // a large region runs larger sessions
			past.Session.Capacity, next.Session.Capacity = 500, 20+10*i
		}
		b.Trainings = append(b.Trainings, t)
		b.Sessions = append(b.Sessions, past, next)
		runs = append(runs, run{t, past, next})
	}
	done := map[int64]bool{}
	signedUp := make([]int, len(runs))
	completed := make([]map[int64]bool, len(runs))
	for i := range completed {
		completed[i] = map[int64]bool{}
	}
	claims := 0
	decided := now.Add(-72 * time.Hour).UTC().Truncate(time.Second)
	for pi, p := range in.practices {
		for si, m := range p.staff {
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
			if k%5 < 2 || (k%5 == 2 && pi%3 == 0) || (in.advanced && k%5 == 2) {
				ri := []int{0, 1, 2}[k%3]
				if gp {
					ri = []int{2, 3, 4}[k%3]
				}
				if !completed[ri][m.PersonID] {
					completed[ri][m.PersonID] = true
					b.Completions = append(b.Completions, &store.CompletionRow{Session: runs[ri].past,
						Completion: mtvp.Completion{PersonID: m.PersonID, CompletedOn: runs[ri].past.Session.LastDate()}})
				}
				done[m.PersonID] = true
				continue
			}
			// Some claim prior learning elsewhere.
			if k%5 == 3 && claims < maxClaims {
				c := mtvp.Claim{RegionID: in.reg.ID, PracticeID: p.p.ID, PersonID: m.PersonID, Title: "Scholing elders", Provider: "Elders gevolgd",
					CompletedOn: mtvp.NewDate(2023, time.March, 1+claims%28), Theme: mtvp.ThemeSOH,
					CreatedAt: now.Add(-time.Duration(30+claims%60) * 24 * time.Hour).UTC().Truncate(time.Second)}
				if gp {
					c.Title, c.Theme = "Positieve gezondheid (elders)", mtvp.ThemePositiveHealth
				}
				if mtvp.ValidateClaim(&c, []mtvp.StaffRole{m.Role}, in.reg.Settings, today) != nil {
					continue
				}
				if claims%3 != 0 && p.p.ConsultantID != 0 {
					c.Status, c.Reason = mtvp.ClaimApproved, "Certificaat gecontroleerd."
					if claims%3 == 2 {
						c.Status, c.Reason = mtvp.ClaimRejected, "Geen bewijs van deelname; stuur het certificaat mee."
					}
					c.DecidedBy, c.DecidedName, c.DecidedAt = p.p.ConsultantID, p.p.ConsultantName, decided
				}
				b.Claims = append(b.Claims, &store.ClaimRow{Claim: c, Evidence: &store.Evidence{Name: "certificaat.pdf", Data: demoPDF}})
				claims++
				done[m.PersonID] = true
				continue
			}
			// Others sign up for an upcoming session (a few more than fit).
			ri := k % 2
			if gp {
				ri = 3
			}
			if next := runs[ri].next; signedUp[ri] < next.Session.Capacity+2 {
				st := mtvp.EnrolmentWaiting
				if signedUp[ri] < next.Session.Capacity {
					st = mtvp.EnrolmentPlaced
				}
				b.Enrolments = append(b.Enrolments, &store.EnrolmentRow{Session: next,
					Enrolment: mtvp.Enrolment{PersonID: m.PersonID, PracticeID: p.p.ID, Status: st, PersonName: m.Person.Name, PracticeName: p.p.Name}})
				signedUp[ri]++
				done[m.PersonID] = true
			}
		}
	}
}

// demoPDF is a minimal PDF used as evidence of the demo claims.
var demoPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
