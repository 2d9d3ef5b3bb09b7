package store_test

import (
	"testing"

	"meertijd/internal/mtvp"
)

func TestPracticeProfileTextVersions(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p := addPractice(t, db, r.ID, agb(1), "De Linde")
	cur, err := db.PracticeProfileText(ctx, p.ID)
	must(t, err)
	if cur.Version != 0 {
		t.Fatalf("new profile version %d", cur.Version)
	}
	first := mtvp.PracticeProfileText{PracticeID: p.ID, Focus: "Triage", Ambitions: " Minder werkdruk "}
	must(t, db.SavePracticeProfileText(ctx, admin, &first))
	if first.Version != 1 || first.Ambitions != "Minder werkdruk" {
		t.Fatalf("saved %+v", first)
	}
	// Someone else saved on the same version meanwhile: 409, nothing overwritten.
	stale := mtvp.PracticeProfileText{PracticeID: p.ID, Focus: "Anders"}
	wantCode(t, db.SavePracticeProfileText(ctx, admin, &stale), mtvp.ECONFLICT)
	next := mtvp.PracticeProfileText{PracticeID: p.ID, Version: 1, Focus: "Triage en veelgebruikers", Ambitions: "Minder werkdruk"}
	must(t, db.SavePracticeProfileText(ctx, admin, &next))
	bad := mtvp.PracticeProfileText{PracticeID: p.ID, Version: 2, Focus: "a\x00b"}
	wantField(t, db.SavePracticeProfileText(ctx, admin, &bad), "focus", "err.control_char")
	cur, err = db.PracticeProfileText(ctx, p.ID)
	must(t, err)
	if cur.Version != 2 || cur.Focus != "Triage en veelgebruikers" {
		t.Fatalf("current %+v", cur)
	}
}
