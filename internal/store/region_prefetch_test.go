package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// A request about a region reads the region and its change counter in its
// authentication query (session or token): one statement for both, and
// RegionByCode / RegionByCodeWithChange then answer without a query. A
// write in the request drops the prefetch, so a read after it sees it.
func TestRegionPrefetch(t *testing.T) {
	off := store.CountQueries()
	db := newDB(t)
	off()
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "noord")
	u := addUser(t, db, "c@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})

	expiry := time.Now().Add(time.Hour)
	data, err := (scs.GobCodec{}).Encode(expiry, map[string]any{store.SessionUserKey: u.ID, "epoch": int64(0)})
	must(t, err)
	s := db.SessionStore()
	must(t, s.CommitCtx(ctx, "signed-in", data, expiry))
	const token = "prefetch-token-hash"
	_, err = db.CreateAPIToken(ctx, admin, u.ID, "test", token)
	must(t, err)
	// The token's first use is written (and audited): use it once, so the
	// reads below are reads only.
	_, err = db.UserByTokenHash(ctx, token)
	must(t, err)
	wantCounter, err := db.RegionChange(ctx, r.ID)
	must(t, err)

	authenticate := map[string]func(c context.Context) error{
		"session": func(c context.Context) error { _, _, err := s.FindCtx(c, "signed-in"); return err },
		"token":   func(c context.Context) error { _, err := db.UserByTokenHash(c, token); return err },
	}
	for name, auth := range authenticate {
		t.Run(name, func(t *testing.T) {
			want, err := db.RegionByCode(ctx, "zio")
			must(t, err)
			c := store.WithRegionPrefetch(store.WithSessionUser(ctx), " ZIO ")
			before := db.Queries()
			must(t, auth(c))
			reg, counter, err := db.RegionByCodeWithChange(c, "zio")
			must(t, err)
			byCode, err := db.RegionByCode(c, "Zio")
			must(t, err)
			if n := db.Queries() - before; n != 1 {
				t.Errorf("authentication, region and counter in %d statements, want 1", n)
			}
			if reg.ID != r.ID || reg.Name != want.Name || reg.Version != want.Version || !reg.UpdatedAt.Equal(want.UpdatedAt) || len(reg.Insurers) != len(want.Insurers) || counter != wantCounter || byCode.ID != r.ID {
				t.Errorf("prefetched %+v counter %d, want region %d counter %d", reg, counter, r.ID, wantCounter)
			}
			// Another region is read as always.
			if o, err := db.RegionByCode(c, "noord"); err != nil || o.ID != other.ID {
				t.Errorf("other region: %+v %v", o, err)
			}

			// A write in the same request: the counter is read anew.
			reg.Name = "ZIO (" + name + ")"
			must(t, db.UpdateRegion(c, admin, &reg))
			_, after, err := db.RegionByCodeWithChange(c, "zio")
			must(t, err)
			if after <= counter {
				t.Errorf("after a write the counter is %d, was %d: read from the stale prefetch", after, counter)
			}
			if got, _ := db.RegionByCode(c, "zio"); got.Name != reg.Name {
				t.Errorf("after a write the region reads %q, want %q", got.Name, reg.Name)
			}
			wantCounter = after
		})
	}

	// Unchanged, the region comes from this process's decoded copy: equal
	// to a plain read, and a copy the caller may change without touching
	// the next request's.
	prefetch := func() mtvp.Region {
		t.Helper()
		c := store.WithRegionPrefetch(store.WithSessionUser(ctx), "zio")
		_, _, err := s.FindCtx(c, "signed-in")
		must(t, err)
		reg, err := db.RegionByCode(c, "zio")
		must(t, err)
		return reg
	}
	first := prefetch()
	first.Settings.Requirements[0] = "veranderd"
	first.Insurers[0] = "veranderd"
	plain, err := db.RegionByCode(ctx, "zio")
	must(t, err)
	if again := prefetch(); !reflect.DeepEqual(again, plain) {
		t.Errorf("prefetched again:\n%+v\nplain read:\n%+v", again, plain)
	}
	// The reminder settings move the region's updated_at, not its version.
	time.Sleep(time.Millisecond)
	must(t, db.SetReminderSettings(ctx, admin, r.ID, mtvp.ReminderSettings{}))
	plain, err = db.RegionByCode(ctx, "zio")
	must(t, err)
	if again := prefetch(); !again.UpdatedAt.Equal(plain.UpdatedAt) || again.Version != plain.Version {
		t.Errorf("after reminder settings: updated %v version %d, want %v %d", again.UpdatedAt, again.Version, plain.UpdatedAt, plain.Version)
	}

	// A region that does not exist: not found, without another query.
	c := store.WithRegionPrefetch(store.WithSessionUser(ctx), "nergens")
	_, _, err = s.FindCtx(c, "signed-in")
	must(t, err)
	before := db.Queries()
	if _, _, err := db.RegionByCodeWithChange(c, "nergens"); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Errorf("unknown region: %v, want not found", err)
	}
	if n := db.Queries() - before; n != 0 {
		t.Errorf("unknown region read again (%d statements)", n)
	}
}
