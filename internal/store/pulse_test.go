package store_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestPulseRoundAnswersAndTallies: a round with a practice link and a
// personal link; a personal link works once, a practice takes no more
// answers than its staff, a closed round none; the answers are summed per
// practice and hold nothing that points at who gave them.
func TestPulseRoundAnswersAndTallies(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p1 := addPractice(t, db, r.ID, agb(1), "De Linde")
	p2 := addPractice(t, db, r.ID, agb(2), "Het Anker")
	anna, _ := addStaff(t, db, p1.ID, "Anna de Vries", "", mtvp.RolePraktijkhouder, 0.8, "2020-01-01")
	day := today()
	round := &mtvp.PulseRound{RegionID: r.ID, Quarter: mtvp.QuarterOf(day), OpenedOn: day}
	mail := &store.Mail{Kind: "pulse", RegionID: r.ID, To: "anna@linde.nl", ToName: anna.Name, Locale: "nl", Subject: "Peiling",
		Text: "link", MessageID: "<pulse-1@test>"}
	start := &store.PulseStart{Round: round,
		Practices: []store.PulsePractice{{PracticeID: p1.ID, LinkToken: "linde-link", Staff: 3}, {PracticeID: p2.ID, LinkToken: "anker-link", Staff: 6}},
		Invites:   []store.PulseInvite{{PracticeID: p1.ID, PersonID: anna.ID, TokenHash: "hash-anna", Mail: mail}}}
	must(t, db.StartPulse(ctx, admin, start))
	if round.ID == 0 || round.Version != 1 {
		t.Fatalf("round %+v", round)
	}
	again := &mtvp.PulseRound{RegionID: r.ID, Quarter: round.Quarter, OpenedOn: day}
	wantCode(t, db.StartPulse(ctx, admin, &store.PulseStart{Round: again}), mtvp.ECONFLICT)

	tg, err := db.PulseByToken(ctx, "anna-token", "hash-anna")
	must(t, err)
	if !tg.Personal || tg.Used || tg.PracticeID != p1.ID || tg.PracticeName != "De Linde" || tg.RegionName != r.Name {
		t.Errorf("personal target %+v", tg)
	}
	_, err = db.PulseByToken(ctx, "nonsense", "nonsense")
	wantCode(t, err, mtvp.ENOTFOUND)

	ans := func(w, s, tp int, c string) mtvp.PulseAnswer {
		return mtvp.PulseAnswer{Workload: w, Satisfaction: s, TimeForPatient: tp, Comment: c}
	}
	wantField(t, db.AnswerPulse(ctx, "linde-link", "x", ans(11, 5, 5, ""), day), "workload", "pulse.err.scale")
	must(t, db.AnswerPulse(ctx, "anna-token", "hash-anna", ans(8, 6, 4, "  Te veel administratie "), day))
	wantCode(t, db.AnswerPulse(ctx, "anna-token", "hash-anna", ans(8, 6, 4, ""), day), mtvp.ECONFLICT) // used
	must(t, db.AnswerPulse(ctx, "linde-link", "x", ans(6, 7, 5, ""), day))
	must(t, db.AnswerPulse(ctx, "linde-link", "x", ans(7, 8, 6, "Meer tijd, fijn"), day))
	// Three staff, three answers: the fourth is refused and changes nothing.
	err = db.AnswerPulse(ctx, "linde-link", "x", ans(1, 1, 1, ""), day)
	if mtvp.ErrorMessage(err) != "pulse.err.full" {
		t.Errorf("fourth answer: %v", err)
	}
	for i := 0; i < 5; i++ {
		must(t, db.AnswerPulse(ctx, "anker-link", "x", ans(5, 5, 5, ""), day))
	}
	// An answer after the quarter is refused.
	err = db.AnswerPulse(ctx, "anker-link", "x", ans(5, 5, 5, ""), round.Quarter.End().AddDays(1))
	if mtvp.ErrorMessage(err) != "pulse.err.closed" {
		t.Errorf("answer after the quarter: %v", err)
	}

	tallies, err := db.PulseTallies(ctx, r.ID)
	must(t, err)
	want := []mtvp.PulseTally{{RoundID: round.ID, PracticeID: p1.ID, N: 3, Workload: 21, Satisfaction: 21, TimeForPatient: 15},
		{RoundID: round.ID, PracticeID: p2.ID, N: 5, Workload: 25, Satisfaction: 25, TimeForPatient: 25}}
	sort.Slice(tallies, func(i, j int) bool { return tallies[i].PracticeID < tallies[j].PracticeID })
	if len(tallies) != 2 || tallies[0] != want[0] || tallies[1] != want[1] {
		t.Errorf("tallies %+v, want %+v", tallies, want)
	}
	comments, err := db.PulseComments(ctx, round.ID, p1.ID)
	must(t, err)
	if strings.Join(comments, "|") != "Meer tijd, fijn|Te veel administratie" {
		t.Errorf("comments %q", comments)
	}
	pps, err := db.PulsePractices(ctx, round.ID, 0)
	must(t, err)
	if len(pps) != 2 || pps[0].PracticeName != "De Linde" || pps[0].Answers != 3 || pps[1].Answers != 5 || pps[1].Staff != 6 {
		t.Errorf("practices %+v", pps)
	}
	tg, err = db.PulseByToken(ctx, "linde-link", "")
	must(t, err)
	if tg.Personal || !tg.Full {
		t.Errorf("shared link target %+v", tg)
	}

	// What an answer row holds: nothing about a person, a token or a time.
	cols, err := db.ColumnsForTest(ctx, "pulse_answers")
	must(t, err)
	if got := strings.Join(cols, ","); got != "id,round_id,practice_id,workload,satisfaction,time_for_patient,comment" {
		t.Errorf("pulse_answers columns: %s", got)
	}
	cols, err = db.ColumnsForTest(ctx, "pulse_tokens")
	must(t, err)
	if got := strings.Join(cols, ","); got != "token_hash,round_id,practice_id,person_id,used" {
		t.Errorf("pulse_tokens columns: %s", got)
	}

	// Closing: early, once (version checked), and then no answers.
	stale := *round
	must(t, db.ClosePulse(ctx, admin, round))
	wantCode(t, db.ClosePulse(ctx, admin, &stale), mtvp.ECONFLICT)
	err = db.AnswerPulse(ctx, "anker-link", "x", ans(5, 5, 5, ""), day)
	if mtvp.ErrorMessage(err) != "pulse.err.closed" {
		t.Errorf("answer after closing: %v", err)
	}
	rs, err := db.PulseRounds(ctx, r.ID)
	must(t, err)
	if len(rs) != 1 || rs[0].ClosedAt.IsZero() || !rs[0].ClosedOn(day) || rs[0].OpenedOn != day || rs[0].Version != 2 {
		t.Errorf("rounds %+v", rs)
	}
	if time.Since(rs[0].ClosedAt) > time.Hour {
		t.Errorf("closed at %v", rs[0].ClosedAt)
	}
}
