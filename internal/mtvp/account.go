package mtvp

import (
	"strconv"
	"strings"
	"time"
)

// AccountRole is what a login may do, within the scope of a grant.
type AccountRole string

const (
	AccountPlatformAdmin AccountRole = "platform-admin" // hosts regions; scope: everything
	AccountRegionAdmin   AccountRole = "region-admin"   // programme manager; scope: a region
	AccountConsultant    AccountRole = "consultant"     // consulent; scope: a region, sees own practices
	AccountPractice      AccountRole = "practice"       // scope: a region and one practice
	AccountFacilitator   AccountRole = "facilitator"    // EKC; scope: a region, own groups
	AccountFunder        AccountRole = "funder"         // insurer; scope: a region, aggregates only
)

// AccountRoles in display order.
var AccountRoles = []AccountRole{AccountPlatformAdmin, AccountRegionAdmin, AccountConsultant, AccountPractice, AccountFacilitator, AccountFunder}

func (r AccountRole) Valid() bool {
	for _, x := range AccountRoles {
		if x == r {
			return true
		}
	}
	return false
}

// RequiresTOTP: these roles see many practices' data and must use a second
// factor.
func (r AccountRole) RequiresTOTP() bool {
	switch r {
	case AccountPlatformAdmin, AccountRegionAdmin, AccountConsultant, AccountFunder:
		return true
	}
	return false
}

// Grant is one role with its scope. RegionID is 0 only for platform-admin;
// PracticeID is set only for the practice role.
type Grant struct {
	ID         int64
	Role       AccountRole
	RegionID   int64
	PracticeID int64
	// RegionCode and PracticeName are filled when read, for display.
	RegionCode   string
	PracticeName string
}

// Validate checks a grant's scope matches its role.
func (g Grant) Validate() error {
	f := FieldErrors{}
	switch {
	case !g.Role.Valid():
		f.Add("role", "err.account_role_unknown")
	case g.Role == AccountPlatformAdmin:
		if g.RegionID != 0 || g.PracticeID != 0 {
			f.Add("region", "err.grant_scope")
		}
	case g.RegionID == 0:
		f.Add("region", "err.required")
	case g.Role == AccountPractice && g.PracticeID == 0:
		f.Add("practice", "err.required")
	case g.Role != AccountPractice && g.PracticeID != 0:
		f.Add("practice", "err.grant_scope")
	}
	return f.Err()
}

// User is a login. What it may see is the union of its grants.
type User struct {
	ID          int64
	Email       string
	Name        string
	Locale      string // "nl" or "en"
	TOTPEnabled bool
	Disabled    bool
	Grants      []Grant
	Version     int
	CreatedAt   time.Time
	LastLoginAt time.Time
	// SessionEpoch is raised by a password change or reset, a reset of
	// the second factor and disabling the login: a session signed in under
	// an older epoch has ended.
	SessionEpoch int64
	// MustChangePassword: the password was issued by an administrator and
	// serves one login; the user chooses a new one before anything else.
	MustChangePassword bool
}

// Normalize trims input.
func (u *User) Normalize() {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.Join(strings.Fields(u.Name), " ")
	if u.Locale != "en" {
		u.Locale = "nl"
	}
}

// Validate checks a user and its grants.
func (u *User) Validate() error {
	f := FieldErrors{}
	if !ValidEmail(u.Email) {
		f.Add("email", "err.email_format")
	}
	if u.Name == "" {
		f.Add("name", "err.required")
	}
	if len(u.Grants) == 0 {
		f.Add("grants", "err.grant_required")
	}
	for n, g := range u.Grants {
		if err := g.Validate(); err != nil {
			for k, v := range FieldErrorsOf(err) {
				f.Add("grants."+strconv.Itoa(n)+"."+k, v)
			}
		}
	}
	return f.Err()
}

// NeedsTOTP reports whether any grant demands a second factor.
func (u *User) NeedsTOTP() bool { return GrantsNeedTOTP(u.Grants) }

// GrantsNeedTOTP reports whether any of grants demands a second factor
// (a login's, or an invitation's before there is a login).
func GrantsNeedTOTP(grants []Grant) bool {
	for _, g := range grants {
		if g.Role.RequiresTOTP() {
			return true
		}
	}
	return false
}

// HasRole reports whether the user holds role r anywhere.
func (u *User) HasRole(r AccountRole) bool {
	for _, g := range u.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// IsPlatformAdmin reports a platform-admin grant.
func (u *User) IsPlatformAdmin() bool { return u != nil && u.HasRole(AccountPlatformAdmin) }

func (u *User) hasRegionRole(region int64, roles ...AccountRole) bool {
	if u == nil {
		return false
	}
	for _, g := range u.Grants {
		if g.RegionID != region {
			continue
		}
		for _, r := range roles {
			if g.Role == r {
				return true
			}
		}
	}
	return false
}

// RegionIDs returns the regions any grant reaches (nil for platform admins,
// who reach all).
func (u *User) RegionIDs() []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, g := range u.Grants {
		if g.RegionID != 0 && !seen[g.RegionID] {
			seen[g.RegionID] = true
			out = append(out, g.RegionID)
		}
	}
	return out
}

// PracticeIDs returns the practices of the user's practice grants.
func (u *User) PracticeIDs() []int64 {
	var out []int64
	for _, g := range u.Grants {
		if g.Role == AccountPractice {
			out = append(out, g.PracticeID)
		}
	}
	return out
}

// The access policy. Web and API ask these and nothing else, so one rule
// holds everywhere. "See" failures are reported as not found (404) by the
// callers so existence is not leaked across regions and practices.

// CanAdminRegion: set up the regioplan, settings, practices, users, audit.
func (u *User) CanAdminRegion(region int64) bool {
	return u.IsPlatformAdmin() || u.hasRegionRole(region, AccountRegionAdmin)
}

// CanSeeRegion: reach the region's pages at all (summary figures).
func (u *User) CanSeeRegion(region int64) bool {
	return u.IsPlatformAdmin() || u.hasRegionRole(region, AccountRegionAdmin, AccountConsultant, AccountPractice, AccountFacilitator, AccountFunder)
}

// CanWorkInRegion: the region's working pages (intervision groups, the
// training menu): every role inside the region except funders, who see
// region figures only — occupancy counts would show them numbers under 5.
func (u *User) CanWorkInRegion(region int64) bool {
	return u.IsPlatformAdmin() || u.hasRegionRole(region, AccountRegionAdmin, AccountConsultant, AccountPractice, AccountFacilitator)
}

// CanListPractices: the region's practice overview (consultants see only
// their own practices in it; see PracticeScope).
func (u *User) CanListPractices(region int64) bool {
	return u.IsPlatformAdmin() || u.hasRegionRole(region, AccountRegionAdmin, AccountConsultant)
}

// CanSeeRegioplan: the regioplan is the region's published offering; every
// role inside the region may read it.
func (u *User) CanSeeRegioplan(region int64) bool { return u.CanSeeRegion(region) }

// CanSeePractice: the practice's page with its staff (personal data).
func (u *User) CanSeePractice(p *Practice) bool {
	if u == nil || p == nil {
		return false
	}
	if u.CanAdminRegion(p.RegionID) {
		return true
	}
	for _, g := range u.Grants {
		if g.RegionID != p.RegionID {
			continue
		}
		if g.Role == AccountPractice && g.PracticeID == p.ID {
			return true
		}
		if g.Role == AccountConsultant && p.ConsultantID == u.ID {
			return true
		}
	}
	return false
}

// CanEditStaff: add, change and end memberships; the practice keeps its own
// staff list, the region can correct it.
func (u *User) CanEditStaff(p *Practice) bool {
	if u == nil || p == nil {
		return false
	}
	if u.CanAdminRegion(p.RegionID) {
		return true
	}
	for _, g := range u.Grants {
		if g.Role == AccountPractice && g.RegionID == p.RegionID && g.PracticeID == p.ID {
			return true
		}
	}
	return false
}

// CanEditPracticeDetails: name, address, registered patients.
func (u *User) CanEditPracticeDetails(p *Practice) bool { return u.CanEditStaff(p) }

// CanEditPracticeAdmin: AGB, consultant, status, start date and wave.
func (u *User) CanEditPracticeAdmin(p *Practice) bool {
	return p != nil && u.CanAdminRegion(p.RegionID)
}

// PracticeScope narrows a practice filter to what the user may list.
// ok is false when the user may list none.
func (u *User) PracticeScope(f PracticeFilter) (PracticeFilter, bool) {
	if !u.CanListPractices(f.RegionID) {
		return f, false
	}
	if u.CanAdminRegion(f.RegionID) {
		return f, true
	}
	f.OnlyConsultant = u.ID
	return f, true
}

// CanManagePlatform: create regions and their first admins.
func (u *User) CanManagePlatform() bool { return u.IsPlatformAdmin() }

// DemoEmailDomain marks the demo accounts; with --demo their second factor
// is waived (and a banner says so). Never used for real accounts.
const DemoEmailDomain = "demo.meertijd.nl"

// IsDemoEmail reports a demo account's e-mail address.
func IsDemoEmail(email string) bool {
	return strings.HasSuffix(strings.ToLower(email), "@"+DemoEmailDomain)
}

// CanGrant: a login may hand out a grant only within a region it
// administers, and never more than it has: no platform-admin grant (only
// a platform admin holds that, and it is created on the command line), a
// practice grant only for a practice of that region (checked by the
// caller against the region's practices).
func (u *User) CanGrant(g Grant) bool {
	return g.Role != AccountPlatformAdmin && g.RegionID != 0 && u.CanAdminRegion(g.RegionID)
}

// WithRegionGrants returns u's grants with those in region replaced by
// here (grants elsewhere stay as they are).
func (u User) WithRegionGrants(region int64, here []Grant) []Grant {
	var out []Grant
	for _, g := range u.Grants {
		if g.RegionID != region {
			out = append(out, g)
		}
	}
	return append(out, here...)
}
