package web

import (
	"net/http"
	"strconv"

	"meertijd/internal/mtvp"
)

// The authentication log (issue 11): sign-ins, failures, lockouts,
// recovery-code use and API tokens, with time, address and outcome.
// Region admins see the events of their region's logins; platform admins
// see every event, also those of addresses that match no login.

func (s *Server) authLogRoutes() []route {
	return []route{
		{"GET /regio/{region}/inlogactiviteit", signedIn, s.getRegionAuthLog},
		{"GET /beheer/inlogactiviteit", signedIn, s.getPlatformAuthLog},
	}
}

type authLogRow struct {
	At      mtvp.AuditEntry
	Email   string
	IP      string
	Detail  string
	Outcome string // i18n key of the action
}

type authLogData struct {
	Region *mtvp.Region
	Rows   []authLogRow
	Limit  int
	More   string
}

func (s *Server) getRegionAuthLog(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	return s.renderAuthLog(w, r, &reg, admRegionURL(reg)+"/inlogactiviteit")
}

func (s *Server) getPlatformAuthLog(w http.ResponseWriter, r *http.Request) error {
	if err := admPlatformOnly(r); err != nil {
		return err
	}
	return s.renderAuthLog(w, r, nil, "/beheer/inlogactiviteit")
}

func (s *Server) renderAuthLog(w http.ResponseWriter, r *http.Request, reg *mtvp.Region, base string) error {
	limit := rhPage
	if n, err := strconv.Atoi(r.URL.Query().Get("aantal")); err == nil && n > 0 {
		limit = min(n, rhMax)
	}
	var regionID int64
	if reg != nil {
		regionID = reg.ID
	}
	entries, err := s.db.AuthEvents(r.Context(), regionID, limit)
	if err != nil {
		return err
	}
	d := authLogData{Region: reg, Limit: limit}
	for _, e := range entries {
		row := authLogRow{At: e, Outcome: "authlog.action." + e.Action}
		for _, c := range e.Changes {
			switch c.Field {
			case "Email":
				row.Email = c.New
			case "IP":
				row.IP = c.New
			case "Detail":
				row.Detail = c.New
			}
		}
		d.Rows = append(d.Rows, row)
	}
	if len(entries) >= limit && limit < rhMax {
		d.More = base + "?aantal=" + strconv.Itoa(min(limit+rhPage, rhMax))
	}
	v := s.newView(r, d)
	v.Region = reg
	v.Nav = "authlog"
	return s.render(w, r, http.StatusOK, "auth_log", v)
}
