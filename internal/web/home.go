package web

import (
	"fmt"
	"net/http"

	"meertijd/internal/mtvp"
)

// getHome sends each login to where its work is: platform admins to the
// regions, region staff to the practice overview, a practice to its page,
// facilitators to the region page, funders to its accountability page.
func (s *Server) getHome(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if u.IsPlatformAdmin() {
		http.Redirect(w, r, "/regios", http.StatusSeeOther)
		return nil
	}
	target := ""
	for _, g := range u.Grants {
		code := g.RegionCode
		switch g.Role {
		case mtvp.AccountRegionAdmin, mtvp.AccountConsultant:
			target = "/regio/" + code + "/praktijken"
		case mtvp.AccountFunder:
			if target == "" {
				target = "/regio/" + code + "/verantwoording"
			}
		case mtvp.AccountPractice:
			if target == "" {
				target = fmt.Sprintf("/regio/%s/praktijken/%d", code, g.PracticeID)
			}
		default:
			if target == "" {
				target = "/regio/" + code
			}
		}
		if g.Role == mtvp.AccountRegionAdmin {
			break
		}
	}
	if target == "" {
		return mtvp.Errorf(mtvp.EFORBIDDEN, "no grants")
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}
