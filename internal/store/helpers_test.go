package store_test

import (
	"context"
	"fmt"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

var (
	ctx   = context.Background()
	admin = mtvp.Actor{UserID: 0, Name: "Test Beheerder"}
)

func newDB(t testing.TB) *store.DB {
	t.Helper()
	return storetest.New(t)
}

// twoServers opens the same new database twice, as two app servers would
// (PostgreSQL, else one SQLite file), each with its own caches.
func twoServers(t testing.TB) (a, b *store.DB) {
	t.Helper()
	url, dir := storetest.NewDatabaseURL(t), t.TempDir()
	open := func() *store.DB {
		db, err := store.Open(ctx, url, dir)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		must(t, db.Migrate(ctx))
		return db
	}
	return open(), open()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err carries the mtvp error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := mtvp.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantField fails unless err is EINVALID with field = key.
func wantField(t testing.TB, err error, field, key string) {
	t.Helper()
	wantCode(t, err, mtvp.EINVALID)
	if got := mtvp.FieldErrorsOf(err)[field]; got != key {
		t.Fatalf("field %q = %q, want %q (all: %v)", field, got, key, mtvp.FieldErrorsOf(err))
	}
}

func addRegion(t testing.TB, db *store.DB, code string) mtvp.Region {
	t.Helper()
	r := mtvp.Region{Code: code, Name: "Regio " + code, Insurers: []string{"CZ", "VGZ"},
		ProgrammeStart: mtvp.MustDate("2024-01-01"), Settings: mtvp.DefaultNormSettings()}
	must(t, db.CreateRegion(ctx, admin, &r))
	return r
}

func addPractice(t testing.TB, db *store.DB, region int64, agb, name string) mtvp.Practice {
	t.Helper()
	p := mtvp.Practice{RegionID: region, AGB: agb, Name: name, City: "Maastricht", RegisteredPatients: 2095,
		Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-02-01")}
	must(t, db.CreatePractice(ctx, admin, &p))
	return p
}

func addUser(t testing.TB, db *store.DB, email string, grants ...mtvp.Grant) mtvp.User {
	t.Helper()
	u := mtvp.User{Email: email, Name: "Gebruiker " + email, Grants: grants}
	must(t, db.CreateUser(ctx, admin, &u, "hash-"+email))
	return u
}

func addStaff(t testing.TB, db *store.DB, practice int64, name, big string, role mtvp.StaffRole, fte float64, from string) (mtvp.Person, mtvp.Membership) {
	t.Helper()
	p := mtvp.Person{Name: name, BIG: big}
	m := mtvp.Membership{Role: role, FTE: fte, From: mtvp.MustDate(from)}
	must(t, db.AddStaff(ctx, admin, practice, &p, &m))
	return p, m
}

func agb(n int) string { return fmt.Sprintf("%08d", 1000000+n) }
