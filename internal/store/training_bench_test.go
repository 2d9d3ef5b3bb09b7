package store_test

import (
	"testing"

	"meertijd/internal/clock"
	"meertijd/internal/demo"
	"meertijd/internal/mtvp"
)

// BenchmarkTrainingFactsRegion: the training norms of every practice of a
// demo region (with its training menu), from TrainingFacts' three queries.
func BenchmarkTrainingFactsRegion(b *testing.B) {
	db := newDB(b)
	now := clock.Now()
	if _, err := demo.Load(ctx, db, func(pw string) (string, error) { return "x$" + pw, nil }, now); err != nil {
		b.Fatal(err)
	}
	if err := demo.LoadTraining(ctx, db, now); err != nil {
		b.Fatal(err)
	}
	reg, err := db.RegionByCode(ctx, "zio")
	if err != nil {
		b.Fatal(err)
	}
	ref := mtvp.DateOf(now)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		facts, err := db.TrainingFacts(ctx, reg.ID, 0)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, f := range facts {
			n += len(mtvp.EvaluateTrainingNorms(f, reg.Settings, ref))
		}
		if n == 0 {
			b.Fatal("no norms evaluated")
		}
	}
}
