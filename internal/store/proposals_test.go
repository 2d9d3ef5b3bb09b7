package store_test

import (
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// TestProposalWorkflow: submit, advise, accept (the training joins the
// menu in the same transaction), a stale version is a conflict, a decided
// proposal is final, and lists are scoped per practice and consultant.
func TestProposalWorkflow(t *testing.T) {
	f := newTrainingFixture(t)
	db := f.db
	consultant := addUser(t, db, "consulent@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: f.region.ID})
	f.p1.ConsultantID = consultant.ID
	must(t, db.UpdatePractice(ctx, admin, &f.p1))
	bad := mtvp.Proposal{PracticeID: f.p1.ID, Title: "Agressie", Provider: "NHG", Theme: "breien", Target: mtvp.TargetAssistants, Why: "vraag"}
	wantField(t, db.SubmitProposal(ctx, admin, &bad), "theme", "training.err.theme_unknown")
	p := mtvp.Proposal{PracticeID: f.p1.ID, Title: "Omgaan met agressie", Provider: "NHG", Theme: mtvp.ThemeDifficultPatients, Target: mtvp.TargetAssistants, Why: "Veel vraag"}
	must(t, db.SubmitProposal(ctx, admin, &p))
	other := mtvp.Proposal{PracticeID: f.p2.ID, Title: "SOLK", Provider: "Elders", Theme: mtvp.ThemeSOLK, Target: mtvp.TargetGPs, Why: "Nodig"}
	must(t, db.SubmitProposal(ctx, admin, &other))
	if p.Status != mtvp.ProposalSubmitted || p.RegionID != f.region.ID || p.PracticeName == "" {
		t.Fatalf("submitted %+v", p)
	}
	mine, err := db.ListProposals(ctx, store.ProposalFilter{RegionID: f.region.ID, Practices: []int64{f.p1.ID}})
	must(t, err)
	if len(mine) != 1 || mine[0].ID != p.ID {
		t.Fatalf("practice list %+v", mine)
	}
	adv, err := db.ListProposals(ctx, store.ProposalFilter{RegionID: f.region.ID, Consultant: consultant.ID})
	must(t, err)
	if len(adv) != 1 || adv[0].ID != p.ID {
		t.Fatalf("consultant list %+v", adv)
	}
	if none, _ := db.ListProposals(ctx, store.ProposalFilter{RegionID: f.region.ID}); len(none) != 0 {
		t.Fatalf("no scope lists %d", len(none))
	}
	ca := mtvp.Actor{UserID: consultant.ID, Name: consultant.Name}
	_, err = db.AdviseProposal(ctx, ca, p.ID, p.Version, mtvp.AdvicePositive, "")
	wantField(t, err, "advice_text", "err.required")
	_, err = db.AdviseProposal(ctx, ca, p.ID, p.Version+1, mtvp.AdvicePositive, "Goed idee")
	wantCode(t, err, mtvp.ECONFLICT)
	p, err = db.AdviseProposal(ctx, ca, p.ID, p.Version, mtvp.AdvicePositive, "Goed idee")
	must(t, err)
	if p.Status != mtvp.ProposalAdvised || p.AdvisedName != consultant.Name {
		t.Fatalf("advised %+v", p)
	}
	_, err = db.AdviseProposal(ctx, ca, p.ID, p.Version, mtvp.AdviceNegative, "Toch niet")
	wantCode(t, err, mtvp.ECONFLICT)
	// Declining other needs a reason; accepting it as counting is refused
	// (SOLK does not qualify for the GPs' norm); nothing is saved.
	_, err = db.DecideProposal(ctx, admin, other.ID, other.Version, mtvp.ProposalDecline, false, "")
	wantField(t, err, "reason", "err.required")
	_, err = db.DecideProposal(ctx, admin, other.ID, other.Version, mtvp.ProposalAccept, true, "")
	wantField(t, err, "counts", "proposal.err.theme_not_qualifying")
	before, err := db.ListTrainings(ctx, f.region.ID, true)
	must(t, err)
	p, err = db.DecideProposal(ctx, admin, p.ID, p.Version, mtvp.ProposalAccept, true, "")
	must(t, err)
	if p.Status != mtvp.ProposalAccepted || !p.Counts || p.TrainingID == 0 {
		t.Fatalf("accepted %+v", p)
	}
	tr, err := db.TrainingByID(ctx, p.TrainingID)
	must(t, err)
	if tr.Title != "Omgaan met agressie" || !tr.Active || tr.Target != mtvp.TargetAssistants {
		t.Fatalf("menu training %+v", tr)
	}
	after, _ := db.ListTrainings(ctx, f.region.ID, true)
	if len(after) != len(before)+1 {
		t.Fatalf("menu %d → %d", len(before), len(after))
	}
	_, err = db.DecideProposal(ctx, admin, p.ID, p.Version, mtvp.ProposalDecline, false, "toch niet")
	wantCode(t, err, mtvp.ECONFLICT)
	other, err = db.DecideProposal(ctx, admin, other.ID, other.Version, mtvp.ProposalDecline, false, "Staat al op de menukaart")
	must(t, err)
	if other.Status != mtvp.ProposalDeclined || other.Reason == "" || other.TrainingID != 0 {
		t.Fatalf("declined %+v", other)
	}
	// Accepted as not counting: on the menu, its completions count for no norm.
	third := mtvp.Proposal{PracticeID: f.p2.ID, Title: "Mindfulness", Provider: "Elders", Theme: mtvp.ThemePositiveHealth, Target: mtvp.TargetAssistants, Why: "Werkdruk"}
	must(t, db.SubmitProposal(ctx, admin, &third))
	third, err = db.DecideProposal(ctx, admin, third.ID, third.Version, mtvp.ProposalAccept, false, "")
	must(t, err)
	if mt, err := db.TrainingByID(ctx, third.TrainingID); err != nil || !mt.NotCounting || third.Counts {
		t.Fatalf("not counting: %+v %+v %v", third, mt, err)
	}
	if tr.NotCounting {
		t.Fatalf("counting training read as not counting")
	}
	counts, err := db.ProposalCounts(ctx, f.region.ID)
	must(t, err)
	if counts[mtvp.ProposalAccepted] != 2 || counts[mtvp.ProposalDeclined] != 1 {
		t.Fatalf("counts %v", counts)
	}
}
