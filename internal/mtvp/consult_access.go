package mtvp

// CanSeeConsultDuration: a practice's consult-duration page, its weekly
// figures and uploading its agenda export: the practice itself, its own
// consultant and the region's admins (issue 15 §5). Funders never see
// practice figures.
func (u *User) CanSeeConsultDuration(p *Practice) bool {
	return u.CanManageVisits(p) || u.isPracticeLogin(p)
}
