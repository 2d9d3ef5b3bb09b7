package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// The session and token lookups keep a user's grants in the process and
// have the database send them only when users.grants_version moved. Two
// app servers on one database: whatever server b changes about what a
// grant shows (a grant added or removed, the practice's name), server a's
// next lookup shows, for a session and for a token; and while nothing
// changes the lookup does not send the grants again.
func TestGrantsMemoTwoServers(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	r := addRegion(t, b, "zio")
	p := addPractice(t, b, r.ID, "01000001", "Praktijk Een")
	u := addUser(t, b, "c@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})

	expiry := time.Now().Add(time.Hour)
	data, err := (scs.GobCodec{}).Encode(expiry, map[string]any{store.SessionUserKey: u.ID, "epoch": int64(0)})
	must(t, err)
	must(t, a.SessionStore().CommitCtx(ctx, "sessie", data, expiry))
	const token = "grants-memo-token-hash"
	_, err = b.CreateAPIToken(ctx, admin, u.ID, "test", token)
	must(t, err)
	_, err = a.UserByTokenHash(ctx, token) // its first use is written
	must(t, err)

	lookups := map[string]func() mtvp.User{
		"session": func() mtvp.User {
			t.Helper()
			c := store.WithSessionUser(ctx)
			_, found, err := a.SessionStore().FindCtx(c, "sessie")
			must(t, err)
			got, ok := store.SessionUser(c)
			if !found || !ok {
				t.Fatal("session without its user")
			}
			return got
		},
		"token": func() mtvp.User {
			t.Helper()
			got, err := a.UserByTokenHash(ctx, token)
			must(t, err)
			return got
		},
	}
	want := func(step string, grants ...mtvp.Grant) {
		t.Helper()
		for name, lookup := range lookups {
			for i := range 2 { // read, then from the memo
				got := lookup()
				if len(got.Grants) != len(grants) {
					t.Fatalf("%s, %s (%d): grants %+v, want %+v", step, name, i, got.Grants, grants)
				}
				for j, g := range grants {
					h := got.Grants[j]
					if h.Role != g.Role || h.RegionID != g.RegionID || h.PracticeID != g.PracticeID || h.PracticeName != g.PracticeName || h.RegionCode != "zio" {
						t.Fatalf("%s, %s (%d): grant %+v, want %+v", step, name, i, h, g)
					}
				}
				// The caller may change what it got.
				if len(got.Grants) > 0 {
					got.Grants[0].Role = "veranderd"
				}
			}
		}
	}
	consultant := mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID}
	want("to begin with", consultant)

	// Unchanged: the grants are not sent again (the lookup's grants column
	// is NULL; counted as bytes would be engine-specific, so: a grant
	// changed behind the triggers' back is not seen — the memo is used).
	must(t, b.ExecRawForTest(ctx, `UPDATE grants SET role = 'praktijk' WHERE user_id = $1`, u.ID))
	must(t, b.ExecRawForTest(ctx, `UPDATE users SET grants_version = grants_version - 1 WHERE id = $1`, u.ID))
	want("a change the version does not show (the memo answers)", consultant)
	must(t, b.ExecRawForTest(ctx, `UPDATE grants SET role = $2 WHERE user_id = $1`, u.ID, string(mtvp.AccountConsultant)))

	// A grant added (through the store, as the accounts page does).
	fresh, err := b.UserByID(ctx, u.ID)
	must(t, err)
	practiceGrant := mtvp.Grant{Role: mtvp.AccountPractice, PracticeID: p.ID, RegionID: r.ID, PracticeName: "Praktijk Een"}
	fresh.Grants = []mtvp.Grant{consultant, practiceGrant}
	must(t, b.UpdateUser(ctx, admin, &fresh))
	want("a grant added", consultant, practiceGrant)

	// The practice renamed: the grant shows the new name.
	p.Name = "Praktijk Eén"
	must(t, b.UpdatePractice(ctx, admin, &p))
	practiceGrant.PracticeName = "Praktijk Eén"
	want("the practice renamed", consultant, practiceGrant)

	// A grant removed.
	fresh, err = b.UserByID(ctx, u.ID)
	must(t, err)
	fresh.Grants = []mtvp.Grant{practiceGrant}
	must(t, b.UpdateUser(ctx, admin, &fresh))
	want("a grant removed", practiceGrant)

	// Another user on a known credential is read in full: the database
	// checks the user, not just the version.
	other := addUser(t, b, "d@zio.nl", mtvp.Grant{Role: mtvp.AccountFunder, RegionID: r.ID})
	must(t, b.ExecRawForTest(ctx, `UPDATE sessions SET user_id = $1 WHERE token = 'sessie'`, other.ID))
	c := store.WithSessionUser(context.Background())
	_, _, err = a.SessionStore().FindCtx(c, "sessie")
	must(t, err)
	if got, _ := store.SessionUser(c); got.ID != other.ID || len(got.Grants) != 1 || got.Grants[0].Role != mtvp.AccountFunder {
		t.Fatalf("another user on the session: %+v", got)
	}
}
