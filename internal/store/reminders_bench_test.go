package store_test

import (
	"testing"
	"time"

	"meertijd/internal/clock"
	"meertijd/internal/demo/nationalbench"
	"meertijd/internal/mtvp"
)

// BenchmarkNationalReminders5000: the day's reminders of all 40 regions
// of the national data set (5,000 practices): ReminderFacts, then
// mtvp.DueReminders per region. Target: under 200 ms on each kind of day.
// "today" is whatever today is (meetings and sessions of the dates
// reminded of, claims, visits, promotions, memory); "plan-day" is 17
// March, when the plan reminder falls (every practice's plan state is
// loaded); "at-risk" is ten days before 31 December, inside every region's
// at-risk window, where the standings come from the standings cache, warm
// after the first call as it is for the pages (cold-ms reports that first
// call: every region evaluated, BenchmarkNationalStandings' business).
//
//	go test -run '^$' -bench 'NationalReminders' -benchtime 20x ./internal/store/
func BenchmarkNationalReminders5000(b *testing.B) {
	db := nationalbench.DB(b)
	today := mtvp.DateOf(clock.Now())
	for _, tc := range []struct {
		name string
		day  mtvp.Date
		need func(f mtvp.ReminderFacts) int
	}{
		{"today", today, func(f mtvp.ReminderFacts) int { return 1 }},
		{"plan-day", mtvp.NewDate(today.Year(), 3, 17), func(f mtvp.ReminderFacts) int { return len(f.Plans) }},
		{"at-risk", mtvp.YearEnd(today.Year()).AddDays(-10), func(f mtvp.ReminderFacts) int { return len(f.Standings) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			// The first call fills the standings cache where the at-risk
			// window is open (each region evaluated once, as after a
			// restart); it is reported as cold-ms and not timed (b.Loop
			// starts the timer). Later -count runs find the cache warm.
			start := time.Now()
			if _, err := db.ReminderFacts(ctx, tc.day); err != nil {
				b.Fatal(err)
			}
			cold := time.Since(start)
			cpu := nationalbench.StartCPU()
			n, loaded := 0, 0
			for b.Loop() {
				facts, err := db.ReminderFacts(ctx, tc.day)
				if err != nil {
					b.Fatal(err)
				}
				n, loaded = 0, 0
				for _, f := range facts {
					n += len(mtvp.DueReminders(f, tc.day))
					loaded += tc.need(f)
				}
				if len(facts) < 40 || loaded == 0 {
					b.Fatalf("%d regions, %d facts of the day's kind", len(facts), loaded)
				}
			}
			cpu.ReportPerOp(b)
			b.ReportMetric(float64(n), "reminders")
			b.ReportMetric(float64(cold.Milliseconds()), "cold-ms")
		})
	}
}
