package mtvp

// Access policy of the plan van aanpak, built on the foundation's rules.

// CanSeePlan: the practice itself, its own consultant and the region (the
// same people who see the practice); funders and other practices never.
func (u *User) CanSeePlan(p *Practice) bool { return u.CanSeePractice(p) }

// CanEditPlan: write the text and move the plan through the workflow: the
// practice (its practice grant) and region admins. The consultant reads and
// comments but never edits.
func (u *User) CanEditPlan(p *Practice) bool { return u.CanEditStaff(p) }

// CanCommentPlan: everyone who sees the plan takes part in the comment
// threads (the consultant asks, the practice answers).
func (u *User) CanCommentPlan(p *Practice) bool { return u.CanSeePlan(p) }

// CanListPlans: the region's plan overview (consultants see their own
// practices in it, like the practice overview).
func (u *User) CanListPlans(region int64) bool { return u.CanListPractices(region) }
