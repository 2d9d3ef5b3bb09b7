package mtvp

// Access policy of intervision. Web and API ask these and nothing else.
// A facilitator reaches only the groups they guide; a practice reaches the
// groups of its region but sees only its own people in them (other members
// appear as counts); funders see none of it (they get region figures on the
// accountability page).

// CanSeeIntervision: the region's "where is still room" overview (group,
// place, day, free places; no members); not for funders.
func (u *User) CanSeeIntervision(region int64) bool { return u.CanWorkInRegion(region) }

// CanManageGroups: create and change groups, move people between groups.
func (u *User) CanManageGroups(region int64) bool { return u.CanAdminRegion(region) }

// IsFacilitatorOf reports that u guides group g (with a facilitator grant
// in its region).
func (u *User) IsFacilitatorOf(g *Group) bool {
	return u != nil && g != nil && g.FacilitatorID == u.ID && u.hasRegionRole(g.RegionID, AccountFacilitator)
}

// CanSeeGroup: the group page (meetings, calendar link, own people). Region
// admins, the group's facilitator, consultants and practices of the region.
// Other facilitators and funders do not reach it.
func (u *User) CanSeeGroup(g *Group) bool {
	if u == nil || g == nil {
		return false
	}
	if u.CanAdminRegion(g.RegionID) || u.IsFacilitatorOf(g) {
		return true
	}
	return u.hasRegionRole(g.RegionID, AccountConsultant, AccountPractice)
}

// CanRunGroup: schedule meetings, record attendance, year plan and report,
// accreditation lists (names and BIG numbers of every member).
func (u *User) CanRunGroup(g *Group) bool {
	return g != nil && (u.CanAdminRegion(g.RegionID) || u.IsFacilitatorOf(g))
}

// CanSeeAllMembers: every member's name in the group.
func (u *User) CanSeeAllMembers(g *Group) bool { return u.CanRunGroup(g) }

// CanSeeGroupMember: one member's name, given the practice that signed them
// up. Besides those who run the group: the practice itself and its
// consultant.
func (u *User) CanSeeGroupMember(g *Group, p *Practice) bool {
	if u.CanSeeAllMembers(g) {
		return true
	}
	return p != nil && g != nil && p.RegionID == g.RegionID && u.CanSeePractice(p)
}

// CanSignUp: sign people of practice p up for a group, or take them off.
func (u *User) CanSignUp(p *Practice) bool { return u.CanEditStaff(p) }

// OnlyRoleInRegion reports that every grant u holds in the region is role
// (and there is at least one); platform admins never qualify. A login that
// is only a facilitator sees only its own groups in the overview; one that is
// only a funder sees no facilitator names.
func (u *User) OnlyRoleInRegion(region int64, role AccountRole) bool {
	if u == nil || u.IsPlatformAdmin() {
		return false
	}
	found := false
	for _, g := range u.Grants {
		if g.RegionID != region {
			continue
		}
		if g.Role != role {
			return false
		}
		found = true
	}
	return found
}

// CanReadYearDocs: the group's year plan and year report (text and files),
// read-only. Besides those who run the group: the practices whose people
// are members now (memberPractices: the practices of the active members).
func (u *User) CanReadYearDocs(g *Group, memberPractices []int64) bool {
	if u.CanRunGroup(g) {
		return true
	}
	if u == nil || g == nil {
		return false
	}
	for _, gr := range u.Grants {
		if gr.Role != AccountPractice || gr.RegionID != g.RegionID {
			continue
		}
		for _, p := range memberPractices {
			if p == gr.PracticeID {
				return true
			}
		}
	}
	return false
}

// MemberPractices lists the practices of a group's active members, each once.
func MemberPractices(members []GroupMember) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, m := range members {
		if m.Status == MemberActive && m.Left.IsZero() && !seen[m.PracticeID] {
			seen[m.PracticeID] = true
			out = append(out, m.PracticeID)
		}
	}
	return out
}

// IsFacilitatorIn reports a facilitator grant in the region.
func (u *User) IsFacilitatorIn(region int64) bool { return u.hasRegionRole(region, AccountFacilitator) }
