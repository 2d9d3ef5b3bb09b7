package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// TestActivityEditAndDeleteForms: the edit form saves (303), names the
// field in Dutch on a validation error (422) and shows the other's values
// on a stale version (409), saving nothing; cancelling asks first, then
// removes the activity with its sign-ups, and is refused once attendance
// was recorded.
func TestActivityEditAndDeleteForms(t *testing.T) {
	f := newFixture(t)
	activityWorld(f)
	ctx := context.Background()
	const one = "/regio/{region}/activiteiten/1"
	a, err := f.db.ActivityByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	form := func(version, title string) url.Values {
		return url.Values{"version": {version}, "title": {title}, "date": {a.Date.String()}, "start_time": {"19:00"}, "end_time": {"21:00"},
			"place": {"Maastricht"}, "capacity": {"10"}, "orig_title": {a.Title}, "orig_date": {a.Date.String()}, "orig_start_time": {"19:00"},
			"orig_end_time": {"21:00"}, "orig_place": {"Maastricht"}, "orig_capacity": {"10"}}
	}
	v := "1"
	if a.Version != 1 {
		t.Fatalf("version %d", a.Version)
	}
	if body := f.do(consultantA, "GET", one+"/wijzigen", nil).Body.String(); !strings.Contains(body, `value="Netwerkavond"`) || !strings.Contains(body, `name="orig_title"`) {
		t.Fatalf("edit form: %.500s", body)
	}
	rec := f.do(consultantA, "POST", one+"/wijzigen", form(v, " "))
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "Vul een titel in") {
		t.Fatalf("empty title: %d %.300s", rec.Code, rec.Body.String())
	}
	if rec := f.do(consultantA, "POST", one+"/wijzigen", form(v, "Netwerkavond nieuw")); rec.Code != 303 {
		t.Fatalf("save: %d %.300s", rec.Code, rec.Body.String())
	}
	if got, _ := f.db.ActivityByID(ctx, 1); got.Title != "Netwerkavond nieuw" || got.Version != 2 {
		t.Fatalf("stored %+v", got)
	}
	rec = f.do(adminA, "POST", one+"/wijzigen", form(v, "Mijn titel"))
	body := rec.Body.String()
	if rec.Code != 409 || !strings.Contains(body, "Iemand anders heeft deze activiteit intussen gewijzigd") || !strings.Contains(body, "Netwerkavond nieuw") ||
		!strings.Contains(body, `value="Mijn titel"`) || !strings.Contains(body, `name="version" value="2"`) {
		t.Fatalf("stale: %d %s", rec.Code, body)
	}
	if got, _ := f.db.ActivityByID(ctx, 1); got.Title != "Netwerkavond nieuw" {
		t.Fatalf("stale edit saved: %q", got.Title)
	}

	// Cancel: the confirmation first, then gone with its sign-up.
	rec = f.do(adminA, "POST", one+"/schrappen", url.Values{"version": {"2"}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `name="confirm"`) {
		t.Fatalf("confirm: %d %.300s", rec.Code, rec.Body.String())
	}
	if _, err := f.db.ActivityByID(ctx, 1); err != nil {
		t.Fatal("deleted without confirmation")
	}
	if rec := f.do(adminA, "POST", one+"/schrappen", url.Values{"version": {"2"}, "confirm": {"1"}}); rec.Code != 303 {
		t.Fatalf("delete: %d %.300s", rec.Code, rec.Body.String())
	}
	if _, err := f.db.ActivityByID(ctx, 1); err == nil {
		t.Fatal("not deleted")
	}
	if xs, _ := f.db.ActivitySignUps(ctx, 1, 0); len(xs) != 0 {
		t.Fatalf("sign-ups left: %d", len(xs))
	}
	hist := f.do(adminA, "GET", "/regio/{region}/historie", nil)
	if hist.Code != 200 || !strings.Contains(hist.Body.String(), "Netwerkavond nieuw") {
		t.Errorf("region history does not show the cancelled activity: %d", hist.Code)
	}

	// Attendance recorded: refused with the reason, nothing removed.
	held := mtvp.Activity{RegionID: f.regionA.ID, Kind: mtvp.KindNetwork, Title: "Gehouden", Date: a.Date, StartTime: "19:00", EndTime: "21:00", Place: "Gulpen", Capacity: 5}
	if err := f.db.CreateActivity(ctx, mtvp.SystemActor, &held); err != nil {
		t.Fatal(err)
	}
	x := mtvp.ActivitySignUp{ActivityID: held.ID, PersonID: f.person.ID, PracticeID: f.p1.ID}
	if err := f.db.SignUpForActivity(ctx, mtvp.SystemActor, &x); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetActivityAttendance(ctx, mtvp.SystemActor, x.ID, x.Version, true); err != nil {
		t.Fatal(err)
	}
	rec = f.do(adminA, "POST", fmt.Sprintf("/regio/{region}/activiteiten/%d/schrappen", held.ID), url.Values{"version": {"1"}, "confirm": {"1"}})
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "er is al aanwezigheid vastgelegd") {
		t.Fatalf("delete attended: %d %.300s", rec.Code, rec.Body.String())
	}
	if _, err := f.db.ActivityByID(ctx, held.ID); err != nil {
		t.Fatal(err)
	}
}
