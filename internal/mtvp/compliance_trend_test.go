package mtvp

import (
	"reflect"
	"testing"
)

func TestTrendDates(t *testing.T) {
	d := MustDate
	cases := []struct {
		year  int
		today Date
		want  []Date
	}{
		{2026, d("2026-01-01"), []Date{d("2026-01-01")}},
		{2026, d("2026-03-15"), []Date{d("2026-01-31"), d("2026-02-28"), d("2026-03-15")}},
		{2024, d("2024-03-01"), []Date{d("2024-01-31"), d("2024-02-29"), d("2024-03-01")}},
		{2026, d("2026-04-30"), []Date{d("2026-01-31"), d("2026-02-28"), d("2026-03-31"), d("2026-04-30")}},
		{2026, d("2026-12-31"), []Date{d("2026-01-31"), d("2026-02-28"), d("2026-03-31"), d("2026-04-30"), d("2026-05-31"), d("2026-06-30"),
			d("2026-07-31"), d("2026-08-31"), d("2026-09-30"), d("2026-10-31"), d("2026-11-30"), d("2026-12-31")}},
		{2026, d("2027-01-01"), []Date{d("2026-01-31"), d("2026-02-28"), d("2026-03-31"), d("2026-04-30"), d("2026-05-31"), d("2026-06-30"),
			d("2026-07-31"), d("2026-08-31"), d("2026-09-30"), d("2026-10-31"), d("2026-11-30"), d("2026-12-31")}},
		{2027, d("2026-12-31"), nil},
	}
	for _, c := range cases {
		if got := TrendDates(c.year, c.today); !reflect.DeepEqual(got, c.want) {
			t.Errorf("TrendDates(%d, %s) = %v, want %v", c.year, c.today, got, c.want)
		}
	}
	if p := (TrendPoint{Counted: 3, Compliant: 2}); p.Percent() != 67 {
		t.Errorf("2 of 3 = %d%%", p.Percent())
	}
	if p := (TrendPoint{}); p.Percent() != 0 {
		t.Errorf("0 of 0 = %d%%", p.Percent())
	}
}
