package i18n

import "testing"

func TestNumberFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Decimal("nl", 2.5, -1), "2,5"},
		{Decimal("en", 2.5, -1), "2.5"},
		{Decimal("nl", 0.8, 2), "0,80"},
		{Decimal("en", 0.8, 2), "0.80"},
		{Decimal("nl", 3, -1), "3"},
		{Integer("nl", 1234567), "1.234.567"},
		{Integer("en", 1234567), "1,234,567"},
		{Integer("nl", -2500), "-2.500"},
		{Integer("en", 999), "999"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
