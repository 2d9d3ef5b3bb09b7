package web

import (
	"net/http"
	"net/url"

	"meertijd/internal/mtvp"
)

// getHome sends each login to where its work is: platform admins to the
// regions, funders to the region's accountability page, everyone else to
// the region's home page, which shows one work section per grant there
// (region_home.go). A login in several regions goes to the region where it
// is programme manager, else consultant, else the first.
func (s *Server) getHome(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if u.IsPlatformAdmin() {
		http.Redirect(w, r, "/regios", http.StatusSeeOther)
		return nil
	}
	rank := map[mtvp.AccountRole]int{mtvp.AccountRegionAdmin: 0, mtvp.AccountConsultant: 1, mtvp.AccountPractice: 2, mtvp.AccountFacilitator: 3, mtvp.AccountFunder: 4}
	var best *mtvp.Grant
	for i, g := range u.Grants {
		if g.RegionCode == "" {
			continue
		}
		if best == nil || rank[g.Role] < rank[best.Role] {
			best = &u.Grants[i]
		}
	}
	if best == nil {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "no grants")
	}
	target := "/regio/" + url.PathEscape(best.RegionCode)
	if u.OnlyFunderIn(best.RegionID) {
		target += "/verantwoording"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
