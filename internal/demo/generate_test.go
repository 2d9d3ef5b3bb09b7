package demo

import (
	"testing"
	"time"

	"meertijd/internal/mtvp"
)

// The generator keeps its promises on any reference day: early in a
// programme, before it, and years later. Every record passes the domain's
// validation, no date lies after the reference day, and no inflow wave
// exceeds the region's quota.
func TestGenerateInvariants(t *testing.T) {
	for _, day := range []string{"2023-06-15", "2024-01-05", "2024-02-29", "2025-07-01", "2026-11-22", "2031-12-31"} {
		t.Run(day, func(t *testing.T) {
			today := mtvp.MustDate(day)
			ds := generate(today)
			for _, rd := range ds.regions {
				r := rd.region
				r.Normalize()
				if err := r.Validate(); err != nil {
					t.Errorf("%s: %v", r.Code, err)
				}
				if len(rd.plans) == 0 {
					t.Errorf("%s: no regioplan", r.Code)
				}
				for _, p := range rd.plans {
					if err := p.Validate(); err != nil {
						t.Errorf("%s %d: %v", r.Code, p.Year, err)
					}
				}
				quota := len(rd.practices)
				if q := r.Settings.InflowQuotaPercent; q > 0 {
					quota = len(rd.practices) * q / 100
				}
				waves := map[string]int{}
				for _, pd := range rd.practices {
					p := pd.p
					p.Normalize()
					if err := p.Validate(); err != nil {
						t.Errorf("%s: %v", p.Name, err)
					}
					if p.JoinedOn.After(today) || (!p.JoinedOn.IsZero() && p.JoinedOn.Before(rd.spec.programmeStart)) {
						t.Errorf("%s: joined %s", p.Name, p.JoinedOn)
					}
					if !p.JoinedOn.IsZero() {
						waves[p.InflowWave]++
					}
					if g := gpFTE(pd); g > maxGPFTE(pd.size) || (pd.size != "solo" && g <= maxGPFTE(map[string]string{"duo": "solo", "groep": "duo"}[pd.size])) {
						t.Errorf("%s: %.1f GP FTE for a %s practice", p.Name, g, pd.size)
					}
					for _, s := range pd.staff {
						person, m := s.person.p, s.m
						if err := mtvp.ValidateStaff(&person, &m); err != nil {
							t.Errorf("%s, %s: %v", p.Name, person.Name, err)
						}
						if m.From.After(today) || m.To.After(today) {
							t.Errorf("%s, %s: %s – %s after %s", p.Name, person.Name, m.From, m.To, today)
						}
					}
				}
				for w, n := range waves {
					if n > quota {
						t.Errorf("%s: %d practices in wave %s, quota %d", r.Code, n, w, quota)
					}
				}
			}
			for _, u := range ds.users {
				if !mtvp.IsDemoEmail(u.u.Email) || len(u.grants) == 0 {
					t.Errorf("user %s: %d grants", u.u.Email, len(u.grants))
				}
			}
		})
	}
}

// Same reference day, same data; the people and practices do not depend
// on the day (only dates and statuses do).
func TestGenerateDeterministic(t *testing.T) {
	a := generate(mtvp.DateOf(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)))
	b := generate(mtvp.DateOf(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)))
	c := generate(mtvp.DateOf(time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)))
	for i := range a.regions {
		for j, p := range a.regions[i].practices {
			q, r := b.regions[i].practices[j], c.regions[i].practices[j]
			if p.p != q.p || len(p.staff) != len(q.staff) {
				t.Fatalf("practice %d of region %d differs between runs", j, i)
			}
			if p.p.Name != r.p.Name || p.p.AGB != r.p.AGB || len(p.staff) != len(r.staff) {
				t.Errorf("practice %s/%s differs with another reference day", p.p.Name, r.p.Name)
			}
		}
	}
}
