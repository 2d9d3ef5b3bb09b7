package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestRecordPastSignUp: a group of last year is closed to the practice but
// open to the region admin with the real date; each refusal names
// signed_up_on with its own message and writes nothing; the admin's
// sign-up is audited as recorded afterwards.
func TestRecordPastSignUp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	last := clock.Now().Year() - 1
	g := mtvp.Group{RegionID: f.regionA.ID, Year: last, Name: "Vorig jaar", FacilitatorID: f.users[facilitatorA].ID, Place: "Gulpen", Weekday: 2, Capacity: 6}
	if err := f.db.CreateGroup(ctx, mtvp.SystemActor, &g); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/intervision-groups/" + itoa(g.ID) + "/members"
	body := func(on string) string {
		s := `{"practice_id":` + itoa(f.p1.ID) + `,"person_id":{anna}`
		if on != "" {
			s += `,"signed_up_on":"` + on + `"`
		}
		return s + "}"
	}
	march := mtvp.NewDate(last, time.March, 1).String()
	for _, tc := range []struct {
		who     who
		on, key string
	}{
		{practiceP1, march, "history.err.year_closed"},
		{adminA, "", "history.err.date_required_past"},
		{adminA, "01-03-" + itoa(int64(last)), "api.err.date_format"},
		{adminA, mtvp.NewDate(last+1, time.January, 5).String(), "history.err.date_outside_year"},
	} {
		before := f.auditCount()
		rec := f.send(tc.who, http.MethodPost, path, body(tc.on))
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		_, _, fields := errorOf(t, rec)
		if k, _ := fieldKey(fields, "signed_up_on"); k != tc.key {
			t.Errorf("%s %q: key %q, want %s", tc.who, tc.on, k, tc.key)
		}
		if f.auditCount() != before {
			t.Errorf("%s %q: refused but audited", tc.who, tc.on)
		}
	}
	rec := f.send(adminA, http.MethodPost, path, body(march))
	wantStatus(t, rec, http.StatusCreated)
	id := int64(decodeBody(t, rec)["id"].(float64))
	h, err := f.db.History(ctx, store.EntityMember, id)
	if err != nil || len(h) == 0 {
		t.Fatalf("history %v %v", h, err)
	}
	found := false
	for _, c := range h[0].Changes {
		found = found || (c.Field == "RecordedAfterwards" && c.New == march)
	}
	if !found {
		t.Fatalf("not audited as recorded afterwards: %+v", h[0].Changes)
	}
}
