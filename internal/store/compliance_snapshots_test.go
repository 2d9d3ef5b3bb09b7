package store_test

import (
	"strings"
	"testing"

	"meertijd/internal/mtvp"
)

// standingFor is a hand-made standing: intervision met, assistants not met
// (1 of 3, 2 needed, 1 claim pending), the rest not applicable.
func standingFor(p mtvp.Practice, compliant bool) mtvp.Standing {
	st := mtvp.Standing{PracticeID: p.ID, Year: 2026, Ref: mtvp.MustDate("2026-11-30"), Compliant: compliant}
	for _, code := range mtvp.AllRequirements {
		r := mtvp.RequirementResult{Code: code, Status: mtvp.StatusNotApplicable}
		switch code {
		case mtvp.ReqIntervision:
			r = mtvp.RequirementResult{Code: code, Status: mtvp.StatusMet, Required: 1, Actual: 2, Denominator: 2,
				Explanation: "Voldaan: 2 van 2 huisartsen namen deel aan intervisie, 1 nodig", MessageKey: "compliance.intervision.met", Args: []any{2, 2, 1},
				People: []mtvp.NormPerson{{PersonID: 9, Name: "Anna de Vries", Met: true}}}
		case mtvp.ReqAssistantTraining:
			if !compliant {
				r = mtvp.RequirementResult{Code: code, Status: mtvp.StatusNotMet, Required: 2, Actual: 1, Pending: 1, Denominator: 3,
					Explanation: "Nog 1 assistent scholen: 1 van 3 geschoold, 2 nodig", MessageKey: "compliance.assistant_training.missing.one", Args: []any{1, 1, 3, 2}}
			}
		}
		st.Requirements = append(st.Requirements, r)
	}
	return st
}

func TestComplianceSnapshotFrozen(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	other := addRegion(t, db, "andere")
	p1 := addPractice(t, db, r.ID, agb(1), "De Linde")
	p2 := addPractice(t, db, r.ID, agb(2), "Het Anker")
	p2.InflowWave = "2024-Q3"
	ref := mtvp.MustDate("2026-11-30")
	standings := map[int64]mtvp.Standing{p1.ID: standingFor(p1, true), p2.ID: standingFor(p2, false)}
	snap := mtvp.NewComplianceSnapshot(r.ID, 2026, ref, "  Jaargesprek CZ/VGZ  ", r.Settings, []mtvp.Practice{p2, p1}, standings)
	a := mtvp.Actor{Name: "Petra Beheer"}
	must(t, db.CreateComplianceSnapshot(ctx, a, &snap))
	if snap.ID == 0 || snap.CreatedAt.IsZero() || snap.PracticeCount != 2 || snap.CompliantCount != 1 {
		t.Fatalf("created %+v", snap)
	}

	// A later change to the practice does not reach the snapshot.
	p1.Name = "De Linde (nieuw)"
	must(t, db.UpdatePractice(ctx, admin, &p1))

	got, err := db.ComplianceSnapshotByID(ctx, snap.ID)
	must(t, err)
	if got.Note != "Jaargesprek CZ/VGZ" || got.Year != 2026 || !got.Ref.Equal(ref) || got.CreatedName != "Petra Beheer" || got.Settings.AtRiskDays != r.Settings.AtRiskDays {
		t.Errorf("header = %+v", got)
	}
	if len(got.Practices) != 2 || got.Practices[0].Name != "Het Anker" || got.Practices[1].Name != "De Linde" {
		t.Fatalf("practices = %+v", got.Practices)
	}
	anker := got.Practices[0]
	if anker.AGB != agb(2) || anker.InflowWave != "2024-Q3" || anker.Compliant || len(anker.Requirements) != len(mtvp.AllRequirements) {
		t.Errorf("Het Anker = %+v", anker)
	}
	as := anker.Requirement(mtvp.ReqAssistantTraining)
	if as.Status != mtvp.StatusNotMet || as.Required != 2 || as.Actual != 1 || as.Pending != 1 || as.Denominator != 3 ||
		as.Explanation != "Nog 1 assistent scholen: 1 van 3 geschoold, 2 nodig" {
		t.Errorf("assistants = %+v", as)
	}
	if en := as.Text("en"); en == "" || strings.Contains(en, "%!") {
		t.Errorf("English text = %q", en)
	}
	if iv := got.Practices[1].Requirement(mtvp.ReqIntervision); iv.Status != mtvp.StatusMet || iv.Actual != 2 {
		t.Errorf("intervision = %+v", iv)
	}

	list, err := db.ListComplianceSnapshots(ctx, r.ID)
	must(t, err)
	if len(list) != 1 || list[0].ID != snap.ID || list[0].PracticeCount != 2 || list[0].CompliantCount != 1 || list[0].Practices != nil {
		t.Errorf("list = %+v", list)
	}
	if list, _ := db.ListComplianceSnapshots(ctx, other.ID); len(list) != 0 {
		t.Errorf("other region lists %d snapshots", len(list))
	}
	h, err := db.History(ctx, "compliance_snapshot", snap.ID)
	must(t, err)
	if len(h) != 1 || h[0].Action != "create" {
		t.Errorf("history = %+v", h)
	}

	// The schema itself refuses to change or remove a frozen row.
	for _, q := range []string{
		`UPDATE compliance_snapshots SET note = 'x' WHERE id = $1`,
		`DELETE FROM compliance_snapshots WHERE id = $1`,
		`UPDATE compliance_snapshot_practices SET name = 'x' WHERE snapshot_id = $1`,
		`DELETE FROM compliance_snapshot_practices WHERE snapshot_id = $1`,
		`UPDATE compliance_snapshot_rows SET status = 'voldaan' WHERE snapshot_id = $1`,
		`DELETE FROM compliance_snapshot_rows WHERE snapshot_id = $1`,
	} {
		if err := db.ExecRawForTest(ctx, q, snap.ID); err == nil || !strings.Contains(err.Error(), "frozen") {
			t.Errorf("%s: err = %v, want refusal", q, err)
		}
	}

	if _, err := db.ComplianceSnapshotByID(ctx, snap.ID+100); mtvp.ErrorCode(err) != mtvp.ENOTFOUND {
		t.Errorf("missing snapshot: %v", err)
	}
}

// A snapshot with a row that cannot be stored leaves nothing behind.
func TestComplianceSnapshotAllOrNothing(t *testing.T) {
	db := newDB(t)
	r := addRegion(t, db, "zio")
	p1 := addPractice(t, db, r.ID, agb(1), "De Linde")
	ghost := mtvp.Practice{ID: p1.ID + 1000, RegionID: r.ID, AGB: agb(9), Name: "Bestaat niet"}
	standings := map[int64]mtvp.Standing{p1.ID: standingFor(p1, true), ghost.ID: standingFor(ghost, false)}
	snap := mtvp.NewComplianceSnapshot(r.ID, 2026, mtvp.MustDate("2026-06-30"), "", r.Settings, []mtvp.Practice{p1, ghost}, standings)
	before, err := db.AuditCount(ctx)
	must(t, err)
	if err := db.CreateComplianceSnapshot(ctx, admin, &snap); mtvp.ErrorCode(err) != mtvp.EINVALID {
		t.Fatalf("err = %v, want EINVALID", err)
	}
	list, err := db.ListComplianceSnapshots(ctx, r.ID)
	must(t, err)
	after, _ := db.AuditCount(ctx)
	if len(list) != 0 || after != before {
		t.Errorf("half-saved: %d snapshots, %d audit entries", len(list), after-before)
	}
}

func TestValidateSnapshotRequest(t *testing.T) {
	today := mtvp.MustDate("2026-11-30")
	for _, c := range []struct {
		year        int
		ref         string
		note        string
		field, want string
	}{
		{2026, "2026-11-30", "ok", "", ""},
		{2025, "2025-12-31", "", "", ""},
		{2026, "2025-12-31", "", "peildatum", "normen.err.ref_outside_year"},
		{2026, "2026-12-01", "", "peildatum", "normen.err.ref_future"},
		{2026, "", "", "peildatum", "err.required"},
		{2026, "2026-01-01", strings.Repeat("é", mtvp.MaxSnapshotNote+1), "notitie", "normen.err.note_too_long"},
	} {
		var ref mtvp.Date
		if c.ref != "" {
			ref = mtvp.MustDate(c.ref)
		}
		err := mtvp.ValidateSnapshotRequest(c.year, ref, c.note, today)
		if c.field == "" {
			if err != nil {
				t.Errorf("%d %s: %v", c.year, c.ref, err)
			}
			continue
		}
		if got := mtvp.FieldErrorsOf(err)[c.field]; got != c.want {
			t.Errorf("%d %s: %s = %q, want %q", c.year, c.ref, c.field, got, c.want)
		}
	}
}
