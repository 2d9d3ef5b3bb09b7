package mtvp

// Access policy of the training menu, built on the foundation's rules.

// CanSeeTrainingMenu: every role inside the region reads the menu and its
// sessions (places free, not who signed up).
func (u *User) CanSeeTrainingMenu(region int64) bool { return u.CanSeeRegion(region) }

// CanEditTrainingMenu: trainings, themes and sessions are the programme
// manager's.
func (u *User) CanEditTrainingMenu(region int64) bool { return u.CanAdminRegion(region) }

// CanSeeSessionPeople: the session's sign-ups and waiting list with names
// (all practices): the region only.
func (u *User) CanSeeSessionPeople(region int64) bool { return u.CanAdminRegion(region) }

// CanRecordCompletions: the region records who completed a session (on
// behalf of the provider, from the attendance list).
func (u *User) CanRecordCompletions(region int64) bool { return u.CanAdminRegion(region) }

// CanEnrol: a practice signs up its own staff; the region may do it for
// them.
func (u *User) CanEnrol(p *Practice) bool { return u.CanEditStaff(p) }

// CanSeePracticeTraining: the practice's training page (its people); the
// same people who see the practice.
func (u *User) CanSeePracticeTraining(p *Practice) bool { return u.CanSeePractice(p) }

// CanSubmitClaim: the practice submits prior-learning claims for its own
// people (the region may enter one for it).
func (u *User) CanSubmitClaim(p *Practice) bool { return u.CanEditStaff(p) }

// CanDecideClaim: the practice's own consultant approves or rejects; a
// region admin only when the practice has no consultant.
func (u *User) CanDecideClaim(p *Practice) bool {
	if u == nil || p == nil {
		return false
	}
	if p.ConsultantID != 0 {
		return p.ConsultantID == u.ID && u.hasRegionRole(p.RegionID, AccountConsultant, AccountRegionAdmin)
	}
	return u.CanAdminRegion(p.RegionID)
}

// CanSeeClaimQueue: consultants (their own practices) and region admins.
func (u *User) CanSeeClaimQueue(region int64) bool {
	return u.CanAdminRegion(region) || u.hasRegionRole(region, AccountConsultant)
}

// CanSeeParticipation: the region's participation lists with names; a
// funder only where the region shares them.
func (u *User) CanSeeParticipation(r *Region) bool {
	if u == nil || r == nil {
		return false
	}
	if u.CanAdminRegion(r.ID) {
		return true
	}
	return r.ShareParticipation && u.hasRegionRole(r.ID, AccountFunder)
}
