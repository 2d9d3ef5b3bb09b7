package web

import (
	"context"
	"net/http"
	"sort"

	"meertijd/internal/mail"
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
	Region         mtvp.Region
	Practices      int // all practices of the region
	StatusCounts   []statusCount
	ActivePatients int // registered patients of active practices
	ActiveGPFTE    float64
	Waves          []waveRow
	WaveTotal      waveRow
	Staff          []store.RoleTotal // current staff of active practices per role
	StaffTotal     store.RoleTotal
	StaffPeople    int // distinct people at active practices
	OwnPractices   []mtvp.Grant
	// News: the region's announcements for this login, not read yet.
	News            []mail.NewsletterItem
	CanList         bool
	CanAdmin        bool
	CanSeeRegioplan bool
	// The work sections (home_work.go), one per grant in the region; nil
	// when the login has no such grant.
	Year         int
	Today        mtvp.Date
	Setup        []setupStep
	Manager      *managerWork
	Consultant   *consultantWork
	PracticeWork []*practiceWork
	Facilitator  *facilitatorWork
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
	today := s.today()
	d := regionHomeData{
		Region:          reg,
		CanList:         u.CanListPractices(reg.ID),
		CanAdmin:        u.CanAdminRegion(reg.ID),
		CanSeeRegioplan: u.CanSeeRegioplan(reg.ID),
		Year:            today.Year(),
		Today:           today,
	}
	for _, g := range u.Grants {
		if g.Role == mtvp.AccountPractice && g.RegionID == reg.ID {
			d.OwnPractices = append(d.OwnPractices, g)
		}
	}
	if err := s.homeWork(ctx, r, reg, &d); err != nil {
		return err
	}
	if d.News, err = s.homeNews(r, reg); err != nil {
		return err
	}
	if d.CanList {
		if err := s.regionFigures(ctx, reg, &d); err != nil {
			return err
		}
	}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "region"
	return s.render(w, r, http.StatusOK, "region_home", v)
}

// homeWork fills the work sections of the login's grants in the region.
func (s *Server) homeWork(ctx context.Context, r *http.Request, reg mtvp.Region, d *regionHomeData) error {
	u := currentUser(r)
	lang := s.lang(r)
	consultant := u.IsConsultantIn(reg.ID)
	if !d.CanAdmin && !consultant && len(d.OwnPractices) == 0 && !u.IsFacilitatorIn(reg.ID) {
		return nil
	}
	if d.CanAdmin {
		n, err := s.db.CountPractices(ctx, reg.ID)
		if err != nil {
			return err
		}
		if d.Setup, err = s.setupSteps(ctx, reg, n, d.Year); err != nil {
			return err
		}
		if n == 0 {
			return nil // a new region: the checklist is the work
		}
	}
	var rs *store.RegionStandings
	if d.CanAdmin || consultant || len(d.OwnPractices) > 0 {
		counter, err := s.regionChange(ctx, reg.ID)
		if err != nil {
			return err
		}
		if rs, err = s.db.RegionStandingsAt(ctx, reg.ID, d.Year, mtvp.ReferenceDate(d.Year, d.Today), counter); err != nil {
			return err
		}
	}
	var err error
	if d.CanAdmin {
		if d.Manager, err = s.managerWork(ctx, lang, reg, rs, d.Today); err != nil {
			return err
		}
	}
	if consultant {
		if d.Consultant, err = s.consultantWork(ctx, lang, reg, rs, u, d.Today); err != nil {
			return err
		}
	}
	for _, g := range d.OwnPractices {
		pw, err := s.practiceWork(ctx, lang, reg, rs, g, d.Today)
		if err != nil {
			return err
		}
		d.PracticeWork = append(d.PracticeWork, pw)
	}
	if u.IsFacilitatorIn(reg.ID) {
		if d.Facilitator, err = s.facilitatorWork(ctx, reg, u, d.Today); err != nil {
			return err
		}
	}
	return nil
}

// regionFigures fills the region's figures: aggregates over the whole
// region, not limited to the viewer's own practices, and no row is shown.
func (s *Server) regionFigures(ctx context.Context, reg mtvp.Region, d *regionHomeData) error {
	all, err := s.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
	if err != nil {
		return err
	}
	d.Practices = len(all)
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
	staff, err := s.db.StaffTotals(ctx, reg.ID, d.Today)
	if err != nil {
		return err
	}
	d.Staff, d.StaffTotal, d.StaffPeople = staff.Roles, staff.Total, staff.Total.People
	return nil
}
