package store_test

import (
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/demo"
	"meertijd/internal/demo/nationalbench"
	"meertijd/internal/mtvp"
)

// The compliance benchmarks of issue 6 run on the national data set
// (demo.LoadNational: 40 regions, 5,000 practices, about 80,000 people),
// cached between runs by nationalbench. Besides the wall clock they report
// this process's CPU time per operation (cpu-ms/op), which says more on a
// machine shared with other work (on PostgreSQL the server's CPU is not in
// it).
//
//	go test -run '^$' -bench 'Compliance(200|5000)' -benchtime 20x ./internal/store/
//	MEERTIJD_TEST_POSTGRES=postgres://… go test -run '^$' -bench 'Compliance(200|5000)' -benchtime 20x ./internal/store/

// BenchmarkRegionCompliance200: the standing of every practice of a
// 200-practice region: ComplianceFacts' fixed set of queries, then
// EvaluateCompliance per practice. Target: under 50 ms.
func BenchmarkRegionCompliance200(b *testing.B) {
	db := nationalbench.DB(b)
	reg, err := db.RegionByCode(ctx, demo.NationalRegionCode(0))
	if err != nil {
		b.Fatal(err)
	}
	ref := mtvp.DateOf(clock.Now())
	year := ref.Year()
	b.ResetTimer()
	cpu := nationalbench.StartCPU()
	met := 0
	for b.Loop() {
		facts, err := db.ComplianceFacts(ctx, reg.ID, year, ref)
		if err != nil {
			b.Fatal(err)
		}
		met = 0
		for _, f := range facts {
			if st := mtvp.EvaluateCompliance(f, reg.Settings, year, ref); st.Compliant {
				met++
			}
		}
		if len(facts) != 200 {
			b.Fatalf("%d practices", len(facts))
		}
	}
	cpu.ReportPerOp(b)
	b.ReportMetric(float64(met), "compliant")
}

// BenchmarkNationalCompliance5000: the standing of all 5,000 practices of
// the 40 regions (NationalComplianceFacts, then EvaluateCompliance per
// practice). Target: under 2 s.
func BenchmarkNationalCompliance5000(b *testing.B) {
	db := nationalbench.DB(b)
	ref := mtvp.DateOf(clock.Now())
	year := ref.Year()
	b.ResetTimer()
	cpu := nationalbench.StartCPU()
	met := 0
	for b.Loop() {
		regions, err := db.NationalComplianceFacts(ctx, year, ref)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		met = 0
		for _, r := range regions {
			for _, f := range r.Practices {
				if mtvp.EvaluateCompliance(f, r.Region.Settings, year, ref).Compliant {
					met++
				}
				n++
			}
		}
		if n != 5000 {
			b.Fatalf("%d practices", n)
		}
	}
	cpu.ReportPerOp(b)
	b.ReportMetric(float64(met), "compliant")
}
