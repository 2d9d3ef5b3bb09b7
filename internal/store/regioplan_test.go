package store_test

import (
	"reflect"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

func TestRegioplan(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	r := addRegion(t, db, "zio")

	_, err := db.Regioplan(ctx, r.ID, 2025)
	wantCode(t, err, mtvp.ENOTFOUND)

	p := mtvp.Regioplan{RegionID: r.ID, Year: 2025,
		Conditions:     map[string]string{mtvp.ConditionLearningEnvironment: " intervisie in vaste groepen "},
		LearningOffers: []string{mtvp.OfferShadowing},
		Interventions: []mtvp.Intervention{
			{Code: "a.1", Title: "Triagetraining", Element: mtvp.ElementA, Mandatory: true},
			{Code: "A.2", Title: "Flexibele consultduur", Description: "Anders plannen", Element: mtvp.ElementA},
			{Code: "D.1", Title: "Positieve gezondheid", Element: mtvp.ElementD},
		}}
	must(t, db.SaveRegioplan(ctx, admin, &p))
	if p.ID == 0 || p.Version != 1 || p.Interventions[0].ID == 0 || p.Interventions[0].Code != "A.1" || p.Interventions[2].Position != 3 {
		t.Fatalf("saved %+v", p)
	}
	got, err := db.Regioplan(ctx, r.ID, 2025)
	must(t, err)
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("roundtrip\n got %+v\nwant %+v", got, p)
	}
	if got.Conditions[mtvp.ConditionLearningEnvironment] != "intervisie in vaste groepen" {
		t.Fatalf("conditions %v", got.Conditions)
	}

	// A second plan for the same year is a conflict; another year is fine.
	dup := mtvp.Regioplan{RegionID: r.ID, Year: 2025}
	wantCode(t, db.SaveRegioplan(ctx, admin, &dup), mtvp.ECONFLICT)
	next := mtvp.Regioplan{RegionID: r.ID, Year: 2026}
	must(t, db.SaveRegioplan(ctx, admin, &next))
	years, err := db.RegioplanYears(ctx, r.ID)
	must(t, err)
	if !reflect.DeepEqual(years, []int{2025, 2026}) {
		t.Fatalf("years %v", years)
	}
	noRegion := mtvp.Regioplan{RegionID: 999, Year: 2025}
	wantCode(t, db.SaveRegioplan(ctx, admin, &noRegion), mtvp.ENOTFOUND)

	// Validation names the row.
	bad := got
	bad.Interventions = append([]mtvp.Intervention(nil), got.Interventions...)
	bad.Interventions[1].Code = "B.1"
	bad.Interventions[2].Title = ""
	err = db.SaveRegioplan(ctx, admin, &bad)
	wantField(t, err, "interventions.1.code", "err.intervention_element")
	wantField(t, err, "interventions.2.title", "err.required")

	// Update: A.1 and A.2 swap codes, D.1 removed, B.1 added, reordered.
	a1, a2, d1 := got.Interventions[0], got.Interventions[1], got.Interventions[2]
	a1.Code, a2.Code = "A.2", "A.1"
	a1.Mandatory = false
	p = got
	p.LearningOffers = nil
	p.Interventions = []mtvp.Intervention{a2, a1, {Code: "B.1", Title: "Laagdrempelig consult", Element: mtvp.ElementB}}
	must(t, db.SaveRegioplan(ctx, admin, &p))
	if p.Version != 2 {
		t.Fatalf("version %d", p.Version)
	}
	got, err = db.Regioplan(ctx, r.ID, 2025)
	must(t, err)
	var codes []string
	for _, i := range got.Interventions {
		codes = append(codes, i.Code)
	}
	if !reflect.DeepEqual(codes, []string{"A.1", "A.2", "B.1"}) || got.Interventions[0].ID != a2.ID || got.Interventions[1].Mandatory {
		t.Fatalf("after update %+v", got.Interventions)
	}
	if len(got.LearningOffers) != 0 {
		t.Fatalf("offers %v", got.LearningOffers)
	}

	// Stale version, foreign intervention id.
	stale := got
	stale.Version = 1
	wantCode(t, db.SaveRegioplan(ctx, admin, &stale), mtvp.ECONFLICT)
	foreign := got
	foreign.Interventions = []mtvp.Intervention{{ID: d1.ID, Code: "D.1", Title: "x", Element: mtvp.ElementD}}
	wantCode(t, db.SaveRegioplan(ctx, admin, &foreign), mtvp.ENOTFOUND)
	again, err := db.Regioplan(ctx, r.ID, 2025)
	must(t, err)
	if !reflect.DeepEqual(again, got) {
		t.Fatal("a refused save changed the plan")
	}

	// Audit: one entry per intervention change plus the plan's own.
	h, err := db.History(ctx, store.EntityIntervention, d1.ID)
	must(t, err)
	if len(h) != 2 || h[0].Action != store.ActionDelete || h[1].Action != store.ActionCreate {
		t.Fatalf("D.1 history %+v", h)
	}
	h, err = db.History(ctx, store.EntityIntervention, a1.ID)
	must(t, err)
	if len(h) != 2 || h[0].Action != store.ActionUpdate {
		t.Fatalf("A.1 history %+v", h)
	}
	changed := map[string]mtvp.Change{}
	for _, c := range h[0].Changes {
		changed[c.Field] = c
	}
	if changed["Code"] != (mtvp.Change{Field: "Code", Old: "A.1", New: "A.2"}) || changed["Mandatory"].Old != "ja" {
		t.Fatalf("A.1 changes %+v", h[0].Changes)
	}
	h, err = db.History(ctx, store.EntityRegioplan, p.ID)
	must(t, err)
	if len(h) != 2 || len(h[0].Changes) != 1 || h[0].Changes[0].Field != "LearningOffers" {
		t.Fatalf("plan history %+v", h)
	}
}
