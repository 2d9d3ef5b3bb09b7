package store_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"

	"github.com/alexedwards/scs/v2"
)

func TestUsersAndGrants(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "primacura")
	p := addPractice(t, db, r.ID, agb(1), "Praktijk A")
	px := addPractice(t, db, other.ID, agb(2), "Praktijk X")

	u := mtvp.User{Email: " EKC@Example.NL ", Name: " Eva  Coach ", Locale: "en", Grants: []mtvp.Grant{
		{Role: mtvp.AccountFacilitator, RegionID: r.ID},
		{Role: mtvp.AccountPractice, RegionID: r.ID, PracticeID: p.ID},
		{Role: mtvp.AccountFacilitator, RegionID: r.ID}, // duplicate, dropped
	}}
	must(t, db.CreateUser(ctx, admin, &u, "argon-hash"))
	if u.ID == 0 || u.Version != 1 || u.Email != "ekc@example.nl" || u.Name != "Eva Coach" || len(u.Grants) != 2 {
		t.Fatalf("created %+v", u)
	}
	got, err := db.UserByID(ctx, u.ID)
	must(t, err)
	if got.Email != u.Email || got.Locale != "en" || len(got.Grants) != 2 || !got.CreatedAt.Equal(u.CreatedAt) {
		t.Fatalf("by id %+v", got)
	}
	g := got.Grants[1]
	if g.Role != mtvp.AccountPractice || g.PracticeID != p.ID || g.RegionCode != "zio" || g.PracticeName != "Praktijk A" {
		t.Fatalf("grant %+v", g)
	}
	byEmail, err := db.UserByEmail(ctx, "Ekc@example.nl")
	must(t, err)
	if byEmail.ID != u.ID || len(byEmail.Grants) != 2 {
		t.Fatalf("by email %+v", byEmail)
	}
	_, err = db.UserByEmail(ctx, "nobody@example.nl")
	wantCode(t, err, mtvp.ENOTFOUND)
	_, err = db.UserByID(ctx, 999)
	wantCode(t, err, mtvp.ENOTFOUND)

	// Validation, duplicate e-mail, grant scope.
	dup := mtvp.User{Email: "ekc@example.nl", Name: "X", Grants: []mtvp.Grant{{Role: mtvp.AccountFunder, RegionID: r.ID}}}
	wantField(t, db.CreateUser(ctx, admin, &dup, ""), "email", "err.email_taken")
	noGrants := mtvp.User{Email: "a@b.nl", Name: "X"}
	wantField(t, db.CreateUser(ctx, admin, &noGrants, ""), "grants", "err.grant_required")
	wrongPractice := mtvp.User{Email: "a@b.nl", Name: "X", Grants: []mtvp.Grant{{Role: mtvp.AccountPractice, RegionID: r.ID, PracticeID: px.ID}}}
	wantField(t, db.CreateUser(ctx, admin, &wrongPractice, ""), "grants.0.practice", "err.grant_scope")
	noRegion := mtvp.User{Email: "a@b.nl", Name: "X", Grants: []mtvp.Grant{{Role: mtvp.AccountFunder, RegionID: 999}}}
	wantField(t, db.CreateUser(ctx, admin, &noRegion, ""), "grants.0.region", "err.not_found")
	if _, err := db.UserByEmail(ctx, "a@b.nl"); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Fatal("refused user was stored")
	}

	// More users for the lists.
	c1 := addUser(t, db, "zeger@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})
	c2 := addUser(t, db, "anton@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID},
		mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: r.ID})
	addUser(t, db, "piet@pc.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: other.ID})
	addUser(t, db, "root@meertijd.nl", mtvp.Grant{Role: mtvp.AccountPlatformAdmin})
	gone := addUser(t, db, "weg@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})
	gone.Disabled = true
	must(t, db.UpdateUser(ctx, admin, &gone))

	list, err := db.ListUsers(ctx, r.ID)
	must(t, err)
	var emails []string
	for _, u := range list {
		emails = append(emails, u.Email)
		if len(u.Grants) == 0 {
			t.Fatalf("user without grants in list: %+v", u)
		}
	}
	if len(list) != 4 || list[0].Email != "ekc@example.nl" && list[0].Name > list[1].Name {
		t.Fatalf("region users %v", emails)
	}
	all, err := db.ListUsers(ctx, 0)
	must(t, err)
	if len(all) != 6 {
		t.Fatalf("all users %d", len(all))
	}
	cons, err := db.Consultants(ctx, r.ID)
	must(t, err)
	if len(cons) != 2 || cons[0].ID != c2.ID || cons[1].ID != c1.ID || len(cons[0].Grants) != 2 {
		t.Fatalf("consultants %+v", cons)
	}

	// Update: grants replaced, e-mail kept, version checked.
	u.Name = "Eva de Coach"
	u.Email = "changed@example.nl"
	u.Grants = []mtvp.Grant{{Role: mtvp.AccountFacilitator, RegionID: r.ID}}
	must(t, db.UpdateUser(ctx, admin, &u))
	got, err = db.UserByID(ctx, u.ID)
	must(t, err)
	if got.Version != 2 || got.Email != "ekc@example.nl" || got.Name != "Eva de Coach" || len(got.Grants) != 1 {
		t.Fatalf("after update %+v", got)
	}
	stale := u
	stale.Version = 1
	wantCode(t, db.UpdateUser(ctx, admin, &stale), mtvp.ECONFLICT)
	missing := u
	missing.ID = 999
	wantCode(t, db.UpdateUser(ctx, admin, &missing), mtvp.ENOTFOUND)

	h, err := db.History(ctx, store.EntityUser, u.ID)
	must(t, err)
	if len(h) != 2 || h[0].RegionID != r.ID {
		t.Fatalf("history %+v", h)
	}
	fields := map[string]bool{}
	for _, c := range h[0].Changes {
		fields[c.Field] = true
	}
	if !fields["Name"] || !fields["Roles"] || fields["Email"] {
		t.Fatalf("changes %+v", h[0].Changes)
	}
}

func TestCredentialsTOTPAndRecovery(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	u := addUser(t, db, "admin@zio.nl", mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: r.ID})

	c, err := db.CredentialsByEmail(ctx, "ADMIN@zio.nl")
	must(t, err)
	if c.UserID != u.ID || c.PasswordHash != "hash-admin@zio.nl" || c.TOTPEnabled || c.TOTPSecret != nil || c.TOTPLastStep != 0 {
		t.Fatalf("credentials %+v", c)
	}
	_, err = db.CredentialsByEmail(ctx, "x@zio.nl")
	wantCode(t, err, mtvp.ENOTFOUND)
	_, err = db.CredentialsByUserID(ctx, 999)
	wantCode(t, err, mtvp.ENOTFOUND)

	must(t, db.SetPassword(ctx, admin, u.ID, "new-hash"))
	wantCode(t, db.SetPassword(ctx, admin, 999, "x"), mtvp.ENOTFOUND)

	// Enrolment: secret first, then enabled with recovery codes.
	secret := []byte{0, 1, 2, 250, 251, 252}
	must(t, db.SetTOTP(ctx, admin, u.ID, secret, false, nil))
	c, err = db.CredentialsByUserID(ctx, u.ID)
	must(t, err)
	if c.PasswordHash != "new-hash" || !bytes.Equal(c.TOTPSecret, secret) || c.TOTPEnabled {
		t.Fatalf("pending %+v", c)
	}
	must(t, db.SetTOTP(ctx, admin, u.ID, secret, true, []string{"h1", "h2", "h3"}))
	got, err := db.UserByID(ctx, u.ID)
	must(t, err)
	if !got.TOTPEnabled {
		t.Fatal("user not TOTPEnabled")
	}
	if n, _ := db.RecoveryCodesLeft(ctx, u.ID); n != 3 {
		t.Fatalf("%d recovery codes", n)
	}

	// A time step is used once, and only forward.
	for _, c := range []struct {
		step int64
		ok   bool
	}{{1000, true}, {1000, false}, {999, false}, {1001, true}} {
		ok, err := db.UseTOTPStep(ctx, u.ID, c.step)
		must(t, err)
		if ok != c.ok {
			t.Fatalf("step %d: ok=%v", c.step, ok)
		}
	}
	// Concurrent use of one code: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := db.UseTOTPStep(ctx, u.ID, 2000)
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent uses accepted", wins)
	}
	c, _ = db.CredentialsByUserID(ctx, u.ID)
	if c.TOTPLastStep != 2000 {
		t.Fatalf("last step %d", c.TOTPLastStep)
	}

	// Recovery codes work once each.
	for _, c := range []struct {
		hash string
		ok   bool
	}{{"h2", true}, {"h2", false}, {"nope", false}, {"h1", true}} {
		ok, err := db.UseRecoveryCode(ctx, u.ID, c.hash)
		must(t, err)
		if ok != c.ok {
			t.Fatalf("recovery %s: ok=%v", c.hash, ok)
		}
	}
	if n, _ := db.RecoveryCodesLeft(ctx, u.ID); n != 1 {
		t.Fatalf("%d recovery codes left", n)
	}
	// Re-enrolling replaces the codes; disabling drops them.
	must(t, db.SetTOTP(ctx, admin, u.ID, secret, true, []string{"n1", "n2"}))
	if ok, _ := db.UseRecoveryCode(ctx, u.ID, "h3"); ok {
		t.Fatal("old code still valid")
	}
	if n, _ := db.RecoveryCodesLeft(ctx, u.ID); n != 2 {
		t.Fatalf("%d codes after re-enrolment", n)
	}
	must(t, db.SetTOTP(ctx, admin, u.ID, nil, false, nil))
	if n, _ := db.RecoveryCodesLeft(ctx, u.ID); n != 0 {
		t.Fatalf("%d codes after disabling", n)
	}
	c, _ = db.CredentialsByUserID(ctx, u.ID)
	if c.TOTPEnabled || c.TOTPSecret != nil {
		t.Fatalf("disabled %+v", c)
	}
	wantCode(t, db.SetTOTP(ctx, admin, 999, nil, false, nil), mtvp.ENOTFOUND)

	// Last login round-trips in UTC.
	at := time.Date(2026, 3, 29, 1, 30, 15, 123456789, time.FixedZone("CET", 3600))
	must(t, db.RecordLogin(ctx, u.ID, at))
	got, _ = db.UserByID(ctx, u.ID)
	if !got.LastLoginAt.Equal(at.Truncate(time.Microsecond)) || got.LastLoginAt.Location() != time.UTC {
		t.Fatalf("last login %v", got.LastLoginAt)
	}
	wantCode(t, db.RecordLogin(ctx, 999, at), mtvp.ENOTFOUND)

	// Credential changes are in the history, secrets are not.
	h, err := db.History(ctx, store.EntityUser, u.ID)
	must(t, err)
	for _, e := range h {
		for _, c := range e.Changes {
			if c.Field == "TOTPSecret" && c.New != "(gewijzigd)" || c.Field == "Password" && c.New != "(gewijzigd)" {
				t.Fatalf("secret in history: %+v", c)
			}
		}
	}
	if len(h) < 5 {
		t.Fatalf("history has %d entries", len(h))
	}
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	u := addUser(t, db, "api@zio.nl", mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: r.ID})

	tok, err := db.CreateAPIToken(ctx, admin, u.ID, "koppeling", "sha256-abc")
	must(t, err)
	if tok.ID == 0 || tok.UserID != u.ID || tok.Name != "koppeling" || tok.CreatedAt.IsZero() || !tok.LastUsedAt.IsZero() {
		t.Fatalf("token %+v", tok)
	}
	_, err = db.CreateAPIToken(ctx, admin, u.ID, "twee", "sha256-abc")
	wantCode(t, err, mtvp.ECONFLICT)
	_, err = db.CreateAPIToken(ctx, admin, 999, "x", "sha256-def")
	wantCode(t, err, mtvp.ENOTFOUND)

	got, err := db.UserByTokenHash(ctx, "sha256-abc")
	must(t, err)
	if got.ID != u.ID || len(got.Grants) != 1 {
		t.Fatalf("user %+v", got)
	}
	list, err := db.APITokens(ctx, u.ID)
	must(t, err)
	if len(list) != 1 || list[0].LastUsedAt.IsZero() || !list[0].CreatedAt.Equal(tok.CreatedAt) {
		t.Fatalf("tokens %+v (created %v)", list, tok.CreatedAt)
	}
	_, err = db.UserByTokenHash(ctx, "sha256-unknown")
	wantCode(t, err, mtvp.ENOTFOUND)

	must(t, db.DeleteAPIToken(ctx, admin, u.ID, tok.ID))
	wantCode(t, db.DeleteAPIToken(ctx, admin, u.ID, tok.ID), mtvp.ENOTFOUND)
	list, err = db.APITokens(ctx, u.ID)
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("tokens after delete %+v", list)
	}
	_, err = db.UserByTokenHash(ctx, "sha256-abc")
	wantCode(t, err, mtvp.ENOTFOUND)

	// A token needs a name and an expiry within a year; an expired one
	// no longer works (issue 11, item 3).
	_, err = db.CreateAPIToken(ctx, admin, u.ID, "  ", "sha256-noname")
	wantField(t, err, "name", "err.required")
	_, err = db.CreateAPITokenUntil(ctx, admin, u.ID, "lang", "sha256-long", time.Now().Add(400*24*time.Hour))
	wantField(t, err, "expires", "err.token_expiry")
	exp, err := db.CreateAPITokenUntil(ctx, admin, u.ID, "kort", "sha256-short", time.Now().Add(50*time.Millisecond))
	must(t, err)
	if exp.ExpiresAt.IsZero() {
		t.Fatal("no expiry")
	}
	time.Sleep(60 * time.Millisecond)
	_, err = db.UserByTokenHash(ctx, "sha256-short")
	wantCode(t, err, mtvp.ENOTFOUND)

	// Disabling a login revokes its tokens: enabling it again does not
	// bring them back.
	_, err = db.CreateAPIToken(ctx, admin, u.ID, "koppeling", "sha256-abc")
	must(t, err)
	u.Disabled = true
	must(t, db.UpdateUser(ctx, admin, &u))
	_, err = db.UserByTokenHash(ctx, "sha256-abc")
	wantCode(t, err, mtvp.ENOTFOUND)
	u.Disabled = false
	must(t, db.UpdateUser(ctx, admin, &u))
	_, err = db.UserByTokenHash(ctx, "sha256-abc")
	wantCode(t, err, mtvp.ENOTFOUND)

	// A reset password revokes the tokens and ends the sessions (epoch);
	// the user's own change ends the sessions only.
	_, err = db.CreateAPIToken(ctx, admin, u.ID, "koppeling", "sha256-abc")
	must(t, err)
	before, err := db.UserByID(ctx, u.ID)
	must(t, err)
	epoch, err := db.NewPassword(ctx, admin, u.ID, "hash-2", store.PasswordChange{})
	must(t, err)
	if epoch != before.SessionEpoch+1 {
		t.Fatalf("epoch %d after %d", epoch, before.SessionEpoch)
	}
	_, err = db.UserByTokenHash(ctx, "sha256-abc")
	must(t, err)
	_, err = db.NewPassword(ctx, admin, u.ID, "hash-3", store.PasswordChange{Issued: true, RevokeTokens: true})
	must(t, err)
	_, err = db.UserByTokenHash(ctx, "sha256-abc")
	wantCode(t, err, mtvp.ENOTFOUND)
	after, err := db.UserByID(ctx, u.ID)
	must(t, err)
	if !after.MustChangePassword || after.SessionEpoch != epoch+1 {
		t.Fatalf("after reset: must change %v, epoch %d", after.MustChangePassword, after.SessionEpoch)
	}
	must(t, db.ResetTOTP(ctx, admin, u.ID))
	if after, _ = db.UserByID(ctx, u.ID); after.SessionEpoch != epoch+2 {
		t.Fatalf("TOTP reset left epoch %d", after.SessionEpoch)
	}
	// Token events are in the authentication log of the user's region.
	es, err := db.AuthEvents(ctx, r.ID, 100)
	must(t, err)
	got2 := map[string]int{}
	for _, e := range es {
		got2[e.Action]++
	}
	if got2[store.AuthTokenCreated] < 3 || got2[store.AuthTokenRevoked] < 1 || got2[store.AuthTokenUsed] < 1 || got2[store.AuthTokenRefused] != 1 {
		t.Fatalf("token events %v", got2)
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	s := db.SessionStore()
	now := time.Now()
	must(t, s.Commit("live", []byte("one"), now.Add(time.Hour)))
	must(t, s.Commit("live", []byte("two"), now.Add(2*time.Hour))) // upsert
	must(t, s.Commit("old", []byte("old"), now.Add(-time.Second)))
	must(t, s.Commit("binary", []byte{0, 255, 1}, now.In(time.FixedZone("X", -7*3600)).Add(time.Minute)))

	b, ok, err := s.Find("live")
	must(t, err)
	if !ok || string(b) != "two" {
		t.Fatalf("live: %q %v", b, ok)
	}
	b, ok, err = s.Find("binary")
	must(t, err)
	if !ok || !bytes.Equal(b, []byte{0, 255, 1}) {
		t.Fatalf("binary: %v %v", b, ok)
	}
	if _, ok, err := s.Find("old"); err != nil || ok {
		t.Fatalf("expired session found: %v %v", ok, err)
	}
	if _, ok, err := s.Find("nope"); err != nil || ok {
		t.Fatalf("unknown session found: %v %v", ok, err)
	}
	must(t, s.DeleteExpired(ctx))
	if _, ok, _ := s.FindCtx(ctx, "live"); !ok {
		t.Fatal("DeleteExpired removed a live session")
	}
	must(t, s.Delete("live"))
	if _, ok, _ := s.Find("live"); ok {
		t.Fatal("deleted session found")
	}
	must(t, s.DeleteCtx(ctx, "never-there"))
}

func TestCredentialChangesInRegionHistory(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "primacura")
	u := addUser(t, db, "c@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})
	both := addUser(t, db, "b@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID},
		mtvp.Grant{Role: mtvp.AccountFunder, RegionID: other.ID})
	platform := addUser(t, db, "p@zio.nl", mtvp.Grant{Role: mtvp.AccountPlatformAdmin})
	must(t, db.SetPassword(ctx, admin, u.ID, "x"))
	must(t, db.SetPassword(ctx, admin, both.ID, "x"))
	must(t, db.SetTOTP(ctx, admin, both.ID, []byte("s"), true, []string{"h1"}))
	must(t, db.SetPassword(ctx, admin, platform.ID, "x"))
	_, err := db.CreateAPIToken(ctx, admin, u.ID, "koppeling", "h")
	must(t, err)

	// userEntries returns the entries of a user in a region's history.
	userEntries := func(region, user int64) []mtvp.AuditEntry {
		t.Helper()
		h, err := db.RegionHistory(ctx, region, 100)
		must(t, err)
		var out []mtvp.AuditEntry
		for _, e := range h {
			if e.Entity == store.EntityUser && e.EntityID == user {
				out = append(out, e)
			}
		}
		return out
	}
	if n := len(userEntries(r.ID, u.ID)); n != 3 { // create, password, token
		t.Fatalf("%d entries of the one-region user in its region", n)
	}
	if n := len(userEntries(other.ID, u.ID)); n != 0 {
		t.Fatalf("%d entries of the one-region user in another region", n)
	}
	// A login of two regions: its creation and resets show in both, each
	// with only that region's role.
	for _, region := range []mtvp.Region{r, other} {
		h := userEntries(region.ID, both.ID)
		if len(h) != 3 || h[0].Changes[0].Field != "TOTPEnabled" || h[1].Changes[0].Field != "Password" || h[2].Action != store.ActionCreate {
			t.Fatalf("%s: entries of the two-region user %+v", region.Code, h)
		}
		want := "consultant@zio"
		if region.ID == other.ID {
			want = "funder@primacura"
		}
		for _, c := range h[2].Changes {
			if c.Field == "Roles" && c.New != want {
				t.Fatalf("%s sees roles %q, want %q", region.Code, c.New, want)
			}
		}
	}
	// The record's own history has each reset once (the creation once per
	// region: each copy names other roles).
	h, err := db.History(ctx, store.EntityUser, both.ID)
	must(t, err)
	if len(h) != 4 || h[0].Changes[0].Field != "TOTPEnabled" || h[1].Changes[0].Field != "Password" || h[2].Action != store.ActionCreate {
		t.Fatalf("history of the two-region user: %+v", h)
	}
	// A platform admin has no region: one entry without a region.
	h, err = db.History(ctx, store.EntityUser, platform.ID)
	must(t, err)
	if len(h) != 2 || h[0].RegionID != 0 || h[1].RegionID != 0 {
		t.Fatalf("history of the platform admin: %+v", h)
	}
}

// UpdateUser of a login of two regions: each region whose view changed
// gets an entry with its own roles; a region whose grant is removed sees
// the removal.
func TestUserUpdateInEachRegionHistory(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "primacura")
	third := addRegion(t, db, "derde")
	u := addUser(t, db, "b@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID},
		mtvp.Grant{Role: mtvp.AccountFunder, RegionID: other.ID})
	entries := func(region int64) []mtvp.AuditEntry {
		t.Helper()
		h, err := db.RegionHistory(ctx, region, 100)
		must(t, err)
		var out []mtvp.AuditEntry
		for _, e := range h {
			if e.Entity == store.EntityUser && e.EntityID == u.ID && e.Action == store.ActionUpdate {
				out = append(out, e)
			}
		}
		return out
	}
	changes := func(e mtvp.AuditEntry) map[string]mtvp.Change {
		out := map[string]mtvp.Change{}
		for _, c := range e.Changes {
			out[c.Field] = c
		}
		return out
	}

	// Only zio's role changes: zio sees it, primacura has nothing to see.
	u.Grants = []mtvp.Grant{{Role: mtvp.AccountRegionAdmin, RegionID: r.ID}, {Role: mtvp.AccountFunder, RegionID: other.ID}}
	must(t, db.UpdateUser(ctx, admin, &u))
	if h := entries(r.ID); len(h) != 1 || changes(h[0])["Roles"] != (mtvp.Change{Field: "Roles", Old: "consultant@zio", New: "region-admin@zio"}) {
		t.Fatalf("zio: %+v", h)
	}
	if h := entries(other.ID); len(h) != 0 {
		t.Fatalf("primacura sees a change of zio's roles: %+v", h)
	}

	// The name changes, primacura's grant moves to a third region: every
	// region involved sees the name, primacura its grant go, the third its
	// grant come.
	u.Name = "Bea Anders"
	u.Grants = []mtvp.Grant{{Role: mtvp.AccountRegionAdmin, RegionID: r.ID}, {Role: mtvp.AccountFunder, RegionID: third.ID}}
	must(t, db.UpdateUser(ctx, admin, &u))
	for _, c := range []struct {
		region   int64
		old, new string
	}{{r.ID, "", ""}, {other.ID, "funder@primacura", ""}, {third.ID, "", "funder@derde"}} {
		h := entries(c.region)
		if len(h) == 0 {
			t.Fatalf("region %d: no entry", c.region)
		}
		ch := changes(h[0])
		if ch["Name"].New != "Bea Anders" || ch["Roles"].Old != c.old || ch["Roles"].New != c.new {
			t.Fatalf("region %d: %+v", c.region, h[0].Changes)
		}
	}
	h, err := db.History(ctx, store.EntityUser, u.ID)
	must(t, err)
	if len(h) != 2+1+3 { // created as seen by two regions, then updated as seen by one and by three
		t.Fatalf("history: %d entries %+v", len(h), h)
	}
}

// An unchanged session whose idle expiry moves on is written again only
// once it lags sessionRefresh behind; changed data is written at once, and
// a deleted session is not brought back by a late commit.
func TestSessionCommitThrottle(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	s := db.SessionStore()
	stored := func() time.Time {
		t.Helper()
		at, err := db.SessionExpiryForTest(ctx, "tok")
		if err != nil {
			t.Fatal(err)
		}
		return at.Truncate(time.Second)
	}
	t0 := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	deadline := t0.Add(10 * time.Hour)
	// Sessions as scs writes them: a gob map, whose byte order varies
	// from one encoding to the next.
	data := func(user string) string {
		b, err := (scs.GobCodec{}).Encode(deadline, map[string]any{"user": user, "epoch": int64(3), "mfa": true, "lang": "nl"})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, c := range []struct {
		data string
		at   time.Time
		want time.Time
	}{
		{data("a"), t0, t0},
		{data("a"), t0.Add(30 * time.Second), t0},                       // only the expiry, by less than a minute: not written
		{data("a"), t0.Add(40 * time.Second), t0},                       // again, encoded anew
		{data("a"), t0.Add(90 * time.Second), t0.Add(90 * time.Second)}, // a minute behind: written
		{data("b"), t0.Add(91 * time.Second), t0.Add(91 * time.Second)}, // new data: written at once
		{"not gob", t0.Add(92 * time.Second), t0.Add(92 * time.Second)}, // another encoding: always written
		{"not gob", t0.Add(93 * time.Second), t0.Add(93 * time.Second)},
	} {
		if err := s.CommitCtx(ctx, "tok", []byte(c.data), c.at); err != nil {
			t.Fatal(err)
		}
		if got := stored(); !got.Equal(c.want) {
			t.Fatalf("after commit at %s: stored expiry %s, want %s", c.at, got, c.want)
		}
	}
	if err := s.DeleteCtx(ctx, "tok"); err != nil {
		t.Fatal(err)
	}
	if _, found, err := s.FindCtx(ctx, "tok"); err != nil || found {
		t.Fatalf("deleted session found=%v err=%v", found, err)
	}
	if err := s.CommitCtx(ctx, "tok", []byte(data("b")), t0.Add(100*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.FindCtx(ctx, "tok"); !found {
		t.Fatal("a new commit after delete was not written")
	}
}

// The session and its user come back in one statement (issue 14): with a
// context of WithSessionUser, FindCtx reads the user and their grants
// beside the session. A session without a user, or one written before
// the user was kept beside it, gives none (the caller reads it by ID).
// Not parallel: it counts the statements of its own database.
func TestSessionUserInOneQuery(t *testing.T) {
	off := store.CountQueries()
	db := newDB(t)
	off()
	r := addRegion(t, db, "zio")
	u := addUser(t, db, "c@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID}, mtvp.Grant{Role: mtvp.AccountFunder, RegionID: r.ID})
	s := db.SessionStore()
	expiry := time.Now().Add(time.Hour)
	encode := func(values map[string]any) []byte {
		b, err := (scs.GobCodec{}).Encode(expiry, values)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	must(t, s.CommitCtx(ctx, "signed-in", encode(map[string]any{store.SessionUserKey: u.ID, "epoch": int64(0)}), expiry))
	must(t, s.CommitCtx(ctx, "anonymous", encode(map[string]any{"lang": "en"}), expiry))
	must(t, s.CommitCtx(ctx, "legacy", encode(map[string]any{store.SessionUserKey: u.ID}), expiry))
	must(t, db.ExecRawForTest(ctx, `UPDATE sessions SET user_id = NULL WHERE token = 'legacy'`))

	before := db.Queries()
	c := store.WithSessionUser(ctx)
	b, found, err := s.FindCtx(c, "signed-in")
	must(t, err)
	got, ok := store.SessionUser(c)
	if n := db.Queries() - before; n != 1 {
		t.Errorf("session and user in %d statements, want 1", n)
	}
	if !found || len(b) == 0 || !ok || got.ID != u.ID || got.Email != u.Email || len(got.Grants) != 2 || got.Grants[0].RegionCode != "zio" || got.CreatedAt.IsZero() {
		t.Fatalf("signed-in: found %v, user %v %+v", found, ok, got)
	}
	for _, token := range []string{"anonymous", "legacy", "unknown"} {
		c := store.WithSessionUser(ctx)
		_, found, err := s.FindCtx(c, token)
		must(t, err)
		if _, ok := store.SessionUser(c); ok || found != (token != "unknown") {
			t.Errorf("%s: found %v, user %v", token, found, ok)
		}
	}
	// Without WithSessionUser, FindCtx reads the session alone.
	if _, ok := store.SessionUser(ctx); ok {
		t.Error("a user without WithSessionUser")
	}
	// A disabled user is still returned: the caller ends the session.
	u.Disabled = true
	must(t, db.UpdateUser(ctx, admin, &u))
	c = store.WithSessionUser(ctx)
	s.FindCtx(c, "signed-in")
	if got, ok := store.SessionUser(c); !ok || !got.Disabled {
		t.Errorf("disabled user: %v %+v", ok, got)
	}
}
