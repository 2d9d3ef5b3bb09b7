package storetest

import (
	"context"
	"fmt"
	"testing"

	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// RegionAgenda gives the region five more active practices and stores
// huisarts agenda weeks of 2026-Q1 for them and for the practices named
// (the region's consult duration, issue 15 §5). In week 5 only the named
// practices and the first new one contribute. It returns week 5's
// consults in all (the figure a funder must not be able to compute) and
// the names of the new practices.
func RegionAgenda(t testing.TB, db *store.DB, regionID int64, practiceIDs ...int64) (week5 int64, names []string) {
	t.Helper()
	ctx := context.Background()
	ids := append([]int64(nil), practiceIDs...)
	for i := range 5 {
		p := mtvp.Practice{RegionID: regionID, AGB: fmt.Sprintf("0100010%d", i), Name: fmt.Sprintf("Agendapraktijk %d", i), City: "Heerlen",
			RegisteredPatients: 2000, Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2025-01-01")}
		if err := db.CreatePractice(ctx, mtvp.SystemActor, &p); err != nil {
			t.Fatal(err)
		}
		ids, names = append(ids, p.ID), append(names, p.Name)
	}
	for k, id := range ids {
		var weeks []mtvp.ConsultWeek
		for _, w := range mtvp.WeekRange(mtvp.Week{Year: 2026, Week: 1}, mtvp.Week{Year: 2026, Week: 13}) {
			if w.Week == 5 && k > len(practiceIDs) {
				continue
			}
			c := mtvp.ConsultWeek{PracticeID: id, Week: w, Role: mtvp.ConsultHuisarts}
			for n := range 40 + 7*k {
				c.Add(int64(600+60*((n+k)%9)), false)
			}
			if w.Week == 5 {
				week5 += c.Count
			}
			weeks = append(weeks, c)
		}
		up := &mtvp.ConsultUpload{PracticeID: id, Format: "csv", FileName: "agenda.csv", Rows: 1, Used: 1, First: weeks[0].Week, Last: weeks[len(weeks)-1].Week}
		if err := db.SaveAgenda(ctx, mtvp.SystemActor, up, weeks); err != nil {
			t.Fatal(err)
		}
	}
	return week5, names
}
