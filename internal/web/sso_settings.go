package web

import (
	"net/http"
	"strconv"
	"strings"

	"meertijd/internal/auth"
	"meertijd/internal/mtvp"
)

// A region's single sign-on settings (issue 17 §1): its OpenID Connect
// provider, the allowed e-mail domains and the client secret (stored
// encrypted with the secret key, never shown again).

type ssoForm struct {
	Version      int
	Name         string
	Issuer       string
	ClientID     string
	Domains      string
	Enabled      bool
	HasSecret    bool
	RemoveSecret bool
}

type ssoSettingsData struct {
	Region      mtvp.Region
	Form        ssoForm
	Action      string
	RedirectURL string // to register at the provider
}

func ssoFormOf(p mtvp.SSOProvider) ssoForm {
	return ssoForm{Version: p.Version, Name: p.Name, Issuer: p.Issuer, ClientID: p.ClientID, Domains: strings.Join(p.Domains, ", "),
		Enabled: p.Enabled, HasSecret: p.HasSecret}
}

func (s *Server) renderSSOSettings(w http.ResponseWriter, r *http.Request, status int, reg mtvp.Region, f ssoForm, errs mtvp.FieldErrors, errKey string) error {
	key := mtvp.SSOProvider{RegionID: reg.ID, RegionCode: reg.Code}.Key()
	d := ssoSettingsData{Region: reg, Form: f, Action: admRegionURL(reg) + "/instellingen/sso",
		RedirectURL: s.cfg.BaseURL + "/inloggen/sso/" + key + "/terug"}
	v := s.newView(r, d)
	v.Region = &reg
	v.Nav = "settings"
	v.Errors = errs
	v.ErrorKey = errKey
	return s.render(w, r, status, "sso_settings", v)
}

// ssoStored is the region's provider; a region without one gets an empty
// form (version 0) with a name to start from.
func (s *Server) ssoStored(r *http.Request, reg mtvp.Region) (mtvp.SSOProvider, error) {
	p, _, err := s.db.SSOProviderOfRegion(r.Context(), reg.ID)
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		return mtvp.SSOProvider{RegionID: reg.ID, RegionCode: reg.Code, Name: "Microsoft", Enabled: true}, nil
	}
	return p, err
}

func (s *Server) getSSOSettings(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	p, err := s.ssoStored(r, reg)
	if err != nil {
		return err
	}
	return s.renderSSOSettings(w, r, http.StatusOK, reg, ssoFormOf(p), nil, "")
}

func (s *Server) postSSOSettings(w http.ResponseWriter, r *http.Request) error {
	reg, err := s.adminRegionFor(r)
	if err != nil {
		return err
	}
	stored, err := s.ssoStored(r, reg)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	f := ssoForm{Version: version, Name: r.PostFormValue("name"), Issuer: r.PostFormValue("issuer"), ClientID: r.PostFormValue("client_id"),
		Domains: r.PostFormValue("domains"), Enabled: r.PostFormValue("enabled") != "", HasSecret: stored.HasSecret,
		RemoveSecret: r.PostFormValue("remove_secret") != ""}
	if f.Version != stored.Version {
		f.Version = stored.Version
		return s.renderSSOSettings(w, r, http.StatusConflict, reg, f, nil, "admin.settings.conflict")
	}
	p := mtvp.SSOProvider{RegionID: reg.ID, RegionCode: reg.Code, Name: f.Name, Issuer: f.Issuer, ClientID: f.ClientID,
		Domains: mtvp.ParseDomains(f.Domains), Enabled: f.Enabled, Version: f.Version}
	var secret []byte // nil: keep
	if plain := strings.TrimSpace(r.PostFormValue("client_secret")); plain != "" {
		if secret, err = auth.Encrypt(s.cfg.SecretKey, []byte(plain)); err != nil {
			return err
		}
	} else if f.RemoveSecret {
		secret = []byte{}
	}
	err = s.db.SaveSSOProvider(r.Context(), actorOf(currentUser(r)), &p, secret)
	errs := mtvp.FieldErrors{}
	switch {
	case err == nil:
	case mtvp.ErrorCode(err) == mtvp.ECONFLICT:
		return s.renderSSOSettings(w, r, http.StatusConflict, reg, f, nil, "admin.settings.conflict")
	case mergeErrors(errs, err):
		return s.renderSSOSettings(w, r, http.StatusUnprocessableEntity, reg, f, errs, "")
	default:
		return err
	}
	s.flash(r, "sso.saved")
	http.Redirect(w, r, admRegionURL(reg)+"/instellingen/sso", http.StatusSeeOther)
	return nil
}
