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
// a region that already has groups this year. Everything is written in one
// transaction (store.BulkIntervision).
func LoadIntervision(ctx context.Context, db *store.DB, now time.Time) error {
	today := mtvp.DateOf(now)
	regions, err := readRegions(ctx, db, today)
	if err != nil {
		return err
	}
	b := &store.IntervisionBatch{}
	for ri, in := range regions {
		existing, err := db.ListGroups(ctx, mtvp.GroupFilter{RegionID: in.reg.ID, Year: today.Year()})
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			return fmt.Errorf("demo: region %s already has intervision groups in %d", in.reg.Code, today.Year())
		}
		buildIntervision(b, in, now, rand.New(rand.NewPCG(uint64(ri)+4, 2026)), 7)
	}
	if err := db.BulkIntervision(ctx, mtvp.SystemActor, b); err != nil {
		return fmt.Errorf("demo: intervision: %w", err)
	}
	return nil
}

// intervisionThemes are the themes of a year's six meetings.
var intervisionThemes = []string{"Regie op veelgebruikers", "Time-out bij verwijzen", "Het goede gesprek", "Flexibele consultduur",
	"Samenwerken met het sociaal domein", "Terugblik en jaarverslag"}

// buildIntervision adds a region's groups of the current year to b:
// maxGroups groups in its largest towns (more than one in a town when
// there are fewer towns), led by its facilitators in
// turn; GPs sign up on 10 January (about six in ten; the first, small
// group gets a waiting list); six meetings from February, attendance for
// those held. A region without facilitators gets nothing.
func buildIntervision(b *store.IntervisionBatch, in *regionInput, now time.Time, rng *rand.Rand, maxGroups int) {
	today := mtvp.DateOf(now)
	year := today.Year()
	if len(in.facilitators) == 0 {
		return
	}
	towns := map[string]int{}
	for _, p := range in.practices {
		if p.p.City != "" {
			towns[p.p.City]++
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
	if len(places) == 0 {
		places = []string{"Regiokantoor"}
	}
	// Fewer towns than groups: the larger towns get a second group.
	for i := 0; len(places) < maxGroups; i++ {
		places = append(places, places[i])
	}
	places = places[:maxGroups]
	var groups []*mtvp.Group
	names := map[string]int{}
	for i, place := range places {
		name := "Intervisiegroep " + place
		if names[name]++; names[name] > 1 {
			name = fmt.Sprintf("%s %d", name, names[name])
		}
		g := &mtvp.Group{RegionID: in.reg.ID, Year: year, Name: name, FacilitatorID: in.facilitators[i%len(in.facilitators)].ID,
			Place: place, Weekday: 1 + (i*2)%5, Times: "19:00–21:30, om de zes weken", Capacity: 10 + 2*(i%3), Mixed: i == len(places)-1 && i > 0,
			YearPlan: "Zes bijeenkomsten rond regie op veelgebruikers, time-out bij verwijzen en het goede gesprek.\nElke deelnemer brengt een casus in; we werken volgens de incidentmethode."}
		groups = append(groups, g)
	}
	// The first group is small and popular: it gets a waiting list.
	groups[0].Capacity = 6
	b.Groups = append(b.Groups, groups...)

	// Sign up GPs practice by practice on 10 January: most take a place,
	// the last ones land on waiting lists.
	signUpOn := mtvp.NewDate(year, time.January, 10)
	signUpAt := signUpOn.Time().Add(9 * time.Hour)
	if !signUpAt.Before(now) {
		signUpAt = now.Add(-time.Hour)
	}
	placed := map[*mtvp.Group]int{}
	taken := map[[2]int64]bool{} // group index, person
	members := map[*mtvp.Group][]*store.MemberRow{}
	n := 0
	skip := 4 // of ten GPs do not sign up
	if in.advanced {
		skip = 2
	}
	for pi, p := range in.practices {
		for si, s := range p.staff {
			if !s.ActiveOn(signUpOn) || !groups[0].AcceptsRole(s.Role, in.reg.Settings) || rng.IntN(10) < skip {
				continue
			}
			gi := (pi + si) % len(groups)
			if rng.IntN(4) == 0 {
				gi = 0
			}
			g := groups[gi]
			if taken[[2]int64{int64(gi), s.PersonID}] {
				continue // a locum signed up by their other practice
			}
			taken[[2]int64{int64(gi), s.PersonID}] = true
			m := mtvp.GroupMember{PersonID: s.PersonID, PracticeID: p.p.ID, Role: s.Role, Status: mtvp.MemberWaiting,
				SignedUp: signUpAt.Add(time.Duration(n) * time.Second), PersonName: s.Person.Name, PracticeName: p.p.Name}
			n++
			if placed[g] < g.Capacity {
				placed[g]++
				m.Status, m.Joined = mtvp.MemberActive, signUpOn
			}
			r := &store.MemberRow{Group: g, Member: m}
			b.Members = append(b.Members, r)
			members[g] = append(members[g], r)
		}
	}
	for n, g := range groups {
		for i, theme := range intervisionThemes {
			d := mtvp.NewDate(year, time.February, 3+g.Weekday).AddDays(42 * i)
			if d.Year() != year {
				break
			}
			mr := &store.MeetingRow{Group: g, Meeting: mtvp.Meeting{Date: d, Start: "19:00", End: "21:30", Place: g.Place, Theme: theme}}
			// Submitted to GAIA two weeks after a meeting; in every second
			// group the year's last meeting is still waiting for it, so
			// the facilitator's home shows work to do.
			lastOfYear := i == len(intervisionThemes)-1 || d.AddDays(42).Year() != year
			if d.AddDays(30).Before(today) && !(lastOfYear && n%2 == 1) {
				mr.Meeting.GAIASubmitted = d.AddDays(14)
			}
			b.Meetings = append(b.Meetings, mr)
			if !d.Before(today) {
				continue
			}
			for _, r := range members[g] {
				if !r.Member.MemberOn(d) {
					continue
				}
				st := mtvp.AttendAbsent
				switch x := rng.IntN(10); {
				case x < 7:
					st = mtvp.AttendPresent
				case x < 9:
					st = mtvp.AttendExcused
				}
				b.Attendance = append(b.Attendance, store.AttendanceRow{Meeting: mr, Member: r, Status: st})
			}
		}
	}
}
