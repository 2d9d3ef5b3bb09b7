package store

import "testing"

func TestPGPoolSize(t *testing.T) {
	for _, c := range []struct {
		env   string
		cores int
		want  int
	}{
		{"", 1, 8}, {"", 2, 8}, {"", 4, 16}, {"", 16, 25},
		{"40", 2, 40}, {" 3 ", 2, 3},
		{"0", 2, 8}, {"-5", 2, 8}, {"veel", 2, 8},
	} {
		if got := pgPoolSize(c.env, c.cores); got != c.want {
			t.Errorf("pgPoolSize(%q, %d) = %d, want %d", c.env, c.cores, got, c.want)
		}
	}
}
