package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// histWorld is a region with two practices and their staff, a
// facilitator, a consultant, a regioplan and a training menu for last
// year: the year whose history the files bring in.
type histWorld struct {
	*importWorld
	year   int
	p1, p2 mtvp.Practice
	fac    mtvp.User
	cons   mtvp.User
}

func newHistWorld(t *testing.T) *histWorld {
	t.Helper()
	w := &histWorld{importWorld: newImportWorld(t), year: mtvp.DateOf(clock.Now()).Year() - 1}
	ctx := context.Background()
	db := w.db
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	w.p1 = mtvp.Practice{RegionID: w.reg.ID, AGB: "01000011", Name: "Praktijk De Linde", City: "Maastricht", Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2022-01-01")}
	w.p2 = mtvp.Practice{RegionID: w.reg.ID, AGB: "01000012", Name: "Praktijk Heer", City: "Maastricht", Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2022-01-01")}
	must(db.CreatePractice(ctx, importActor, &w.p1))
	must(db.CreatePractice(ctx, importActor, &w.p2))
	// The region records consultant visits from the start of the year
	// imported (a region setting): a missing visit is "not met".
	w.reg.Settings.VisitsRecordedFrom = mtvp.NewDate(w.year, time.January, 1)
	must(db.UpdateRegion(ctx, importActor, &w.reg))
	staff := func(p mtvp.Practice, name, big, email string, role mtvp.StaffRole) {
		pe := mtvp.Person{Name: name, BIG: big, Email: email}
		m := mtvp.Membership{Role: role, FTE: 0.8, From: mtvp.MustDate("2020-01-01")}
		must(db.AddStaff(ctx, importActor, p.ID, &pe, &m))
	}
	staff(w.p1, "Anna de Vries", "11111111111", "", mtvp.RolePraktijkhouder)
	staff(w.p1, "Bram Jansen", "", "bram@linde.nl", mtvp.RoleVasteWaarnemer)
	staff(w.p1, "Carla Smeets", "", "", mtvp.RoleDoktersassistent)
	staff(w.p1, "Dina Peters", "", "", mtvp.RoleDoktersassistent)
	staff(w.p1, "Eva Claes", "", "", mtvp.RoleDoktersassistent)
	staff(w.p2, "Anna de Vries", "", "anna@heer.nl", mtvp.RolePraktijkhouder)
	staff(w.p2, "Frank Dijk", "", "", mtvp.RoleDoktersassistent)
	staff(w.p2, "Frank Dijk", "", "frank2@heer.nl", mtvp.RoleDoktersassistent)
	w.fac = mtvp.User{Email: "ekc@regio.nl", Name: "Els Kok", Grants: []mtvp.Grant{{Role: mtvp.AccountFacilitator, RegionID: w.reg.ID}}}
	must(db.CreateUser(ctx, importActor, &w.fac, "x"))
	w.cons = mtvp.User{Email: "consulent@regio.nl", Name: "Cor Sulent", Grants: []mtvp.Grant{{Role: mtvp.AccountConsultant, RegionID: w.reg.ID}}}
	must(db.CreateUser(ctx, importActor, &w.cons, "x"))
	rp := mtvp.Regioplan{RegionID: w.reg.ID, Year: w.year, Interventions: []mtvp.Intervention{
		{Code: "A.1", Title: "Triagetraining", Element: mtvp.ElementA, Mandatory: true},
		{Code: "B.2", Title: "Wijkteam", Element: mtvp.ElementB},
	}}
	must(db.SaveRegioplan(ctx, importActor, &rp))
	tr := mtvp.Training{RegionID: w.reg.ID, Title: "Triage voor assistenten", Target: mtvp.TargetAssistants, Themes: []string{mtvp.ThemeTriage}, Active: true}
	must(db.CreateTraining(ctx, importActor, &tr))
	return w
}

// d is a date of the world's year as a Dutch spreadsheet writes it.
func (w *histWorld) d(month, day int) string { return fmt.Sprintf("%02d-%02d-%d", day, month, w.year) }

// historyFiles are the five lists of a region for the world's year: both
// GPs of De Linde in intervision, one assistant trained on the menu, one
// with an approved claim, a GP with an external training, the final plan
// and the annual visit — De Linde meets every norm.
func (w *histWorld) historyFiles() map[HistoryKind][][]string {
	y := fmt.Sprint(w.year)
	return map[HistoryKind][][]string{
		HistoryIntervision: {
			{"jaar", "groep", "begeleider", "plaats", "AGB-code praktijk", "naam", "BIG-nummer", "e-mail", "datum bijeenkomst", "aanwezigheid"},
			{y, "Intervisie Heuvelland", "ekc@regio.nl", "Gulpen", "01000011", "Anna de Vries", "11111111111", "", w.d(3, 12), "aanwezig"},
			{y, "Intervisie Heuvelland", "", "", "01000011", "Bram Jansen", "", "bram@linde.nl", w.d(3, 12), "afgemeld"},
			{y, "Intervisie Heuvelland", "", "", "01000011", "Anna de Vries", "11111111111", "", w.d(5, 14), "afwezig"},
			{y, "Intervisie Heuvelland", "", "", "01000011", "Bram Jansen", "", "", w.d(5, 14), "aanwezig"},
		},
		HistoryCompletions: {
			{"scholing", "doelgroep", "thema", "AGB-code praktijk", "naam", "AGB-code persoon", "datum afgerond", "bron"},
			{"Triage voor assistenten", "", "", "01000011", "Carla Smeets", "01000099", w.d(4, 2), "presentielijst"},
			{"Het goede gesprek (extern)", "huisartsen", "het goede gesprek", "01000011", "Anna de Vries", "", w.d(6, 20), "NHG"},
			{"Het goede gesprek (extern)", "huisartsen", "het goede gesprek", "01000011", "Bram Jansen", "", w.d(6, 20), "NHG"},
		},
		HistoryClaims: {
			{"AGB-code praktijk", "naam", "scholing", "thema", "datum scholing", "besluit", "reden", "besloten door", "besloten op"},
			{"01000011", "Dina Peters", "SOH-cursus", "SOH", w.d(2, 1), "goedgekeurd", "", "consulent@regio.nl", w.d(2, 15)},
			{"01000011", "Eva Claes", "Omgaan met agressie", "omgaan met lastige patiënten", w.d(2, 1), "afgewezen", "Geen bewijs", "Oud-consulent Piet", w.d(2, 20)},
		},
		HistoryPlans: {
			{"AGB-code praktijk", "jaar", "status", "definitief op", "interventies"},
			{"01000011", y, "definitief", w.d(3, 1), "B.2"},
			{"01000012", y, "concept", "", ""},
		},
		HistoryVisits: {
			{"AGB-code praktijk", "datum bezoek", "consulent", "samenvatting"},
			{"01000011", w.d(9, 20), "Cor Sulent", "Plan loopt goed."},
		},
		HistoryIndicators: {
			{"niveau", "AGB-code praktijk", "indicator", "kwartaal", "waarde", "bron", "datum bron"},
			{"praktijk", "01000011", "consulten per verzekerde", y + "-K1", "1,21", "Vektis", w.d(5, 15)},
			{"regio", "", "consulten per verzekerde", y + "-K1", "1,30", "Vektis", w.d(5, 15)},
			{"landelijk", "", "wachttijd", y + "-K2", "3,5", "Nivel", w.d(8, 1)},
		},
	}
}

// csvFile writes rows as Dutch Excel does (';', BOM).
func csvFile(rows [][]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\xEF\xBB\xBF")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	_ = cw.WriteAll(rows)
	return buf.Bytes()
}

// xlsxFile writes rows to a workbook; cells that look like a Dutch date
// become real date cells and codes of digits numbers, as a spreadsheet
// holds them.
func xlsxFile(t testing.TB, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range rows {
		vals := make([]any, len(row))
		for j, v := range row {
			vals[j] = v
			if i == 0 {
				continue
			}
			if tm, err := time.Parse("02-01-2006", v); err == nil {
				vals[j] = tm
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (w *histWorld) run(t *testing.T, kind HistoryKind, data []byte, dry bool) (*Preview, error) {
	t.Helper()
	return ImportHistory(context.Background(), w.db, w.reg.ID, data, HistoryOptions{Kind: kind, FileName: string(kind) + ".xlsx", Actor: importActor, DryRun: dry})
}

// standing evaluates De Linde (or another practice) for the year.
func (w *histWorld) standing(t *testing.T, p mtvp.Practice) mtvp.Standing {
	t.Helper()
	ref := mtvp.YearEnd(w.year)
	facts, err := w.db.ComplianceFacts(context.Background(), w.reg.ID, w.year, ref)
	if err != nil {
		t.Fatal(err)
	}
	return mtvp.EvaluateCompliance(facts[p.ID], w.reg.Settings, w.year, ref)
}

func (w *histWorld) audit(t *testing.T) int64 {
	t.Helper()
	n, err := w.db.AuditCount(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHistoryImportEachListThenAgain(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			w := newHistWorld(t)
			encode := func(rows [][]string) []byte {
				if format == "xlsx" {
					return xlsxFile(t, rows)
				}
				return csvFile(rows)
			}
			files := w.historyFiles()
			before := w.standing(t, w.p1)
			if before.Compliant {
				t.Fatal("compliant before any import")
			}
			for _, kind := range HistoryKinds {
				data := encode(files[kind])
				// A dry run tells what would happen and writes nothing.
				n := w.audit(t)
				p, err := w.run(t, kind, data, true)
				if err != nil {
					t.Fatalf("%s dry run: %v %+v", kind, err, p.Errors())
				}
				if got := w.audit(t); got != n {
					t.Fatalf("%s: dry run wrote %d audit entries", kind, got-n)
				}
				if p.HistoryRows != len(files[kind])-1 || len(p.Tables[0].Rows) != p.HistoryRows {
					t.Fatalf("%s: %d rows, %d in preview", kind, p.HistoryRows, len(p.Tables[0].Rows))
				}
				for _, r := range p.Tables[0].Rows {
					if len(r.Effects) == 0 {
						t.Errorf("%s row %d: no effect shown", kind, r.Row)
					}
				}
				if _, err := w.run(t, kind, data, false); err != nil {
					t.Fatalf("%s: %v", kind, err)
				}
			}
			st := w.standing(t, w.p1)
			for _, req := range []mtvp.Requirement{mtvp.ReqIntervision, mtvp.ReqAssistantTraining, mtvp.ReqGPTraining, mtvp.ReqFinalPlan, mtvp.ReqAnnualVisit} {
				if r := st.Requirement(req); r.Status != mtvp.StatusMet {
					t.Errorf("%s: %s (%d of %d)", req, r.Status, r.Actual, r.Required)
				}
			}
			if !st.Compliant {
				t.Errorf("De Linde not compliant after the import: %+v", st.Requirements)
			}
			// The assistants' norm: the menu training and the approved claim
			// (the rejected one does not count).
			if r := st.Requirement(mtvp.ReqAssistantTraining); r.Actual != 2 {
				t.Errorf("assistants trained: %d, want 2", r.Actual)
			}
			if r := w.standing(t, w.p2).Requirement(mtvp.ReqFinalPlan); r.Status == mtvp.StatusMet {
				t.Error("Heer's concept plan counts as final")
			}
			// The AGB code of the completion row was filled in: the person
			// is found by it from now on.
			agbs, err := w.db.PersonAGBs(context.Background(), w.reg.ID)
			if err != nil || len(agbs) != 1 {
				t.Fatalf("person AGBs %v %v", agbs, err)
			}
			// Every record is marked as recorded afterwards with its file,
			// and each run has its own entry.
			hist, err := w.db.RegionHistory(context.Background(), w.reg.ID, 1000)
			if err != nil {
				t.Fatal(err)
			}
			runs := 0
			for _, e := range hist {
				if e.Entity == store.EntityImport {
					runs++
					continue
				}
				if e.Actor.Name != importActor.Name || e.Entity == store.EntityPractice || e.Entity == store.EntityMembership ||
					e.Entity == store.EntityRegioplan || e.Entity == store.EntityUser || e.Entity == store.EntityRegion {
					continue
				}
			}
			if runs != len(HistoryKinds) {
				t.Errorf("%d import runs in the history, want %d", runs, len(HistoryKinds))
			}
			if !historyHas(hist, store.EntityGroup, "intervisie.xlsx") || !historyHas(hist, store.EntityClaim, "evc.xlsx") || !historyHas(hist, store.EntityVisit, "bezoeken.xlsx") {
				t.Error("records lack the 'recorded afterwards' note with the file name")
			}

			// Again: nothing changes, not even the history.
			n := w.audit(t)
			for _, kind := range HistoryKinds {
				p, err := w.run(t, kind, encode(files[kind]), false)
				if err != nil {
					t.Fatalf("%s again: %v", kind, err)
				}
				for _, c := range p.HistoryCounts {
					if c.Key != effUnchanged {
						t.Errorf("%s again: %s %d", kind, c.Key, c.N)
					}
				}
			}
			if got := w.audit(t); got != n {
				t.Errorf("re-import wrote %d audit entries", got-n)
			}
			if again := w.standing(t, w.p1); !again.Compliant {
				t.Error("re-import changed the standing")
			}
		})
	}
}

func historyHas(hist []mtvp.AuditEntry, entity, file string) bool {
	for _, e := range hist {
		if e.Entity != entity {
			continue
		}
		for _, c := range e.Changes {
			if c.Field == store.FieldRecordedAfterwards && c.New == file {
				return true
			}
		}
	}
	return false
}

func TestHistoryImportBrokenFilesChangeNothing(t *testing.T) {
	w := newHistWorld(t)
	y := fmt.Sprint(w.year)
	good := w.historyFiles()
	// Small chunks: the clean rows before a bad one reach the database
	// before the bad row is read, and must be rolled back.
	defer func(n int) { historyChunk = n }(historyChunk)
	historyChunk = 1
	cases := []struct {
		name   string
		kind   HistoryKind
		rows   [][]string
		row    int
		column string
		msg    string // part of the Dutch message
	}{
		{"wrong headers", HistoryVisits, [][]string{{"AGB", "wanneer", "wie"}, {"01000011", w.d(1, 5), "Cor"}}, 0, "datum bezoek", "ontbreekt"},
		{"unknown person", HistoryIntervision, append(good[HistoryIntervision][:5:5],
			[]string{y, "Intervisie Heuvelland", "", "", "01000011", "Onbekende Persoon", "", "", w.d(3, 12), "aanwezig"}), 6, "naam", "niet gevonden"},
		{"ambiguous person", HistoryCompletions, append(good[HistoryCompletions][:3:3],
			[]string{"Triage voor assistenten", "", "", "01000012", "Frank Dijk", "", w.d(4, 2), ""}), 4, "naam", "Meer dan één persoon"},
		{"person elsewhere", HistoryCompletions, [][]string{good[HistoryCompletions][0],
			{"Triage voor assistenten", "", "", "01000012", "Carla Smeets", "", w.d(4, 2), ""}}, 2, "naam", "Praktijk De Linde"},
		{"impossible date", HistoryVisits, [][]string{good[HistoryVisits][0], good[HistoryVisits][1],
			{"01000012", "31-02-" + y, "Cor Sulent", "Goed"}}, 3, "datum bezoek", "datum"},
		{"date in the future", HistoryVisits, [][]string{good[HistoryVisits][0],
			{"01000012", fmt.Sprintf("01-01-%d", w.year+2), "Cor Sulent", "Goed"}}, 2, "datum bezoek", "toekomst"},
		{"claim before the cut-off", HistoryClaims, append(good[HistoryClaims][:2:2],
			[]string{"01000011", "Eva Claes", "SOH-cursus", "SOH", "01-05-2022", "goedgekeurd", "", "Cor Sulent", "01-06-2022"}), 3, "datum scholing", "vóór"},
		{"claim theme not for the role", HistoryClaims, [][]string{good[HistoryClaims][0],
			{"01000011", "Anna de Vries", "SOH-cursus", "SOH", w.d(2, 1), "goedgekeurd", "", "Cor Sulent", w.d(2, 2)}}, 2, "thema", ""},
		{"unknown intervention", HistoryPlans, [][]string{good[HistoryPlans][0], {"01000011", y, "definitief", w.d(3, 1), "Z.9"}}, 2, "interventies", "Z.9"},
		{"attendance given twice", HistoryIntervision, append(good[HistoryIntervision][:5:5],
			[]string{y, "Intervisie Heuvelland", "", "", "01000011", "Anna de Vries", "11111111111", "", w.d(3, 12), "afwezig"}), 6, "aanwezigheid", "andere aanwezigheid"},
		{"meeting outside the year", HistoryIntervision, [][]string{good[HistoryIntervision][0],
			{y, "Intervisie Heuvelland", "ekc@regio.nl", "Gulpen", "01000011", "Anna de Vries", "11111111111", "", fmt.Sprintf("12-03-%d", w.year-1), "aanwezig"}}, 2, "datum bijeenkomst", ""},
	}
	n := w.audit(t)
	before := w.standing(t, w.p1)
	for _, c := range cases {
		for _, format := range []string{"csv", "xlsx"} {
			data := csvFile(c.rows)
			if format == "xlsx" {
				data = xlsxFile(t, c.rows)
			}
			p, err := w.run(t, c.kind, data, false)
			if !errors.Is(err, ErrRefused) || p.OK() {
				t.Errorf("%s (%s): err %v", c.name, format, err)
				continue
			}
			found := false
			for _, e := range p.Errors() {
				if e.Row == c.row && e.Column == c.column && strings.Contains(e.Message("nl"), c.msg) {
					found = true
				}
			}
			if !found {
				var got []string
				for _, e := range p.Errors() {
					got = append(got, fmt.Sprintf("row %d %q: %s", e.Row, e.Column, e.Message("nl")))
				}
				t.Errorf("%s (%s): want row %d column %q %q; got %v", c.name, format, c.row, c.column, c.msg, got)
			}
		}
	}
	if got := w.audit(t); got != n {
		t.Errorf("refused files wrote %d audit entries", got-n)
	}
	if after := w.standing(t, w.p1); after.Compliant != before.Compliant || after.Requirement(mtvp.ReqIntervision).Actual != before.Requirement(mtvp.ReqIntervision).Actual {
		t.Error("a refused file changed the standing")
	}
	groups, err := w.db.ListGroups(context.Background(), mtvp.GroupFilter{RegionID: w.reg.ID, Year: w.year})
	if err != nil || len(groups) != 0 {
		t.Errorf("groups after refused files: %d %v", len(groups), err)
	}
}

// TestHistoryIntervisionAttendanceChanged: a later list may correct the
// attendance the region holds (one change each), but two rows of one file
// that disagree about a meeting and person refuse the file, also when the
// first of them was written in an earlier chunk.
func TestHistoryIntervisionAttendanceChanged(t *testing.T) {
	w := newHistWorld(t)
	ctx := context.Background()
	y := fmt.Sprint(w.year)
	list := w.historyFiles()[HistoryIntervision]
	if _, err := w.run(t, HistoryIntervision, csvFile(list), false); err != nil {
		t.Fatal(err)
	}
	defer func(n int) { historyChunk = n }(historyChunk)
	historyChunk = 1
	anna := func(status string) []string {
		return []string{y, "Intervisie Heuvelland", "", "", "01000011", "Anna de Vries", "11111111111", "", w.d(5, 14), status}
	}
	p, err := w.run(t, HistoryIntervision, csvFile([][]string{list[0], anna("aanwezig"), anna("afgemeld")}), false)
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("disagreeing rows: %v", err)
	}
	if e := p.Errors(); len(e) != 1 || e[0].Row != 3 || e[0].Column != "aanwezigheid" {
		t.Errorf("disagreeing rows: %+v", e)
	}
	p, err = w.run(t, HistoryIntervision, csvFile([][]string{list[0], anna("aanwezig"), anna("aanwezig"), list[1]}), false)
	if err != nil {
		t.Fatalf("%v %+v", err, p.Errors())
	}
	want := map[string]int{"import.hist.eff.attendance_changed": 1, effUnchanged: 2}
	for _, c := range p.HistoryCounts {
		if want[c.Key] != c.N {
			t.Errorf("%s: %d, want %d", c.Key, c.N, want[c.Key])
		}
		delete(want, c.Key)
	}
	if len(want) > 0 {
		t.Errorf("missing counts %v", want)
	}
	groups, err := w.db.ListGroups(ctx, mtvp.GroupFilter{RegionID: w.reg.ID, Year: w.year})
	if err != nil || len(groups) != 1 {
		t.Fatalf("groups %d %v", len(groups), err)
	}
	att, err := w.db.GroupAttendance(ctx, groups[0].Group.ID)
	if err != nil {
		t.Fatal(err)
	}
	present := 0
	for _, a := range att {
		if a.Status == mtvp.AttendPresent {
			present++
		}
	}
	if len(att) != 4 || present != 3 {
		t.Errorf("attendance %+v: want 4 records, 3 present", att)
	}
}

// TestHistoryIntervisionGAIA: the optional GAIA column records when a
// meeting was submitted, so imported meetings leave the facilitator's list
// of meetings to finish; a later file may fill in a missing date but not
// change one, and rows of a file must agree.
func TestHistoryIntervisionGAIA(t *testing.T) {
	w := newHistWorld(t)
	ctx := context.Background()
	y := fmt.Sprint(w.year)
	head := []string{"jaar", "groep", "begeleider", "plaats", "AGB-code praktijk", "naam", "e-mail", "datum bijeenkomst", "aanwezigheid", "GAIA ingediend op"}
	row := func(who, email, meeting, status, gaia string) []string {
		return []string{y, "Intervisie Heuvelland", "ekc@regio.nl", "Gulpen", "01000011", who, email, meeting, status, gaia}
	}
	open := func() []string {
		t.Helper()
		list, err := w.db.FacilitatorOpenMeetings(ctx, w.reg.ID, w.fac.ID, mtvp.NewDate(w.year, time.January, 1), mtvp.YearEnd(w.year).AddDays(1), 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range list {
			out = append(out, m.Date.String())
		}
		return out
	}
	mar, may := mtvp.NewDate(w.year, time.March, 12), mtvp.NewDate(w.year, time.May, 14)
	p, err := w.run(t, HistoryIntervision, csvFile([][]string{head,
		row("Anna de Vries", "", w.d(3, 12), "aanwezig", w.d(3, 26)),
		row("Bram Jansen", "bram@linde.nl", w.d(3, 12), "aanwezig", ""),
		row("Anna de Vries", "", w.d(5, 14), "aanwezig", ""),
	}), false)
	if err != nil {
		t.Fatalf("%v %+v", err, p.Errors())
	}
	if got := open(); len(got) != 1 || got[0] != may.String() {
		t.Errorf("open meetings %v, want only %s", got, may)
	}
	// A later list fills in May's date (the March row agrees: unchanged).
	p, err = w.run(t, HistoryIntervision, xlsxFile(t, [][]string{head,
		row("Anna de Vries", "", w.d(3, 12), "aanwezig", w.d(3, 26)),
		row("Anna de Vries", "", w.d(5, 14), "aanwezig", w.d(6, 1)),
	}), false)
	if err != nil {
		t.Fatalf("%v %+v", err, p.Errors())
	}
	gaiaSet := 0
	for _, c := range p.HistoryCounts {
		if c.Key == "import.hist.eff.gaia_set" {
			gaiaSet = c.N
		}
	}
	if gaiaSet != 1 {
		t.Errorf("GAIA dates set: %d, want 1 (%+v)", gaiaSet, p.HistoryCounts)
	}
	if got := open(); len(got) != 0 {
		t.Errorf("open meetings %v after the GAIA dates", got)
	}
	n := w.audit(t)
	for _, c := range []struct {
		name string
		rows [][]string
		row  int
		msg  string
	}{
		{"another date than recorded", [][]string{head, row("Anna de Vries", "", w.d(3, 12), "aanwezig", w.d(4, 1))}, 2, mar.AddDays(14).Short()},
		{"rows disagree", [][]string{head, row("Anna de Vries", "", w.d(7, 2), "aanwezig", w.d(7, 10)),
			row("Bram Jansen", "bram@linde.nl", w.d(7, 2), "aanwezig", w.d(7, 11))}, 3, "rij 2"},
		{"before the meeting", [][]string{head, row("Anna de Vries", "", w.d(8, 2), "aanwezig", w.d(8, 1))}, 2, "na de bijeenkomst"},
	} {
		p, err := w.run(t, HistoryIntervision, csvFile(c.rows), false)
		if !errors.Is(err, ErrRefused) {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if e := p.Errors(); len(e) != 1 || e[0].Row != c.row || e[0].Column != "GAIA ingediend op" || !strings.Contains(e[0].Message("nl"), c.msg) {
			var got []string
			for _, x := range e {
				got = append(got, fmt.Sprintf("row %d %q: %s", x.Row, x.Column, x.Message("nl")))
			}
			t.Errorf("%s: %v", c.name, got)
		}
	}
	if got := w.audit(t); got != n {
		t.Errorf("refused files wrote %d audit entries", got-n)
	}
}

func TestHistoryTemplates(t *testing.T) {
	w := newHistWorld(t)
	for _, kind := range HistoryKinds {
		data, err := HistoryTemplate(kind, "nl")
		if err != nil {
			t.Fatal(err)
		}
		// The empty template is read back: every column recognised, no
		// rows.
		p, err := w.run(t, kind, data, true)
		if !errors.Is(err, ErrRefused) || len(p.FileErrors) != 1 || p.FileErrors[0].Key != "import.err.empty" {
			t.Errorf("%s template: %v %+v", kind, err, p.FileErrors)
		}
	}
}
