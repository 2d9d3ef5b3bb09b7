package store_test

import (
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/demo/nationalbench"
	"meertijd/internal/mtvp"
)

// BenchmarkNationalReminders5000: the day's reminders of all 40 regions
// of the national data set (5,000 practices): ReminderFacts' six queries,
// then mtvp.DueReminders per region. Target: under 200 ms.
//
//	go test -run '^$' -bench 'NationalReminders' -benchtime 20x ./internal/store/
func BenchmarkNationalReminders5000(b *testing.B) {
	db := nationalbench.DB(b)
	day := mtvp.DateOf(clock.Now())
	b.ResetTimer()
	cpu := nationalbench.StartCPU()
	n, plans := 0, 0
	for b.Loop() {
		facts, err := db.ReminderFacts(ctx, day)
		if err != nil {
			b.Fatal(err)
		}
		n, plans = 0, 0
		for _, f := range facts {
			n += len(mtvp.DueReminders(f, day))
			plans += len(f.Plans)
		}
		if len(facts) < 40 || plans == 0 {
			b.Fatalf("%d regions, %d practices taking part", len(facts), plans)
		}
	}
	cpu.ReportPerOp(b)
	b.ReportMetric(float64(n), "reminders")
	b.ReportMetric(float64(plans), "practices")
}
