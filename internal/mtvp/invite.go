package mtvp

import "time"

// Invitations and password resets are links sent by e-mail that work once
// and expire.
const (
	InvitationValidity    = 7 * 24 * time.Hour
	PasswordResetValidity = time.Hour
)

// MayInvite reports whether inviter may hand out grant g by invitation. An
// invitation never grants more than the inviter has:
//   - a platform admin may invite anyone into any region (the first
//     programme manager of a new region), but no other platform admin;
//   - a region admin may invite every region role of their own region, the
//     practice role included;
//   - a practice may invite accounts for its own practice only;
//   - nobody else invites.
func MayInvite(inviter *User, g Grant) bool {
	if inviter == nil || inviter.Disabled || g.Validate() != nil || g.Role == AccountPlatformAdmin {
		return false
	}
	if inviter.IsPlatformAdmin() {
		return true
	}
	for _, own := range inviter.Grants {
		if own.RegionID != g.RegionID {
			continue
		}
		switch {
		case own.Role == AccountRegionAdmin:
			return true
		case own.Role == AccountPractice && g.Role == AccountPractice && own.PracticeID == g.PracticeID:
			return true
		}
	}
	return false
}

// LinkState is where a one-time link stands at a moment.
type LinkState string

const (
	LinkOpen    LinkState = "open"
	LinkUsed    LinkState = "used"
	LinkRevoked LinkState = "revoked"
	LinkExpired LinkState = "expired"
)

// LinkStateAt is the state of a link created to expire at expires, used
// at used and revoked at revoked (zero: not), at time now.
func LinkStateAt(expires, used, revoked, now time.Time) LinkState {
	switch {
	case !used.IsZero():
		return LinkUsed
	case !revoked.IsZero():
		return LinkRevoked
	case !now.Before(expires):
		return LinkExpired
	}
	return LinkOpen
}
