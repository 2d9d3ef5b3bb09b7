package mtvp

import (
	"testing"
	"time"
)

func TestValidatePulseAnswer(t *testing.T) {
	long := make([]rune, PulseCommentMax+1)
	for i := range long {
		long[i] = 'é'
	}
	cases := []struct {
		name string
		a    PulseAnswer
		want FieldErrors
	}{
		{"all fine", PulseAnswer{7, 8, 5, "Meer tijd voor de patiënt"}, nil},
		{"edges", PulseAnswer{0, 10, 0, ""}, nil},
		{"empty scale", PulseAnswer{-1, 5, 5, ""}, FieldErrors{"workload": "pulse.err.scale_required"}},
		{"above 10", PulseAnswer{5, 11, 5, ""}, FieldErrors{"satisfaction": "pulse.err.scale"}},
		{"below 0", PulseAnswer{5, 5, -3, ""}, FieldErrors{"time_for_patient": "pulse.err.scale"}},
		{"comment too long", PulseAnswer{5, 5, 5, string(long)}, FieldErrors{"comment": "err.too_long"}},
		{"comment at the limit", PulseAnswer{5, 5, 5, string(long[1:])}, nil},
	}
	for _, c := range cases {
		got := FieldErrorsOf(ValidatePulseAnswer(c.a))
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", c.name, k, got[k], v)
			}
		}
	}
}

func TestPulseRoundOpenClosed(t *testing.T) {
	q := Quarter{2026, 4}
	r := PulseRound{Quarter: q, OpenedOn: NewDate(2026, time.November, 3)}
	cases := []struct {
		day          Date
		closedEarly  bool
		open, closed bool
	}{
		{NewDate(2026, time.November, 2), false, false, false}, // before it opened
		{NewDate(2026, time.November, 3), false, true, false},
		{NewDate(2026, time.December, 31), false, true, false}, // the quarter's last day
		{NewDate(2027, time.January, 1), false, false, true},   // the quarter is over
		{NewDate(2026, time.November, 20), true, false, true},  // closed by the region
	}
	for _, c := range cases {
		rr := r
		if c.closedEarly {
			rr.ClosedAt = time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)
		}
		if got := rr.OpenOn(c.day); got != c.open {
			t.Errorf("%s early=%v: open %v", c.day, c.closedEarly, got)
		}
		if got := rr.ClosedOn(c.day); got != c.closed {
			t.Errorf("%s early=%v: closed %v", c.day, c.closedEarly, got)
		}
	}
}

func TestValidatePulseStart(t *testing.T) {
	today := NewDate(2026, time.December, 31)
	started := []PulseRound{{Quarter: Quarter{2026, 3}}}
	cases := []struct {
		q    Quarter
		have []PulseRound
		code string
	}{
		{Quarter{2026, 4}, started, ""},
		{Quarter{2027, 1}, nil, EINVALID}, // a quarter not begun
		{Quarter{2026, 3}, started, EINVALID},
		{Quarter{2026, 4}, append(started, PulseRound{Quarter: Quarter{2026, 4}}), ECONFLICT},
	}
	for _, c := range cases {
		if got := ErrorCode(ValidatePulseStart(c.q, today, c.have)); got != c.code {
			t.Errorf("%v: %q, want %q", c.q, got, c.code)
		}
	}
}

func TestPracticePulseFigure(t *testing.T) {
	cases := []struct {
		t      PulseTally
		closed bool
		hidden string
		sat    float64
	}{
		{PulseTally{N: 6, Satisfaction: 42}, false, PulseHiddenOpen, 0},
		{PulseTally{N: 4, Satisfaction: 40}, true, PulseHiddenFewAnswers, 0},
		{PulseTally{N: 0}, true, PulseHiddenFewAnswers, 0},
		{PulseTally{N: 5, Satisfaction: 36}, true, "", 7.2},
	}
	for _, c := range cases {
		f := PracticePulseFigure(c.t, c.closed)
		if f.Hidden != c.hidden || f.Satisfaction != c.sat {
			t.Errorf("%+v closed=%v: %+v", c.t, c.closed, f)
		}
		if !f.Shown() && (f.N != 0 || f.Satisfaction != 0) {
			t.Errorf("hidden figure carries numbers: %+v", f)
		}
	}
}

// TestRegionPulseFigure: the region figure never contains the answers of
// a practice with too few, and is hidden from a viewer who could subtract
// what they see and be left with one practice.
func TestRegionPulseFigure(t *testing.T) {
	a := PulseTally{PracticeID: 1, N: 5, Workload: 40, Satisfaction: 30, TimeForPatient: 25}  // shown
	b := PulseTally{PracticeID: 2, N: 10, Workload: 60, Satisfaction: 80, TimeForPatient: 70} // shown
	c := PulseTally{PracticeID: 3, N: 4, Workload: 40, Satisfaction: 0, TimeForPatient: 0}    // too few
	d := PulseTally{PracticeID: 4, N: 3, Workload: 30, Satisfaction: 30, TimeForPatient: 30}  // too few
	all := func(int64) bool { return true }
	none := func(int64) bool { return false }
	only := func(ids ...int64) func(int64) bool {
		return func(id int64) bool {
			for _, x := range ids {
				if x == id {
					return true
				}
			}
			return false
		}
	}
	cases := []struct {
		name      string
		tallies   []PulseTally
		closed    bool
		seen      func(int64) bool
		hidden    string
		n         int
		practices int
		workload  float64
	}{
		{"open round", []PulseTally{a, b}, false, all, PulseHiddenOpen, 0, 0, 0},
		{"admin sees all", []PulseTally{a, b, c}, true, all, "", 15, 2, 100.0 / 15},
		{"funder, two practices", []PulseTally{a, b, c}, true, none, "", 15, 2, 100.0 / 15},
		// The small practices' 7 answers would make 12 ≥ 5, but are never
		// counted: the region would then show what they said.
		{"only small practices", []PulseTally{c, d}, true, all, PulseHiddenFewAnswers, 0, 0, 0},
		{"funder, one practice shown", []PulseTally{a, c, d}, true, none, PulseHiddenFewPractices, 0, 0, 0},
		{"admin, one practice shown", []PulseTally{a, c}, true, all, "", 5, 1, 8},
		{"practice A sees itself, B is the rest", []PulseTally{a, b}, true, only(1), PulseHiddenFewPractices, 0, 0, 0},
		{"practice C (too few) sees itself", []PulseTally{a, b, c}, true, only(3), "", 15, 2, 100.0 / 15},
		{"consultant of A and B", []PulseTally{a, b, c}, true, only(1, 2), "", 15, 2, 100.0 / 15},
		{"consultant of A, with B and a third", []PulseTally{a, b, {PracticeID: 5, N: 5, Workload: 25}}, true, only(1), "", 20, 3, 125.0 / 20},
		{"nobody answered", nil, true, all, PulseHiddenFewAnswers, 0, 0, 0},
	}
	for _, c := range cases {
		f := RegionPulseFigure(c.tallies, c.closed, c.seen)
		if f.Hidden != c.hidden || f.N != c.n || f.Practices != c.practices || f.Workload != c.workload {
			t.Errorf("%s: %+v", c.name, f)
		}
	}
}
