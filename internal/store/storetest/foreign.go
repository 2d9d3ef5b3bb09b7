package storetest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// Foreign names, per kind of record ("visit", "group", …), one record of
// another region and one of another practice in the own region; the id-swap
// test of the route tables puts them in place of the own ids (issue 17,
// Access). A kind that belongs to a region, not a practice (a training, a
// group, an activity, a news item), has no OtherPractice entry.
type Foreign struct {
	OtherRegion   map[string]int64
	OtherPractice map[string]int64
}

// ForeignRecords writes one record of every kind into practice other (of
// the own region, own) and into practice far (of region far), so a test can
// swap them into addresses: people with a membership, accounts with an API
// token, an invitation, an outbox mail, an intervision group with a member
// and a meeting and a year plan, a training with sessions, an enrolment and
// a completion, a claim, a visit, a practice scan (a learning activity)
// with its result and a sign-up, a training proposal, a news item, a pulse
// round and a compliance snapshot. It returns their ids.
func ForeignRecords(t testing.TB, db *store.DB, own, far mtvp.Region, other, farPractice mtvp.Practice) Foreign {
	t.Helper()
	ctx := context.Background()
	sys := mtvp.SystemActor
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("storetest: foreign records: %v", err)
		}
	}
	fr := Foreign{
		OtherRegion:   map[string]int64{"region": far.ID, "practice": farPractice.ID},
		OtherPractice: map[string]int64{"practice": other.ID},
	}
	today := mtvp.DateOf(clock.Now())
	year := today.Year()
	n := 0
	// each writes the practice-bound records into p (of region r) and
	// stores their ids in ids; regional records only when regional.
	each := func(r mtvp.Region, p mtvp.Practice, ids map[string]int64, regional bool) {
		n++
		tag := fmt.Sprintf("vreemd-%d-%d", n, time.Now().UnixNano())
		person := mtvp.Person{Name: "Vera Vreemd " + strconv.Itoa(n), Email: tag + "@example.nl"}
		m := mtvp.Membership{Role: mtvp.RolePraktijkhouder, FTE: 1, From: mtvp.MustDate("2020-01-01")}
		must(db.AddStaff(ctx, sys, p.ID, &person, &m))
		ids["person"], ids["membership"] = person.ID, m.ID
		u := &mtvp.User{Email: tag + "-login@example.nl", Name: "Login " + tag, Grants: []mtvp.Grant{{Role: mtvp.AccountPractice, RegionID: r.ID, PracticeID: p.ID}}}
		must(db.CreateUser(ctx, sys, u, ""))
		ids["user"] = u.ID
		tok, err := db.CreateAPIToken(ctx, sys, u.ID, "vreemd", "hash-"+tag)
		must(err)
		ids["token"] = tok.ID
		now := time.Now()
		l := store.Link{Purpose: store.LinkInvite, Email: tag + "-uitgenodigd@example.nl", Name: "Uitgenodigd", CreatedBy: u.ID,
			Grant: mtvp.Grant{Role: mtvp.AccountPractice, RegionID: r.ID, PracticeID: p.ID}, CreatedAt: now, ExpiresAt: now.Add(mtvp.InvitationValidity)}
		must(db.CreateLink(ctx, &l, "link-"+tag, nil))
		ids["link"] = l.ID
		mail := &store.Mail{MessageID: "<" + tag + "@example.nl>", Kind: "reset", RegionID: r.ID, UserID: u.ID, To: u.Email, ToName: u.Name, Locale: "nl", Subject: "Vreemd", Text: "Vreemd"}
		_, err = db.EnqueueMail(ctx, mail)
		must(err)
		ids["mail"] = mail.ID

		// An intervision group of the region (its own, so capacity and
		// facilitator never clash with the caller's groups).
		fac := &mtvp.User{Email: tag + "-ekc@example.nl", Name: "EKC " + tag, Grants: []mtvp.Grant{{Role: mtvp.AccountFacilitator, RegionID: r.ID}}}
		must(db.CreateUser(ctx, sys, fac, ""))
		g := mtvp.Group{RegionID: r.ID, Year: year, Name: "Groep " + tag, FacilitatorID: fac.ID, Place: "Elders", Weekday: 3, Capacity: 8}
		must(db.CreateGroup(ctx, sys, &g))
		su, err := db.SignUp(ctx, sys, g.ID, p.ID, person.ID, mtvp.NewDate(year, time.January, 1))
		must(err)
		ids["member"] = su.Member.ID
		// A training with an upcoming and a past session: an enrolment
		// and a completion of the person.
		tr := mtvp.Training{RegionID: r.ID, Title: "Vreemde training " + tag, Target: mtvp.TargetBoth, Themes: []string{mtvp.ThemeGoodConversation}, Register: mtvp.RegisterGAIA, Points: 2, Active: true}
		must(db.CreateTraining(ctx, sys, &tr))
		next := today.AddDays(10)
		if next.Year() > year {
			next = today
		}
		up := mtvp.TrainingSession{TrainingID: tr.ID, Dates: []mtvp.Date{next}, Place: "Elders", Capacity: 5}
		must(db.CreateSession(ctx, sys, &up))
		past := mtvp.TrainingSession{TrainingID: tr.ID, Dates: []mtvp.Date{today.AddDays(-20)}, Online: true, Capacity: 5}
		must(db.CreateSession(ctx, sys, &past))
		e := mtvp.Enrolment{SessionID: up.ID, PersonID: person.ID, PracticeID: p.ID}
		must(db.Enrol(ctx, sys, &e))
		ids["enrolment"] = e.ID
		must(db.RecordCompletions(ctx, sys, past.ID, []mtvp.Completion{{PersonID: person.ID, CompletedOn: today.AddDays(-20)}}))
		cs, err := db.QueryIDsForTest(ctx, `SELECT id FROM training_completions WHERE session_id = $1`, past.ID)
		must(err)
		if len(cs) != 1 {
			t.Fatalf("storetest: foreign records: %d completions", len(cs))
		}
		ids["completion"] = cs[0]
		c := mtvp.Claim{PracticeID: p.ID, PersonID: person.ID, Title: "Vreemde scholing", CompletedOn: mtvp.MustDate("2023-05-01"), Theme: mtvp.ThemePositiveHealth}
		must(db.SubmitClaim(ctx, sys, &c, &store.Evidence{Name: "bewijs.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}))
		ids["claim"] = c.ID
		cons := &mtvp.User{Email: tag + "-consulent@example.nl", Name: "Consulent " + tag, Grants: []mtvp.Grant{{Role: mtvp.AccountConsultant, RegionID: r.ID}}}
		must(db.CreateUser(ctx, sys, cons, ""))
		v := mtvp.Visit{PracticeID: p.ID, Year: year, PlannedOn: today, ConsultantID: cons.ID}
		must(db.CreateVisit(ctx, sys, &v))
		ids["visit"] = v.ID
		// A practice scan of the practice (the activity kind with the most
		// addresses: it has a result document) with the person signed up,
		// and a training proposal of the practice.
		act := mtvp.Activity{RegionID: r.ID, Kind: mtvp.KindScan, Title: "Vreemde scan " + tag, Date: next,
			StartTime: "13:00", EndTime: "16:00", Place: "Elders", Capacity: 5, HostPracticeID: p.ID, ScanBy: "Bureau Elders"}
		must(db.CreateActivity(ctx, sys, &act))
		must(db.SetActivityResult(ctx, sys, act.ID, act.Version, store.Evidence{Name: "scan.pdf", Data: []byte("%PDF-1.4\n%vreemd\n")}))
		asu := mtvp.ActivitySignUp{ActivityID: act.ID, PersonID: person.ID, PracticeID: p.ID}
		must(db.SignUpForActivity(ctx, sys, &asu))
		ids["signup"] = asu.ID
		prop := mtvp.Proposal{PracticeID: p.ID, Title: "Vreemd voorstel " + tag, Provider: "Elders", Theme: mtvp.ThemeGoodConversation,
			Target: mtvp.TargetBoth, Why: "Vreemd"}
		must(db.SubmitProposal(ctx, sys, &prop))
		ids["proposal"] = prop.ID
		if !regional {
			return
		}
		ids["activity"] = act.ID
		news := mtvp.NewsItem{RegionID: r.ID, Title: "Vreemd nieuws " + tag, Body: "Vreemd", PublishOn: today}
		must(db.SaveNews(ctx, sys, &news))
		ids["news"] = news.ID
		ids["group"] = g.ID
		mt := mtvp.Meeting{GroupID: g.ID, Date: mtvp.NewDate(year, time.March, 11), Start: "19:00", End: "21:00", Theme: "Vreemd"}
		must(db.CreateMeeting(ctx, sys, &mt))
		ids["meeting"] = mt.ID
		must(db.SaveGroupFile(ctx, sys, &mtvp.GroupFile{GroupID: g.ID, Kind: mtvp.DocYearPlan, Name: "jaarplan.pdf", Data: []byte("%PDF-1.4\n%vreemd\n")}))
		ids["training"], ids["session"] = tr.ID, up.ID
		facts, err := db.ComplianceFacts(ctx, r.ID, year, today)
		must(err)
		standings := map[int64]mtvp.Standing{}
		for id, fa := range facts {
			standings[id] = mtvp.EvaluateCompliance(fa, r.Settings, year, today)
		}
		snap := mtvp.NewComplianceSnapshot(r.ID, year, today, "Vreemd", r.Settings, []mtvp.Practice{p}, standings)
		must(db.CreateComplianceSnapshot(ctx, sys, &snap))
		ids["snapshot"] = snap.ID
		st := &store.PulseStart{Round: &mtvp.PulseRound{RegionID: r.ID, Quarter: mtvp.QuarterOf(today), OpenedOn: today},
			Practices: []store.PulsePractice{{PracticeID: p.ID, LinkToken: "pulse-" + tag, Staff: 3}}}
		must(db.StartPulse(ctx, sys, st))
		ids["round"] = st.Round.ID
	}
	each(far, farPractice, fr.OtherRegion, true)
	each(own, other, fr.OtherPractice, false)
	return fr
}
