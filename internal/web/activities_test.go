package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
)

// One activity as iCalendar: local Amsterdam times written in UTC, title
// and place.
func TestActivityCalendar(t *testing.T) {
	a := mtvp.Activity{ID: 7, Title: "Netwerkavond", Place: "Gulpen", Date: mtvp.NewDate(2026, time.December, 10), StartTime: "19:00", EndTime: "21:00"}
	cal := activityCalendar(a, time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC))
	for _, want := range []string{"BEGIN:VEVENT", "UID:activity-7@meertijd", "DTSTART:20261210T180000Z", "DTEND:20261210T200000Z", "SUMMARY:Netwerkavond", "LOCATION:Gulpen"} {
		if !strings.Contains(cal, want) {
			t.Errorf("calendar lacks %q:\n%s", want, cal)
		}
	}
}

// TestActivityKindSettingForm: the kind's select names every setting (a
// norm by name, the learning-environment minimum), a choice is stored and
// shown selected, an unknown norm is 422 naming the field and saves
// nothing, a stale version is 409; the regioplan page lists the kinds that
// count towards the learning environment.
func TestActivityKindSettingForm(t *testing.T) {
	f := newFixture(t)
	activityWorld(f)
	ctx := context.Background()
	const base = "/regio/{region}/activiteiten"
	body := f.do(adminA, "GET", base, nil).Body.String()
	for _, want := range []string{`value="norm:intervisie"`, "Telt mee voor de norm scholing doktersassistenten", "Telt mee voor de norm scholing huisartsen",
		"Telt mee voor de minimale horde lerende omgeving (regioplan)", "Telt niet mee (standaard)"} {
		if !strings.Contains(body, want) {
			t.Errorf("kinds form lacks %q", want)
		}
	}
	if rec := f.do(adminA, "POST", base+"/soorten", url.Values{"code": {"netwerk"}, "counts": {"norm:scholing_assistenten"}, "version": {"0"}}); rec.Code != 303 {
		t.Fatalf("save: %d %.300s", rec.Code, rec.Body.String())
	}
	kind := func() mtvp.ActivityKind {
		kinds, err := f.db.ActivityKinds(ctx, f.regionA.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range kinds {
			if k.Code == mtvp.KindNetwork {
				return k
			}
		}
		t.Fatal("no network kind")
		return mtvp.ActivityKind{}
	}
	if k := kind(); k.Counts != mtvp.CountsNorm || k.Norm != mtvp.ReqAssistantTraining || k.Version != 1 {
		t.Fatalf("stored %+v", k)
	}
	if body := f.do(adminA, "GET", base, nil).Body.String(); !strings.Contains(body, `value="norm:scholing_assistenten" selected`) {
		t.Errorf("stored setting not selected")
	}
	if body := f.do(adminA, "GET", base+"/1", nil).Body.String(); !strings.Contains(body, "Telt mee voor de norm scholing doktersassistenten") {
		t.Errorf("activity page does not say what its kind counts towards")
	}
	rec := f.do(adminA, "POST", base+"/soorten", url.Values{"code": {"netwerk"}, "counts": {"norm:plan_definitief"}, "version": {"1"}})
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "Kies of deelname meetelt") {
		t.Fatalf("unknown norm: %d %.300s", rec.Code, rec.Body.String())
	}
	if rec := f.do(adminA, "POST", base+"/soorten", url.Values{"code": {"netwerk"}, "counts": {""}, "version": {"0"}}); rec.Code != 409 {
		t.Fatalf("stale: %d", rec.Code)
	}
	if k := kind(); k.Norm != mtvp.ReqAssistantTraining || k.Version != 1 {
		t.Fatalf("changed by refused requests: %+v", k)
	}
	// The learning environment on the regioplan page: the scan counts
	// towards it. Its activity lies later this year — or today, on the
	// last day of a year (laterThisYear), when it counts as held.
	held := 0
	if day := laterThisYear(mtvp.DateOf(clock.Now()), 20); !day.After(mtvp.DateOf(clock.Now())) {
		held = 1
	}
	if rec := f.do(adminA, "POST", base+"/soorten", url.Values{"code": {"praktijkscan"}, "counts": {"regioplan"}, "version": {"0"}}); rec.Code != 303 {
		t.Fatalf("save scan: %d", rec.Code)
	}
	body = f.do(consultantA, "GET", fmt.Sprintf("/regio/{region}/regioplan/%d", f.year), nil).Body.String()
	if !strings.Contains(body, "Activiteiten die meetellen voor de minimale horde lerende omgeving") ||
		!strings.Contains(body, fmt.Sprintf("Praktijkscan: %d keer gehouden in %d", held, f.year)) || strings.Contains(body, "Netwerkbijeenkomst:") {
		t.Errorf("regioplan page: %s", body[strings.Index(body, "<main"):])
	}
}
