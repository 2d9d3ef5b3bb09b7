package mail

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"meertijd/internal/auth"
	"meertijd/internal/i18n"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Invitations are sent from the web pages and the API alike, through
// SendInvitation: one place decides the link's lifetime, its mail and its
// grants' wording.

// NewLinkToken returns a random token for a mail link and its hash (only
// the hash is stored).
func NewLinkToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails since Go 1.24
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, auth.HashToken(token)
}

// GrantText names a grant in lang ("Praktijk · Huisartsenpraktijk Een").
func GrantText(lang string, g mtvp.Grant) string {
	t := i18n.T(lang, "account_role."+string(g.Role))
	if g.Role == mtvp.AccountPractice && g.PracticeName != "" {
		t += " · " + g.PracticeName
	}
	return t
}

// GrantsText names every grant an invitation gives, in lang, with the
// practice's name for a practice grant (looked up where the link did not
// carry it).
func GrantsText(ctx context.Context, db *store.DB, lang string, l store.Link) string {
	var parts []string
	for _, g := range l.Grants() {
		if g.PracticeID != 0 && g.PracticeName == "" {
			if p, err := db.PracticeByID(ctx, g.PracticeID); err == nil {
				g.PracticeName = p.Name
			}
		}
		parts = append(parts, GrantText(lang, g))
	}
	return strings.Join(parts, ", ")
}

// SendInvitation stores a fresh invitation link into reg from inviter
// (l holds Email, Name, Locale, Grant and More; re-inviting revokes the
// address's open invitations in the region) with its mail in the outbox,
// in one transaction. It returns the stored link and its token.
func (c Composer) SendInvitation(ctx context.Context, db *store.DB, reg mtvp.Region, inviter *mtvp.User, l store.Link) (store.Link, string, error) {
	token, hash := NewLinkToken()
	now := time.Now()
	l.Purpose, l.CreatedBy, l.CreatedByName, l.CreatedAt, l.ExpiresAt = store.LinkInvite, inviter.ID, inviter.Name, now, now.Add(mtvp.InvitationValidity)
	l.Grant.RegionCode = reg.Code
	lang := i18n.Lang(l.Locale)
	data := map[string]any{
		"InviterName": inviter.Name, "RegionName": reg.Name, "RoleText": GrantsText(ctx, db, lang, l),
		"NeedsTOTP": mtvp.GrantsNeedTOTP(l.Grants()), "Link": c.URL("/uitnodiging/" + token),
		"Expires": dateText(lang, mtvp.DateOf(l.ExpiresAt)),
	}
	m, err := c.Compose("invite", reg.ID, Recipient{Email: l.Email, Name: l.Name, Locale: l.Locale}, data, "")
	if err != nil {
		return l, "", err
	}
	if err := db.CreateLink(ctx, &l, hash, m); err != nil {
		return l, "", err
	}
	return l, token, nil
}

// dateText is a date as the mail's language writes it.
func dateText(lang string, d mtvp.Date) string {
	if lang == "en" {
		return d.Time().Format("2 January 2006")
	}
	return d.Dutch()
}
