package store_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestBulkPeopleIDs: more rows than one statement holds; every record gets
// the ID of its own row, memberships link the right person and practice,
// and the summary audit counts the records.
func TestBulkPeopleIDs(t *testing.T) {
	db := newDB(t)
	reg := addRegion(t, db, "bulk")
	b := &store.PeopleBatch{AuditSummary: true}
	for i := 0; i < 3; i++ {
		b.Practices = append(b.Practices, &mtvp.Practice{RegionID: reg.ID, AGB: fmt.Sprintf("0105%04d", i), Name: fmt.Sprintf("Praktijk %d", i),
			Status: mtvp.PracticeActive, RegisteredPatients: 2000, JoinedOn: mtvp.MustDate("2024-01-01")})
	}
	const n = 2500 // persons: three statements of at most 1,000 rows
	for i := 0; i < n; i++ {
		p := &mtvp.Person{RegionID: reg.ID, Name: fmt.Sprintf("Persoon %04d", i), BIG: fmt.Sprintf("1%010d", i)}
		b.Persons = append(b.Persons, p)
		b.Memberships = append(b.Memberships, &store.MembershipRow{Person: p, Practice: b.Practices[i%3],
			Membership: mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.5, From: mtvp.MustDate("2020-01-01")}})
	}
	must(t, db.BulkPeople(ctx, admin, b))
	for _, i := range []int{0, 999, 1000, 1999, 2000, n - 1} {
		p, err := db.PersonByID(ctx, b.Persons[i].ID)
		must(t, err)
		if p.Name != b.Persons[i].Name {
			t.Fatalf("person %d: id %d holds %q", i, b.Persons[i].ID, p.Name)
		}
		m, err := db.MembershipByID(ctx, b.Memberships[i].Membership.ID)
		must(t, err)
		if m.PersonID != p.ID || m.PracticeID != b.Practices[i%3].ID {
			t.Fatalf("membership %d: %+v", i, m)
		}
	}
	hist, err := db.RegionHistory(ctx, reg.ID, 100)
	must(t, err)
	counts := map[string]string{}
	for _, e := range hist {
		if e.Action == store.ActionImport {
			counts[e.Entity] = e.Changes[len(e.Changes)-1].New
		}
	}
	if counts[store.EntityPerson] != "2500" || counts[store.EntityMembership] != "2500" || counts[store.EntityPractice] != "3" {
		t.Fatalf("summary audit: %v", counts)
	}
	// A duplicate BIG number: nothing is written.
	dup := &store.PeopleBatch{Persons: []*mtvp.Person{{RegionID: reg.ID, Name: "Nieuw", BIG: "19999999999"}, {RegionID: reg.ID, Name: "Dubbel", BIG: b.Persons[0].BIG}}}
	wantField(t, db.BulkPeople(ctx, admin, dup), "big", "err.big_taken")
	if _, err := db.PersonByBIG(ctx, reg.ID, "19999999999"); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Fatalf("half-saved batch: %v", err)
	}
}

// TestPlanInterventionIDs: the final plans' interventions are read from the
// stored text as json.Marshal and PostgreSQL's jsonb write it, and never
// from a user's text.
func TestPlanInterventionIDs(t *testing.T) {
	c := mtvp.PlanContent{Ambition: `tekst met "intervention_id":99 erin`, Items: []mtvp.PlanItem{
		{InterventionID: 12, Goal: `"intervention_id": 98`}, {InterventionID: 7}}}
	js, err := json.Marshal(c)
	must(t, err)
	for _, text := range []string{string(js), strings.ReplaceAll(string(js), `":`, `": `)} {
		if got := store.PlanInterventionIDsForTest([]byte(text)); fmt.Sprint(got) != "[12 7]" {
			t.Fatalf("%s: %v", text, got)
		}
	}
}
