package store_test

import (
	"fmt"
	"testing"

	"meertijd/internal/mtvp"
)

// BenchmarkListPractices200 lists a region of 200 practices with about 8
// staff each, the region overview's query.
func BenchmarkListPractices200(b *testing.B) {
	db := newDB(b)
	r := addRegion(b, db, "zio")
	cons := addUser(b, db, "c@zio.nl", mtvp.Grant{Role: mtvp.AccountConsultant, RegionID: r.ID})
	roles := []mtvp.StaffRole{mtvp.RolePraktijkhouder, mtvp.RolePraktijkhouder, mtvp.RoleHidha, mtvp.RoleVasteWaarnemer,
		mtvp.RoleDoktersassistent, mtvp.RoleDoktersassistent, mtvp.RolePOHSomatiek, mtvp.RolePOHGGZ}
	batch := &mtvp.ImportBatch{}
	row := 1
	for i := 0; i < 200; i++ {
		code := fmt.Sprintf("01%06d", i)
		batch.Practices = append(batch.Practices, mtvp.Practice{AGB: code, Name: fmt.Sprintf("Huisartsenpraktijk %03d", i),
			City: "Maastricht", RegisteredPatients: 2000 + 10*i, Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2024-01-01")})
		for j, role := range roles {
			row++
			batch.Staff = append(batch.Staff, mtvp.ImportStaff{Row: row, PracticeAGB: code,
				Person:     mtvp.Person{Name: fmt.Sprintf("Medewerker %d-%d", i, j)},
				Membership: mtvp.Membership{Role: role, FTE: 0.8, From: mtvp.MustDate("2023-01-01")}})
		}
	}
	if _, err := db.ApplyImport(ctx, admin, r.ID, batch); err != nil {
		b.Fatal(err)
	}
	// A quarter of the practices belong to the consultant.
	list, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: r.ID})
	if err != nil {
		b.Fatal(err)
	}
	for i, p := range list {
		if i%4 == 0 {
			p := p.Practice
			p.ConsultantID = cons.ID
			if err := db.UpdatePractice(ctx, admin, &p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			list, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: r.ID})
			if err != nil || len(list) != 200 || list[0].StaffCount != 8 {
				b.Fatalf("%d practices, %v", len(list), err)
			}
		}
	})
	b.Run("consultant+query", func(b *testing.B) {
		for b.Loop() {
			list, err := db.ListPractices(ctx, mtvp.PracticeFilter{RegionID: r.ID, OnlyConsultant: cons.ID, Query: "praktijk 1"})
			if err != nil || len(list) == 0 {
				b.Fatalf("%d practices, %v", len(list), err)
			}
		}
	})
}
