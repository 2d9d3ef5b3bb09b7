package store_test

import (
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func TestUpdateActivityVersionCapacityPromotion(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p1 := addPractice(t, db, r.ID, agb(1), "De Linde")
	act := mtvp.Activity{RegionID: r.ID, Kind: mtvp.KindNetwork, Title: "Netwerkavond", Date: today().AddDays(14),
		StartTime: "19:00", EndTime: "21:00", Place: "Maastricht", Capacity: 2}
	must(t, db.CreateActivity(ctx, admin, &act))
	var ss []mtvp.ActivitySignUp
	for _, n := range []string{"Anna", "Bep", "Cor", "Dirk"} {
		p, _ := addStaff(t, db, p1.ID, n, "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
		x := mtvp.ActivitySignUp{ActivityID: act.ID, PersonID: p.ID, PracticeID: p1.ID}
		must(t, db.SignUpForActivity(ctx, admin, &x))
		ss = append(ss, x)
	}
	change0, err := db.RegionChange(ctx, r.ID)
	must(t, err)

	// A plain edit: saved, version bumped, audited with old and new values.
	e := act
	e.Title, e.Place = "Netwerkavond sociaal domein", "Sittard"
	must(t, db.UpdateActivity(ctx, admin, &e, nil))
	if e.Version != act.Version+1 || e.Title != "Netwerkavond sociaal domein" || e.Place != "Sittard" || e.Kind != mtvp.KindNetwork {
		t.Fatalf("after edit %+v", e)
	}
	h, err := db.History(ctx, store.EntityActivity, act.ID)
	must(t, err)
	if len(h) == 0 || h[0].Action != store.ActionUpdate || len(h[0].Changes) != 2 || h[0].Changes[0].Old != "Netwerkavond" {
		t.Fatalf("history %+v", h)
	}
	if change1, _ := db.RegionChange(ctx, r.ID); change1 == change0 {
		t.Fatal("region change counter did not move")
	}

	// The stale version: 409, nothing saved.
	stale := act
	stale.Title = "Iets anders"
	wantCode(t, db.UpdateActivity(ctx, admin, &stale, nil), mtvp.ECONFLICT)
	got, _ := db.ActivityByID(ctx, act.ID)
	if got.Title != "Netwerkavond sociaal domein" {
		t.Fatalf("stale edit saved: %q", got.Title)
	}

	// Shrinking below the placed count: refused on capacity, nothing saved.
	shrink := got
	shrink.Capacity, shrink.Title = 1, "Kleiner"
	wantField(t, db.UpdateActivity(ctx, admin, &shrink, nil), "capacity", "activity.err.capacity_below_placed")
	// Validation: the field named.
	bad := got
	bad.EndTime = "18:00"
	wantField(t, db.UpdateActivity(ctx, admin, &bad, nil), "end_time", "training.err.end_before_start")
	if got2, _ := db.ActivityByID(ctx, act.ID); got2.Version != got.Version || got2.Capacity != 2 {
		t.Fatalf("refused edit saved: %+v", got2)
	}

	// Raising the capacity by one places the first on the waiting list.
	raise := got
	raise.Capacity = 3
	must(t, db.UpdateActivity(ctx, admin, &raise, nil))
	if raise.Placed != 3 || raise.Waiting != 1 {
		t.Fatalf("after raise placed %d waiting %d", raise.Placed, raise.Waiting)
	}
	cor, _ := db.ActivitySignUpByID(ctx, ss[2].ID)
	dirk, _ := db.ActivitySignUpByID(ctx, ss[3].ID)
	if cor.Status != mtvp.EnrolmentPlaced || cor.PromotedAt.IsZero() || dirk.Status != mtvp.EnrolmentWaiting {
		t.Fatalf("promotion: Cor %v, Dirk %v", cor.Status, dirk.Status)
	}
}

func TestDeleteActivity(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p1 := addPractice(t, db, r.ID, agb(1), "De Linde")
	mk := func(title string) mtvp.Activity {
		act := mtvp.Activity{RegionID: r.ID, Kind: mtvp.KindNetwork, Title: title, Date: today().AddDays(14),
			StartTime: "19:00", EndTime: "21:00", Place: "Maastricht", Capacity: 1}
		must(t, db.CreateActivity(ctx, admin, &act))
		return act
	}
	anna, _ := addStaff(t, db, p1.ID, "Anna", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	bep, _ := addStaff(t, db, p1.ID, "Bep", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")

	// With a placed and a waiting sign-up: both go with the activity.
	act := mk("Netwerkavond")
	for _, p := range []mtvp.Person{anna, bep} {
		x := mtvp.ActivitySignUp{ActivityID: act.ID, PersonID: p.ID, PracticeID: p1.ID}
		must(t, db.SignUpForActivity(ctx, admin, &x))
	}
	wantCode(t, db.DeleteActivity(ctx, admin, act.ID, act.Version+1, nil), mtvp.ECONFLICT)
	must(t, db.DeleteActivity(ctx, admin, act.ID, act.Version, nil))
	_, err := db.ActivityByID(ctx, act.ID)
	wantCode(t, err, mtvp.ENOTFOUND)
	if xs, err := db.ActivitySignUps(ctx, act.ID, 0); err != nil || len(xs) != 0 {
		t.Fatalf("sign-ups left: %d %v", len(xs), err)
	}
	h, err := db.History(ctx, store.EntityActivity, act.ID)
	must(t, err)
	if len(h) == 0 || h[0].Action != store.ActionDelete {
		t.Fatalf("history %+v", h)
	}

	// With attendance recorded: refused, nothing removed.
	held := mk("Scholing")
	x := mtvp.ActivitySignUp{ActivityID: held.ID, PersonID: anna.ID, PracticeID: p1.ID}
	must(t, db.SignUpForActivity(ctx, admin, &x))
	must(t, db.SetActivityAttendance(ctx, admin, x.ID, x.Version, true))
	wantField(t, db.DeleteActivity(ctx, admin, held.ID, held.Version, nil), "activity", "activity.err.delete_attended")
	if _, err := db.ActivityByID(ctx, held.ID); err != nil {
		t.Fatal(err)
	}
}
