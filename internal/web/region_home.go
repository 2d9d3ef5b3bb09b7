package web

import (
	"net/http"
	"sort"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// regionRoutes: the region's home page.
func (s *Server) regionRoutes() []route {
	return []route{
		{"GET /regio/{region}", signedIn, s.getRegionHome},
	}
}

// regionHomeData holds figures only: the page is shown to every role of the
// region, funders included, so it never names a practice or a person.
type regionHomeData struct {
	Region          mtvp.Region
	Practices       int // all practices of the region
	StatusCounts    []statusCount
	ActivePatients  int // registered patients of active practices
	ActiveGPFTE     float64
	Waves           []waveRow
	WaveTotal       waveRow
	Staff           []store.RoleTotal // current staff of active practices per role
	StaffTotal      store.RoleTotal
	StaffPeople     int // distinct people at active practices
	OwnPractices    []mtvp.Grant
	CanList         bool
	CanAdmin        bool
	CanSeeRegioplan bool
}

type statusCount struct {
	Status mtvp.PracticeStatus
	Count  int
}

// waveRow is the inflow of one wave (quarter): practices that started in it.
type waveRow struct {
	Wave       string
	Practices  int
	Patients   int
	Cumulative int // practices started up to and including this wave
}

func (s *Server) getRegionHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	reg, err := s.regionFor(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	if u.OnlyFunderIn(reg.ID) {
		// Funders see suppressed figures only (issue 7): their page.
		http.Redirect(w, r, funderURL(reg), http.StatusSeeOther)
		return nil
	}
	// Aggregates over the whole region: the figures are not limited to the
	// viewer's own practices, and no row is shown.
	all, err := s.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return err
	}
	d := regionHomeData{
		Region:          reg,
		Practices:       len(all),
		CanList:         u.CanListPractices(reg.ID),
		CanAdmin:        u.CanAdminRegion(reg.ID),
		CanSeeRegioplan: u.CanSeeRegioplan(reg.ID),
	}
	for _, g := range u.Grants {
		if g.Role == mtvp.AccountPractice && g.RegionID == reg.ID {
			d.OwnPractices = append(d.OwnPractices, g)
		}
	}
	byStatus := map[mtvp.PracticeStatus]int{}
	waves := map[string]*waveRow{}
	for _, p := range all {
		byStatus[p.Status]++
		if p.Status != mtvp.PracticeInterested && p.InflowWave != "" {
			wr := waves[p.InflowWave]
			if wr == nil {
				wr = &waveRow{Wave: p.InflowWave}
				waves[p.InflowWave] = wr
			}
			wr.Practices++
			wr.Patients += p.RegisteredPatients
		}
		if p.Status != mtvp.PracticeActive {
			continue
		}
		d.ActivePatients += p.RegisteredPatients
		d.ActiveGPFTE += p.GPFTE
	}
	for _, st := range mtvp.PracticeStatuses {
		d.StatusCounts = append(d.StatusCounts, statusCount{Status: st, Count: byStatus[st]})
	}
	for _, wr := range waves {
		d.Waves = append(d.Waves, *wr)
	}
	sort.Slice(d.Waves, func(i, j int) bool { return d.Waves[i].Wave < d.Waves[j].Wave })
	for i := range d.Waves {
		d.WaveTotal.Practices += d.Waves[i].Practices
		d.WaveTotal.Patients += d.Waves[i].Patients
		d.Waves[i].Cumulative = d.WaveTotal.Practices
	}
	// The staff of the active practices, counted by the database in one
	// query (not one query per practice).
	staff, err := s.db.StaffTotals(ctx, reg.ID, mtvp.DateOf(s.cfg.Now()))
	if err != nil {
		return err
	}
	d.Staff, d.StaffTotal, d.StaffPeople = staff.Roles, staff.Total, staff.Total.People
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "region"
	return s.render(w, r, http.StatusOK, "region_home", v)
}
