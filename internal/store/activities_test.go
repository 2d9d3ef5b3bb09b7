package store_test

import (
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func TestActivitySignUpsWaitingListAttendance(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p1, p2 := addPractice(t, db, r.ID, agb(1), "De Linde"), addPractice(t, db, r.ID, agb(2), "Het Anker")
	act := mtvp.Activity{RegionID: r.ID, Kind: mtvp.KindNetwork, Title: "Netwerkavond", Date: today().AddDays(14),
		StartTime: "19:00", EndTime: "21:00", Place: "Maastricht", Capacity: 2}
	must(t, db.CreateActivity(ctx, admin, &act))
	var people []mtvp.Person
	for _, n := range []string{"Anna", "Bep", "Cor"} {
		p, _ := addStaff(t, db, p1.ID, n, "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
		people = append(people, p)
	}
	var ss []mtvp.ActivitySignUp
	for _, p := range people {
		x := mtvp.ActivitySignUp{ActivityID: act.ID, PersonID: p.ID, PracticeID: p1.ID}
		must(t, db.SignUpForActivity(ctx, admin, &x))
		ss = append(ss, x)
	}
	if ss[0].Status != mtvp.EnrolmentPlaced || ss[1].Status != mtvp.EnrolmentPlaced || ss[2].Status != mtvp.EnrolmentWaiting || ss[2].Position != 1 {
		t.Fatalf("statuses %v %v %v/%d", ss[0].Status, ss[1].Status, ss[2].Status, ss[2].Position)
	}
	again := mtvp.ActivitySignUp{ActivityID: act.ID, PersonID: people[0].ID, PracticeID: p1.ID}
	wantField(t, db.SignUpForActivity(ctx, admin, &again), "person", "training.err.already_enrolled")
	// Someone of another practice signed up as if ours: refused.
	wrong := mtvp.ActivitySignUp{ActivityID: act.ID, PersonID: people[0].ID, PracticeID: p2.ID}
	wantField(t, db.SignUpForActivity(ctx, admin, &wrong), "person", "training.err.person_not_on_staff")
	wantCode(t, db.CancelActivitySignUp(ctx, admin, ss[0].ID, ss[0].Version+1, nil), mtvp.ECONFLICT)
	must(t, db.CancelActivitySignUp(ctx, admin, ss[0].ID, ss[0].Version, nil))
	cor, err := db.ActivitySignUpByID(ctx, ss[2].ID)
	must(t, err)
	if cor.Status != mtvp.EnrolmentPlaced || cor.PromotedAt.IsZero() {
		t.Fatalf("Cor not promoted: %+v", cor)
	}
	got, err := db.ActivityByID(ctx, act.ID)
	must(t, err)
	if got.Placed != 2 || got.Waiting != 0 {
		t.Fatalf("counts %d/%d", got.Placed, got.Waiting)
	}
	must(t, db.SetActivityAttendance(ctx, admin, cor.ID, cor.Version, true))
	cancelled, _ := db.ActivitySignUpByID(ctx, ss[0].ID)
	wantField(t, db.SetActivityAttendance(ctx, admin, cancelled.ID, cancelled.Version, true), "attended", "activity.err.attendance_not_placed")
	list, err := db.ActivitySignUps(ctx, act.ID, p1.ID)
	must(t, err)
	if len(list) != 3 {
		t.Fatalf("sign-ups %d", len(list))
	}
	mine, err := db.Activities(ctx, store.ActivityFilter{RegionID: r.ID, PracticeID: p2.ID})
	must(t, err)
	if len(mine) != 0 {
		t.Fatalf("practice 2 sees %d activities of its own", len(mine))
	}
}

func TestShadowingAndScan(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	host, visitor := addPractice(t, db, r.ID, agb(1), "De Linde"), addPractice(t, db, r.ID, agb(2), "Het Anker")
	sh := mtvp.Activity{RegionID: r.ID, Kind: mtvp.KindShadowing, Title: "Meelopen triage", Date: today().AddDays(7),
		StartTime: "08:00", EndTime: "12:00", Place: "De Linde", Capacity: 1, HostPracticeID: host.ID}
	must(t, db.CreateActivity(ctx, admin, &sh))
	if sh.HostStatus != mtvp.HostAsked || sh.HostPracticeName != "De Linde" {
		t.Fatalf("new shadowing %+v", sh)
	}
	own, _ := addStaff(t, db, host.ID, "Hanna", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	x := mtvp.ActivitySignUp{ActivityID: sh.ID, PersonID: own.ID, PracticeID: host.ID}
	wantField(t, db.SignUpForActivity(ctx, admin, &x), "person", "activity.err.own_host")
	must(t, db.AnswerShadowing(ctx, admin, sh.ID, sh.Version, false))
	wantCode(t, db.AnswerShadowing(ctx, admin, sh.ID, sh.Version, true), mtvp.ECONFLICT)
	v, _ := addStaff(t, db, visitor.ID, "Vera", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	x = mtvp.ActivitySignUp{ActivityID: sh.ID, PersonID: v.ID, PracticeID: visitor.ID}
	wantField(t, db.SignUpForActivity(ctx, admin, &x), "activity", "activity.err.host_declined")

	scan := mtvp.Activity{RegionID: r.ID, Kind: mtvp.KindScan, Title: "Praktijkscan", Date: today().AddDays(3),
		StartTime: "13:00", EndTime: "16:00", Place: "De Linde", Capacity: 4, HostPracticeID: host.ID, ScanBy: "Bureau Zorgvuldig"}
	must(t, db.CreateActivity(ctx, admin, &scan))
	wantField(t, db.SetActivityResult(ctx, admin, scan.ID, scan.Version, store.Evidence{Name: "x.txt", Data: []byte("hallo")}), "result", "training.err.evidence_type")
	must(t, db.SetActivityResult(ctx, admin, scan.ID, scan.Version, store.Evidence{Name: "scan.pdf", Data: []byte("%PDF-1.4 test")}))
	ev, err := db.ActivityResult(ctx, scan.ID)
	must(t, err)
	if ev.Type != "application/pdf" || ev.Name != "scan.pdf" {
		t.Fatalf("result %+v", ev)
	}
	// Kinds: built-ins by default count towards nothing; the region adds one.
	kinds, err := db.ActivityKinds(ctx, r.ID)
	must(t, err)
	if len(kinds) != 3 || kinds[0].Counts != mtvp.CountsNothing {
		t.Fatalf("kinds %+v", kinds)
	}
	k := kinds[2]
	k.Counts = mtvp.CountsRegioplan
	must(t, db.SaveActivityKind(ctx, admin, &k))
	stale := kinds[2]
	wantCode(t, db.SaveActivityKind(ctx, admin, &stale), mtvp.ECONFLICT)
	added := mtvp.ActivityKind{RegionID: r.ID, Code: mtvp.KindCode("Lunch & Leer"), Name: "Lunch & Leer"}
	must(t, db.SaveActivityKind(ctx, admin, &added))
	dup := mtvp.ActivityKind{RegionID: r.ID, Code: added.Code, Name: "Lunch & Leer"}
	wantField(t, db.SaveActivityKind(ctx, admin, &dup), "name", "activity.err.kind_exists")
	kinds, _ = db.ActivityKinds(ctx, r.ID)
	if len(kinds) != 4 || kinds[2].Counts != mtvp.CountsRegioplan || kinds[3].Name != "Lunch & Leer" {
		t.Fatalf("kinds after %+v", kinds)
	}
	bad := mtvp.Activity{RegionID: r.ID, Kind: "onbekend", Title: "X", Date: today(), StartTime: "10:00", EndTime: "11:00", Place: "Y", Capacity: 1}
	wantField(t, db.CreateActivity(ctx, admin, &bad), "kind", "activity.err.kind_required")
}
