package i18n

import "testing"

// Every Dutch key has an English text and the other way round, so switching
// language never shows a raw key.
func TestCatalogsComplete(t *testing.T) {
	for _, k := range Keys("nl") {
		if !Has("en", k) {
			t.Errorf("key %q has no English text", k)
		}
	}
	for _, k := range Keys("en") {
		if !Has("nl", k) {
			t.Errorf("key %q has no Dutch text", k)
		}
	}
}

func TestTFallsBack(t *testing.T) {
	if got := T("en", "err.required"); got != "This field is required." {
		t.Fatalf("got %q", got)
	}
	if got := T("nl", "no.such.key"); got != "no.such.key" {
		t.Fatalf("got %q", got)
	}
}
