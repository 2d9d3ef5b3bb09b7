package store_test

import (
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// A region's provider is created, updated with its version (a stale one is
// 409 and changes nothing), keeps its secret unless a new one is given, and
// is listed for the login page only while enabled.
func TestSSOProviderSave(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p := mtvp.SSOProvider{RegionID: r.ID, Name: "Microsoft", Issuer: "https://login.microsoftonline.com/t/v2.0/", ClientID: "app",
		Domains: []string{"@ZIO.nl", "zio.nl"}, Enabled: true}
	must(t, db.SaveSSOProvider(ctx, admin, &p, []byte("enc-secret")))
	got, secret, err := db.SSOProviderOfRegion(ctx, r.ID)
	must(t, err)
	if got.Issuer != "https://login.microsoftonline.com/t/v2.0" || len(got.Domains) != 1 || got.Domains[0] != "zio.nl" ||
		!got.HasSecret || string(secret) != "enc-secret" || got.RegionCode != "zio" || got.Version != 1 {
		t.Fatalf("stored %+v secret %q", got, secret)
	}
	if list, err := db.SSOProviders(ctx); err != nil || len(list) != 1 || list[0].Key() != "regio-zio" {
		t.Fatalf("providers %+v %v", list, err)
	}

	// A second form with the old version: conflict, nothing changed.
	stale := p
	stale.Version = 0
	stale.Name = "Anders"
	wantCode(t, db.SaveSSOProvider(ctx, admin, &stale, nil), mtvp.ECONFLICT)

	got.ClientID, got.Enabled = "app-2", false
	must(t, db.SaveSSOProvider(ctx, admin, &got, nil))
	again, secret, err := db.SSOProviderOfRegion(ctx, r.ID)
	must(t, err)
	if again.ClientID != "app-2" || again.Enabled || string(secret) != "enc-secret" || again.Version != 2 {
		t.Fatalf("after update %+v %q", again, secret)
	}
	if list, _ := db.SSOProviders(ctx); len(list) != 0 {
		t.Fatalf("disabled provider listed: %+v", list)
	}
	again.Version = 1
	wantCode(t, db.SaveSSOProvider(ctx, admin, &again, nil), mtvp.ECONFLICT)
}

// A sign-in's state is used once, and not after it expired.
func TestSSOStateSingleUse(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	now := time.Now().UTC()
	st := store.SSOState{StateHash: "h1", BrowserHash: "b1", Provider: "host", Nonce: "n", Verifier: "v", Next: "/", CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}
	must(t, db.CreateSSOState(ctx, st))
	got, err := db.UseSSOState(ctx, "h1", now)
	must(t, err)
	if got.BrowserHash != "b1" || got.Nonce != "n" || got.Verifier != "v" || got.Provider != "host" {
		t.Fatalf("state %+v", got)
	}
	_, err = db.UseSSOState(ctx, "h1", now)
	wantCode(t, err, mtvp.ENOTFOUND)
	st.StateHash = "h2"
	must(t, db.CreateSSOState(ctx, st))
	_, err = db.UseSSOState(ctx, "h2", now.Add(11*time.Minute))
	wantCode(t, err, mtvp.ENOTFOUND)
}

// An open invitation found by address becomes a login with exactly its
// grants and no password; it is used after.
func TestAcceptInvitationBySSO(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	now := time.Now().UTC()
	l := store.Link{Purpose: store.LinkInvite, Email: "Nieuw@zio.nl", Name: "Nieuw", Grant: mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID},
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, db.CreateLink(ctx, &l, "tok-sso", nil))
	_, err := db.OpenInvitation(ctx, "nieuw@zio.nl", r.ID+1, now)
	wantCode(t, err, mtvp.ENOTFOUND)
	open, err := db.OpenInvitation(ctx, "nieuw@zio.nl", r.ID, now)
	must(t, err)
	u, err := db.AcceptInvitationBySSO(ctx, open.ID, now, "Nieuw Mens", "nl")
	must(t, err)
	if len(u.Grants) != 1 || u.Grants[0].Role != mtvp.AccountConsultant || u.Grants[0].RegionID != r.ID {
		t.Fatalf("grants %+v", u.Grants)
	}
	if c, _ := db.CredentialsByUserID(ctx, u.ID); c.PasswordHash != "" {
		t.Fatalf("password hash %q", c.PasswordHash)
	}
	_, err = db.OpenInvitation(ctx, "nieuw@zio.nl", 0, now)
	wantCode(t, err, mtvp.ENOTFOUND)
	_, err = db.AcceptInvitationBySSO(ctx, open.ID, now, "Nieuw Mens", "nl")
	wantCode(t, err, mtvp.ENOTFOUND)
}
