package store_test

import (
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// A password reset by link uses the link, sets the password, ends every
// session (epoch) and revokes the API tokens in one transaction; a second
// use changes nothing; a disabled login's link fails and leaves it all as
// it was (issue 13, item 3).
func TestResetPasswordByLink(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	u := addUser(t, db, "reset@zio.nl", mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: r.ID})
	_, err := db.CreateAPIToken(ctx, admin, u.ID, "koppeling", "sha256-reset")
	must(t, err)
	now := time.Now().UTC()
	link := func(hash string) {
		t.Helper()
		l := store.Link{Purpose: store.LinkReset, Email: u.Email, Name: u.Name, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		m := &store.Mail{MessageID: "<" + hash + "@test>", Kind: "reset", To: u.Email, Subject: "s", Text: "t"}
		must(t, db.CreateLink(ctx, &l, hash, m))
	}
	before, err := db.UserByID(ctx, u.ID)
	must(t, err)

	link("tok-1")
	id, err := db.ResetPasswordByLink(ctx, "tok-1", now, "hash-new")
	must(t, err)
	if id != u.ID {
		t.Fatalf("reset user %d, want %d", id, u.ID)
	}
	after, err := db.UserByID(ctx, u.ID)
	must(t, err)
	cred, err := db.CredentialsByUserID(ctx, u.ID)
	must(t, err)
	if cred.PasswordHash != "hash-new" || after.SessionEpoch <= before.SessionEpoch || after.MustChangePassword {
		t.Fatalf("after reset: hash %q epoch %d→%d must change %v", cred.PasswordHash, before.SessionEpoch, after.SessionEpoch, after.MustChangePassword)
	}
	if toks, err := db.APITokens(ctx, u.ID); err != nil || len(toks) != 0 {
		t.Fatalf("API tokens after reset: %v %v", toks, err)
	}
	if _, err := db.UserByTokenHash(ctx, "sha256-reset"); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Fatalf("revoked token still works: %v", err)
	}
	// Used once: the second try is "link.invalid" and changes nothing.
	_, err = db.ResetPasswordByLink(ctx, "tok-1", now, "hash-again")
	wantCode(t, err, mtvp.ENOTFOUND)
	if c, _ := db.CredentialsByUserID(ctx, u.ID); c.PasswordHash != "hash-new" {
		t.Fatalf("reused link changed the password to %q", c.PasswordHash)
	}

	// A disabled login: the link fails and stays unused, nothing changes.
	link("tok-2")
	after.Disabled = true
	must(t, db.UpdateUser(ctx, admin, &after))
	dis, err := db.UserByID(ctx, u.ID)
	must(t, err)
	_, err = db.CreateAPIToken(ctx, admin, u.ID, "tweede", "sha256-second")
	must(t, err)
	_, err = db.ResetPasswordByLink(ctx, "tok-2", now, "hash-disabled")
	wantCode(t, err, mtvp.ENOTFOUND)
	c, _ := db.CredentialsByUserID(ctx, u.ID)
	still, _ := db.UserByID(ctx, u.ID)
	toks, _ := db.APITokens(ctx, u.ID)
	if c.PasswordHash != "hash-new" || still.SessionEpoch != dis.SessionEpoch || len(toks) != 1 {
		t.Fatalf("failed reset changed something: hash %q epoch %d→%d tokens %d", c.PasswordHash, dis.SessionEpoch, still.SessionEpoch, len(toks))
	}
	// The failed try rolled back the link's use: enabled again, it works.
	still.Disabled = false
	must(t, db.UpdateUser(ctx, admin, &still))
	_, err = db.ResetPasswordByLink(ctx, "tok-2", now, "hash-enabled")
	must(t, err)
	if c, _ := db.CredentialsByUserID(ctx, u.ID); c.PasswordHash != "hash-enabled" {
		t.Fatalf("link after re-enabling: hash %q", c.PasswordHash)
	}
}
