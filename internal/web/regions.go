package web

import (
	"net/http"
	"net/url"
	"strings"

	"meertijd/internal/mtvp"
)

// regioplanRoutes: the platform's regions, each region's regioplan,
// settings and history.
func (s *Server) regioplanRoutes() []route {
	const rp = "/regio/{region}/regioplan"
	return []route{
		{"GET /regios", signedIn, s.getRegions},
		{"GET /regios/nieuw", signedIn, s.getNewRegion},
		{"POST /regios", signedIn, s.postNewRegion},
		{"GET " + rp, signedIn, s.getRegioplanCurrent},
		{"GET " + rp + "/{year}", signedIn, s.getRegioplan},
		{"GET " + rp + "/{year}/bewerken", signedIn, s.getEditRegioplan},
		{"POST " + rp + "/{year}", signedIn, s.postRegioplan},
		{"POST " + rp + "/{year}/kopie", signedIn, s.postCopyRegioplan},
		{"GET /regio/{region}/instellingen", signedIn, s.getRegionSettings},
		{"POST /regio/{region}/instellingen", signedIn, s.postRegionSettings},
		{"GET /regio/{region}/historie", signedIn, s.getRegionHistory},
	}
}

// ---- Regions (platform admins) ----

type admRegionRow struct {
	Region    mtvp.Region
	Practices int
	Active    int
}

type admRegionsData struct {
	Rows []admRegionRow
}

func (s *Server) getRegions(w http.ResponseWriter, r *http.Request) error {
	if err := admPlatformOnly(r); err != nil {
		return err
	}
	ctx := r.Context()
	regions, err := s.db.ListRegions(ctx)
	if err != nil {
		return err
	}
	d := admRegionsData{}
	for _, reg := range regions {
		ps, err := s.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: reg.ID})
		if err != nil {
			return err
		}
		row := admRegionRow{Region: reg, Practices: len(ps)}
		for _, p := range ps {
			if p.Status == mtvp.PracticeActive {
				row.Active++
			}
		}
		d.Rows = append(d.Rows, row)
	}
	v := s.newView(r, d)
	v.Nav = "regions"
	return s.render(w, r, http.StatusOK, "admin_regions", v)
}

// admRegionForm is what the user typed in the new-region form.
type admRegionForm struct {
	Code, Name, Insurers, ProgrammeStart string
}

func (s *Server) getNewRegion(w http.ResponseWriter, r *http.Request) error {
	if err := admPlatformOnly(r); err != nil {
		return err
	}
	v := s.newView(r, admRegionForm{ProgrammeStart: admToday(s)})
	v.Nav = "regions"
	return s.render(w, r, http.StatusOK, "admin_region_new", v)
}

func admToday(s *Server) string {
	return admDateInput(mtvp.DateOf(s.cfg.Now()))
}

// postNewRegion creates a region with the default norm settings and sends
// the platform admin on to create its first region admin.
func (s *Server) postNewRegion(w http.ResponseWriter, r *http.Request) error {
	if err := admPlatformOnly(r); err != nil {
		return err
	}
	ctx := r.Context()
	f := admRegionForm{
		Code:           strings.TrimSpace(r.PostFormValue("code")),
		Name:           strings.TrimSpace(r.PostFormValue("name")),
		Insurers:       strings.TrimSpace(r.PostFormValue("insurers")),
		ProgrammeStart: strings.TrimSpace(r.PostFormValue("programme_start")),
	}
	errs := mtvp.FieldErrors{}
	reg := mtvp.Region{
		Code:           f.Code,
		Name:           f.Name,
		Insurers:       admSplitComma(f.Insurers),
		ProgrammeStart: formDate(r, "programme_start", errs),
		Settings:       mtvp.DefaultNormSettings(),
	}
	reg.Normalize()
	if reg.ProgrammeStart.IsZero() {
		errs.Add("programme_start", "err.required")
	}
	mergeErrors(errs, reg.Validate())
	if len(errs) == 0 {
		if _, err := s.db.RegionByCode(ctx, reg.Code); err == nil {
			errs.Add("code", "admin.region.code_taken")
		} else if mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
			return err
		}
	}
	if len(errs) == 0 {
		err := s.db.CreateRegion(ctx, actorOf(currentUser(r)), &reg)
		switch {
		case err == nil:
		case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
			errs.Add("code", "admin.region.code_taken")
		case !mergeErrors(errs, err):
			return err
		}
	}
	if len(errs) > 0 {
		v := s.newView(r, f)
		v.Nav = "regions"
		v.Errors = errs
		return s.render(w, r, http.StatusUnprocessableEntity, "admin_region_new", v)
	}
	s.flash(r, "admin.region.created")
	http.Redirect(w, r, admRegionURL(reg)+"/accounts/nieuw?rol="+url.QueryEscape(string(mtvp.AccountRegionAdmin)), http.StatusSeeOther)
	return nil
}
