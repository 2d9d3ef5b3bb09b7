package demo

// Demo job-satisfaction pulse (issue 15 §4): ZIO held the pulse in the two
// quarters before the current one; most practices got five answers or
// more, a few fewer (their figures show "te weinig antwoorden"), and the
// scores move a little the right way. The current quarter is left for the
// programme manager to start. Fixed random numbers, so every load is the
// same.

import (
	"context"
	"math/rand/v2"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

const pulseRegion = "zio"

var demoPulseComments = []string{
	"Minder administratie, dan hou ik tijd over voor de patiënt.",
	"De langere consulten geven rust in de agenda.",
	"Maandagochtend blijft te druk aan de telefoon.",
	"Fijn dat we als team samen naar de planning kijken.",
	"Meer ondersteuning bij de triage zou helpen.",
	"Het overleg met het wijkteam scheelt ons veel werk.",
}

// loadPulse writes the past two quarters' pulses of ZIO and returns the
// number of answers.
func loadPulse(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	reg, err := db.RegionByCode(ctx, pulseRegion)
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	practices, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return 0, err
	}
	staff, err := db.RegionStaff(ctx, reg.ID)
	if err != nil {
		return 0, err
	}
	current := mtvp.QuarterOf(mtvp.DateOf(now))
	older := mtvp.QuarterOf(current.Start().AddDays(-1))
	oldest := mtvp.QuarterOf(older.Start().AddDays(-1))
	n := 0
	for step, q := range []mtvp.Quarter{oldest, older} {
		opened := q.Start().AddDays(7)
		people := map[int64]map[int64]bool{}
		for _, list := range staff {
			for _, m := range list {
				if m.ActiveOn(opened) {
					if people[m.PracticeID] == nil {
						people[m.PracticeID] = map[int64]bool{}
					}
					people[m.PracticeID][m.Person.ID] = true
				}
			}
		}
		st := &store.PulseStart{Round: &mtvp.PulseRound{RegionID: reg.ID, Quarter: q, OpenedOn: opened}}
		for _, p := range practices {
			if p.Status == mtvp.PracticeActive && len(people[p.ID]) > 0 {
				st.Practices = append(st.Practices, store.PulsePractice{PracticeID: p.ID, LinkToken: store.NewPulseLinkToken(), Staff: len(people[p.ID])})
			}
		}
		if len(st.Practices) == 0 {
			continue
		}
		if err := db.StartPulse(ctx, mtvp.SystemActor, st); err != nil {
			return n, err
		}
		rng := rand.New(rand.NewPCG(15, uint64(q.Year*10+q.Q)))
		for _, pp := range st.Practices {
			answers := make([]mtvp.PulseAnswer, min(pp.Staff, 2+rng.IntN(9)))
			for i := range answers {
				score := func(base float64) int { return max(0, min(10, int(base+float64(step)*0.6+rng.Float64()*4-2+0.5))) }
				answers[i] = mtvp.PulseAnswer{Workload: max(0, min(10, 14-score(6.5))), Satisfaction: score(6), TimeForPatient: score(5)}
				if rng.IntN(3) == 0 {
					answers[i].Comment = demoPulseComments[rng.IntN(len(demoPulseComments))]
				}
			}
			if err := db.RecordPulseAnswers(ctx, st.Round.ID, pp.PracticeID, answers); err != nil {
				return n, err
			}
			n += len(answers)
		}
	}
	return n, nil
}
