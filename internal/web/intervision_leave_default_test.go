package web

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// Ending a place in a group of an earlier year offers the last day of that
// year, not today (which lies outside the group's year); this year's
// groups offer today.
func TestLeaveDefaultWithinGroupYear(t *testing.T) {
	f := newFixture(t)
	ctx, sys := context.Background(), mtvp.SystemActor
	today := mtvp.DateOf(clock.Now())
	for _, c := range []struct {
		year int
		want string
	}{
		{today.Year() - 1, mtvp.NewDate(today.Year()-1, time.December, 31).String()},
		{today.Year(), today.String()},
	} {
		g := mtvp.Group{RegionID: f.regionA.ID, Year: c.year, Name: "Groep " + strconv.Itoa(c.year), FacilitatorID: f.users[facilitatorA].ID, Place: "Gulpen", Weekday: 2, Capacity: 8}
		if err := f.db.CreateGroup(ctx, sys, &g); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.SignUp(ctx, sys, g.ID, f.p1.ID, f.person.ID, mtvp.NewDate(c.year, time.January, 1)); err != nil {
			t.Fatal(err)
		}
		body := f.do(adminA, "GET", "/regio/{region}/intervisie/"+strconv.FormatInt(g.ID, 10), nil).Body.String()
		if !strings.Contains(body, `name="left" value="`+c.want+`"`) {
			t.Errorf("group of %d: the end date offered is not %s", c.year, c.want)
		}
	}
}
