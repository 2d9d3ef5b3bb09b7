package store_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"sync"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// ivWorld is a region with two practices, a facilitator and GPs.
type ivWorld struct {
	db          *store.DB
	region      mtvp.Region
	p1, p2      mtvp.Practice
	facilitator mtvp.User
	gps1, gps2  []mtvp.Person
	assistant   mtvp.Person
}

func newIVWorld(t *testing.T) *ivWorld {
	t.Helper()
	db := newDB(t)
	w := &ivWorld{db: db, region: addRegion(t, db, "iv")}
	w.p1 = addPractice(t, db, w.region.ID, agb(1), "Praktijk Een")
	w.p2 = addPractice(t, db, w.region.ID, agb(2), "Praktijk Twee")
	w.facilitator = addUser(t, db, "ekc@example.nl", mtvp.Grant{Role: mtvp.AccountFacilitator, RegionID: w.region.ID})
	for i := 0; i < 4; i++ {
		p, _ := addStaff(t, db, w.p1.ID, fmt.Sprintf("Huisarts Een %d", i), fmt.Sprintf("1000000000%d", i), mtvp.RolePraktijkhouder, 1, "2020-01-01")
		w.gps1 = append(w.gps1, p)
		p, _ = addStaff(t, db, w.p2.ID, fmt.Sprintf("Huisarts Twee %d", i), fmt.Sprintf("2000000000%d", i), mtvp.RoleVasteWaarnemer, 1, "2020-01-01")
		w.gps2 = append(w.gps2, p)
	}
	w.assistant, _ = addStaff(t, db, w.p1.ID, "Assistente Een", "", mtvp.RoleDoktersassistent, 0.8, "2020-01-01")
	return w
}

func (w *ivWorld) group(t *testing.T, name string, capacity int) mtvp.Group {
	t.Helper()
	g := mtvp.Group{RegionID: w.region.ID, Year: 2026, Name: name, FacilitatorID: w.facilitator.ID, Place: "Gulpen", Weekday: 2, Times: "19:00–21:30", Capacity: capacity}
	must(t, w.db.CreateGroup(ctx, admin, &g))
	return g
}

var d = mtvp.MustDate

func TestGroupCreateValidate(t *testing.T) {
	w := newIVWorld(t)
	g := w.group(t, "Heuvelland", 6)
	got, err := w.db.GroupByID(ctx, g.ID)
	must(t, err)
	if got.Name != "Heuvelland" || got.FacilitatorName == "" || got.Capacity != 6 || got.Version != 1 {
		t.Fatalf("group = %+v", got)
	}
	tok, err := w.db.GroupCalendarToken(ctx, g.ID)
	must(t, err)
	if len(tok) < 32 {
		t.Fatalf("token %q", tok)
	}
	byTok, err := w.db.GroupByCalendarToken(ctx, tok)
	must(t, err)
	if byTok.ID != g.ID {
		t.Fatal("token lookup")
	}
	_, err = w.db.GroupByCalendarToken(ctx, "x")
	wantCode(t, err, mtvp.ENOTFOUND)

	// The facilitator must hold a facilitator grant in the region.
	other := addUser(t, db2(w), "geen-ekc@example.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: w.region.ID})
	bad := mtvp.Group{RegionID: w.region.ID, Year: 2026, Name: "X", FacilitatorID: other.ID, Place: "Y", Weekday: 1, Capacity: 5}
	wantField(t, w.db.CreateGroup(ctx, admin, &bad), "facilitator", "intervision.err.facilitator")
	bad.Capacity = 0
	wantField(t, w.db.CreateGroup(ctx, admin, &bad), "capacity", "intervision.err.capacity")

	// Stale version.
	g2 := got
	g2.Name = "Heuvelland Noord"
	_, err = w.db.UpdateGroup(ctx, admin, &g2)
	must(t, err)
	got.Name = "Anders"
	_, err = w.db.UpdateGroup(ctx, admin, &got)
	wantCode(t, err, mtvp.ECONFLICT)
	h, err := w.db.History(ctx, store.EntityGroup, g.ID)
	must(t, err)
	if len(h) != 2 {
		t.Fatalf("history %d entries", len(h))
	}
}

func db2(w *ivWorld) *store.DB { return w.db }

func TestSignUpCapacityWaitingListAndPromotion(t *testing.T) {
	w := newIVWorld(t)
	g := w.group(t, "Heuvelland", 2)
	on := d("2026-01-10")
	r1, err := w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.gps1[0].ID, on)
	must(t, err)
	r2, err := w.db.SignUp(ctx, admin, g.ID, w.p2.ID, w.gps2[0].ID, on)
	must(t, err)
	r3, err := w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.gps1[1].ID, on)
	must(t, err)
	r4, err := w.db.SignUp(ctx, admin, g.ID, w.p2.ID, w.gps2[1].ID, on)
	must(t, err)
	if r1.Member.Status != mtvp.MemberActive || r2.Member.Status != mtvp.MemberActive || r1.Position != 0 {
		t.Fatalf("first two must get a place: %+v %+v", r1, r2)
	}
	if r3.Member.Status != mtvp.MemberWaiting || r3.Position != 1 || r4.Position != 2 {
		t.Fatalf("waiting positions: %+v %+v", r3, r4)
	}
	// Twice in the same group, wrong role, not at the practice: refused.
	_, err = w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.gps1[0].ID, on)
	wantField(t, err, "person", "intervision.err.already_in_group")
	_, err = w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.assistant.ID, on)
	wantField(t, err, "person", "intervision.err.role_not_accepted")
	_, err = w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.gps2[2].ID, on)
	wantField(t, err, "person", "intervision.err.not_at_practice")
	_, err = w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.gps1[2].ID, d("2027-01-02"))
	wantField(t, err, "group", "intervision.err.group_closed")

	sum, err := w.db.ListGroups(ctx, mtvp.GroupFilter{RegionID: w.region.ID, Year: 2026})
	must(t, err)
	if len(sum) != 1 || sum[0].Members != 2 || sum[0].Waiting != 2 || sum[0].Free() != 0 {
		t.Fatalf("summary %+v", sum)
	}
	free, err := w.db.ListGroups(ctx, mtvp.GroupFilter{RegionID: w.region.ID, Year: 2026, OnlyFree: true})
	must(t, err)
	if len(free) != 0 {
		t.Fatal("a full group listed as free")
	}

	// A member leaves: the first waiting person moves up in the same transaction.
	_, err = w.db.LeaveGroup(ctx, admin, r1.Member.ID, d("2026-03-01"), r1.Member.Version+1)
	wantCode(t, err, mtvp.ECONFLICT)
	promos, err := w.db.LeaveGroup(ctx, admin, r1.Member.ID, d("2026-03-01"), r1.Member.Version)
	must(t, err)
	if len(promos) != 1 || promos[0].Member.ID != r3.Member.ID || promos[0].Member.Status != mtvp.MemberActive || !promos[0].Member.Joined.Equal(d("2026-03-01")) {
		t.Fatalf("promotions %+v", promos)
	}
	m4, err := w.db.GroupMemberByID(ctx, r4.Member.ID)
	must(t, err)
	if m4.Position != 1 {
		t.Fatalf("second waiting is now first: %d", m4.Position)
	}
	// Leaving twice is a conflict.
	_, err = w.db.LeaveGroup(ctx, admin, r1.Member.ID, d("2026-03-01"), r1.Member.Version+1)
	wantCode(t, err, mtvp.ECONFLICT)
	h, err := w.db.History(ctx, store.EntityMember, r3.Member.ID)
	must(t, err)
	if len(h) != 2 || h[0].Action != store.ActionPromote {
		t.Fatalf("promotion not audited: %+v", h)
	}
	// The practice sees its own rows, the promotion and the waiting position.
	mine, err := w.db.PracticeGroupMembers(ctx, w.p1.ID, 2026)
	must(t, err)
	if len(mine) != 2 {
		t.Fatalf("practice rows %+v", mine)
	}
	var promoted bool
	for _, m := range mine {
		if m.PracticeID != w.p1.ID {
			t.Fatal("another practice's row")
		}
		if m.ID == r3.Member.ID && !m.PromotedAt.IsZero() {
			promoted = true
		}
	}
	if !promoted {
		t.Fatal("promotion not visible to the practice")
	}
	theirs, err := w.db.PracticeGroupMembers(ctx, w.p2.ID, 2026)
	must(t, err)
	for _, m := range theirs {
		if m.ID == r4.Member.ID && m.Position != 1 {
			t.Fatalf("position seen by the practice = %d", m.Position)
		}
	}

	// Raising the capacity fills the new place from the list.
	cur, err := w.db.GroupByID(ctx, g.ID)
	must(t, err)
	cur.Capacity = 1
	_, err = w.db.UpdateGroup(ctx, admin, &cur)
	wantField(t, err, "capacity", "intervision.err.capacity_below_members")
	cur.Capacity = 3
	promos, err = w.db.UpdateGroup(ctx, admin, &cur)
	must(t, err)
	if len(promos) != 1 || promos[0].Member.ID != r4.Member.ID {
		t.Fatalf("capacity raise promotions %+v", promos)
	}
}

// TestSignUpLastPlaceConcurrently: practices take the last place at the
// same moment; exactly one gets it, the others queue on the waiting list
// with distinct positions, the first of them at position 1. Two practices
// race with four GPs each, so the lock on the group row is really tested
// (without it PostgreSQL lets several transactions see the free place).
func TestSignUpLastPlaceConcurrently(t *testing.T) {
	for round := 0; round < 3; round++ {
		w := newIVWorld(t)
		g := w.group(t, "Laatste plek", 2)
		_, err := w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.gps1[3].ID, d("2026-01-05"))
		must(t, err)
		type pair struct{ practice, person int64 }
		var pairs []pair
		for i := 0; i < 3; i++ {
			pairs = append(pairs, pair{w.p1.ID, w.gps1[i].ID}, pair{w.p2.ID, w.gps2[i].ID})
		}
		pairs = append(pairs, pair{w.p2.ID, w.gps2[3].ID})
		var wg sync.WaitGroup
		results := make([]mtvp.SignUpResult, len(pairs))
		errs := make([]error, len(pairs))
		start := make(chan struct{})
		for i, p := range pairs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i], errs[i] = w.db.SignUp(ctx, admin, g.ID, p.practice, p.person, d("2026-01-06"))
			}()
		}
		close(start)
		wg.Wait()
		placed := 0
		positions := map[int]bool{}
		for i, r := range results {
			must(t, errs[i])
			switch r.Member.Status {
			case mtvp.MemberActive:
				placed++
			case mtvp.MemberWaiting:
				positions[r.Position] = true
			}
		}
		if placed != 1 || len(positions) != len(pairs)-1 || !positions[1] {
			t.Fatalf("round %d: placed %d, waiting positions %v", round, placed, positions)
		}
		sum, err := w.db.ListGroups(ctx, mtvp.GroupFilter{RegionID: w.region.ID, Year: 2026})
		must(t, err)
		if sum[0].Members != 2 || sum[0].Waiting != len(pairs)-1 {
			t.Fatalf("round %d: %+v", round, sum[0])
		}
	}
}

func TestMoveMember(t *testing.T) {
	w := newIVWorld(t)
	a := w.group(t, "A", 1)
	b := w.group(t, "B", 1)
	full := w.group(t, "Vol", 1)
	r1, err := w.db.SignUp(ctx, admin, a.ID, w.p1.ID, w.gps1[0].ID, d("2026-01-05"))
	must(t, err)
	r2, err := w.db.SignUp(ctx, admin, a.ID, w.p2.ID, w.gps2[0].ID, d("2026-01-05"))
	must(t, err)
	_, err = w.db.SignUp(ctx, admin, full.ID, w.p2.ID, w.gps2[1].ID, d("2026-01-05"))
	must(t, err)
	_, _, err = w.db.MoveMember(ctx, admin, r1.Member.ID, b.ID, d("2026-02-01"), "", r1.Member.Version)
	wantField(t, err, "reason", "intervision.err.reason_required")
	_, _, err = w.db.MoveMember(ctx, admin, r1.Member.ID, full.ID, d("2026-02-01"), "Verhuisd", r1.Member.Version)
	wantField(t, err, "to_group", "intervision.err.target_full")
	_, _, err = w.db.MoveMember(ctx, admin, r2.Member.ID, b.ID, d("2026-02-01"), "Verhuisd", r2.Member.Version)
	wantField(t, err, "member", "intervision.err.move_waiting")
	moved, promos, err := w.db.MoveMember(ctx, admin, r1.Member.ID, b.ID, d("2026-02-01"), "Verhuisd naar Maastricht", r1.Member.Version)
	must(t, err)
	if moved.GroupID != b.ID || moved.Status != mtvp.MemberActive || len(promos) != 1 || promos[0].Member.ID != r2.Member.ID {
		t.Fatalf("moved %+v promos %+v", moved, promos)
	}
	h, err := w.db.History(ctx, store.EntityMember, moved.ID)
	must(t, err)
	if len(h) != 1 || h[0].Action != store.ActionMove || h[0].Changes[2].New != "Verhuisd naar Maastricht" {
		t.Fatalf("move audit %+v", h)
	}
}

func TestMeetingsAttendanceAndFacts(t *testing.T) {
	w := newIVWorld(t)
	g := w.group(t, "Heuvelland", 3)
	other := w.group(t, "Ander", 3)
	r1, err := w.db.SignUp(ctx, admin, g.ID, w.p1.ID, w.gps1[0].ID, d("2026-01-05"))
	must(t, err)
	r2, err := w.db.SignUp(ctx, admin, g.ID, w.p2.ID, w.gps2[0].ID, d("2026-04-01"))
	must(t, err)
	ro, err := w.db.SignUp(ctx, admin, other.ID, w.p1.ID, w.gps1[1].ID, d("2026-01-05"))
	must(t, err)

	bad := mtvp.Meeting{GroupID: g.ID, Date: d("2027-01-12"), Start: "19:00", End: "21:00"}
	wantField(t, w.db.CreateMeeting(ctx, admin, &bad), "date", "intervision.err.meeting_year")
	m1 := mtvp.Meeting{GroupID: g.ID, Date: d("2026-03-10"), Start: "19:00", End: "21:30", Place: "Gulpen", Theme: "Regie op veelgebruikers"}
	must(t, w.db.CreateMeeting(ctx, admin, &m1))
	m2 := mtvp.Meeting{GroupID: g.ID, Date: d("2026-05-12"), Start: "19:00", End: "21:30"}
	must(t, w.db.CreateMeeting(ctx, admin, &m2))

	before, err := w.db.AuditCount(ctx)
	must(t, err)
	// Someone of another group, and someone who joined after the meeting: refused, nothing saved.
	err = w.db.SetAttendance(ctx, admin, m1.ID, map[int64]mtvp.AttendanceStatus{r1.Member.ID: mtvp.AttendPresent, ro.Member.ID: mtvp.AttendPresent})
	wantField(t, err, fmt.Sprintf("member.%d", ro.Member.ID), "intervision.err.not_a_member")
	err = w.db.SetAttendance(ctx, admin, m1.ID, map[int64]mtvp.AttendanceStatus{r2.Member.ID: mtvp.AttendAbsent})
	wantField(t, err, fmt.Sprintf("member.%d", r2.Member.ID), "intervision.err.not_a_member")
	att, err := w.db.GroupAttendance(ctx, g.ID)
	must(t, err)
	if after, _ := w.db.AuditCount(ctx); len(att) != 0 || after != before {
		t.Fatal("refused attendance saved something")
	}
	must(t, w.db.SetAttendance(ctx, admin, m1.ID, map[int64]mtvp.AttendanceStatus{r1.Member.ID: mtvp.AttendPresent}))
	must(t, w.db.SetAttendance(ctx, admin, m2.ID, map[int64]mtvp.AttendanceStatus{r1.Member.ID: mtvp.AttendExcused, r2.Member.ID: mtvp.AttendPresent}))
	must(t, w.db.SetAttendance(ctx, admin, m2.ID, map[int64]mtvp.AttendanceStatus{r1.Member.ID: mtvp.AttendAbsent}))
	att, err = w.db.GroupAttendance(ctx, g.ID)
	must(t, err)
	if len(att) != 3 {
		t.Fatalf("attendance %+v", att)
	}
	// Moving a meeting before a recorded member's joining date is refused.
	m2.Date = d("2026-02-01")
	wantField(t, w.db.UpdateMeeting(ctx, admin, &m2), "date", "intervision.err.date_breaks_attendance")
	m2.Date = d("2026-05-12")
	m2.GAIASubmitted = d("2026-05-20")
	must(t, w.db.UpdateMeeting(ctx, admin, &m2))

	facts, err := w.db.IntervisionFacts(ctx, w.region.ID, 2026)
	must(t, err)
	if len(facts) != 3 {
		t.Fatalf("facts %+v", facts)
	}
	ref := d("2026-04-30")
	if !mtvp.TookPartInIntervision(facts, w.gps1[0].ID, 2026, ref) {
		t.Error("present in March counts at the end of April")
	}
	if mtvp.TookPartInIntervision(facts, w.gps2[0].ID, 2026, ref) || !mtvp.TookPartInIntervision(facts, w.gps2[0].ID, 2026, d("2026-12-31")) {
		t.Error("present in May counts only from May")
	}
	if mtvp.TookPartInIntervision(facts, w.gps1[1].ID, 2026, d("2026-12-31")) {
		t.Error("a member who never attended counts")
	}
	// Every fact carries its group's meeting dates: a place can still
	// count while the group meets again.
	for _, f := range facts {
		if f.GroupID != g.ID {
			continue
		}
		if len(f.Meetings) != 2 || f.Meetings[0] != d("2026-03-10") || f.Meetings[1] != d("2026-05-12") {
			t.Errorf("meetings of the group %+v", f.Meetings)
		}
		if !f.MeetingLeft(d("2026-05-12")) || f.MeetingLeft(d("2026-05-13")) {
			t.Errorf("meeting left around May 12: %+v", f)
		}
	}
}

func TestGroupFiles(t *testing.T) {
	w := newIVWorld(t)
	g := w.group(t, "Heuvelland", 3)
	before, err := w.db.AuditCount(ctx)
	must(t, err)
	for _, data := range [][]byte{[]byte("<html>"), append([]byte("%PDF-"), make([]byte, mtvp.MaxUploadBytes)...)} {
		f := mtvp.GroupFile{GroupID: g.ID, Kind: mtvp.DocYearPlan, Name: "x.pdf", Data: data}
		wantCode(t, w.db.SaveGroupFile(ctx, admin, &f), mtvp.EINVALID)
	}
	if after, _ := w.db.AuditCount(ctx); after != before {
		t.Fatal("refused upload audited")
	}
	pdf := []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n")
	f := mtvp.GroupFile{GroupID: g.ID, Kind: mtvp.DocYearPlan, Name: "../Jaarplan 2026.pdf", Data: pdf}
	must(t, w.db.SaveGroupFile(ctx, admin, &f))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	fw, _ := zw.Create("word/document.xml")
	fw.Write([]byte("<w:document/>"))
	zw.Close()
	rep := mtvp.GroupFile{GroupID: g.ID, Kind: mtvp.DocYearReport, Name: "verslag.docx", Data: buf.Bytes()}
	must(t, w.db.SaveGroupFile(ctx, admin, &rep))
	// Replacing keeps one file per kind.
	f2 := mtvp.GroupFile{GroupID: g.ID, Kind: mtvp.DocYearPlan, Name: "plan-v2.pdf", Data: pdf}
	must(t, w.db.SaveGroupFile(ctx, admin, &f2))
	list, err := w.db.GroupFiles(ctx, g.ID)
	must(t, err)
	if len(list) != 2 || list[0].Kind != mtvp.DocYearPlan || list[0].Name != "plan-v2.pdf" || list[1].ContentType != mtvp.ContentTypeDOCX || list[0].Data != nil {
		t.Fatalf("files %+v", list)
	}
	got, err := w.db.GroupFile(ctx, g.ID, mtvp.DocYearPlan)
	must(t, err)
	if !bytes.Equal(got.Data, pdf) || got.ContentType != mtvp.ContentTypePDF {
		t.Fatal("file content")
	}
	_, err = w.db.GroupFile(ctx, g.ID+1, mtvp.DocYearPlan)
	wantCode(t, err, mtvp.ENOTFOUND)
}
