package demo

// Demo consult duration (issue 15 §1, §5): most active practices of ZIO
// and PrimaCura uploaded their agenda export, as weekly aggregates up to
// last week. Three early practices began four weeks before the others
// (those weeks hold fewer than 5 practices: a funder sees "< 5"), a few
// only ten weeks ago, and some never did. GP consults grow longer after a
// practice's MTVP start. Fixed random numbers, so every load is the same.

import (
	"context"
	"math"
	"math/rand/v2"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

var agendaRegions = []string{"zio", "primacura"}

// agendaWeeks is how many weeks most uploading practices cover.
const agendaWeeks = 26

// loadAgenda writes the demo regions' agenda aggregates and returns the
// number of practices that uploaded.
func loadAgenda(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	today := mtvp.DateOf(now)
	last := mtvp.WeekOf(today.AddDays(-7))
	n := 0
	for ri, code := range agendaRegions {
		reg, err := db.RegionByCode(ctx, code)
		if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
			continue
		} else if err != nil {
			return n, err
		}
		practices, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return n, err
		}
		staff, err := db.RegionStaff(ctx, reg.ID)
		if err != nil {
			return n, err
		}
		rng := rand.New(rand.NewPCG(15, uint64(100+ri)))
		early := 0
		for _, p := range practices {
			if p.Status != mtvp.PracticeActive {
				continue
			}
			weeks := agendaWeeks
			switch r := rng.IntN(10); {
			case early < 3:
				weeks, early = agendaWeeks+4, early+1
			case r < 2:
				continue // not uploaded (yet)
			case r < 4:
				weeks = 10
			}
			ms := mtvp.MembershipsOf(staff[p.ID])
			aggs := demoAgendaWeeks(rng, p, ms, last.WeeksBack(weeks), last)
			if len(aggs) == 0 {
				continue
			}
			up := &mtvp.ConsultUpload{PracticeID: p.ID, Format: "csv", FileName: "agenda-export.csv", First: aggs[0].Week, Last: aggs[len(aggs)-1].Week}
			for _, a := range aggs {
				up.Rows += a.Count
				up.Used += a.Count
			}
			if err := db.SaveAgenda(ctx, mtvp.SystemActor, up, aggs); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// demoAgendaWeeks makes a practice's weekly aggregates: GP consults by its
// GP FTE, their mean rising from about 10 minutes towards 15.5 over the
// year and a half after its MTVP start; POH consults of about 20 minutes.
func demoAgendaWeeks(rng *rand.Rand, p mtvp.PracticeSummary, ms []mtvp.Membership, first, last mtvp.Week) []mtvp.ConsultWeek {
	var out []mtvp.ConsultWeek
	base := 10.2 + rng.Float64()
	for _, w := range mtvp.WeekRange(first, last) {
		fte := mtvp.GPFTE(ms, w)
		if fte <= 0 {
			continue
		}
		mean := base
		if !p.JoinedOn.IsZero() && !w.Monday().Before(p.JoinedOn) {
			weeksIn := float64(w.Index() - mtvp.WeekOf(p.JoinedOn).Index())
			mean += 5 * math.Min(1, weeksIn/78)
		}
		gp := mtvp.ConsultWeek{PracticeID: p.ID, Week: w, Role: mtvp.ConsultHuisarts}
		for range int(fte * (80 + rng.Float64()*30)) {
			addDemoConsult(rng, &gp, mean, 4)
		}
		out = append(out, gp)
		poh := mtvp.ConsultWeek{PracticeID: p.ID, Week: w, Role: mtvp.ConsultPOHSom}
		for range 20 + rng.IntN(25) {
			addDemoConsult(rng, &poh, 20, 5)
		}
		out = append(out, poh)
	}
	return out
}

func addDemoConsult(rng *rand.Rand, c *mtvp.ConsultWeek, mean, sd float64) {
	min := math.Max(3, math.Min(90, mean+rng.NormFloat64()*sd))
	min = math.Round(min) // agendas book whole minutes
	c.Add(int64(min*60), mtvp.IsDoubleConsult("", min))
}
