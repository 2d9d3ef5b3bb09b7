package web

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"meertijd/internal/mtvp"
)

// An edit of person and membership that the store refuses for one part
// saves neither part, and the form keeps what was typed.
func TestStaffEditRefusedSavesNeither(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sys := mtvp.SystemActor
	bert := mtvp.Person{Name: "Bert Jansen", BIG: "98765432109"}
	bertM := mtvp.Membership{Role: mtvp.RoleHidha, FTE: 0.5, From: mtvp.MustDate("2021-01-01")}
	if err := f.db.AddStaff(ctx, sys, f.p1.ID, &bert, &bertM); err != nil {
		t.Fatal(err)
	}
	second := mtvp.Membership{PersonID: f.person.ID, PracticeID: f.p1.ID, Role: mtvp.RoleOverig, FTE: 0.1, From: mtvp.MustDate("2020-01-01")}
	if err := f.db.CreateMembership(ctx, sys, &second); err != nil {
		t.Fatal(err)
	}
	pc := practicesTestLogin(f, practiceP1)
	const edit = "/regio/{region}/praktijken/{practice}/medewerkers/{membership}"
	form := practicesTestHidden(practicesTestWant(t, pc.get(edit+"/bewerken"), http.StatusOK, `value="Anna de Vries"`))
	fill := func(changes map[string]string) {
		for k, v := range map[string]string{"name": "Anna de Vries-Jansen", "email": "anna@praktijkeen.nl", "big": f.person.BIG,
			"role": "praktijkhouder", "fte": "1,0", "from": "2020-01-01"} {
			form.Set(k, v)
		}
		for k, v := range changes {
			form.Set(k, v)
		}
	}
	storedP, _ := f.db.PersonByID(ctx, f.person.ID)
	storedM, _ := f.db.MembershipByID(ctx, f.membership.ID)
	audit := f.auditCount()
	unchanged := func(what string) {
		t.Helper()
		p, _ := f.db.PersonByID(ctx, f.person.ID)
		m, _ := f.db.MembershipByID(ctx, f.membership.ID)
		if !reflect.DeepEqual(p, storedP) || !reflect.DeepEqual(m, storedM) {
			t.Errorf("%s saved a part:\n%+v\n%+v", what, p, m)
		}
		if n := f.auditCount(); n != audit {
			t.Errorf("%s wrote %d audit entries", what, n-audit)
		}
	}

	// Another person's BIG number: refused for the person, so the new FTE
	// is not saved either.
	fill(map[string]string{"big": bert.BIG})
	practicesTestWant(t, pc.post(edit, form), http.StatusUnprocessableEntity,
		"Er is al een persoon met dit BIG-nummer in deze regio.", `value="Anna de Vries-Jansen"`, `value="1,0"`)
	unchanged("BIG number of another person")

	// A role and start that Anna already has here: refused for the
	// membership, so the new name is not saved either.
	fill(map[string]string{"role": "overig"})
	practicesTestWant(t, pc.post(edit, form), http.StatusUnprocessableEntity,
		"Deze persoon werkt al in deze functie bij deze praktijk.", `value="Anna de Vries-Jansen"`)
	unchanged("same membership twice")

	// Valid: both parts saved, each audited once.
	fill(nil)
	if rec := pc.post(edit, form); rec.Code != http.StatusSeeOther {
		t.Fatalf("valid edit: %d %.500s", rec.Code, rec.Body.String())
	}
	p, _ := f.db.PersonByID(ctx, f.person.ID)
	m, _ := f.db.MembershipByID(ctx, f.membership.ID)
	if p.Name != "Anna de Vries-Jansen" || p.Version != storedP.Version+1 || m.FTE != 1.0 || m.Version != storedM.Version+1 {
		t.Fatalf("after edit: %+v %+v", p, m)
	}
	if n := f.auditCount(); n != audit+2 {
		t.Fatalf("%d audit entries, want 2", n-audit)
	}
}
