package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// LoadIntervision gives every demo region with a facilitator login its
// intervision groups for the current year (issue 4): groups in the
// region's towns, most GPs of the practices signed up (the fullest groups
// with a waiting list), meetings every six weeks from February, attendance
// for the meetings already held (mostly present, some absent or excused),
// GAIA submission for meetings over a month old, and a year plan. Run it
// once, after Load, on the same database; it is deterministic and refuses
// a region that already has groups this year.
func LoadIntervision(ctx context.Context, db *store.DB, now time.Time) error {
	today := mtvp.DateOf(now)
	year := today.Year()
	a := mtvp.SystemActor
	regions, err := db.ListRegions(ctx)
	if err != nil {
		return err
	}
	for ri, reg := range regions {
		rng := rand.New(rand.NewPCG(uint64(ri)+4, 2026))
		existing, err := db.ListGroups(ctx, mtvp.GroupFilter{RegionID: reg.ID, Year: year})
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			return fmt.Errorf("demo: region %s already has intervision groups in %d", reg.Code, year)
		}
		facs, err := db.Facilitators(ctx, reg.ID)
		if err != nil {
			return err
		}
		if len(facs) == 0 {
			continue
		}
		practices, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return err
		}
		towns := map[string]int{}
		for _, p := range practices {
			if p.City != "" {
				towns[p.City]++
			}
		}
		var places []string
		for t := range towns {
			places = append(places, t)
		}
		sort.Slice(places, func(i, j int) bool {
			if towns[places[i]] != towns[places[j]] {
				return towns[places[i]] > towns[places[j]]
			}
			return places[i] < places[j]
		})
		if len(places) > 7 {
			places = places[:7]
		}
		if len(places) == 0 {
			places = []string{"Regiokantoor"}
		}
		var groups []mtvp.Group
		for i, place := range places {
			g := mtvp.Group{RegionID: reg.ID, Year: year, Name: fmt.Sprintf("Intervisiegroep %s", place), FacilitatorID: facs[i%len(facs)].ID,
				Place: place, Weekday: 1 + (i*2)%5, Times: "19:00–21:30, om de zes weken", Capacity: 10 + 2*(i%3), Mixed: i == len(places)-1 && i > 0,
				YearPlan: "Zes bijeenkomsten rond regie op veelgebruikers, time-out bij verwijzen en het goede gesprek.\nElke deelnemer brengt een casus in; we werken volgens de incidentmethode."}
			if err := db.CreateGroup(ctx, a, &g); err != nil {
				return fmt.Errorf("demo: group %s: %w", g.Name, err)
			}
			groups = append(groups, g)
		}
		// The first group is small and popular: it gets a waiting list.
		groups[0].Capacity = 6
		if _, err := db.UpdateGroup(ctx, a, &groups[0]); err != nil {
			return err
		}
		// Sign up GPs practice by practice on 10 January: most take a place,
		// the last ones land on waiting lists.
		signUpOn := mtvp.NewDate(year, time.January, 10)
		for pi, p := range practices {
			staff, err := db.Staff(ctx, p.ID, false)
			if err != nil {
				return err
			}
			for si, s := range staff {
				if !s.ActiveOn(signUpOn) || !groups[0].AcceptsRole(s.Role, reg.Settings) || rng.IntN(10) < 4 {
					continue
				}
				g := groups[(pi+si)%len(groups)]
				if rng.IntN(4) == 0 {
					g = groups[0]
				}
				if _, err := db.SignUp(ctx, a, g.ID, p.ID, s.PersonID, signUpOn); err != nil && mtvp.ErrorCode(err) != mtvp.EINVALID {
					return fmt.Errorf("demo: sign-up: %w", err)
				}
			}
		}
		themes := []string{"Regie op veelgebruikers", "Time-out bij verwijzen", "Het goede gesprek", "Flexibele consultduur", "Samenwerken met het sociaal domein", "Terugblik en jaarverslag"}
		for _, g := range groups {
			members, err := db.GroupMembers(ctx, g.ID, false)
			if err != nil {
				return err
			}
			for i, theme := range themes {
				d := mtvp.NewDate(year, time.February, 3+g.Weekday).AddDays(42 * i)
				if d.Year() != year {
					break
				}
				m := mtvp.Meeting{GroupID: g.ID, Date: d, Start: "19:00", End: "21:30", Place: g.Place, Theme: theme}
				if d.AddDays(30).Before(today) {
					m.GAIASubmitted = d.AddDays(14)
				}
				if err := db.CreateMeeting(ctx, a, &m); err != nil {
					return fmt.Errorf("demo: meeting: %w", err)
				}
				if !d.Before(today) {
					continue
				}
				att := map[int64]mtvp.AttendanceStatus{}
				for _, mb := range members {
					if !mb.MemberOn(d) {
						continue
					}
					switch r := rng.IntN(10); {
					case r < 7:
						att[mb.ID] = mtvp.AttendPresent
					case r < 9:
						att[mb.ID] = mtvp.AttendExcused
					default:
						att[mb.ID] = mtvp.AttendAbsent
					}
				}
				if err := db.SetAttendance(ctx, a, m.ID, att); err != nil {
					return fmt.Errorf("demo: attendance: %w", err)
				}
			}
		}
	}
	return nil
}
