package demo

// PrimaCura moved into meertijd mid-programme (issue 12): its last year —
// intervision groups with their meetings and attendance, the assistants'
// triage course, and the consultants' annual visits — comes in the way a
// region brings its own: as the XLSX lists it kept, through the history
// import (internal/importer), so every demo start exercises it.

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"meertijd/internal/importer"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// historyRegion is the demo region whose past is imported from files.
const historyRegion = "primacura"

// historyList is one generated list: its kind and rows (header first).
// Cells are strings, or mtvp.Date for date cells.
type historyList struct {
	kind importer.HistoryKind
	rows [][]any
}

// loadHistory generates PrimaCura's lists of last year as XLSX files and
// imports them; it returns the rows imported.
func loadHistory(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	today := mtvp.DateOf(now)
	reg, err := db.RegionByCode(ctx, historyRegion)
	if mtvp.ErrorCode(err) == mtvp.ENOTFOUND {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	in, err := readRegion(ctx, db, reg, today)
	if err != nil {
		return 0, err
	}
	year := today.Year() - 1
	rows := 0
	lists := append(historyLists(in, year, rand.New(rand.NewPCG(12, 2026))), indicatorList(in, year, today, rand.New(rand.NewPCG(15, 2026))))
	for _, l := range lists {
		if len(l.rows) < 2 {
			continue
		}
		data, err := xlsxOf(l.rows)
		if err != nil {
			return rows, err
		}
		name := fmt.Sprintf("%s-%s-%d.xlsx", historyRegion, l.kind, year)
		p, err := importer.ImportHistory(ctx, db, reg.ID, data, importer.HistoryOptions{Kind: l.kind, FileName: name,
			Actor: mtvp.SystemActor, Today: today})
		if err != nil {
			if p != nil {
				if errs := p.Errors(); len(errs) > 0 {
					return rows, fmt.Errorf("demo: import %s: row %d, %s: %s: %w", name, errs[0].Row, errs[0].Column, errs[0].Message("nl"), err)
				}
			}
			return rows, fmt.Errorf("demo: import %s: %w", name, err)
		}
		rows += p.HistoryRows
	}
	return rows, nil
}

// historyLists builds the region's lists of a past year.
func historyLists(in *regionInput, year int, rng *rand.Rand) []historyList {
	iv := historyList{kind: importer.HistoryIntervision, rows: [][]any{{"jaar", "groep", "begeleider", "plaats", "AGB-code praktijk",
		"naam", "BIG-nummer", "e-mail", "datum bijeenkomst", "aanwezigheid", "ingediend bij GAIA op"}}}
	tr := historyList{kind: importer.HistoryCompletions, rows: [][]any{{"scholing", "doelgroep", "thema", "AGB-code praktijk", "naam",
		"BIG-nummer", "e-mail", "datum afgerond", "bron"}}}
	vs := historyList{kind: importer.HistoryVisits, rows: [][]any{{"AGB-code praktijk", "datum bezoek", "consulent", "samenvatting"}}}
	signUp := mtvp.NewDate(year, time.January, 10)
	const perGroup = 10
	y := strconv.Itoa(year)
	gp, vi := 0, 0
	// A GP who works at two practices (a locum) takes part in one group,
	// not once per practice: two rows of one person for one meeting were
	// refused by the import (on the days the generated staff overlapped).
	inGroup := map[int64]bool{}
	for pi, p := range in.practices {
		if p.p.Status != mtvp.PracticeActive || p.p.JoinedOn.IsZero() || p.p.JoinedOn.Year() > year {
			continue
		}
		seen := map[int64]bool{}
		for _, s := range p.staff {
			if seen[s.PersonID] || !s.ActiveOn(signUp) {
				continue
			}
			switch {
			case s.Role == mtvp.RolePraktijkhouder || s.Role == mtvp.RoleVasteWaarnemer:
				if len(in.facilitators) == 0 || rng.IntN(10) < 3 || inGroup[s.PersonID] {
					continue
				}
				seen[s.PersonID], inGroup[s.PersonID] = true, true
				g := gp / perGroup
				gp++
				town := p.p.City
				name := fmt.Sprintf("Intervisie %s %d", historyRegionTitle, g+1)
				fac := in.facilitators[g%len(in.facilitators)].Name
				for m := 0; m < 6; m++ {
					d := mtvp.NewDate(year, time.February, 2+g%5).AddDays(42 * m)
					if d.Year() != year || !s.ActiveOn(d) {
						break
					}
					st := "aanwezig"
					switch x := rng.IntN(10); {
					case x == 0:
						st = "afwezig"
					case x < 3:
						st = "afgemeld"
					}
					// The facilitator submitted each meeting to GAIA two
					// weeks after it (within the year).
					gaia := d.AddDays(14)
					if end := mtvp.YearEnd(year); gaia.After(end) {
						gaia = end
					}
					iv.rows = append(iv.rows, []any{y, name, fac, town, p.p.AGB, s.Person.Name, s.Person.BIG, s.Person.Email, d, st, gaia})
				}
			case s.Role == mtvp.RoleDoktersassistent:
				if rng.IntN(10) < 4 {
					continue
				}
				seen[s.PersonID] = true
				d := mtvp.NewDate(year, time.March, 1).AddDays(rng.IntN(200))
				tr.rows = append(tr.rows, []any{"Triage in de huisartsenpraktijk (" + y + ")", "assistenten", mtvp.ThemeTriage, p.p.AGB,
					s.Person.Name, s.Person.BIG, s.Person.Email, d, "presentielijst ROS"})
			}
		}
		if p.p.ConsultantID != 0 {
			vi++
			d := mtvp.NewDate(year, time.March, 1).AddDays((pi * 23) % 270)
			vs.rows = append(vs.rows, []any{p.p.AGB, d, p.p.ConsultantName, demoJudgements[vi%len(demoJudgements)]})
		}
	}
	return []historyList{iv, tr, vs}
}

const historyRegionTitle = "PrimaCura"

// xlsxOf writes rows to a workbook as a region's spreadsheet holds them:
// dates as date cells, codes as text.
func xlsxOf(rows [][]any) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return nil, err
	}
	for i, row := range rows {
		vals := make([]any, len(row))
		for j, v := range row {
			if d, ok := v.(mtvp.Date); ok {
				vals[j] = excelize.Cell{StyleID: dateStyle, Value: d.Time()}
				continue
			}
			vals[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, vals); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
