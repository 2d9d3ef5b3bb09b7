package importer

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/mtvp"
	"meertijd/internal/store"
)

// BenchmarkHistoryImport imports an intervision list of 100,000 rows (10,000
// GPs of 1,000 practices in 834 groups, ten meetings each; and of 50,000
// rows, five meetings each) into a region
// that holds the people, all or nothing in one transaction. It reports the
// wall and CPU time per row, the allocations, and the peak live heap
// while importing: the two sizes should show about the same peak, since
// the run keeps only per-group state (members, meetings and one
// attendance byte per member and meeting), never the rows of the file.
//
//	go test -run '^$' -bench HistoryImport -benchtime 1x ./internal/importer/
func BenchmarkHistoryImport(b *testing.B) {
	// Half the rows (five meetings) against the same region: the peak heap
	// should barely move.
	for _, meetings := range []int{5, 10} {
		b.Run(fmt.Sprintf("rows=%d", 10000*meetings), func(b *testing.B) { benchHistoryImport(b, meetings) })
	}
}

func benchHistoryImport(b *testing.B, meetings int) {
	b.ReportAllocs()
	const practices, perPractice = 1000, 10
	rows := practices * perPractice * meetings
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w := newImportWorld(b)
		ctx := context.Background()
		fac := mtvp.User{Email: "ekc@regio.nl", Name: "Els Kok", Grants: []mtvp.Grant{{Role: mtvp.AccountFacilitator, RegionID: w.reg.ID}}}
		if err := w.db.CreateUser(ctx, importActor, &fac, "x"); err != nil {
			b.Fatal(err)
		}
		year := mtvp.DateOf(clock.Now()).Year() - 1
		pb := &store.PeopleBatch{AuditSummary: true}
		for p := 0; p < practices; p++ {
			pr := &mtvp.Practice{RegionID: w.reg.ID, AGB: fmt.Sprintf("0%07d", 1000000+p), Name: fmt.Sprintf("Praktijk %d", p),
				City: "Maastricht", Status: mtvp.PracticeActive, JoinedOn: mtvp.MustDate("2022-01-01")}
			pb.Practices = append(pb.Practices, pr)
			for j := 0; j < perPractice; j++ {
				pe := &mtvp.Person{RegionID: w.reg.ID, Name: fmt.Sprintf("Huisarts %d-%d", p, j), BIG: fmt.Sprintf("%011d", p*100+j+1)}
				pb.Persons = append(pb.Persons, pe)
				pb.Memberships = append(pb.Memberships, &store.MembershipRow{Person: pe, Practice: pr,
					Membership: mtvp.Membership{Role: mtvp.RolePraktijkhouder, FTE: 0.8, From: mtvp.MustDate("2020-01-01")}})
			}
		}
		if err := w.db.BulkPeople(ctx, importActor, pb); err != nil {
			b.Fatal(err)
		}
		list := make([][]string, 0, rows+1)
		list = append(list, []string{"jaar", "groep", "begeleider", "plaats", "AGB-code praktijk", "naam", "BIG-nummer", "datum bijeenkomst", "aanwezigheid"})
		for n, pe := range pb.Persons {
			pr := pb.Memberships[n].Practice
			g := fmt.Sprintf("Groep %d", n/defaultGroupSize)
			for m := 0; m < meetings; m++ {
				status := "aanwezig"
				if (n+m)%4 == 0 {
					status = "afgemeld"
				}
				list = append(list, []string{fmt.Sprint(year), g, "ekc@regio.nl", "Maastricht", pr.AGB, pe.Name, pe.BIG,
					fmt.Sprintf("%02d-%02d-%d", 1+m, 10, year), status})
			}
		}
		data := csvFile(list)
		list = nil
		runtime.GC()
		var peak uint64
		done := make(chan struct{})
		go func() {
			// The live heap as of the last collection: what the import
			// keeps, not the garbage waiting for the collector.
			sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
				}
				metrics.Read(sample)
				peak = max(peak, sample[0].Value.Uint64())
			}
		}()
		base := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(base)
		cpu0 := cpuTime()
		b.StartTimer()
		p, err := ImportHistory(ctx, w.db, w.reg.ID, data, HistoryOptions{Kind: HistoryIntervision, FileName: "intervisie.csv", Actor: importActor})
		b.StopTimer()
		cpu := cpuTime() - cpu0
		close(done)
		if err != nil {
			b.Fatalf("%v %+v", err, p.Errors()[:min(5, len(p.Errors()))])
		}
		if p.HistoryRows != rows {
			b.Fatalf("%d rows", p.HistoryRows)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows*(i+1)), "ns/row")
		// CPU time of the process (all goroutines, GC included): on a
		// shared machine the wall time above includes waiting for a core.
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(rows), "cpu-ns/row")
		b.ReportMetric(float64(peak-min(peak, base[0].Value.Uint64()))/(1<<20), "peak-live-MiB")
		b.ReportMetric(float64(len(data))/(1<<20), "file-MiB")
		b.StartTimer()
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
