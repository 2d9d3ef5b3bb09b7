package importer

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
	"meertijd/internal/store/storetest"
)

type importWorld struct {
	t   testing.TB
	db  *store.DB
	reg mtvp.Region
}

func newImportWorld(t testing.TB) *importWorld {
	t.Helper()
	db := storetest.New(t)
	reg := mtvp.Region{Code: "regio-import", Name: "Regio Import", Insurers: []string{"CZ"}, ProgrammeStart: mtvp.MustDate("2024-01-01"), Settings: mtvp.DefaultNormSettings()}
	if err := db.CreateRegion(context.Background(), mtvp.SystemActor, &reg); err != nil {
		t.Fatal(err)
	}
	return &importWorld{t: t, db: db, reg: reg}
}

// counts returns the region's practices, people and audit entries.
func (w *importWorld) counts() [3]int {
	w.t.Helper()
	ctx := context.Background()
	ps, err := w.db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: w.reg.ID})
	if err != nil {
		w.t.Fatal(err)
	}
	people, err := w.db.ListPeople(ctx, w.reg.ID, "", 100000)
	if err != nil {
		w.t.Fatal(err)
	}
	audit, err := w.db.AuditCount(ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return [3]int{len(ps), len(people), int(audit)}
}

var importActor = mtvp.Actor{UserID: 0, Name: "importtest"}

func TestApplyBadFileChangesNothing(t *testing.T) {
	w := newImportWorld(t)
	ctx := context.Background()
	before := w.counts()
	for _, name := range []string{"bad_rows.csv", "not_a_list.pdf", "staff_unknown_practice.csv", "staff_missing_role.csv"} {
		p, res, err := Apply(ctx, w.db, importActor, w.reg.ID, readTestdata(t, name))
		if !errors.Is(err, ErrRefused) || p == nil || p.OK() {
			t.Fatalf("%s: err %v", name, err)
		}
		if res != (mtvp.ImportResult{}) {
			t.Errorf("%s: result %+v", name, res)
		}
		if after := w.counts(); after != before {
			t.Errorf("%s: practices, people, audit %v → %v", name, before, after)
		}
	}
}

func TestApplyGoodFileThenAgain(t *testing.T) {
	w := newImportWorld(t)
	ctx := context.Background()
	data := readTestdata(t, "combined_semicolon.csv")
	p, res, err := Apply(ctx, w.db, importActor, w.reg.ID, data)
	if err != nil {
		t.Fatalf("apply: %v (errors %+v)", err, p.Errors())
	}
	// Five people: the locum's second row finds the person of the first.
	if res.PracticesCreated != 3 || res.PracticesUpdated != 0 || res.PeopleCreated != 5 || res.MembershipsCreated != 6 || res.MembershipsSkipped != 0 {
		t.Errorf("result %+v", res)
	}
	got := w.counts()
	if got[0] != 3 || got[1] != 5 {
		t.Fatalf("practices, people: %v", got)
	}
	linde, err := w.db.PracticeByAGB(ctx, w.reg.ID, "01012345")
	if err != nil {
		t.Fatal(err)
	}
	if linde.Name != "Huisartsenpraktijk De Linde" || linde.RegisteredPatients != 2450 || linde.Status != mtvp.PracticeActive || linde.Postcode != "6211 AB" {
		t.Errorf("practice: %+v", linde)
	}
	staff, err := w.db.Staff(ctx, linde.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(staff) != 3 {
		t.Errorf("De Linde staff: %d", len(staff))
	}
	// The locum is one person working at two practices.
	locum, err := w.db.PersonByBIG(ctx, w.reg.ID, "98765432109")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := w.db.MembershipsOfPerson(ctx, locum.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 {
		t.Errorf("locum memberships: %d", len(ms))
	}

	// The same file again: everything is found, nothing is added.
	p, res, err = Apply(ctx, w.db, importActor, w.reg.ID, data)
	if err != nil {
		t.Fatalf("second apply: %v", err)
	}
	if p.PracticesExisting != 3 || p.PracticesNew != 0 {
		t.Errorf("second preview: %+v", p)
	}
	if res.PracticesCreated != 0 || res.PeopleCreated != 0 || res.MembershipsCreated != 0 || res.MembershipsSkipped != 6 {
		t.Errorf("second result %+v", res)
	}
	if again := w.counts(); again != got {
		t.Errorf("second import changed counts %v → %v", got, again)
	}
}

func TestImportFile(t *testing.T) {
	w := newImportWorld(t)
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.csv", readTestdata(t, "bad_rows.csv"))
	good := write("good.csv", readTestdata(t, "combined_semicolon.csv"))
	before := w.counts()

	var out bytes.Buffer
	err := ImportFile(ctx, w.db, w.reg.Code, bad, importActor, false, &out)
	if err == nil || !strings.Contains(err.Error(), "Import geweigerd: 8 fouten in 6 rijen") {
		t.Errorf("bad file: err %v", err)
	}
	if !strings.Contains(out.String(), `rij 3, kolom "AGB": Een AGB-code bestaat uit precies 8 cijfers.`) {
		t.Errorf("report:\n%s", out.String())
	}
	out.Reset()
	if err := ImportFile(ctx, w.db, w.reg.Code, good, importActor, true, &out); err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if !strings.Contains(out.String(), "3 praktijken, 6 medewerkers") || !strings.Contains(out.String(), "niets opgeslagen") {
		t.Errorf("dry run output:\n%s", out.String())
	}
	if after := w.counts(); after != before {
		t.Errorf("bad file or dry run changed the database: %v → %v", before, after)
	}
	out.Reset()
	if err := ImportFile(ctx, w.db, w.reg.Code, good, importActor, false, &out); err != nil {
		t.Fatalf("import: %v", err)
	}
	if !strings.Contains(out.String(), "Import voltooid: 3 praktijken toegevoegd") {
		t.Errorf("output:\n%s", out.String())
	}
	if got := w.counts(); got[0] != 3 || got[1] != 5 {
		t.Errorf("after import: %v", got)
	}
	if err := ImportFile(ctx, w.db, "geen-regio", good, importActor, false, &out); err == nil {
		t.Error("unknown region accepted")
	}
}
