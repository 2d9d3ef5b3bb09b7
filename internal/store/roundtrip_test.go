package store_test

import (
	"fmt"
	"testing"
	"time"

	"meertijd/internal/mtvp"
)

// Dates and timestamps read back exactly as written on both engines.
func TestDatesAndTimesRoundtrip(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := mtvp.Region{Code: "zio", Name: "ZIO", ProgrammeStart: mtvp.MustDate("1999-12-31"), Settings: mtvp.DefaultNormSettings()}
	must(t, db.CreateRegion(ctx, admin, &r))
	got, err := db.RegionByID(ctx, r.ID)
	must(t, err)
	if got.ProgrammeStart.String() != "1999-12-31" || got.Settings.PriorLearningCutoff.String() != "2022-09-01" {
		t.Fatalf("region dates %v %v", got.ProgrammeStart, got.Settings.PriorLearningCutoff)
	}
	if !got.CreatedAt.Equal(r.CreatedAt) || got.CreatedAt.Location() != time.UTC || got.CreatedAt.Nanosecond()%1000 != 0 {
		t.Fatalf("created at %v, stored %v", got.CreatedAt, r.CreatedAt)
	}
	noStart := mtvp.Region{Code: "leeg", Name: "Zonder start", Settings: mtvp.DefaultNormSettings()}
	must(t, db.CreateRegion(ctx, admin, &noStart))
	got, err = db.RegionByID(ctx, noStart.ID)
	must(t, err)
	if !got.ProgrammeStart.IsZero() {
		t.Fatalf("zero date read back as %v", got.ProgrammeStart)
	}

	p := addPractice(t, db, r.ID, agb(1), "Praktijk")
	for i, c := range []struct{ from, to string }{
		{"2024-02-29", ""}, {"2000-01-01", "2099-12-31"}, {"2024-03-31", "2024-10-27"}, {"1970-01-01", "1970-01-01"},
	} {
		pe := mtvp.Person{Name: fmt.Sprint("Persoon ", i)}
		m := mtvp.Membership{Role: mtvp.RoleOverig, From: mtvp.MustDate(c.from), To: mtvp.MustDate(c.to)}
		must(t, db.AddStaff(ctx, admin, p.ID, &pe, &m))
		got, err := db.MembershipByID(ctx, m.ID)
		must(t, err)
		if got.From.String() != c.from || got.To.String() != c.to || got.From != m.From || got.To != m.To {
			t.Errorf("membership dates %v–%v, want %s–%s", got.From, got.To, c.from, c.to)
		}
	}
	// Timestamps around a DST change, in any zone, come back in UTC.
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		ams = time.FixedZone("CET", 3600)
	}
	u := addUser(t, db, "u@zio.nl", mtvp.Grant{Role: mtvp.AccountRegionAdmin, RegionID: r.ID})
	for _, at := range []time.Time{
		time.Date(2026, 3, 29, 2, 30, 0, 999999999, ams),
		time.Date(2026, 10, 25, 2, 30, 0, 1000, ams),
		time.Date(2026, 12, 31, 23, 59, 59, 999999000, time.UTC),
	} {
		must(t, db.RecordLogin(ctx, u.ID, at))
		got, err := db.UserByID(ctx, u.ID)
		must(t, err)
		if want := at.UTC().Truncate(time.Microsecond); got.LastLoginAt != want {
			t.Errorf("last login %v, want %v", got.LastLoginAt, want)
		}
	}
}
