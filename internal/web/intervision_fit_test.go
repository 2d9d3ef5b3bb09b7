package web

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// TestPracticeSignUpListsOnlyStaffWhoFit: the practice's intervision
// sign-up lists only staff some group of the year accepts, and its hint
// names the rule; once a mixed group exists, everyone fits. Ending a place
// has a visible, labelled date field.
func TestPracticeSignUpListsOnlyStaffWhoFit(t *testing.T) {
	f := newFixture(t)
	ivSetup(f)
	ctx := context.Background()
	sys := mtvp.SystemActor
	bert := mtvp.Person{Name: "Bert Assistent"}
	if err := f.db.AddStaff(ctx, sys, f.p1.ID, &bert, &mtvp.Membership{Role: mtvp.RoleDoktersassistent, FTE: 0.5, From: mtvp.MustDate("2021-01-01")}); err != nil {
		t.Fatal(err)
	}
	const path = "/regio/{region}/praktijken/{practice}/intervisie"
	options := func() string {
		body := f.do(practiceP1, "GET", path, nil).Body.String()
		m := regexp.MustCompile(`(?s)<select[^>]*name="person".*?</select>`).FindString(body)
		if m == "" {
			t.Fatal("no person select")
		}
		return m
	}
	body := f.do(practiceP1, "GET", path, nil).Body.String()
	if !strings.Contains(body, "Alleen huidige medewerkers die in de groepen van dit jaar passen: praktijkhouder, vaste waarnemer.") {
		t.Errorf("hint does not state the rule")
	}
	sel := options()
	if strings.Contains(sel, "Bert Assistent") || !strings.Contains(sel, f.person.Name) {
		t.Errorf("without a mixed group the assistant is listed, or the GP not: %s", sel)
	}
	if !regexp.MustCompile(`<label class="utrecht-form-label iv-left-label" for="[^"]+">Einddatum plaats<span class="adm-visually-hidden"> \([^)]+\)</span></label> <input type="date"`).MatchString(body) {
		t.Errorf("ending a place has no visible labelled date field")
	}
	mixed := mtvp.Group{RegionID: f.regionA.ID, Year: clock.Now().Year(), Name: "Gemengd", FacilitatorID: f.users[facilitatorA].ID, Place: "Heerlen", Weekday: 3, Capacity: 8, Mixed: true}
	if err := f.db.CreateGroup(ctx, sys, &mixed); err != nil {
		t.Fatal(err)
	}
	if sel := options(); !strings.Contains(sel, "Bert Assistent") {
		t.Errorf("with a mixed group the assistant fits: %s", sel)
	}
}
